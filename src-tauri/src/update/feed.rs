//! The update feed: Tauri's updater `latest.json`, in its static form (one
//! entry per platform) or its dynamic one (a server answering for this
//! platform alone). What it says is data: its version is compared, its
//! signature must be the trusted key's, its address must be HTTPS.

use std::collections::HashMap;

use serde::Deserialize;

use super::signature::{Signed, TrustedKey};
use super::{Error, Install};

#[derive(Deserialize)]
struct Platform {
    url: String,
    signature: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Entries {
    Dynamic(Platform),
    Static { platforms: HashMap<String, Platform> },
}

#[derive(Deserialize)]
struct Manifest {
    version: String,
    notes: Option<String>,
    pub_date: Option<String>,
    #[serde(flatten)]
    entries: Entries,
}

/// A version the feed offers for this install, its signature read.
#[derive(Debug, Clone)]
pub struct Release {
    pub version: semver::Version,
    /// What is new, as the release wrote it (plain text).
    pub notes: String,
    /// When it was published (RFC 3339), if the feed says.
    pub date: Option<String>,
    /// The package to download.
    pub url: reqwest::Url,
    /// Which of the feed's entries it is (`windows-x86_64-msi`, …).
    pub target: String,
    pub(super) signed: Signed,
}

/// What the feed says to this version.
#[derive(Debug, Clone)]
pub enum Offer {
    /// Nothing newer.
    UpToDate,
    /// A newer version.
    Newer(Box<Release>),
    /// The feed offers an older version than this one: never installed.
    Older { offered: semver::Version },
}

/// The feed's entries tried for an install, most specific first, as
/// Tauri's updater does: `{os}-{arch}-{installer}`, then `{os}-{arch}`.
pub fn targets(install: &Install) -> Vec<String> {
    let (os, kind) = match install {
        Install::Deb { .. } => ("linux", "deb"),
        Install::Msi => ("windows", "msi"),
        Install::Nsis => ("windows", "nsis"),
        // A copy run from where it was built or unzipped: the package its
        // system installs with, for the admin to run.
        Install::Portable if cfg!(windows) => ("windows", "nsis"),
        Install::Portable => ("linux", "deb"),
    };
    vec![format!("{os}-x86_64-{kind}"), format!("{os}-x86_64")]
}

/// Reads the feed fetched from `feed_url` and says what it offers `current`.
pub fn read(
    body: &[u8],
    feed_url: &reqwest::Url,
    current: &semver::Version,
    install: &Install,
    key: &TrustedKey,
) -> Result<Offer, Error> {
    let manifest: Manifest = serde_json::from_slice(body).map_err(|e| Error::NotAFeed(e.to_string()))?;
    let version = semver::Version::parse(manifest.version.trim().trim_start_matches('v'))
        .map_err(|_| Error::NotAFeed(format!("its version {:?} is not a version number", manifest.version)))?;
    if version == *current {
        return Ok(Offer::UpToDate);
    }
    if version < *current {
        return Ok(Offer::Older { offered: version });
    }
    let wanted = targets(install);
    let (target, platform) = match manifest.entries {
        Entries::Dynamic(platform) => (wanted[0].clone(), platform),
        Entries::Static { mut platforms } => {
            let found = wanted.iter().find_map(|t| platforms.remove(t).map(|p| (t.clone(), p)));
            found.ok_or_else(|| Error::NoPackage { version: version.to_string(), targets: wanted.clone() })?
        }
    };
    // A package named beside the feed (`QRJumpAdmin-0.2.0-x64.msi`) is
    // fetched from the feed's folder.
    let url = feed_url
        .join(platform.url.trim())
        .map_err(|_| Error::NotAFeed(format!("{:?} is not an address", platform.url)))?;
    let url = crate::net::require_tls(url.as_str())
        .map_err(|_| Error::InsecurePackage(crate::net::without_query(url.as_str())))?;
    let signed = key.signature(&platform.signature)?;
    Ok(Offer::Newer(Box::new(Release {
        version,
        notes: manifest.notes.unwrap_or_default().chars().take(4000).collect(),
        date: manifest.pub_date,
        url,
        target,
        signed,
    })))
}
