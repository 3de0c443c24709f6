//! WCAG 2.1 AA in the real window: axe-core finds no serious or critical
//! violation on any screen or dialog, in both languages, in the light and
//! the dark theme (GTK_THEME=Adwaita:dark makes WebKitGTK report a dark
//! preference); and the keyboard walk works: Tab to the prefix, Enter on
//! delete, Tab kept inside the confirmation, Escape, focus back; arrows move
//! between the tabs and the modes.

use qrjump_tests::a11y::{ENTER, ESCAPE, RIGHT, SHIFT_TAB, TAB, focus_inside, focused_id, press, serious_violations};
use qrjump_tests::desktop::{Desktop, Options};
use qrjump_tests::screens::{english, pick_rule, wait_rows};

async fn check(desktop: &Desktop, what: &str, found: &mut Vec<String>) {
    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    for violation in serious_violations(desktop).await {
        found.push(format!("{what}: {violation}"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_serious_violation_on_any_screen_or_dialog() {
    let files = tempfile::tempdir().unwrap();
    let printed = files.path().join("printed.txt");
    std::fs::write(&printed, "https://shop.example.com/qr/coupon/1\nhttps://shop.example.com/qr/coupon/2\nhttps://shop.example.com/qr/store/7\n").unwrap();
    let mut found = Vec::new();
    // A newer version offered, for the banner and the update dialog.
    let feed = super::update::signed_feed("- Signed updates.");
    let offered = super::update::with_feed(&feed, files.path());
    for (lang, locale) in [("zh-CN", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")] {
        for theme in ["light", "dark"] {
            let backup = files.path().join(format!("rules-{lang}-{theme}.json")).display().to_string();
            let mut env = vec![
                ("LANG".to_owned(), locale.to_owned()),
                ("LC_ALL".to_owned(), locale.to_owned()),
                ("QRJUMP_BACKUP_PATH".to_owned(), backup.clone()),
                ("QRJUMP_RESTORE_PATH".to_owned(), backup),
                ("QRJUMP_PRINTED_PATH".to_owned(), printed.display().to_string()),
            ];
            env.extend(offered.iter().cloned());
            if theme == "dark" {
                env.push(("GTK_THEME".to_owned(), "Adwaita:dark".to_owned()));
            }
            let desktop = Desktop::launch(Options { env, ..Options::default() }).await;
            let at = |screen: &str| format!("{lang}/{theme}/{screen}");
            wait_rows(&desktop, "#rules-table tbody tr", 38).await;
            let background = desktop
                .client
                .execute("return getComputedStyle(document.documentElement).backgroundColor", vec![])
                .await
                .unwrap();
            let expected = if theme == "dark" { "rgb(18, 20, 23)" } else { "rgb(244, 246, 248)" };
            assert_eq!(background.as_str(), Some(expected), "{theme} theme");
            check(&desktop, &at("delete"), &mut found).await;

            // The checker with its answers, and the demo's printed codes for the confirmation.
            desktop.click("#tab-lookup").await;
            desktop.click("#printed-import").await;
            desktop.wait_visible("#printed-forget").await;
            desktop
                .type_into("#lookup-links", "https://shop.example.com/qr/coupon/9\u{E007}http://shop.example.com/qr/coupon/9\u{E007}https://nobody.example.com/")
                .await;
            desktop.click("#lookup-run").await;
            wait_rows(&desktop, "#lookup-results tbody tr", 3).await;
            check(&desktop, &at("check"), &mut found).await;
            desktop.click("#tab-delete").await;

            pick_rule(&desktop, "https://shop.example.com/qr/coupon/").await;
            desktop.click("#delete-button").await;
            desktop.wait_visible("#confirm").await;
            desktop.wait_visible("#confirm-impact details").await;
            check(&desktop, &at("confirm"), &mut found).await;
            desktop.click("#confirm-ok").await;
            desktop.wait_visible("#result").await;
            check(&desktop, &at("result"), &mut found).await;

            // The life of a rule: the editor with its checked plan, a publish, the doctor.
            desktop.click("#rules-add").await;
            desktop.type_into("#rule-prefix", "https://shop.example.com/qr/a11y/").await;
            desktop.type_into("#rule-path", "pages/a11y").await;
            desktop.click("#rule-check").await;
            desktop.wait_visible("#rule-plan").await;
            check(&desktop, &at("rule-editor"), &mut found).await;
            desktop.click("#rule-cancel").await;
            desktop.click("#rules-table tbody .rule-publish-row").await;
            desktop.wait_visible("#rule-publish-ok").await;
            check(&desktop, &at("publish"), &mut found).await;
            desktop.click("#rule-publish-cancel").await;
            desktop.click("#rules-table tbody tr:first-child .rule-doctor-row").await;
            desktop.wait_text("#doctor-verdict", "the verdict", |t| t.contains("85069")).await;
            check(&desktop, &at("doctor"), &mut found).await;
            desktop.click("#doctor-close").await;

            desktop.type_into("#rules-search", "/qr/event/2025/store-0").await;
            desktop.click("#rules-select-all").await;
            desktop.click("#batch-delete").await;
            desktop.wait_visible("#batch").await;
            check(&desktop, &at("batch"), &mut found).await;
            desktop.click("#batch-close").await;
            desktop.type_into("#rules-search", "").await;

            desktop.click("#backup-json").await;
            desktop.wait_visible("#backup-message").await;
            desktop.click("#backup-restore").await;
            desktop.wait_visible("#from-backup").await;
            check(&desktop, &at("restore-from-backup"), &mut found).await;
            desktop.click("#from-backup-close").await;

            desktop.click("#tab-history").await;
            desktop.wait_visible("#history-table tbody tr").await;
            check(&desktop, &at("history"), &mut found).await;
            desktop.click("#history-table tbody tr:first-child td:nth-child(5)").await;
            desktop.wait_visible("#detail").await;
            check(&desktop, &at("record"), &mut found).await;
            desktop.click("#detail-restore").await;
            desktop.wait_visible("#restore").await;
            check(&desktop, &at("restore"), &mut found).await;
            desktop.click("#restore-cancel").await;
            if desktop.is_visible("#detail").await {
                desktop.click("#detail-close").await;
            }

            desktop.click("#update-open").await;
            desktop.wait_visible("#update").await;
            check(&desktop, &at("update"), &mut found).await;
            desktop.click("#update-later").await;

            desktop.click("#tab-accounts").await;
            check(&desktop, &at("accounts"), &mut found).await;
            desktop.click("#about-button").await;
            desktop.click("#copy-diagnostics").await;
            desktop.wait_visible("#diagnostics").await;
            check(&desktop, &at("about"), &mut found).await;
            assert!(desktop.close().await);
        }
    }
    assert!(found.is_empty(), "serious or critical violations:\n{}", found.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keyboard_walk() {
    let desktop = Desktop::launch(english(None, vec![])).await;
    wait_rows(&desktop, "#rules-table tbody tr", 38).await;
    // Tab from the top of the page to the prefix field.
    desktop.client.execute("document.activeElement && document.activeElement.blur()", vec![]).await.unwrap();
    let mut reached = false;
    for _ in 0..30 {
        press(&desktop, TAB).await;
        if focused_id(&desktop).await == "prefix" {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached the prefix field");
    press(&desktop, "https://shop.example.com/qr/store/").await;
    press(&desktop, TAB).await;
    assert_eq!(focused_id(&desktop).await, "delete-button");
    press(&desktop, ENTER).await;
    desktop.wait_visible("#confirm").await;
    assert!(focus_inside(&desktop, "#confirm").await, "focus moved into the confirmation");
    for _ in 0..6 {
        press(&desktop, TAB).await;
        assert!(focus_inside(&desktop, "#confirm").await, "Tab left the confirmation");
    }
    for _ in 0..3 {
        press(&desktop, SHIFT_TAB).await;
        assert!(focus_inside(&desktop, "#confirm").await, "Shift+Tab left the confirmation");
    }
    press(&desktop, ESCAPE).await;
    desktop.wait_hidden("#confirm").await;
    assert_eq!(focused_id(&desktop).await, "delete-button", "focus returns to what opened the dialog");

    // Enter on a rule of the list picks it, as before.
    pick_rule(&desktop, "https://shop.example.com/qr/coupon/").await;

    // The modes: a radio group, arrows move the choice.
    desktop.click("#mode-ordinary").await;
    press(&desktop, RIGHT).await;
    assert_eq!(focused_id(&desktop).await, "mode-service");
    let checked = desktop.find("#mode-service").await.attr("aria-checked").await.unwrap();
    assert_eq!(checked.as_deref(), Some("true"));
    desktop.wait_visible("#target-appid").await;

    // The tabs: arrows move between them and show their view.
    desktop.click("#tab-delete").await;
    press(&desktop, RIGHT).await;
    assert_eq!(focused_id(&desktop).await, "tab-lookup");
    desktop.wait_visible("#view-lookup").await;
    let selected = desktop.find("#tab-lookup").await.attr("aria-selected").await.unwrap();
    assert_eq!(selected.as_deref(), Some("true"));
    assert!(desktop.close().await);
}
