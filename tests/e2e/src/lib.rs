//! Harness of the end-to-end tests: a real OData V4 service on 127.0.0.1, one per test.
//!
//! [`Server::start`] runs `tests/e2e/server.py` (odatapy 5.3.0 serving
//! `schemas/graph-directory.xml` from fresh seed data), waits for its `READY <url>` line and
//! hands back a guard; dropping the guard kills and reaps the process, so the server stops
//! even when the test panics. The server also exits by itself when its standard input (a
//! pipe held by the guard) closes, which covers a test process that is killed outright.
//!
//! # Which Python
//!
//! 1. `ODATA_E2E_PYTHON`, when set: an interpreter with `odatapy==5.3.0` installed (`.ci/run`
//!    sets it to the venv it makes). When it does not work, the tests fail.
//! 2. Otherwise the venv `.ci/run` makes, `<repo>/.venv-e2e/bin/python`, when it exists.
//! 3. Otherwise, on CI (`CI` set to anything but `false`/`0`) the tests fail with the
//!    command to run; elsewhere they are skipped with a note on stderr, so a plain
//!    `cargo test --workspace` works on a machine without the venv. Create it with
//!    `bash .ci/run`, or by hand:
//!    `python3 -m venv .venv-e2e && .venv-e2e/bin/python -m pip install odatapy==5.3.0`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, Once};
use std::thread;
use std::time::{Duration, Instant};

/// The environment variable naming the Python interpreter to run the server with.
pub const PYTHON_ENV: &str = "ODATA_E2E_PYTHON";

/// How long the server may take to print its `READY` line.
pub const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// The server-driven page size the tests run with (small, so paging is exercised).
pub const PAGE_SIZE: usize = 2;

const INSTALL_HINT: &str = "run `bash .ci/run`, or `python3 -m venv .venv-e2e && \
     .venv-e2e/bin/python -m pip install odatapy==5.3.0` at the repository root, or set \
     ODATA_E2E_PYTHON to a Python with odatapy 5.3.0";

/// The repository root.
pub fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// The venv `.ci/run` installs odatapy into.
pub fn venv_python() -> PathBuf {
    let venv = repo_root().join(".venv-e2e");
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The interpreter to run the server with, `None` when the tests are to be skipped (see the
/// crate docs). Panics when the tests must not be skipped and there is no interpreter.
pub fn python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(PYTHON_ENV).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        // A bare name (`python3`) is looked up in PATH when the server is spawned.
        let missing = p.components().count() > 1 && !p.exists();
        assert!(
            !missing,
            "{PYTHON_ENV}={} does not exist: {INSTALL_HINT}",
            p.display()
        );
        return Some(p);
    }
    let venv = venv_python();
    if venv.exists() {
        return Some(venv);
    }
    assert!(
        !on_ci(),
        "no Python for the end-to-end tests ({PYTHON_ENV} unset, no {}): {INSTALL_HINT}",
        venv.display()
    );
    None
}

/// A running server; dropping it stops the process.
pub struct Server {
    child: Child,
    base: String,
    stderr: Arc<Mutex<String>>,
    started_in: Duration,
}

impl Server {
    /// Starts a server with fresh seed data, or returns `None` (after printing a note) when
    /// the end-to-end tests are skipped on this machine. Panics when it does not come up.
    pub fn start() -> Option<Server> {
        let Some(python) = python() else {
            // Once per test binary, and past the test harness's output capture.
            static NOTE: Once = Once::new();
            NOTE.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "note: end-to-end tests skipped: no {} and {PYTHON_ENV} unset ({INSTALL_HINT})",
                    venv_python().display()
                );
            });
            return None;
        };
        Some(Server::start_with(&python))
    }

    /// Starts a server with this interpreter; panics when it does not come up.
    pub fn start_with(python: &Path) -> Server {
        let root = repo_root();
        let script = root.join("tests/e2e/server.py");
        let schema = root.join("schemas/graph-directory.xml");
        let started = Instant::now();
        let mut child = Command::new(python)
            .arg(&script)
            .arg(&schema)
            .arg("--page-size")
            .arg(PAGE_SIZE.to_string())
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {} ({e}): {INSTALL_HINT}", python.display()));

        // stderr is drained into a buffer (shown when the server fails to come up), stdout
        // is read for the READY line and then drained so the server never blocks on a pipe.
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().expect("stderr is piped");
        let sink = Arc::clone(&stderr);
        let err_reader = thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = err_pipe.read(&mut buf) {
                let text = String::from_utf8_lossy(&buf[..n]);
                sink.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push_str(&text);
            }
        });
        let out_pipe = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut lines = BufReader::new(out_pipe).lines();
            let _ = tx.send(lines.next());
            for _ in lines {}
        });

        let line = rx.recv_timeout(READY_TIMEOUT);
        let base = match &line {
            Ok(Some(Ok(l))) => l.strip_prefix("READY ").map(|u| u.trim_end_matches('/')),
            _ => None,
        };
        let Some(base) = base.map(str::to_owned) else {
            let _ = child.kill();
            let status = child.wait();
            let _ = err_reader.join();
            let log = stderr.lock().unwrap_or_else(|e| e.into_inner()).clone();
            let hint = if log.contains("No module named 'odatapy'") {
                format!(
                    "\nodatapy is not installed for {}: {INSTALL_HINT}",
                    python.display()
                )
            } else {
                String::new()
            };
            let got = match line {
                Err(_) => format!("no READY line within {READY_TIMEOUT:?}"),
                Ok(l) => format!("first line of stdout: {l:?}"),
            };
            panic!(
                "the e2e server ({} {}) did not start: {got}; exit: {status:?}\n\
                 --- server stderr ---\n{log}{hint}",
                python.display(),
                script.display()
            );
        };
        Server {
            child,
            base,
            stderr,
            started_in: started.elapsed(),
        }
    }

    /// The service root, without a trailing slash: `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// A URL below the service root: `url("users")` is `http://127.0.0.1:PORT/users`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }

    /// The process id of the server.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// How long the server took to print its `READY` line.
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// What the server wrote to stderr so far.
    pub fn log(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpStream;

    fn accepts(base: &str) -> bool {
        let addr = base.trim_start_matches("http://");
        TcpStream::connect_timeout(&addr.parse().unwrap(), Duration::from_secs(1)).is_ok()
    }

    #[test]
    fn starts_and_stops_with_the_guard() {
        let Some(server) = Server::start() else {
            return;
        };
        let base = server.base_url().to_owned();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        assert!(accepts(&base));
        eprintln!("e2e server ready in {:?}", server.started_in());
        drop(server);
        assert!(
            !accepts(&base),
            "the server still accepts connections after the drop"
        );
    }

    #[test]
    fn stops_when_a_test_panics() {
        let Some(python) = python() else { return };
        let (tx, rx) = mpsc::channel();
        let result = std::panic::catch_unwind(move || {
            let server = Server::start_with(&python);
            tx.send(server.base_url().to_owned()).unwrap();
            panic!("a failing test");
        });
        assert!(result.is_err());
        let base = rx.recv().unwrap();
        assert!(!accepts(&base), "the server outlived the panicking test");
    }

    #[test]
    fn a_missing_interpreter_is_a_clear_failure() {
        let result = std::panic::catch_unwind(|| {
            Server::start_with(Path::new("/nonexistent/python3"));
        });
        let message = *result.unwrap_err().downcast::<String>().unwrap();
        assert!(
            message.contains("cannot run /nonexistent/python3"),
            "{message}"
        );
        assert!(message.contains("odatapy==5.3.0"), "{message}");
    }
}
