//! Typed `$filter`, `$orderby` and `$expand`.
//!
//! Every generated entity and complex type carries one associated constant
//! per property, a [`Prop`]: its name and, as type parameters, the type that
//! declares it and the type of its value (`User::DISPLAY_NAME:
//! Prop<User, Option<String>>`, `User::MANAGER: Prop<User,
//! Option<Nav<DirectoryObject>>>`). What a property allows is decided here,
//! by traits on the value type, so a wrong filter does not compile:
//!
//! | value type | allows |
//! |---|---|
//! | any primitive or enum ([`Scalar`]) | `$orderby`; `eq`, `ne`, `is_in` with a literal of the same type ([`Compare`]) |
//! | numbers, strings, dates, times, durations, GUIDs ([`Ordered`]) | `gt`, `ge`, `lt`, `le` |
//! | strings ([`Text`]) | `contains` (V2/V3 `substringof`), `startswith`, `endswith`, `tolower`, `toupper`, `trim`, `length` |
//! | flags enums | `has` |
//! | `Option<…>` (nullable) | `is_null`, `is_not_null` |
//! | complex types, single-valued navigation ([`Structure`]) | `then`: a property of the target (`address/city`) |
//! | collections, collection-valued navigation ([`Collection`]) | `any`, `all` (lambdas), `is_not_empty`; V2 collections have none |
//! | navigation properties ([`Expandable`]) | `expand_with` on the request builders, with nested options |
//!
//! A [`Filter<E>`] is typed by the entity or complex type it is evaluated
//! against: a filter built from `User` properties is accepted by a request
//! on users (or on a type derived from `User`), not by one on groups.
//! Literals are written as each protocol version spells them (`42L`,
//! `10.5M`, `guid'…'`, `datetime'…'` in V2/V3; see [`crate::literal`]),
//! and `and`, `or` and `not` add only the parentheses the OData operator
//! precedence needs. Text is the escape hatch: `"endswith(mail,'@x.com')"`
//! converts into a filter of any type.
//!
//! ```text
//! // users?$filter=startswith(displayName,'A') and (city eq 'Oslo' or city eq null)
//! users.list().filter(
//!     User::DISPLAY_NAME.startswith("A").and(User::CITY.eq("Oslo").or(User::CITY.is_null())),
//! );
//! // $filter=address/city eq 'Oslo'
//! User::ADDRESS.then(Address::CITY).eq("Oslo");
//! // $filter=memberOf/any(x0:x0/id eq '7f3c')
//! User::MEMBER_OF.any(|g| g.then(DirectoryObject::ID).eq("7f3c"));
//! // $expand=manager($select=id,deletedDateTime)
//! users.list().expand_with(User::MANAGER, |e| e.select((DirectoryObject::ID, DirectoryObject::DELETED_DATE_TIME)));
//! // $select=id,displayName&$expand=manager,memberOf
//! users.list().select((User::ID, User::DISPLAY_NAME)).expand((User::MANAGER, User::MEMBER_OF));
//! ```
//!
//! The same constants name properties in `$select` and `$expand` ([`Select`], [`ExpandList`]):
//! one constant, several in a tuple (of any types), an array or a `Vec` (of one type).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use crate::literal::Literal;
use crate::query::Query;
use crate::resource::IsA;
use crate::structured::Structured;
use crate::{EnumType, Flags, Version};

/// A property (or an expression over one) of values of type `T`, evaluated
/// against a value of type `O`: generated code has one per property as an
/// associated constant of the declaring type (`User::DISPLAY_NAME`), and
/// the methods here build [`Filter`]s, `$orderby` items and nested
/// properties from it. See the [module docs](self).
pub struct Prop<O, T> {
    /// The property path (`address/city`, `x0/displayName` in a lambda).
    path: Cow<'static, str>,
    /// Functions applied to the path, innermost first (`tolower`).
    functions: Vec<&'static str>,
    /// Lambda variables in scope: the next one is `x{depth}`.
    depth: u8,
    _t: PhantomData<fn() -> (O, T)>,
}

impl<O, T> Clone for Prop<O, T> {
    fn clone(&self) -> Self {
        Prop {
            path: self.path.clone(),
            functions: self.functions.clone(),
            depth: self.depth,
            _t: PhantomData,
        }
    }
}

impl<O, T> fmt::Debug for Prop<O, T> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_tuple("Prop").field(&self.expr()).finish()
    }
}

/// The type a lambda variable is evaluated against: the inner expression of
/// `any`/`all` over items of type `T` is a `Filter<Var<T>>`, so a property
/// of the outer type cannot be used there by mistake.
pub struct Var<T>(PhantomData<fn() -> T>);

/// A single-valued navigation property to entities of type `T` (in
/// [`Prop`]'s value type: `Option<Nav<User>>`, `Vec<Nav<Group>>`).
pub struct Nav<T>(PhantomData<fn() -> T>);

/// An OData V2 collection (of navigation targets): V2 has no lambda
/// operators, so it has no `any`/`all`.
pub struct V2Collection<T>(PhantomData<fn() -> T>);

impl<O, T> Prop<O, T> {
    /// The property `name` of `O` (generated code).
    pub const fn new(name: &'static str) -> Self {
        Prop {
            path: Cow::Borrowed(name),
            functions: Vec::new(),
            depth: 0,
            _t: PhantomData,
        }
    }

    fn with<U>(
        &self,
        path: Cow<'static, str>,
        functions: Vec<&'static str>,
        depth: u8,
    ) -> Prop<O, U> {
        Prop {
            path,
            functions,
            depth,
            _t: PhantomData,
        }
    }

    /// The property's name when this is a property of `O` itself: not a
    /// nested path (`then`), not an expression (`tolower`).
    pub(crate) fn plain_name(&self) -> Option<&str> {
        let plain = self.functions.is_empty() && self.depth == 0 && !self.path.contains('/');
        plain.then_some(&*self.path)
    }

    /// The expression as written in a URL, unencoded (`address/city`,
    /// `tolower(mail)`).
    pub fn expr(&self) -> String {
        let mut s = String::new();
        for f in self.functions.iter().rev() {
            s.push_str(f);
            s.push('(');
        }
        s.push_str(&self.path);
        for _ in &self.functions {
            s.push(')');
        }
        s
    }

    fn compare(&self, op: &str, v: &dyn Literal) -> Filter<O> {
        let e = self.expr();
        Filter::build(Prec::Compare, |ver| {
            let mut s = format!("{e} {op} ");
            v.write_literal(ver, &mut s);
            s
        })
    }

    fn function(&self, f: &str, v: &dyn Literal) -> Filter<O> {
        let e = self.expr();
        Filter::build(Prec::Primary, |ver| {
            let mut s = format!("{f}({e},");
            v.write_literal(ver, &mut s);
            s.push(')');
            s
        })
    }

    /// `p eq v`, with `v` of the property's type.
    #[allow(clippy::should_implement_trait)]
    pub fn eq<V: Literal>(&self, v: V) -> Filter<O>
    where
        T: Compare<V>,
    {
        self.compare("eq", &v)
    }

    /// `p ne v`.
    #[allow(clippy::should_implement_trait)]
    pub fn ne<V: Literal>(&self, v: V) -> Filter<O>
    where
        T: Compare<V>,
    {
        self.compare("ne", &v)
    }

    /// `p gt v`.
    pub fn gt<V: Literal>(&self, v: V) -> Filter<O>
    where
        T: Compare<V> + Ordered,
    {
        self.compare("gt", &v)
    }

    /// `p ge v`.
    pub fn ge<V: Literal>(&self, v: V) -> Filter<O>
    where
        T: Compare<V> + Ordered,
    {
        self.compare("ge", &v)
    }

    /// `p lt v`.
    pub fn lt<V: Literal>(&self, v: V) -> Filter<O>
    where
        T: Compare<V> + Ordered,
    {
        self.compare("lt", &v)
    }

    /// `p le v`.
    pub fn le<V: Literal>(&self, v: V) -> Filter<O>
    where
        T: Compare<V> + Ordered,
    {
        self.compare("le", &v)
    }

    /// `p in (a,b)` (OData 4.01); V2/V3 have no `in`: `(p eq a or p eq b)`.
    /// No values: `false`.
    pub fn is_in<V: Literal>(&self, values: impl IntoIterator<Item = V>) -> Filter<O>
    where
        T: Compare<V>,
    {
        let values: Vec<V> = values.into_iter().collect();
        let e = self.expr();
        Filter::build(Prec::Compare, |ver| {
            let lits: Vec<String> = values.iter().map(|v| v.to_literal(ver)).collect();
            match (ver, lits.as_slice()) {
                (_, []) => "false".to_owned(),
                (Version::V4, _) => format!("{e} in ({})", lits.join(",")),
                (_, [one]) => format!("{e} eq {one}"),
                (_, _) => {
                    let alts: Vec<String> = lits.iter().map(|l| format!("{e} eq {l}")).collect();
                    format!("({})", alts.join(" or "))
                }
            }
        })
    }

    /// A property of the complex value or entity this property holds:
    /// `User::ADDRESS.then(Address::CITY)` is `address/city`.
    pub fn then<U>(&self, inner: Prop<T::Of, U>) -> Prop<O, U>
    where
        T: Structure,
    {
        let path = format!("{}/{}", self.path, inner.path);
        self.with(path.into(), inner.functions, self.depth)
    }

    fn lambda<I>(&self, op: &str, f: impl FnOnce(Prop<Var<I>, I>) -> Filter<Var<I>>) -> Filter<O> {
        let var = format!("x{}", self.depth);
        let item = Prop {
            path: Cow::Owned(var.clone()),
            functions: Vec::new(),
            depth: self.depth + 1,
            _t: PhantomData,
        };
        let inner = f(item);
        let e = self.expr();
        Filter::build(Prec::Primary, |ver| {
            format!("{e}/{op}({var}:{})", inner.text(ver))
        })
    }

    /// `p/any(x0:…)`: whether some item of the collection satisfies the
    /// filter `f` builds from the item (V3 and later).
    pub fn any(
        &self,
        f: impl FnOnce(Prop<Var<T::Item>, T::Item>) -> Filter<Var<T::Item>>,
    ) -> Filter<O>
    where
        T: Collection,
    {
        self.lambda("any", f)
    }

    /// `p/all(x0:…)`: whether every item of the collection satisfies the
    /// filter `f` builds from the item (V3 and later).
    pub fn all(
        &self,
        f: impl FnOnce(Prop<Var<T::Item>, T::Item>) -> Filter<Var<T::Item>>,
    ) -> Filter<O>
    where
        T: Collection,
    {
        self.lambda("all", f)
    }

    /// `p/any()`: whether the collection has an item (V4).
    pub fn is_not_empty(&self) -> Filter<O>
    where
        T: Collection,
    {
        let e = self.expr();
        Filter::build(Prec::Primary, |_| format!("{e}/any()"))
    }

    fn apply<U>(&self, f: &'static str) -> Prop<O, U> {
        let mut functions = self.functions.clone();
        functions.push(f);
        self.with(self.path.clone(), functions, self.depth)
    }

    /// `contains(p,'v')`; V2/V3 `substringof('v',p)`.
    pub fn contains(&self, v: &str) -> Filter<O>
    where
        T: Text,
    {
        let e = self.expr();
        Filter::build(Prec::Primary, |ver| {
            let lit = v.to_literal(ver);
            match ver {
                Version::V4 => format!("contains({e},{lit})"),
                Version::V2 | Version::V3 => format!("substringof({lit},{e})"),
            }
        })
    }

    /// `startswith(p,'v')`.
    pub fn startswith(&self, v: &str) -> Filter<O>
    where
        T: Text,
    {
        self.function("startswith", &v)
    }

    /// `endswith(p,'v')`.
    pub fn endswith(&self, v: &str) -> Filter<O>
    where
        T: Text,
    {
        self.function("endswith", &v)
    }

    /// `tolower(p)`.
    pub fn tolower(&self) -> Prop<O, T>
    where
        T: Text,
    {
        self.apply("tolower")
    }

    /// `toupper(p)`.
    pub fn toupper(&self) -> Prop<O, T>
    where
        T: Text,
    {
        self.apply("toupper")
    }

    /// `trim(p)`.
    pub fn trim(&self) -> Prop<O, T>
    where
        T: Text,
    {
        self.apply("trim")
    }

    /// `length(p)`.
    pub fn length(&self) -> Prop<O, i32>
    where
        T: Text,
    {
        self.apply("length")
    }
}

impl<O, T> Prop<O, Option<T>> {
    /// `p eq null`.
    pub fn is_null(&self) -> Filter<O> {
        let e = self.expr();
        Filter::build(Prec::Compare, |_| format!("{e} eq null"))
    }

    /// `p ne null`.
    pub fn is_not_null(&self) -> Filter<O> {
        let e = self.expr();
        Filter::build(Prec::Compare, |_| format!("{e} ne null"))
    }
}

impl<O, E: EnumType> Prop<O, Flags<E>> {
    /// `p has ns.Type'A,B'`: whether every flag in `v` is set (V4).
    pub fn has(&self, v: impl Into<Flags<E>>) -> Filter<O> {
        self.compare("has", &v.into())
    }
}

impl<O, E: EnumType> Prop<O, Option<Flags<E>>> {
    /// `p has ns.Type'A,B'`: whether every flag in `v` is set (V4).
    pub fn has(&self, v: impl Into<Flags<E>>) -> Filter<O> {
        self.compare("has", &v.into())
    }
}

/// A primitive or enum value: it can be sorted by (`$orderby`) and compared.
pub trait Scalar {}

/// Values of `Self` compare (`eq`, `ne`, `in`) with literals of type `V`:
/// a property of type `T` with a `T`; strings also with `&str`; a nullable
/// property like its value type.
#[diagnostic::on_unimplemented(
    message = "a property of type `{Self}` does not compare with a `{V}`",
    label = "a literal of the property's type is expected here"
)]
pub trait Compare<V>: Scalar {}

/// Values with an order: `gt`, `ge`, `lt`, `le`.
#[diagnostic::on_unimplemented(
    message = "values of type `{Self}` have no order: `gt`, `ge`, `lt` and `le` need numbers, strings, dates, times or durations"
)]
pub trait Ordered: Scalar {}

/// Strings: the string functions.
#[diagnostic::on_unimplemented(
    message = "string functions need a string property, not one of type `{Self}`"
)]
pub trait Text: Scalar {}

/// A complex value or an entity (single-valued navigation): [`Prop::then`]
/// reaches the properties of `Self::Of`.
#[diagnostic::on_unimplemented(
    message = "`then` needs a complex or single-valued navigation property, not one of type `{Self}`"
)]
pub trait Structure {
    /// The type whose properties are reachable.
    type Of;
}

/// A collection: the lambda operators `any` and `all` over its items.
#[diagnostic::on_unimplemented(
    message = "`any`, `all` and `is_not_empty` need a collection (OData V3 or later), not a property of type `{Self}`"
)]
pub trait Collection {
    /// The type of the items.
    type Item;
}

/// A navigation property: `$expand` with nested options on `Self::Target`.
#[diagnostic::on_unimplemented(
    message = "`$expand` needs a navigation property, not a property of type `{Self}`"
)]
pub trait Expandable {
    /// The entity type navigated to.
    type Target;
}

/// A property that can be `null` on the wire: a nullable one (`Option<…>`); what
/// [`Structured::set_null`] takes. A collection is never `null` (its `Nullable` facet is about
/// its items): clear one by setting it to an empty `Vec`.
#[diagnostic::on_unimplemented(
    message = "a property of type `{Self}` cannot be null",
    label = "a nullable property is expected here (a collection is cleared with an empty `Vec`)"
)]
pub trait Nullable {}

impl<T> Nullable for Option<T> {}

macro_rules! scalars {
    (ordered: $($o:ty),*; unordered: $($u:ty),*) => {
        $(
            impl Scalar for $o {}
            impl Compare<$o> for $o {}
            impl Ordered for $o {}
        )*
        $(
            impl Scalar for $u {}
            impl Compare<$u> for $u {}
        )*
    };
}

scalars!(ordered: u8, i8, i16, i32, i64, f32, f64, crate::Duration; unordered: bool);
#[cfg(feature = "decimal")]
scalars!(ordered: crate::Decimal; unordered: );
#[cfg(feature = "uuid")]
scalars!(ordered: crate::Guid; unordered: );
#[cfg(feature = "chrono")]
scalars!(
    ordered: crate::DateTimeOffset, crate::DateTime, crate::Date, crate::TimeOfDay;
    unordered:
);
#[cfg(feature = "base64")]
scalars!(ordered: ; unordered: crate::Binary);

impl Scalar for String {}
impl Compare<String> for String {}
impl Compare<&str> for String {}
impl Ordered for String {}
impl Text for String {}

impl<E: EnumType> Scalar for E {}
impl<E: EnumType> Compare<E> for E {}
impl<E: EnumType> Scalar for Flags<E> {}
impl<E: EnumType> Compare<Flags<E>> for Flags<E> {}

impl<T: Scalar> Scalar for Option<T> {}
impl<V, T: Compare<V>> Compare<V> for Option<T> {}
impl<T: Ordered> Ordered for Option<T> {}
impl<T: Text> Text for Option<T> {}

impl<T: Structured> Structure for T {
    type Of = T;
}
impl<T> Structure for Nav<T> {
    type Of = T;
}
impl<T: Structure> Structure for Option<T> {
    type Of = T::Of;
}

impl<T> Collection for Vec<T> {
    type Item = T;
}

impl<T> Expandable for Nav<T> {
    type Target = T;
}
impl<T> Expandable for Option<Nav<T>> {
    type Target = T;
}
impl<T> Expandable for Vec<Nav<T>> {
    type Target = T;
}
impl<T> Expandable for V2Collection<Nav<T>> {
    type Target = T;
}

/// How tightly an expression binds, for the parentheses `and`, `or` and
/// `not` put around their operands (OData: `not` before comparisons before
/// `and` before `or`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Prec {
    Or,
    And,
    Not,
    /// `eq`, `ne`, `gt`, `in`, `has`, …
    Compare,
    /// A function call or a lambda: never parenthesized.
    Primary,
    /// Text given by the user: always parenthesized when combined.
    Raw,
}

/// A `$filter` expression over values of type `E` (the entity or complex
/// type it is evaluated against). Build one from the typed properties
/// (`User::DISPLAY_NAME.eq("x")`, see the [module docs](self)), combine
/// with [`and`](Filter::and), [`or`](Filter::or) and [`not`](Filter::not),
/// or convert text (`Filter::from("startswith(displayName,'a')")`), which
/// is used as it is.
pub struct Filter<E> {
    // The text as V2, V3 and V4 write it (literals differ: `guid'…'`, `42L`).
    texts: [String; 3],
    prec: Prec,
    _e: PhantomData<fn() -> E>,
}

impl<E> Clone for Filter<E> {
    fn clone(&self) -> Self {
        Filter {
            texts: self.texts.clone(),
            prec: self.prec,
            _e: PhantomData,
        }
    }
}

impl<E> fmt::Debug for Filter<E> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_tuple("Filter").field(&self.texts[2]).finish()
    }
}

impl<E> PartialEq for Filter<E> {
    fn eq(&self, other: &Self) -> bool {
        self.texts == other.texts
    }
}

impl<E> Eq for Filter<E> {}

const VERSIONS: [Version; 3] = [Version::V2, Version::V3, Version::V4];

impl<E> Filter<E> {
    fn build(prec: Prec, f: impl Fn(Version) -> String) -> Filter<E> {
        Filter {
            texts: VERSIONS.map(f),
            prec,
            _e: PhantomData,
        }
    }

    /// A filter written as text, used as it is in every protocol version.
    pub fn raw(text: impl Into<String>) -> Filter<E> {
        let text = text.into();
        Filter::build(Prec::Raw, |_| text.clone())
    }

    /// The filter as `version` writes it.
    pub fn text(&self, version: Version) -> &str {
        match version {
            Version::V2 => &self.texts[0],
            Version::V3 => &self.texts[1],
            Version::V4 => &self.texts[2],
        }
    }

    /// The text of each version, in parentheses where `parenthesize` says.
    fn operand(self, parenthesize: impl Fn(Prec) -> bool) -> [String; 3] {
        if parenthesize(self.prec) {
            self.texts.map(|t| format!("({t})"))
        } else {
            self.texts
        }
    }

    fn combine(self, op: &str, prec: Prec, other: Filter<E>, wrap: fn(Prec) -> bool) -> Filter<E> {
        let left = self.operand(wrap);
        let right = other.operand(wrap);
        let mut texts = left;
        for (t, o) in texts.iter_mut().zip(right) {
            t.push(' ');
            t.push_str(op);
            t.push(' ');
            t.push_str(&o);
        }
        Filter {
            texts,
            prec,
            _e: PhantomData,
        }
    }

    /// `a and b` (an `or` operand in parentheses). `other` may be a filter
    /// of a base type of `E`, or text.
    pub fn and(self, other: impl IntoFilter<E>) -> Filter<E> {
        self.combine("and", Prec::And, other.into_filter(), |p| {
            matches!(p, Prec::Or | Prec::Raw)
        })
    }

    /// `a or b`.
    pub fn or(self, other: impl IntoFilter<E>) -> Filter<E> {
        self.combine("or", Prec::Or, other.into_filter(), |p| p == Prec::Raw)
    }

    /// `not a` (`not (a eq 1)`: a comparison or combination in parentheses).
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Filter<E> {
        let texts = self.operand(|p| !matches!(p, Prec::Primary | Prec::Not));
        Filter {
            texts: texts.map(|t| format!("not {t}")),
            prec: Prec::Not,
            _e: PhantomData,
        }
    }

    /// The same filter over a derived type (a filter of `User`'s base type
    /// `DirectoryObject` as one of `User`).
    pub fn cast<D: IsA<E>>(self) -> Filter<D> {
        Filter {
            texts: self.texts,
            prec: self.prec,
            _e: PhantomData,
        }
    }
}

impl<E> From<&str> for Filter<E> {
    fn from(s: &str) -> Filter<E> {
        Filter::raw(s)
    }
}

impl<E> From<String> for Filter<E> {
    fn from(s: String) -> Filter<E> {
        Filter::raw(s)
    }
}

/// What a request's `filter` (and [`Filter::and`], [`Filter::or`]) takes
/// for values of type `E`: a [`Filter`] of `E` or of a base type of `E`,
/// or text.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a filter over `{E}`",
    label = "a filter built from the properties of `{E}` (or of a base type) is expected here"
)]
pub trait IntoFilter<E> {
    /// The filter.
    fn into_filter(self) -> Filter<E>;
}

impl<E, B> IntoFilter<E> for Filter<B>
where
    E: IsA<B>,
{
    fn into_filter(self) -> Filter<E> {
        self.cast()
    }
}

impl<E> IntoFilter<E> for &str {
    fn into_filter(self) -> Filter<E> {
        Filter::raw(self)
    }
}

impl<E> IntoFilter<E> for String {
    fn into_filter(self) -> Filter<E> {
        Filter::raw(self)
    }
}

/// An `$orderby` item for values of type `E`: a typed property of `E` (or
/// of a base type, nested properties included: `User::ADDRESS.then(Address::CITY)`)
/// whose values are primitive or enum.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot order values of type `{E}`",
    label = "a primitive or enum property of `{E}` (or of a base type) is expected here"
)]
pub trait OrderKey<E> {
    /// The expression ordered by.
    fn order_expr(&self) -> String;
}

impl<E, B, T> OrderKey<E> for Prop<B, T>
where
    E: IsA<B>,
    T: Scalar,
{
    fn order_expr(&self) -> String {
        self.expr()
    }
}

/// Properties for `$select` on values of type `E`: a property constant of `E` or of a base type
/// (`User::DISPLAY_NAME`, `DirectoryObject::ID`), or several of them: a tuple of any of these
/// (`(User::ID, User::DISPLAY_NAME)`), an array or a `Vec` of properties of one type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not select properties of `{E}`",
    label = "a property constant of `{E}` (or of a base type), or a tuple, array or `Vec` of them, is expected here"
)]
pub trait Select<E> {
    /// Appends the `$select` items, or the reason one cannot be selected (a nested path or an
    /// expression: `tolower(mail)` is not a property).
    fn select_items(self, items: &mut Vec<String>) -> Result<(), String>;
}

impl<E, B, T> Select<E> for Prop<B, T>
where
    E: IsA<B>,
{
    fn select_items(self, items: &mut Vec<String>) -> Result<(), String> {
        // A nested path means a property of a complex value in V4 but a property of a
        // navigation target in V2/V3 (with `$expand`), and neither else; what `then` went
        // through is not known here, so only the type's own properties are typed items.
        let Some(name) = self.plain_name() else {
            return Err(format!(
                "`$select` takes properties of the type, not `{}` (a nested path or \
                 expression can be written as text with the request's `map`: \
                 `.map(|q| q.select([\"a/b\"]))`)",
                self.expr()
            ));
        };
        items.push(name.to_owned());
        Ok(())
    }
}

/// Navigation properties for `$expand` on values of type `E`: a navigation property constant
/// of `E` or of a base type (`User::MANAGER`), or several of them: a tuple of any of these
/// (`(User::MANAGER, User::MEMBER_OF)`), an array or a `Vec` of properties of one type. Nested
/// options: `expand_with`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not expand navigation properties of `{E}`",
    label = "a navigation property constant of `{E}` (or of a base type), or a tuple, array or `Vec` of them, is expected here"
)]
pub trait ExpandList<E> {
    /// Appends the `$expand` items, or the reason one cannot be expanded (a nested path:
    /// `expand_with` and a nested `expand` write one for the request's protocol version).
    fn expand_items(self, items: &mut Vec<String>) -> Result<(), String>;
}

impl<E, B, N> ExpandList<E> for Prop<B, N>
where
    E: IsA<B>,
    N: Expandable,
{
    fn expand_items(self, items: &mut Vec<String>) -> Result<(), String> {
        let Some(name) = self.plain_name() else {
            return Err(format!(
                "`$expand` takes navigation properties of the type, not `{}` (nest them with \
                 `expand_with(…, |e| e.expand(…))`)",
                self.expr()
            ));
        };
        items.push(name.to_owned());
        Ok(())
    }
}

impl<E, S: Select<E>, const K: usize> Select<E> for [S; K] {
    fn select_items(self, items: &mut Vec<String>) -> Result<(), String> {
        self.into_iter().try_for_each(|s| s.select_items(items))
    }
}

impl<E, S: Select<E>> Select<E> for Vec<S> {
    fn select_items(self, items: &mut Vec<String>) -> Result<(), String> {
        self.into_iter().try_for_each(|s| s.select_items(items))
    }
}

impl<E, X: ExpandList<E>, const K: usize> ExpandList<E> for [X; K] {
    fn expand_items(self, items: &mut Vec<String>) -> Result<(), String> {
        self.into_iter().try_for_each(|x| x.expand_items(items))
    }
}

impl<E, X: ExpandList<E>> ExpandList<E> for Vec<X> {
    fn expand_items(self, items: &mut Vec<String>) -> Result<(), String> {
        self.into_iter().try_for_each(|x| x.expand_items(items))
    }
}

/// `Select` and `ExpandList` for tuples of up to 16 items of any (different) types.
macro_rules! tuples {
    ($($x:ident)+) => {
        impl<E, $($x: Select<E>),+> Select<E> for ($($x,)+) {
            #[allow(non_snake_case)]
            fn select_items(self, items: &mut Vec<String>) -> Result<(), String> {
                let ($($x,)+) = self;
                $($x.select_items(items)?;)+
                Ok(())
            }
        }
        impl<E, $($x: ExpandList<E>),+> ExpandList<E> for ($($x,)+) {
            #[allow(non_snake_case)]
            fn expand_items(self, items: &mut Vec<String>) -> Result<(), String> {
                let ($($x,)+) = self;
                $($x.expand_items(items)?;)+
                Ok(())
            }
        }
    };
}

tuples!(A);
tuples!(A B);
tuples!(A B C);
tuples!(A B C D);
tuples!(A B C D F);
tuples!(A B C D F G);
tuples!(A B C D F G H);
tuples!(A B C D F G H I);
tuples!(A B C D F G H I J);
tuples!(A B C D F G H I J K);
tuples!(A B C D F G H I J K L);
tuples!(A B C D F G H I J K L M);
tuples!(A B C D F G H I J K L M N);
tuples!(A B C D F G H I J K L M N O);
tuples!(A B C D F G H I J K L M N O P);
tuples!(A B C D F G H I J K L M N O P Q);

/// The `$select` items of `properties`.
pub(crate) fn select_items<E>(properties: impl Select<E>) -> Result<Vec<String>, String> {
    let mut items = Vec::new();
    properties.select_items(&mut items)?;
    Ok(items)
}

/// The `$expand` items of `navigations`.
pub(crate) fn expand_items<E>(navigations: impl ExpandList<E>) -> Result<Vec<String>, String> {
    let mut items = Vec::new();
    navigations.expand_items(&mut items)?;
    Ok(items)
}

/// The options of an expanded navigation property to entities of type `T`
/// (`manager($select=id;$expand=…)`): built in the closure of
/// `expand_with` on the request builders.
///
/// Nested options are OData V4. V2 and V3 have two of them in other words: a nested expansion
/// is a path (`manager/directReports`), and a nested `$select` a path in the request's own
/// `$select` (`manager/displayName`, see [`Query::select_below`]); any other option makes the
/// request fail with [`crate::Error::Url`] before it is sent.
#[must_use]
pub struct Expand<T> {
    version: Version,
    query: Query,
    /// Nested expansions as V2/V3 paths below this one.
    paths: Vec<String>,
    /// `$select` as V2/V3 paths below this one (of nested expansions too).
    selects: Vec<String>,
    /// Whether `select` was called here (V2/V3): without, a nested expansion's `$select`
    /// must not narrow this level, which then selects `name/*`.
    own_select: bool,
    /// Options V2/V3 cannot write.
    other: bool,
    error: Option<String>,
    _t: PhantomData<fn() -> T>,
}

impl<T> Expand<T> {
    /// Options for a request of `version`.
    pub fn new(version: Version) -> Self {
        Expand {
            version,
            query: Query::new(),
            paths: Vec::new(),
            selects: Vec::new(),
            own_select: false,
            other: false,
            error: None,
            _t: PhantomData,
        }
    }

    fn option(mut self, f: impl FnOnce(Query) -> Query) -> Self {
        self.query = f(std::mem::take(&mut self.query));
        self.other = true;
        self
    }

    /// `$select` of the expanded entities' properties: property constants of `T` or of a base
    /// type, one or several ([`Select`]).
    pub fn select(mut self, properties: impl Select<T>) -> Self {
        match select_items(properties) {
            Ok(items) if self.version == Version::V4 => self.option(|q| q.select(items)),
            Ok(items) => {
                self.selects.extend(items);
                self.own_select = true;
                self
            }
            Err(e) => {
                self.error = self.error.or(Some(e));
                self
            }
        }
    }

    /// `$filter` of the expanded collection.
    pub fn filter(self, expr: impl IntoFilter<T>) -> Self {
        let version = self.version;
        let expr = expr.into_filter();
        self.option(|q| q.filter(expr.text(version)))
    }

    /// An ascending `$orderby` item of the expanded collection.
    pub fn orderby(self, key: impl OrderKey<T>) -> Self {
        self.option(|q| q.orderby([key.order_expr()]))
    }

    /// A descending `$orderby` item of the expanded collection.
    pub fn orderby_desc(self, key: impl OrderKey<T>) -> Self {
        self.option(|q| q.orderby([format!("{} desc", key.order_expr())]))
    }

    /// `$top` of the expanded collection.
    pub fn top(self, n: u64) -> Self {
        self.option(|q| q.top(n))
    }

    /// `$skip` of the expanded collection.
    pub fn skip(self, n: u64) -> Self {
        self.option(|q| q.skip(n))
    }

    /// `$count=true`: the expanded collection with its count.
    pub fn with_count(self) -> Self {
        self.option(|q| q.count(true))
    }

    /// A nested `$expand` of navigation properties of `T`: one, or several in a tuple
    /// ([`ExpandList`]).
    pub fn expand(self, navigations: impl ExpandList<T>) -> Self {
        self.add_expansions(expand_items(navigations).map(|items| (items, Vec::new())))
    }

    /// A nested `$expand` with its own options.
    pub fn expand_with<B, N: Expandable>(
        self,
        navigation: Prop<B, N>,
        options: impl FnOnce(Expand<N::Target>) -> Expand<N::Target>,
    ) -> Self
    where
        T: IsA<B>,
    {
        let inner = options(Expand::new(self.version));
        self.add_expansions(inner.expansion(&navigation.path))
    }

    /// Nested `$expand` items (V4 with their options, V2/V3 paths below this one) and V2/V3
    /// `$select` paths below this one; or the error that kept them out.
    fn add_expansions(mut self, parts: Result<(Vec<String>, Vec<String>), String>) -> Self {
        match parts {
            Ok((items, _)) if self.version == Version::V4 => self.query = self.query.expand(items),
            Ok((items, selects)) => {
                self.paths.extend(items);
                self.selects.extend(selects);
            }
            Err(e) => self.error = self.error.or(Some(e)),
        }
        self
    }

    /// The `$expand` items for the navigation property `name` with these options: `name(…)` in
    /// V4, `name` and `name/nested` paths in V2/V3. A V2/V3 nested `$select` is not an
    /// `$expand` item: with one, this is an error; [`Expand::expansion`] gives it.
    pub fn items(self, name: &str) -> Result<Vec<String>, String> {
        match self.expansion(name)? {
            (items, selects) if selects.is_empty() => Ok(items),
            _ => Err(format!(
                "`$expand={name}` with a nested `$select` in OData V2/V3 needs the request's own \
                 `$select` (`Expand::expansion`)"
            )),
        }
    }

    /// The `$expand` items for the navigation property `name` with these options, as
    /// [`Expand::items`], and the `$select` paths V2/V3 write for a nested `$select`
    /// (`name/prop`, for the request's [`Query::select_below`]; none in V4, where it is an
    /// option of the item: `name($select=prop)`).
    pub fn expansion(self, name: &str) -> Result<(Vec<String>, Vec<String>), String> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.version == Version::V4 {
            if self.query.is_empty() {
                return Ok((vec![name.to_owned()], Vec::new()));
            }
            let options: Vec<String> = self
                .query
                .pairs(self.version)
                .into_iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            return Ok((vec![format!("{name}({})", options.join(";"))], Vec::new()));
        }
        if self.other {
            return Err(format!(
                "`$expand={name}` with nested options other than `$expand` and `$select` needs \
                 OData V4"
            ));
        }
        let below = |paths: &[String]| -> Vec<String> {
            paths.iter().map(|p| format!("{name}/{p}")).collect()
        };
        let items = if self.paths.is_empty() {
            vec![name.to_owned()]
        } else {
            below(&self.paths)
        };
        // Paths below a level narrow it to them in V2/V3: a level without a `select` of its own
        // is selected whole (`name/*`) beside a nested expansion's paths, as it comes in V4.
        let mut selects = Vec::new();
        if !self.own_select && !self.selects.is_empty() {
            selects.push(format!("{name}/*"));
        }
        selects.extend(below(&self.selects));
        Ok((items, selects))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structured::{Extra, StructInfo};
    use Version::{V2, V3, V4};

    macro_rules! thing {
        ($name:ident, $wire:literal) => {
            #[derive(Default)]
            struct $name {
                extra: Extra,
            }
            unsafe impl Structured for $name {
                const INFO: &'static StructInfo = &StructInfo {
                    name: $wire,
                    fields: &[],
                    sorted: &[],
                    open: false,
                    version: V4,
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
        };
    }
    thing!(Person, "ns.Person");
    thing!(Address, "ns.Address");

    // What a generated crate declares.
    impl Person {
        const NAME: Prop<Self, Option<String>> = Prop::new("name");
        const ID: Prop<Self, i64> = Prop::new("id");
        const SCORE: Prop<Self, Option<f64>> = Prop::new("score");
        const ACTIVE: Prop<Self, bool> = Prop::new("active");
        const ADDRESS: Prop<Self, Option<Address>> = Prop::new("address");
        const ADDRESSES: Prop<Self, Vec<Address>> = Prop::new("addresses");
        const TAGS: Prop<Self, Vec<String>> = Prop::new("tags");
        const FRIENDS: Prop<Self, Vec<Nav<Person>>> = Prop::new("friends");
        const BEST_FRIEND: Prop<Self, Option<Nav<Person>>> = Prop::new("bestFriend");
    }
    impl Address {
        const CITY: Prop<Self, Option<String>> = Prop::new("city");
        const ZIP: Prop<Self, i32> = Prop::new("zip");
    }

    fn all<E>(f: &Filter<E>) -> [&str; 3] {
        [f.text(V2), f.text(V3), f.text(V4)]
    }

    #[test]
    fn comparisons_and_literals_per_version() {
        let f = Person::ID.eq(42);
        assert_eq!(all(&f), ["id eq 42L", "id eq 42L", "id eq 42"]);
        let f = Person::SCORE.ge(1.5);
        assert_eq!(all(&f), ["score ge 1.5d", "score ge 1.5d", "score ge 1.5"]);
        assert_eq!(Person::NAME.eq("O'Neil").text(V4), "name eq 'O''Neil'");
        assert_eq!(Person::NAME.ne(String::from("a")).text(V4), "name ne 'a'");
        assert_eq!(Person::ACTIVE.eq(true).text(V2), "active eq true");
        assert_eq!(Person::NAME.lt("m").text(V4), "name lt 'm'");
        assert_eq!(Person::NAME.is_null().text(V2), "name eq null");
        assert_eq!(Person::NAME.is_not_null().text(V4), "name ne null");
        #[cfg(feature = "uuid")]
        {
            const G: Prop<Person, crate::Guid> = Prop::new("g");
            let g: crate::Guid = "01234567-89ab-cdef-0123-456789abcdef".parse().unwrap();
            assert_eq!(
                all(&G.eq(g)),
                [
                    "g eq guid'01234567-89ab-cdef-0123-456789abcdef'",
                    "g eq guid'01234567-89ab-cdef-0123-456789abcdef'",
                    "g eq 01234567-89ab-cdef-0123-456789abcdef"
                ]
            );
        }
        #[cfg(feature = "chrono")]
        {
            const T: Prop<Person, Option<crate::DateTimeOffset>> = Prop::new("t");
            const D: Prop<Person, crate::DateTime> = Prop::new("d");
            let t: crate::DateTimeOffset = "2026-08-03T10:11:12Z".parse().unwrap();
            assert_eq!(
                all(&T.lt(t)),
                [
                    "t lt datetimeoffset'2026-08-03T10:11:12Z'",
                    "t lt datetimeoffset'2026-08-03T10:11:12Z'",
                    "t lt 2026-08-03T10:11:12Z"
                ]
            );
            let d: crate::DateTime = "2026-08-03T10:11:12".parse().unwrap();
            assert_eq!(D.ge(d).text(V2), "d ge datetime'2026-08-03T10:11:12'");
        }
        #[cfg(feature = "decimal")]
        {
            const P: Prop<Person, crate::Decimal> = Prop::new("price");
            let p: crate::Decimal = "10.50".parse().unwrap();
            assert_eq!(
                all(&P.le(p)),
                ["price le 10.50M", "price le 10.50M", "price le 10.50"]
            );
        }
    }

    #[test]
    fn parentheses_only_where_precedence_needs_them() {
        let a = || Person::ID.eq(1);
        let b = || Person::ACTIVE.eq(true);
        let c = || Person::NAME.startswith("x");
        assert_eq!(a().and(b()).text(V4), "id eq 1 and active eq true");
        assert_eq!(
            a().and(b()).and(c()).text(V4),
            "id eq 1 and active eq true and startswith(name,'x')"
        );
        assert_eq!(
            a().or(b()).and(c()).text(V4),
            "(id eq 1 or active eq true) and startswith(name,'x')"
        );
        assert_eq!(
            c().and(a().or(b())).text(V4),
            "startswith(name,'x') and (id eq 1 or active eq true)"
        );
        assert_eq!(
            a().and(b()).or(c()).text(V4),
            "id eq 1 and active eq true or startswith(name,'x')"
        );
        assert_eq!(
            a().or(b().and(c())).text(V4),
            "id eq 1 or active eq true and startswith(name,'x')"
        );
        assert_eq!(a().not().text(V4), "not (id eq 1)");
        assert_eq!(c().not().text(V4), "not startswith(name,'x')");
        assert_eq!(
            a().or(b()).not().text(V4),
            "not (id eq 1 or active eq true)"
        );
        assert_eq!(
            c().not().and(a()).text(V4),
            "not startswith(name,'x') and id eq 1"
        );
        assert_eq!(c().not().not().text(V4), "not not startswith(name,'x')");
        // Text is parenthesized whenever it is combined.
        assert_eq!(
            a().and("x eq 1 or y eq 2").text(V4),
            "id eq 1 and (x eq 1 or y eq 2)"
        );
        assert_eq!(
            Filter::<Person>::from("x eq 1").or(a()).text(V3),
            "(x eq 1) or id eq 1L"
        );
        assert_eq!(Filter::<Person>::from("a eq 1").text(V2), "a eq 1");
        assert_eq!(
            Filter::<Person>::from("a eq 1").not().text(V2),
            "not (a eq 1)"
        );
    }

    #[test]
    fn string_functions() {
        assert_eq!(
            all(&Person::NAME.contains("O'N")),
            [
                "substringof('O''N',name)",
                "substringof('O''N',name)",
                "contains(name,'O''N')"
            ]
        );
        assert_eq!(
            Person::NAME.startswith("a").text(V2),
            "startswith(name,'a')"
        );
        assert_eq!(Person::NAME.endswith("a").text(V4), "endswith(name,'a')");
        assert_eq!(
            Person::NAME.tolower().eq("a").text(V4),
            "tolower(name) eq 'a'"
        );
        assert_eq!(
            Person::NAME.trim().toupper().startswith("A").text(V4),
            "startswith(toupper(trim(name)),'A')"
        );
        assert_eq!(Person::NAME.length().gt(3).text(V4), "length(name) gt 3");
        assert_eq!(
            Person::ADDRESS
                .then(Address::CITY.tolower())
                .eq("oslo")
                .text(V4),
            "tolower(address/city) eq 'oslo'"
        );
    }

    #[test]
    fn nested_properties_and_in() {
        let city = Person::ADDRESS.then(Address::CITY);
        assert_eq!(city.expr(), "address/city");
        assert_eq!(city.eq("Oslo").text(V4), "address/city eq 'Oslo'");
        assert_eq!(
            Person::BEST_FRIEND
                .then(Person::ADDRESS)
                .then(Address::ZIP)
                .gt(100)
                .text(V4),
            "bestFriend/address/zip gt 100"
        );
        assert_eq!(Person::BEST_FRIEND.is_null().text(V4), "bestFriend eq null");
        let f = Person::NAME.is_in(["a", "b'c"]);
        assert_eq!(
            all(&f),
            [
                "(name eq 'a' or name eq 'b''c')",
                "(name eq 'a' or name eq 'b''c')",
                "name in ('a','b''c')"
            ]
        );
        assert_eq!(
            all(&Person::ID.is_in([7])),
            ["id eq 7L", "id eq 7L", "id in (7)"]
        );
        assert_eq!(all(&Person::ID.is_in(Vec::<i64>::new())), ["false"; 3]);
        assert_eq!(
            Person::ID
                .is_in([1, 2])
                .and(Person::ACTIVE.eq(true))
                .text(V3),
            "(id eq 1L or id eq 2L) and active eq true"
        );
    }

    #[test]
    fn lambdas() {
        assert_eq!(
            all(&Person::TAGS.any(|t| t.eq("x"))),
            ["tags/any(x0:x0 eq 'x')"; 3]
        );
        assert_eq!(
            Person::ADDRESSES
                .all(|a| a
                    .then(Address::CITY)
                    .eq("Oslo")
                    .or(a.then(Address::ZIP).lt(10)))
                .text(V4),
            "addresses/all(x0:x0/city eq 'Oslo' or x0/zip lt 10)"
        );
        // Nested lambdas get their own variables.
        let f = Person::FRIENDS.any(|p| {
            p.then(Person::FRIENDS)
                .any(|q| q.then(Person::NAME).eq("a"))
                .and(p.then(Person::ID).ne(1))
        });
        assert_eq!(
            f.text(V3),
            "friends/any(x0:x0/friends/any(x1:x1/name eq 'a') and x0/id ne 1L)"
        );
        assert_eq!(Person::FRIENDS.is_not_empty().text(V4), "friends/any()");
        assert_eq!(
            Person::TAGS.any(|t| t.startswith("a")).not().text(V4),
            "not tags/any(x0:startswith(x0,'a'))"
        );
    }

    #[test]
    fn order_keys() {
        fn key<E>(k: impl OrderKey<E>) -> String {
            k.order_expr()
        }
        assert_eq!(
            key::<Person>(Person::ADDRESS.then(Address::CITY)),
            "address/city"
        );
        assert_eq!(key::<Person>(Person::NAME.tolower()), "tolower(name)");
    }

    #[test]
    fn expand_options() {
        let e = Expand::<Person>::new(V4)
            .filter(Person::NAME.startswith("a"))
            .orderby_desc(Person::ID)
            .top(3)
            .expand_with(Person::BEST_FRIEND, |f| f.expand(Person::FRIENDS));
        assert_eq!(
            e.items("friends").unwrap(),
            [
                "friends($expand=bestFriend($expand=friends);$filter=startswith(name,'a');$orderby=id desc;$top=3)"
            ]
        );
        assert_eq!(
            Expand::<Person>::new(V4).items("friends").unwrap(),
            ["friends"]
        );
        // V2/V3: nested expansion as paths; other options are an error.
        let e = Expand::<Person>::new(V2)
            .expand(Person::FRIENDS)
            .expand_with(Person::BEST_FRIEND, |f| f.expand(Person::FRIENDS));
        assert_eq!(
            e.items("friends").unwrap(),
            ["friends/friends", "friends/bestFriend/friends"]
        );
        let e = Expand::<Person>::new(V3).expand_with(Person::FRIENDS, |f| f.top(1));
        assert!(e.items("friends").unwrap_err().contains("needs OData V4"));
        // V2/V3: a nested `$select` as paths for the request's `$select`, at every depth.
        let e = Expand::<Person>::new(V2)
            .select(Person::NAME)
            .expand_with(Person::BEST_FRIEND, |f| {
                f.select((Person::ID, Person::NAME)).expand(Person::FRIENDS)
            });
        let (items, selects) = e.expansion("friends").unwrap();
        assert_eq!(items, ["friends/bestFriend/friends"]);
        assert_eq!(
            selects,
            [
                "friends/name",
                "friends/bestFriend/id",
                "friends/bestFriend/name"
            ]
        );
        let e = Expand::<Person>::new(V2).select(Person::NAME);
        assert!(e.items("friends").unwrap_err().contains("nested `$select`"));
        // A level without a `select` of its own comes whole beside a deeper one's paths.
        let e =
            Expand::<Person>::new(V3).expand_with(Person::BEST_FRIEND, |f| f.select(Person::ID));
        assert_eq!(
            e.expansion("friends").unwrap(),
            (
                vec!["friends/bestFriend".to_owned()],
                vec!["friends/*".to_owned(), "friends/bestFriend/id".to_owned()]
            )
        );
        // V4: an option of the item, as before.
        let e = Expand::<Person>::new(V4).select(Person::NAME);
        assert_eq!(
            e.expansion("friends").unwrap(),
            (vec!["friends($select=name)".to_owned()], Vec::new())
        );
    }

    #[test]
    fn select_and_expand_lists() {
        // One constant, a tuple of constants of different value types, an array, a `Vec`.
        assert_eq!(select_items::<Person>(Person::NAME).unwrap(), ["name"]);
        assert_eq!(
            select_items::<Person>((Person::ID, Person::NAME, Person::ADDRESS)).unwrap(),
            ["id", "name", "address"]
        );
        assert_eq!(
            select_items::<Person>([Person::NAME, Person::NAME.clone()]).unwrap(),
            ["name", "name"]
        );
        assert_eq!(
            select_items::<Person>(vec![Person::TAGS]).unwrap(),
            ["tags"]
        );
        // A nested path and an expression are not properties of the type, and say so.
        let e = select_items::<Person>(Person::ADDRESS.then(Address::CITY)).unwrap_err();
        assert!(e.contains("`address/city`"), "{e}");
        let e = select_items::<Person>((Person::ID, Person::NAME.tolower())).unwrap_err();
        assert!(e.contains("`tolower(name)`"), "{e}");
        assert_eq!(
            expand_items::<Person>((Person::FRIENDS, Person::BEST_FRIEND)).unwrap(),
            ["friends", "bestFriend"]
        );
        assert_eq!(
            expand_items::<Person>(Person::FRIENDS).unwrap(),
            ["friends"]
        );
        let e = expand_items::<Person>(Person::BEST_FRIEND.then(Person::FRIENDS)).unwrap_err();
        assert!(e.contains("`bestFriend/friends`"), "{e}");
        // A nested `expand` takes a list too, and writes it per version.
        let e = Expand::<Person>::new(V4).expand((Person::FRIENDS, Person::BEST_FRIEND));
        assert_eq!(
            e.items("friends").unwrap(),
            ["friends($expand=friends,bestFriend)"]
        );
        let e = Expand::<Person>::new(V2).expand((Person::FRIENDS, Person::BEST_FRIEND));
        assert_eq!(
            e.items("friends").unwrap(),
            ["friends/friends", "friends/bestFriend"]
        );
        // Nested `$select` in an expansion, and its error.
        let e = Expand::<Person>::new(V4).select((Person::ID, Person::NAME));
        assert_eq!(e.items("friends").unwrap(), ["friends($select=id,name)"]);
        let e = Expand::<Person>::new(V4).select(Person::NAME.toupper());
        assert!(e.items("friends").unwrap_err().contains("`toupper(name)`"));
    }
}
