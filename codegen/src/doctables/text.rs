//! Facts stated in description text (`Read-only.`, `Not nullable.`, `Supports $filter (eq, ne)`,
//! `Possible values are: a, b`, ...). The phrases are matched sentence by sentence, so a sentence
//! that qualifies a fact (`Read-only for users synced from on-premises`) does not state it.

use super::DocProperty;

/// Sentences of a description: split after `.` followed by a space (or the end), trimmed.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        cur.push(*c);
        let end = *c == '.' && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if end || *c == '\n' {
            let s = cur.trim().to_string();
            if !s.is_empty() {
                out.push(s);
            }
            cur.clear();
        }
    }
    let s = cur.trim().to_string();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

fn norm(s: &str) -> String {
    s.trim()
        .trim_end_matches('.')
        .trim()
        .to_ascii_lowercase()
        .replace("read only", "read-only")
}

/// Applies the facts a description states to `p`; keeps `p.description` as the full text.
pub fn apply_description_facts(p: &mut DocProperty, text: &str) {
    for s in sentences(text) {
        let n = norm(&s);
        if n == "read-only" || n.ends_with(" read-only") || n.ends_with("and read-only") {
            p.read_only = Some(true);
        }
        if n.starts_with("read-only.") {
            p.read_only = Some(true);
        }
        if n.contains("not nullable") {
            p.nullable = Some(false);
        } else if n == "nullable" {
            p.nullable = Some(true);
        }
        if n.contains("returned only on $select")
            || n.contains("returned only on applying a $select")
        {
            p.select_only = true;
        }
        // A requirement under a condition (`... when creating a user if you are using a federated
        // domain`) is not a requirement of every create: not read as one.
        let conditional = n.contains(" if ") || n.contains(" unless ");
        if n == "required"
            || (!conditional
                && ((n.contains("required when") && n.contains("created"))
                    || (n.contains("must be specified when")
                        && (n.contains("created") || n.contains("creat")))))
        {
            p.required_on_create = Some(true);
        } else if n == "optional" && p.required_on_create.is_none() {
            p.required_on_create = Some(false);
        }
        if n == "filterable" {
            p.filter.get_or_insert_with(Vec::new);
        }
        if let Some(ops) = filter_operators(&s) {
            p.filter = Some(ops);
        }
        if let Some(values) = allowed_values(&s)
            && p.allowed_values.is_empty()
        {
            p.allowed_values = values;
        }
        if let Some(v) = s
            .strip_prefix("Requires version ")
            .map(|r| r.trim_end_matches('.').trim())
        {
            let v = v.trim_end_matches(" or newer").trim();
            if !v.is_empty() {
                p.versions.push(format!("{v} and later"));
            }
        }
        // `Key, immutable, not nullable, unique.`
        if s.starts_with("Key,") || s == "Key." || s == "Key" {
            p.key = true;
        }
        for prefix in ["Default value is ", "Default is ", "The default is "] {
            if let Some(rest) = s.strip_prefix(prefix) {
                let v = rest.trim_end_matches('.').trim();
                if !v.is_empty() && !v.contains(' ') && p.default_value.is_none() {
                    p.default_value = Some(v.to_string());
                }
            }
        }
    }
}

/// The description without the sentences that only state a fact [`apply_description_facts`]
/// reads (`Read-only.`, `Supports $filter (eq, ne).`, `Possible values are: a, b.`, ...): those
/// facts are rendered once, from the annotations they become. `None` when nothing else is left.
/// A description without such a sentence is returned as written.
pub fn prose(text: &str) -> Option<String> {
    let all = sentences(text);
    let kept: Vec<&String> = all.iter().filter(|s| !states_only_a_fact(s)).collect();
    if kept.len() == all.len() {
        return Some(text.to_string());
    }
    let out = kept
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    (!out.trim().is_empty()).then_some(out)
}

/// Whether a sentence says nothing but facts read from it.
fn states_only_a_fact(s: &str) -> bool {
    let n = norm(s);
    let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = [
        "read-only",
        "not nullable",
        "nullable",
        "required",
        "optional",
        "filterable",
        "key",
        "returned only on $select",
        "returned only on applying a $select",
    ];
    // `Read-only, not nullable.`, `Not nullable and read-only.`
    if n.split(',')
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .all(|part| words.contains(&part))
    {
        return true;
    }
    if n.starts_with("supports") && filter_operators(s).is_some() {
        // Nothing after the operator list (or after `$filter` without one).
        let lower = s.to_ascii_lowercase();
        let tail = match lower.find(')') {
            Some(i) if lower.contains('(') => &lower[i + 1..],
            _ => &lower[lower.find("$filter").map_or(0, |i| i + "$filter".len())..],
        };
        return tail.trim().trim_end_matches('.').trim().is_empty()
            && n.trim_start_matches("supports")
                .trim_start()
                .starts_with("$filter");
    }
    if allowed_values(s).is_some() {
        let lower = s.trim().to_ascii_lowercase();
        let marker_first = [
            "possible values are",
            "the possible values are",
            "allowed values",
            "the property values are",
        ]
        .iter()
        .any(|m| lower.starts_with(m));
        // The list runs to the end of the sentence: every piece after the marker is a value.
        let values_to_end = s
            .split_once(':')
            .map(|(_, r)| r)
            .or_else(|| lower.find(" are ").map(|i| &s[i + 5..]))
            .is_some_and(|rest| {
                rest.split(',')
                    .flat_map(|p| p.split(" and ").flat_map(|q| q.split(" or ")))
                    .map(|v| v.trim().trim_end_matches('.').trim())
                    .map(|v| v.strip_prefix("and ").unwrap_or(v).trim())
                    .all(|v| v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            });
        return marker_first && values_to_end;
    }
    if s.starts_with("Requires version ") {
        return true;
    }
    for prefix in ["Default value is ", "Default is ", "The default is "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            let v = rest.trim_end_matches('.').trim();
            return !v.is_empty() && !v.contains(' ');
        }
    }
    false
}

/// `Supports $filter (eq , ne , not , and eq on null values)` → the operators; `Supports $filter`
/// without a list → an empty list (filterable, operators not said).
fn filter_operators(sentence: &str) -> Option<Vec<String>> {
    let lower = sentence.to_ascii_lowercase();
    if !lower.starts_with("supports") {
        return None;
    }
    let at = lower.find("$filter")?;
    let rest = &sentence[at + "$filter".len()..];
    let rest = rest.trim_start();
    let Some(inner) = rest.strip_prefix('(') else {
        return Some(Vec::new());
    };
    let inner = inner.split(')').next().unwrap_or("");
    let mut ops = Vec::new();
    for part in inner.split(',').flat_map(|p| p.split(" and ")) {
        let part = part.trim();
        let part = part.strip_prefix("and ").unwrap_or(part).trim();
        if part.is_empty() {
            continue;
        }
        ops.push(part.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    Some(ops)
}

/// `Possible values are: file , item , reference .`, `The possible values are low, normal, and
/// high.`, `Allowed values: null , Minor , NotAdult and Adult .` → the values.
fn allowed_values(sentence: &str) -> Option<Vec<String>> {
    let lower = sentence.to_ascii_lowercase();
    let markers = [
        "possible values are:",
        "possible values are",
        "allowed values:",
        "allowed values are:",
        "the property values are:",
    ];
    let (at, len) = markers
        .iter()
        .find_map(|m| lower.find(m).map(|i| (i, m.len())))?;
    let rest = &sentence[at + len..];
    let mut values = Vec::new();
    for part in rest.split(',') {
        for piece in part.split(" and ").flat_map(|p| p.split(" or ")) {
            let v = piece.trim().trim_end_matches('.').trim();
            let v = v.strip_prefix("and ").unwrap_or(v).trim();
            if v.is_empty() {
                continue;
            }
            if !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                // The list ended: what follows is prose.
                return (!values.is_empty()).then_some(values);
            }
            values.push(v.to_string());
        }
    }
    (!values.is_empty()).then_some(values)
}

/// `true` / `false` / `yes` / `no` cells; anything else (`n/a`, empty) says nothing.
pub fn parse_bool(cell: &str) -> Option<bool> {
    match cell
        .trim()
        .trim_matches('`')
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "true" | "yes" => Some(true),
        "false" | "no" => Some(false),
        _ => None,
    }
}

/// `beta`, `alpha` → the listed words (code spans preferred, else comma-separated text).
pub fn parse_list(text: &str, codes: &[String]) -> Vec<String> {
    if !codes.is_empty() {
        return codes
            .iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
    }
    text.split(',')
        .map(|s| s.trim().trim_matches('`').trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_from_descriptions() {
        let mut p = DocProperty::default();
        apply_description_facts(
            &mut p,
            "The plans. Read-only. Not nullable. Returned only on $select . Supports $filter (eq , ne , and eq on null values).",
        );
        assert_eq!(p.read_only, Some(true));
        assert_eq!(p.nullable, Some(false));
        assert!(p.select_only);
        assert_eq!(
            p.filter,
            Some(vec!["eq".into(), "ne".into(), "eq on null values".into()])
        );

        let mut q = DocProperty::default();
        apply_description_facts(
            &mut q,
            "Read-only for users synced from on-premises directory. Possible values are: file , item , reference . Required.",
        );
        assert_eq!(q.read_only, None);
        assert_eq!(q.allowed_values, vec!["file", "item", "reference"]);
        assert_eq!(q.required_on_create, Some(true));

        let mut c = DocProperty::default();
        apply_description_facts(
            &mut c,
            "Must be specified when creating a user if the domain is federated.",
        );
        assert_eq!(c.required_on_create, None);

        let mut r = DocProperty::default();
        apply_description_facts(
            &mut r,
            "Allowed values: null , Minor , NotAdult and Adult . Refer to the definitions.",
        );
        assert_eq!(r.allowed_values, vec!["null", "Minor", "NotAdult", "Adult"]);
    }

    #[test]
    fn prose_leaves_out_the_sentences_that_are_facts() {
        assert_eq!(
            prose("The plans. Read-only. Not nullable. Returned only on $select . Supports $filter (eq , ne , and eq on null values).")
                .as_deref(),
            Some("The plans.")
        );
        assert_eq!(
            prose("Colour theme. Possible values are: auto , lightBlue , maxColor .").as_deref(),
            Some("Colour theme.")
        );
        // Qualified or followed by prose: kept.
        let kept = "Read-only for synced users. Supports $filter (eq) and $orderby. Possible values are: a, b, or anything you like.";
        assert_eq!(prose(kept).as_deref(), Some(kept));
        assert_eq!(prose("Read-only. Not nullable."), None);
        // Untouched when nothing is a fact (line breaks kept).
        assert_eq!(prose("One.\nTwo.").as_deref(), Some("One.\nTwo."));
    }
}
