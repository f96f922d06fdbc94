//! End-to-end tests against SAP CAP: the harness, and the two clients generated from the
//! service's own `$metadata`.
//!
//! `server/` is a CAP project (`@sap/cds` 9 on SQLite in memory, with the OData V2 adapter)
//! serving `NurseryService` at `/odata/v4/nursery/` and, through the adapter, at
//! `/odata/v2/nursery/`. [`v4`] and [`v2`] are generated in `build.rs` from `metadata/v4.xml`
//! and `metadata/v2.xml`, copies of what that server answers for `$metadata`
//! (`tests/metadata.rs` checks that they still are; `cargo run -p odata-cap-tests --example
//! refresh_metadata` rewrites them).
//!
//! [`Server::start`] picks a free port, runs `node -r ./exit-with-stdin.js
//! node_modules/@sap/cds/bin/serve.js --port PORT --in-memory` in `server/`, waits until
//! `GET /odata/v4/nursery/$metadata` answers and hands back a guard; dropping the guard kills
//! and reaps the process, so the server stops even when the test panics. [`shared`] is one
//! server for all tests of a test binary (started on first use; CAP takes about 2 s to start):
//! statics are never dropped, so that server exits when its standard input, a pipe held by the
//! test process, closes at the process's end (`server/exit-with-stdin.js`).
//!
//! # Skipping
//!
//! The npm packages must be installed: `npm ci` in `tests/cap/server` (`.ci/run` does it). When
//! `server/node_modules` is missing, the tests fail on CI (`CI` set to anything but
//! `false`/`0`) or when `ODATA_CAP_NODE` is set (`.ci/run` sets it), with that command, and
//! are skipped elsewhere with a note on stderr. The Node executable is `ODATA_CAP_NODE`, or
//! `node` from `PATH`.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, Once, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

/// The client generated from `metadata/v4.xml` (`/odata/v4/nursery/$metadata`).
pub mod v4 {
    include!(concat!(env!("OUT_DIR"), "/nursery_v4.rs"));
}

/// The client generated from `metadata/v2.xml` (`/odata/v2/nursery/$metadata`, the V2
/// adapter's translation of the same service).
pub mod v2 {
    include!(concat!(env!("OUT_DIR"), "/nursery_v2.rs"));
}

/// The client generated from the S/4HANA Business Partner API's `$metadata`
/// (`../shared/corpus/services/sap_API_BUSINESS_PARTNER_v2.xml`), for [`Server::start_sap_mock`].
#[cfg(sap_bp_corpus)]
pub mod sap_bp {
    include!(concat!(env!("OUT_DIR"), "/sap_business_partner.rs"));
}

/// Where the S/4HANA Business Partner API's `$metadata` is expected (`../shared` beside the
/// repository); the client [`sap_bp`] is generated from it when it is there.
pub fn sap_bp_metadata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/services/sap_API_BUSINESS_PARTNER_v2.xml")
}

/// The Business Partner service's path on the SAP mock server, as on an S/4HANA system.
pub const SAP_BP_PATH: &str = "/sap/opu/odata/sap/API_BUSINESS_PARTNER";

/// The environment variable naming the Node executable (default: `node` from `PATH`).
pub const NODE_ENV: &str = "ODATA_CAP_NODE";

/// How long the server may take until `$metadata` answers.
pub const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// The service's path below the server root, for V4.
pub const V4_PATH: &str = "/odata/v4/nursery";

/// The service's path below the server root, for V2 (the V2 adapter).
pub const V2_PATH: &str = "/odata/v2/nursery";

const INSTALL_HINT: &str = "run `npm ci` in tests/cap/server (or `bash .ci/run`); it needs \
     Node 20 or newer and npm (Debian: `apt-get install nodejs npm`)";

/// The CAP project.
pub fn server_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("server")
}

/// The checked-in `$metadata` copies the clients are generated from.
pub fn metadata_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("metadata")
}

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn node() -> PathBuf {
    std::env::var_os(NODE_ENV)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("node"))
}

/// Whether the npm packages are installed; `false` means the tests are to be skipped (see
/// the crate docs). Panics on CI when they are missing.
pub fn installed() -> bool {
    let serve = server_dir().join("node_modules/@sap/cds/bin/serve.js");
    let mock = server_dir().join("node_modules/@sap-ux/fe-mockserver-core/package.json");
    if serve.exists() && mock.exists() {
        return true;
    }
    let serve = if serve.exists() { mock } else { serve };
    assert!(
        !on_ci() && std::env::var_os(NODE_ENV).is_none(),
        "the CAP end-to-end tests need {}: {INSTALL_HINT}",
        serve.display()
    );
    // Once per test binary, and past the test harness's output capture.
    static NOTE: Once = Once::new();
    NOTE.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "note: CAP end-to-end tests skipped: {} is missing ({INSTALL_HINT})",
            serve.display()
        );
    });
    false
}

/// A running CAP server; dropping it stops the process.
pub struct Server {
    child: Mutex<Child>,
    // Held open for the server's lifetime: the server exits when it closes.
    _stdin: ChildStdin,
    root: String,
    log: Arc<Mutex<String>>,
    started_in: Duration,
}

/// One server for every test of this test binary, started on first use; `None` when the tests
/// are skipped. The tests that use it must not depend on each other's writes (each creates the
/// rows it changes).
pub fn shared() -> Option<&'static Server> {
    static SERVER: OnceLock<Server> = OnceLock::new();
    if !installed() {
        return None;
    }
    Some(SERVER.get_or_init(Server::start_installed))
}

impl Server {
    /// Starts a server of its own with fresh seed data, or returns `None` (after printing a
    /// note) when the tests are skipped on this machine. Panics when it does not come up.
    pub fn start() -> Option<Server> {
        installed().then(Server::start_installed)
    }

    fn start_installed() -> Server {
        // The port is free when chosen but may be taken before the server binds it: retry.
        let mut last = String::new();
        for _ in 0..3 {
            match Server::try_start(&node(), free_port()) {
                Ok(server) => return server,
                Err(e) if e.contains("EADDRINUSE") => last = e,
                Err(e) => panic!("{e}"),
            }
        }
        panic!("{last}")
    }

    /// Starts SAP's Fiori mock server (`server/sap-mock.js`, `@sap-ux/fe-mockserver-core`)
    /// serving the S/4HANA Business Partner API from its `$metadata` ([`sap_bp_metadata`]) at
    /// [`SAP_BP_PATH`], or returns `None` when the tests are skipped on this machine. Panics when
    /// it does not come up.
    pub fn start_sap_mock() -> Option<Server> {
        if !installed() {
            return None;
        }
        let metadata = sap_bp_metadata();
        let launch = Launch {
            what: "the SAP mock server",
            script: "sap-mock.js",
            args: vec!["--metadata".into(), metadata.display().to_string()],
            probe: format!("{SAP_BP_PATH}/$metadata"),
        };
        let mut last = String::new();
        for _ in 0..3 {
            match Server::launch(&launch, &node(), free_port()) {
                Ok(server) => return Some(server),
                Err(e) if e.contains("EADDRINUSE") => last = e,
                Err(e) => panic!("{e}"),
            }
        }
        panic!("{last}")
    }

    /// Starts a server with this Node executable on this port; the error is a complete message
    /// (with the server's output) when it does not come up.
    pub fn try_start(node: &Path, port: u16) -> Result<Server, String> {
        let launch = Launch {
            what: "the CAP server",
            script: "node_modules/@sap/cds/bin/serve.js",
            args: vec!["--in-memory".into()],
            probe: format!("{V4_PATH}/$metadata"),
        };
        Server::launch(&launch, node, port)
    }

    fn launch(launch: &Launch, node: &Path, port: u16) -> Result<Server, String> {
        let dir = server_dir();
        let started = Instant::now();
        let mut child = Command::new(node)
            .current_dir(&dir)
            .args(["-r", "./exit-with-stdin.js", launch.script])
            .args(["--port", &port.to_string()])
            .args(&launch.args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {} ({e}): {INSTALL_HINT}", node.display()))?;

        // Both outputs are drained into one log (CAP logs each request on stdout), so the server
        // never blocks on a full pipe; the log is shown when something fails.
        let log = Arc::new(Mutex::new(String::new()));
        let stdin = child.stdin.take().expect("stdin is piped");
        let readers = [
            drain(child.stdout.take().expect("stdout is piped"), &log),
            drain(child.stderr.take().expect("stderr is piped"), &log),
        ];
        let root = format!("http://127.0.0.1:{port}");
        let probe = format!("{root}{}", launch.probe);
        let http = http_client();
        let failure = loop {
            if let Ok(Some(status)) = child.try_wait() {
                break format!("the server exited ({status})");
            }
            if let Ok(r) = http.get(&probe).send()
                && r.status().is_success()
            {
                break String::new();
            }
            if started.elapsed() > READY_TIMEOUT {
                break format!("GET {probe} did not answer 200 within {READY_TIMEOUT:?}");
            }
            thread::sleep(Duration::from_millis(100));
        };
        if !failure.is_empty() {
            let _ = child.kill();
            let _ = child.wait();
            drop(stdin);
            for r in readers {
                let _ = r.join();
            }
            let log = lock(&log).clone();
            let hint = if log.contains("Cannot find module") {
                format!("\n{INSTALL_HINT}")
            } else {
                String::new()
            };
            return Err(format!(
                "{} ({} {} --port {port} {} in {}) did not start: {failure}\n\
                 --- server output ---\n{log}{hint}",
                launch.what,
                node.display(),
                launch.script,
                launch.args.join(" "),
                dir.display()
            ));
        }
        Ok(Server {
            child: Mutex::new(child),
            _stdin: stdin,
            root,
            log,
            started_in: started.elapsed(),
        })
    }

    /// The server root, without a trailing slash: `http://127.0.0.1:PORT`.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The V4 service root: `http://127.0.0.1:PORT/odata/v4/nursery`.
    pub fn v4_url(&self) -> String {
        format!("{}{V4_PATH}", self.root)
    }

    /// The V2 service root: `http://127.0.0.1:PORT/odata/v2/nursery`.
    pub fn v2_url(&self) -> String {
        format!("{}{V2_PATH}", self.root)
    }

    /// The Business Partner service root of the SAP mock server:
    /// `http://127.0.0.1:PORT/sap/opu/odata/sap/API_BUSINESS_PARTNER`.
    pub fn sap_bp_url(&self) -> String {
        format!("{}{SAP_BP_PATH}", self.root)
    }

    /// The process id of the server.
    pub fn pid(&self) -> u32 {
        lock(&self.child).id()
    }

    /// How long the server took until `$metadata` answered.
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// `None` while the server runs, otherwise how it ended.
    pub fn exited(&self) -> Option<String> {
        match lock(&self.child).try_wait() {
            Ok(None) => None,
            Ok(Some(status)) => Some(status.to_string()),
            Err(e) => Some(e.to_string()),
        }
    }

    /// What the server wrote so far (stdout and stderr), with a first line saying whether it
    /// still runs: for failure messages.
    pub fn log(&self) -> String {
        let state = match self.exited() {
            None => "the server is running".to_owned(),
            Some(how) => format!("THE SERVER HAS EXITED ({how})"),
        };
        format!("{state}\n{}", lock(&self.log))
    }

    /// `GET` of a URL below the server root (`/odata/v4/nursery/$metadata`): the status and
    /// the body as text.
    pub fn get_text(&self, path: &str) -> Result<(u16, String), String> {
        let url = format!("{}{path}", self.root);
        let r = http_client()
            .get(&url)
            .send()
            .map_err(|e| format!("GET {url}: {e}"))?;
        let status = r.status().as_u16();
        let text = r.text().map_err(|e| format!("GET {url}: {e}"))?;
        Ok((status, text))
    }
}

/// How to start one of the servers of `server/`.
struct Launch {
    /// For messages: "the CAP server".
    what: &'static str,
    /// The script Node runs, relative to `server/`.
    script: &'static str,
    /// Arguments after `--port PORT`.
    args: Vec<String>,
    /// The path below the root that answers 200 once the server is ready.
    probe: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let child = self.child.get_mut().unwrap_or_else(|e| e.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn drain(mut pipe: impl Read + Send + 'static, log: &Arc<Mutex<String>>) -> thread::JoinHandle<()> {
    let sink = Arc::clone(log);
    thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = pipe.read(&mut buf) {
            lock(&sink).push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// The HTTP client the tests send the generated requests with (no proxy, a timeout).
pub fn http_client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a reqwest client")
}

/// Collapses runs of whitespace between XML tags, for comparing `$metadata` documents that
/// differ only in layout.
pub fn normalize_xml(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    for line in xml.lines() {
        let line = line.trim();
        if !line.is_empty() {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpStream;

    fn accepts(root: &str) -> bool {
        let addr = root.trim_start_matches("http://");
        TcpStream::connect_timeout(&addr.parse().unwrap(), Duration::from_secs(1)).is_ok()
    }

    #[test]
    fn starts_and_stops_with_the_guard() {
        let Some(server) = Server::start() else {
            return;
        };
        let root = server.root().to_owned();
        assert!(accepts(&root));
        assert_eq!(server.exited(), None);
        eprintln!("CAP server ready in {:?}", server.started_in());
        drop(server);
        assert!(
            !accepts(&root),
            "the server still accepts connections after the drop"
        );
    }

    #[test]
    fn stops_when_a_test_panics() {
        if !installed() {
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let result = std::panic::catch_unwind(move || {
            let server = Server::start_installed();
            tx.send(server.root().to_owned()).unwrap();
            panic!("a failing test");
        });
        assert!(result.is_err());
        let root = rx.recv().unwrap();
        assert!(!accepts(&root), "the server outlived the panicking test");
    }

    #[test]
    fn a_missing_node_is_a_clear_failure() {
        let Err(message) = Server::try_start(Path::new("/nonexistent/node"), free_port()) else {
            panic!("started without node");
        };
        assert!(
            message.contains("cannot run /nonexistent/node"),
            "{message}"
        );
        assert!(message.contains("npm ci"), "{message}");
    }

    #[test]
    fn whitespace_between_tags_does_not_count() {
        assert_eq!(
            normalize_xml("<a>\n  <b x=\"1\"/>\r\n</a>\n"),
            normalize_xml("<a><b x=\"1\"/></a>")
        );
    }
}
