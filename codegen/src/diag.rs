//! Diagnostics: located errors and warnings, collected and reported all at once.

use std::fmt;
use std::path::{Path, PathBuf};

/// Index of a source file in [`crate::model::Model::files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A position in a source file: 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    pub file: FileId,
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One diagnostic. `path` is filled in when the diagnostic is rendered against the file table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub loc: Loc,
    /// What is wrong.
    pub message: String,
    /// For a rule with a deterministic recovery: what was done instead of failing. Such a
    /// diagnostic is a warning, shown as `message; recovery`, or in strict mode
    /// ([`Diagnostics::make_strict`]) an error, shown as `message` alone.
    pub recovery: Option<String>,
}

impl Diagnostic {
    /// The diagnostic as shown: the message, and the recovery when it was applied.
    pub fn text(&self) -> String {
        match (&self.recovery, self.severity) {
            (Some(r), Severity::Warning) => format!("{}; {r}", self.message),
            _ => self.message.clone(),
        }
    }

    /// What kind of problem this is, for grouping repeated diagnostics: the message with every
    /// quoted name (`` `…` ``) and every number masked, so the thousand annotation targets of
    /// one document that name nothing are one kind.
    pub fn kind(&self) -> String {
        let mut out = String::new();
        let mut quoted = false;
        let mut digits = false;
        for c in self.message.chars() {
            if c == '`' {
                if !quoted {
                    out.push_str("`…`");
                }
                quoted = !quoted;
                digits = false;
            } else if quoted {
                continue;
            } else if c.is_ascii_digit() {
                if !digits {
                    out.push('N');
                }
                digits = true;
            } else {
                out.push(c);
                digits = false;
            }
        }
        out
    }
}

/// Collects diagnostics for one run. Errors do not stop collection; the caller decides when to stop.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.items.push(Diagnostic {
            severity: Severity::Error,
            loc,
            message: message.into(),
            recovery: None,
        });
    }

    pub fn warning(&mut self, loc: Loc, message: impl Into<String>) {
        self.items.push(Diagnostic {
            severity: Severity::Warning,
            loc,
            message: message.into(),
            recovery: None,
        });
    }

    /// A rule the input breaks that has a deterministic recovery, which was applied: a warning
    /// naming the recovery, or an error once [`Diagnostics::make_strict`] ran.
    pub fn recovered(&mut self, loc: Loc, message: impl Into<String>, recovery: impl Into<String>) {
        self.items.push(Diagnostic {
            severity: Severity::Warning,
            loc,
            message: message.into(),
            recovery: Some(recovery.into()),
        });
    }

    /// Strict mode: every recovered problem is an error again.
    pub fn make_strict(&mut self) {
        for d in &mut self.items {
            if d.recovery.is_some() {
                d.severity = Severity::Error;
            }
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Sorts by file, line, column, then severity and message, so output order never depends on
    /// the order the checks ran in.
    pub fn sort(&mut self) {
        self.items
            .sort_by(|a, b| (a.loc, a.severity, &a.message).cmp(&(b.loc, b.severity, &b.message)));
        self.items.dedup();
    }
}

/// A diagnostic with its file path resolved, ready to print as `file:line:column: severity: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub path: PathBuf,
    pub diagnostic: Diagnostic,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.diagnostic;
        let sev = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path.display(),
            d.loc.line,
            d.loc.col,
            sev,
            d.text()
        )
    }
}

/// Warnings of one kind ([`Diagnostic::kind`]), in the order of their first occurrence.
#[derive(Clone, Debug)]
pub struct WarningGroup {
    pub kind: String,
    /// Positions of the kind's warnings in the grouped slice, in order; the first is where the
    /// kind first occurs.
    pub items: Vec<usize>,
}

/// Groups the warnings of `diags` by kind, so a summary can show how many there are of each and
/// a few examples, instead of burying the one that matters under a thousand of another kind.
pub fn group_warnings(diags: &[Located]) -> Vec<WarningGroup> {
    let mut groups: Vec<WarningGroup> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, d) in diags.iter().enumerate() {
        if d.diagnostic.severity != Severity::Warning {
            continue;
        }
        let kind = d.diagnostic.kind();
        match index.get(&kind) {
            Some(&g) => groups[g].items.push(i),
            None => {
                index.insert(kind.clone(), groups.len());
                groups.push(WarningGroup {
                    kind,
                    items: vec![i],
                });
            }
        }
    }
    groups
}

/// Maps byte offsets of one source text to 1-based line and column.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &[u8]) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in text.iter().enumerate() {
            if *b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        LineIndex { line_starts }
    }

    /// Line and column (both 1-based) of `offset`; the column counts characters, so `text`
    /// must be the same text the index was built from.
    pub fn line_col(&self, text: &[u8], offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = String::from_utf8_lossy(&text[start..offset])
            .chars()
            .count()
            + 1;
        (line as u32 + 1, col as u32)
    }
}

/// Renders a path for diagnostics: as given, so messages match what the user typed.
pub fn display_path(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let text = "ab\nçd\n\nx".as_bytes();
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 1), (1, 2));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        // 'ç' is two bytes: the 'd' after it is the second character.
        assert_eq!(idx.line_col(text, 5), (2, 2));
        assert_eq!(idx.line_col(text, 7), (3, 1));
        assert_eq!(idx.line_col(text, 8), (4, 1));
        assert_eq!(idx.line_col(text, 100), (4, 2));
    }

    #[test]
    fn kinds_mask_names_and_numbers() {
        let mut d = Diagnostics::default();
        d.warning(
            Loc::default(),
            "annotation target `a.b/c` names nothing (line 12)",
        );
        d.warning(
            Loc::default(),
            "annotation target `x` names nothing (line 3)",
        );
        assert_eq!(d.items[0].kind(), d.items[1].kind());
        assert_eq!(
            d.items[0].kind(),
            "annotation target `…` names nothing (line N)"
        );
    }

    #[test]
    fn recovered_problems_are_warnings_naming_the_recovery_or_strict_errors() {
        let mut d = Diagnostics::default();
        d.recovered(
            Loc::default(),
            "Scale 6 is greater than Precision 4",
            "Scale is ignored",
        );
        d.warning(Loc::default(), "other");
        assert!(!d.has_errors());
        assert_eq!(
            d.items[0].text(),
            "Scale 6 is greater than Precision 4; Scale is ignored"
        );
        d.make_strict();
        assert_eq!(d.errors().count(), 1);
        assert_eq!(d.items[0].text(), "Scale 6 is greater than Precision 4");
        assert_eq!(d.warnings().count(), 1);
    }
}
