//! Helpers shared by the integration and end-to-end tests.

pub mod a11y;
pub mod desktop;
pub mod feed;
pub mod history_data;
pub mod postgres;
pub mod process;
pub mod rules;
pub mod screens;
pub mod secret_service;
pub mod secrets;
pub mod stand_in;
pub mod tinyproxy;
pub mod web;
pub mod wine;

use std::path::PathBuf;

/// Path of a binary built by this workspace (`target/<profile>/<name>`), found
/// next to the running test executable (`target/<profile>/deps/<test>`).
///
/// The test command builds every binary before running the tests; a missing
/// one is a set-up mistake, reported with the command that fixes it.
pub fn workspace_bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable has a path");
    let profile_dir =
        exe.parent().and_then(|deps| deps.parent()).expect("test executables live in target/<profile>/deps");
    let path = profile_dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is missing: build it first with `cargo build --workspace --bins` (./dev test does)",
        path.display()
    );
    path
}

/// What `scripts/package.sh` wrote to target/dist (`./dev test` runs it
/// with `QRJUMP_PACKAGE_PROFILE=debug`).
pub fn dist_dir() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/dist")
}

/// The one file in target/dist whose name ends in `suffix`.
pub fn dist_artefact(suffix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dist_dir())
        .expect("target/dist: run scripts/package.sh first (./dev test does)")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(found.len(), 1, "one *{suffix} in target/dist: {found:?}");
    found.into_iter().next().unwrap()
}

/// The desktop app's state on `data_dir` against `api_base` (the
/// simulator), with secrets kept in memory only, as on a machine without a
/// credential store.
pub fn app_state(api_base: &str, data_dir: &std::path::Path) -> qrjump::app::AppState {
    qrjump::app::AppState::open(qrjump::app::AppConfig {
        data_dir: data_dir.to_owned(),
        api_base: api_base.to_owned(),
        vault: Box::new(qrjump::accounts::MemoryVault::default()),
        keyring_available: false,
    })
    .expect("open the app's state")
}

/// Writes a PNG of a QR code holding `text` to `path`, 6 pixels a module.
pub fn qr_png(text: &str, path: &std::path::Path) {
    let code = qrcode::QrCode::new(text.as_bytes()).expect("encode a QR code");
    let width = code.width() as u32;
    let colors = code.to_colors();
    let module = 6;
    let side = (width + 8) * module;
    let image = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / module) as i64 - 4, (y / module) as i64 - 4);
        let inside = mx >= 0 && my >= 0 && (mx as u32) < width && (my as u32) < width;
        let dark = inside && colors[(my as u32 * width + mx as u32) as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    });
    image.save(path).expect("write the PNG");
}

/// The version after this one (its patch + 1): what an update or an
/// upgrade test offers.
pub fn next_version() -> String {
    let mut parts: Vec<u64> = env!("CARGO_PKG_VERSION").split('.').map(|p| p.parse().unwrap()).collect();
    parts[2] += 1;
    parts.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}
