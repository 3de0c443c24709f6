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

    // A file dropped outside the checker does not replace the page...
    let prevented = desktop
        .client
        .execute(
            "const e = new DragEvent('drop', { bubbles: true, cancelable: true }); \
             document.querySelector('#about-button').dispatchEvent(e); return e.defaultPrevented",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(prevented.as_bool(), Some(true), "a stray drop is not the browser's to open");
    // ...and nothing the page is made to do takes the window elsewhere.
    let own = desktop.client.execute("return location.href", vec![]).await.unwrap();
    for away in ["https://evil.test/", "file:///etc/hostname"] {
        desktop.client.execute(&format!("location.href = '{away}'"), vec![]).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        let now = desktop.client.execute("return location.href", vec![]).await.unwrap();
        assert_eq!(now, own, "navigation to {away} was refused");
        desktop.wait_visible("#about-button").await;
    }

    assert!(desktop.close().await, "a process of the session survived");
}
