//! Documentation tables as a second input: service reference pages (text captures of web pages)
//! read into a [`DocSet`] of located facts, which either build a [`Model`] on their own
//! ([`build::model_from_docs`]) or are merged onto a `$metadata` model ([`build::overlay`]).
//!
//! Four formats are read, each recognised by its shape, not by the file name:
//! - per-type reference pages: an Overview key/value table (`Full name`, `Base types`), the
//!   resource paths in a code block, the `Properties` (Name, Type, Versions, Nullable, Unicode,
//!   Writeable, Required to create, Default value, Comments; `(_Key_)` marks the key), the
//!   `Navigation properties` and `Actions` tables, and per-operation `Required scopes` tables
//!   followed by the request line (`GET /<version>/.../users/<User.objectId>`);
//! - `Property | Type | Description` tables under a title line naming the resource, with facts in
//!   the description text (`Read-only.`, `Not nullable.`, `Supports $filter (eq, ne)`,
//!   `Possible values are: a, b`, `Returned only on $select`), and permission pages
//!   (`Delegate Permission` / `Application Permission` blocks of `Key | value |` lines);
//! - numbered property lists (`1. name` / `2. Type`, a description, then `C R U D Filterable`
//!   markers) under `The X entity` or a type-name title;
//! - Swagger 2.0 JSON documents embedded in the page (`paths` with parameters and required
//!   scopes, `definitions` with `type`, `readOnly` and `required`).
//!
//! Markdown tables go through `pulldown-cmark` (GFM tables). The captures are not clean Markdown:
//! headings lack the space after `#`, tables follow a title line without a blank line, and a
//! table runs on into the next line that has no pipe. A light normalisation (blank lines inserted
//! where a table starts or ends, offsets mapped back) fixes that before parsing, so every cell
//! keeps its own line and column.
//!
//! Nothing here panics on bad input: what cannot be read is a located warning (or an error for a
//! file that cannot be read at all), and reading goes on.

mod addressing;
pub mod build;
mod calls;
mod lists;
mod markdown;
mod swagger;
mod text;

use crate::diag::{Diagnostics, FileId, LineIndex, Loc};
use crate::model::SourceFile;
use std::path::{Path, PathBuf};

/// Which of the four formats a fact was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Per-type reference page tables (seeds 000, 003).
    ReferenceTables,
    /// `Property | Type | Description` tables (seed 004).
    DescriptionTables,
    /// Numbered property lists (seed 002).
    NumberedLists,
    /// Embedded Swagger 2.0 (seed 001).
    Swagger,
}

/// A type as the documentation writes it, parsed: `Collection(X)`, `X collection` and
/// `<X>` (action inputs) all become an element name and a collection flag. Resolution to a model
/// type happens when the facts meet a model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocTypeRef {
    /// As written in the cell, trimmed.
    pub written: String,
    /// The element type name (qualified or not, any case).
    pub name: String,
    pub collection: bool,
    pub loc: Loc,
}

impl DocTypeRef {
    pub fn parse(written: &str, loc: Loc) -> Option<DocTypeRef> {
        let w = written
            .trim()
            .trim_matches('`')
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .trim();
        if w.is_empty() {
            return None;
        }
        let (collection, name) = if let Some(inner) = w
            .strip_prefix("Collection(")
            .or_else(|| w.strip_prefix("collection("))
            .and_then(|r| r.strip_suffix(')'))
        {
            (true, inner.trim())
        } else if let Some(head) = w
            .strip_suffix(" collection")
            .or_else(|| w.strip_suffix(" Collection"))
        {
            (true, head.trim())
        } else {
            (false, w)
        };
        let name = name.trim_start_matches('<').trim_end_matches('>').trim();
        if name.is_empty() || name.chars().any(|c| c.is_whitespace()) {
            return None;
        }
        Some(DocTypeRef {
            written: written.trim().to_string(),
            name: name.to_string(),
            collection,
            loc,
        })
    }

    /// The last segment of the name (`Microsoft.Graph.User` → `User`).
    pub fn short(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }
}

/// A documented structured type (entity or complex; the documents rarely say which).
#[derive(Clone, Debug)]
pub struct DocType {
    /// Short name as written (`User`, `attendee`).
    pub name: String,
    /// Namespace when the document gives a full name (`Microsoft.Graph`).
    pub namespace: Option<String>,
    /// `Some(true)` when the document says it is an entity type, `Some(false)` a complex type.
    pub entity: Option<bool>,
    pub base: Option<DocTypeRef>,
    pub description: Option<String>,
    pub versions: Vec<String>,
    pub properties: Vec<DocProperty>,
    pub navigations: Vec<DocNavigation>,
    pub actions: Vec<DocAction>,
    /// Properties that must be given on create, from a Swagger `required` list.
    pub required: Vec<(String, Loc)>,
    pub format: Format,
    pub loc: Loc,
}

impl DocType {
    fn new(name: &str, format: Format, loc: Loc) -> DocType {
        DocType {
            name: name.to_string(),
            namespace: None,
            entity: None,
            base: None,
            description: None,
            versions: Vec::new(),
            properties: Vec::new(),
            navigations: Vec::new(),
            actions: Vec::new(),
            required: Vec::new(),
            format,
            loc,
        }
    }
}

/// A documented structural property. Every `Option` is `None` when the document says nothing.
#[derive(Clone, Debug, Default)]
pub struct DocProperty {
    pub name: String,
    pub ty: Option<DocTypeRef>,
    pub key: bool,
    pub nullable: Option<bool>,
    pub unicode: Option<bool>,
    pub read_only: Option<bool>,
    pub required_on_create: Option<bool>,
    pub versions: Vec<String>,
    pub default_value: Option<String>,
    pub description: Option<String>,
    /// `Some(ops)` when the property supports `$filter` (`ops` may be empty: operators unknown).
    pub filter: Option<Vec<String>>,
    pub allowed_values: Vec<String>,
    /// Returned only when named in `$select`.
    pub select_only: bool,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct DocNavigation {
    pub name: String,
    pub target: DocTypeRef,
    pub versions: Vec<String>,
    pub nullable: Option<bool>,
    /// HTTP methods the navigation supports, as listed.
    pub operations: Vec<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct DocAction {
    pub name: String,
    pub versions: Vec<String>,
    /// The type the action is bound to (`Context` column), when given.
    pub binding: Option<DocTypeRef>,
    pub parameters: Vec<DocParameter>,
    pub return_type: Option<DocTypeRef>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct DocParameter {
    pub name: String,
    pub ty: Option<DocTypeRef>,
    /// Where a request parameter goes (`query`, `path`, `body`), for Swagger parameters.
    pub location: Option<String>,
    pub required: Option<bool>,
    pub default_value: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

/// A resource path (`/<version>/myOrganization/users/<User.objectId>`), split into segments.
#[derive(Clone, Debug)]
pub struct DocPath {
    pub written: String,
    pub segments: Vec<PathSegment>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// A literal segment (`users`, `manager`, `$links`).
    Name(String),
    /// A key placeholder: `<User.objectId>` gives type and key property, `{user_id}` neither.
    Key {
        ty: Option<String>,
        property: Option<String>,
    },
}

/// One documented operation: an HTTP request with the scopes that authorise it.
#[derive(Clone, Debug)]
pub struct DocOperation {
    /// The heading the operation is described under (`Get a User`).
    pub label: String,
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE` (upper case); `None` when the page does not say.
    pub method: Option<String>,
    pub path: Option<DocPath>,
    pub scopes: Vec<DocScope>,
    pub parameters: Vec<DocParameter>,
    /// What the success response holds, when the page shows it: `Some(true)` a collection (a
    /// Swagger `array` schema, or an example with a `value` array), `Some(false)` one object
    /// (an object schema or example without `value`), `None` nothing said (no body, `none`).
    pub returns_collection: Option<bool>,
    pub loc: Loc,
}

/// A function or action the prose names without a parameter table: `You can call the
/// isMemberOf function …` under `Functions and actions on users`, or the addressing example
/// `/{function_name}` … `Targeting the isMemberOf function`.
#[derive(Clone, Debug)]
pub struct DocCall {
    pub name: String,
    /// `true` when the page calls it an action, `false` a function.
    pub action: bool,
    pub target: CallTarget,
    /// The sentence naming it.
    pub description: Option<String>,
    /// The principal the sentence says it is called on, when it says `on the signed-in <noun>`
    /// (`user` for seed 001's `changePassword`): valid only through the alias addressing the
    /// signed-in one ([`DocAlias`]).
    pub signed_in: Option<String>,
    pub loc: Loc,
}

/// An addressing alias the prose defines for the signed-in principal: `me targets the signed-in
/// user.`, with an example URL addressing it from the host (`https://graph.windows.net/me`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocAlias {
    /// As written (`me`).
    pub name: String,
    /// The noun after `signed-in` (`user`): the entity type it addresses, by name.
    pub signed_in: String,
    pub loc: Loc,
}

/// Where a [`DocCall`] is addressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallTarget {
    /// At the tenant (service root): `/{function_name}`.
    Tenant,
    /// On one member of the entity set named: `/users/{id}/{function_name}`.
    Member(String),
}

/// A scope that can authorise an operation (`User.Read`, consent type `User`).
#[derive(Clone, Debug)]
pub struct DocScope {
    pub name: String,
    pub consent: Option<String>,
    pub scenario: Option<String>,
    pub loc: Loc,
}

/// A permission described by a permission page.
#[derive(Clone, Debug)]
pub struct DocPermission {
    pub name: String,
    pub description: Option<String>,
    pub delegated: Option<PermissionGrant>,
    pub application: Option<PermissionGrant>,
    /// Resources (types) the page lists as covered.
    pub resources: Vec<String>,
    pub loc: Loc,
}

/// The delegated or application side of a permission.
#[derive(Clone, Debug, Default)]
pub struct PermissionGrant {
    pub id: Option<String>,
    pub consent: Option<String>,
    pub display: Option<String>,
    pub description: Option<String>,
    pub loc: Loc,
}

/// Everything read from documentation files. Every `loc` names a file of [`DocSet::files`] by
/// its [`FileId`], counted from the `first_file` given to [`read_docs`], so a model that appends
/// these files after its own keeps every location valid.
#[derive(Clone, Debug, Default)]
pub struct DocSet {
    pub first_file: u32,
    pub files: Vec<SourceFile>,
    pub types: Vec<DocType>,
    pub paths: Vec<DocPath>,
    pub operations: Vec<DocOperation>,
    pub permissions: Vec<DocPermission>,
    pub calls: Vec<DocCall>,
    /// Aliases of the signed-in principal the prose defines.
    pub aliases: Vec<DocAlias>,
    /// The example and request URLs the prose shows (a line that is a URL, or `METHOD URL`),
    /// `written` in full, `segments` those of the path after the host.
    pub urls: Vec<DocPath>,
}

impl DocSet {
    /// The documented type named `name` (short or qualified, any case).
    pub fn find_type(&self, name: &str) -> Option<&DocType> {
        let short = name.rsplit('.').next().unwrap_or(name);
        self.types
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(short))
    }

    /// Every documented type named `name` (several formats may describe the same type).
    pub fn types_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a DocType> + 'a {
        let short = name.rsplit('.').next().unwrap_or(name);
        self.types
            .iter()
            .filter(move |t| t.name.eq_ignore_ascii_case(short))
    }

    pub fn permission(&self, name: &str) -> Option<&DocPermission> {
        self.permissions
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// Path of the file a location is in.
    pub fn path_of(&self, loc: Loc) -> Option<&Path> {
        let i = (loc.file.0 as usize).checked_sub(self.first_file as usize)?;
        self.files.get(i).map(|f| f.path.as_path())
    }
}

/// One file's text with the helpers every format reader needs.
pub(crate) struct Source<'a> {
    pub file: FileId,
    pub text: &'a str,
    index: LineIndex,
}

impl<'a> Source<'a> {
    pub fn new(file: FileId, text: &'a str) -> Self {
        Source {
            file,
            text,
            index: LineIndex::new(text.as_bytes()),
        }
    }

    pub fn loc(&self, offset: usize) -> Loc {
        let (line, col) = self.index.line_col(self.text.as_bytes(), offset);
        Loc {
            file: self.file,
            line,
            col,
        }
    }

    /// Lines with their byte offsets (without the line terminator).
    pub fn lines(&self) -> Vec<(usize, &'a str)> {
        let mut out = Vec::new();
        let mut start = 0;
        for l in self.text.split_inclusive('\n') {
            let trimmed = l.trim_end_matches(['\n', '\r']);
            out.push((start, trimmed));
            start += l.len();
        }
        out
    }
}

/// The documentation files under `path`: the file itself, or the `.md`, `.txt`, `.markdown` and
/// `.json` files of a directory (recursively), sorted by path so the order never depends on the
/// file system.
pub fn doc_files(path: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if depth < 16 {
                    walk(&p, out, depth + 1);
                }
            } else if p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "md" | "txt" | "markdown" | "json"))
            {
                out.push(p);
            }
        }
    }
    if path.is_dir() {
        let mut out = Vec::new();
        walk(path, &mut out, 0);
        out.sort();
        out
    } else {
        vec![path.to_path_buf()]
    }
}

/// Reads documentation files and directories (see [`doc_files`]). File ids start at
/// `first_file`. A path that cannot be read is an error located at its line 1.
pub fn read_docs(paths: &[PathBuf], first_file: u32, diags: &mut Diagnostics) -> DocSet {
    let mut set = DocSet {
        first_file,
        ..DocSet::default()
    };
    for p in paths {
        let files = doc_files(p);
        if files.is_empty() {
            let file = FileId(first_file + set.files.len() as u32);
            set.files.push(SourceFile {
                path: p.clone(),
                ..SourceFile::default()
            });
            diags.error(
                Loc {
                    file,
                    line: 1,
                    col: 1,
                },
                "no documentation files (.md, .txt, .markdown, .json) in this directory",
            );
        }
        for f in files {
            match std::fs::read(&f) {
                Ok(bytes) => read_bytes(&mut set, &f, &bytes, diags),
                Err(e) => {
                    let file = FileId(first_file + set.files.len() as u32);
                    set.files.push(SourceFile {
                        path: f.clone(),
                        ..SourceFile::default()
                    });
                    diags.error(
                        Loc {
                            file,
                            line: 1,
                            col: 1,
                        },
                        format!("cannot read documentation file: {e}"),
                    );
                }
            }
        }
    }
    set
}

/// Reads one documentation document held in memory into `set`.
pub fn read_bytes(set: &mut DocSet, path: &Path, bytes: &[u8], diags: &mut Diagnostics) {
    let file = FileId(set.first_file + set.files.len() as u32);
    let text = String::from_utf8_lossy(bytes).into_owned();
    if let Err(e) = std::str::from_utf8(bytes) {
        let idx = LineIndex::new(bytes);
        let (line, col) = idx.line_col(bytes, e.valid_up_to());
        diags.warning(
            Loc { file, line, col },
            "the documentation is not valid UTF-8; invalid bytes were replaced",
        );
    }
    set.files.push(SourceFile {
        path: path.to_path_buf(),
        text: text.clone(),
        ..SourceFile::default()
    });
    let src = Source::new(file, &text);
    let counts = |set: &DocSet| {
        (
            set.types.len(),
            set.operations.len(),
            set.permissions.len(),
            set.calls.len(),
        )
    };
    let before = counts(set);
    markdown::read(&src, set, diags);
    lists::read(&src, set, diags);
    swagger::read(&src, set, diags);
    calls::read(&src, set, diags);
    addressing::read(&src, set, diags);
    let after = counts(set);
    if before == after && set.paths.iter().all(|p| p.loc.file != file) {
        diags.warning(
            src.loc(0),
            "no documentation tables found in this file (property tables, numbered property lists, permission blocks or Swagger definitions)",
        );
    }
}
