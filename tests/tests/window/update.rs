//! Updates in the real window: the feed IT's policy names offers a newer
//! version; the banner says so, the dialog shows what is new, and "Download
//! and install" downloads it, checks its signature and, for a copy that is
//! not installed (this build), gives the command to run. A package changed
//! after signing is refused in words, and nothing is saved.

use std::path::Path;

use qrjump_tests::desktop::Desktop;
use qrjump_tests::feed::{Feed, test_key};
use qrjump_tests::screens::english;

/// A feed offering 99.0.0 with the package Tauri's CLI signed (testdata/).
pub fn signed_feed(notes: &str) -> Feed {
    Feed::offering("99.0.0", notes, "linux-x86_64-deb", "next.deb")
}

/// The app with IT's policy naming `feed`, trusting the test key.
pub fn with_feed(feed: &Feed, policy_dir: &Path) -> Vec<(String, String)> {
    let policy = policy_dir.join("policy.json");
    std::fs::write(&policy, serde_json::json!({ "update_url": feed.url() }).to_string()).unwrap();
    vec![
        ("QRJUMP_POLICY_FILE".into(), policy.display().to_string()),
        ("QRJUMP_UPDATER_PUBKEY".into(), test_key("test.key.pub")),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn a_newer_version_is_offered_installed_on_the_admins_word_and_a_changed_one_refused() {
    let feed = signed_feed("- Rule sets from a file.\n- Signed updates.");
    let dir = tempfile::tempdir().unwrap();
    let desktop = Desktop::launch(english(None, with_feed(&feed, dir.path()))).await;

    // At start, after the first screen: the banner.
    let banner = desktop.wait_text("#update-banner-text", "the offer", |t| t.contains("99.0.0")).await;
    assert!(banner.contains(&format!("QR Jump Admin 99.0.0 is available (you have {})", env!("CARGO_PKG_VERSION"))));
    assert_eq!(feed.requests(), ["/latest.json"], "a check downloads nothing");
    desktop.click("#update-open").await;
    desktop.wait_visible("#update").await;
    let title = desktop.find("#update-title").await.text().await.unwrap();
    assert_eq!(title, "Update to 99.0.0");
    let notes = desktop.find("#update-notes").await.text().await.unwrap();
    assert!(notes.contains("Rule sets from a file.") && notes.contains("Signed updates."), "{notes}");

    // A package changed after signing: refused, said, nothing kept.
    let signed = std::fs::read(feed.path("next.deb")).unwrap();
    let mut changed = signed.clone();
    changed[12] ^= 1;
    std::fs::write(feed.path("next.deb"), &changed).unwrap();
    desktop.click("#update-install").await;
    let said =
        desktop.wait_text("#update-status", "the refusal", |t| t.contains("signature") && !t.contains("…")).await;
    assert!(said.contains("does not match its signature: refused, not installed"), "{said}");
    let updates = desktop.data_path().join("updates");
    assert!(!updates.exists() || std::fs::read_dir(&updates).unwrap().count() == 0, "nothing kept");

    // As signed: downloaded, checked, and (this copy is not installed) the command to run.
    std::fs::write(feed.path("next.deb"), &signed).unwrap();
    // Every text the status shows on the way, and the bar's last value.
    let watch = "window.seen = []; new MutationObserver(() => window.seen.push([document.getElementById('update-status').textContent, document.getElementById('update-progress').value])).observe(document.getElementById('update-status'), { childList: true, characterData: true, subtree: true });";
    desktop.client.execute(watch, vec![]).await.unwrap();
    desktop.click("#update-install").await;
    let said = desktop.wait_text("#update-status", "the outcome", |t| t.contains("Downloaded")).await;
    let seen = desktop.client.execute("return window.seen", vec![]).await.unwrap();
    let seen: Vec<(String, f64)> = serde_json::from_value(seen).unwrap();
    assert!(
        seen.iter().any(|(text, value)| text.contains("Download complete: checking its signature") && *value == 100.0),
        "the download's progress, to its end, before the outcome: {seen:?}"
    );
    assert!(!desktop.is_visible("#update-progress").await, "the bar goes once it is done");
    let saved = updates.join("qr-jump-admin_99.0.0_amd64.deb");
    assert!(said.contains("checked its signature") && said.contains(&saved.display().to_string()), "{said}");
    let command = desktop.find("#update-command").await.text().await.unwrap();
    assert_eq!(command, format!("sudo apt install {}", saved.display()));
    assert_eq!(std::fs::read(&saved).unwrap(), signed);
    desktop.click("#update-later").await;
    desktop.wait_hidden("#update").await;

    // About: where updates come from, and the check on demand.
    desktop.click("#about-button").await;
    let about = desktop.find("#about-updates").await.text().await.unwrap();
    assert!(about.contains("Checked at start and once a day") && about.contains(&feed.url()), "{about}");
    desktop.click("#check-update").await;
    desktop.wait_visible("#update").await;

    // A slow line: the progress shows, and Cancel stops the download;
    // nothing of it is kept, and the dialog stays to try again.
    std::fs::write(feed.path("next.deb"), vec![7u8; 4 << 20]).unwrap();
    feed.slow_down(std::time::Duration::from_millis(200));
    desktop.click("#update-install").await;
    let said = desktop.wait_text("#update-status", "the progress", |t| t.contains("%)")).await;
    assert!(said.contains("of 4.0 MB"), "{said}");
    assert!(desktop.is_visible("#update-progress").await);
    assert_eq!(desktop.find("#update-later").await.text().await.unwrap(), "Cancel download");
    desktop.click("#update-later").await;
    let said = desktop.wait_text("#update-status", "the cancel", |t| t.contains("cancelled")).await;
    assert!(said.contains("Download cancelled: nothing was installed."), "{said}");
    assert_eq!(std::fs::read(&saved).unwrap(), signed, "the package saved before is as it was");
    assert!(desktop.is_visible("#update").await, "the dialog stays");
    assert!(desktop.find("#update-install").await.is_enabled().await.unwrap(), "to try again");
    assert_eq!(desktop.find("#update-later").await.text().await.unwrap(), "Later");
    assert!(desktop.close().await);
}

#[tokio::test(flavor = "multi_thread")]
async fn updates_turned_off_by_policy_are_never_checked() {
    let feed = signed_feed("");
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    std::fs::write(&policy, serde_json::json!({ "update_url": feed.url(), "updates": 0 }).to_string()).unwrap();
    let desktop =
        Desktop::launch(english(None, vec![("QRJUMP_POLICY_FILE".into(), policy.display().to_string())])).await;
    desktop.click("#about-button").await;
    let about = desktop.wait_text("#about-updates", "the setting", |t| !t.is_empty()).await;
    assert!(about.contains("Turned off by IT policy"), "{about}");
    assert!(!desktop.find("#check-update").await.is_enabled().await.unwrap());
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert!(feed.requests().is_empty(), "no check: {:?}", feed.requests());
    assert!(!desktop.is_visible("#update-banner").await);
    assert!(desktop.close().await);
}
