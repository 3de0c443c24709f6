//! When the app cannot start, the admin is told why in a native dialog
//! instead of the app silently not appearing.

use std::process::{Command, Stdio};
use std::time::Duration;

use qrjump_tests::desktop::start_xvfb;
use qrjump_tests::process::{GroupChild, wait_until};

fn window_names(display: &str) -> String {
    let tree = Command::new("xwininfo")
        .args(["-root", "-tree", "-display", display])
        .output()
        .expect("run xwininfo (package x11-utils)");
    String::from_utf8_lossy(&tree.stdout).into_owned()
}

const TITLE: &str = "QR Jump Admin could not start";

/// Where the window named `name` is on the screen: x, y, width, height.
fn geometry(display: &str, name: &str) -> (i64, i64, i64, i64) {
    let info = Command::new("xwininfo").args(["-display", display, "-name", name]).output().expect("run xwininfo");
    let info = String::from_utf8_lossy(&info.stdout);
    let field = |label: &str| -> i64 {
        let line = info.lines().find(|line| line.trim_start().starts_with(label));
        line.and_then(|line| line.rsplit(':').next())
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("{label} in {info}"))
    };
    (field("Absolute upper-left X"), field("Absolute upper-left Y"), field("Width"), field("Height"))
}

#[test]
fn a_data_folder_that_cannot_be_used_is_explained_in_a_dialog() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the data folder should be: nothing can be created inside it.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"").unwrap();
    let stderr_path = dir.path().join("stderr.txt");
    let (mut xvfb, display) = start_xvfb();
    let mut command = Command::new(qrjump_tests::workspace_bin("qrjump-admin"));
    command
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env("NO_AT_BRIDGE", "1")
        .env("LANG", "en_US.UTF-8")
        .env("LC_ALL", "en_US.UTF-8")
        .env("QRJUMP_DATA_DIR", blocker.join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).unwrap());
    let mut app = GroupChild::spawn("qrjump-admin", &mut command).expect("start qrjump-admin");

    let shown = wait_until(Duration::from_secs(20), || window_names(&display).contains(&format!("\"{TITLE}\"")));
    if !shown {
        let names = window_names(&display);
        let exited = app.try_wait().unwrap();
        let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
        panic!("no start-up failure dialog (app exited: {exited:?}); stderr:\n{stderr}\nwindows:\n{names}");
    }
    assert!(app.try_wait().unwrap().is_none(), "the app must wait for the admin to read the dialog");
    let stderr = std::fs::read_to_string(&stderr_path).unwrap();
    assert!(stderr.contains("qrjump-admin: could not start: "), "the reason also goes to stderr: {stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // Closing the dialog ends the app, with the status of a failed start.
    let (x, y, width, height) = geometry(&display, TITLE);
    let clicked = Command::new("xdotool")
        .env("DISPLAY", &display)
        .args(["mousemove", &(x + width / 2).to_string(), &(y + height - 16).to_string(), "click", "1"])
        .status()
        .expect("run xdotool (package xdotool)");
    assert!(clicked.success());
    let mut status = None;
    wait_until(Duration::from_secs(10), || {
        status = app.try_wait().unwrap();
        status.is_some()
    });
    assert_eq!(status.and_then(|status| status.code()), Some(1), "OK ends the app with status 1");
    assert!(xvfb.terminate());
}
