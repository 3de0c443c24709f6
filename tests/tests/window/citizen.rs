//! A good desktop citizen, through the real window: a second start on the
//! same data folder brings the running window forward and exits; the window
//! comes back where it was left, and on screen when that place is gone;
//! Ctrl+= / Ctrl+- / Ctrl+0 scale the page; the native file dialogs speak
//! the window's language.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use qrjump_tests::desktop::{Desktop, Options, pointer_at, window_geometry, window_tree};
use qrjump_tests::screens::{english, wait_rows};

fn windows_on(display: &str) -> usize {
    window_tree(display).lines().filter(|line| line.contains("\"QR Jump Admin")).count()
}

/// Waits for a window named `name` and returns where its middle is.
async fn window_named(display: &str, name: &str) -> (i64, i64) {
    for _ in 0..100 {
        if let Some((x, y, width, height)) = window_geometry(display, name) {
            return (x + width / 2, y + height / 2);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no window named {name}:\n{}", window_tree(display));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_native_file_dialog_speaks_the_windows_language_and_answers() {
    // Chinese from the system; no path given, so the real dialog opens,
    // first in the folder the app started in.
    let folder = tempfile::tempdir().unwrap();
    let env = vec![("LANG".to_owned(), "zh_CN.UTF-8".to_owned()), ("LC_ALL".to_owned(), "zh_CN.UTF-8".to_owned())];
    let desktop = Desktop::launch(Options { env, cwd: Some(folder.path().into()), ..Options::default() }).await;
    wait_rows(&desktop, "#rules-table tbody tr", 38).await;
    let button_free =
        || async { desktop.find("#backup-csv").await.prop("disabled").await.unwrap().as_deref() == Some("false") };

    // Cancelled: nothing is saved, and the button is free again.
    desktop.click("#backup-csv").await;
    let dialog = window_named(&desktop.display, "把规则列表保存为 CSV").await;
    assert!(!window_tree(&desktop.display).contains("\"Save File\""));
    pointer_at(&desktop.display, dialog, &["key", "Escape"]);
    let mut free = false;
    for _ in 0..100 {
        free = button_free().await;
        if free {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(free, "the cancelled dialog's command never returned");
    assert!(!desktop.is_visible("#backup-message").await);
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);

    // Saved under the name it offers: the rule list is there.
    desktop.click("#backup-csv").await;
    let dialog = window_named(&desktop.display, "把规则列表保存为 CSV").await;
    pointer_at(&desktop.display, dialog, &["key", "Return"]);
    desktop.wait_text("#backup-message", "the backup's note", |t| t.contains("38")).await;
    let saved: Vec<_> = std::fs::read_dir(folder.path()).unwrap().flatten().map(|f| f.path()).collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let name = saved[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("qrjump-rules-") && name.ends_with(".csv"), "{name}");
    let csv = std::fs::read_to_string(&saved[0]).unwrap();
    assert!(csv.contains("https://shop.example.com/qr/product/"), "{csv}");
    assert!(desktop.close().await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_start_brings_the_first_forward_and_exits() {
    let desktop = Desktop::launch(english(None, vec![])).await;
    wait_rows(&desktop, "#rules-table tbody tr", 38).await;
    let before = windows_on(&desktop.display);
    assert!(before >= 1);
    // Minimized, the first window must come back.
    desktop.client.minimize_window().await.ok();
    let started = Instant::now();
    let second = Command::new(qrjump_tests::workspace_bin("qrjump-admin"))
        .env("DISPLAY", &desktop.display)
        .env("QRJUMP_DATA_DIR", desktop.data_path())
        .env("NO_AT_BRIDGE", "1")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .output()
        .expect("start qrjump-admin again");
    assert!(second.status.success(), "{second:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("already running"), "{said}");
    assert_eq!(windows_on(&desktop.display), before, "no second window");
    // The first heard it (its support log says so) and is still working.
    let mut logged = String::new();
    for _ in 0..100 {
        logged = std::fs::read_dir(desktop.data_path().join("logs"))
            .unwrap()
            .flatten()
            .map(|f| std::fs::read_to_string(f.path()).unwrap_or_default())
            .collect();
        if logged.contains("second start") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(logged.contains("a second start brought this window to the front"), "{logged}");
    desktop.click("#tab-history").await;
    desktop.wait_visible("#view-history").await;

    // The command line keeps running beside the app.
    let cli = Command::new(qrjump_tests::workspace_bin("qrjump"))
        .args(["history", "list", "--json"])
        .env("QRJUMP_DATA_DIR", desktop.data_path())
        .output()
        .unwrap();
    assert!(cli.status.success(), "{cli:?}");
    assert!(desktop.close().await);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_window_comes_back_where_it_was_and_on_screen() {
    let data = tempfile::tempdir().unwrap();
    let options = || Options { data_dir: Some(data.path().to_owned()), ..english(None, vec![]) };
    let desktop = Desktop::launch(options()).await;
    desktop.client.set_window_rect(130, 90, 900, 640).await.unwrap();
    let placed = desktop.client.get_window_rect().await.unwrap();
    // Saved as it moves and resizes.
    let saved = data.path().join("window.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(&saved).is_ok_and(|t| t.contains("\"x\":130")) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let text = std::fs::read_to_string(&saved).unwrap_or_default();
    assert!(text.contains("\"x\":130") && text.contains("\"width\":900"), "saved: {text}");
    assert!(desktop.close().await);

    let desktop = Desktop::launch(options()).await;
    let again = settled_rect(&desktop, |rect| rect == placed).await;
    assert_eq!(again, placed, "the window comes back where it was left");
    assert!(desktop.close().await);

    // A place no monitor shows any more (the screen is 1280x800).
    std::fs::write(&saved, r#"{"x":3000,"y":2000,"width":900,"height":640,"maximized":false}"#).unwrap();
    let desktop = Desktop::launch(options()).await;
    let (x, y, width, height) = settled_rect(&desktop, |(_, _, w, h)| (w, h) == (900, 640)).await;
    assert!((0..1280 - 120).contains(&x) && (0..800 - 40).contains(&y), "off screen at {x},{y}");
    assert_eq!((width, height), (900, 640));
    assert!(desktop.close().await);
}

/// The window's rectangle once `done` holds (the X server applies moves and
/// resizes asynchronously), or as it is after 5 seconds.
async fn settled_rect(desktop: &Desktop, done: impl Fn((u64, u64, u64, u64)) -> bool) -> (u64, u64, u64, u64) {
    let mut rect = desktop.client.get_window_rect().await.unwrap();
    for _ in 0..100 {
        if done(rect) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        rect = desktop.client.get_window_rect().await.unwrap();
    }
    rect
}

async fn inner_width(desktop: &Desktop) -> f64 {
    desktop.client.execute("return window.innerWidth", vec![]).await.unwrap().as_f64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_plus_minus_and_zero_scale_the_page() {
    let desktop = Desktop::launch(english(None, vec![])).await;
    wait_rows(&desktop, "#rules-table tbody tr", 38).await;
    let normal = inner_width(&desktop).await;
    let body = desktop.find("body").await;
    // 100% → 110% → 125% → 150%.
    for _ in 0..3 {
        body.send_keys("\u{E009}=\u{E000}").await.unwrap();
    }
    let mut zoomed = normal;
    for _ in 0..100 {
        zoomed = inner_width(&desktop).await;
        if (zoomed - normal / 1.5).abs() < 2.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!((zoomed - normal / 1.5).abs() < 2.0, "{normal} at 150% is {zoomed}");
    body.send_keys("\u{E009}-\u{E000}").await.unwrap();
    body.send_keys("\u{E009}0\u{E000}").await.unwrap();
    let mut back = zoomed;
    for _ in 0..100 {
        back = inner_width(&desktop).await;
        if (back - normal).abs() < 1.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!((back - normal).abs() < 1.0, "Ctrl+0 gives {back}, not {normal}");
    assert!(desktop.close().await);
}
