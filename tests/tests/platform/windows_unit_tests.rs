//! The library's own unit tests, cross-built for Windows and run under Wine:
//! the same checks as on Linux, plus what only Windows has, such as the
//! AppSecret kept in the Credential Manager (`vault`).
//!
//! `./dev test` builds them (`cargo test --target x86_64-pc-windows-gnu
//! --lib --no-run`) and writes the executable's path to
//! `target/windows-lib-tests.path`.

use std::path::{Path, PathBuf};

use qrjump_tests::wine::{TARGET, Wine};

fn unit_tests_exe() -> PathBuf {
    let listed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/windows-lib-tests.path");
    let path =
        std::fs::read_to_string(&listed).unwrap_or_else(|e| panic!("{}: {e}; ./dev test writes it", listed.display()));
    let path = PathBuf::from(path.trim());
    assert!(path.is_file(), "{} is missing", path.display());
    path
}

#[test]
fn the_library_tests_pass_on_windows_with_its_credential_manager() {
    let exe = unit_tests_exe();
    let wine = Wine::start();
    // The library links the WebView2 loader (as the app does): it goes beside.
    let dir = wine.drive_c().join("qrjump-tests");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&exe, dir.join("lib-tests.exe")).unwrap();
    let loader = exe.ancestors().nth(2).unwrap().join("WebView2Loader.dll");
    assert!(loader.is_file(), "no {} beside the {TARGET} build", loader.display());
    std::fs::copy(&loader, dir.join("WebView2Loader.dll")).unwrap();

    let output = wine.command(dir.join("lib-tests.exe")).output().unwrap();
    wine.stop();
    let out = String::from_utf8_lossy(&output.stdout);
    let summary = out.lines().find(|l| l.starts_with("test result:")).unwrap_or_default();
    assert!(
        output.status.success() && summary.starts_with("test result: ok."),
        "the library's tests under Wine: {}\n{out}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    for test in
        ["vault::tests::the_credential_manager_keeps_a_secret_until_it_is_deleted ... ok", "history::", "wechat::"]
    {
        assert!(out.contains(test), "{test} did not run on Windows:\n{out}");
    }
    let passed: usize = summary.split_whitespace().nth(3).and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(passed >= 60, "only {passed} tests ran: {summary}");
}
