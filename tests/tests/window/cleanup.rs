//! Clean-ups at scale through the real window, driven by WebDriver: a batch
//! of 30 demo rules seen moving, stopped midway and resumed; restores from
//! the history (with and without publish, and with no publishes left); a
//! rule-list backup; and the owner of a prefix found across two accounts.

use std::time::Duration;

use qrjump::sim::{AccountKind, Simulator};
use qrjump_tests::desktop::Desktop;
use qrjump_tests::screens::{add_account, confirm_delete, english, pick_rule, wait_rows};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000e2c01";
const MP2: &str = "wx00000000000e2c02";

async fn number(desktop: &Desktop, css: &str) -> usize {
    desktop.find(css).await.text().await.unwrap().trim().parse().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_of_thirty_moves_stops_midway_and_resumes() {
    let desktop = Desktop::launch(english(None, vec![])).await;
    wait_rows(&desktop, "#rules-table tbody tr", 38).await;
    // The campaign's rules: search, then select all shown.
    desktop.type_into("#rules-search", "/qr/event/2025").await;
    wait_rows(&desktop, "#rules-table tbody tr", 30).await;
    desktop.click("#rules-select-all").await;
    desktop.wait_text("#rules-selected", "30 selected", |t| t == "30 selected").await;
    desktop.click("#batch-delete").await;
    desktop.wait_text("#batch-count", "the count", |t| t.starts_with("30 rule(s) will be deleted")).await;
    assert_eq!(desktop.count("#batch-list li").await, 30);
    // Above ten rules the admin types the number.
    let start = desktop.wait_visible("#batch-start").await;
    assert!(!start.is_enabled().await.unwrap());
    desktop.type_into("#batch-type", "29").await;
    assert!(!start.is_enabled().await.unwrap(), "a wrong number does not confirm");
    desktop.type_into("#batch-type", "30").await;
    assert!(start.is_enabled().await.unwrap());
    desktop.click("#batch-start").await;

    // The progress view moves: done goes up, time left is shown, the current prefix too.
    desktop.wait_visible("#batch-progress").await;
    desktop.wait_text("#batch-done", "a few done", |t| t.parse::<usize>().is_ok_and(|n| (1..16).contains(&n))).await;
    let (early, eta) = (number(&desktop, "#batch-done").await, desktop.find("#batch-eta").await.text().await.unwrap());
    assert!(eta.starts_with("about "), "{eta}");
    let current = desktop.find("#batch-current").await.text().await.unwrap();
    assert!(current.contains("/qr/event/2025/store-"), "{current}");
    desktop.wait_text("#batch-done", "more done", |t| t.parse::<usize>().is_ok_and(|n| n >= early + 3)).await;
    // Stop midway: after the call in flight.
    desktop.click("#batch-cancel").await;
    let summary = desktop.wait_text("#batch-summary", "the summary", |t| t.starts_with("Batch ")).await;
    let done = number(&desktop, "#batch-done").await;
    assert!((early + 3..30).contains(&done), "{summary}");
    assert!(
        summary.contains(&format!("{done} deleted, 0 failed, 0 outcome unknown, {} not sent", 30 - done)),
        "{summary}"
    );
    assert!(desktop.find("#batch-backup").await.text().await.unwrap().contains("backups"), "the backup path is shown");
    desktop.click("#batch-close").await;

    // Offered for resuming, and resumed: every rule deleted, none twice.
    let offer = desktop.wait_text("#unfinished-list", "the unfinished batch", |t| t.contains("never sent")).await;
    assert!(
        offer.contains(&format!("{done} deleted")) && offer.contains(&format!("{} never sent", 30 - done)),
        "{offer}"
    );
    desktop.click("#unfinished-list .batch-resume").await;
    desktop.wait_text("#batch-count", "the resume question", |t| t.starts_with("Resume batch")).await;
    desktop.click("#batch-start").await;
    let summary = desktop.wait_text("#batch-summary", "all done", |t| t.contains("30 deleted")).await;
    assert!(summary.contains("0 failed, 0 outcome unknown, 0 not sent"), "{summary}");
    desktop.click("#batch-close").await;
    desktop.wait_hidden("#unfinished").await;
    desktop.type_into("#rules-search", "").await;
    wait_rows(&desktop, "#rules-table tbody tr", 8).await;

    // The history: thirty deletes of one batch, by batch id.
    let batch = summary.split_whitespace().nth(1).unwrap().trim_end_matches(':').to_owned();
    desktop.click("#tab-history").await;
    desktop.type_into("#filter-batch", &batch).await;
    desktop.click("#filter-apply").await;
    wait_rows(&desktop, "#history-table tbody tr", 30).await;
    let row = desktop.wait_text("#history-table tbody tr", "a row of the batch", |t| t.contains(&batch)).await;
    assert!(row.contains("Delete") && row.contains("Succeeded"), "{row}");
    assert!(desktop.close().await);
}

#[tokio::test(flavor = "multi_thread")]
async fn restore_backup_and_owner_search() {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("e2e-cleanup");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.add_account(MP2, &secret, AccountKind::MiniProgram);
    let [a, b, c] = ["https://r.example.com/a/", "https://r.example.com/b/", "https://r.example.com/c/"];
    for prefix in [a, b, c] {
        sim.add_rule(MP, None, rules::published(prefix));
    }
    sim.add_rule(MP2, None, rules::published("https://brand-b.example.com/qr/"));
    let files = tempfile::tempdir().unwrap();
    let backup = files.path().join("rules.csv");
    let desktop = Desktop::launch(english(
        Some(sim.base_url()),
        vec![
            ("QRJUMP_BACKUP_PATH".into(), backup.display().to_string()),
            ("QRJUMP_RESTORE_PATH".into(), backup.display().to_string()),
        ],
    ))
    .await;
    add_account(&desktop, "Shop", "mini_program", MP, &secret).await;
    wait_rows(&desktop, "#rules-table tbody tr", 3).await;

    // A backup of the whole list, every field.
    desktop.click("#backup-csv").await;
    desktop.wait_text("#backup-message", "saved", |t| t.starts_with("Saved 3 rule(s) to")).await;
    let csv = std::fs::read_to_string(&backup).unwrap();
    assert!(csv.starts_with("\u{feff}prefix,path,state,open_version,permit_sub_rule,debug_url\r\n"), "{csv}");
    for prefix in [a, b, c] {
        assert!(csv.contains(&format!("{prefix},pages/a,2,3,1,\r\n")), "{csv}");
    }

    for (left, prefix) in [(2, a), (1, b)] {
        pick_rule(&desktop, prefix).await;
        confirm_delete(&desktop).await;
        desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;
        // The list is read again after a delete: wait for it.
        wait_rows(&desktop, "#rules-table tbody tr", left).await;
    }

    // Restore without publish: the rule is back, unpublished.
    desktop.click("#tab-history").await;
    wait_rows(&desktop, "#history-table tbody tr", 2).await;
    desktop.click("#history-table tbody tr:nth-child(2) td:nth-child(5)").await;
    desktop.click("#detail-restore").await;
    desktop.wait_text("#restore-quota", "the quota", |t| t.starts_with("100 publish(es) left this month")).await;
    desktop.click("#restore-ok").await;
    desktop.wait_text("#restore-result-title", "restored", |t| t == "Restored").await;
    desktop.click("#restore-cancel").await;
    assert!(sim.rules(MP, None).iter().any(|r| r.prefix == a && r.state == 1));

    // Restore with publish: back and published.
    wait_rows(&desktop, "#history-table tbody tr", 3).await;
    let row = desktop.find("#history-table tbody tr:nth-child(2)").await.text().await.unwrap();
    assert!(row.contains(b), "{row}");
    desktop.click("#history-table tbody tr:nth-child(2) td:nth-child(5)").await;
    desktop.click("#detail-restore").await;
    desktop.wait_text("#restore-quota", "the quota", |t| t.starts_with("100 publish(es)")).await;
    desktop.click("#restore-publish").await;
    desktop.click("#restore-ok").await;
    desktop.wait_text("#restore-result-title", "published", |t| t == "Restored and published").await;
    desktop.click("#restore-cancel").await;
    assert!(sim.rules(MP, None).iter().any(|r| r.prefix == b && r.state == 2));

    // No publishes left this month: said before, and WeChat's 886000 explained after.
    sim.set_publish_quota(MP, 0);
    desktop.click("#tab-delete").await;
    desktop.click("#rules-refresh").await;
    desktop.wait_text("#rules-status", "the new quota", |t| t.contains("0 publish(es) left")).await;
    pick_rule(&desktop, c).await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;
    desktop.click("#tab-history").await;
    wait_rows(&desktop, "#history-table tbody tr", 6).await;
    desktop.click("#history-table tbody tr:first-child td:nth-child(5)").await;
    desktop.click("#detail-restore").await;
    desktop.wait_text("#restore-quota", "none left", |t| t.starts_with("No publishes are left this month")).await;
    desktop.click("#restore-publish").await;
    desktop.click("#restore-ok").await;
    desktop.wait_text("#restore-result-title", "not published", |t| t == "Restored, but not published").await;
    let outcomes = desktop.find("#restore-outcomes").await.text().await.unwrap();
    assert!(outcomes.contains("886000") && outcomes.contains("publish quota"), "{outcomes}");
    desktop.click("#restore-cancel").await;
    // The delete shows it was restored; the restore points at it.
    wait_rows(&desktop, "#history-table tbody tr", 8).await;
    let rows = desktop.find("#history-table tbody").await.text().await.unwrap();
    assert!(rows.contains("Restored (#"), "{rows}");

    // Several rules back from the backup file: those not in the list are ticked.
    desktop.click("#tab-delete").await;
    wait_rows(&desktop, "#rules-table tbody tr", 3).await;
    pick_rule(&desktop, a).await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;
    wait_rows(&desktop, "#rules-table tbody tr", 2).await;
    desktop.click("#backup-restore").await;
    desktop.wait_text("#from-backup-file", "the file", |t| t.contains("(3 rules)")).await;
    let row = |prefix: &str| format!("#from-backup-table tr[data-prefix=\"{prefix}\"] input");
    assert!(desktop.find(&row(a)).await.is_selected().await.unwrap(), "the missing rule is ticked");
    assert!(!desktop.find(&row(b)).await.is_enabled().await.unwrap(), "a rule in the list cannot be ticked");
    desktop.wait_text("#from-backup-ok", "the count", |t| t == "Restore 1 rule(s)").await;
    desktop.click("#from-backup-ok").await;
    let results = desktop.wait_text("#from-backup-results", "the result", |t| t.contains("restored (record #")).await;
    assert!(results.starts_with(a), "{results}");
    desktop.click("#from-backup-close").await;
    assert!(sim.rules(MP, None).iter().any(|r| r.prefix == a && r.state == 1));

    // Which account holds a prefix: searched across both accounts (and the demo).
    add_account(&desktop, "Brand B", "mini_program", MP2, &secret).await;
    desktop.click("#tab-accounts").await;
    desktop.type_into("#owner-prefix", "https://brand-b.example.com/qr/").await;
    desktop.click("#owner-search").await;
    let said = desktop.wait_text("#owner-message", "the answer", |t| t.contains("searched")).await;
    assert!(said.starts_with("1 account(s) have related rules"), "{said}");
    let found = desktop.find("#owner-results tbody tr").await.text().await.unwrap();
    assert!(found.contains("Brand B") && found.contains("This very rule"), "{found}");
    desktop.type_into("#owner-prefix", "https://r.example.com/b/x").await;
    desktop.click("#owner-search").await;
    desktop.wait_text("#owner-results tbody", "the broader rule", |t| t.contains("A broader rule covering it")).await;
    let found = desktop.find("#owner-results tbody").await.text().await.unwrap();
    assert!(found.contains("Shop") && !found.contains("Brand B"), "{found}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    secrets::assert_dir_clean(desktop.data_path());
    assert!(desktop.close().await);
}
