//! Table-driven (de)serialization of entity and complex types.
//!
//! A generated struct implements [`Structured`]: a static [`StructInfo`]
//! plus [`Structured::field`], one plain `match` over the field index that
//! reading, writing, cloning and comparing go through. [`de_struct`],
//! [`ser_struct`], [`clone_struct`] and [`eq_struct`] do the rest once,
//! generically.

use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::{self, SerializeMap};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::Version;
use crate::codec::{Codec, Nullable, SerializeWith};

/// Static description of a generated structured type.
#[derive(Debug)]
pub struct StructInfo {
    /// Namespace-qualified EDM name, e.g. `microsoft.graph.user`.
    pub name: &'static str,
    /// Wire names of the declared properties, in field order.
    pub fields: &'static [&'static str],
    /// Indices into `fields`, ordered by wire name (byte order), so lookups
    /// are a binary search without a hash map per type.
    pub sorted: &'static [u16],
    /// Whether the type is an `OpenType` (dynamic properties allowed).
    pub open: bool,
    /// Protocol version of the service the type comes from.
    pub version: Version,
    /// The byte offset of the type's [`Extra`] field,
    /// `::core::mem::offset_of!(Self, extra)` (see the safety section of [`Structured`]).
    pub extra: usize,
    /// Whether this is an entity type: a value read from a payload remembers
    /// what it was, so that an update sends only what changed.
    pub entity: bool,
    /// Indices (into `fields`, ascending) of the read-only properties
    /// (`Core.Computed`, or `Core.Permissions` `Read`): set by the service,
    /// left out of create and update bodies.
    pub read_only: &'static [u16],
    /// Indices (ascending) of the `Core.Immutable` properties: written when
    /// creating, left out of update bodies.
    pub immutable: &'static [u16],
    /// Indices (ascending) of the navigation properties: never written in
    /// update bodies.
    pub navigation: &'static [u16],
}

impl StructInfo {
    /// The index (into `fields`) of the property with wire name `key`.
    pub fn lookup(&self, key: &str) -> Option<usize> {
        self.sorted
            .binary_search_by(|&i| self.fields[usize::from(i)].cmp(key))
            .ok()
            .map(|p| usize::from(self.sorted[p]))
    }

    /// Checks that `sorted` is a permutation of the field indices in wire
    /// name order; meant for tests of generated code.
    pub fn validate(&self) -> Result<(), String> {
        if self.sorted.len() != self.fields.len() {
            return Err(format!("{}: `sorted` has the wrong length", self.name));
        }
        let mut seen = vec![false; self.fields.len()];
        for &i in self.sorted {
            let i = usize::from(i);
            if i >= self.fields.len() || std::mem::replace(&mut seen[i], true) {
                return Err(format!("{}: `sorted` is not a permutation", self.name));
            }
        }
        for w in self.sorted.windows(2) {
            if self.fields[usize::from(w[0])] >= self.fields[usize::from(w[1])] {
                return Err(format!(
                    "{}: `sorted` is not in byte order at `{}`",
                    self.name,
                    self.fields[usize::from(w[1])]
                ));
            }
        }
        Ok(())
    }
}

/// Everything in a payload that is not a declared, non-null property.
///
/// Kept so that writing a value back loses nothing.
#[derive(Clone, Debug, Default)]
pub struct Extra {
    /// Instance and property annotations (`@odata.etag`,
    /// `displayName@odata.type`, V3 `odata.metadata`, V2 `__metadata`), in
    /// the order read.
    pub annotations: Vec<(String, Value)>,
    /// Dynamic properties of open types, and properties unknown to this
    /// crate version. A dynamic property whose value is `Value::Null` is
    /// written as an explicit `null`.
    pub dynamic: serde_json::Map<String, Value>,
    /// Declared properties that were (or are to be written as) an explicit
    /// `null`.
    nulls: Vec<&'static str>,
    /// V2/V3 verbose JSON: navigation properties that were not expanded
    /// (`{"__deferred": {"uri": …}}`), with the content of `__deferred`.
    deferred: Vec<(&'static str, Value)>,
    /// V2/V3 verbose JSON: collection-valued properties that came wrapped as
    /// `{"results": […], "__count": …, "__next": …}`, with the members
    /// other than `results` (written back the same way).
    wrapped: Vec<(&'static str, serde_json::Map<String, Value>)>,
    /// What the properties were when the value was read (entity types
    /// only): an update sends only what changed since.
    origin: Option<Box<Origin>>,
}

/// Equal when the data is equal: where a value came from (its read state)
/// does not count.
impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.annotations == other.annotations
            && self.dynamic == other.dynamic
            && self.nulls == other.nulls
            && self.deferred == other.deferred
            && self.wrapped == other.wrapped
    }
}

/// The fingerprints of a value's properties as read.
#[derive(Clone, Debug, Default)]
struct Origin {
    /// `(field index, fingerprint)` of the declared properties that were
    /// present (a value or `null`), by index.
    fields: Vec<(u16, u64)>,
    /// Fingerprints of the dynamic properties (name and value), sorted.
    dynamic: Vec<u64>,
}

impl Extra {
    /// Marks a declared property `name` to be written as an explicit `null`
    /// when its field is `None`. Generated code and [`Structured::set_null`]
    /// call it with names checked at compile time.
    pub(crate) fn mark_null(&mut self, name: &'static str) {
        if !self.is_null(name) {
            self.nulls.push(name);
        }
    }

    /// The declared properties marked as explicit `null`, in the order
    /// marked (or read).
    pub fn nulls(&self) -> &[&'static str] {
        &self.nulls
    }

    /// Whether `name` is marked as an explicit `null`.
    pub fn is_null(&self, name: &str) -> bool {
        self.nulls.contains(&name)
    }

    /// Removes the explicit-`null` mark of `name`.
    pub fn clear_null(&mut self, name: &str) {
        self.nulls.retain(|n| *n != name);
    }

    /// The value of the first annotation with exactly this key.
    pub fn annotation(&self, key: &str) -> Option<&Value> {
        self.annotations
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Sets (replacing) or adds an annotation.
    pub fn set_annotation(&mut self, key: impl Into<String>, value: Value) {
        let key = key.into();
        match self.annotations.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.annotations.push((key, value)),
        }
    }

    /// The type tag as written (`@odata.type`, `odata.type` or
    /// `__metadata.type`), without any processing.
    pub fn odata_type(&self) -> Option<&str> {
        self.tagged("type")
    }

    /// The entity tag (`@odata.etag`, `odata.etag` or `__metadata.etag`).
    pub fn etag(&self) -> Option<&str> {
        self.tagged("etag")
    }

    /// Replaces the entity tag, where the value keeps it; a value without
    /// one gets it as `version` writes it (`@odata.etag`, `odata.etag`,
    /// `__metadata.etag`).
    pub(crate) fn set_etag(&mut self, version: Version, tag: &str) {
        let tagged = self.annotations.iter_mut().find(|(k, v)| {
            k.strip_prefix('@').unwrap_or(k) == "odata.etag"
                || (k == "__metadata" && v.get("etag").is_some())
        });
        match tagged {
            Some((k, Value::Object(meta))) if k == "__metadata" => {
                meta.insert("etag".into(), tag.into());
            }
            Some((_, v)) => *v = tag.into(),
            None => match version {
                Version::V2 => match self.annotations.iter_mut().find(|(k, _)| k == "__metadata") {
                    Some((_, Value::Object(meta))) => {
                        meta.insert("etag".into(), tag.into());
                    }
                    _ => self.set_annotation("__metadata", serde_json::json!({ "etag": tag })),
                },
                Version::V3 => self.set_annotation("odata.etag", tag.into()),
                Version::V4 => self.set_annotation("@odata.etag", tag.into()),
            },
        }
    }

    /// The URL of the entity as the service gave it (V4 `@odata.id` or
    /// `@odata.editLink`, V3 `odata.id`/`odata.editLink`, V2
    /// `__metadata.uri`), absolute or relative to the service root.
    pub fn entity_url(&self) -> Option<&str> {
        self.tagged("editLink")
            .or_else(|| self.tagged("id"))
            .or_else(|| self.tagged("uri"))
    }

    /// The link of a navigation property that was not expanded, where the
    /// service sent one: V2/V3 verbose `{"__deferred": {"uri": …}}`, V3
    /// `name@odata.navigationLinkUrl`, V4 `name@odata.navigationLink`.
    pub fn navigation_link(&self, name: &str) -> Option<&str> {
        if let Some((_, d)) = self.deferred.iter().find(|(n, _)| *n == name) {
            return d.get("uri").and_then(Value::as_str);
        }
        self.annotations.iter().find_map(|(k, v)| {
            let (prop, term) = k.split_once('@')?;
            let hit =
                prop == name && matches!(term, "odata.navigationLink" | "odata.navigationLinkUrl");
            if hit { v.as_str() } else { None }
        })
    }

    /// The members other than `results` of a V2/V3 verbose collection
    /// wrapper a property came in (`__count`, `__next` of an expanded
    /// collection).
    pub fn collection_wrapper(&self, name: &str) -> Option<&serde_json::Map<String, Value>> {
        self.wrapped
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| m)
    }

    fn deferred_of(&self, name: &str) -> Option<&Value> {
        self.deferred
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    fn tagged(&self, what: &str) -> Option<&str> {
        self.annotations.iter().find_map(|(k, v)| {
            let hit = match k.strip_prefix('@').unwrap_or(k).strip_prefix("odata.") {
                Some(rest) => rest == what,
                None if k == "__metadata" => {
                    let key = if what == "editLink" { "uri" } else { what };
                    return v.get(key)?.as_str();
                }
                None => false,
            };
            if hit { v.as_str() } else { None }
        })
    }
}

/// A generated entity or complex type.
///
/// Implemented by generated code; see the crate docs for the shape.
///
/// # Safety
///
/// `INFO.extra` must be the byte offset of a field of type [`Extra`] in `Self`
/// (`::core::mem::offset_of!(Self, extra)`), so `INFO` must describe `Self` itself, never be
/// another type's (`const INFO = Base::INFO;` is wrong): [`Structured::extra`] and
/// [`Structured::extra_mut`] read it there. An offset, not two methods per type, because a
/// large crate has thousands of these types and every function body costs the compiler time
/// and memory (issue 14); in the description, not a constant of its own, for the same reason:
/// every associated constant is an item with a body to check.
///
/// [`Structured::field`] must hand `op` nothing but pointers to fields of `*this` made with
/// `&raw mut (*this).name` (so `Self` must not be `#[repr(packed)]`: the pointers must be
/// aligned), each of the type the call names (`Option<T>` for [`FieldOp::plain`],
/// `Option<C::Value>` for [`FieldOp::codec::<C>`](FieldOp::codec)), at most one per call; and
/// must neither read nor write through `this`, nor make a reference to `*this` or any of its
/// fields (`this` may come from a shared reference, which allows reading only).
pub unsafe trait Structured: Default + Sized {
    /// The static description of the type.
    const INFO: &'static StructInfo;
    /// The kept annotations, dynamic properties and explicit nulls.
    #[inline]
    fn extra(&self) -> &Extra {
        // SAFETY: the implementation promises a field of type `Extra` at this offset; the
        // reference borrows `self`.
        unsafe {
            &*std::ptr::from_ref(self)
                .cast::<u8>()
                .add(Self::INFO.extra)
                .cast::<Extra>()
        }
    }
    /// Mutable access to [`Structured::extra`].
    #[inline]
    fn extra_mut(&mut self) -> &mut Extra {
        // SAFETY: as for `extra`, with `self` borrowed mutably.
        unsafe {
            &mut *std::ptr::from_mut(self)
                .cast::<u8>()
                .add(Self::INFO.extra)
                .cast::<Extra>()
        }
    }
    /// Applies `op` to field `index` of `*this`: the one `match` over the fields a generated
    /// type has, which [`Structured::read_field`], [`Structured::write_field`],
    /// [`clone_struct`] and [`eq_struct`] go through (one generic function per type rather than
    /// four: issue 14).
    ///
    /// An implementation calls, for the field with wire name `INFO.fields[index]`,
    /// `op.plain(&raw mut (*this).name)` or, for a field read and written through a codec `C`,
    /// `op.codec::<C>(&raw mut (*this).name)`; for any other index, `op.unknown()` (what else
    /// it must and must not do: the trait's `# Safety`). `this` is a `*mut` for the reader's
    /// sake: for the writer it comes from `&self`.
    ///
    /// # Safety
    ///
    /// `this` must point to a valid, aligned `Self`. If `op` only reads (the writer behind
    /// [`Structured::write_field`], [`clone_struct`] and [`eq_struct`]), `*this` must be valid
    /// for reads and not be mutated during the call, as for a `&Self`; if it writes (the reader
    /// behind [`Structured::read_field`]), `*this` must be valid for reads and writes and not be
    /// accessed during the call but through the pointers given to `op`, as for a `&mut Self`.
    unsafe fn field<O: FieldOp>(
        this: *mut Self,
        index: usize,
        op: &mut O,
    ) -> Result<bool, O::Error>;
    /// Reads the value of field `index` from `map`; `Ok(true)` if it was
    /// `null`.
    #[inline]
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        // SAFETY: a unique borrow of `self`, valid for reads and writes for the call.
        unsafe { Self::field(self, index, &mut FieldReader(map, PhantomData)) }
    }
    /// Writes field `index` under `name` if it has a value; `Ok(true)` if
    /// an entry was written.
    #[inline]
    fn write_field<M: SerializeMap>(
        &self,
        index: usize,
        name: &'static str,
        map: &mut M,
    ) -> Result<bool, M::Error> {
        // SAFETY: `self` is valid for reads and not mutated for the call (a shared borrow),
        // and `FieldWriter` only reads through the pointers it is given.
        unsafe {
            Self::field(
                std::ptr::from_ref(self).cast_mut(),
                index,
                &mut FieldWriter { map, name },
            )
        }
    }

    /// Marks a property to be written as an explicit `null` (to clear it in
    /// an update); its field is set to `None`. Only nullable, single-valued
    /// properties of this type or a base type are accepted:
    /// `user.set_null(User::JOB_TITLE)`.
    /// A navigation property is only cleared here: updates never write
    /// navigation properties (remove a link with `reference().delete()`).
    /// `false` (and nothing changed) for what is not a property of this
    /// type: a nested path built with `then`, or an expression.
    fn set_null<B, T>(&mut self, property: crate::filter::Prop<B, T>) -> bool
    where
        Self: crate::resource::IsA<B>,
        T: crate::filter::Nullable,
    {
        let Some(i) = property.plain_name().and_then(|n| Self::INFO.lookup(n)) else {
            return false;
        };
        set_null_at(self, i);
        true
    }

    /// [`Structured::set_null`] by wire name (`user.set_null_by_name("jobTitle")`), for a crate
    /// generated without property constants (`--no-builders`) or a name known only at run
    /// time. `false`, and nothing changed, if neither this type nor a base type declares the
    /// property. The name is checked, not what the property can hold: a `Nullable="false"` or
    /// collection property is marked too, and the service will refuse that `null`. A dynamic
    /// property of an open type is not declared (`false`): put `null` in `extra.dynamic`.
    fn set_null_by_name(&mut self, name: &str) -> bool {
        let Some(i) = Self::INFO.lookup(name) else {
            return false;
        };
        set_null_at(self, i);
        true
    }

    /// The wire names of the declared properties an update would send for
    /// this value: those changed since it was read (set, changed, or
    /// cleared), or for a value not read from a payload every property that
    /// is set or marked `null`. Read-only, immutable and navigation
    /// properties are never sent and not listed.
    fn changed_properties(&self) -> Vec<&'static str> {
        let extra = self.extra();
        let _data = PurposeGuard::set(Purpose::Data);
        (0..Self::INFO.fields.len())
            .filter(|&i| !left_out::<Self>(Purpose::Update, i))
            .filter(|&i| field_changed(self, extra, i))
            .map(|i| Self::INFO.fields[i])
            .collect()
    }

    /// Makes the current state the baseline for change tracking (after a
    /// successful update, say): an update then sends only what changes
    /// from here on.
    fn mark_unchanged(&mut self) {
        let origin = origin_of(self, Self::INFO.fields.len(), |_| true);
        self.extra_mut().origin = Some(Box::new(origin));
    }

    /// Sets the entity tag that [`update`](crate::EntityResource::update),
    /// [`replace`](crate::EntityResource::replace) and
    /// [`delete_entity`](crate::EntityResource::delete_entity) send as
    /// `If-Match`, where this value keeps it (V4 `@odata.etag`, V3
    /// `odata.etag`, V2 `__metadata.etag`).
    fn set_etag(&mut self, tag: &str) {
        self.extra_mut().set_etag(Self::INFO.version, tag);
    }

    /// Forgets the read state: an update then sends every property that is
    /// set or marked `null` (as for a value built by hand).
    fn forget_origin(&mut self) {
        self.extra_mut().origin = None;
    }
}

/// A one-entry map access over an owned JSON value, to read one field from
/// a value that was buffered (V2/V3 verbose JSON) or to clear a field.
struct NullField(Option<Value>);

impl<'de> MapAccess<'de> for NullField {
    type Error = serde_json::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        _: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        Ok(None)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        seed.deserialize(self.0.take().unwrap_or(Value::Null))
    }
}

/// [`NullField`] with the error type of the map being read.
struct Buffered<E>(Option<Value>, PhantomData<E>);

impl<'de, E: de::Error> MapAccess<'de> for Buffered<E> {
    type Error = E;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, _: K) -> Result<Option<K::Value>, E> {
        Ok(None)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, E> {
        seed.deserialize(self.0.take().unwrap_or(Value::Null))
            .map_err(E::custom)
    }
}

mod sealed {
    pub trait Sealed {}
}

/// What [`Structured::field`] does to a field: read it from a map ([`Structured::read_field`]),
/// write it to one ([`Structured::write_field`]), clone it ([`clone_struct`]) or compare it
/// ([`eq_struct`]). Implemented in this crate only.
pub trait FieldOp: sealed::Sealed {
    /// The error of the map read or written.
    type Error;
    /// The field at `field`, read and written with serde.
    ///
    /// # Safety
    ///
    /// `field` must point to a valid, aligned value, a field of the value
    /// [`Structured::field`] was given (the ops that clone and compare find the same field of
    /// another value by its offset from that one). If this op only reads (the writer, the
    /// cloner's source, the comparison), it must be valid for reads and not be mutated during
    /// the call; if it writes (the reader), valid for reads and writes and not accessed
    /// otherwise during the call.
    unsafe fn plain<T: Serialize + de::DeserializeOwned + Clone + PartialEq>(
        &mut self,
        field: *mut Option<T>,
    ) -> Result<bool, Self::Error>;
    /// The field at `field`, read and written through the codec `C`.
    ///
    /// # Safety
    ///
    /// As for [`FieldOp::plain`].
    unsafe fn codec<C: Codec>(&mut self, field: *mut Option<C::Value>) -> Result<bool, Self::Error>
    where
        C::Value: Clone + PartialEq;
    /// An index that is no field: the value is skipped (reading), nothing is written.
    fn unknown(&mut self) -> Result<bool, Self::Error>;
}

/// Reads a field's value from a map: [`read`], [`read_as`], [`skip`].
struct FieldReader<'m, 'de, A>(&'m mut A, PhantomData<&'de ()>);

impl<A> sealed::Sealed for FieldReader<'_, '_, A> {}

impl<'de, A: MapAccess<'de>> FieldOp for FieldReader<'_, 'de, A> {
    type Error = A::Error;
    #[inline]
    unsafe fn plain<T: Serialize + de::DeserializeOwned + Clone + PartialEq>(
        &mut self,
        field: *mut Option<T>,
    ) -> Result<bool, A::Error> {
        // SAFETY: valid, aligned, for reads and writes, and not accessed otherwise (the
        // caller's contract for an op that writes).
        read(self.0, unsafe { &mut *field })
    }
    #[inline]
    unsafe fn codec<C: Codec>(&mut self, field: *mut Option<C::Value>) -> Result<bool, A::Error>
    where
        C::Value: Clone + PartialEq,
    {
        // SAFETY: as in `plain`.
        read_as::<C, A>(self.0, unsafe { &mut *field })
    }
    #[inline]
    fn unknown(&mut self) -> Result<bool, A::Error> {
        skip(self.0)
    }
}

/// Writes a field's value, if it has one, under `name`: [`write`], [`write_as`]. Only reads
/// through the pointers it is given.
struct FieldWriter<'m, M> {
    map: &'m mut M,
    name: &'static str,
}

impl<M> sealed::Sealed for FieldWriter<'_, M> {}

impl<M: SerializeMap> FieldOp for FieldWriter<'_, M> {
    type Error = M::Error;
    #[inline]
    unsafe fn plain<T: Serialize + de::DeserializeOwned + Clone + PartialEq>(
        &mut self,
        field: *mut Option<T>,
    ) -> Result<bool, M::Error> {
        // SAFETY: valid, aligned, for reads and not mutated (the caller's contract for an op
        // that only reads); only read here.
        write(self.map, self.name, unsafe { &*field })
    }
    #[inline]
    unsafe fn codec<C: Codec>(&mut self, field: *mut Option<C::Value>) -> Result<bool, M::Error>
    where
        C::Value: Clone + PartialEq,
    {
        // SAFETY: as in `plain`.
        write_as::<C, M>(self.map, self.name, unsafe { &*field })
    }
    #[inline]
    fn unknown(&mut self) -> Result<bool, M::Error> {
        Ok(false)
    }
}

/// What [`clone_struct`] and [`eq_struct`] do with a field of one value and the same field of
/// another: [`FieldPair`]'s action.
trait PairAction {
    /// Clones `field` into `other` ([`CloneInto`]) or compares them ([`Compare`]).
    ///
    /// # Safety
    ///
    /// `other` must point to a valid, aligned `V`, not accessed otherwise during the call, and
    /// valid for writes too if the action writes ([`CloneInto`]).
    unsafe fn apply<V: Clone + PartialEq>(field: &V, other: *mut V) -> bool;
}

/// Clones the field into the other value's, dropping what that held: [`clone_struct`].
struct CloneInto;

impl PairAction for CloneInto {
    #[inline]
    unsafe fn apply<V: Clone + PartialEq>(field: &V, other: *mut V) -> bool {
        // SAFETY: valid for reads and writes, not accessed otherwise (the contract).
        unsafe { *other = field.clone() };
        true
    }
}

/// Whether the field equals the other value's: [`eq_struct`]. Only reads.
struct Compare;

impl PairAction for Compare {
    #[inline]
    unsafe fn apply<V: Clone + PartialEq>(field: &V, other: *mut V) -> bool {
        // SAFETY: valid for reads, not mutated (the contract).
        field == unsafe { &*other }
    }
}

/// Applies `A` to each field it is given, a field of the value at `base`, and the same field of
/// the value at `other`, found by its offset: [`clone_struct`] (`other` is the clone) and
/// [`eq_struct`]. Reads through the pointers it is given; writes only to `other`, another value,
/// and only if `A` does.
struct FieldPair<A> {
    base: *const u8,
    other: *mut u8,
    action: PhantomData<A>,
}

impl<A> sealed::Sealed for FieldPair<A> {}

impl<A: PairAction> FieldPair<A> {
    /// `A` on `*field` and the same field of `other`.
    ///
    /// # Safety
    ///
    /// `field` must point to a valid field of the value at `base` (so its offset from `base` is
    /// the field's offset in the type), not mutated during the call; `other` must point to a
    /// valid value of the same type, not accessed otherwise during the call, and valid for
    /// writes if `A` writes.
    #[inline]
    unsafe fn pair<V: Clone + PartialEq>(&mut self, field: *mut V) -> Result<bool, Infallible> {
        // SAFETY: `field` and `base` point into the same value (the contract).
        let at = unsafe { field.cast_const().byte_offset_from(self.base) };
        // SAFETY: `*field` is valid for reads and not mutated; the same field of the value at
        // `other` is in bounds, aligned and of type `V`, as `A` needs it (the contract).
        Ok(unsafe { A::apply(&*field, self.other.offset(at).cast::<V>()) })
    }
}

impl<A: PairAction> FieldOp for FieldPair<A> {
    type Error = Infallible;
    #[inline]
    unsafe fn plain<T: Serialize + de::DeserializeOwned + Clone + PartialEq>(
        &mut self,
        field: *mut Option<T>,
    ) -> Result<bool, Infallible> {
        // SAFETY: the caller's contract (a field of the value at `base`).
        unsafe { self.pair(field) }
    }
    #[inline]
    unsafe fn codec<C: Codec>(&mut self, field: *mut Option<C::Value>) -> Result<bool, Infallible>
    where
        C::Value: Clone + PartialEq,
    {
        // SAFETY: as in `plain`.
        unsafe { self.pair(field) }
    }
    #[inline]
    fn unknown(&mut self) -> Result<bool, Infallible> {
        Ok(false)
    }
}

/// `Clone` of a [`Structured`] type through its description instead of code per field: each
/// property and `extra` cloned into a value made by `T::default()`. What generated types use
/// (`rt::impl_structured!(T, Clone, PartialEq)`).
pub fn clone_struct<T: Structured>(v: &T) -> T {
    let mut out = T::default();
    let from = std::ptr::from_ref(v);
    let mut op = FieldPair::<CloneInto> {
        base: from.cast::<u8>(),
        other: std::ptr::from_mut(&mut out).cast::<u8>(),
        action: PhantomData,
    };
    for i in 0..T::INFO.fields.len() {
        // SAFETY: `v` is a valid `T`, shared for the call: the op only reads through the
        // pointers into it, and assigns to the same fields of `out`, another valid `T` that
        // nothing else accesses meanwhile.
        let Ok(_) = unsafe { T::field(from.cast_mut(), i, &mut op) };
    }
    *out.extra_mut() = v.extra().clone();
    out
}

/// `PartialEq` of a [`Structured`] type through its description instead of code per field:
/// equal when each property and `extra` are (equality of the typed values, so a decimal `10`
/// equals `10.0`). What generated types use (see [`clone_struct`]).
pub fn eq_struct<T: Structured>(left: &T, right: &T) -> bool {
    let l = std::ptr::from_ref(left);
    let mut op = FieldPair::<Compare> {
        base: l.cast::<u8>(),
        other: std::ptr::from_ref(right).cast_mut().cast::<u8>(),
        action: PhantomData,
    };
    (0..T::INFO.fields.len()).all(|i| {
        // SAFETY: `left` and `right` are valid `T`s, shared for the call; `Compare` only reads.
        let Ok(equal) = unsafe { T::field(l.cast_mut(), i, &mut op) };
        equal
    }) && left.extra() == right.extra()
}

/// Reads a plain serde value into `slot`; returns whether it was `null`.
pub fn read<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<bool, A::Error> {
    *slot = map.next_value::<Option<T>>()?;
    Ok(slot.is_none())
}

/// Reads a value through codec `C` into `slot`; returns whether it was
/// `null`.
pub fn read_as<'de, C: Codec, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<C::Value>,
) -> Result<bool, A::Error> {
    *slot = map.next_value_seed(crate::codec::Seed::<Nullable<C>>(PhantomData))?;
    Ok(slot.is_none())
}

/// Consumes and discards the next value; always `Ok(false)`.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<bool, A::Error> {
    map.next_value::<de::IgnoredAny>()?;
    Ok(false)
}

/// Writes `name: value` if `slot` is `Some`; returns whether it wrote.
pub fn write<M: SerializeMap, T: Serialize>(
    map: &mut M,
    name: &'static str,
    slot: &Option<T>,
) -> Result<bool, M::Error> {
    match slot {
        Some(v) => map.serialize_entry(name, v).map(|()| true),
        None => Ok(false),
    }
}

/// Writes `name: value` through codec `C` if `slot` is `Some`; returns
/// whether it wrote.
pub fn write_as<C: Codec, M: SerializeMap>(
    map: &mut M,
    name: &'static str,
    slot: &Option<C::Value>,
) -> Result<bool, M::Error> {
    match slot {
        Some(v) => map
            .serialize_entry(name, &SerializeWith::<C>::new(v))
            .map(|()| true),
        None => Ok(false),
    }
}

/// Whether a key is an annotation (kept in [`Extra::annotations`]) rather
/// than a property.
pub(crate) fn is_annotation(key: &str) -> bool {
    key.contains('@') || key.starts_with("odata.") || key == "__metadata"
}

/// A classified map key: a declared field, or anything else (owned,
/// because it is stored in [`Extra`]).
enum Key {
    Field(usize),
    Other(String),
}

/// Classifies a key of a `StructInfo` type. `next` is the field expected next: payloads
/// usually list properties in the declared order (services write them so, and so does
/// [`ser_struct`]), so one comparison most often finds the field without the binary search.
struct KeySeed {
    info: &'static StructInfo,
    next: usize,
}

impl KeySeed {
    fn find(&self, key: &str) -> Option<usize> {
        match self.info.fields.get(self.next) {
            Some(&name) if name == key => Some(self.next),
            _ => self.info.lookup(key),
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a property name")
    }
    // Known keys are resolved here, on the borrowed text, so they never
    // allocate.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(match self.find(v) {
            Some(i) => Key::Field(i),
            None => Key::Other(v.to_owned()),
        })
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(match self.find(&v) {
            Some(i) => Key::Field(i),
            None => Key::Other(v),
        })
    }
}

/// Bit set of fields already seen, to reject duplicate keys. Inline for
/// the common case; types with more than 256 properties spill to the heap.
struct Seen {
    inline: [u64; 4],
    heap: Vec<u64>,
}

impl Seen {
    fn new(n: usize) -> Self {
        let words = n.div_ceil(64);
        Seen {
            inline: [0; 4],
            heap: if words > 4 {
                vec![0; words]
            } else {
                Vec::new()
            },
        }
    }
    /// How many are marked.
    fn count(&self) -> usize {
        let words = if self.heap.is_empty() {
            &self.inline[..]
        } else {
            &self.heap[..]
        };
        words.iter().map(|w| w.count_ones() as usize).sum()
    }
    fn is_marked(&self, i: usize) -> bool {
        let words = if self.heap.is_empty() {
            &self.inline[..]
        } else {
            &self.heap[..]
        };
        words[i / 64] & (1u64 << (i % 64)) != 0
    }
    /// Marks `i`; returns whether it was already marked.
    fn mark(&mut self, i: usize) -> bool {
        let words = if self.heap.is_empty() {
            &mut self.inline[..]
        } else {
            &mut self.heap[..]
        };
        let (w, b) = (i / 64, 1u64 << (i % 64));
        let was = words[w] & b != 0;
        words[w] |= b;
        was
    }
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: Structured> Visitor<'de> for StructVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object of type `{}`", T::INFO.name)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        read_members(&mut map, None)
    }
}

/// Reads the rest of an object as a `T` whose first members, `read` (annotations: the type tag
/// that chose `T`, after an `@odata.context` if any), were read already (see
/// [`crate::Polymorphic::read_variant_from`]).
///
/// What is read is the same as reading the whole object with [`de_struct`], except that any
/// key that appears twice is an error (as it is for a polymorphic value buffered to find its
/// tag).
pub fn de_struct_after_tag<'de, T: Structured, A: MapAccess<'de>>(
    read: crate::poly::Leading,
    mut map: A,
) -> Result<T, A::Error> {
    read_members(&mut map, Some(read))
}

/// [`de_struct_after_tag`], boxed and wrapped by `variant` (a variant of a polymorphic enum):
/// one call per variant in a generated [`crate::Polymorphic::read_variant_from`].
///
/// Generated code calls this rather than writing `Variant(Box::new(de_struct_after_tag(..)?))`
/// itself: that `?` gives every arm temporaries of the variant's type and of the reader's error
/// type, whose drop checks the compiler works out over everything the type owns, once per
/// variant type and enum (issue 14: about 6% of the Graph v1.0 crate's dependency graph).
#[inline]
pub fn de_variant_after_tag<'de, T: Structured, P, A: MapAccess<'de>, F: FnOnce(Box<T>) -> P>(
    read: crate::poly::Leading,
    mut map: A,
    variant: F,
) -> Result<P, A::Error> {
    read_members(&mut map, Some(read)).map(|v| variant(Box::new(v)))
}

/// `e` with a hint where it is a null the generated type has no room for, which is a null item
/// of a collection (every other property is an `Option`) of a V4 type: put before serde_json's
/// trailing "at line L column C", which it reads back when the message is wrapped again.
fn null_item_hint(e: &str) -> std::borrow::Cow<'_, str> {
    if !e.starts_with("invalid type: null") {
        return e.into();
    }
    let (what, at) = match e.rfind(" at line ") {
        Some(i) => e.split_at(i),
        None => (e, ""),
    };
    format!(
        "{what} (a null item in a collection whose items are not declared nullable: where the \
         schema leaves `Nullable` out, generate with `--nullable-items`, or \
         `Config::nullable_items(true)`, for services that send them){at}"
    )
    .into()
}

/// Reads the members of an object into a `T`; `read`: the annotations read already to find
/// the type, and repeated keys of any kind are rejected.
fn read_members<'de, T: Structured, A: MapAccess<'de>>(
    map: &mut A,
    read: Option<crate::poly::Leading>,
) -> Result<T, A::Error> {
    let info = T::INFO;
    let verbose = info.version != Version::V4;
    let mut out = T::default();
    let strict = read.is_some();
    if let Some(read) = read {
        out.extra_mut().annotations.extend(read.into_members());
    }
    let mut seen = Seen::new(info.fields.len());
    let mut next = 0;
    while let Some(key) = map.next_key_seed(KeySeed { info, next })? {
        match key {
            Key::Field(i) => {
                next = i + 1;
                let name = info.fields[i];
                if seen.mark(i) {
                    return Err(de::Error::custom(format_args!(
                        "duplicate property `{name}` in `{}`",
                        info.name
                    )));
                }
                // The prefix names the property; serde_json re-parses a
                // trailing "at line L column C" of the inner message, so
                // the position survives the wrapping.
                let wrap = |e: &dyn fmt::Display| {
                    let e = e.to_string();
                    let e = if info.version == Version::V4 {
                        null_item_hint(&e)
                    } else {
                        e.as_str().into()
                    };
                    de::Error::custom(format_args!("property `{name}` of `{}`: {e}", info.name))
                };
                let null = if verbose {
                    // V2/V3 verbose JSON wraps values (`__deferred`,
                    // `results`): buffer the value and unwrap it first.
                    let v: Value = map.next_value()?;
                    match unwrap_verbose(v) {
                        Verbose::Deferred(d) => {
                            out.extra_mut().deferred.push((name, d));
                            false
                        }
                        Verbose::Wrapped(items, rest) => {
                            out.extra_mut().wrapped.push((name, rest));
                            let mut one = Buffered::<A::Error>(Some(items), PhantomData);
                            out.read_field(i, &mut one).map_err(|e| wrap(&e))?
                        }
                        Verbose::Plain(v) => {
                            let mut one = Buffered::<A::Error>(Some(v), PhantomData);
                            out.read_field(i, &mut one).map_err(|e| wrap(&e))?
                        }
                    }
                } else {
                    out.read_field(i, map).map_err(|e| wrap(&e))?
                };
                if null {
                    out.extra_mut().nulls.push(name);
                }
            }
            Key::Other(k) => {
                let v: Value = map.next_value()?;
                let extra = out.extra_mut();
                if strict
                    && (extra.annotations.iter().any(|(a, _)| *a == k)
                        || extra.dynamic.contains_key(&k))
                {
                    return Err(de::Error::custom(format_args!("duplicate property `{k}`")));
                }
                if is_annotation(&k) {
                    extra.annotations.push((k, v));
                } else {
                    extra.dynamic.insert(k, v);
                }
            }
        }
    }
    if T::INFO.entity {
        // Only what the payload had can differ from absent later.
        let origin = origin_of(&out, seen.count(), |i| seen.is_marked(i));
        out.extra_mut().origin = Some(Box::new(origin));
    }
    Ok(out)
}

/// A property value of V2/V3 verbose JSON, unwrapped.
enum Verbose {
    /// `{"__deferred": {"uri": …}}`: a navigation property not expanded.
    Deferred(Value),
    /// `{"results": […], …}`: a collection, with the other members.
    Wrapped(Value, serde_json::Map<String, Value>),
    /// Anything else, as it is.
    Plain(Value),
}

/// Whether `m` is V2/V3 verbose JSON's link to a navigation property not expanded:
/// `{"__deferred": {"uri": …}}`.
fn is_deferred_link(m: &serde_json::Map<String, Value>) -> bool {
    m.len() == 1 && m.get("__deferred").is_some_and(Value::is_object)
}

fn unwrap_verbose(v: Value) -> Verbose {
    let Value::Object(mut m) = v else {
        return Verbose::Plain(v);
    };
    if is_deferred_link(&m) {
        return Verbose::Deferred(m.remove("__deferred").unwrap_or_default());
    }
    let wrapper = m.get("results").is_some_and(Value::is_array)
        && m.keys()
            .all(|k| matches!(k.as_str(), "results" | "__count" | "__next" | "__metadata"));
    if wrapper {
        let items = m.remove("results").unwrap_or_default();
        return Verbose::Wrapped(items, m);
    }
    Verbose::Plain(Value::Object(m))
}

/// The fingerprint of a property that is absent (`None`, not marked `null`).
const ABSENT: u64 = 0;
/// The fingerprint of a property marked as explicit `null`.
const NULL: u64 = 1;

/// The state of field `i` of `v`: [`ABSENT`], [`NULL`], or a hash of its JSON
/// (written for [`Purpose::Data`]; the caller sets the purpose).
fn fingerprint<T: Structured>(v: &T, extra: &Extra, i: usize) -> u64 {
    // The value only: which property it is, the caller knows.
    let Some((hash, wrote)) =
        crate::fingerprint::hash_entry(|map| v.write_field(i, T::INFO.fields[i], map))
    else {
        // Not writable: never equal to what was read, so it is sent (and the
        // error is reported then).
        return u64::MAX;
    };
    if !wrote {
        return if extra.is_null(T::INFO.fields[i]) {
            NULL
        } else {
            ABSENT
        };
    }
    // Keep clear of the two reserved values.
    hash.max(2)
}

fn dynamic_fingerprint(k: &str, v: &Value) -> u64 {
    crate::fingerprint::hash(&(k, v)).unwrap_or(u64::MAX)
}

/// The fingerprints of `v` as it is now, of the fields `present` may be set (the others are
/// absent).
fn origin_of<T: Structured>(v: &T, most: usize, present: impl Fn(usize) -> bool) -> Origin {
    let _data = PurposeGuard::set(Purpose::Data);
    let extra = v.extra();
    let mut fields = Vec::with_capacity(most);
    for i in 0..T::INFO.fields.len() {
        // What an update never sends needs no fingerprint.
        if !present(i) || left_out::<T>(Purpose::Update, i) {
            continue;
        }
        let f = fingerprint(v, extra, i);
        if f != ABSENT {
            fields.push((i as u16, f));
        }
    }
    let mut dynamic: Vec<u64> = extra
        .dynamic
        .iter()
        .map(|(k, v)| dynamic_fingerprint(k, v))
        .collect();
    dynamic.sort_unstable();
    Origin { fields, dynamic }
}

/// Whether an update sends field `i`: changed since read, or (for a value
/// not read) set or marked `null`. The purpose must be [`Purpose::Data`].
fn field_changed<T: Structured>(v: &T, extra: &Extra, i: usize) -> bool {
    let now = fingerprint(v, extra, i);
    match &extra.origin {
        None => now != ABSENT,
        Some(o) => {
            let then = o
                .fields
                .binary_search_by_key(&(i as u16), |&(j, _)| j)
                .map_or(ABSENT, |p| o.fields[p].1);
            now != then
        }
    }
}

/// Deserializes a [`Structured`] type from a map.
pub fn de_struct<'de, T: Structured, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(StructVisitor(PhantomData))
}

/// Serializes a [`Structured`] type: annotations, fields in order (with
/// kept explicit nulls), then dynamic properties. What is written depends
/// on the current [`Purpose`] (see [`with_purpose`]).
pub fn ser_struct<T: Structured, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    let purpose = current_purpose();
    let mut map = s.serialize_map(None)?;
    write_annotations(v.extra(), purpose, &mut map, |_| false)?;
    write_body(v, purpose, &mut map)?;
    map.end()
}

/// What a value is being written for: which properties are left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Purpose {
    /// All of it, as read (a round trip, an action parameter).
    #[default]
    Data,
    /// A create body (`POST` to a collection): no read-only properties and
    /// no annotations but the type tag and `@odata.bind`; V2/V3 deferred
    /// links are not written, and collections as plain arrays.
    Create,
    /// An update body (`PATCH`, `MERGE`): only the properties changed since
    /// the value was read (every property set or marked `null`, for a value
    /// not read), never read-only, immutable or navigation properties, and
    /// no annotations but the type tag and `@odata.bind`.
    Update,
    /// A replace body (`PUT`): like [`Purpose::Update`], but every property
    /// that is set or marked `null`, changed or not.
    Replace,
}

thread_local! {
    static PURPOSE: std::cell::Cell<Purpose> = const { std::cell::Cell::new(Purpose::Data) };
}

/// Sets the purpose until dropped (then restores the previous one, also on
/// panic).
struct PurposeGuard(Purpose);

impl PurposeGuard {
    fn set(purpose: Purpose) -> Self {
        PurposeGuard(PURPOSE.with(|p| p.replace(purpose)))
    }
}

impl Drop for PurposeGuard {
    fn drop(&mut self) {
        PURPOSE.with(|p| p.set(self.0));
    }
}

fn current_purpose() -> Purpose {
    PURPOSE.with(|p| p.get())
}

/// Sets field `i` of `value` to `None` and, unless it is a navigation property (updates never
/// write those), marks it to be written as `null`.
fn set_null_at<T: Structured>(value: &mut T, i: usize) {
    // Clear the field: reading `null` into it sets `None`.
    let mut null = NullField(Some(Value::Null));
    let _ = value.read_field(i, &mut null);
    if T::INFO.navigation.binary_search(&(i as u16)).is_err() {
        value.extra_mut().mark_null(T::INFO.fields[i]);
    }
}

/// Runs `f` (which serializes) with values written for `purpose`, nested values included;
/// the previous purpose is restored afterwards, also if `f` panics.
pub fn with_purpose<R>(purpose: Purpose, f: impl FnOnce() -> R) -> R {
    let _restore = PurposeGuard::set(purpose);
    f()
}

/// Whether field `i` of `T` is left out when writing for `purpose`.
fn left_out<T: Structured>(purpose: Purpose, i: usize) -> bool {
    let has = |list: &[u16]| list.binary_search(&(i as u16)).is_ok();
    match purpose {
        Purpose::Data => false,
        Purpose::Create => has(T::INFO.read_only),
        Purpose::Update | Purpose::Replace => {
            has(T::INFO.read_only) || has(T::INFO.immutable) || has(T::INFO.navigation)
        }
    }
}

/// Whether an annotation is a link to bind (`Manager@odata.bind`): the
/// caller's intent, written in create and update bodies too.
fn is_bind(key: &str) -> bool {
    key.ends_with("@odata.bind")
}

fn write_annotations<M: SerializeMap>(
    extra: &Extra,
    purpose: Purpose,
    map: &mut M,
    skip: impl Fn(&str) -> bool,
) -> Result<(), M::Error> {
    for (k, a) in &extra.annotations {
        if skip(k) || (purpose != Purpose::Data && !is_bind(k)) {
            continue;
        }
        map.serialize_entry(k, a)?;
    }
    Ok(())
}

fn write_body<T: Structured, M: SerializeMap>(
    v: &T,
    purpose: Purpose,
    map: &mut M,
) -> Result<(), M::Error> {
    let info = T::INFO;
    let extra = v.extra();
    let changes_only = purpose == Purpose::Update;
    for (i, &name) in info.fields.iter().enumerate() {
        if left_out::<T>(purpose, i) {
            continue;
        }
        if changes_only {
            let changed = {
                let _data = PurposeGuard::set(Purpose::Data);
                field_changed(v, extra, i)
            };
            // A property changed to `None` is cleared.
            if changed && !v.write_field(i, name, map)? {
                map.serialize_entry(name, &())?;
            }
            continue;
        }
        if purpose == Purpose::Data
            && let Some(rest) = extra.collection_wrapper(name)
            && write_wrapped(v, i, name, rest, map)?
        {
            continue;
        }
        if !v.write_field(i, name, map)? {
            if extra.is_null(name) {
                map.serialize_entry(name, &())?;
            } else if let (Purpose::Data, Some(d)) = (purpose, extra.deferred_of(name)) {
                map.serialize_entry(name, &Deferred(d))?;
            }
        }
    }
    let origin = extra.origin.as_deref().filter(|_| changes_only);
    for (k, d) in &extra.dynamic {
        let unchanged =
            origin.is_some_and(|o| o.dynamic.binary_search(&dynamic_fingerprint(k, d)).is_ok());
        // The deferred link of a navigation property the type does not declare (one a newer
        // service added, or a filter left out; SAP sends one for every navigation property)
        // is not data: only a round trip writes it back.
        let link = purpose != Purpose::Data && matches!(d, Value::Object(m) if is_deferred_link(m));
        if !unchanged && !link {
            map.serialize_entry(k, d)?;
        }
    }
    Ok(())
}

/// `{"__deferred": …}`.
struct Deferred<'a>(&'a Value);

impl Serialize for Deferred<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("__deferred", self.0)?;
        map.end()
    }
}

/// Writes field `i` wrapped as it was read (`{"results": […], "__count": …}`);
/// `false` when the field has no value.
fn write_wrapped<T: Structured, M: SerializeMap>(
    v: &T,
    i: usize,
    name: &'static str,
    rest: &serde_json::Map<String, Value>,
    map: &mut M,
) -> Result<bool, M::Error> {
    let mut tmp = serde_json::value::Serializer
        .serialize_map(None)
        .map_err(ser::Error::custom)?;
    if !v
        .write_field(i, name, &mut tmp)
        .map_err(ser::Error::custom)?
    {
        return Ok(false);
    }
    let Value::Object(mut one) = SerializeMap::end(tmp).map_err(ser::Error::custom)? else {
        return Ok(false);
    };
    let mut wrapped = serde_json::Map::new();
    for (k, x) in rest {
        if k == "__metadata" {
            wrapped.insert(k.clone(), x.clone());
        }
    }
    wrapped.insert("results".into(), one.remove(name).unwrap_or_default());
    for (k, x) in rest {
        if k != "__metadata" {
            wrapped.insert(k.clone(), x.clone());
        }
    }
    map.serialize_entry(name, &wrapped)?;
    Ok(true)
}

fn is_tag_key(k: &str) -> bool {
    k == "@odata.type" || k == "odata.type"
}

/// Whether a kept tag still names `name`: the same final segment (case
/// insensitive), so an alias-qualified or differently-cased tag that was
/// read into this type is written back exactly as read.
fn tag_names(tag: &str, name: &str) -> bool {
    let tag = tag.strip_prefix('#').unwrap_or(tag);
    let last = |s: &str| s.rsplit('.').next().unwrap_or(s).to_owned();
    tag.eq_ignore_ascii_case(name) || last(tag).eq_ignore_ascii_case(&last(name))
}

/// Like [`ser_struct`], but writes the type tag first (after the context annotation, if any).
///
/// V4 writes `"@odata.type": "#ns.Type"`, V3 `"odata.type": "ns.Type"`, V2
/// `"__metadata": {"type": "ns.Type"}`. A tag kept in [`Extra`] is not
/// written again; if it still names this type its spelling (alias, case,
/// key) is reused so a read value is written back unchanged. A V2 value
/// that was read with a `__metadata` object gets its `type` set there.
/// Create and update bodies carry only a fresh tag.
pub fn ser_tagged<T: Structured, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    let info = T::INFO;
    let extra = v.extra();
    let purpose = current_purpose();
    let mut map = s.serialize_map(None)?;
    if purpose != Purpose::Data {
        match info.version {
            Version::V4 => map.serialize_entry("@odata.type", &format_args!("#{}", info.name))?,
            Version::V3 => map.serialize_entry("odata.type", info.name)?,
            Version::V2 => {
                map.serialize_entry("__metadata", &MetadataWithType(&Value::Null, info.name))?
            }
        }
        write_annotations(extra, purpose, &mut map, |_| false)?;
        write_body(v, purpose, &mut map)?;
        return map.end();
    }
    let kept = extra
        .annotations
        .iter()
        .find(|(k, _)| is_tag_key(k))
        .and_then(|(k, t)| Some((k.as_str(), t.as_str()?)))
        .filter(|(_, t)| tag_names(t, info.name));
    let v2_meta = info.version == Version::V2
        && kept.is_none()
        && extra
            .annotations
            .iter()
            .any(|(k, m)| k == "__metadata" && m.is_object());
    // The context annotation comes first in OData JSON, the type tag right after it.
    let is_context = |k: &str| k == "@odata.context" || k == "odata.metadata";
    for (k, a) in &extra.annotations {
        if is_context(k) {
            map.serialize_entry(k, a)?;
        }
    }
    match kept {
        Some((k, t)) => map.serialize_entry(k, t)?,
        None if v2_meta => {}
        None if info.version == Version::V4 => {
            map.serialize_entry("@odata.type", &format_args!("#{}", info.name))?
        }
        None => map.serialize_entry("odata.type", info.name)?,
    }
    for (k, a) in &extra.annotations {
        if is_tag_key(k) || is_context(k) {
            continue;
        }
        if v2_meta && k == "__metadata" {
            map.serialize_entry(k, &MetadataWithType(a, info.name))?;
        } else {
            map.serialize_entry(k, a)?;
        }
    }
    write_body(v, purpose, &mut map)?;
    map.end()
}

/// A V2 `__metadata` object with its `type` replaced (`Null`: only the type).
struct MetadataWithType<'a>(&'a Value, &'static str);

impl Serialize for MetadataWithType<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let empty = serde_json::Map::new();
        let obj = match self.0 {
            Value::Null => &empty,
            Value::Object(o) => o,
            _ => return Err(ser::Error::custom("`__metadata` is not an object")),
        };
        let mut map = s.serialize_map(None)?;
        let mut typed = false;
        for (k, v) in obj {
            if k == "type" {
                typed = true;
                map.serialize_entry(k, self.1)?;
            } else {
                map.serialize_entry(k, v)?;
            }
        }
        if !typed {
            map.serialize_entry("type", self.1)?;
        }
        map.end()
    }
}

/// The value field `i` of `v` writes (as read, [`Purpose::Data`]) as JSON: `Ok(None)` when the
/// field has no value, `Err` with the message when it cannot be serialized.
fn field_json<T: Structured>(v: &T, i: usize) -> Result<Option<Value>, String> {
    /// A map that keeps the one value written into it.
    struct One(Option<Value>);
    impl SerializeMap for One {
        type Ok = ();
        type Error = serde_json::Error;
        fn serialize_key<K: Serialize + ?Sized>(&mut self, _: &K) -> Result<(), Self::Error> {
            Ok(())
        }
        fn serialize_value<V: Serialize + ?Sized>(&mut self, v: &V) -> Result<(), Self::Error> {
            self.0 = Some(serde_json::to_value(v)?);
            Ok(())
        }
        fn end(self) -> Result<(), Self::Error> {
            Ok(())
        }
    }
    let mut one = One(None);
    match v.write_field(i, T::INFO.fields[i], &mut one) {
        Ok(true) => Ok(one.0),
        Ok(false) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// `Debug` of a [`Structured`] type, through its description instead of code per field: the
/// type's name, then the properties that have a value, the explicit nulls, the annotations and
/// the dynamic properties, each under its wire name with its value as compact JSON
/// (`User { displayName: "Alex", accountEnabled: true }`). Properties without a value are not
/// listed.
pub fn debug_struct<T: Structured>(v: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    /// A JSON value, formatted as its text.
    struct Json<'a>(&'a Value);
    impl fmt::Debug for Json<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Display::fmt(self.0, f)
        }
    }
    /// A value that could not be serialized: the error.
    struct Failed(String);
    impl fmt::Debug for Failed {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "<{}>", self.0)
        }
    }
    let name = std::any::type_name::<T>();
    let name = name.rsplit("::").next().unwrap_or(name);
    let _data = PurposeGuard::set(Purpose::Data);
    let mut d = f.debug_struct(name);
    for (i, &wire) in T::INFO.fields.iter().enumerate() {
        match field_json(v, i) {
            Ok(Some(value)) => d.field(wire, &Json(&value)),
            Ok(None) => &mut d,
            Err(e) => d.field(wire, &Failed(e)),
        };
    }
    let extra = v.extra();
    for name in &extra.nulls {
        d.field(name, &Json(&Value::Null));
    }
    for (k, value) in extra
        .annotations
        .iter()
        .map(|(k, v)| (k, v))
        .chain(&extra.dynamic)
    {
        d.field(k, &Json(value));
    }
    d.finish()
}

/// Implements `Serialize`, `Deserialize` and `Debug` for a [`Structured`] type via
/// [`ser_struct`], [`de_struct`] and [`debug_struct`], so that none of these is code per field;
/// with `, Clone, PartialEq` also these two, via [`clone_struct`] and [`eq_struct`] (what
/// generated structs use). `PartialEq` compares the
/// typed values, so a decimal `10` equals `10.0` and a time equals the same instant at another
/// offset, which comparing what they write would not give.
#[macro_export]
macro_rules! impl_structured {
    ($t:ty, Clone, PartialEq) => {
        $crate::impl_structured!($t);
        impl ::core::clone::Clone for $t {
            #[inline]
            fn clone(&self) -> Self {
                $crate::clone_struct(self)
            }
        }
        impl ::core::cmp::PartialEq for $t {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                $crate::eq_struct(self, other)
            }
        }
    };
    ($t:ty) => {
        $crate::impl_structured_serde!($t);
        impl ::core::fmt::Debug for $t {
            // `#[inline]`: machine code only where it is used (it instantiates the writer of
            // every field), not for every type of a crate that prints none.
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::debug_struct(self, f)
            }
        }
    };
}

/// Implements `Serialize` and `Deserialize` for a [`Structured`] type via
/// [`ser_struct`] and [`de_struct`].
#[macro_export]
macro_rules! impl_structured_serde {
    ($t:ty) => {
        impl $crate::serde::Serialize for $t {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                s: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::ser_struct(self, s)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::de_struct(d)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_inline_and_heap() {
        for n in [1, 64, 256, 257, 1000] {
            let mut s = Seen::new(n);
            for i in (0..n).rev() {
                assert!(!s.mark(i));
            }
            for i in 0..n {
                assert!(s.mark(i));
            }
        }
    }

    #[test]
    fn annotation_keys() {
        for k in [
            "@odata.etag",
            "displayName@odata.type",
            "odata.metadata",
            "__metadata",
        ] {
            assert!(is_annotation(k), "{k}");
        }
        for k in ["odataType", "__deferred", "id", "metadata"] {
            assert!(!is_annotation(k), "{k}");
        }
    }

    /// Reading and writing through the one field `match` (`Structured::field`), with a plain
    /// field and one through a codec, as generated code has them: reading fills the fields
    /// and keeps the rest, and writing works from shared borrows, several alive at once.
    #[test]
    fn read_and_write_through_the_field_match() {
        #[derive(Default)]
        struct Item {
            name: Option<String>,
            count: Option<i64>,
            extra: Extra,
        }
        unsafe impl Structured for Item {
            const INFO: &'static StructInfo = &StructInfo {
                name: "ns.Item",
                fields: &["name", "count"],
                sorted: &[1, 0],
                open: true,
                version: Version::V4,
                extra: ::core::mem::offset_of!(Self, extra),
                entity: false,
                read_only: &[],
                immutable: &[],
                navigation: &[],
            };
            unsafe fn field<O: FieldOp>(
                this: *mut Self,
                index: usize,
                op: &mut O,
            ) -> Result<bool, O::Error> {
                // SAFETY: each arm hands `op` a pointer to a field of `*this` (the trait's
                // contract).
                unsafe {
                    match index {
                        0 => op.plain(&raw mut (*this).name),
                        1 => op.codec::<crate::codec::Int64String>(&raw mut (*this).count),
                        _ => op.unknown(),
                    }
                }
            }
        }
        crate::impl_structured!(Item, Clone, PartialEq);

        let json = r#"{"name":"a","count":"9007199254740993","other":1}"#;
        let item: Item = serde_json::from_str(json).unwrap();
        assert_eq!(item.name.as_deref(), Some("a"));
        assert_eq!(item.count, Some(9_007_199_254_740_993));
        assert_eq!(
            item.extra().dynamic.get("other"),
            Some(&serde_json::json!(1))
        );
        let (a, b) = (&item, &item);
        let written = serde_json::to_string(a).unwrap();
        assert_eq!(serde_json::to_string(b).unwrap(), written);
        let back: Item = serde_json::from_str(&written).unwrap();
        assert!(back == item, "{written}");
        use serde::ser::Serializer as _;
        let mut one = serde_json::value::Serializer.serialize_map(None).unwrap();
        assert!(!Item::default().write_field(0, "name", &mut one).unwrap());
        assert!(item.write_field(1, "count", &mut one).unwrap());
        assert!(!item.write_field(7, "none", &mut one).unwrap());
        assert_eq!(
            SerializeMap::end(one).unwrap(),
            serde_json::json!({"count": "9007199254740993"})
        );

        // `Clone` and `PartialEq` through the same `match`.
        let empty = Item::default();
        let mut copy = item.clone();
        assert!(copy == item && copy != empty);
        assert_eq!(copy.name, item.name);
        assert_eq!(copy.count, item.count);
        assert!(copy.extra == item.extra);
        copy.name.as_mut().unwrap().push('b');
        assert_eq!(item.name.as_deref(), Some("a"), "a clone shares nothing");
        assert!(copy != item, "a plain field differs");
        let mut copy = item.clone();
        copy.count = Some(1);
        assert!(copy != item, "a codec field differs");
        let mut copy = item.clone();
        copy.extra_mut().dynamic.clear();
        assert!(copy != item, "`extra` differs");
    }

    /// `extra`/`extra_mut` through `StructInfo::extra` reach the `extra` field itself, wherever
    /// the compiler placed it among the others, and nothing else.
    #[test]
    fn extra_through_its_offset() {
        #[derive(Default)]
        struct Padded {
            flag: Option<bool>,
            extra: Extra,
            name: Option<String>,
            count: Option<u8>,
        }
        unsafe impl Structured for Padded {
            const INFO: &'static StructInfo = &StructInfo {
                name: "ns.Padded",
                fields: &[],
                sorted: &[],
                open: false,
                version: Version::V4,
                extra: ::core::mem::offset_of!(Self, extra),
                entity: false,
                read_only: &[],
                immutable: &[],
                navigation: &[],
            };
            unsafe fn field<O: crate::FieldOp>(
                _: *mut Self,
                _: usize,
                op: &mut O,
            ) -> Result<bool, O::Error> {
                op.unknown()
            }
        }
        let mut p = Padded {
            flag: Some(true),
            name: Some("n".into()),
            count: Some(7),
            ..Padded::default()
        };
        p.extra_mut().mark_null("jobTitle");
        p.extra_mut()
            .annotations
            .push(("@odata.etag".into(), Value::from("W/1")));
        assert_eq!(p.extra.nulls, vec!["jobTitle".to_string()]);
        assert!(std::ptr::eq(p.extra(), &p.extra));
        assert_eq!(p.extra().etag(), Some("W/1"));
        assert_eq!(
            (p.flag, p.name.as_deref(), p.count),
            (Some(true), Some("n"), Some(7))
        );
    }

    #[test]
    fn extra_helpers() {
        let mut e = Extra::default();
        e.annotations.push((
            "__metadata".into(),
            serde_json::json!({"type": "A.B", "etag": "W/1"}),
        ));
        assert_eq!(e.odata_type(), Some("A.B"));
        assert_eq!(e.etag(), Some("W/1"));
        e.set_annotation("odata.etag", "W/2".into());
        e.set_annotation("odata.etag", "W/3".into());
        assert_eq!(e.annotations.len(), 2);
        assert_eq!(e.annotation("odata.etag"), Some(&Value::from("W/3")));
        let mut e = Extra::default();
        e.set_annotation("@odata.type", "#x.Y".into());
        assert_eq!(e.odata_type(), Some("#x.Y"));
        assert_eq!(e.etag(), None);
    }

    #[test]
    fn tag_matching() {
        assert!(tag_names("#graph.user", "microsoft.graph.user"));
        assert!(tag_names(
            "Microsoft.DirectoryServices.User",
            "microsoft.directoryservices.user"
        ));
        assert!(!tag_names("#microsoft.graph.group", "microsoft.graph.user"));
    }
}
