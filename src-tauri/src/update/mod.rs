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

async fn fetch(client: &reqwest::Client, url: &reqwest::Url, limit: usize) -> Result<Option<Vec<u8>>, Error> {
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
    match crate::net::read_body(response, limit).await {
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
    match fetch(&client, &url, MAX_FEED).await? {
        None => Ok(Offer::UpToDate),
        Some(body) => feed::read(&body, &url, &current_version(), install, &key),
    }
}

/// Downloads `release`, checks its signature and kind, and saves it in
/// `dir` under the name this install's packages have.
pub async fn download(release: &Release, policy: &Policy, install: &Install, dir: &Path) -> Result<PathBuf, Error> {
    let key = TrustedKey::built_in()?;
    let client = client(Duration::from_secs(15 * 60), policy)?;
    let bytes = fetch(&client, &release.url, MAX_PACKAGE)
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

#[cfg(test)]
mod tests;
