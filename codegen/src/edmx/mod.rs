//! EDMX / CSDL XML reader: V4 (`edmx:Edmx` 4.0 / 4.01), EDMX 1.0 with V2/V3 data services,
//! and bare `<Schema>` roots, into the arena [`Model`].
//!
//! Reading happens in two steps: [`xml::parse`] builds a small located element tree (fatal
//! well-formedness problems stop there, before anything enters the model), then [`read`] walks
//! the tree into the model and [`lower`] turns V2/V3 associations and association sets into
//! navigation properties and bindings.
//!
//! Choices worth knowing:
//! - V3 `<Using Namespace Alias>` becomes a [`crate::model::Reference`] with an empty `uri` and
//!   one `Include`.
//! - `<Documentation>` becomes inline `Org.OData.Core.V1.Description` / `LongDescription`
//!   annotations.
//! - Text content of generic expression elements (`LabeledElementReference`, V3 `DateTime` /
//!   `Time` constants) is kept as a `Constant(String)` child of the [`crate::model::Expr::Element`].

mod lower;
mod read;
mod xml;

#[cfg(test)]
mod tests;

use crate::diag::{Diagnostics, FileId, LineIndex, Loc};
use crate::model::{Model, SourceFile};
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

pub(crate) const EDMX_V4: &str = "http://docs.oasis-open.org/odata/ns/edmx";
pub(crate) const EDM_V4: &str = "http://docs.oasis-open.org/odata/ns/edm";
pub(crate) const EDMX_V1: &str = "http://schemas.microsoft.com/ado/2007/06/edmx";
/// The EDMX namespaces of Entity Framework's designer files (EF 4, EF 5 and 6), not OData's.
pub(crate) const EDMX_ENTITY_FRAMEWORK: &[&str] = &[
    "http://schemas.microsoft.com/ado/2008/10/edmx",
    "http://schemas.microsoft.com/ado/2009/11/edmx",
];
pub(crate) const M_NS: &str = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";
/// The V2/V3 (CSDL 1.0 to 3.0) edm namespaces.
pub(crate) const EDM_LEGACY: &[&str] = &[
    "http://schemas.microsoft.com/ado/2006/04/edm",
    "http://schemas.microsoft.com/ado/2007/05/edm",
    "http://schemas.microsoft.com/ado/2008/01/edm",
    "http://schemas.microsoft.com/ado/2008/09/edm",
    "http://schemas.microsoft.com/ado/2009/11/edm",
];
pub(crate) const EDM_V3: &str = "http://schemas.microsoft.com/ado/2009/11/edm";

/// Reads one document (bytes as read from disk) into `model`. Fatal problems (not UTF-8, not
/// well-formed XML, wrong root, DOCTYPE, nesting deeper than 200) are reported as located errors
/// and the function returns None, leaving no partial schemas of that file in the model.
///
/// The [`SourceFile`] is registered even when reading fails, so that diagnostics can name it.
pub fn read_document(
    model: &mut Model,
    path: &Path,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<FileId> {
    let file = FileId(model.files.len() as u32);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bad = e.valid_up_to();
            let idx = LineIndex::new(bytes);
            let (line, mut col) = idx.line_col(bytes, bad);
            if line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") && col > 1 {
                col -= 1;
            }
            model.files.push(SourceFile {
                path: path.to_path_buf(),
                text: String::from_utf8_lossy(bytes).into_owned(),
                ..SourceFile::default()
            });
            diags.error(
                Loc { file, line, col },
                format!(
                    "the document is not valid UTF-8 (invalid byte 0x{:02X})",
                    bytes[bad]
                ),
            );
            return None;
        }
    };
    model.files.push(SourceFile {
        path: path.to_path_buf(),
        text: text.to_string(),
        ..SourceFile::default()
    });
    let tree = match xml::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let p = xml::Locator::new(text.as_bytes()).pos(e.offset);
            diags.error(
                Loc {
                    file,
                    line: p.line,
                    col: p.col,
                },
                e.message,
            );
            return None;
        }
    };
    if read::read_tree(model, file, &tree, diags) {
        Some(file)
    } else {
        None
    }
}

/// Reads every input, then follows `edmx:Reference` Uris that name local files (relative to the
/// referencing document, or `file:` URLs), each file read once, cycles safe. A reference that
/// cannot be read is not an error here; its `loaded` stays `None`. An input that cannot be read
/// from disk is an error located at line 1 column 1 of that path.
pub fn load(inputs: &[PathBuf], diags: &mut Diagnostics) -> Model {
    let mut model = Model::default();
    // Canonical path → the file it was read as (None: reading failed).
    let mut seen: HashMap<PathBuf, Option<FileId>> = HashMap::new();
    let mut queue: VecDeque<FileId> = VecDeque::new();
    for input in inputs {
        let key = std::fs::canonicalize(input).unwrap_or_else(|_| input.clone());
        if seen.contains_key(&key) {
            continue;
        }
        match std::fs::read(input) {
            Ok(bytes) => {
                let id = read_document(&mut model, input, &bytes, diags);
                seen.insert(key, id);
                if let Some(id) = id {
                    queue.push_back(id);
                }
            }
            Err(e) => {
                let file = FileId(model.files.len() as u32);
                model.files.push(SourceFile {
                    path: input.clone(),
                    ..SourceFile::default()
                });
                diags.error(
                    Loc {
                        file,
                        line: 1,
                        col: 1,
                    },
                    format!("cannot read `{}`: {e}", input.display()),
                );
                seen.insert(key, None);
            }
        }
    }
    while let Some(fid) = queue.pop_front() {
        let base = model.files[fid.0 as usize]
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for r in 0..model.files[fid.0 as usize].references.len() {
            let uri = model.files[fid.0 as usize].references[r].uri.clone();
            let Some(path) = local_reference_path(&base, &uri) else {
                continue;
            };
            if !path.is_file() {
                continue;
            }
            let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            let loaded = match seen.get(&key) {
                Some(id) => *id,
                None => {
                    let id = match std::fs::read(&path) {
                        Ok(bytes) => read_document(&mut model, &path, &bytes, diags),
                        Err(_) => None,
                    };
                    seen.insert(key, id);
                    if let Some(id) = id {
                        queue.push_back(id);
                    }
                    id
                }
            };
            model.files[fid.0 as usize].references[r].loaded = loaded;
        }
    }
    model
}

/// The local file a reference Uri names, if it names one: a relative reference (resolved against
/// the referencing document's directory) or a `file:` URL.
fn local_reference_path(base: &Path, uri: &str) -> Option<PathBuf> {
    let uri = uri.trim();
    if uri.is_empty() {
        return None;
    }
    let uri = uri.split(['#', '?']).next().unwrap_or("");
    if let Some(rest) = uri.strip_prefix("file:") {
        let rest = rest.strip_prefix("//localhost").unwrap_or(rest);
        let rest = if let Some(r) = rest.strip_prefix("//") {
            r
        } else {
            rest
        };
        let decoded = percent_decode(rest)?;
        let p = PathBuf::from(&decoded);
        return Some(if p.is_absolute() { p } else { base.join(p) });
    }
    // Any other scheme (`https:`, `urn:`, ...) is not a local file.
    if let Some(colon) = uri.find(':') {
        let scheme = &uri[..colon];
        if !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            return None;
        }
    }
    if uri.is_empty() {
        return None;
    }
    Some(base.join(percent_decode(uri)?))
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let h = std::str::from_utf8(&b[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
