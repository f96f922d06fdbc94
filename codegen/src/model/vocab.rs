//! The vocabulary terms the generator reads or writes, by full name: the one place their
//! names are written. Documents may write a term through an alias (`Core.Description`);
//! compare with [`Model::term_full_name`](super::Model::term_full_name) of it.

// ----- namespaces -----

pub const CORE: &str = "Org.OData.Core.V1";
pub const CAPABILITIES: &str = "Org.OData.Capabilities.V1";
pub const VALIDATION: &str = "Org.OData.Validation.V1";
/// This generator's vocabulary for documentation facts no standard term covers (written by the
/// documentation-table reader, read by the emitter).
pub const DOCS: &str = "Codegen.Docs.V1";

// ----- Org.OData.Core.V1 -----

pub const DESCRIPTION: &str = "Org.OData.Core.V1.Description";
pub const LONG_DESCRIPTION: &str = "Org.OData.Core.V1.LongDescription";
pub const REVISIONS: &str = "Org.OData.Core.V1.Revisions";
pub const PERMISSIONS: &str = "Org.OData.Core.V1.Permissions";
/// The `Core.Permission` member a read-only property's [`PERMISSIONS`] has.
pub const PERMISSION_READ: &str = "Org.OData.Core.V1.Permission/Read";
pub const COMPUTED: &str = "Org.OData.Core.V1.Computed";
pub const IMMUTABLE: &str = "Org.OData.Core.V1.Immutable";
pub const OPTIONAL_PARAMETER: &str = "Org.OData.Core.V1.OptionalParameter";
pub const OPTIMISTIC_CONCURRENCY: &str = "Org.OData.Core.V1.OptimisticConcurrency";

// ----- Org.OData.Capabilities.V1 -----

pub const READ_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.ReadRestrictions";
pub const INSERT_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.InsertRestrictions";
pub const UPDATE_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.UpdateRestrictions";
pub const DELETE_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.DeleteRestrictions";
pub const NAVIGATION_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.NavigationRestrictions";
pub const OPERATION_RESTRICTIONS: &str = "Org.OData.Capabilities.V1.OperationRestrictions";

// ----- Org.OData.Validation.V1 -----

pub const ALLOWED_VALUES: &str = "Org.OData.Validation.V1.AllowedValues";

// ----- Codegen.Docs.V1 -----

pub const DOCS_VERSIONS: &str = "Codegen.Docs.V1.Versions";
pub const DOCS_FILTER_OPERATORS: &str = "Codegen.Docs.V1.FilterOperators";
pub const DOCS_SELECT_ONLY: &str = "Codegen.Docs.V1.SelectOnly";
pub const DOCS_CONSENT_TYPE: &str = "Codegen.Docs.V1.ConsentType";
pub const DOCS_ONLY_THROUGH: &str = "Codegen.Docs.V1.OnlyThrough";
pub const DOCS_ALIASES: &str = "Codegen.Docs.V1.Aliases";
pub const DOCS_DEFAULT_QUERY_PARAMETERS: &str = "Codegen.Docs.V1.DefaultQueryParameters";
pub const DOCS_PERMISSIONS: &str = "Codegen.Docs.V1.Permissions";
/// On an entity type: navigation properties the documentation addresses only through `$links`,
/// naming no target type (records `Name`, `Collection`, `Methods`).
pub const DOCS_LINKS: &str = "Codegen.Docs.V1.Links";
/// On an operation the documentation names without parameters or result: called with a JSON
/// body as given, its response read as JSON.
pub const DOCS_UNTYPED_CALL: &str = "Codegen.Docs.V1.UntypedCall";

#[cfg(test)]
mod tests {
    use super::*;

    /// Every term is its namespace, a dot and a name.
    #[test]
    fn terms_are_in_their_namespace() {
        let terms = [
            (CORE, DESCRIPTION),
            (CORE, LONG_DESCRIPTION),
            (CORE, REVISIONS),
            (CORE, PERMISSIONS),
            (CORE, COMPUTED),
            (CORE, IMMUTABLE),
            (CORE, OPTIONAL_PARAMETER),
            (CORE, OPTIMISTIC_CONCURRENCY),
            (CAPABILITIES, READ_RESTRICTIONS),
            (CAPABILITIES, INSERT_RESTRICTIONS),
            (CAPABILITIES, UPDATE_RESTRICTIONS),
            (CAPABILITIES, DELETE_RESTRICTIONS),
            (CAPABILITIES, NAVIGATION_RESTRICTIONS),
            (CAPABILITIES, OPERATION_RESTRICTIONS),
            (VALIDATION, ALLOWED_VALUES),
            (DOCS, DOCS_VERSIONS),
            (DOCS, DOCS_FILTER_OPERATORS),
            (DOCS, DOCS_SELECT_ONLY),
            (DOCS, DOCS_CONSENT_TYPE),
            (DOCS, DOCS_ONLY_THROUGH),
            (DOCS, DOCS_ALIASES),
            (DOCS, DOCS_DEFAULT_QUERY_PARAMETERS),
            (DOCS, DOCS_PERMISSIONS),
            (DOCS, DOCS_LINKS),
            (DOCS, DOCS_UNTYPED_CALL),
        ];
        for (ns, term) in terms {
            let name = term.strip_prefix(ns).and_then(|r| r.strip_prefix('.'));
            assert!(name.is_some_and(|n| !n.contains('.')), "{term} in {ns}");
        }
        assert_eq!(PERMISSION_READ, format!("{CORE}.Permission/Read"));
    }
}
