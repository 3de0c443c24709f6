//! The harness itself: the real app opens under Xvfb, a click reaches a Rust
//! command, its answer shows in the page, and nothing is left running.

use qrjump_tests::desktop::{Desktop, Options};

#[tokio::test(flavor = "multi_thread")]
async fn window_opens_and_a_click_reaches_rust() {
    let desktop = Desktop::launch(Options::default()).await;
    let data_dir = desktop.data_path().display().to_string();

    desktop.click("#about-button").await;
    // app_info answers from Rust with QRJUMP_DATA_DIR, which only the harness knows.
    desktop.wait_text("#about-data-dir", "the test's data folder", |text| text == data_dir).await;
    let version = desktop.wait_text("#about-version", "a version", |text| !text.is_empty()).await;
    assert_eq!(version, env!("CARGO_PKG_VERSION"));

    assert!(desktop.close().await, "a process of the session survived");
}
