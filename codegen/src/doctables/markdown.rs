//! Markdown pipe tables (through `pulldown-cmark`) and the line-based context around them:
//! headings, title lines, resource-path code blocks, request lines and permission blocks.

use super::text::{apply_description_facts, parse_bool, parse_list};
use super::{
    DocAction, DocNavigation, DocOperation, DocParameter, DocPath, DocPermission, DocProperty,
    DocScope, DocSet, DocType, DocTypeRef, Format, PathSegment, PermissionGrant, Source,
};
use crate::diag::{Diagnostics, Loc};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// One table cell: its text (code spans included, `<br/>` as a newline), its code spans, and
/// where it starts in the original text.
#[derive(Clone, Debug, Default)]
pub struct Cell {
    pub text: String,
    pub codes: Vec<String>,
    pub offset: usize,
}

impl Cell {
    fn plain(&self) -> String {
        self.text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

#[derive(Clone, Debug)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub offset: usize,
    /// Cells actually written on the source line (pulldown-cmark pads rows to the header width).
    pub written_cells: usize,
    /// The source line ends with `|` (a row cut by a line break does not).
    pub closed: bool,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub header: Row,
    pub rows: Vec<Row>,
    pub offset: usize,
    pub end: usize,
}

fn is_delimiter_row(l: &str) -> bool {
    let t = l.trim();
    t.contains('-')
        && t.contains('|')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

fn is_fence(l: &str) -> bool {
    let t = l.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// Cells written on a source line: split on unescaped `|`, without the outer empty pieces.
fn written_cells(line: &str) -> usize {
    let mut n: usize = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' => escaped = !escaped,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
    }
    let t = line.trim();
    let lead = t.starts_with('|') as usize;
    let trail = (t.ends_with('|') && t.len() > 1) as usize;
    // n pipes make n + 1 pieces; the outer pipes' empty pieces are not cells.
    (n + 1).saturating_sub(lead + trail)
}

/// The text with blank lines inserted where a table starts right after a line of text and
/// where a line without a pipe follows a table row, plus the original offsets of the insertions.
fn normalise(src: &Source) -> (String, Vec<usize>) {
    let lines = src.lines();
    let mut out = String::with_capacity(src.text.len() + 1024);
    let mut inserted = Vec::new();
    let mut in_fence = false;
    for (i, (offset, line)) in lines.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| lines[j].1);
        if is_fence(line) {
            in_fence = !in_fence;
        }
        if !in_fence {
            let prev_blank = prev.is_none_or(|p| p.trim().is_empty());
            let next_delim = lines.get(i + 1).is_some_and(|(_, n)| is_delimiter_row(n));
            let starts_table = line.contains('|') && next_delim && !prev_blank;
            let ends_table = !line.contains('|')
                && !line.trim().is_empty()
                && prev.is_some_and(|p| p.contains('|'));
            if starts_table || ends_table {
                out.push('\n');
                inserted.push(*offset);
            }
        }
        out.push_str(&src.text[*offset..*offset + line.len()]);
        let end = offset + line.len();
        let next = lines.get(i + 1).map(|(o, _)| *o).unwrap_or(src.text.len());
        // A row cut by a line break (`| a | b | text` then `more text |`): the break becomes
        // spaces, so the row is one line again and every offset stays where it was.
        // A line of nothing but `|` after a row is joined to it the same way.
        let lone_pipe = |n: &str| !n.trim().is_empty() && n.trim().chars().all(|c| c == '|');
        let cut = !in_fence
            && line.contains('|')
            && !is_delimiter_row(line)
            && lines.get(i + 1).is_some_and(|(_, n)| {
                lone_pipe(n)
                    || (!line.trim_end().ends_with('|')
                        && n.trim_end().ends_with('|')
                        && written_cells(n) <= 1
                        && !is_delimiter_row(n))
            });
        if cut {
            out.push_str(&" ".repeat(next - end));
        } else {
            out.push_str(&src.text[end..next]);
        }
    }
    (out, inserted)
}

/// Every GFM table of the text, with offsets into the original text.
pub fn tables(src: &Source) -> Vec<Table> {
    let (norm, inserted) = normalise(src);
    // A normalised offset → the original: minus the insertions at or before it.
    let back = |o: usize| -> usize {
        let mut shift = 0;
        for (k, ins) in inserted.iter().enumerate() {
            if *ins + k < o {
                shift += 1;
            } else {
                break;
            }
        }
        o.saturating_sub(shift).min(src.text.len())
    };
    let mut out = Vec::new();
    let mut table: Option<Table> = None;
    let mut row: Option<Row> = None;
    let mut cell: Option<Cell> = None;
    for (ev, range) in Parser::new_ext(&norm, Options::ENABLE_TABLES).into_offset_iter() {
        match ev {
            Event::Start(Tag::Table(_)) => {
                let o = back(range.start);
                table = Some(Table {
                    header: Row {
                        cells: Vec::new(),
                        offset: o,
                        written_cells: 0,
                        closed: true,
                    },
                    rows: Vec::new(),
                    offset: o,
                    end: back(range.end),
                });
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    out.push(t);
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                let o = back(range.start);
                let line_end = src.text[o..]
                    .find('\n')
                    .map(|e| o + e)
                    .unwrap_or(src.text.len());
                let line = &src.text[o..line_end];
                row = Some(Row {
                    cells: Vec::new(),
                    offset: o,
                    written_cells: written_cells(line),
                    closed: line.trim_end().ends_with('|'),
                });
            }
            Event::End(TagEnd::TableHead) => {
                if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                    t.header = r;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                    t.rows.push(r);
                }
            }
            Event::Start(Tag::TableCell) => {
                // Locate the cell at its first character, not at the padding before it.
                let mut o = back(range.start);
                let rest = &src.text[o..];
                o += rest.len() - rest.trim_start_matches([' ', '\t']).len();
                cell = Some(Cell {
                    offset: o,
                    ..Cell::default()
                });
            }
            Event::End(TagEnd::TableCell) => {
                if let (Some(r), Some(c)) = (row.as_mut(), cell.take()) {
                    r.cells.push(c);
                }
            }
            Event::Text(t) => {
                if let Some(c) = cell.as_mut() {
                    c.text.push_str(&t);
                }
            }
            Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.text.push_str(&t);
                    c.codes.push(t.to_string());
                }
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                if let Some(c) = cell.as_mut() {
                    if h.trim().to_ascii_lowercase().starts_with("<br") {
                        c.text.push('\n');
                    } else {
                        c.text.push_str(&h);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = cell.as_mut() {
                    c.text.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

/// What a table is, from its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Overview,
    Properties,
    Navigations,
    Actions,
    Scopes,
    PropertyTypeDescription,
    Unknown,
}

fn header_names(t: &Table) -> Vec<String> {
    t.header
        .cells
        .iter()
        .map(|c| c.plain().to_ascii_lowercase())
        .collect()
}

fn kind(t: &Table) -> Kind {
    let h = header_names(t);
    let has = |n: &str| h.iter().any(|c| c == n);
    if h.iter().all(|c| c.is_empty()) {
        let first: Vec<String> = t
            .rows
            .iter()
            .filter_map(|r| r.cells.first())
            .map(|c| c.plain().to_ascii_lowercase())
            .collect();
        if first
            .iter()
            .any(|c| c == "full name" || c == "resource type")
        {
            return Kind::Overview;
        }
        return Kind::Unknown;
    }
    if has("scope.permission") || (has("scope") && has("consent type")) {
        return Kind::Scopes;
    }
    if has("name") && has("target type") {
        return Kind::Navigations;
    }
    if has("name") && has("input") && has("return type") {
        return Kind::Actions;
    }
    if has("name") && has("type") {
        return Kind::Properties;
    }
    if has("property") && has("type") {
        return Kind::PropertyTypeDescription;
    }
    Kind::Unknown
}

/// Column index by header name (case-insensitive).
fn col(t: &Table, name: &str) -> Option<usize> {
    header_names(t).iter().position(|c| c == name)
}

/// The line before `offset` that is not blank: (offset, text).
fn line_before<'a>(lines: &[(usize, &'a str)], offset: usize) -> Option<(usize, &'a str)> {
    let i = lines.iter().rposition(|(o, _)| *o < offset)?;
    let here = lines
        .iter()
        .position(|(o, _)| *o >= offset)
        .unwrap_or(lines.len());
    let _ = i;
    lines[..here]
        .iter()
        .rev()
        .find(|(_, l)| !l.trim().is_empty())
        .copied()
}

/// Markdown heading text (`##Overview`, `## Overview` → `Overview`) and level.
fn heading(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_start();
    let level = t.chars().take_while(|c| *c == '#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = t[level..].trim();
    (!rest.is_empty()).then_some((level, rest))
}

/// The latest heading before `offset`, skipping `Required scopes` / `Request` / `Response`.
fn label_before<'a>(lines: &[(usize, &'a str)], offset: usize) -> Option<(usize, &'a str)> {
    lines
        .iter()
        .rev()
        .filter(|(o, _)| *o < offset)
        .filter_map(|(o, l)| heading(l).map(|(_, h)| (*o, h)))
        .find(|(_, h)| {
            let h = h.to_ascii_lowercase();
            !matches!(h.trim(), "required scopes" | "request" | "response")
        })
}

/// Splits a resource path into segments (`<User.objectId>` and `{user_id}` are keys).
pub fn parse_path(written: &str, loc: Loc) -> DocPath {
    let mut segments = Vec::new();
    for seg in written.trim().split('/') {
        let s = seg.trim();
        if s.is_empty() {
            continue;
        }
        if let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
            let (ty, property) = match inner.rsplit_once('.') {
                Some((t, p)) => (Some(t.to_string()), Some(p.to_string())),
                None => (None, None),
            };
            segments.push(PathSegment::Key { ty, property });
        } else if s.starts_with('{') && s.ends_with('}') {
            segments.push(PathSegment::Key {
                ty: None,
                property: None,
            });
        } else {
            segments.push(PathSegment::Name(s.to_string()));
        }
    }
    // `/<version>/myOrganization/...`: the version placeholder and the tenant alias are not
    // part of the service's own paths.
    while let Some(first) = segments.first() {
        let drop = match first {
            PathSegment::Key { ty, .. } => ty.is_none(),
            PathSegment::Name(n) => {
                let l = n.to_ascii_lowercase();
                l == "myorganization" || l == "<version>" || l == "{tenant_id}"
            }
        };
        if !drop {
            break;
        }
        segments.remove(0);
    }
    DocPath {
        written: written.trim().to_string(),
        segments,
        loc,
    }
}

pub fn read(src: &Source, set: &mut DocSet, diags: &mut Diagnostics) {
    let lines = src.lines();
    let tables = tables(src);
    read_resource_paths(src, &lines, set);
    read_permission_blocks(src, &lines, set);
    report_headerless(src, &lines, &tables, diags);

    // The type a reference page is about: its `#X resource` title, then its Overview table.
    let mut page: Option<usize> = None;
    for (i, (_, l)) in lines.iter().enumerate() {
        if let Some((1, h)) = heading(l) {
            if let Some(name) = h.strip_suffix(" resource").map(str::trim)
                && is_identifier(name)
            {
                let loc = src.loc(lines[i].0 + l.find(name).unwrap_or(0));
                page = Some(type_index(set, name, None, Format::ReferenceTables, loc));
            }
            break;
        }
    }

    for t in &tables {
        match kind(t) {
            Kind::Overview => {
                page = read_overview(src, t, set, page, diags);
            }
            Kind::Properties => {
                let Some(owner) = owner_for(src, &lines, t, set, page, diags, "properties") else {
                    continue;
                };
                read_properties(src, t, set, owner, diags);
            }
            Kind::Navigations => {
                let Some(owner) =
                    owner_for(src, &lines, t, set, page, diags, "navigation properties")
                else {
                    continue;
                };
                read_navigations(src, t, set, owner, diags);
            }
            Kind::Actions => {
                let Some(owner) = owner_for(src, &lines, t, set, page, diags, "actions") else {
                    continue;
                };
                read_actions(src, t, set, owner, diags);
            }
            Kind::Scopes => read_scopes(src, &lines, t, set, diags),
            Kind::PropertyTypeDescription => read_ptd(src, &lines, t, set, diags),
            Kind::Unknown => {
                let h: Vec<String> = t.header.cells.iter().map(|c| c.plain()).collect();
                if h.iter().all(|c| c.is_empty()) {
                    diags.warning(
                        src.loc(t.offset),
                        "table has no header (its first row is empty); not read",
                    );
                } else {
                    diags.warning(
                        src.loc(t.offset),
                        format!(
                            "table with header `{}` is not a documentation table this reader knows; not read",
                            h.join(" | ")
                        ),
                    );
                }
            }
        }
    }
}

pub(crate) fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Index of the type named `name` in `set` for this format and file, created when absent.
fn type_index(set: &mut DocSet, name: &str, ns: Option<&str>, format: Format, loc: Loc) -> usize {
    if let Some(i) = set.types.iter().position(|t| {
        t.name.eq_ignore_ascii_case(name) && t.format == format && t.loc.file == loc.file
    }) {
        if set.types[i].namespace.is_none() {
            set.types[i].namespace = ns.map(str::to_string);
        }
        return i;
    }
    let mut t = DocType::new(name, format, loc);
    t.namespace = ns.map(str::to_string);
    set.types.push(t);
    set.types.len() - 1
}

fn owner_for(
    src: &Source,
    lines: &[(usize, &str)],
    t: &Table,
    set: &mut DocSet,
    page: Option<usize>,
    diags: &mut Diagnostics,
    what: &str,
) -> Option<usize> {
    if page.is_some() {
        return page;
    }
    // No page title: a title line right above (`user` / `The User entity`) names the type.
    if let Some((o, l)) = line_before(lines, t.offset) {
        let name = l.trim().trim_start_matches('#').trim();
        if is_identifier(name) {
            return Some(type_index(
                set,
                name,
                None,
                Format::ReferenceTables,
                src.loc(o),
            ));
        }
    }
    diags.warning(
        src.loc(t.offset),
        format!("{what} table without a type to belong to (no `# X resource` title or Overview table before it); not read"),
    );
    None
}

fn cell(r: &Row, i: Option<usize>) -> Option<&Cell> {
    r.cells.get(i?)
}

/// Warns about a row with fewer cells than its header; `true` when the row is usable.
fn check_row(src: &Source, t: &Table, r: &Row, diags: &mut Diagnostics) -> bool {
    let want = t.header.cells.len();
    if r.written_cells < want {
        diags.warning(
            src.loc(r.offset),
            format!(
                "table row has {} cell(s) but the header has {want}; the missing cells are read as empty",
                r.written_cells
            ),
        );
    }
    r.cells.first().is_some_and(|c| !c.plain().is_empty())
}

fn read_overview(
    src: &Source,
    t: &Table,
    set: &mut DocSet,
    page: Option<usize>,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let mut full: Option<(String, Loc)> = None;
    let mut base: Option<DocTypeRef> = None;
    let mut versions = Vec::new();
    let mut entity = None;
    for r in &t.rows {
        let (Some(k), Some(v)) = (r.cells.first(), r.cells.get(1)) else {
            continue;
        };
        let value = v.codes.first().cloned().unwrap_or_else(|| v.plain());
        match k.plain().to_ascii_lowercase().as_str() {
            "full name" if !value.is_empty() => full = Some((value, src.loc(v.offset))),
            "base types" if !value.is_empty() => {
                base = DocTypeRef::parse(&value, src.loc(v.offset))
            }
            "versions" => versions = parse_list(&v.plain(), &v.codes),
            "resource type" => match value.to_ascii_lowercase().as_str() {
                "entitytype" => entity = Some(true),
                "complextype" => entity = Some(false),
                _ => {}
            },
            _ => {}
        }
    }
    let idx = match (full, page) {
        (Some((name, loc)), _) => {
            let (ns, short) = match name.rsplit_once('.') {
                Some((n, s)) => (Some(n), s),
                None => (None, name.as_str()),
            };
            if let Some(p) = page
                && !set.types[p].name.eq_ignore_ascii_case(short)
            {
                diags.warning(
                    loc,
                    format!(
                        "the Overview names `{name}` but the page title names `{}`",
                        set.types[p].name
                    ),
                );
            }
            let i = type_index(set, short, ns, Format::ReferenceTables, loc);
            set.types[i].loc = loc;
            i
        }
        (None, Some(p)) => p,
        (None, None) => {
            diags.warning(
                src.loc(t.offset),
                "Overview table without a `Full name` row and no page title; not read",
            );
            return None;
        }
    };
    let ty = &mut set.types[idx];
    if base.is_some() {
        ty.base = base;
    }
    if !versions.is_empty() {
        ty.versions = versions;
    }
    if entity.is_some() {
        ty.entity = entity;
    }
    Some(idx)
}

fn read_properties(
    src: &Source,
    t: &Table,
    set: &mut DocSet,
    owner: usize,
    diags: &mut Diagnostics,
) {
    let c_name = col(t, "name");
    let c_type = col(t, "type");
    let c_versions = col(t, "versions");
    let c_nullable = col(t, "nullable");
    let c_unicode = col(t, "unicode");
    let c_writeable = col(t, "writeable").or_else(|| col(t, "writable"));
    let c_required = col(t, "required to create");
    let c_default = col(t, "default value");
    let c_comments = col(t, "comments").or_else(|| col(t, "description"));
    for r in &t.rows {
        // Prose swallowed by the table (a line without a pipe) is not a row.
        if r.written_cells <= 1 && !src.text[r.offset..].starts_with('|') {
            continue;
        }
        if !check_row(src, t, r, diags) {
            continue;
        }
        let Some(name_cell) = cell(r, c_name) else {
            continue;
        };
        let name = name_cell
            .codes
            .first()
            .cloned()
            .unwrap_or_else(|| name_cell.plain());
        let name = name.split_whitespace().next().unwrap_or("").to_string();
        if !is_identifier(&name) {
            diags.warning(
                src.loc(name_cell.offset),
                format!("`{name}` is not a property name; row not read"),
            );
            continue;
        }
        let key = name_cell.plain().to_ascii_lowercase().contains("(key)");
        let ty = cell(r, c_type).and_then(|c| {
            let w = c.codes.first().cloned().unwrap_or_else(|| c.plain());
            let parsed = DocTypeRef::parse(&w, src.loc(c.offset));
            if parsed.is_none() {
                diags.warning(
                    src.loc(c.offset),
                    format!("property `{name}`: no type given"),
                );
            }
            parsed
        });
        let mut p = DocProperty {
            name,
            ty,
            key,
            loc: src.loc(name_cell.offset),
            ..DocProperty::default()
        };
        if let Some(c) = cell(r, c_versions) {
            p.versions = parse_list(&c.plain(), &c.codes);
        }
        p.nullable = cell(r, c_nullable).and_then(|c| parse_bool(&c.plain()));
        p.unicode = cell(r, c_unicode).and_then(|c| parse_bool(&c.plain()));
        p.read_only = cell(r, c_writeable)
            .and_then(|c| parse_bool(&c.plain()))
            .map(|w| !w);
        p.required_on_create = cell(r, c_required).and_then(|c| parse_bool(&c.plain()));
        p.default_value = cell(r, c_default)
            .map(|c| c.plain().trim_matches('`').to_string())
            .filter(|d| !d.is_empty());
        if let Some(c) = cell(r, c_comments) {
            let d = c.plain();
            if !d.is_empty() {
                apply_description_facts(&mut p, &d);
                p.description = Some(d);
            }
        }
        set.types[owner].properties.push(p);
    }
}

fn read_navigations(
    src: &Source,
    t: &Table,
    set: &mut DocSet,
    owner: usize,
    diags: &mut Diagnostics,
) {
    let c_name = col(t, "name");
    let c_target = col(t, "target type");
    let c_versions = col(t, "versions");
    let c_nullable = col(t, "nullable");
    let c_ops = col(t, "operations");
    for r in &t.rows {
        if r.written_cells <= 1 && !src.text[r.offset..].starts_with('|') {
            continue;
        }
        if !check_row(src, t, r, diags) {
            continue;
        }
        let Some(name_cell) = cell(r, c_name) else {
            continue;
        };
        let name = name_cell
            .codes
            .first()
            .cloned()
            .unwrap_or_else(|| name_cell.plain());
        if !is_identifier(&name) {
            diags.warning(
                src.loc(name_cell.offset),
                format!("`{name}` is not a navigation property name; row not read"),
            );
            continue;
        }
        let target = cell(r, c_target).and_then(|c| {
            let w = c.codes.first().cloned().unwrap_or_else(|| c.plain());
            DocTypeRef::parse(&w, src.loc(c.offset))
        });
        let Some(target) = target else {
            diags.warning(
                src.loc(name_cell.offset),
                format!("navigation property `{name}`: no target type given; row not read"),
            );
            continue;
        };
        set.types[owner].navigations.push(DocNavigation {
            name,
            target,
            versions: cell(r, c_versions)
                .map(|c| parse_list(&c.plain(), &c.codes))
                .unwrap_or_default(),
            nullable: cell(r, c_nullable).and_then(|c| parse_bool(&c.plain())),
            operations: cell(r, c_ops)
                .map(|c| parse_list(&c.plain(), &c.codes))
                .unwrap_or_default(),
            loc: src.loc(name_cell.offset),
        });
    }
}

fn read_actions(src: &Source, t: &Table, set: &mut DocSet, owner: usize, diags: &mut Diagnostics) {
    let c_name = col(t, "name");
    let c_versions = col(t, "versions");
    let c_context = col(t, "context");
    let c_input = col(t, "input");
    let c_return = col(t, "return type");
    for r in &t.rows {
        if r.written_cells <= 1 && !src.text[r.offset..].starts_with('|') {
            continue;
        }
        if !check_row(src, t, r, diags) {
            continue;
        }
        let Some(name_cell) = cell(r, c_name) else {
            continue;
        };
        let name = name_cell
            .codes
            .first()
            .cloned()
            .unwrap_or_else(|| name_cell.plain());
        if !is_identifier(&name) {
            diags.warning(
                src.loc(name_cell.offset),
                format!("`{name}` is not an action name; row not read"),
            );
            continue;
        }
        let mut parameters = Vec::new();
        if let Some(c) = cell(r, c_input) {
            // `name` : `<Type>` pairs, separated by `,<br/>`.
            let loc = src.loc(c.offset);
            for part in c.text.split('\n') {
                let part = part.trim().trim_end_matches(',').trim();
                if part.is_empty() {
                    continue;
                }
                match part.split_once(':') {
                    Some((n, ty)) => {
                        let n = n.trim().trim_matches('`').trim();
                        if !is_identifier(n) {
                            diags.warning(
                                loc,
                                format!("action `{name}`: `{n}` is not a parameter name"),
                            );
                            continue;
                        }
                        let ty = DocTypeRef::parse(ty, loc);
                        if ty.is_none() {
                            diags.warning(
                                loc,
                                format!("action `{name}`: parameter `{n}` has no type"),
                            );
                        }
                        parameters.push(DocParameter {
                            name: n.to_string(),
                            ty,
                            location: Some("body".into()),
                            required: None,
                            default_value: None,
                            description: None,
                            loc,
                        });
                    }
                    None => diags.warning(
                        loc,
                        format!("action `{name}`: input `{part}` is not `name : <Type>`"),
                    ),
                }
            }
        }
        let return_type = cell(r, c_return).and_then(|c| {
            let w = c.codes.first().cloned().unwrap_or_else(|| c.plain());
            DocTypeRef::parse(&w, src.loc(c.offset))
        });
        let binding = cell(r, c_context).and_then(|c| {
            let w = c.codes.first().cloned().unwrap_or_else(|| c.plain());
            DocTypeRef::parse(&w, src.loc(c.offset))
        });
        set.types[owner].actions.push(DocAction {
            name,
            versions: cell(r, c_versions)
                .map(|c| parse_list(&c.plain(), &c.codes))
                .unwrap_or_default(),
            binding,
            parameters,
            return_type,
            loc: src.loc(name_cell.offset),
        });
    }
}

/// A `Required scopes` table: the operation is the heading above it, the request the first
/// `METHOD /path` line after it.
fn read_scopes(
    src: &Source,
    lines: &[(usize, &str)],
    t: &Table,
    set: &mut DocSet,
    diags: &mut Diagnostics,
) {
    let c_scope = col(t, "scope.permission").or_else(|| col(t, "scope"));
    let c_consent = col(t, "consent type");
    let c_scenario = col(t, "applicable scenarios");
    let mut scopes = Vec::new();
    for r in &t.rows {
        if r.written_cells <= 1 && !src.text[r.offset..].starts_with('|') {
            continue;
        }
        if !check_row(src, t, r, diags) {
            continue;
        }
        let Some(sc) = cell(r, c_scope) else { continue };
        let name = sc.codes.first().cloned().unwrap_or_else(|| sc.plain());
        if name.is_empty() || name.contains(char::is_whitespace) {
            diags.warning(src.loc(sc.offset), format!("`{name}` is not a scope name"));
            continue;
        }
        let text_of = |c: Option<&Cell>| {
            c.map(|c| c.codes.first().cloned().unwrap_or_else(|| c.plain()))
                .filter(|s| !s.is_empty())
        };
        scopes.push(DocScope {
            name,
            consent: text_of(cell(r, c_consent)),
            scenario: text_of(cell(r, c_scenario)),
            loc: src.loc(sc.offset),
        });
    }
    let label = label_before(lines, t.offset)
        .map(|(_, h)| h.trim().to_string())
        .unwrap_or_default();
    // The request line: the first `METHOD /path` after the table, before the next table.
    let mut method = None;
    let mut path = None;
    for (o, l) in lines.iter().filter(|(o, _)| *o >= t.end) {
        if l.contains('|') && l.to_ascii_lowercase().contains("scope") {
            break;
        }
        let tl = l.trim();
        let mut words = tl.split_whitespace();
        let (Some(m), Some(p)) = (words.next(), words.next()) else {
            continue;
        };
        if matches!(m, "GET" | "POST" | "PUT" | "PATCH" | "DELETE") && p.starts_with('/') {
            method = Some(m.to_string());
            let col = l.find(p).unwrap_or(0);
            path = Some(parse_path(p, src.loc(o + col)));
            break;
        }
    }
    if method.is_none() {
        diags.warning(
            src.loc(t.offset),
            format!("`Required scopes` for `{label}`: no request line (`GET /path`) follows; the scopes are kept without a path"),
        );
    }
    set.operations.push(DocOperation {
        label,
        method,
        path,
        scopes,
        parameters: Vec::new(),
        returns_collection: None,
        loc: src.loc(t.offset),
    });
}

/// `Property | Type | Description` under a title line naming the resource.
fn read_ptd(
    src: &Source,
    lines: &[(usize, &str)],
    t: &Table,
    set: &mut DocSet,
    diags: &mut Diagnostics,
) {
    let Some((title_offset, title)) = line_before(lines, t.offset) else {
        diags.warning(
            src.loc(t.offset),
            "`Property | Type | Description` table without a title line naming its resource; not read",
        );
        return;
    };
    let title = title.trim().trim_start_matches('#').trim();
    let title = title.strip_suffix(" resource").unwrap_or(title).trim();
    if !is_identifier(title) {
        diags.warning(
            src.loc(t.offset),
            format!("`Property | Type | Description` table under `{title}`, which is not a resource name; not read"),
        );
        return;
    }
    let title_loc = src.loc(
        title_offset
            + lines
                .iter()
                .find(|(o, _)| *o == title_offset)
                .map(|(_, l)| l.len() - l.trim_start().len())
                .unwrap_or(0),
    );
    let owner = type_index(set, title, None, Format::DescriptionTables, title_loc);
    let c_name = col(t, "property");
    let c_type = col(t, "type");
    let c_desc = col(t, "description");
    let mut last: Option<usize> = None;
    let mut prev_closed = true;
    for r in &t.rows {
        // A row cut by a line break: the rest of the description is on this line.
        if !prev_closed && r.written_cells < t.header.cells.len() {
            if let (Some(i), Some(first)) = (last, r.cells.first()) {
                let more = first.plain();
                let p = &mut set.types[owner].properties[i];
                let d = format!("{} {more}", p.description.clone().unwrap_or_default());
                apply_description_facts(p, &more);
                p.description = Some(d.trim().to_string());
            }
            prev_closed = r.closed;
            continue;
        }
        prev_closed = r.closed;
        if r.written_cells <= 1 && !src.text[r.offset..].starts_with('|') {
            continue;
        }
        if r.written_cells < t.header.cells.len() {
            diags.warning(
                src.loc(r.offset),
                format!(
                    "table row has {} cell(s) but the header has {}; row not read",
                    r.written_cells,
                    t.header.cells.len()
                ),
            );
            continue;
        }
        let Some(name_cell) = cell(r, c_name) else {
            continue;
        };
        let name = name_cell.plain().trim_matches('`').to_string();
        if !is_identifier(&name) {
            diags.warning(
                src.loc(name_cell.offset),
                format!("`{name}` is not a property name; row not read"),
            );
            continue;
        }
        let ty = cell(r, c_type).and_then(|c| DocTypeRef::parse(&c.plain(), src.loc(c.offset)));
        if ty.is_none() {
            diags.warning(
                src.loc(name_cell.offset),
                format!("property `{name}`: no type given; row not read"),
            );
            continue;
        }
        let mut p = DocProperty {
            name,
            ty,
            loc: src.loc(name_cell.offset),
            ..DocProperty::default()
        };
        if let Some(c) = cell(r, c_desc) {
            let d = c.plain();
            if !d.is_empty() {
                apply_description_facts(&mut p, &d);
                p.description = Some(d);
            }
        }
        set.types[owner].properties.push(p);
        last = Some(set.types[owner].properties.len() - 1);
    }
}

/// The code block after a `Resource paths` heading: one path per line.
fn read_resource_paths(src: &Source, lines: &[(usize, &str)], set: &mut DocSet) {
    let mut after_heading = false;
    let mut in_fence = false;
    for (o, l) in lines {
        if let Some((_, h)) = heading(l) {
            after_heading = h.to_ascii_lowercase().contains("resource paths");
            in_fence = false;
            continue;
        }
        if !after_heading {
            continue;
        }
        if is_fence(l) {
            if in_fence {
                after_heading = false;
            }
            in_fence = !in_fence;
            continue;
        }
        let t = l.trim();
        if in_fence && t.starts_with('/') {
            let col = l.len() - l.trim_start().len();
            set.paths.push(parse_path(t, src.loc(o + col)));
        }
    }
}

/// A permission page: the permission's name on a line of its own, then `Delegate Permission` /
/// `Application Permission` blocks of `Key | value |` lines, then `Resources` with a
/// `Property | Type | Description` table per resource.
fn read_permission_blocks(src: &Source, lines: &[(usize, &str)], set: &mut DocSet) {
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, (_, l))| {
            let t = l.trim().to_ascii_lowercase();
            t == "delegate permission"
                || t == "delegated permission"
                || t == "application permission"
        })
        .map(|(i, _)| i)
        .collect();
    let Some(first) = starts.first() else { return };
    // The name: the first line of the page that looks like a scope (`Calendars.ReadWrite`).
    let Some((name_i, name)) = lines[..*first].iter().enumerate().find_map(|(i, (_, l))| {
        let t = l.trim();
        let ok = t.contains('.')
            && !t.ends_with('.')
            && t.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
        ok.then_some((i, t))
    }) else {
        return;
    };
    let description = lines
        .get(name_i + 1)
        .map(|(_, l)| l.trim().to_string())
        .filter(|d| !d.is_empty() && !d.contains('|'));
    let mut perm = DocPermission {
        name: name.to_string(),
        description,
        delegated: None,
        application: None,
        resources: Vec::new(),
        loc: src.loc(lines[name_i].0),
    };
    for s in &starts {
        let mut g = PermissionGrant {
            loc: src.loc(lines[*s].0),
            ..PermissionGrant::default()
        };
        for (o, l) in &lines[s + 1..] {
            let Some((k, v)) = l.split_once('|') else {
                break;
            };
            let v = v.trim().trim_end_matches('|').trim().to_string();
            let v = (!v.is_empty()).then_some(v);
            match k.trim().to_ascii_lowercase().as_str() {
                "id" => {
                    g.id = v;
                    g.loc = src.loc(*o + l.find('|').map(|p| p + 1).unwrap_or(0) + 1);
                }
                "consent type" => g.consent = v,
                "display string" => g.display = v,
                "description" => g.description = v,
                _ => break,
            }
        }
        if lines[*s]
            .1
            .trim()
            .to_ascii_lowercase()
            .starts_with("application")
        {
            perm.application = Some(g);
        } else {
            perm.delegated = Some(g);
        }
    }
    // Resources: the title lines of the tables after `Resources`.
    if let Some(ri) = lines
        .iter()
        .position(|(_, l)| l.trim().eq_ignore_ascii_case("resources"))
    {
        for (i, (_, l)) in lines.iter().enumerate().skip(ri + 1) {
            let next_is_header = lines.get(i + 1).is_some_and(|(_, n)| {
                let n = n.to_ascii_lowercase();
                n.contains('|') && n.contains("property") && n.contains("type")
            });
            if next_is_header && is_identifier(l.trim()) {
                perm.resources.push(l.trim().to_string());
            }
        }
    }
    set.permissions.push(perm);
}

/// Runs of lines with pipes that are not a table (no delimiter row under a header) and not a
/// permission block: a table without a header.
fn report_headerless(
    src: &Source,
    lines: &[(usize, &str)],
    tables: &[Table],
    diags: &mut Diagnostics,
) {
    let in_table = |o: usize| {
        tables
            .iter()
            .any(|t| o >= t.offset && o < t.end.max(t.offset + 1))
    };
    let mut i = 0;
    let mut in_fence = false;
    while i < lines.len() {
        let (o, l) = lines[i];
        if is_fence(l) {
            in_fence = !in_fence;
        }
        let pipe_row = !in_fence && written_cells(l) >= 2 && l.trim_start().starts_with('|');
        if pipe_row && !in_table(o) {
            let mut j = i;
            while j < lines.len() && lines[j].1.contains('|') && !in_table(lines[j].0) {
                j += 1;
            }
            if j - i >= 2 {
                diags.warning(
                    src.loc(o),
                    "lines of `|`-separated cells without a header row and a `|---|` delimiter row: not read as a table",
                );
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
}
