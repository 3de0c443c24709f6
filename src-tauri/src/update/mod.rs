//! Newer versions of the app, the way Tauri's updater does it: a feed
//! (`latest.json`) over HTTPS names the version, what is new, and a package
//! for each kind of install with its minisign signature; the package is
//! installed only if the key built into this program signed it.
//!
//! The checks live here, not in the window: the CLI (`qrjump update`) and
//! the window share them, and a Windows install can be updated (and
//! tested) without a window.

mod feed;
mod install;
mod signature;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use feed::{Offer, Release, targets};
pub use install::{Install, Installed, MARKER, Ui, install};
pub use signature::TrustedKey;

use crate::policy::Policy;

/// The largest feed read: a version, its notes and a few entries.
pub const MAX_FEED: usize = 256 << 10;
/// The largest package downloaded (today's are about 10 MB).
pub const MAX_PACKAGE: usize = 400 << 20;
/// How often the window looks again while it stays open.
pub const CHECK_EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// How much of a package has come, for a progress bar: told as it arrives,
/// at most once per percent (per MiB when the size is not known), and at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    pub received: u64,
    /// The package's size, when the server said it.
    pub total: Option<u64>,
}

/// Why an update was not found or not installed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("IT policy turns updates off on this PC (UPDATES=0)")]
    Off,
    #[error("no update feed is set (IT sets one with UPDATEURL)")]
    NoFeed,
    #[error("the update feed's address must be https:// ({0})")]
    InsecureFeed(String),
    #[error("the package's address in the feed must be https:// ({0})")]
    InsecurePackage(String),
    #[error("no key to check updates with is built into this program")]
    NoTrustedKey,
    #[error("{place} could not be reached: {reason}")]
    Network { place: String, reason: String },
    #[error("{place} answered HTTP {status}")]
    Status { place: String, status: u16 },
    #[error("{place} is larger than {limit} bytes")]
    TooLarge { place: String, limit: usize },
    #[error("the update feed is not Tauri's latest.json: {0}")]
    NotAFeed(String),
    #[error("the feed offers {version} but no package for this install ({})", targets.join(", "))]
    NoPackage { version: String, targets: Vec<String> },
    #[error("the update's signature cannot be read")]
    SignatureUnreadable,
    #[error("the update is signed with another key ({signed_by}) than the one this program trusts ({trusted})")]
    OtherKey { signed_by: String, trusted: String },
    #[error("the downloaded package does not match its signature")]
    Tampered,
    #[error("the downloaded package is not a {0}")]
    WrongKind(String),
    #[error("the package could not be saved: {0}")]
    Save(String),
    #[error("the installer failed: {0}")]
    Installer(String),
    #[error("the download was cancelled")]
    Cancelled,
}

/// Where updates come from on this PC, and whether the app looks on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The feed's address; `None` when none is set.
    pub feed: Option<String>,
    /// IT policy turned updates off (`UPDATES=0`).
    pub off_by_policy: bool,
    /// Policy set the feed and locked it.
    pub feed_locked: bool,
}

impl Settings {
    /// The feed: policy's when locked, else `chosen` (the CLI's `--feed`),
    /// else policy's, else the one built in (`QRJUMP_UPDATE_URL` at build time).
    pub fn resolve(policy: &Policy, chosen: Option<&str>) -> Settings {
        let built_in = option_env!("QRJUMP_UPDATE_URL").filter(|url| !url.is_empty());
        let feed = policy.choose(policy.update_url.as_deref(), chosen).or(built_in).map(str::to_owned);
        Settings {
            feed,
            off_by_policy: policy.updates == Some(false),
            feed_locked: policy.locked && policy.update_url.is_some(),
        }
    }

    /// Whether the window looks for updates at start and daily.
    pub fn automatic(&self) -> bool {
        !self.off_by_policy && self.feed.is_some()
    }
}

/// This program's version.
pub fn current_version() -> semver::Version {
    semver::Version::parse(env!("CARGO_PKG_VERSION")).unwrap_or_else(|_| semver::Version::new(0, 0, 0))
}

/// The client of the feed and the download: no secret travels, but a
/// redirect is still followed only to HTTPS, five at most (release hosts
/// redirect to their storage).
fn client(total: Duration, policy: &Policy) -> Result<reqwest::Client, Error> {
    let redirects = reqwest::redirect::Policy::custom(|attempt| {
        let safe = crate::net::require_tls(attempt.url().as_str()).is_ok();
        if attempt.previous().len() >= 5 || !safe { attempt.stop() } else { attempt.follow() }
    });
    let mut builder = crate::net::client_builder(Duration::from_secs(10), total)
        .redirect(redirects)
        .read_timeout(Duration::from_secs(30));
    if let Some(proxy) = policy.proxy_url.as_deref() {
        let proxy =
            reqwest::Proxy::all(proxy).map_err(|e| Error::Network { place: proxy.into(), reason: e.to_string() })?;
        builder = builder.proxy(proxy);
    }
    builder.build().map_err(|e| Error::Network { place: "the update client".into(), reason: e.to_string() })
}

async fn fetch(
    client: &reqwest::Client,
    url: &reqwest::Url,
    limit: usize,
    progress: &mut (dyn FnMut(u64, Option<u64>) + Send),
) -> Result<Option<Vec<u8>>, Error> {
    let place = crate::net::without_query(url.as_str());
    let network = |e: reqwest::Error| Error::Network { place: place.clone(), reason: reason(&e) };
    let response = client.get(url.clone()).send().await.map_err(network)?;
    // A dynamic feed says "nothing for you" with 204, as Tauri's servers do.
    if response.status() == reqwest::StatusCode::NO_CONTENT {
        return Ok(None);
    }
    if !response.status().is_success() {
        return Err(Error::Status { place, status: response.status().as_u16() });
    }
    match crate::net::read_body_reporting(response, limit, progress).await {
        Ok(body) => Ok(Some(body)),
        Err(crate::net::BodyError::Transport(e)) => Err(network(e)),
        Err(crate::net::BodyError::TooLarge { limit }) => Err(Error::TooLarge { place, limit }),
    }
}

/// The cause of a transport error in a few words (reqwest's top line says
/// only "error sending request").
fn reason(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "no answer in time".into();
    }
    let mut source: Option<&dyn std::error::Error> = Some(error);
    let mut last = error.to_string();
    while let Some(inner) = source {
        last = inner.to_string();
        source = inner.source();
    }
    last
}

/// Asks the feed what it offers this install.
pub async fn check(settings: &Settings, policy: &Policy, install: &Install) -> Result<Offer, Error> {
    if settings.off_by_policy {
        return Err(Error::Off);
    }
    let feed = settings.feed.as_deref().ok_or(Error::NoFeed)?;
    let url = crate::net::require_tls(feed).map_err(|_| Error::InsecureFeed(crate::net::without_query(feed)))?;
    let key = TrustedKey::built_in()?;
    let client = client(Duration::from_secs(20), policy)?;
    match fetch(&client, &url, MAX_FEED, &mut |_, _| {}).await? {
        None => Ok(Offer::UpToDate),
        Some(body) => feed::read(&body, &url, &current_version(), install, &key),
    }
}

/// Downloads `release`, checks its signature and kind, and saves it in
/// `dir` under the name this install's packages have; `progress` hears how
/// the download goes.
pub async fn download(
    release: &Release,
    policy: &Policy,
    install: &Install,
    dir: &Path,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<PathBuf, Error> {
    let key = TrustedKey::built_in()?;
    let client = client(Duration::from_secs(15 * 60), policy)?;
    let bytes = fetch(&client, &release.url, MAX_PACKAGE, &mut throttled(progress))
        .await?
        .ok_or_else(|| Error::Status { place: crate::net::without_query(release.url.as_str()), status: 204 })?;
    key.verify(&bytes, &release.signed)?;
    if !install.takes(&bytes) {
        return Err(Error::WrongKind(install.file_name(&release.version)));
    }
    let save = |e: std::io::Error| Error::Save(e.to_string());
    crate::files::create_private_dir(dir).map_err(save)?;
    let path = dir.join(install.file_name(&release.version));
    crate::files::write_replacing(&path, &bytes).map_err(save)?;
    Ok(path)
}

/// `progress` told at most once a percent (a MiB when the size is not
/// known) and at the end: a download comes in thousands of pieces.
fn throttled(progress: &mut (dyn FnMut(Progress) + Send)) -> impl FnMut(u64, Option<u64>) + Send + '_ {
    let mut told = 0;
    move |received, total| {
        let step = total.map_or(1 << 20, |total| (total / 100).max(1));
        if received / step > told / step || total == Some(received) {
            told = received;
            progress(Progress { received, total });
        }
    }
}

// The feed and the signature checks, with a key pair and a package signed
// by Tauri's CLI (`tauri signer sign`, testdata/). The HTTP side and the
// installers are tested end to end in tests/ (cli/update.rs, platform/).
#[cfg(test)]
mod tests {
    use super::feed::read;
    use super::*;

    const TEST_KEY: &str = include_str!("testdata/test.key.pub");
    const OTHER_KEY: &str = include_str!("testdata/other.key.pub");
    const PACKAGE: &[u8] = include_bytes!("testdata/pkg.deb");
    const SIGNATURE: &str = include_str!("testdata/pkg.deb.sig");

    fn feed_url() -> reqwest::Url {
        reqwest::Url::parse("https://updates.corp.example/qrjump/latest.json").unwrap()
    }

    fn deb() -> Install {
        Install::Deb { root: "/".into() }
    }

    fn feed(version: &str, platforms: serde_json::Value) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "version": version,
            "notes": "Publishes rules from a file.",
            "pub_date": "2026-12-01T08:00:00Z",
            "platforms": platforms,
        }))
        .unwrap()
    }

    fn entry(url: &str) -> serde_json::Value {
        serde_json::json!({ "url": url, "signature": SIGNATURE })
    }

    fn offer(body: &[u8], key: &str) -> Result<Offer, Error> {
        read(body, &feed_url(), &semver::Version::new(0, 1, 0), &deb(), &TrustedKey::parse(key).unwrap())
    }

    /// What `throttled` tells of a download arriving as `pieces` (bytes so far, size).
    fn told(pieces: impl Iterator<Item = (u64, Option<u64>)>) -> Vec<u64> {
        let mut told = Vec::new();
        let mut tell = |step: Progress| told.push(step.received);
        let mut piece = throttled(&mut tell);
        pieces.for_each(|(received, total)| piece(received, total));
        drop(piece);
        told
    }

    #[test]
    fn progress_is_told_once_a_percent_and_at_the_end() {
        // 1,000 bytes in pieces of 3: 334 pieces, a percent is 10 bytes.
        let said = told((3..=999).step_by(3).chain([1000]).map(|received| (received, Some(1000))));
        assert_eq!(said.len(), 100, "{said:?}");
        assert_eq!(said.last(), Some(&1000));
        assert!(said.windows(2).all(|pair| pair[1] - pair[0] >= 9), "{said:?}");
        // No size: once a MiB.
        let said = told((1..=40).map(|n| (n * (256 << 10), None)));
        assert_eq!(said, (1..=10).map(|mib| mib << 20).collect::<Vec<u64>>());
    }

    #[test]
    fn a_newer_version_is_offered_with_its_package_beside_the_feed() {
        let body = feed("0.2.0", serde_json::json!({ "linux-x86_64-deb": entry("qr-jump-admin_0.2.0_amd64.deb") }));
        let Offer::Newer(release) = offer(&body, TEST_KEY).unwrap() else { panic!("no offer") };
        assert_eq!(release.version, semver::Version::new(0, 2, 0));
        assert_eq!(release.url.as_str(), "https://updates.corp.example/qrjump/qr-jump-admin_0.2.0_amd64.deb");
        assert_eq!(
            (release.target.as_str(), release.notes.as_str()),
            ("linux-x86_64-deb", "Publishes rules from a file.")
        );
        let key = TrustedKey::parse(TEST_KEY).unwrap();
        key.verify(PACKAGE, &release.signed).expect("the package Tauri's CLI signed");
    }

    #[test]
    fn the_same_version_is_up_to_date_and_an_older_one_is_never_offered() {
        let platforms = serde_json::json!({ "linux-x86_64": entry("https://x.example/p.deb") });
        assert!(matches!(offer(&feed("v0.1.0", platforms.clone()), TEST_KEY), Ok(Offer::UpToDate)));
        let Ok(Offer::Older { offered }) = offer(&feed("0.0.9", platforms), TEST_KEY) else { panic!("a downgrade") };
        assert_eq!(offered, semver::Version::new(0, 0, 9));
    }

    #[test]
    fn the_most_specific_entry_is_taken_and_a_missing_one_named() {
        let body = feed(
            "0.2.0",
            serde_json::json!({ "linux-x86_64": entry("https://x.example/generic"), "linux-x86_64-deb": entry("https://x.example/deb") }),
        );
        let Ok(Offer::Newer(release)) = offer(&body, TEST_KEY) else { panic!("an offer") };
        assert_eq!(release.url.as_str(), "https://x.example/deb");
        let body = feed("0.2.0", serde_json::json!({ "windows-x86_64-msi": entry("https://x.example/m.msi") }));
        let Err(Error::NoPackage { targets, .. }) = offer(&body, TEST_KEY) else { panic!("no package") };
        assert_eq!(targets, ["linux-x86_64-deb", "linux-x86_64"]);
    }

    #[test]
    fn a_signature_by_another_key_is_refused_before_any_download() {
        let body = feed("0.2.0", serde_json::json!({ "linux-x86_64-deb": entry("https://x.example/deb") }));
        let Err(Error::OtherKey { signed_by, trusted }) = offer(&body, OTHER_KEY) else { panic!("another key") };
        assert_ne!(signed_by, trusted);
        let garbled = serde_json::json!({ "linux-x86_64-deb": { "url": "https://x.example/deb", "signature": "bm90IGEgc2lnbmF0dXJl" } });
        assert!(matches!(offer(&feed("0.2.0", garbled), TEST_KEY), Err(Error::SignatureUnreadable)));
    }

    #[test]
    fn a_changed_package_fails_its_signature() {
        let body = feed("0.2.0", serde_json::json!({ "linux-x86_64-deb": entry("https://x.example/deb") }));
        let Ok(Offer::Newer(release)) = offer(&body, TEST_KEY) else { panic!("an offer") };
        let mut changed = PACKAGE.to_vec();
        changed[10] ^= 1;
        assert_eq!(TrustedKey::parse(TEST_KEY).unwrap().verify(&changed, &release.signed), Err(Error::Tampered));
    }

    #[test]
    fn a_package_over_plain_http_or_a_feed_that_is_no_feed_is_refused() {
        let body = feed("0.2.0", serde_json::json!({ "linux-x86_64-deb": entry("http://mirror.corp.example/p.deb") }));
        assert_eq!(
            offer(&body, TEST_KEY).unwrap_err(),
            Error::InsecurePackage("http://mirror.corp.example/p.deb".into())
        );
        assert!(matches!(offer(b"<html>", TEST_KEY), Err(Error::NotAFeed(_))));
        assert!(matches!(offer(&feed("two", serde_json::json!({})), TEST_KEY), Err(Error::NotAFeed(_))));
    }

    #[test]
    fn policy_chooses_the_feed_and_can_turn_updates_off() {
        let policy =
            crate::policy::Policy { update_url: Some("https://it.corp/feed.json".into()), ..Default::default() };
        let open = Settings::resolve(&policy, Some("https://mine/feed.json"));
        assert_eq!((open.feed.as_deref(), open.feed_locked), (Some("https://mine/feed.json"), false));
        let locked = crate::policy::Policy { locked: true, ..policy.clone() };
        let settings = Settings::resolve(&locked, Some("https://mine/feed.json"));
        assert_eq!((settings.feed.as_deref(), settings.feed_locked), (Some("https://it.corp/feed.json"), true));
        let off = crate::policy::Policy { updates: Some(false), ..policy };
        assert!(!Settings::resolve(&off, None).automatic());
        assert!(
            Settings::resolve(&crate::policy::Policy::default(), None).feed.is_none()
                || option_env!("QRJUMP_UPDATE_URL").is_some()
        );
    }

    #[test]
    fn the_key_built_in_is_a_minisign_key() {
        TrustedKey::parse(env!("QRJUMP_TRUSTED_UPDATER_KEY")).expect("tauri.conf.json's key");
        assert!(matches!(TrustedKey::parse("bm90IGEga2V5"), Err(Error::NoTrustedKey)));
    }
}
