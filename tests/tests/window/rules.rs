//! The life of a rule through the real window: added with a test link,
//! its verification file checked where WeChat looks for it, published, its
//! page changed (the confirmation names the three steps and the quota), a
//! rule file applied, and the history showing the linked records.

use qrjump::sim::{AccountKind, Simulator};
use qrjump_tests::desktop::Desktop;
use qrjump_tests::screens::{add_account, english, wait_rows};
use qrjump_tests::web::serve_verification_file;
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000e2d01";

#[tokio::test(flavor = "multi_thread")]
async fn a_rule_is_added_checked_published_and_its_page_changed_in_the_window() {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("e2e-rules");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.add_rule(MP, None, rules::published("https://r.example.com/keep/"));
    // The web site serves WeChat's verification file in the prefix's folder only.
    let (web, file) = serve_verification_file(&sim, MP, "qr/shop").await;
    let name = file.file_name.clone();
    let prefix = format!("http://127.0.0.1:{}/qr/shop/", web.port());
    let files = tempfile::tempdir().unwrap();
    let rule_file = files.path().join("campaign.json");
    let desktop = Desktop::launch(english(
        Some(sim.base_url()),
        vec![("QRJUMP_RULE_SET_PATH".into(), rule_file.display().to_string())],
    ))
    .await;
    add_account(&desktop, "Shop", "mini_program", MP, &secret).await;
    wait_rows(&desktop, "#rules-table tbody tr", 1).await;

    // Add, with a test link: a link outside the prefix is refused next to its field first.
    desktop.click("#rules-add").await;
    desktop.type_into("#rule-prefix", &prefix).await;
    desktop.type_into("#rule-path", "pages/shop/index").await;
    desktop.type_into("#rule-debug-urls", "https://elsewhere.example.com/1").await;
    desktop.click("#rule-check").await;
    desktop.wait_text("#rule-debug-urls-error", "the refusal", |t| t.contains("is not under the rule's prefix")).await;
    desktop.type_into("#rule-debug-urls", &format!("{prefix}1")).await;
    desktop.click("#rule-check").await;
    let plan = desktop.wait_text("#rule-plan", "the plan", |t| t.starts_with("About to add the rule")).await;
    assert!(plan.contains(&format!("test link {prefix}1")), "{plan}");
    assert!(plan.contains("WeChat first checks its verification file there"), "{plan}");
    assert!(desktop.is_visible("#rule-doctor").await, "the first rule of a host offers the file and the doctor");
    desktop.click("#rule-go").await;
    desktop.wait_text("#rule-result-title", "added", |t| t == "Added").await;
    desktop.click("#rule-cancel").await;
    wait_rows(&desktop, "#rules-table tbody tr", 2).await;
    let row = format!("#rules-table tbody tr[data-prefix=\"{prefix}\"]");

    // Adding it again is refused before anything is sent, with the offer to edit it.
    desktop.click("#rules-add").await;
    desktop.type_into("#rule-prefix", &prefix).await;
    desktop.type_into("#rule-path", "pages/other").await;
    desktop.click("#rule-check").await;
    desktop.wait_text("#rule-message", "the refusal", |t| t.contains("85071")).await;
    desktop.click("#rule-edit-instead").await;
    desktop.wait_text("#rule-editor-title", "the editor", |t| t == "Change a rule").await;
    let path = desktop.find("#rule-path").await.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(path, "pages/shop/index");
    desktop.click("#rule-cancel").await;

    // The doctor's checklist: the file is in the prefix's folder, not at the top.
    desktop.click(&format!("{row} .rule-doctor-row")).await;
    let verdict = desktop.wait_text("#doctor-verdict", "the verdict", |t| t.contains("WeChat can fetch it")).await;
    assert!(verdict.contains(&name), "{verdict}");
    let list = desktop.find("#doctor-list").await.text().await.unwrap();
    assert!(list.contains(&format!("{prefix}{name}")) && list.contains("OK"), "{list}");
    assert!(list.contains("Not found") && list.contains("Put ") && list.contains("HTTP 404"), "{list}");
    desktop.click("#doctor-close").await;

    // Publish from the row: the confirmation says what it spends.
    desktop.click(&format!("{row} .rule-publish-row")).await;
    desktop
        .wait_text("#rule-publish-plan", "the plan", |t| t.contains("Spends 1 of this month's publishes (100 left)"))
        .await;
    desktop.click("#rule-publish-ok").await;
    desktop.wait_text("#rule-publish-result-title", "published", |t| t == "Published").await;
    desktop.click("#rule-publish-cancel").await;
    assert!(sim.rules(MP, None).iter().any(|r| r.prefix == prefix && r.state == 2));

    // A new page for the published rule: three steps, named with the quota.
    desktop.wait_text(&format!("{row} td:nth-child(4)"), "published", |t| t == "Published").await;
    desktop.click(&format!("{row} .rule-edit")).await;
    let path = desktop.find("#rule-path").await.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(path, "pages/shop/index", "the editor starts from the rule as it is");
    desktop.type_into("#rule-path", "pages/shop/v2").await;
    desktop.click("#rule-check").await;
    let plan = desktop.wait_text("#rule-plan", "the plan", |t| t.contains("three steps")).await;
    assert!(plan.contains("delete the rule") && plan.contains("(99 left)"), "{plan}");
    desktop.click("#rule-go").await;
    desktop.wait_text("#rule-result-title", "changed", |t| t == "Changed").await;
    let steps = desktop.find("#rule-outcomes").await.text().await.unwrap();
    assert!(
        steps.contains("Step 1: delete") && steps.contains("Step 2: add") && steps.contains("Step 3: publish"),
        "{steps}"
    );
    desktop.click("#rule-cancel").await;
    let held = sim.rules(MP, None).into_iter().find(|r| r.prefix == prefix).unwrap();
    assert_eq!((held.path.as_str(), held.state), ("pages/shop/v2", 2));

    // A rule file: the plan, then applied.
    let campaign = serde_json::json!({
        "format": "qrjump-rules/1", "saved_at": "2026-12-01T00:00:00Z", "account": "test", "mode": "ordinary",
        "target_appid": null, "publishes_left": null, "total": 1,
        "rules": [{ "prefix": "https://r.example.com/keep/", "path": "pages/a", "state": 2, "open_version": 3, "permit_sub_rule": 1, "debug_url": [] },
                  { "prefix": "https://r.example.com/autumn/", "path": "pages/autumn", "state": 2, "open_version": 3, "permit_sub_rule": 1, "debug_url": [] }],
    });
    std::fs::write(&rule_file, serde_json::to_vec(&campaign).unwrap()).unwrap();
    desktop.click("#rules-apply-file").await;
    let plan = desktop.wait_text("#rule-set-plan", "the plan", |t| t.contains("Publishes: 1 needed")).await;
    assert!(
        plan.contains("https://r.example.com/autumn/") && plan.contains(&prefix),
        "adds one, deletes the shop rule: {plan}"
    );
    desktop.click("#rule-set-apply").await;
    desktop.wait_text("#rule-set-result-title", "applied", |t| t == "Applied").await;
    desktop.click("#rule-set-cancel").await;
    wait_rows(&desktop, "#rules-table tbody tr", 2).await;

    // The history: each step a record, linked to the one before.
    desktop.click("#tab-history").await;
    wait_rows(&desktop, "#history-table tbody tr", 8).await;
    let rows = desktop.find("#history-table tbody").await.text().await.unwrap();
    for action in ["Add", "Publish", "Delete"] {
        assert!(rows.contains(action), "{action}: {rows}");
    }
    assert!(desktop.close().await);
}
