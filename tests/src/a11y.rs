//! Accessibility checks in the real window: axe-core (fetched and pinned by
//! `scripts/setup.sh test`) run through WebDriver, and keys pressed on
//! whatever has focus.

use std::path::PathBuf;

use crate::desktop::Desktop;

/// The pinned axe-core, as `scripts/setup.sh test` leaves it.
pub fn axe_source() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/axe/axe-core-4.14.1.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}: run scripts/setup.sh test to fetch axe-core", path.display()))
}

/// Runs axe on the page and returns its serious and critical violations,
/// one line each (rule, impact, the first nodes and why).
pub async fn serious_violations(desktop: &Desktop) -> Vec<String> {
    // The app's CSP forbids eval: axe goes in as the script itself.
    let loaded = desktop.client.execute(&format!("{}\n;return typeof window.axe;", axe_source()), vec![]).await;
    assert_eq!(loaded.expect("load axe").as_str(), Some("object"));
    let run = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] })
          .then((result) => done(result.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 4).map((n) =>
              `${n.target.join(' ')}: ${(n.any[0] || n.all[0] || n.none[0] || {}).message || ''}`).join('; '))))
          .catch((error) => done([`axe failed: ${error}`]));
    "#;
    let found = desktop.client.execute_async(run, vec![]).await.expect("run axe");
    found.as_array().map(|list| list.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

pub const TAB: &str = "\u{E004}";
pub const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
pub const ENTER: &str = "\u{E007}";
pub const ESCAPE: &str = "\u{E00C}";
pub const RIGHT: &str = "\u{E014}";

/// Presses `keys` on the element that has focus.
pub async fn press(desktop: &Desktop, keys: &str) {
    let active = desktop.client.active_element().await.expect("an element has focus");
    active.send_keys(keys).await.expect("press keys");
    tokio::time::sleep(std::time::Duration::from_millis(80)).await;
}

/// The id of the element that has focus ("" when it has none).
pub async fn focused_id(desktop: &Desktop) -> String {
    let id = desktop.client.execute("return document.activeElement ? document.activeElement.id : ''", vec![]).await;
    id.ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Whether the element with focus is inside `css`.
pub async fn focus_inside(desktop: &Desktop, css: &str) -> bool {
    let script = format!("return !!document.querySelector({css:?}).contains(document.activeElement)");
    desktop.client.execute(&script, vec![]).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}
