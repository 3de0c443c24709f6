//! An update feed as the release environment publishes it: a throwaway
//! minisign key made with Tauri's CLI, packages signed and `latest.json`
//! written by scripts/feed.sh, all served from a folder over loopback HTTP
//! (the requests it answered are kept, to show what was fetched).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use crate::web::{Reply, WebServer};

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn tauri() -> PathBuf {
    let cli = root().join("target/tauri-cli/node_modules/.bin/tauri");
    assert!(cli.is_file(), "Tauri's CLI is missing: scripts/setup.sh package installs it (package.sh runs it)");
    cli
}

/// A signing key: the private key's text and the public key, as Tauri takes them.
pub struct Key {
    pub private: String,
    pub password: String,
    pub public: String,
}

impl Key {
    pub fn generate() -> Key {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("updater.key");
        let password = "release-password".to_owned();
        let made = Command::new(tauri())
            .args(["signer", "generate", "--ci", "-p", &password, "-w"])
            .arg(&path)
            .output()
            .expect("tauri signer generate");
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        let read = |p: &Path| std::fs::read_to_string(p).unwrap().trim().to_owned();
        Key { private: read(&path), password, public: read(&path.with_extension("key.pub")) }
    }
}

/// A folder of packages with their feed, served on 127.0.0.1.
pub struct Feed {
    pub dir: tempfile::TempDir,
    server: WebServer,
    requests: Arc<Mutex<Vec<String>>>,
    /// The pause after each 64 KiB of a package (`slow_down`).
    pace: Arc<Mutex<std::time::Duration>>,
}

impl Feed {
    /// Copies `packages` (name, file) into a new folder, signs them and
    /// writes the feed with scripts/feed.sh, and serves the folder.
    pub fn publish(key: &Key, version: &str, notes: &str, packages: &[(&str, &Path)]) -> Feed {
        let dir = tempfile::tempdir().unwrap();
        let notes_file = dir.path().join("notes.md");
        std::fs::write(&notes_file, notes).unwrap();
        let mut feed = Command::new(root().join("scripts/feed.sh"));
        feed.arg(dir.path()).arg(version);
        for (name, file) in packages {
            let copy = dir.path().join(name);
            std::fs::copy(file, &copy).unwrap();
            feed.arg(copy);
        }
        let out = feed
            .env("TAURI_SIGNING_PRIVATE_KEY", &key.private)
            .env("TAURI_SIGNING_PRIVATE_KEY_PASSWORD", &key.password)
            .env("QRJUMP_RELEASE_NOTES", &notes_file)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "scripts/feed.sh: {said}");
        assert!(!said.contains(&key.password) && !said.contains(&key.private), "the key was printed: {said}");
        Feed::serve(dir)
    }

    /// Serves `dir` as it is.
    pub fn serve(dir: tempfile::TempDir) -> Feed {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let pace = Arc::new(Mutex::new(std::time::Duration::ZERO));
        let (root, seen, paced) = (dir.path().to_owned(), requests.clone(), pace.clone());
        let server = WebServer::start(move |_host, path| {
            seen.lock().unwrap().push(path.to_owned());
            let name = path.trim_start_matches('/');
            match std::fs::read(root.join(name)) {
                Ok(bytes) if !name.contains('/') && !name.is_empty() => {
                    let pace = if name.ends_with(".json") { std::time::Duration::ZERO } else { *paced.lock().unwrap() };
                    Reply { pace, ..Reply::new(200, "application/octet-stream", bytes) }
                }
                _ => Reply::new(404, "text/plain", "not found"),
            }
        });
        Feed { dir, server, requests, pace }
    }

    /// Serves the packages slowly from now on: `pause` after each 64 KiB.
    pub fn slow_down(&self, pause: std::time::Duration) {
        *self.pace.lock().unwrap() = pause;
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/latest.json", self.server.port())
    }

    /// The paths asked for so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// The feed's JSON.
    pub fn latest(&self) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(self.dir.path().join("latest.json")).unwrap()).unwrap()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// A file of src-tauri/src/update/testdata: a key pair and a package that
/// Tauri's CLI signed (`tauri signer sign`).
pub fn testdata(name: &str) -> PathBuf {
    root().join("src-tauri/src/update/testdata").join(name)
}

/// A key of testdata (`test.key.pub`, `other.key.pub`), as the app takes it.
pub fn test_key(name: &str) -> String {
    std::fs::read_to_string(testdata(name)).unwrap().trim().to_owned()
}

impl Feed {
    /// A feed offering `version` for `target` (`linux-x86_64-deb`, ...) with
    /// the signed test package, served as `next.deb`, its entry's address `url`.
    pub fn offering(version: &str, notes: &str, target: &str, url: &str) -> Feed {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(testdata("pkg.deb"), dir.path().join("next.deb")).unwrap();
        let latest = serde_json::json!({
            "version": version,
            "notes": notes,
            "pub_date": "2026-12-01T08:00:00Z",
            "platforms": { target: { "url": url, "signature": test_key("pkg.deb.sig") } },
        });
        std::fs::write(dir.path().join("latest.json"), latest.to_string()).unwrap();
        Feed::serve(dir)
    }
}
