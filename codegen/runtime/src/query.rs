//! System query options and extra query parameters.

use crate::Version;
use crate::literal::{Literal, encode_query_name, encode_query_value};

/// Query options of a request, rendered in a fixed order:
/// `$select`, `$expand`, `$filter`, `$search`, `$orderby`, `$top`, `$skip`,
/// `$count` (V2/V3: `$inlinecount`), then extra parameters in the order
/// they were first added.
///
/// Values are kept as written (select and expand items, filter, orderby and
/// search expressions) and percent-encoded when rendered, see
/// [`crate::literal`]: `$filter=startswith(displayName,'a b')` becomes
/// `$filter=startswith(displayName,'a%20b')`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    select: Vec<String>,
    /// V2/V3 `$select` paths below expanded navigation properties (`Supplier/Name`), from the
    /// `$select` of an `expand_with`: see [`Query::select_below`].
    below: Vec<String>,
    expand: Vec<String>,
    filter: Option<String>,
    search: Option<String>,
    orderby: Vec<String>,
    top: Option<u64>,
    skip: Option<u64>,
    count: Option<bool>,
    params: Vec<(String, String)>,
}

impl Query {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `$select` items (`"id"`, `"displayName"`, `"ns.Derived/prop"`).
    pub fn select<I: IntoIterator<Item = S>, S: Into<String>>(mut self, items: I) -> Self {
        self.select.extend(items.into_iter().map(Into::into));
        self
    }

    /// Adds V2/V3 `$select` paths below expanded navigation properties (`"Supplier/Name"`):
    /// what of an expanded entity to read, the V2/V3 spelling of V4's
    /// `$expand=Supplier($select=Name)`. Unlike items of [`Query::select`] they leave the
    /// entity's own properties as they are: with no other `$select` item, the request selects
    /// `*` besides them (`$select=*,Supplier/Name`), so that all of the entity still comes.
    /// A path already in `$select` is not written twice. V4 has no such paths (a `$select`
    /// path does not go through a navigation property): they are written as they are, and a V4
    /// service rejects the request.
    pub fn select_below<I: IntoIterator<Item = S>, S: Into<String>>(mut self, paths: I) -> Self {
        self.below.extend(paths.into_iter().map(Into::into));
        self
    }

    /// Adds `$expand` items (`"manager"`, `"members($select=id)"`).
    pub fn expand<I: IntoIterator<Item = S>, S: Into<String>>(mut self, items: I) -> Self {
        self.expand.extend(items.into_iter().map(Into::into));
        self
    }

    /// Sets `$filter` (an expression, e.g. `startswith(displayName,'a')`);
    /// string literals in it must already be quoted (see [`Literal`]).
    pub fn filter(mut self, expr: impl Into<String>) -> Self {
        self.filter = Some(expr.into());
        self
    }

    /// Sets `$search`.
    pub fn search(mut self, expr: impl Into<String>) -> Self {
        self.search = Some(expr.into());
        self
    }

    /// Adds `$orderby` items (`"displayName"`, `"createdDateTime desc"`).
    pub fn orderby<I: IntoIterator<Item = S>, S: Into<String>>(mut self, items: I) -> Self {
        self.orderby.extend(items.into_iter().map(Into::into));
        self
    }

    /// Sets `$top`.
    pub fn top(mut self, n: u64) -> Self {
        self.top = Some(n);
        self
    }

    /// Sets `$skip`.
    pub fn skip(mut self, n: u64) -> Self {
        self.skip = Some(n);
        self
    }

    /// Asks for the total count with the results: V4 `$count=true`, V2/V3
    /// `$inlinecount=allpages` (`false`: `$count=false` / `$inlinecount=none`).
    pub fn count(mut self, on: bool) -> Self {
        self.count = Some(on);
        self
    }

    /// Sets an extra query parameter (`api-version=1.6`, `$format=json`,
    /// a parameter alias `@p1=…`); setting a name again replaces its value
    /// in place.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        match self.params.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.params.push((name, value)),
        }
        self
    }

    /// Sets a parameter alias to a literal: `alias("@p1", &"x", V4)` renders
    /// `@p1='x'`.
    pub fn alias(self, name: impl Into<String>, value: &dyn Literal, version: Version) -> Self {
        self.param(name, value.to_literal(version))
    }

    /// The value of an extra parameter.
    pub fn get_param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether no option is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// What V2/V3 `$select` (`select`: its items so far) must add so that it names what
    /// `$expand` expands.
    ///
    /// In V2 and V3 a response with `$select` has only what `$select` names, expanded navigation
    /// properties included (`$select=Name,Category&$expand=Category`; V4 expands what
    /// `$expand` names whatever `$select` says): so that `.select(..).expand(..)` means the
    /// same in every version, [`Query::pairs`] adds these to a V2/V3 `$select`. An expansion
    /// path (`Category/Products`) is walked a navigation property at a time (a type cast
    /// segment, `ns.Derived/Nav`, goes with the property after it): a level `$select` names is
    /// read whole, with what is expanded below it, and needs nothing; a level `$select` names
    /// paths below (`Category/Name`: the caller chose what of it to read) needs its next level
    /// looked at; any other level is added, unless `*` (at the top) or `parent/*` selects it.
    /// Nothing for an expansion that is not a path (`*`, `$ref`).
    fn unselected_expansions<'a>(&'a self, select: &[&str]) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        let named = |s: &str| select.contains(&s);
        let named_below = |level: &str| {
            select.iter().any(|s| {
                s.strip_prefix(level)
                    .is_some_and(|rest| rest.starts_with('/'))
            })
        };
        for e in &self.expand {
            // Without V4 options (`nav($select=…)`), should text have brought some.
            let path = e.split('(').next().unwrap_or_default();
            if path.is_empty() || path.split('/').any(|s| s == "*" || s.starts_with('$')) {
                continue;
            }
            let (mut end, mut parent) = (0, None::<&str>);
            for segment in path.split('/') {
                end += segment.len();
                if segment.contains('.') && end < path.len() {
                    end += 1;
                    continue;
                }
                let level = &path[..end];
                if named(level) {
                    break;
                }
                if !named_below(level) {
                    let all = match parent {
                        None => named("*"),
                        Some(p) => named(&format!("{p}/*")),
                    };
                    if !all && !out.contains(&level) {
                        out.push(level);
                    }
                    break;
                }
                parent = Some(level);
                end += 1;
            }
        }
        out
    }

    /// The `name=value` pairs, unencoded, in rendering order (`$select`: its items, then the
    /// paths of [`Query::select_below`], after `*` when there are no items; V2/V3: then the
    /// expanded navigation properties it leaves out, see [`Query::unselected_expansions`]).
    pub fn pairs(&self, version: Version) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut push = |n: &str, v: String| out.push((n.to_owned(), v));
        let mut select: Vec<&str> = self.select.iter().map(String::as_str).collect();
        if !self.below.is_empty() {
            if select.is_empty() {
                select.push("*");
            }
            for path in &self.below {
                if !select.contains(&path.as_str()) {
                    select.push(path);
                }
            }
        }
        if !select.is_empty() {
            if matches!(version, Version::V2 | Version::V3) {
                let add = self.unselected_expansions(&select);
                select.extend(add);
            }
            push("$select", select.join(","));
        }
        if !self.expand.is_empty() {
            push("$expand", self.expand.join(","));
        }
        if let Some(f) = &self.filter {
            push("$filter", f.clone());
        }
        if let Some(s) = &self.search {
            push("$search", s.clone());
        }
        if !self.orderby.is_empty() {
            push("$orderby", self.orderby.join(","));
        }
        if let Some(n) = self.top {
            push("$top", n.to_string());
        }
        if let Some(n) = self.skip {
            push("$skip", n.to_string());
        }
        if let Some(on) = self.count {
            match version {
                Version::V4 => push("$count", on.to_string()),
                Version::V2 | Version::V3 => {
                    push("$inlinecount", if on { "allpages" } else { "none" }.into())
                }
            }
        }
        out.extend(self.params.iter().cloned());
        out
    }

    /// The encoded query string, without a leading `?` (empty when no option
    /// is set).
    pub fn to_query_string(&self, version: Version) -> String {
        let mut s = String::new();
        for (i, (n, v)) in self.pairs(version).iter().enumerate() {
            if i > 0 {
                s.push('&');
            }
            s.push_str(&encode_query_name(n));
            s.push('=');
            s.push_str(&encode_query_value(v));
        }
        s
    }

    /// Appends the options to a URL, with `?` or, when the URL already has
    /// a query, `&`.
    pub fn append_to(&self, url: &mut String, version: Version) {
        let q = self.to_query_string(version);
        if q.is_empty() {
            return;
        }
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&q);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Version::{V3, V4};

    #[test]
    fn renders_in_order() {
        let q = Query::new()
            .count(true)
            .param("api-version", "1.6")
            .top(5)
            .filter("startswith(displayName,'a b')")
            .orderby(vec!["displayName", "id desc"])
            .skip(10)
            .expand(vec!["manager($select=id;$top=1)"])
            .select(vec!["id", "displayName"])
            .search("\"mountain bike\"");
        assert_eq!(
            q.to_query_string(V4),
            "$select=id,displayName&$expand=manager($select=id;$top=1)\
             &$filter=startswith(displayName,'a%20b')&$search=%22mountain%20bike%22\
             &$orderby=displayName,id%20desc&$top=5&$skip=10&$count=true&api-version=1.6"
        );
        assert!(
            q.to_query_string(V3)
                .ends_with("&$skip=10&$inlinecount=allpages&api-version=1.6")
        );
        assert!(
            Query::new()
                .count(false)
                .to_query_string(V3)
                .contains("$inlinecount=none")
        );
        assert_eq!(
            Query::new().count(false).to_query_string(V4),
            "$count=false"
        );
    }

    /// V2/V3 answer an expanded navigation property only when `$select` names it: it is added,
    /// once, unless `$select` has it, a path below it or `*`; V4 sends what was asked.
    #[test]
    fn v2_v3_select_names_what_is_expanded() {
        use Version::V2;
        let q = Query::new().select(vec!["ID", "Name"]).expand(vec![
            "Category/Products",
            "Supplier",
            "Category",
            "ns.Special/Parts",
        ]);
        for v in [V2, V3] {
            assert_eq!(
                q.pairs(v)[0],
                (
                    "$select".to_owned(),
                    "ID,Name,Category,Supplier,ns.Special/Parts".to_owned()
                ),
                "{v:?}"
            );
        }
        assert_eq!(q.pairs(V4)[0].1, "ID,Name");
        for select in [
            vec!["ID", "Category", "Supplier", "ns.Special/Parts"],
            vec!["*"],
        ] {
            let q = Query::new().select(select.clone()).expand(vec![
                "Category/Products",
                "Supplier",
                "ns.Special/Parts",
            ]);
            assert_eq!(q.pairs(V2)[0].1, select.join(","));
        }
        let q = Query::new()
            .select(vec!["ID", "Category/Name"])
            .expand(vec![
                "Category",
                "CategoryX($top=1)",
                "*",
                "Category/Products",
            ]);
        assert_eq!(
            q.pairs(V2)[0].1,
            "ID,Category/Name,CategoryX,Category/Products"
        );
        // No `$select`: everything comes, nothing is added.
        let q = Query::new().expand(vec!["Category"]);
        assert_eq!(q.to_query_string(V2), "$expand=Category");
    }

    /// Paths of a nested `$select` (V2/V3 `expand_with(.., |e| e.select(..))`) go after the
    /// request's own items, or after `*` when it has none; each level of an expansion is
    /// selected unless `$select` names it, a path below it, or `*` covers it. The shapes are
    /// those SAP CAP's V2 adapter answers as meant (`tests/cap/tests/v2.rs`).
    #[test]
    fn v2_v3_nested_select_paths() {
        use Version::V2;
        let q = Query::new()
            .select_below(vec!["Supplier/Name", "Supplier/Name"])
            .expand(vec!["Supplier"]);
        assert_eq!(
            q.to_query_string(V2),
            "$select=*,Supplier/Name&$expand=Supplier"
        );
        let q = Query::new()
            .select_below(vec!["Supplier/Name", "Supplier/Plants/Name"])
            .select(vec!["Name"])
            .expand(vec![
                "Supplier",
                "Supplier/Plants",
                "Notes",
                "Supplier/Owner",
            ]);
        assert_eq!(
            q.pairs(V2)[0].1,
            "Name,Supplier/Name,Supplier/Plants/Name,Notes,Supplier/Owner"
        );
        // A level selected whole brings what is expanded below it; `parent/*` covers a level.
        let q = Query::new()
            .select(vec!["Name", "Supplier", "Notes/*", "Notes/Text"])
            .expand(vec![
                "Supplier/Plants",
                "Notes/Author",
                "Notes/ns.Tagged/Tags",
            ]);
        assert_eq!(q.pairs(V2)[0].1, "Name,Supplier,Notes/*,Notes/Text");
        let q = Query::new()
            .select(vec!["Notes/Text"])
            .expand(vec!["Notes/ns.Tagged/Tags", "Notes/Author/Address"]);
        assert_eq!(
            q.pairs(V2)[0].1,
            "Notes/Text,Notes/ns.Tagged/Tags,Notes/Author"
        );
    }

    #[test]
    fn encodes_values() {
        let q = Query::new()
            .filter("name eq 'a&b' and price gt 1+1 or x eq '#%'")
            .param("x=y", "1&2");
        assert_eq!(
            q.to_query_string(V4),
            "$filter=name%20eq%20'a%26b'%20and%20price%20gt%201%2B1%20or%20x%20eq%20'%23%25'\
             &x%3Dy=1%262"
        );
        let q = Query::new().filter("city eq 'Zoë'");
        assert_eq!(q.to_query_string(V4), "$filter=city%20eq%20'Zo%C3%AB'");
    }

    #[test]
    fn params_and_append() {
        let q = Query::new()
            .param("api-version", "1.5")
            .param("b", "2")
            .param("api-version", "1.6")
            .alias("@p1", &"O'Neil", V4);
        assert_eq!(q.get_param("api-version"), Some("1.6"));
        assert_eq!(q.to_query_string(V4), "api-version=1.6&b=2&@p1='O''Neil'");
        let mut url = String::from("https://graph.windows.net/contoso.com/users");
        Query::new()
            .param("api-version", "1.6")
            .append_to(&mut url, V3);
        assert_eq!(
            url,
            "https://graph.windows.net/contoso.com/users?api-version=1.6"
        );
        Query::new().top(1).append_to(&mut url, V3);
        assert!(url.ends_with("?api-version=1.6&$top=1"));
        let before = url.clone();
        Query::new().append_to(&mut url, V3);
        assert_eq!(url, before);
        assert!(Query::new().is_empty());
        assert!(!Query::new().top(0).is_empty());
    }
}
