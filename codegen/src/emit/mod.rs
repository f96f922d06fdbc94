//! Emitters: model → items, one emitter per item kind. Emitters decide what each item says and
//! never format or lay out files: the render stage ([`crate::render`]) runs them (in parallel),
//! formats their token items and lays the results out as a crate or as one include file.
//!
//! Generated code is table-driven: each type carries a static description and two small `match`
//! methods, and the runtime crate (`odata-runtime`) does the serde work, which keeps the
//! generated crate cheap to compile (see `BENCHMARKS.md`).
//!
//! Each shape has one printer: the fixed shapes that make up most of a crate (structs and their
//! `rt::Structured` impls, enum types, the builders' boilerplate) are printed as
//! text by [`text`]; every other item is built as tokens, which the render stage formats.

mod docs;
mod filter;
mod permissions;
pub mod requests;
mod text;
mod types;

use crate::model::analysis::{self, Analysis};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::cell::RefCell;
use std::collections::BTreeSet;

/// Where the generated crate finds `odata-runtime`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeDep {
    /// A path dependency, written into `Cargo.toml` as given.
    Path(String),
    /// A registry version requirement.
    Version(String),
}

/// Which parts of the crate to emit besides the types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    /// Request builders: a root per entity container, item and collection builders per entity
    /// type with navigation, keys, casts, references and media.
    pub builders: bool,
    /// Bound operations on the builders and operation imports on the root (needs `builders`).
    pub operations: bool,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            builders: true,
            operations: true,
        }
    }
}

/// Part of an item list: items built as tokens (the render stage formats them), or items
/// printed as text by [`text`].
pub enum Piece {
    Tokens(TokenStream),
    Text(String),
}

/// The `#[cfg(...)]` the items of a type are compiled under (area features), as text and as
/// tokens; both empty when they are always compiled.
pub(crate) struct Gate {
    pub text: String,
    pub tokens: TokenStream,
}

impl Gate {
    pub fn new(areas: Option<&[String]>) -> Gate {
        Gate {
            text: text::gate_line(areas),
            tokens: match areas {
                Some(areas) => {
                    let p = cfg_predicate(areas);
                    quote! { #[cfg(#p)] }
                }
                None => TokenStream::new(),
            },
        }
    }
}

/// The two sections of a namespace module: its types, and its request builders (a nested
/// `requests` module).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Types,
    Requests,
}

/// What one job emitted.
pub struct Emitted {
    /// The module and section the items belong to.
    pub key: (String, Section),
    /// The area features the items are compiled under (all of them carry that `#[cfg]`, or a
    /// narrower one); `None` when they are always compiled. The crate layout puts each group's
    /// items in a file of their own, which the compiler does not read when the group is off.
    pub areas: Option<Vec<String>>,
    pub pieces: Vec<Piece>,
    /// Items compiled when the areas are off (fallbacks of gated types), which belong with the
    /// always compiled ones.
    pub otherwise: Vec<Piece>,
    /// The `odata-runtime` features the items need.
    pub features: BTreeSet<&'static str>,
}

thread_local! {
    /// The runtime features the job running on this thread needs so far: every runtime type the
    /// emitters name goes through [`needs`], so the crate's features follow from what is emitted
    /// and a new kind of item cannot forget them.
    static NEEDS: RefCell<BTreeSet<&'static str>> = const { RefCell::new(BTreeSet::new()) };
}

/// Records that the item being emitted needs runtime feature `feature`.
pub(crate) fn needs(feature: &'static str) {
    NEEDS.with(|n| n.borrow_mut().insert(feature));
}

/// One unit of emitting: a type, the builders of an entity type, or a container's root builder.
#[derive(Clone)]
enum Job {
    Type(TypeId),
    Builders(TypeId),
    Container(ContainerId, String),
}

/// The emitters of one model and selection: the analyses and plans they share, and the list of
/// jobs the render stage runs. Shared read-only by the render stage's workers.
pub struct Emitter<'m> {
    model: &'m Model,
    analysis: Analysis,
    plan: requests::Plan,
    jobs: Vec<Job>,
    modules: Vec<(String, String)>,
}

impl<'m> Emitter<'m> {
    /// Analyses `model` for `selection` and plans what each part emits.
    pub fn new(
        model: &'m Model,
        selection: &crate::select::Selection,
        parts: Parts,
        area_features: bool,
    ) -> Emitter<'m> {
        let analysis = analysis::analyse(model, selection, parts.builders, area_features);
        let plan = if parts.builders {
            requests::plan(model, &analysis, parts.operations)
        } else {
            requests::Plan::default()
        };
        let mut modules: Vec<(String, String)> = Vec::new();
        for s in &model.schemas {
            if !modules.iter().any(|(m, _)| *m == s.rust_module) {
                modules.push((s.rust_module.clone(), s.namespace.clone()));
            }
        }
        let mut jobs: Vec<Job> = analysis.selected.iter().map(|t| Job::Type(*t)).collect();
        jobs.extend(analysis.builders.keys().map(|t| Job::Builders(*t)));
        jobs.extend((analysis.roots.iter()).map(|(c, n)| Job::Container(*c, n.clone())));
        Emitter {
            model,
            analysis,
            plan,
            jobs,
            modules,
        }
    }

    /// How many jobs [`Emitter::emit`] takes.
    pub fn job_count(&self) -> usize {
        self.jobs.len()
    }

    /// The items of job `i`, the module section they belong to, and the runtime features they
    /// need.
    pub fn emit(&self, i: usize) -> Emitted {
        NEEDS.with(|n| n.borrow_mut().clear());
        let (model, a, plan) = (self.model, &self.analysis, &self.plan);
        let schema = match &self.jobs[i] {
            Job::Type(t) | Job::Builders(t) => model[*t].schema,
            Job::Container(c, _) => model.containers[c.0 as usize].schema,
        };
        let module = model[schema].rust_module.clone();
        let (section, areas, pieces, otherwise) = match &self.jobs[i] {
            Job::Type(t) => (
                Section::Types,
                a.areas_of.get(t).cloned(),
                types::emit_type(model, a, *t),
                types::fallbacks(model, a, *t).into_iter().collect(),
            ),
            Job::Builders(t) => (
                Section::Requests,
                a.areas_of.get(t).cloned(),
                requests::emit_entity(model, a, plan, *t),
                Vec::new(),
            ),
            Job::Container(c, name) => (
                Section::Requests,
                None,
                vec![Piece::Tokens(requests::emit_container(
                    model, a, plan, *c, name,
                ))],
                Vec::new(),
            ),
        };
        Emitted {
            key: (module, section),
            areas,
            pieces,
            otherwise,
            features: NEEDS.with(|n| std::mem::take(&mut *n.borrow_mut())),
        }
    }

    /// Namespace modules (Rust name, namespace) in first-declaration order of the namespaces.
    pub fn modules(&self) -> &[(String, String)] {
        &self.modules
    }

    /// The first items of a module section: its doc and imports, and in a `requests` module
    /// with entity builders the generic builders they name.
    pub fn module_head(&self, namespace: &str, section: Section, has_types: bool) -> Vec<Piece> {
        let (model, a) = (self.model, &self.analysis);
        let generic = section == Section::Requests
            && a.builders
                .keys()
                .any(|t| model[model[*t].schema].namespace == namespace);
        let mut head = vec![Piece::Tokens(match section {
            Section::Types => {
                let doc = format!(" Types of the OData namespace `{namespace}`.");
                // A namespace with only an entity container has builders but no types.
                let uses = has_types.then(|| quote! { use ::odata_runtime as rt; });
                quote! {
                    #![doc = #doc]
                    #uses
                }
            }
            Section::Requests => {
                let doc = format!(
                    " Request builders of the OData namespace `{namespace}`: use them with the traits of `odata_runtime::prelude`."
                );
                // With area features every item may be cfg'd out, leaving the import unused.
                let allow =
                    (!self.analysis.areas.is_empty()).then(|| quote! { #[allow(unused_imports)] });
                quote! {
                    #![doc = #doc]
                    #allow
                    use ::odata_runtime as rt;
                }
            }
        })];
        if generic {
            head.push(Piece::Text(text::GENERIC_BUILDERS.to_string()));
        }
        head
    }

    /// The `permissions` module's items, when the documentation tables name permissions.
    pub fn permissions(&self) -> Option<Piece> {
        permissions::emit(self.model).map(Piece::Tokens)
    }

    /// The crate-level items every layout has: the schema aliases.
    pub fn crate_items(&self) -> TokenStream {
        aliases_const(self.model)
    }

    /// Lints that generated names and shapes trip and that say nothing about the code's quality.
    pub fn allows(&self) -> TokenStream {
        quote! {
            clippy::enum_variant_names, clippy::large_enum_variant, clippy::type_complexity,
            clippy::doc_lazy_continuation, clippy::doc_overindented_list_items,
            clippy::tabs_in_doc_comments, clippy::empty_docs, clippy::too_long_first_doc_paragraph,
            clippy::too_many_arguments, clippy::derivable_impls
        }
    }

    /// The Cargo features of area features: (feature, what it covers), in order.
    pub fn areas(&self) -> &[(String, String)] {
        &self.analysis.areas
    }
}

/// The name of the builders' module inside each namespace module.
pub const REQUESTS_MODULE: &str = requests::MODULE;

/// The minimum Rust version of a generated crate: the runtime's (the workspace's `rust-version`).
pub const RUST_VERSION: &str = "1.88";

fn aliases_const(model: &Model) -> TokenStream {
    let mut aliases: Vec<(String, String)> = model
        .schemas
        .iter()
        .filter_map(|s| s.alias.clone().map(|a| (a, s.namespace.clone())))
        .collect();
    aliases.sort();
    aliases.dedup();
    let alias_items = aliases.iter().map(|(a, n)| quote! { (#a, #n) });
    quote! {
        /// Schema aliases and their namespaces, for matching alias-qualified type tags.
        #[doc(hidden)]
        pub const ODATA_ALIASES: &[(&str, &str)] = &[#(#alias_items),*];
    }
}

/// The `#[cfg(...)]` line (with its newline) of items compiled under `areas`.
pub fn area_gate(areas: &[String]) -> String {
    text::gate_line(Some(areas))
}

/// `feature = "a"` for one area, `any(feature = "a", ...)` for several.
pub(crate) fn cfg_predicate(areas: &[String]) -> TokenStream {
    match areas {
        [one] => quote! { feature = #one },
        _ => quote! { any(#(feature = #areas),*) },
    }
}

/// An identifier token from a name chosen by [`crate::naming`] (raw identifiers included).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => format_ident!("{}", name),
    }
}
