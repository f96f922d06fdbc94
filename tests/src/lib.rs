//! End-to-end tests of odata-codegen live in `tests/`.
//!
//! The doc tests below check what must not compile in a generated crate.
//!
//! `set_null` takes the property constants of the value's type or of one of its base types, if
//! the property can be null:
//!
//! ```
//! use golden_write_bodies::golden_bodies::{Ticket, UrgentTicket};
//! use odata_runtime::prelude::*;
//!
//! let mut ticket = Ticket::default();
//! ticket.set_null(Ticket::REVISION);
//! let mut urgent = UrgentTicket::default();
//! urgent.set_null(Ticket::REVISION);
//! urgent.set_null(UrgentTicket::PAGER);
//! assert_eq!(urgent.extra.nulls(), ["revision", "pager"]);
//! ```
//!
//! A property of a derived type is not one of its base type:
//!
//! ```compile_fail,E0277
//! use golden_write_bodies::golden_bodies::{Ticket, UrgentTicket};
//! use odata_runtime::prelude::*;
//!
//! let mut ticket = Ticket::default();
//! ticket.set_null(UrgentTicket::PAGER);
//! ```
//!
//! a property declared `Nullable="false"` cannot be nulled, nor can a collection (never `null`),
//!
//! ```compile_fail,E0277
//! use golden_write_bodies::golden_bodies::Ticket;
//! use odata_runtime::prelude::*;
//!
//! let mut ticket = Ticket::default();
//! ticket.set_null(Ticket::TITLE);
//! ```
//!
//! ```compile_fail,E0277
//! use golden_write_bodies::golden_bodies::Ticket;
//! use odata_runtime::prelude::*;
//!
//! let mut ticket = Ticket::default();
//! ticket.set_null(Ticket::TAGS);
//! ```
//!
//! and a name is not a property (a misspelled name does not compile either):
//!
//! ```compile_fail,E0308
//! use golden_write_bodies::golden_bodies::Ticket;
//! use odata_runtime::prelude::*;
//!
//! let mut ticket = Ticket::default();
//! ticket.set_null("revision");
//! ```
//!
//! `$select` and `$expand` take the same constants, of the entity type or a base type, one or a
//! tuple of several, and only navigation properties expand:
//!
//! ```
//! use golden_write_bodies::golden_bodies::{Ticket, UrgentTicket};
//! use golden_write_bodies::golden_bodies::requests::Desk;
//! use odata_runtime::prelude::*;
//!
//! let desk = Desk::new("https://desk.example.com/odata");
//! let list = desk.tickets().list().select((Ticket::ID, Ticket::TITLE));
//! assert!(list.to_request().unwrap().url.ends_with("/tickets?$select=id,title"));
//! ```
//!
//! ```compile_fail,E0277
//! use golden_write_bodies::golden_bodies::{Ticket, UrgentTicket};
//! use golden_write_bodies::golden_bodies::requests::Desk;
//! use odata_runtime::prelude::*;
//!
//! let desk = Desk::new("https://desk.example.com/odata");
//! let _ = desk.tickets().list().select((Ticket::ID, UrgentTicket::PAGER));
//! ```
//!
//! ```compile_fail,E0277
//! use golden_write_bodies::golden_bodies::Ticket;
//! use golden_write_bodies::golden_bodies::requests::Desk;
//! use odata_runtime::prelude::*;
//!
//! let desk = Desk::new("https://desk.example.com/odata");
//! let _ = desk.tickets().list().expand(Ticket::TITLE);
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
