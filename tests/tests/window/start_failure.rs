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

    let shown =
        wait_until(Duration::from_secs(20), || window_names(&display).contains("\"QR Jump Admin could not start\""));
    let names = window_names(&display);
    assert!(shown, "no start-up failure dialog; windows:\n{names}");
    assert!(app.try_wait().unwrap().is_none(), "the app must wait for the admin to read the dialog");
    let stderr = std::fs::read_to_string(&stderr_path).unwrap();
    assert!(stderr.contains("qrjump-admin: could not start: "), "the reason also goes to stderr: {stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    assert!(app.terminate());
    assert!(xvfb.terminate());
}
