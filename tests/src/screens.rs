//! Steps an admin takes in the window, shared by the end-to-end tests.

use crate::desktop::{Desktop, Options};

/// The app in English, against `api_base` (the demo's own simulator when none).
pub fn english(api_base: Option<String>, extra: Vec<(String, String)>) -> Options {
    let mut env = vec![("LANG".to_owned(), "en_US.UTF-8".to_owned()), ("LC_ALL".to_owned(), "en_US.UTF-8".to_owned())];
    env.extend(extra);
    Options { api_base, env, ..Options::default() }
}

pub async fn pick_rule(desktop: &Desktop, prefix: &str) {
    let row = format!("#rules-table tbody tr[data-prefix=\"{prefix}\"] td.prefix");
    desktop.click(&row).await;
    let value = desktop.find("#prefix").await.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(value, prefix);
}

pub async fn confirm_delete(desktop: &Desktop) {
    desktop.click("#delete-button").await;
    desktop.wait_visible("#confirm").await;
    desktop.click("#confirm-ok").await;
}

/// Adds an account on the accounts screen and returns to the delete screen.
pub async fn add_account(desktop: &Desktop, name: &str, kind: &str, appid: &str, secret: &str) {
    desktop.click("#tab-accounts").await;
    desktop.type_into("#account-name", name).await;
    choose(desktop, "account-kind", kind).await;
    desktop.type_into("#account-appid", appid).await;
    desktop.type_into("#account-secret", secret).await;
    desktop.click("#account-save").await;
    let saved = format!("\"{name}\" saved");
    desktop.wait_text("#account-test-result", "saved", |t| t.contains(&saved)).await;
    desktop.click("#tab-delete").await;
}

/// Checks the radio button `value` of the group `name`.
pub async fn choose(desktop: &Desktop, name: &str, value: &str) {
    desktop.click(&format!("input[name=\"{name}\"][value=\"{value}\"]")).await;
}

pub async fn wait_rows(desktop: &Desktop, css: &str, n: usize) {
    for _ in 0..400 {
        if desktop.count(css).await == n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{css}: expected {n} rows, have {}", desktop.count(css).await);
}

/// Drops `files` (name, PNG bytes) on the check screen's drop zone, as a
/// drag from the file manager delivers them: WebDriver has no native drag,
/// so the page gets the same `drop` event with the same `File` objects.
pub async fn drop_images(desktop: &Desktop, files: &[(&str, Vec<u8>)]) {
    let files: Vec<serde_json::Value> =
        files.iter().map(|(name, bytes)| serde_json::json!({ "name": name, "bytes": bytes })).collect();
    desktop
        .client
        .execute(
            "const files = arguments[0].map((f) => new File([new Uint8Array(f.bytes)], f.name, { type: 'image/png' }));
             const drop = new Event('drop', { bubbles: true, cancelable: true });
             Object.defineProperty(drop, 'dataTransfer', { value: { files } });
             document.getElementById('lookup-drop').dispatchEvent(drop);",
            vec![serde_json::Value::Array(files)],
        )
        .await
        .expect("drop the images");
}
