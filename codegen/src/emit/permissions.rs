//! The `permissions` module of a generated crate: every permission the documentation tables
//! name (`Codegen.Docs.V1.Permissions` on a schema, see [`crate::doctables::build`]), with its
//! delegated and application ids, consent type and display string, so an application can
//! request exactly the scopes of the calls it makes. Not generated when no permission is known.

use crate::model::meaning::record_field as field;
use crate::model::vocab::DOCS;
use crate::model::*;
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

fn text(e: Option<&Expr>) -> Option<String> {
    match e? {
        Expr::Constant(_, v) => Some(v.clone()),
        _ => None,
    }
}

fn opt(v: Option<String>) -> TokenStream {
    match v {
        Some(s) => quote! { ::core::option::Option::Some(#s) },
        None => quote! { ::core::option::Option::None },
    }
}

/// The catalogue records (`Codegen.Docs.V1.Permissions` on the schemas), first of each name.
pub(super) fn catalogue(model: &Model) -> Vec<(String, &Expr)> {
    let term = format!("{DOCS}.Permissions");
    let mut out: Vec<(String, &Expr)> = Vec::new();
    for (i, s) in model.schemas.iter().enumerate() {
        for a in model.annotations_of(NodeRef::Schema(SchemaId(i as u32)), &s.extras.annotations) {
            if model.term_full_name(&a.term) == term
                && let Some(Expr::Collection(items)) = &a.value
            {
                for r in items {
                    let Some(name) = text(field(r, "Name")) else {
                        continue;
                    };
                    if !out.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) {
                        out.push((name, r));
                    }
                }
            }
        }
    }
    out
}

/// The constant of each catalogue permission: (name, record, constant name), in catalogue order.
pub(super) fn constants(model: &Model) -> Vec<(String, &Expr, String)> {
    let mut out: Vec<(String, &Expr, String)> = Vec::new();
    for (name, r) in catalogue(model) {
        let mut base = name.replace(['.', '-', ' '], "_").to_shouty_snake_case();
        base.retain(|c| c.is_ascii_alphanumeric() || c == '_');
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("P_{base}");
        }
        let mut ident_name = base.clone();
        let mut n = 2;
        while out.iter().any(|(_, _, i)| *i == ident_name) {
            ident_name = format!("{base}_{n}");
            n += 1;
        }
        out.push((name, r, ident_name));
    }
    out
}

/// A catalogue field as text (`DelegatedId`, `ApplicationId`, `Resources` items...).
pub(super) fn field_text(record: &Expr, name: &str) -> Option<String> {
    text(field(record, name))
}

/// The module's tokens, or `None` when the model knows no permission.
pub fn emit(model: &Model) -> Option<TokenStream> {
    let mut consts = Vec::new();
    let mut idents = Vec::new();
    for (name, r, ident_name) in constants(model) {
        let ident = format_ident!("{}", ident_name);
        let description = text(field(r, "Description"));
        let mut doc = vec![format!(" `{name}`.")];
        if let Some(d) = &description {
            doc.push(String::new());
            doc.extend(super::docs::clean_lines(d));
        }
        let description = opt(description);
        let delegated_id = opt(text(field(r, "DelegatedId")));
        let delegated_consent = opt(text(field(r, "DelegatedConsentType")));
        let delegated_display = opt(text(field(r, "DelegatedDisplayString")));
        let application_id = opt(text(field(r, "ApplicationId")));
        let application_consent = opt(text(field(r, "ApplicationConsentType")));
        let application_display = opt(text(field(r, "ApplicationDisplayString")));
        consts.push(quote! {
            #(#[doc = #doc])*
            pub const #ident: Permission = Permission {
                name: #name,
                description: #description,
                delegated_id: #delegated_id,
                delegated_consent_type: #delegated_consent,
                delegated_display_string: #delegated_display,
                application_id: #application_id,
                application_consent_type: #application_consent,
                application_display_string: #application_display,
            };
        });
        idents.push(ident);
    }
    if consts.is_empty() {
        return None;
    }
    Some(quote! {
        //! Permissions (OAuth scopes) named by the service's documentation: request exactly the
        //! ones the calls you make need. Ids and display strings are given where the
        //! documentation has a permission page for them.

        /// One permission: its name (the scope), and what the documentation says about its
        /// delegated and application forms.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct Permission {
            /// The scope as requested (`User.Read`).
            pub name: &'static str,
            pub description: ::core::option::Option<&'static str>,
            /// Id of the delegated permission (acting for a signed-in user).
            pub delegated_id: ::core::option::Option<&'static str>,
            /// Who can consent to the delegated permission (`User`, `Admin`).
            pub delegated_consent_type: ::core::option::Option<&'static str>,
            pub delegated_display_string: ::core::option::Option<&'static str>,
            /// Id of the application permission (acting without a user).
            pub application_id: ::core::option::Option<&'static str>,
            pub application_consent_type: ::core::option::Option<&'static str>,
            pub application_display_string: ::core::option::Option<&'static str>,
        }

        #(#consts)*

        /// Every known permission, in documentation order.
        pub const ALL: &[Permission] = &[#(#idents),*];

        /// The permission named `name` (case-insensitive).
        pub fn by_name(name: &str) -> ::core::option::Option<&'static Permission> {
            ALL.iter().find(|p| p.name.eq_ignore_ascii_case(name))
        }
    })
}
