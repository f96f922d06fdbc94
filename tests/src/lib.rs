//! End-to-end tests of odata-codegen live in `tests/`.
//!
//! The doc tests below check what must not compile in a generated crate.
//!
//! `set_null` takes the property enum of the value's type or of one of its base types:
//!
//! ```
//! use golden_write_bodies::golden_bodies::requests::{TicketProperty, UrgentTicketProperty};
//! use golden_write_bodies::golden_bodies::{Ticket, UrgentTicket};
//! use odata_runtime::prelude::*;
//!
//! let mut ticket = Ticket::default();
//! ticket.set_null(TicketProperty::Revision);
//! let mut urgent = UrgentTicket::default();
//! urgent.set_null(TicketProperty::Title);
//! urgent.set_null(UrgentTicketProperty::Pager);
//! assert_eq!(urgent.extra.nulls(), ["title", "pager"]);
//! ```
//!
//! A property of a derived type is not one of its base type:
//!
//! ```compile_fail,E0277
//! use golden_write_bodies::golden_bodies::Ticket;
//! use golden_write_bodies::golden_bodies::requests::UrgentTicketProperty;
//! use odata_runtime::prelude::*;
//!
//! let mut ticket = Ticket::default();
//! ticket.set_null(UrgentTicketProperty::Pager);
//! ```
//!
//! and a name is not a property (a misspelled name does not compile either):
//!
//! ```compile_fail,E0277
//! use golden_write_bodies::golden_bodies::Ticket;
//! use odata_runtime::prelude::*;
//!
//! let mut ticket = Ticket::default();
//! ticket.set_null("revision");
//! ```
//!
//! Azure AD Graph's `changePassword` is valid only on the signed-in user: it is a method of the
//! builder `me(host)` gives, which dereferences to the user's item builder for everything else,
//!
//! ```
//! use azure_ad_graph::microsoft_directory_services::requests::DirectoryDataService;
//! use odata_runtime::prelude::*;
//!
//! let me = DirectoryDataService::me("https://graph.windows.net");
//! let request = me.change_password(Some("old"), Some("new")).to_request().unwrap();
//! assert_eq!(request.url, "https://graph.windows.net/me/changePassword?api-version=1.6");
//! let _manager = me.manager().get();
//! ```
//!
//! and not of any other user's:
//!
//! ```compile_fail,E0599
//! use azure_ad_graph::microsoft_directory_services::requests::DirectoryDataService;
//! use odata_runtime::prelude::*;
//!
//! let service = DirectoryDataService::new("https://graph.windows.net/contoso.com");
//! let _ = service.users().by_key("id").change_password(Some("old"), Some("new"));
//! ```
