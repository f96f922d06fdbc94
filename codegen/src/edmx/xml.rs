//! A small XML element tree with namespaces resolved and every element and attribute located,
//! built from quick-xml events. Well-formedness problems, DTDs, undefined entities and excessive
//! nesting are reported as one fatal error with the byte offset where it was found.

use crate::diag::LineIndex;
use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::collections::HashMap;

/// Elements may nest at most this deep (the root is at depth 1).
pub(crate) const MAX_DEPTH: usize = 200;

/// "No element" in [`Elem::first_child`] / [`Elem::next_sibling`].
pub(crate) const NONE: u32 = u32::MAX;

pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// 1-based line and column (in characters) of a byte offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: u32,
    pub col: u32,
}

#[derive(Debug)]
pub(crate) struct Elem<'a> {
    /// Index into [`Tree::namespaces`]; 0 is "no namespace".
    pub ns: u32,
    /// The name as written (`edmx:Edmx`).
    pub qname: Cow<'a, str>,
    pub local_start: usize,
    /// Range of this element's attributes in [`Tree::attrs`].
    pub attrs: (u32, u32),
    /// First child element and next sibling ([`NONE`] when absent).
    pub first_child: u32,
    pub next_sibling: u32,
    /// All character data directly inside the element (text, CDATA, resolved references),
    /// concatenated.
    pub text: Cow<'a, str>,
    pub pos: Pos,
}

impl Elem<'_> {
    pub fn local(&self) -> &str {
        &self.qname[self.local_start..]
    }
}

#[derive(Debug)]
pub(crate) struct Attr<'a> {
    /// Index into [`Tree::namespaces`]; 0 for unprefixed attributes.
    pub ns: u32,
    pub qname: Cow<'a, str>,
    pub local_start: usize,
    /// Normalized value (entities resolved, whitespace normalized as XML requires).
    pub value: Cow<'a, str>,
    pub pos: Pos,
}

impl Attr<'_> {
    pub fn local(&self) -> &str {
        &self.qname[self.local_start..]
    }
    pub fn prefix(&self) -> &str {
        if self.local_start == 0 {
            ""
        } else {
            &self.qname[..self.local_start - 1]
        }
    }
}

#[derive(Debug)]
pub(crate) struct Tree<'a> {
    pub elems: Vec<Elem<'a>>,
    pub attrs: Vec<Attr<'a>>,
    /// Namespace URIs; index 0 is the empty "no namespace".
    pub namespaces: Vec<String>,
    pub root: u32,
}

impl<'a> Tree<'a> {
    pub fn ns(&self, e: &Elem<'_>) -> &str {
        &self.namespaces[e.ns as usize]
    }
    pub fn elem(&self, i: u32) -> &Elem<'a> {
        &self.elems[i as usize]
    }
    pub fn attrs_of(&self, e: &Elem<'_>) -> &[Attr<'a>] {
        &self.attrs[e.attrs.0 as usize..e.attrs.1 as usize]
    }
    /// Child elements of `e`, in document order.
    pub fn children<'t>(&'t self, e: &Elem<'_>) -> Children<'t, 'a> {
        Children {
            tree: self,
            next: e.first_child,
        }
    }
}

pub(crate) struct Children<'t, 'a> {
    tree: &'t Tree<'a>,
    next: u32,
}

impl<'t, 'a> Iterator for Children<'t, 'a> {
    type Item = &'t Elem<'a>;
    fn next(&mut self) -> Option<&'t Elem<'a>> {
        if self.next == NONE {
            return None;
        }
        let e = &self.tree.elems[self.next as usize];
        self.next = e.next_sibling;
        Some(e)
    }
}

/// A fatal problem: where (byte offset) and what.
#[derive(Debug)]
pub(crate) struct XmlError {
    pub offset: usize,
    pub message: String,
}

fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, XmlError> {
    Err(XmlError {
        offset,
        message: message.into(),
    })
}

/// Converts byte offsets to positions quickly when offsets mostly increase (they do: the tree is
/// built in document order), falling back to [`LineIndex`] otherwise.
pub(crate) struct Locator<'a> {
    text: &'a [u8],
    off: usize,
    line: u32,
    col: u32,
    index: Option<LineIndex>,
    bom: bool,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        let bom = text.starts_with(b"\xEF\xBB\xBF");
        Locator {
            text,
            off: if bom { 3 } else { 0 },
            line: 1,
            col: 1,
            index: None,
            bom,
        }
    }

    pub fn pos(&mut self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        if offset < self.off {
            let index = self.index.get_or_insert_with(|| LineIndex::new(self.text));
            let (line, mut col) = index.line_col(self.text, offset);
            if line == 1 && self.bom && col > 1 {
                // The byte order mark is not a character of the document.
                col -= 1;
            }
            return Pos { line, col };
        }
        for &b in &self.text[self.off..offset] {
            if b == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if b & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
        self.off = offset;
        Pos {
            line: self.line,
            col: self.col,
        }
    }
}

/// `s` as a slice of `input` when it points into it (it always does for events of a slice
/// reader), else an owned copy.
fn reslice<'a>(input: &'a str, s: &str) -> Cow<'a, str> {
    match offset_in(input, s) {
        Some(o) => Cow::Borrowed(&input[o..o + s.len()]),
        None => Cow::Owned(s.to_string()),
    }
}

fn offset_in(input: &str, s: &str) -> Option<usize> {
    let base = input.as_ptr() as usize;
    let p = s.as_ptr() as usize;
    if p >= base && p + s.len() <= base + input.len() {
        Some(p - base)
    } else {
        None
    }
}

struct Builder<'a> {
    input: &'a str,
    loc: Locator<'a>,
    elems: Vec<Elem<'a>>,
    attrs: Vec<Attr<'a>>,
    raw: Vec<(Cow<'a, str>, Cow<'a, str>, usize)>,
    namespaces: Vec<String>,
    ns_ids: HashMap<String, u32>,
    /// In-scope prefix bindings (prefix, namespace id), innermost last.
    bindings: Vec<(Cow<'a, str>, u32)>,
    /// Open elements: (element index, number of bindings it declared, last child so far).
    open: Vec<(u32, usize, u32)>,
    root: Option<u32>,
    root_closed: bool,
}

/// Parses `input` (the whole document, possibly starting with a BOM) into a tree.
pub(crate) fn parse(input: &str) -> Result<Tree<'_>, XmlError> {
    let mut b = Builder {
        input,
        loc: Locator::new(input.as_bytes()),
        elems: Vec::with_capacity(input.len() / 64),
        attrs: Vec::with_capacity(input.len() / 32),
        raw: Vec::new(),
        namespaces: vec![String::new()],
        ns_ids: HashMap::new(),
        bindings: Vec::new(),
        open: Vec::new(),
        root: None,
        root_closed: false,
    };
    b.ns_ids.insert(String::new(), 0);
    let xml = b.intern(XML_NS);
    b.bindings.push((Cow::Borrowed("xml"), xml));

    let mut reader = Reader::from_str(input);
    {
        let c = reader.config_mut();
        c.check_end_names = true;
        c.expand_empty_elements = false;
        c.trim_text(false);
    }
    let bom = if input.starts_with('\u{feff}') { 3 } else { 0 };
    loop {
        let mut before = reader.buffer_position() as usize;
        if before < bom {
            before = bom;
        }
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let mut at = reader.error_position() as usize;
                if at < bom {
                    at = bom;
                }
                return err(at, xml_error_message(&e));
            }
        };
        match event {
            Event::Start(e) => b.start(&e, before, false)?,
            Event::Empty(e) => b.start(&e, before, true)?,
            Event::End(_) => b.end(),
            Event::Text(t) => {
                let s = t.xml10_content();
                b.text(&s, t.as_ref(), before)?;
            }
            Event::CData(t) => {
                let s = t.xml10_content();
                if b.open.is_empty() {
                    return err(before, "character data outside the root element");
                }
                b.push_text(&s, "");
            }
            Event::GeneralRef(r) => {
                let resolved: String = match r.resolve_char_ref() {
                    Ok(Some(ch)) => ch.to_string(),
                    Ok(None) => match quick_xml::escape::resolve_predefined_entity(&r) {
                        Some(s) => s.to_string(),
                        None => {
                            return err(before, format!("undefined entity `&{};`", &*r));
                        }
                    },
                    Err(_) => {
                        return err(before, format!("invalid character reference `&{};`", &*r));
                    }
                };
                if b.open.is_empty() {
                    return err(before, "character data outside the root element");
                }
                b.push_text(&resolved, "");
            }
            Event::DocType(_) => return err(before, "DTDs are not allowed (found `<!DOCTYPE`)"),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(&(i, _, _)) = b.open.last() {
        let e = &b.elems[i as usize];
        let msg = format!(
            "unexpected end of document: element `<{}>` opened at line {} column {} is not closed",
            e.qname, e.pos.line, e.pos.col
        );
        return err(input.len(), msg);
    }
    let Some(root) = b.root else {
        return err(input.len(), "the document has no root element");
    };
    Ok(Tree {
        elems: b.elems,
        attrs: b.attrs,
        namespaces: b.namespaces,
        root,
    })
}

fn xml_error_message(e: &quick_xml::Error) -> String {
    use quick_xml::errors::IllFormedError;
    match e {
        quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            format!("mismatched end tag: expected `</{expected}>`, found `</{found}>`")
        }
        quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(tag)) => {
            format!("end tag `</{tag}>` has no matching start tag")
        }
        other => format!("malformed XML: {other}"),
    }
}

impl<'a> Builder<'a> {
    fn intern(&mut self, uri: &str) -> u32 {
        if let Some(&i) = self.ns_ids.get(uri) {
            return i;
        }
        let i = self.namespaces.len() as u32;
        self.namespaces.push(uri.to_string());
        self.ns_ids.insert(uri.to_string(), i);
        i
    }

    fn lookup(&self, prefix: &str) -> Option<u32> {
        self.bindings
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, n)| *n)
    }

    fn start(&mut self, e: &BytesStart<'_>, before: usize, empty: bool) -> Result<(), XmlError> {
        let name = e.name();
        let name_str: &str = name.as_ref();
        let at = offset_in(self.input, name_str)
            .map(|o| o.saturating_sub(1))
            .unwrap_or(before);
        if self.root_closed {
            return err(
                at,
                "content after the root element: a document has exactly one root element",
            );
        }
        if self.open.len() >= MAX_DEPTH {
            return err(
                at,
                format!("elements are nested deeper than {MAX_DEPTH} levels"),
            );
        }
        let qname = reslice(self.input, name_str);
        let pos = self.loc.pos(at);

        // Attributes: collect, then apply namespace declarations, then resolve prefixes.
        let mut raw = std::mem::take(&mut self.raw);
        raw.clear();
        for a in e.attributes() {
            let a = match a {
                Ok(a) => a,
                Err(ae) => return err(at, format!("malformed attribute in `<{qname}>`: {ae}")),
            };
            let key: &str = a.key.as_ref();
            let apos = offset_in(self.input, key).unwrap_or(at);
            let value = match a.normalized_value(XmlVersion::Implicit1_0) {
                Ok(v) => match v {
                    Cow::Borrowed(s) => reslice(self.input, s),
                    Cow::Owned(s) => Cow::Owned(s),
                },
                Err(x) => {
                    return err(apos, format!("invalid value of attribute `{key}`: {x}"));
                }
            };
            raw.push((reslice(self.input, key), value, apos));
        }
        let mut declared = 0;
        for (k, v, _) in &raw {
            if k == "xmlns" {
                let id = self.intern(v);
                self.bindings.push((Cow::Borrowed(""), id));
                declared += 1;
            } else if let Some(p) = k.strip_prefix("xmlns:") {
                let id = self.intern(v);
                self.bindings.push((Cow::Owned(p.to_string()), id));
                declared += 1;
            }
        }
        let (prefix, local_start) = match qname.find(':') {
            Some(i) => (&qname[..i], i + 1),
            None => ("", 0),
        };
        let Some(ns) = self.lookup(prefix) else {
            if prefix.is_empty() {
                // No default namespace declared: the element has no namespace.
                return self.finish_start(qname, 0, local_start, raw, declared, pos, at, empty);
            }
            return err(
                at,
                format!("undeclared namespace prefix `{prefix}` in `<{qname}>`"),
            );
        };
        self.finish_start(qname, ns, local_start, raw, declared, pos, at, empty)
    }

    #[allow(clippy::too_many_arguments)]
    fn finish_start(
        &mut self,
        qname: Cow<'a, str>,
        ns: u32,
        local_start: usize,
        raw: Vec<(Cow<'a, str>, Cow<'a, str>, usize)>,
        declared: usize,
        pos: Pos,
        at: usize,
        empty: bool,
    ) -> Result<(), XmlError> {
        let first_attr = self.attrs.len() as u32;
        let mut raw = raw;
        for (k, v, apos) in raw.drain(..) {
            if k == "xmlns" || k.starts_with("xmlns:") {
                continue;
            }
            let (ans, ls) = match k.find(':') {
                Some(i) => match self.lookup(&k[..i]) {
                    Some(n) => (n, i + 1),
                    None => {
                        return err(
                            apos,
                            format!(
                                "undeclared namespace prefix `{}` in attribute `{k}`",
                                &k[..i]
                            ),
                        );
                    }
                },
                None => (0, 0),
            };
            let p = self.loc.pos(apos);
            self.attrs.push(Attr {
                ns: ans,
                qname: k,
                local_start: ls,
                value: v,
                pos: p,
            });
        }
        self.raw = raw;
        let idx = self.elems.len() as u32;
        self.elems.push(Elem {
            ns,
            qname,
            local_start,
            attrs: (first_attr, self.attrs.len() as u32),
            first_child: NONE,
            next_sibling: NONE,
            text: Cow::Borrowed(""),
            pos,
        });
        let _ = at;
        match self.open.last_mut() {
            Some((parent, _, last)) => {
                if *last == NONE {
                    self.elems[*parent as usize].first_child = idx;
                } else {
                    self.elems[*last as usize].next_sibling = idx;
                }
                *last = idx;
            }
            None => self.root = Some(idx),
        }
        if empty {
            self.bindings.truncate(self.bindings.len() - declared);
            if self.open.is_empty() {
                self.root_closed = true;
            }
        } else {
            self.open.push((idx, declared, NONE));
        }
        Ok(())
    }

    fn end(&mut self) {
        // quick-xml checks that end tags match their start tags.
        if let Some((_, declared, _)) = self.open.pop() {
            self.bindings.truncate(self.bindings.len() - declared);
            if self.open.is_empty() {
                self.root_closed = true;
            }
        }
    }

    fn text(&mut self, s: &str, raw: &str, before: usize) -> Result<(), XmlError> {
        if self.open.is_empty() {
            if let Some(i) = s.find(|c: char| !c.is_ascii_whitespace() && c != '\u{feff}') {
                let at = offset_in(self.input, raw).unwrap_or(before) + i;
                // A response saved with its status line and headers (`curl -i`).
                let rest = &s[i..];
                if !self.root_closed
                    && (rest.starts_with("HTTP/") || rest.contains("\nContent-Type:"))
                {
                    return err(
                        at,
                        "text outside the root element: this looks like an HTTP response with its status line and headers; keep only the body (the XML after the blank line)",
                    );
                }
                return err(at, "text outside the root element");
            }
            return Ok(());
        }
        self.push_text(s, raw);
        Ok(())
    }

    fn push_text(&mut self, s: &str, raw: &str) {
        let Some(&(i, _, _)) = self.open.last() else {
            return;
        };
        let e = &mut self.elems[i as usize];
        if e.text.is_empty() {
            e.text = if s.len() == raw.len() {
                reslice(self.input, s)
            } else {
                Cow::Owned(s.to_string())
            };
        } else {
            e.text.to_mut().push_str(s);
        }
    }
}
