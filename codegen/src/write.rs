//! Writing: the whole output, rendered in memory ([`crate::render`]), is staged in a temporary
//! directory beside the target and swapped in only when everything succeeded. Files whose content did not change keep their modification time (they are
//! hard-linked into the staged tree), so cargo does not rebuild them and diffs stay small.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to write outside the output directory: `{0}`")]
    UnsafePath(String),
    #[error(
        "`{0}` exists and was not written by odata-codegen (its Cargo.toml has no `@generated` header); choose an empty or generated directory"
    )]
    NotGenerated(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that a generated relative path stays inside the output directory.
fn safe_relative(rel: &str) -> Result<PathBuf, WriteError> {
    let p = Path::new(rel);
    let ok = !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(p.to_path_buf())
    } else {
        Err(WriteError::UnsafePath(rel.to_string()))
    }
}

/// Writes one file atomically: a temporary file in the same directory, then a rename, so a
/// reader never sees half a file and a failure leaves the previous file as it was.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io_err(&dir))?;
    io::Write::write_all(&mut tmp, bytes).map_err(io_err(path))?;
    tmp.persist(path).map_err(|e| WriteError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// What [`write_atomic`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
    pub removed: Vec<String>,
}

/// Whether `dir` may be replaced: absent, empty, or written by odata-codegen before.
fn replaceable(dir: &Path) -> Result<bool, WriteError> {
    if !dir.exists() {
        return Ok(true);
    }
    let mut entries = fs::read_dir(dir).map_err(io_err(dir))?;
    if entries.next().is_none() {
        return Ok(true);
    }
    let manifest = dir.join("Cargo.toml");
    Ok(fs::read_to_string(&manifest)
        .map(|s| s.starts_with(crate::render::TOML_HEADER))
        .unwrap_or(false))
}

/// What Cargo itself puts in a crate's directory (`cargo check` where the crate was written):
/// kept across a regeneration, so the lock file stays and nothing is rebuilt from scratch.
const CARGO_OWN: [&str; 2] = ["Cargo.lock", "target"];

/// Files under `dir`, relative to `root`, but Cargo's own ([`CARGO_OWN`]) at the top.
fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    for e in fs::read_dir(dir)? {
        let e = e?;
        let p = e.path();
        if dir == root && CARGO_OWN.iter().any(|own| e.file_name() == *own) {
            continue;
        }
        if e.file_type()?.is_dir() {
            list_files(root, &p, out)?;
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// Replaces `dir` with exactly `files`, atomically as seen by a reader of the directory: a failure
/// at any point leaves the previous contents as they were.
pub fn write_atomic(
    dir: &Path,
    files: &BTreeMap<String, String>,
) -> Result<WriteReport, WriteError> {
    write_atomic_inner(dir, files, None)
}

/// [`write_atomic`], failing on purpose before staging file number `fail_at` (tests use this to
/// show that an interrupted run leaves the previous output as it was).
fn write_atomic_inner(
    dir: &Path,
    files: &BTreeMap<String, String>,
    fail_at: Option<usize>,
) -> Result<WriteReport, WriteError> {
    if !replaceable(dir)? {
        return Err(WriteError::NotGenerated(dir.to_path_buf()));
    }
    let mut rels = Vec::new();
    for rel in files.keys() {
        rels.push(safe_relative(rel)?);
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let stage = tempfile::Builder::new()
        .prefix(&format!(".{name}.staging-"))
        .tempdir_in(&parent)
        .map_err(io_err(&parent))?;

    let mut report = WriteReport::default();
    for (i, ((rel, text), rel_path)) in files.iter().zip(&rels).enumerate() {
        if fail_at == Some(i) {
            return Err(WriteError::Io {
                path: dir.join(rel_path),
                source: io::Error::other("injected failure"),
            });
        }
        let target = stage.path().join(rel_path);
        if let Some(p) = target.parent() {
            fs::create_dir_all(p).map_err(io_err(p))?;
        }
        let old = dir.join(rel_path);
        let same = fs::read(&old)
            .map(|b| b == text.as_bytes())
            .unwrap_or(false);
        if same && fs::hard_link(&old, &target).is_ok() {
            report.unchanged.push(rel.clone());
            continue;
        }
        fs::write(&target, text).map_err(io_err(&target))?;
        if same {
            report.unchanged.push(rel.clone());
        } else {
            report.written.push(rel.clone());
        }
    }
    if dir.exists() {
        let mut old = Vec::new();
        list_files(dir, dir, &mut old).map_err(io_err(dir))?;
        old.sort();
        report.removed = old.into_iter().filter(|f| !files.contains_key(f)).collect();
    }

    if report.written.is_empty() && report.removed.is_empty() && dir.exists() {
        // Nothing changed: leave the directory (and its mtime) alone.
        return Ok(report);
    }
    let staged = stage.keep();
    if dir.exists() {
        // Cargo's lock file and build directory move into the new tree (and back on failure).
        let mut carried: Vec<&str> = Vec::new();
        let carry_back = |carried: &[&str]| {
            for own in carried {
                let _ = fs::rename(staged.join(own), dir.join(own));
            }
        };
        for own in CARGO_OWN {
            if files.contains_key(own) || fs::symlink_metadata(dir.join(own)).is_err() {
                continue;
            }
            if let Err(e) = fs::rename(dir.join(own), staged.join(own)) {
                carry_back(&carried);
                let _ = fs::remove_dir_all(&staged);
                return Err(WriteError::Io {
                    path: dir.join(own),
                    source: e,
                });
            }
            carried.push(own);
        }
        let backup = tempfile::Builder::new()
            .prefix(&format!(".{name}.previous-"))
            .tempdir_in(&parent)
            .map_err(io_err(&parent))?;
        let backup_path = backup.keep();
        // rename() onto an existing directory fails on most platforms: move the old one aside first.
        fs::remove_dir(&backup_path).map_err(io_err(&backup_path))?;
        fs::rename(dir, &backup_path).map_err(|e| {
            carry_back(&carried);
            let _ = fs::remove_dir_all(&staged);
            WriteError::Io {
                path: dir.to_path_buf(),
                source: e,
            }
        })?;
        if let Err(e) = fs::rename(&staged, dir) {
            // Put the previous output back, with what was carried.
            let _ = fs::rename(&backup_path, dir);
            carry_back(&carried);
            let _ = fs::remove_dir_all(&staged);
            return Err(WriteError::Io {
                path: dir.to_path_buf(),
                source: e,
            });
        }
        let _ = fs::remove_dir_all(&backup_path);
    } else {
        fs::rename(&staged, dir).map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            WriteError::Io {
                path: dir.to_path_buf(),
                source: e,
            }
        })?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape() {
        assert!(safe_relative("src/lib.rs").is_ok());
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("src/../../x").is_err());
        assert!(safe_relative("").is_err());
    }

    #[test]
    fn replaces_and_keeps_unchanged_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let mut files = BTreeMap::new();
        files.insert(
            "Cargo.toml".to_string(),
            "# @generated by odata-codegen. Do not edit.\n".to_string(),
        );
        files.insert("src/a.rs".to_string(), "a".to_string());
        files.insert("src/b.rs".to_string(), "b".to_string());
        let r = write_atomic(&dir, &files).unwrap();
        assert_eq!(r.written.len(), 3);
        let mtime = |p: &str| fs::metadata(dir.join(p)).unwrap().modified().unwrap();
        let a_before = mtime("src/a.rs");
        std::thread::sleep(std::time::Duration::from_millis(20));
        files.insert("src/b.rs".to_string(), "b2".to_string());
        files.remove("Cargo.toml");
        files.insert(
            "Cargo.toml".to_string(),
            "# @generated by odata-codegen. Do not edit.\n".to_string(),
        );
        files.insert("src/c.rs".to_string(), "c".to_string());
        let r = write_atomic(&dir, &files).unwrap();
        assert_eq!(
            r.written,
            vec!["src/b.rs".to_string(), "src/c.rs".to_string()]
        );
        assert_eq!(
            r.unchanged,
            vec!["Cargo.toml".to_string(), "src/a.rs".to_string()]
        );
        assert_eq!(mtime("src/a.rs"), a_before);
        assert_eq!(fs::read_to_string(dir.join("src/b.rs")).unwrap(), "b2");
        // No staging or backup directories are left behind.
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("out")]);
    }

    #[test]
    fn cargo_lock_and_target_survive_a_regeneration() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let mut files = BTreeMap::new();
        files.insert(
            "Cargo.toml".to_string(),
            "# @generated by odata-codegen. Do not edit.\n".to_string(),
        );
        files.insert("src/lib.rs".to_string(), "a".to_string());
        write_atomic(&dir, &files).unwrap();
        // What `cargo check` where the crate was written leaves, and a file of the user's.
        fs::write(dir.join("Cargo.lock"), "lock").unwrap();
        fs::create_dir_all(dir.join("target/debug")).unwrap();
        fs::write(dir.join("target/debug/cache"), "built").unwrap();
        fs::write(dir.join("src/mine.rs"), "mine").unwrap();
        files.insert("src/lib.rs".to_string(), "b".to_string());
        let r = write_atomic(&dir, &files).unwrap();
        assert_eq!(r.written, ["src/lib.rs"]);
        assert_eq!(
            r.removed,
            ["src/mine.rs"],
            "Cargo's own files are not reported"
        );
        assert_eq!(fs::read_to_string(dir.join("Cargo.lock")).unwrap(), "lock");
        assert_eq!(
            fs::read_to_string(dir.join("target/debug/cache")).unwrap(),
            "built"
        );
        assert!(!dir.join("src/mine.rs").exists());
        assert_eq!(fs::read_to_string(dir.join("src/lib.rs")).unwrap(), "b");
        // Only they changed: nothing to do.
        fs::write(dir.join("Cargo.lock"), "lock 2").unwrap();
        let r = write_atomic(&dir, &files).unwrap();
        assert!(r.written.is_empty() && r.removed.is_empty(), "{r:?}");
        assert_eq!(
            fs::read_to_string(dir.join("Cargo.lock")).unwrap(),
            "lock 2"
        );
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("out")]);
    }

    #[test]
    fn refuses_a_directory_it_did_not_write() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        let files = BTreeMap::from([("Cargo.toml".to_string(), "x".to_string())]);
        assert!(matches!(
            write_atomic(tmp.path(), &files),
            Err(WriteError::NotGenerated(_))
        ));
        assert_eq!(
            fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_failure_midway_leaves_the_previous_output_byte_for_byte() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let header = "# @generated by odata-codegen. Do not edit.\n".to_string();
        let old = BTreeMap::from([
            ("Cargo.toml".to_string(), header.clone()),
            ("src/a.rs".to_string(), "old a".to_string()),
            ("src/b.rs".to_string(), "old b".to_string()),
        ]);
        write_atomic(&dir, &old).unwrap();
        let new = BTreeMap::from([
            ("Cargo.toml".to_string(), header),
            ("src/a.rs".to_string(), "new a".to_string()),
            ("src/b.rs".to_string(), "new b".to_string()),
            ("src/c.rs".to_string(), "new c".to_string()),
        ]);
        // Fail after two of the four files were staged.
        assert!(write_atomic_inner(&dir, &new, Some(2)).is_err());
        let mut on_disk = Vec::new();
        list_files(&dir, &dir, &mut on_disk).unwrap();
        on_disk.sort();
        assert_eq!(on_disk, ["Cargo.toml", "src/a.rs", "src/b.rs"]);
        for (rel, text) in &old {
            assert_eq!(fs::read_to_string(dir.join(rel)).unwrap(), *text, "{rel}");
        }
        // No staging directory is left behind.
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("out")]);
    }
}
