//! The desktop app as an admin uses it, driven through WebDriver: the real
//! binary, against the simulator (the test's own, or the built-in demo).

use qrjump::sim::{AccountKind, Fault, Simulator};
use qrjump::wechat::{PATH_DELETE, Rule};
use qrjump_tests::desktop::{Desktop, Options};
use qrjump_tests::screens::{add_account, confirm_delete, english, pick_rule, wait_rows};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000e2e01";
const SA: &str = "wx00000000000e2e02";
const TARGET: &str = "wx00000000000e2e03";

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_account_picks_and_deletes_in_both_modes() {
    let desktop = Desktop::launch(english(None, vec![])).await;
    desktop.wait_visible("#demo-banner").await;
    wait_rows(&desktop, "#rules-table tbody tr", 38).await;
    pick_rule(&desktop, "https://m.example.com/scan/").await;

    // Escape backs out of the confirmation like Cancel: nothing is deleted.
    desktop.click("#delete-button").await;
    desktop.wait_visible("#confirm").await;
    desktop.find("#confirm-cancel").await.send_keys("\u{e00c}").await.unwrap();
    desktop.wait_hidden("#confirm").await;
    desktop.click("#rules-refresh").await;
    wait_rows(&desktop, "#rules-table tbody tr", 38).await;

    desktop.click("#delete-button").await;
    let details =
        desktop.wait_text("#confirm-details", "the rule", |t| t.contains("https://m.example.com/scan/")).await;
    assert!(details.contains("pages/index/index"), "the confirmation shows the rule: {details}");
    assert!(desktop.wait_visible(".warning").await.text().await.unwrap().contains("no longer open"));
    desktop.click("#confirm-ok").await;
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;
    assert_eq!(desktop.find("#result-errcode").await.text().await.unwrap(), "0");
    wait_rows(&desktop, "#rules-table tbody tr", 37).await;

    // A rule made long ago with ftp:// (WeChat's rule page allowed it) is
    // deleted like any other.
    pick_rule(&desktop, "ftp://files.example.com/qr/manual/").await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;
    wait_rows(&desktop, "#rules-table tbody tr", 36).await;

    // Service-account mode: the Mini Program AppID field appears, filled for the demo.
    desktop.click("#mode-service").await;
    desktop.wait_visible("#target-appid").await;
    wait_rows(&desktop, "#rules-table tbody tr", 5).await;
    pick_rule(&desktop, "http://weixin.qq.com/q/02P5KzM_demo001").await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;
    wait_rows(&desktop, "#rules-table tbody tr", 4).await;

    // The attempts are in the history, marked as demo, with the rule's snapshot.
    desktop.click("#tab-history").await;
    wait_rows(&desktop, "#history-table tbody tr", 3).await;
    // Read as wait_text does (found again each try): the table may be drawn again.
    desktop
        .wait_text("#history-table tbody tr", "the demo delete's row", |t| {
            t.contains("Demo") && t.contains("weixin.qq.com/q/02P5KzM_demo001")
        })
        .await;
    desktop.click("#history-table tbody tr td:nth-child(5)").await;
    // The rule as it was, in words; the raw JSON behind a disclosure.
    let snapshot =
        desktop.wait_text("#detail-snapshot-fields", "the snapshot", |t| t.contains("pages/member/join")).await;
    assert!(snapshot.contains("Published") && snapshot.contains("02P5KzM_demo001"), "{snapshot}");
    desktop.click("#detail-snapshot-raw summary").await;
    desktop.wait_text("#detail-snapshot", "the raw snapshot", |t| t.contains("\"path\": \"pages/member/join\"")).await;
    desktop.click("#detail-close").await;
    desktop.wait_hidden("#detail").await;
    assert!(desktop.close().await);
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_deletes_failures_history_export_and_integrity() {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("e2e");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.add_account(SA, &secret, AccountKind::ServiceAccount);
    for prefix in ["https://a.example.com/1/", "https://a.example.com/2/"] {
        sim.add_rule(MP, None, rules::published(prefix));
    }
    sim.add_rule(
        SA,
        Some(TARGET),
        Rule {
            prefix: "http://weixin.qq.com/q/e2e1".into(),
            path: "pages/b".into(),
            state: 2,
            open_version: None,
            debug_url: None,
            permit_sub_rule: None,
        },
    );
    let export_dir = tempfile::tempdir().unwrap();
    let export = export_dir.path().join("audit.csv");
    let desktop = Desktop::launch(english(
        Some(sim.base_url()),
        vec![
            ("QRJUMP_EXPORT_PATH".into(), export.display().to_string()),
            ("QRJUMP_MANIFEST_PATH".into(), format!("{}.manifest.json", export.display())),
        ],
    ))
    .await;

    // Add a Mini Program account; with no credential store here it is kept for the session.
    desktop.click("#tab-accounts").await;
    desktop.type_into("#account-name", "Shop").await;
    qrjump_tests::screens::choose(&desktop, "account-kind", "mini_program").await;
    desktop.type_into("#account-appid", "wx123").await;
    desktop.type_into("#account-secret", &secret).await;
    desktop.click("#account-save").await;
    desktop.wait_text("#account-error", "the AppID problem", |t| t.starts_with("AppID: must be")).await;
    desktop.type_into("#account-appid", MP).await;
    desktop.type_into("#account-secret", &secret).await;
    desktop.click("#account-save").await;
    desktop.wait_text("#account-test-result", "saved", |t| t.contains("Account \"Shop\" saved")).await;
    desktop.click("#account-list li:first-child button").await;
    desktop
        .wait_text("#account-test-result", "the connection report", |t| {
            t.contains("2 QR code rule(s), 100 publish(es) left") && t.contains("direct to WeChat")
        })
        .await;

    // A bad prefix is refused next to the field, and nothing is sent.
    desktop.click("#tab-delete").await;
    wait_rows(&desktop, "#rules-table tbody tr", 2).await;
    desktop.type_into("#prefix", "example.com/qr").await;
    desktop
        .wait_text("#prefix-error", "the reason", |t| t.starts_with("prefix: must be a link with a scheme and a host"))
        .await;
    desktop.click("#delete-button").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!desktop.is_visible("#confirm").await, "no confirmation for a bad prefix");
    assert_eq!(sim.count(PATH_DELETE), 0, "no request sent");

    // WeChat refuses: errcode, errmsg and the explanation are shown.
    desktop.type_into("#prefix", "https://a.example.com/1/").await;
    desktop.wait_hidden("#prefix-error").await;
    sim.answer_next(PATH_DELETE, 85066, "illegal prefix");
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Not deleted", |t| t == "Not deleted").await;
    assert_eq!(desktop.find("#result-errcode").await.text().await.unwrap(), "85066");
    assert!(desktop.find("#result-errmsg").await.text().await.unwrap().starts_with("illegal prefix rid: "));
    assert!(desktop.find("#result-meaning").await.text().await.unwrap().contains("not a valid QR code rule"));
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;
    assert_eq!(sim.rules(MP, None).len(), 1);

    // A service account: only service-account mode, with the Mini Program's AppID.
    add_account(&desktop, "Service", "service_account", SA, &secret).await;
    desktop.wait_visible("#target-appid").await;
    desktop.type_into("#target-appid", TARGET).await;
    desktop.click("#rules-refresh").await;
    wait_rows(&desktop, "#rules-table tbody tr", 1).await;
    // A refusal WeChat documents (a third party without permission set 3),
    // with a comma in its errmsg: WeChat's answer and its explanation.
    sim.answer_next(PATH_DELETE, 61007, "api is unauthorized to component, need permission set 3");
    desktop.type_into("#prefix", "http://weixin.qq.com/q/missing").await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Not deleted", |t| t == "Not deleted").await;
    assert_eq!(desktop.find("#result-errcode").await.text().await.unwrap(), "61007");
    assert!(
        desktop.find("#result-errmsg").await.text().await.unwrap().starts_with("api is unauthorized to component,")
    );
    assert!(desktop.find("#result-meaning").await.text().await.unwrap().contains("permission set 3"));
    pick_rule(&desktop, "http://weixin.qq.com/q/e2e1").await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;
    assert!(sim.rules(SA, Some(TARGET)).is_empty());

    // The history holds all four attempts; filters narrow them.
    desktop.click("#tab-history").await;
    wait_rows(&desktop, "#history-table tbody tr", 4).await;
    desktop.select("#filter-mode", "service_account").await;
    desktop.click("#filter-apply").await;
    wait_rows(&desktop, "#history-table tbody tr", 2).await;
    desktop.click("#filter-reset").await;
    wait_rows(&desktop, "#history-table tbody tr", 4).await;
    desktop.select("#filter-status", "failed").await;
    desktop.click("#filter-apply").await;
    wait_rows(&desktop, "#history-table tbody tr", 2).await;
    desktop.select("#filter-status", "").await;
    desktop.select("#filter-account", "Shop").await;
    desktop.type_into("#filter-text", "a.example.com/1").await;
    desktop.click("#filter-apply").await;
    wait_rows(&desktop, "#history-table tbody tr", 2).await;
    desktop.type_into("#filter-text", "").await;
    desktop.select("#filter-account", "Service").await;
    desktop.select("#filter-status", "failed").await;
    desktop.click("#filter-apply").await;
    wait_rows(&desktop, "#history-table tbody tr", 1).await;
    desktop
        .wait_text("#history-table tbody tr", "the failed delete's row", |t| {
            t.contains("q/missing") && t.contains("61007")
        })
        .await;
    desktop.click("#filter-reset").await;
    wait_rows(&desktop, "#history-table tbody tr", 4).await;
    // Dates are the admin's local days, the "to" day included.
    let day = |offset: i64| (chrono::Local::now() + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string();
    let set = "document.getElementById(arguments[0]).value = arguments[1];";
    desktop.client.execute(set, vec!["filter-to".into(), day(-1).into()]).await.unwrap();
    desktop.click("#filter-apply").await;
    wait_rows(&desktop, "#history-table tbody tr", 0).await;
    desktop.wait_visible("#history-empty").await;
    desktop.client.execute(set, vec!["filter-from".into(), day(0).into()]).await.unwrap();
    desktop.client.execute(set, vec!["filter-to".into(), day(0).into()]).await.unwrap();
    desktop.click("#filter-apply").await;
    wait_rows(&desktop, "#history-table tbody tr", 4).await;
    desktop.click("#filter-reset").await;
    wait_rows(&desktop, "#history-table tbody tr", 4).await;

    // Export (the path comes from the environment: the native dialog cannot be driven).
    desktop.click("#export-button").await;
    desktop.wait_text("#history-message", "the export", |t| t.starts_with("Exported 4 record(s)")).await;
    let csv = std::fs::read(&export).unwrap();
    assert!(csv.starts_with("\u{feff}id,action,started_at".as_bytes()));
    let text = String::from_utf8(csv).unwrap();
    assert_eq!(text.matches("\r\n").count(), 5, "header and four records");
    assert!(text.contains("http://weixin.qq.com/q/e2e1") && text.contains(",85066,illegal prefix rid: "));
    // WeChat's errmsg has a comma: the csv crate quotes the field.
    assert!(text.contains(",61007,\"api is unauthorized to component, need permission set 3 rid: "), "{text}");

    // The manifest beside the CSV anchors the history as it was.
    assert!(export_dir.path().join("audit.csv.manifest.json").is_file(), "the export's manifest");
    desktop.click("#verify-against-button").await;
    desktop
        .wait_text("#history-message", "checked against the export", |t| {
            t.starts_with("Verified against the export of")
                && t.contains("all 4 records")
                && t.contains("matches its manifest")
        })
        .await;

    // Integrity: intact, then altered outside the app.
    desktop.click("#verify-button").await;
    let said = desktop.wait_text("#history-message", "intact", |t| t.starts_with("Integrity verified")).await;
    // No credential store on this machine: the window says the history is unsigned.
    assert!(said.contains("no credential store, so the history is unsigned"), "{said}");
    let file = desktop.data_path().join(qrjump::history::FILE_NAME);
    let output = std::process::Command::new("sqlite3")
        .arg(&file)
        .arg("DROP TRIGGER attempts_no_update; UPDATE attempts SET errcode = 0 WHERE errcode = 85066;")
        .output()
        .unwrap();
    assert!(output.status.success());
    desktop.click("#verify-button").await;
    desktop.wait_text("#history-message", "altered", |t| t.contains("FAILED: record 1 was changed")).await;
    desktop.click("#verify-against-button").await;
    desktop
        .wait_text("#history-message", "altered since the export", |t| t.contains("FAILED: record 1 was changed"))
        .await;

    secrets::assert_dir_clean(desktop.data_path());
    secrets::assert_clean("export", &text);
    assert!(desktop.close().await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_call_shows_busy_and_a_broken_answer_is_recorded_as_unknown() {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("e2e-busy");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    for prefix in ["https://b.example.com/1/", "https://b.example.com/2/"] {
        sim.add_rule(
            MP,
            None,
            Rule {
                prefix: prefix.into(),
                path: "pages/b".into(),
                state: 2,
                open_version: Some(3),
                debug_url: Some(vec![]),
                permit_sub_rule: Some(1),
            },
        );
    }
    let desktop = Desktop::launch(english(Some(sim.base_url()), vec![])).await;
    add_account(&desktop, "Shop", "mini_program", MP, &secret).await;
    wait_rows(&desktop, "#rules-table tbody tr", 2).await;

    // While WeChat takes its time: a busy indicator, and no second submit.
    sim.inject(PATH_DELETE, Fault::Delay(std::time::Duration::from_millis(2500)));
    pick_rule(&desktop, "https://b.example.com/1/").await;
    confirm_delete(&desktop).await;
    desktop.wait_visible("#busy").await;
    let button = desktop.find("#delete-button").await;
    assert!(!button.is_enabled().await.unwrap(), "the delete button is disabled while a call runs");
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;
    desktop.wait_hidden("#busy").await;
    assert!(button.is_enabled().await.unwrap());
    assert_eq!(sim.count(PATH_DELETE), 1, "one click, one request");

    // A gateway's HTTP 500: WeChat may or may not have acted, and the app says so.
    sim.inject(PATH_DELETE, Fault::Http500);
    pick_rule(&desktop, "https://b.example.com/2/").await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Outcome unknown", |t| t == "Outcome unknown").await;
    let meaning = desktop.find("#result-meaning").await.text().await.unwrap();
    assert!(meaning.contains("HTTP 500") && meaning.contains("not known"), "{meaning}");
    assert!(desktop.find("#result-todo").await.text().await.unwrap().contains("Refresh the rule list"));
    // "Is it really gone?": the list was read once, and it says.
    let check = desktop.wait_text("#result-check", "the check", |t| t.contains("still in the list")).await;
    assert!(check.contains("did not take effect"), "{check}");

    // The history keeps both deletes and the check, linked to the unknown one.
    desktop.click("#tab-history").await;
    wait_rows(&desktop, "#history-table tbody tr", 3).await;
    let newest = desktop.find("#history-table tbody tr").await.text().await.unwrap();
    assert!(newest.contains("Check") && newest.contains("Checked: still there"), "{newest}");
    let unknown = desktop.find("#history-table tbody tr:nth-child(2)").await.text().await.unwrap();
    assert!(unknown.contains("Unknown") && unknown.contains("Checked: still there"), "{unknown}");
    desktop.click("#history-table tbody tr:nth-child(2) td:nth-child(5)").await;
    let fields = desktop.wait_text("#detail-fields", "the record", |t| t.contains("HTTP error from the server")).await;
    assert!(fields.contains("Unknown") && !fields.contains(&secret), "{fields}");
    let links = desktop.wait_text("#detail-links", "the linked check", |t| t.contains("still there")).await;
    assert!(links.starts_with("Check #"), "{links}");
    desktop.click("#detail-close").await;
    assert!(desktop.close().await);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_language_follows_the_system_and_switches() {
    let options = Options {
        api_base: None,
        env: vec![("LANG".into(), "zh_CN.UTF-8".into()), ("LC_ALL".into(), "zh_CN.UTF-8".into())],
        ..Options::default()
    };
    let desktop = Desktop::launch(options).await;
    desktop.wait_text("#tab-delete", "Chinese", |t| t == "规则").await;
    desktop.wait_text("#rules-status", "Chinese rule count", |t| t.starts_with("共 38 条规则")).await;
    desktop.click("#lang-toggle").await;
    desktop.wait_text("#tab-delete", "English", |t| t == "Rules").await;
    desktop.wait_text("#rules-table tbody tr:first-child td:nth-child(4)", "English state", |t| t == "Published").await;
    desktop.wait_text("#demo-banner", "English banner", |t| t.starts_with("Demo account")).await;
    desktop.click("#lang-toggle").await;
    desktop.wait_text("#tab-history", "Chinese again", |t| t == "历史记录").await;
    assert!(desktop.close().await);
}

/// WebKit sends no change event when a select is set back to the option
/// last picked by hand after the page chose another: the account picker
/// must still switch (the app would act with an account it no longer shows).
#[tokio::test(flavor = "multi_thread")]
async fn the_account_picker_switches_after_the_page_chose_an_account() {
    let desktop = Desktop::launch(english(None, vec![])).await;
    desktop.wait_visible("#rules-table tbody tr").await;
    add_account(&desktop, "Shop", "mini_program", "wx00000000000e2a99", &secrets::app_secret("picker")).await;
    desktop.wait_hidden("#demo-banner").await;
    desktop.select("#account-select", "demo-token-server").await;
    desktop.wait_visible("#demo-banner").await;
    // Saving Shop again selects it: the page sets the picker.
    desktop.click("#tab-accounts").await;
    desktop.click("#account-list li:first-child button:nth-child(2)").await;
    desktop.type_into("#account-name", "Shop renamed").await;
    desktop.click("#account-save").await;
    desktop.wait_text("#account-test-result", "saved", |t| t.contains("\"Shop renamed\" saved")).await;
    desktop.wait_hidden("#demo-banner").await;
    // Picking the token server demo again switches to it.
    desktop.select("#account-select", "demo-token-server").await;
    desktop.wait_visible("#demo-banner").await;
    desktop.click("#tab-delete").await;
    assert!(!desktop.find("#mode-service").await.is_enabled().await.unwrap(), "the token server demo is ordinary-only");
    assert!(desktop.close().await);
}
