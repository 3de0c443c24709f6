//! Help for IT through the real window: "Copy diagnostics" shows (and
//! copies) what to send, "Open data folder" starts the system's file
//! manager on it (a stand-in `xdg-open` on PATH records what it was given).

use qrjump_tests::desktop::Desktop;
use qrjump_tests::screens::{confirm_delete, english, pick_rule};
use qrjump_tests::secrets;

#[tokio::test(flavor = "multi_thread")]
async fn diagnostics_and_the_data_folder_from_the_about_screen() {
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened.txt");
    let script = bin.path().join("xdg-open");
    std::fs::write(&script, format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.path().display(), std::env::var("PATH").unwrap_or_default());
    let desktop = Desktop::launch(english(None, vec![("PATH".into(), path)])).await;

    // Something to tell: a demo delete.
    desktop.wait_visible("#rules-table tbody tr").await;
    pick_rule(&desktop, "https://shop.example.com/qr/coupon/").await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;

    desktop.click("#about-button").await;
    desktop.click("#copy-diagnostics").await;
    desktop.wait_visible("#diagnostics").await;
    let text = desktop.find("#diagnostics").await.prop("value").await.unwrap().unwrap_or_default();
    assert!(text.starts_with("QR Jump Admin "), "{text}");
    assert!(text.contains(&format!("Data folder: {}", desktop.data_path().display())), "{text}");
    assert!(text.contains("call /cgi-bin/wxopen/qrcodejumpdelete errcode 0 in "), "{text}");
    assert!(text.contains("delete recorded as #1: ok"), "{text}");
    secrets::assert_clean("the diagnostics", &text);
    // The demo's own AppSecret made the delete's token: it is not there either.
    assert!(!text.contains(qrjump::sim::DEMO_MINI_PROGRAM.1), "{text}");
    let told = desktop.wait_text("#support-note", "a note", |t| !t.is_empty()).await;
    assert!(told.starts_with("Diagnostics copied") || told.starts_with("Could not copy"), "{told}");

    desktop.click("#open-data-folder").await;
    desktop.wait_text("#support-note", "opened", |t| t.starts_with("Opened in the file manager")).await;
    let mut given = String::new();
    for _ in 0..100 {
        given = std::fs::read_to_string(&opened).unwrap_or_default();
        if !given.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(given, desktop.data_path().display().to_string());
    assert!(desktop.close().await);
}
