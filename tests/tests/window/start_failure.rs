//! When the app cannot start, the admin is told why in a native dialog
//! instead of the app silently not appearing.

use std::process::{Command, Stdio};
use std::time::Duration;

use qrjump_tests::desktop::{pointer_at, start_xvfb, window_geometry, window_tree};
use qrjump_tests::process::{GroupChild, wait_until};

const TITLE: &str = "QR Jump Admin could not start";

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

    let shown = wait_until(Duration::from_secs(20), || window_tree(&display).contains(&format!("\"{TITLE}\"")));
    if !shown {
        let names = window_tree(&display);
        let exited = app.try_wait().unwrap();
        let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
        panic!("no start-up failure dialog (app exited: {exited:?}); stderr:\n{stderr}\nwindows:\n{names}");
    }
    assert!(app.try_wait().unwrap().is_none(), "the app must wait for the admin to read the dialog");
    let stderr = std::fs::read_to_string(&stderr_path).unwrap();
    assert!(stderr.contains("qrjump-admin: could not start: "), "the reason also goes to stderr: {stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // Closing the dialog ends the app, with the status of a failed start.
    let (x, y, width, height) = window_geometry(&display, TITLE).expect("the dialog's place");
    pointer_at(&display, (x + width / 2, y + height - 16), &["click", "1"]);
    let mut status = None;
    wait_until(Duration::from_secs(10), || {
        status = app.try_wait().unwrap();
        status.is_some()
    });
    assert_eq!(status.and_then(|status| status.code()), Some(1), "OK ends the app with status 1");
    assert!(xvfb.terminate());
}
