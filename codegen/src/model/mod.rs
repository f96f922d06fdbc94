//! The intermediate model: one arena for everything read from CSDL (V2, V3 and V4), with typed ids.
//!
//! Readers fill the arena with names exactly as written (`TypeRef::name`, `base_name`, ...);
//! [`resolve`] then resolves every qualified name and alias once, links base types, derived
//! types, partners and imports, and assigns Rust identifiers; [`recover`] repairs what breaks the
//! spec in a way that has one sensible reading (and says so); [`validate`] reports what is wrong.
//! Emitters only follow ids.

pub mod analysis;
pub mod meaning;
pub mod recover;
pub mod resolve;
pub mod validate;
pub mod vocab;

use crate::diag::{FileId, Loc};
use std::collections::BTreeMap;
use std::path::PathBuf;

macro_rules! ids {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
        $(#[$m])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

ids!(
    /// A schema (namespace) in [`Model::schemas`].
    SchemaId,
    /// An entity, complex, enum type or type definition in [`Model::types`].
    TypeId,
    /// A structural property in [`Model::properties`].
    PropertyId,
    /// A navigation property in [`Model::navigations`].
    NavId,
    /// An action or function (one overload) in [`Model::operations`].
    OperationId,
    /// An entity container in [`Model::containers`].
    ContainerId,
    /// A term in [`Model::terms`].
    TermId,
    /// An external `<Annotations Target="...">` block in [`Model::annotation_blocks`].
    AnnotationsId,
);

/// The OData protocol version a document was written for; it decides wire formats
/// (`odata.type` vs `@odata.type`, `$links` vs `$ref`, V2 `/Date(...)/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ODataVersion {
    V2,
    V3,
    #[default]
    V4,
}

#[derive(Clone, Debug, Default)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The document's text, kept for rendering diagnostics with their source line.
    pub text: String,
    pub version: ODataVersion,
    /// `edmx:Edmx/@Version` as written (`1.0`, `4.0`, `4.01`); `None` for a bare `<Schema>`.
    pub edmx_version: Option<String>,
    /// `m:DataServiceVersion` / `m:MaxDataServiceVersion` of V2/V3 documents.
    pub data_service_version: Option<String>,
    pub max_data_service_version: Option<String>,
    /// `edmx:Reference` elements of this document.
    pub references: Vec<Reference>,
    /// Foreign-namespace attributes on `edmx:Edmx` / `edmx:DataServices`.
    pub foreign: Vec<ForeignAttr>,
}

/// Everything one generation run knows.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub files: Vec<SourceFile>,
    pub schemas: Vec<Schema>,
    pub types: Vec<Type>,
    pub properties: Vec<Property>,
    pub navigations: Vec<NavigationProperty>,
    pub operations: Vec<Operation>,
    pub containers: Vec<EntityContainer>,
    pub terms: Vec<Term>,
    pub annotation_blocks: Vec<AnnotationsBlock>,
    /// V2/V3 associations as read (they are also lowered into navigation properties).
    pub associations: Vec<Association>,
    /// V2/V3 association sets as read (they are also lowered into navigation property bindings).
    pub association_sets: Vec<AssociationSet>,
    /// Filled by [`resolve`]: external annotations by the node they target.
    pub external: BTreeMap<NodeRef, Vec<(AnnotationsId, usize)>>,
    /// Filled by [`resolve`]: alias or namespace → schema.
    pub namespaces: BTreeMap<String, SchemaId>,
    /// Filled by [`resolve`]: namespace or alias of every referenced (`edmx:Include`) namespace →
    /// its full namespace. Types from these namespaces are only usable when the reference was
    /// loaded as a file.
    pub included: BTreeMap<String, String>,
}

macro_rules! index_impl {
    ($id:ty, $field:ident, $out:ty) => {
        impl std::ops::Index<$id> for Model {
            type Output = $out;
            fn index(&self, id: $id) -> &$out {
                &self.$field[id.index()]
            }
        }
        impl std::ops::IndexMut<$id> for Model {
            fn index_mut(&mut self, id: $id) -> &mut $out {
                &mut self.$field[id.index()]
            }
        }
    };
}
index_impl!(SchemaId, schemas, Schema);
index_impl!(TypeId, types, Type);
index_impl!(PropertyId, properties, Property);
index_impl!(NavId, navigations, NavigationProperty);
index_impl!(OperationId, operations, Operation);
index_impl!(ContainerId, containers, EntityContainer);
index_impl!(TermId, terms, Term);
index_impl!(AnnotationsId, annotation_blocks, AnnotationsBlock);

/// Inline annotations and foreign-namespace attributes of one node: what every node carries
/// besides its own data, so nothing read is dropped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extras {
    pub annotations: Vec<Annotation>,
    /// Attributes in other XML namespaces (`sap:label`, `m:FC_TargetPath`, ...), kept as written.
    pub foreign: Vec<ForeignAttr>,
    /// Child elements in other XML namespaces (V2/V3 annotation elements: SAP's `atom:link`s of
    /// a schema, custom metadata), kept as written.
    pub elements: Vec<ForeignElement>,
}

/// An element in a namespace other than CSDL's and EDMX's, with everything inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignElement {
    /// Namespace URI of the element (empty for none).
    pub namespace: String,
    /// Prefix as written in the document (for messages and round trips).
    pub prefix: String,
    pub name: String,
    /// Its attributes (an unprefixed one has an empty namespace).
    pub attributes: Vec<ForeignAttr>,
    /// Its child elements, whatever their namespace.
    pub children: Vec<ForeignElement>,
    /// All character data directly inside it, concatenated.
    pub text: String,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignAttr {
    /// Namespace URI of the attribute.
    pub namespace: String,
    /// Prefix as written in the document (for messages and round trips).
    pub prefix: String,
    pub name: String,
    pub value: String,
    pub loc: Loc,
}

#[derive(Clone, Debug, Default)]
pub struct Reference {
    pub uri: String,
    pub includes: Vec<Include>,
    pub include_annotations: Vec<IncludeAnnotations>,
    pub loc: Loc,
    pub extras: Extras,
    /// The file the reference was resolved to, when it named a readable local file.
    pub loaded: Option<FileId>,
}

#[derive(Clone, Debug, Default)]
pub struct Include {
    pub namespace: String,
    pub alias: Option<String>,
    pub loc: Loc,
    pub extras: Extras,
}

#[derive(Clone, Debug, Default)]
pub struct IncludeAnnotations {
    pub term_namespace: String,
    pub qualifier: Option<String>,
    pub target_namespace: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub namespace: String,
    pub alias: Option<String>,
    pub file: FileId,
    pub loc: Loc,
    pub extras: Extras,
    pub types: Vec<TypeId>,
    pub operations: Vec<OperationId>,
    pub containers: Vec<ContainerId>,
    pub terms: Vec<TermId>,
    pub annotation_blocks: Vec<AnnotationsId>,
    /// Rust module name (assigned by [`resolve`]).
    pub rust_module: String,
}

#[derive(Clone, Debug)]
pub struct Type {
    pub name: String,
    pub schema: SchemaId,
    pub loc: Loc,
    pub extras: Extras,
    pub kind: TypeKind,
    /// Rust identifier (assigned by [`resolve`]).
    pub rust_name: String,
}

#[derive(Clone, Debug)]
pub enum TypeKind {
    Entity(StructuredType),
    Complex(StructuredType),
    Enum(EnumType),
    Definition(TypeDefinition),
}

impl Type {
    pub fn structured(&self) -> Option<&StructuredType> {
        match &self.kind {
            TypeKind::Entity(s) | TypeKind::Complex(s) => Some(s),
            _ => None,
        }
    }
    pub fn structured_mut(&mut self) -> Option<&mut StructuredType> {
        match &mut self.kind {
            TypeKind::Entity(s) | TypeKind::Complex(s) => Some(s),
            _ => None,
        }
    }
    pub fn is_entity(&self) -> bool {
        matches!(self.kind, TypeKind::Entity(_))
    }
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            TypeKind::Entity(_) => "entity type",
            TypeKind::Complex(_) => "complex type",
            TypeKind::Enum(_) => "enum type",
            TypeKind::Definition(_) => "type definition",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct StructuredType {
    /// `BaseType` as written.
    pub base_name: Option<String>,
    pub is_abstract: bool,
    pub open: bool,
    /// `HasStream` (V4) or `m:HasStream` (V2/V3): the entity is a media entity.
    pub has_stream: bool,
    /// Own key (`<Key>`), empty when inherited or absent.
    pub key: Vec<KeyRef>,
    pub key_loc: Option<Loc>,
    pub properties: Vec<PropertyId>,
    pub navigations: Vec<NavId>,
    /// Resolved base type.
    pub base: Option<TypeId>,
    /// Directly derived types, in declaration order (filled by [`resolve`]).
    pub derived: Vec<TypeId>,
    /// Resolved key properties, own or inherited (filled by [`resolve`]): for a key path
    /// (`Info/ID`), the first property of the path.
    pub key_properties: Vec<PropertyId>,
    /// The resolved keys, own or inherited, each from the entity type's property to the key
    /// value (filled by [`resolve`]); empty unless every key resolves.
    pub key_paths: Vec<KeyPath>,
}

/// A key resolved: the properties from the entity type to the key value (one for a plain key,
/// more for a path into complex properties), and the name the URL gives it.
#[derive(Clone, Debug, Default)]
pub struct KeyPath {
    pub props: Vec<PropertyId>,
    /// `PropertyRef/@Alias`: the key's name in URLs (required for a path).
    pub alias: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct KeyRef {
    /// `PropertyRef/@Name`: a property name or a path to a property of a complex property.
    pub name: String,
    pub alias: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct EnumType {
    /// `UnderlyingType` as written; `Edm.Int32` when absent.
    pub underlying: Primitive,
    pub underlying_written: Option<String>,
    pub is_flags: bool,
    pub members: Vec<EnumMember>,
}

#[derive(Clone, Debug)]
pub struct EnumMember {
    pub name: String,
    /// The value: as written, or implied (previous + 1, starting at 0) for non-flags enums.
    pub value: i64,
    pub value_written: Option<String>,
    pub loc: Loc,
    pub extras: Extras,
    pub rust_name: String,
}

#[derive(Clone, Debug)]
pub struct TypeDefinition {
    pub underlying: TypeRef,
    pub facets: Facets,
}

/// Whether `Scale` applies to a value of type `ty`: `Edm.Decimal`, a type definition in
/// `decimal_definitions` ([`Model::decimal_definitions`]), or a type not resolved (which may be
/// either).
pub fn scale_applies(ty: &TypeRef, decimal_definitions: &[TypeId]) -> bool {
    match ty.target {
        TypeTarget::Primitive(p) => p == Primitive::Decimal,
        TypeTarget::Type(t) => decimal_definitions.contains(&t),
        TypeTarget::Unresolved => true,
        TypeTarget::Abstract(_) => false,
    }
}

/// A reference to a type as written (`Edm.String`, `Collection(graph.user)`) and what it resolved to.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeRef {
    pub collection: bool,
    /// The element type's qualified name as written (without `Collection(...)`).
    pub name: String,
    pub target: TypeTarget,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeTarget {
    Unresolved,
    Primitive(Primitive),
    Type(TypeId),
    /// `Edm.EntityType`, `Edm.ComplexType`, `Edm.AnyPath`, ...: abstract types allowed in vocabularies.
    Abstract(AbstractType),
}

impl TypeRef {
    pub fn new(written: &str) -> TypeRef {
        let w = written.trim();
        let (collection, name) = match w
            .strip_prefix("Collection(")
            .and_then(|r| r.strip_suffix(')'))
        {
            Some(inner) => (true, inner.trim().to_string()),
            None => (false, w.to_string()),
        };
        let target = match Primitive::from_edm(&name) {
            Some(p) => TypeTarget::Primitive(p),
            None => match AbstractType::from_edm(&name) {
                Some(a) => TypeTarget::Abstract(a),
                None => TypeTarget::Unresolved,
            },
        };
        TypeRef {
            collection,
            name,
            target,
        }
    }

    /// The type as written in CSDL (`Collection(x)` when a collection).
    pub fn written(&self) -> String {
        if self.collection {
            format!("Collection({})", self.name)
        } else {
            self.name.clone()
        }
    }

    pub fn type_id(&self) -> Option<TypeId> {
        match self.target {
            TypeTarget::Type(t) => Some(t),
            _ => None,
        }
    }
}

/// EDM primitive types, V4 and the V2/V3 ones that V4 dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    Binary,
    Boolean,
    Byte,
    Date,
    DateTimeOffset,
    Decimal,
    Double,
    Duration,
    Guid,
    Int16,
    Int32,
    Int64,
    SByte,
    Single,
    Stream,
    String,
    TimeOfDay,
    /// Any of the `Edm.Geography*` types.
    Geography(GeoKind),
    /// Any of the `Edm.Geometry*` types.
    Geometry(GeoKind),
    /// `Edm.Untyped` (4.01).
    Untyped,
    /// `Edm.PrimitiveType` (abstract: any primitive value).
    PrimitiveType,
    /// V2/V3 `Edm.DateTime` (no offset).
    DateTime,
    /// V2/V3 `Edm.Time` (a duration in V3, a time of day in practice in V2).
    Time,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GeoKind {
    Any,
    Point,
    LineString,
    Polygon,
    MultiPoint,
    MultiLineString,
    MultiPolygon,
    Collection,
}

impl Primitive {
    /// Whether a value of this type can be written as a URL literal (a key, a function
    /// parameter): every primitive but streams, geo types and the untyped ones. Listed one by
    /// one so that a new primitive is a compile error here until it is placed on one side.
    pub fn in_urls(self) -> bool {
        match self {
            Primitive::Stream
            | Primitive::Geography(_)
            | Primitive::Geometry(_)
            | Primitive::Untyped
            | Primitive::PrimitiveType => false,
            Primitive::Binary
            | Primitive::Boolean
            | Primitive::Byte
            | Primitive::Date
            | Primitive::DateTimeOffset
            | Primitive::Decimal
            | Primitive::Double
            | Primitive::Duration
            | Primitive::Guid
            | Primitive::Int16
            | Primitive::Int32
            | Primitive::Int64
            | Primitive::SByte
            | Primitive::Single
            | Primitive::String
            | Primitive::TimeOfDay
            | Primitive::DateTime
            | Primitive::Time => true,
        }
    }

    /// The primitives without a geography/geometry kind by their `Edm.` local names, for
    /// parsing. A new primitive goes here and in [`Primitive::local_name`] (whose exhaustive
    /// match the compiler checks); the test `simple_primitive_names_agree` checks both agree.
    pub const ALL_SIMPLE: &'static [(&'static str, Primitive)] = &[
        ("Binary", Primitive::Binary),
        ("Boolean", Primitive::Boolean),
        ("Byte", Primitive::Byte),
        ("Date", Primitive::Date),
        ("DateTimeOffset", Primitive::DateTimeOffset),
        ("Decimal", Primitive::Decimal),
        ("Double", Primitive::Double),
        ("Duration", Primitive::Duration),
        ("Guid", Primitive::Guid),
        ("Int16", Primitive::Int16),
        ("Int32", Primitive::Int32),
        ("Int64", Primitive::Int64),
        ("SByte", Primitive::SByte),
        ("Single", Primitive::Single),
        ("Stream", Primitive::Stream),
        ("String", Primitive::String),
        ("TimeOfDay", Primitive::TimeOfDay),
        ("Untyped", Primitive::Untyped),
        ("PrimitiveType", Primitive::PrimitiveType),
        ("DateTime", Primitive::DateTime),
        ("Time", Primitive::Time),
    ];

    const GEO: &'static [(&'static str, GeoKind)] = &[
        ("", GeoKind::Any),
        ("Point", GeoKind::Point),
        ("LineString", GeoKind::LineString),
        ("Polygon", GeoKind::Polygon),
        ("MultiPoint", GeoKind::MultiPoint),
        ("MultiLineString", GeoKind::MultiLineString),
        ("MultiPolygon", GeoKind::MultiPolygon),
        ("Collection", GeoKind::Collection),
    ];

    /// Parses `Edm.X` (the `Edm.` prefix is required; it is case-sensitive as in CSDL).
    pub fn from_edm(name: &str) -> Option<Primitive> {
        let local = name.strip_prefix("Edm.")?;
        if let Some((_, p)) = Self::ALL_SIMPLE.iter().find(|(n, _)| *n == local) {
            return Some(*p);
        }
        if let Some(rest) = local.strip_prefix("Geography") {
            return Self::GEO
                .iter()
                .find(|(n, _)| *n == rest)
                .map(|(_, k)| Primitive::Geography(*k));
        }
        if let Some(rest) = local.strip_prefix("Geometry") {
            return Self::GEO
                .iter()
                .find(|(n, _)| *n == rest)
                .map(|(_, k)| Primitive::Geometry(*k));
        }
        None
    }

    /// The `Edm.X` name.
    pub fn edm_name(self) -> String {
        let (kind, geo) = self.local_name();
        format!("Edm.{kind}{geo}")
    }

    /// The `Edm.` local name: a name (`Int32`, `Geography`) and a geography/geometry suffix
    /// (`Point`; empty for other types). Simple names are listed in
    /// [`Primitive::ALL_SIMPLE`] too.
    fn local_name(self) -> (&'static str, &'static str) {
        match self {
            Primitive::Binary => ("Binary", ""),
            Primitive::Boolean => ("Boolean", ""),
            Primitive::Byte => ("Byte", ""),
            Primitive::Date => ("Date", ""),
            Primitive::DateTimeOffset => ("DateTimeOffset", ""),
            Primitive::Decimal => ("Decimal", ""),
            Primitive::Double => ("Double", ""),
            Primitive::Duration => ("Duration", ""),
            Primitive::Guid => ("Guid", ""),
            Primitive::Int16 => ("Int16", ""),
            Primitive::Int32 => ("Int32", ""),
            Primitive::Int64 => ("Int64", ""),
            Primitive::SByte => ("SByte", ""),
            Primitive::Single => ("Single", ""),
            Primitive::Stream => ("Stream", ""),
            Primitive::String => ("String", ""),
            Primitive::TimeOfDay => ("TimeOfDay", ""),
            Primitive::Untyped => ("Untyped", ""),
            Primitive::PrimitiveType => ("PrimitiveType", ""),
            Primitive::DateTime => ("DateTime", ""),
            Primitive::Time => ("Time", ""),
            Primitive::Geography(k) => ("Geography", Self::geo_suffix(k)),
            Primitive::Geometry(k) => ("Geometry", Self::geo_suffix(k)),
        }
    }

    fn geo_suffix(k: GeoKind) -> &'static str {
        Self::GEO
            .iter()
            .find(|(_, q)| *q == k)
            .map(|(n, _)| *n)
            .unwrap_or("")
    }

    /// Integer range of the integral types (for enum member values and defaults).
    pub fn int_range(self) -> Option<(i128, i128)> {
        Some(match self {
            Primitive::Byte => (0, 255),
            Primitive::SByte => (-128, 127),
            Primitive::Int16 => (i16::MIN as i128, i16::MAX as i128),
            Primitive::Int32 => (i32::MIN as i128, i32::MAX as i128),
            Primitive::Int64 => (i64::MIN as i128, i64::MAX as i128),
            Primitive::Binary
            | Primitive::Boolean
            | Primitive::Date
            | Primitive::DateTimeOffset
            | Primitive::Decimal
            | Primitive::Double
            | Primitive::Duration
            | Primitive::Guid
            | Primitive::Single
            | Primitive::Stream
            | Primitive::String
            | Primitive::TimeOfDay
            | Primitive::Geography(_)
            | Primitive::Geometry(_)
            | Primitive::Untyped
            | Primitive::PrimitiveType
            | Primitive::DateTime
            | Primitive::Time => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AbstractType {
    EntityType,
    ComplexType,
    AnyPath,
    /// 4.01: a path to a property or a navigation property (`Aggregation.GroupableProperties`).
    AnyPropertyPath,
    AnnotationPath,
    ModelElementPath,
    NavigationPropertyPath,
    PropertyPath,
    FunctionPath,
}

impl AbstractType {
    pub fn from_edm(name: &str) -> Option<AbstractType> {
        Some(match name.strip_prefix("Edm.")? {
            "EntityType" => AbstractType::EntityType,
            "ComplexType" => AbstractType::ComplexType,
            "AnyPath" => AbstractType::AnyPath,
            "AnyPropertyPath" => AbstractType::AnyPropertyPath,
            "AnnotationPath" => AbstractType::AnnotationPath,
            "ModelElementPath" => AbstractType::ModelElementPath,
            "NavigationPropertyPath" => AbstractType::NavigationPropertyPath,
            "PropertyPath" => AbstractType::PropertyPath,
            "FunctionPath" => AbstractType::FunctionPath,
            _ => return None,
        })
    }
}

/// Type facets as written. `None` means absent (the CSDL default applies).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    pub nullable: Option<bool>,
    pub max_length: Option<MaxLength>,
    pub precision: Option<u32>,
    pub scale: Option<Scale>,
    pub srid: Option<Srid>,
    pub unicode: Option<bool>,
    /// V2/V3 `FixedLength`.
    pub fixed_length: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaxLength {
    Max,
    Value(u64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Value(u32),
    Variable,
    Floating,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Srid {
    Value(u32),
    Variable,
}

#[derive(Clone, Debug)]
pub struct Property {
    pub name: String,
    /// The structured type that declares it.
    pub owner: TypeId,
    pub ty: TypeRef,
    pub facets: Facets,
    pub default_value: Option<String>,
    /// V2/V3 `ConcurrencyMode="Fixed"` (V4 expresses this as `Core.OptimisticConcurrency`).
    pub concurrency_fixed: bool,
    pub loc: Loc,
    pub extras: Extras,
    /// Rust field name (assigned by [`resolve`]); unique among the fields of every struct that includes it.
    pub rust_name: String,
}

#[derive(Clone, Debug)]
pub struct NavigationProperty {
    pub name: String,
    pub owner: TypeId,
    /// Target entity type (a collection for to-many).
    pub ty: TypeRef,
    pub nullable: Option<bool>,
    pub partner_name: Option<String>,
    pub contains_target: bool,
    pub on_delete: Option<OnDelete>,
    pub referential_constraints: Vec<ReferentialConstraint>,
    /// V2/V3 `Relationship`, `FromRole`, `ToRole` as written.
    pub association: Option<AssociationRef>,
    pub loc: Loc,
    pub extras: Extras,
    /// Resolved partner (V4 `Partner`, or the other end of a V2/V3 association).
    pub partner: Option<NavId>,
    pub rust_name: String,
}

#[derive(Clone, Debug)]
pub struct AssociationRef {
    pub relationship: String,
    pub from_role: String,
    pub to_role: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnDelete {
    /// `Cascade`, `None`, `SetNull`, `SetDefault` (V2/V3 `Cascade` / `None` on association ends).
    pub action: String,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReferentialConstraint {
    pub property: String,
    pub referenced_property: String,
    pub loc: Loc,
    pub extras: Extras,
}

/// A V2/V3 association as read, kept for round trips and diagnostics.
#[derive(Clone, Debug)]
pub struct Association {
    pub name: String,
    pub schema: SchemaId,
    pub ends: Vec<AssociationEnd>,
    /// Principal role, dependent role, and (principal property, dependent property) pairs.
    #[allow(clippy::type_complexity)]
    pub constraint: Option<(String, String, Vec<(String, String)>)>,
    pub loc: Loc,
    pub extras: Extras,
}

#[derive(Clone, Debug)]
pub struct AssociationEnd {
    pub role: String,
    pub ty: String,
    /// `1`, `0..1` or `*`.
    pub multiplicity: String,
    pub on_delete: Option<OnDelete>,
    pub loc: Loc,
}

/// A V2/V3 `AssociationSet` as read, kept for round trips and diagnostics.
#[derive(Clone, Debug)]
pub struct AssociationSet {
    pub name: String,
    pub container: ContainerId,
    /// `Association` as written (qualified name).
    pub association: String,
    pub ends: Vec<AssociationSetEnd>,
    pub loc: Loc,
    pub extras: Extras,
}

#[derive(Clone, Debug)]
pub struct AssociationSetEnd {
    pub entity_set: String,
    /// `Role` as written; optional in CSDL when the ends are in association order.
    pub role: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationKind {
    Action,
    Function,
}

#[derive(Clone, Debug)]
pub struct Operation {
    pub kind: OperationKind,
    pub name: String,
    pub schema: SchemaId,
    pub is_bound: bool,
    pub entity_set_path: Option<String>,
    pub is_composable: bool,
    /// Parameters in order; for a bound operation the first is the binding parameter.
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    /// Where a V2/V3 `FunctionImport` came from; `None` for V4 `Action`/`Function`.
    pub function_import: Option<FunctionImportOrigin>,
    pub loc: Loc,
    pub extras: Extras,
    pub rust_name: String,
}

#[derive(Clone, Debug)]
pub struct FunctionImportOrigin {
    /// `m:HttpMethod` as written.
    pub http_method: Option<String>,
    pub is_side_effecting: Option<bool>,
    pub is_bindable: Option<bool>,
    /// `EntitySet` of the import (the set the result belongs to).
    pub entity_set: Option<String>,
    pub container: ContainerId,
}

#[derive(Clone, Debug)]
pub struct Parameter {
    pub name: String,
    pub ty: TypeRef,
    pub facets: Facets,
    /// V2/V3 `Mode` (`In`, `Out`, `InOut`).
    pub mode: Option<String>,
    pub loc: Loc,
    pub extras: Extras,
    pub rust_name: String,
}

#[derive(Clone, Debug)]
pub struct ReturnType {
    pub ty: TypeRef,
    pub facets: Facets,
    pub loc: Loc,
    pub extras: Extras,
}

#[derive(Clone, Debug, Default)]
pub struct EntityContainer {
    pub name: String,
    pub schema: SchemaId,
    pub extends_name: Option<String>,
    pub extends: Option<ContainerId>,
    /// V2/V3 `m:IsDefaultEntityContainer`.
    pub is_default: Option<bool>,
    pub entity_sets: Vec<EntitySet>,
    pub singletons: Vec<Singleton>,
    pub action_imports: Vec<OperationImport>,
    pub function_imports: Vec<OperationImport>,
    pub loc: Loc,
    pub extras: Extras,
}

#[derive(Clone, Debug)]
pub struct EntitySet {
    pub name: String,
    /// Entity type (V4 `EntityType`, V2/V3 `EntityType`).
    pub ty: TypeRef,
    pub include_in_service_document: Option<bool>,
    pub bindings: Vec<NavigationPropertyBinding>,
    pub loc: Loc,
    pub extras: Extras,
    pub rust_name: String,
}

#[derive(Clone, Debug)]
pub struct Singleton {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: Option<bool>,
    pub bindings: Vec<NavigationPropertyBinding>,
    pub loc: Loc,
    pub extras: Extras,
    pub rust_name: String,
}

#[derive(Clone, Debug)]
pub struct NavigationPropertyBinding {
    pub path: String,
    pub target: String,
    pub loc: Loc,
}

/// An `ActionImport` or `FunctionImport` (V4), or the import side of a lowered V2/V3 `FunctionImport`.
#[derive(Clone, Debug)]
pub struct OperationImport {
    pub name: String,
    /// `Action` / `Function` attribute as written (qualified operation name).
    pub operation_name: String,
    pub entity_set: Option<String>,
    pub include_in_service_document: Option<bool>,
    pub loc: Loc,
    pub extras: Extras,
    /// The overloads the import names (resolved).
    pub operations: Vec<OperationId>,
    pub rust_name: String,
}

#[derive(Clone, Debug)]
pub struct Term {
    pub name: String,
    pub schema: SchemaId,
    pub ty: TypeRef,
    pub facets: Facets,
    pub base_term: Option<String>,
    pub default_value: Option<String>,
    /// `AppliesTo`, split on whitespace.
    pub applies_to: Vec<String>,
    pub loc: Loc,
    pub extras: Extras,
}

/// An external `<Annotations Target="...">` block.
#[derive(Clone, Debug)]
pub struct AnnotationsBlock {
    pub target: String,
    pub qualifier: Option<String>,
    pub schema: SchemaId,
    pub annotations: Vec<Annotation>,
    pub loc: Loc,
    /// What the target names, when it names a node of the model.
    pub resolved: Option<NodeRef>,
}

/// A model node an annotation can target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeRef {
    Schema(SchemaId),
    Type(TypeId),
    Property(PropertyId),
    Navigation(NavId),
    Member(TypeId, u32),
    /// All overloads of an operation share external annotations targeting the unqualified name.
    Operation(OperationId),
    Parameter(OperationId, u32),
    ReturnType(OperationId),
    Container(ContainerId),
    EntitySet(ContainerId, u32),
    Singleton(ContainerId, u32),
    ActionImport(ContainerId, u32),
    FunctionImport(ContainerId, u32),
    Term(TermId),
}

/// `<Annotation Term="..." Qualifier="...">` (V4) or V3 `<ValueAnnotation>` / `<TypeAnnotation>`.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    /// Term as written (alias-qualified or namespace-qualified).
    pub term: String,
    pub qualifier: Option<String>,
    /// `None` when the annotation has no value (the term's default applies, `true` for Tag terms).
    pub value: Option<Expr>,
    /// Annotations of the annotation.
    pub annotations: Vec<Annotation>,
    pub loc: Loc,
}

/// A CSDL expression, in either attribute or element notation.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `Binary`, `Bool`, `Date`, `DateTimeOffset`, `Decimal`, `Duration`, `EnumMember`, `Float`,
    /// `Guid`, `Int`, `String`, `TimeOfDay` constants, with their text as written.
    Constant(ConstKind, String),
    /// `AnnotationPath`, `ModelElementPath`, `NavigationPropertyPath`, `PropertyPath`, `Path`.
    Path(PathKind, String),
    Null,
    Record {
        ty: Option<String>,
        properties: Vec<PropertyValue>,
        annotations: Vec<Annotation>,
    },
    Collection(Vec<Expr>),
    /// Every other element form (`Apply`, `Cast`, `IsOf`, `If`, `Eq`, `And`, `Not`, `LabeledElement`,
    /// `LabeledElementReference`, `UrlRef`, ...), kept generically and losslessly.
    Element {
        name: String,
        attributes: Vec<(String, String)>,
        children: Vec<Expr>,
        annotations: Vec<Annotation>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConstKind {
    Binary,
    Bool,
    Date,
    DateTimeOffset,
    Decimal,
    Duration,
    EnumMember,
    Float,
    Guid,
    Int,
    String,
    TimeOfDay,
}

impl ConstKind {
    pub const ALL: &'static [(&'static str, ConstKind)] = &[
        ("Binary", ConstKind::Binary),
        ("Bool", ConstKind::Bool),
        ("Date", ConstKind::Date),
        ("DateTimeOffset", ConstKind::DateTimeOffset),
        ("Decimal", ConstKind::Decimal),
        ("Duration", ConstKind::Duration),
        ("EnumMember", ConstKind::EnumMember),
        ("Float", ConstKind::Float),
        ("Guid", ConstKind::Guid),
        ("Int", ConstKind::Int),
        ("String", ConstKind::String),
        ("TimeOfDay", ConstKind::TimeOfDay),
    ];
    pub fn from_name(n: &str) -> Option<ConstKind> {
        Self::ALL.iter().find(|(s, _)| *s == n).map(|(_, k)| *k)
    }
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(s, _)| *s)
            .expect("listed")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathKind {
    AnnotationPath,
    ModelElementPath,
    NavigationPropertyPath,
    PropertyPath,
    Path,
}

impl PathKind {
    pub const ALL: &'static [(&'static str, PathKind)] = &[
        ("AnnotationPath", PathKind::AnnotationPath),
        ("ModelElementPath", PathKind::ModelElementPath),
        ("NavigationPropertyPath", PathKind::NavigationPropertyPath),
        ("PropertyPath", PathKind::PropertyPath),
        ("Path", PathKind::Path),
    ];
    pub fn from_name(n: &str) -> Option<PathKind> {
        Self::ALL.iter().find(|(s, _)| *s == n).map(|(_, k)| *k)
    }
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(s, _)| *s)
            .expect("listed")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PropertyValue {
    pub property: String,
    pub value: Option<Expr>,
    pub annotations: Vec<Annotation>,
    pub loc: Loc,
}

impl Model {
    pub fn type_ids(&self) -> impl Iterator<Item = TypeId> + use<> {
        (0..self.types.len() as u32).map(TypeId)
    }

    /// The type definitions whose underlying type is `Edm.Decimal`: with `Edm.Decimal` itself,
    /// the types `Scale` applies to (CSDL: a decimal's digits to the right of the point; written
    /// on a temporal type by some services, where it means nothing). See [`scale_applies`].
    pub fn decimal_definitions(&self) -> Vec<TypeId> {
        self.type_ids()
            .filter(|&t| {
                matches!(&self[t].kind, TypeKind::Definition(d)
                    if d.underlying.target == TypeTarget::Primitive(Primitive::Decimal))
            })
            .collect()
    }

    /// Qualified name `Namespace.Name` of a type.
    pub fn qualified_name(&self, t: TypeId) -> String {
        let ty = &self[t];
        format!("{}.{}", self[ty.schema].namespace, ty.name)
    }

    /// The base-type chain of `t`, from `t` itself up to the root. Stops on a cycle
    /// (validation reports cycles).
    pub fn ancestry(&self, t: TypeId) -> Vec<TypeId> {
        let mut chain = vec![t];
        let mut cur = t;
        while let Some(b) = self[cur].structured().and_then(|s| s.base) {
            // More links than types: a cycle (resolution breaks them, so this is a model built
            // some other way). Keep the chain up to its first repeat. Not a `contains` per link:
            // that made a chain of thousands of bases cubic over all types.
            if chain.len() > self.types.len() {
                let mut seen = vec![false; self.types.len()];
                let end = chain
                    .iter()
                    .position(|a| std::mem::replace(&mut seen[a.0 as usize], true))
                    .unwrap_or(chain.len());
                chain.truncate(end);
                break;
            }
            chain.push(b);
            cur = b;
        }
        chain
    }

    /// Structural properties of `t` including inherited ones, base-most first.
    pub fn all_properties(&self, t: TypeId) -> Vec<PropertyId> {
        let mut out = Vec::new();
        for a in self.ancestry(t).into_iter().rev() {
            if let Some(s) = self[a].structured() {
                out.extend(s.properties.iter().copied());
            }
        }
        out
    }

    /// Navigation properties of `t` including inherited ones, base-most first.
    pub fn all_navigations(&self, t: TypeId) -> Vec<NavId> {
        let mut out = Vec::new();
        for a in self.ancestry(t).into_iter().rev() {
            if let Some(s) = self[a].structured() {
                out.extend(s.navigations.iter().copied());
            }
        }
        out
    }

    /// All types derived from `t`, transitively, in a deterministic order (depth-first, declaration order).
    pub fn all_derived(&self, t: TypeId) -> Vec<TypeId> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut stack: Vec<TypeId> = self[t]
            .structured()
            .map(|s| s.derived.iter().rev().copied().collect())
            .unwrap_or_default();
        while let Some(d) = stack.pop() {
            if d == t || !seen.insert(d) {
                continue;
            }
            out.push(d);
            if let Some(s) = self[d].structured() {
                stack.extend(s.derived.iter().rev().copied());
            }
        }
        out
    }

    /// Full namespace of a term or type name's qualifier, resolving aliases of schemas and includes.
    pub fn resolve_namespace<'a>(&'a self, qualifier: &'a str) -> &'a str {
        if let Some(s) = self.namespaces.get(qualifier) {
            return &self[*s].namespace;
        }
        if let Some(ns) = self.included.get(qualifier) {
            return ns;
        }
        qualifier
    }

    /// The term of an annotation with its namespace resolved (`Core.Description` →
    /// `Org.OData.Core.V1.Description`).
    pub fn term_full_name(&self, term: &str) -> String {
        match term.rsplit_once('.') {
            Some((q, n)) => format!("{}.{}", self.resolve_namespace(q), n),
            None => term.to_string(),
        }
    }

    /// Annotations of a node: inline ones first, then external ones targeting it.
    pub fn annotations_of<'a>(
        &'a self,
        node: NodeRef,
        inline: &'a [Annotation],
    ) -> Vec<&'a Annotation> {
        let mut out: Vec<&Annotation> = inline.iter().collect();
        if let Some(ext) = self.external.get(&node) {
            for (b, i) in ext {
                out.push(&self[*b].annotations[*i]);
            }
        }
        out
    }

    /// A string-valued annotation of `term` (full name) without qualifier.
    pub fn string_annotation(
        &self,
        node: NodeRef,
        inline: &[Annotation],
        term: &str,
    ) -> Option<String> {
        self.annotations_of(node, inline).into_iter().find_map(|a| {
            if a.qualifier.is_some() || self.term_full_name(&a.term) != term {
                return None;
            }
            match &a.value {
                Some(Expr::Constant(ConstKind::String, s)) => Some(s.clone()),
                _ => None,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_primitive_names_agree() {
        for (name, p) in Primitive::ALL_SIMPLE {
            assert_eq!(p.local_name(), (*name, ""));
            assert_eq!(Primitive::from_edm(&p.edm_name()), Some(*p));
        }
        let mut names: Vec<&str> = Primitive::ALL_SIMPLE.iter().map(|(n, _)| *n).collect();
        names.sort();
        names.dedup();
        assert_eq!(
            names.len(),
            Primitive::ALL_SIMPLE.len(),
            "a name listed twice"
        );
        for k in Primitive::GEO.iter().map(|(_, k)| *k) {
            for p in [Primitive::Geography(k), Primitive::Geometry(k)] {
                assert_eq!(Primitive::from_edm(&p.edm_name()), Some(p));
            }
        }
    }
}
