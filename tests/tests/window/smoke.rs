//! The harness itself: the real app opens under Xvfb, a click reaches a Rust
//! command, its answer shows in the page, what the app turns off for its
//! page is off, and nothing is left running.

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

    // What the app turns off for its own page (desktop/environment.rs):
    // GTK's GL probe in the app, the JIT in the web process it starts.
    let ours = processes_with(&format!("QRJUMP_DATA_DIR={data_dir}"));
    let app = ours.iter().find(|p| p.name == "qrjump-admin").expect("the app's process");
    let maps = std::fs::read_to_string(format!("/proc/{}/maps", app.pid)).expect("the app's memory map");
    assert!(!maps.contains("libGLX_mesa"), "GTK loaded the GLX driver in the app");
    let web = ours.iter().find(|p| p.name.starts_with("WebKitWebProc")).expect("the app's web process");
    let jsc: Vec<_> = web.env.iter().filter(|v| v.starts_with("JSC_")).collect();
    assert_eq!(jsc, ["JSC_useJIT=0"], "the web process's JavaScriptCore settings");

    assert!(desktop.close().await, "a process of the session survived");
}

struct Process {
    pid: u32,
    name: String,
    env: Vec<String>,
}

/// The running processes whose starting environment holds `variable`.
fn processes_with(variable: &str) -> Vec<Process> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc") {
        let Some(pid) = entry.ok().and_then(|e| e.file_name().to_str()?.parse::<u32>().ok()) else { continue };
        let Ok(environ) = std::fs::read(format!("/proc/{pid}/environ")) else { continue };
        let env: Vec<String> = environ.split(|&b| b == 0).map(|v| String::from_utf8_lossy(v).into_owned()).collect();
        if env.iter().any(|v| v == variable) {
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned();
            found.push(Process { pid, name, env });
        }
    }
    found
}
