//! The feed and the signature checks, with a key pair and a package signed
//! by Tauri's CLI (`tauri signer sign`, testdata/). The HTTP side and the
//! installers are tested end to end in tests/ (cli/update.rs, platform/).

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

#[test]
fn a_newer_version_is_offered_with_its_package_beside_the_feed() {
    let body = feed("0.2.0", serde_json::json!({ "linux-x86_64-deb": entry("qr-jump-admin_0.2.0_amd64.deb") }));
    let Offer::Newer(release) = offer(&body, TEST_KEY).unwrap() else { panic!("no offer") };
    assert_eq!(release.version, semver::Version::new(0, 2, 0));
    assert_eq!(release.url.as_str(), "https://updates.corp.example/qrjump/qr-jump-admin_0.2.0_amd64.deb");
    assert_eq!((release.target.as_str(), release.notes.as_str()), ("linux-x86_64-deb", "Publishes rules from a file."));
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
    assert_eq!(offer(&body, TEST_KEY).unwrap_err(), Error::InsecurePackage("http://mirror.corp.example/p.deb".into()));
    assert!(matches!(offer(b"<html>", TEST_KEY), Err(Error::NotAFeed(_))));
    assert!(matches!(offer(&feed("two", serde_json::json!({})), TEST_KEY), Err(Error::NotAFeed(_))));
}

#[test]
fn policy_chooses_the_feed_and_can_turn_updates_off() {
    let policy = crate::policy::Policy { update_url: Some("https://it.corp/feed.json".into()), ..Default::default() };
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
