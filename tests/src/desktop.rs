//! Drives the real desktop binary: Xvfb + tauri-driver + WebKitWebDriver +
//! `qrjump-admin`, through the WebDriver protocol.
//!
//! Nothing is fixed: Xvfb picks a free display itself (`-displayfd`), the
//! driver ports are free ephemeral ports, and each session has its own data
//! folder. Every process is killed when the `Desktop` is dropped.

use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::process::{GroupChild, free_port, wait_until};

/// How long any single wait for the UI may take before the test fails with a
/// message instead of hanging.
pub const UI_WAIT: Duration = Duration::from_secs(20);

#[derive(Default)]
pub struct Options {
    /// `QRJUMP_API_BASE` for the app (the simulator's address in tests).
    pub api_base: Option<String>,
    /// Extra environment for the app.
    pub env: Vec<(String, String)>,
    /// The app binary (default: QRJUMP_APP_BINARY, else this workspace's debug build).
    pub binary: Option<PathBuf>,
    /// The data folder (default: a new temporary one), to start again on one.
    pub data_dir: Option<PathBuf>,
    /// The folder the app starts in (where a save dialog first looks).
    pub cwd: Option<PathBuf>,
}

pub struct Desktop {
    pub client: Client,
    pub data_dir: tempfile::TempDir,
    /// The data folder given in the options, used instead of `data_dir`.
    given_dir: Option<PathBuf>,
    pub display: String,
    // Dropped in reverse order of start: the driver (and the app) before X.
    driver: GroupChild,
    xvfb: GroupChild,
}

impl Desktop {
    /// Starts everything and opens a WebDriver session on the app's window.
    pub async fn launch(options: Options) -> Desktop {
        let data_dir = tempfile::tempdir().expect("temporary data folder");
        let (xvfb, display) = start_xvfb();
        let port = free_port();
        let native_port = free_port();
        let mut command = Command::new(tauri_driver());
        command
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            // Without an accessibility bus GTK waits for one; don't.
            .env("NO_AT_BRIDGE", "1")
            .env("QRJUMP_DATA_DIR", options.data_dir.as_deref().unwrap_or(data_dir.path()))
            .stdin(Stdio::null());
        if let Some(base) = &options.api_base {
            command.env("QRJUMP_API_BASE", base);
        }
        for (key, value) in &options.env {
            command.env(key, value);
        }
        if let Some(dir) = &options.cwd {
            command.current_dir(dir);
        }
        let mut driver = GroupChild::spawn("tauri-driver", &mut command).expect("start tauri-driver");
        // tauri-driver listens at once but forwards to WebKitWebDriver, which
        // takes a moment longer; a session request sent before both are up fails.
        let up = |p: u16| std::net::TcpStream::connect(("127.0.0.1", p)).is_ok();
        let listening =
            wait_until(UI_WAIT, || (up(port) && up(native_port)) || matches!(driver.try_wait(), Ok(Some(_))));
        assert!(listening && driver.try_wait().ok().flatten().is_none(), "tauri-driver did not start on port {port}");

        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".into(),
            // QRJUMP_APP_BINARY lets the screenshot script drive the release build.
            serde_json::json!({ "application": options.binary.clone().or_else(|| std::env::var_os("QRJUMP_APP_BINARY").map(PathBuf::from)).unwrap_or_else(|| crate::workspace_bin("qrjump-admin")) }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("open a WebDriver session on qrjump-admin");
        let desktop = Desktop { client, data_dir, given_dir: options.data_dir.clone(), display, driver, xvfb };
        // The window is shown once the page has painted and called ui_ready.
        desktop.wait_visible("body").await;
        desktop
    }

    pub fn data_path(&self) -> &Path {
        self.given_dir.as_deref().unwrap_or(self.data_dir.path())
    }

    /// Finds one element by CSS selector, waiting for it to exist.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(UI_WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css:?} within {UI_WAIT:?}: {e}"))
    }

    /// Waits for an element that exists and is displayed. The element is
    /// found again on each try: a list the page re-renders replaces its rows.
    pub async fn wait_visible(&self, css: &str) -> Element {
        let mut element = self.find(css).await;
        let mut last = false;
        for _ in 0..(UI_WAIT.as_millis() / 50) {
            last = element.is_displayed().await.unwrap_or(false);
            if last {
                return element;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            if let Ok(again) = self.client.find(Locator::Css(css)).await {
                element = again;
            }
        }
        panic!("element {css:?} did not become visible within {UI_WAIT:?} (displayed: {last})");
    }

    pub async fn click(&self, css: &str) {
        let mut element = self.wait_visible(css).await;
        if element.click().await.is_ok() {
            return;
        }
        // WebDriver scrolls an element to the top edge, where the sticky
        // header may cover it: centre it, as an admin would scroll, and
        // retry. On a loaded machine a page just shown may still be laying
        // out, and a list read again replaces its rows: retry (finding the
        // element again when it was replaced) until it takes the click.
        let centre = "arguments[0].scrollIntoView({block: 'center'});";
        let mut last = None;
        for _ in 0..(UI_WAIT.as_millis() / 100) {
            let argument = serde_json::to_value(&element).expect("an element serializes");
            let scrolled = self.client.execute(centre, vec![argument]).await;
            match scrolled {
                Ok(_) => match element.click().await {
                    Ok(_) => return,
                    Err(error) => last = Some(error),
                },
                Err(error) => last = Some(error),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            if let Ok(again) = self.client.find(Locator::Css(css)).await {
                element = again;
            }
        }
        panic!("click {css:?} within {UI_WAIT:?}: {last:?}");
    }

    /// Waits until the text of `css` satisfies `check`; returns that text.
    pub async fn wait_text(&self, css: &str, what: &str, check: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        for _ in 0..(UI_WAIT.as_millis() / 50) {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = element.text().await
            {
                if check(&text) {
                    return text;
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("text of {css:?} never became {what} within {UI_WAIT:?}; last seen: {last:?}");
    }

    /// Replaces the text of an input with `text`, as typing would.
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.wait_visible(css).await;
        element.clear().await.unwrap_or_else(|e| panic!("clear {css:?}: {e:?}"));
        if !text.is_empty() {
            element.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css:?}: {e:?}"));
        }
    }

    /// Chooses the option with `value` in a `<select>`.
    pub async fn select(&self, css: &str, value: &str) {
        // The account picker is a new element each time the accounts are
        // listed (main.js says why): one found just before it was replaced
        // is stale, and the new one is looked up again.
        for _ in 0..50 {
            let element = self.wait_visible(css).await;
            match element.select_by_value(value).await {
                Ok(()) => return,
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::StaleElementReference =>
                {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(e) => panic!("select {value:?} in {css:?}: {e:?}"),
            }
        }
        panic!("select {value:?} in {css:?}: the element was replaced again and again");
    }

    /// Whether `css` exists and is displayed right now.
    pub async fn is_visible(&self, css: &str) -> bool {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element.is_displayed().await.unwrap_or(false),
            Err(_) => false,
        }
    }

    /// Waits until `css` is gone or hidden.
    pub async fn wait_hidden(&self, css: &str) {
        for _ in 0..(UI_WAIT.as_millis() / 50) {
            if !self.is_visible(css).await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("element {css:?} stayed visible for {UI_WAIT:?}");
    }

    /// How many elements match `css` now.
    pub async fn count(&self, css: &str) -> usize {
        self.client.find_all(Locator::Css(css)).await.map(|all| all.len()).unwrap_or(0)
    }

    /// Saves a PNG of the app's window, as X draws it.
    ///
    /// Taken with ImageMagick's `import` on the Xvfb display rather than
    /// WebDriver's screenshot command, which WebKitWebDriver never answers
    /// under Xvfb.
    pub async fn screenshot(&self, path: &Path) {
        let tree = window_tree(&self.display);
        let window = tree
            .lines()
            .find(|line| line.contains("\"QR Jump Admin"))
            .and_then(|line| line.split_whitespace().next())
            .unwrap_or_else(|| panic!("no QR Jump Admin window on {}:\n{tree}", self.display))
            .to_string();
        let status = Command::new("import")
            .args(["-display", &self.display, "-window", &window])
            .arg(path)
            .status()
            .expect("run import (package imagemagick)");
        assert!(status.success(), "import of window {window} failed: {status}");
    }

    /// Ends the session and every process; returns whether none survived.
    pub async fn close(mut self) -> bool {
        let client = self.client.clone();
        let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        let driver_gone = self.driver.terminate();
        let x_gone = self.xvfb.terminate();
        driver_gone && x_gone
    }
}

fn tauri_driver() -> PathBuf {
    if let Some(found) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(found);
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    match cargo_home.map(|home| home.join("bin/tauri-driver")) {
        Some(path) if path.is_file() => path,
        _ => PathBuf::from("tauri-driver"),
    }
}

/// The windows on `display` as `xwininfo -root -tree` lists them: a line
/// each, its name in quotes, its geometry at the end.
pub fn window_tree(display: &str) -> String {
    let tree = Command::new("xwininfo")
        .args(["-root", "-tree", "-display", display])
        .output()
        .expect("run xwininfo (package x11-utils)");
    String::from_utf8_lossy(&tree.stdout).into_owned()
}

/// Where the top-level window named exactly `name` is: x, y, width,
/// height (`None`: there is none).
pub fn window_geometry(display: &str, name: &str) -> Option<(i64, i64, i64, i64)> {
    let tree = window_tree(display);
    let line = tree.lines().find(|line| line.contains(&format!("\"{name}\"")))?;
    // `  0x2001f6 "title": ("class" "Class")  1096x822+92+19  +92+19`
    let geometry = line.split_whitespace().rev().nth(1)?;
    let numbers: Vec<i64> =
        geometry.split(['x', '+']).map(|n| n.parse().unwrap_or_else(|_| panic!("{line}"))).collect();
    Some((numbers[2], numbers[3], numbers[0], numbers[1]))
}

/// Moves the pointer to `(x, y)` on `display`, then does `then` there
/// (xdotool's words: `["click", "1"]`, `["key", "Return"]`). With no
/// window manager the keyboard follows the pointer.
pub fn pointer_at(display: &str, (x, y): (i64, i64), then: &[&str]) {
    let status = Command::new("xdotool")
        .env("DISPLAY", display)
        .args(["mousemove", &x.to_string(), &y.to_string()])
        .args(then)
        .status()
        .expect("run xdotool (package xdotool)");
    assert!(status.success(), "xdotool {then:?}: {status}");
}

/// Starts Xvfb on a display it chooses itself and returns `":N"`.
pub fn start_xvfb() -> (GroupChild, String) {
    let mut fds = [0; 2];
    // SAFETY: a fresh pipe; both ends close on exec unless cleared below.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0, "pipe for Xvfb -displayfd");
    let (read_end, write_end) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let write_fd = write_end.as_raw_fd();
    let mut command = Command::new("Xvfb");
    command
        .args(["-displayfd", &write_fd.to_string(), "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: fcntl is async-signal-safe; only the Xvfb child inherits the end.
    unsafe {
        command.pre_exec(move || {
            if libc::fcntl(write_fd, libc::F_SETFD, 0) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let xvfb = GroupChild::spawn("Xvfb", &mut command).expect("start Xvfb (apt-get install xvfb)");
    drop(write_end);
    let mut number = String::new();
    let mut reader = std::fs::File::from(read_end);
    // Xvfb writes the number and a newline once it accepts clients; EOF means it died.
    reader.read_to_string(&mut number).expect("read the display number from Xvfb");
    let number = number.trim();
    assert!(!number.is_empty(), "Xvfb exited before choosing a display");
    (xvfb, format!(":{number}"))
}
