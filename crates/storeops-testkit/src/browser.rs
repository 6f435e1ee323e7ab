//! Headless Chromium over WebDriver for the browser tests: starts
//! `chromedriver` on a free loopback port with a fresh profile directory and
//! connects a `fantoccini` client to it (plain HTTP, no TLS backend).
//!
//! Chromium is kept off the network: every host name but the loopback ones
//! resolves to nothing and every non-loopback request goes to a dead local
//! proxy, so the only server it can reach is the test server.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// Chromium binary (override: `STOREOPS_CHROMIUM`).
const CHROMIUM: &str = "/usr/bin/chromium";
/// Driver binary (override: `STOREOPS_CHROMEDRIVER`).
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long chromedriver may take to answer `/status`.
const DRIVER_START: Duration = Duration::from_secs(30);

/// A running chromedriver with one browser session.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    driver: Driver,
    _profile: tempfile::TempDir,
}

/// The chromedriver process, in its own process group so that the group
/// (driver and browser) can be ended if a session is never closed.
struct Driver {
    child: Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn path_of(var: &str, default: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| default.to_string())
}

/// A free loopback port (bound and released; the driver binds it next).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

impl Browser {
    /// A new browser, or `None` (after printing why) when Chromium or its
    /// driver is not installed and `STOREOPS_REQUIRE_BROWSER` is not `1`.
    pub async fn start() -> Option<Browser> {
        let chromium = path_of("STOREOPS_CHROMIUM", CHROMIUM);
        let chromedriver = path_of("STOREOPS_CHROMEDRIVER", CHROMEDRIVER);
        let missing: Vec<&str> = [chromium.as_str(), chromedriver.as_str()]
            .into_iter()
            .filter(|p| !Path::new(p).exists())
            .collect();
        if !missing.is_empty() {
            let why = format!(
                "{} not installed (apt-get install chromium chromium-driver)",
                missing.join(" and ")
            );
            if std::env::var("STOREOPS_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("STOREOPS_REQUIRE_BROWSER=1 but {why}");
            }
            println!("skipping: {why}");
            return None;
        }
        Some(Browser::launch(&chromium, &chromedriver).await)
    }

    async fn launch(chromium: &str, chromedriver: &str) -> Browser {
        let port = free_port();
        let mut command = Command::new(chromedriver);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let driver = Driver {
            child: command.spawn().expect("chromedriver starts"),
        };
        let url = format!("http://127.0.0.1:{port}");
        wait_until_ready(&url).await;
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-default-apps".into(),
            "--disable-domain-reliability".into(),
            "--no-pings".into(),
            "--window-size=1280,900".into(),
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1".into(),
            "--proxy-server=http://127.0.0.1:9".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".to_string(),
            json!({ "binary": chromium, "args": args }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .expect("a WebDriver session with headless Chromium");
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    /// Ends the session (the driver closes Chromium), then the driver.
    pub async fn close(self) {
        let Browser {
            client,
            driver,
            _profile,
        } = self;
        let _ = tokio::time::timeout(Duration::from_secs(20), client.close()).await;
        drop(driver);
    }
}

/// Polls the driver's `/status` until it is ready.
async fn wait_until_ready(url: &str) {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + DRIVER_START;
    loop {
        let ready = http
            .get(format!("{url}/status"))
            .send()
            .await
            .ok()
            .filter(|r| r.status().is_success());
        if let Some(response) = ready {
            let body: serde_json::Value = response.json().await.unwrap_or_default();
            if body["value"]["ready"].as_bool() == Some(true) {
                return;
            }
        }
        assert!(
            Instant::now() < deadline,
            "chromedriver did not start within {DRIVER_START:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
