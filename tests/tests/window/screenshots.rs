//! Screenshots of every screen in both languages, for the README. Not a
//! check: run it with scripts/screenshots.sh (release build, docs/screenshots).

use std::path::PathBuf;

use qrjump_tests::desktop::{Desktop, Options};
use qrjump_tests::screens::{drop_images, wait_rows};

async fn shoot(desktop: &Desktop, dir: &std::path::Path, name: &str, lang: &str) {
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    eprintln!("screenshot {name}-{lang}");
    desktop.screenshot(&dir.join(format!("{name}-{lang}.png"))).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes the README's screenshots; run scripts/screenshots.sh"]
async fn screenshots_of_every_screen() {
    let dir = PathBuf::from(std::env::var("QRJUMP_SCREENSHOT_DIR").expect("QRJUMP_SCREENSHOT_DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    for (lang, locale) in [("zh-CN", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")] {
        let desktop = Desktop::launch(Options {
            env: vec![("LANG".into(), locale.into()), ("LC_ALL".into(), locale.into())],
            ..Options::default()
        })
        .await;
        desktop.wait_visible("#rules-table tbody tr").await;
        desktop.click("#rules-table tbody tr[data-prefix=\"https://shop.example.com/qr/coupon/\"] td.prefix").await;
        desktop.click("#delete-button").await;
        desktop.wait_visible("#confirm").await;
        shoot(&desktop, &dir, "confirm", lang).await;
        desktop.click("#confirm-ok").await;
        desktop.wait_visible("#result").await;
        shoot(&desktop, &dir, "delete-success", lang).await;
        desktop.type_into("#prefix", "https://shop.example.com/qr/old-campaign/").await;
        desktop.click("#delete-button").await;
        desktop.click("#confirm-ok").await;
        desktop.wait_text("#result-errcode", "a failure", |t| !t.is_empty()).await;
        shoot(&desktop, &dir, "delete-failure", lang).await;
        desktop.click("#mode-service").await;
        desktop.wait_visible("#rules-table tbody tr[data-prefix^=\"http://weixin\"]").await;
        desktop.type_into("#prefix", "weixin.qq.com/q/x").await;
        desktop.wait_visible("#prefix-error").await;
        shoot(&desktop, &dir, "service-mode-validation", lang).await;
        desktop.click("#tab-history").await;
        desktop.wait_visible("#history-table tbody tr").await;
        desktop.click("#verify-button").await;
        desktop.wait_visible("#history-message").await;
        shoot(&desktop, &dir, "history", lang).await;
        desktop.click("#history-table tbody tr:nth-child(2) td:nth-child(5)").await;
        desktop.wait_visible("#detail").await;
        shoot(&desktop, &dir, "history-detail", lang).await;
        desktop.click("#detail-close").await;

        // Restore the coupon rule deleted above, from its record.
        desktop.type_into("#filter-text", "qr/coupon").await;
        desktop.click("#filter-apply").await;
        desktop.wait_text("#history-table tbody tr", "the coupon delete", |t| t.contains("qr/coupon")).await;
        desktop.click("#history-table tbody tr:first-child td:nth-child(5)").await;
        desktop.click("#detail-restore").await;
        desktop.wait_text("#restore-quota", "the quota", |t| t.contains("100")).await;
        desktop.click("#restore-publish").await;
        shoot(&desktop, &dir, "restore", lang).await;
        desktop.click("#restore-ok").await;
        desktop.wait_visible("#restore-result").await;
        shoot(&desktop, &dir, "restore-done", lang).await;
        desktop.click("#restore-cancel").await;
        desktop.click("#filter-reset").await;

        // A batch: the campaign's 30 rules, selected, confirmed, moving, stopped.
        desktop.click("#tab-delete").await;
        desktop.click("#mode-ordinary").await;
        desktop.type_into("#rules-search", "/qr/event/2025").await;
        desktop.wait_text("#rules-status", "the list", |t| t.contains("38")).await;
        desktop.click("#rules-select-all").await;
        shoot(&desktop, &dir, "batch-selected", lang).await;
        desktop.click("#batch-delete").await;
        desktop.wait_visible("#batch-type").await;
        desktop.type_into("#batch-type", "30").await;
        shoot(&desktop, &dir, "batch-confirm", lang).await;
        desktop.click("#batch-start").await;
        desktop.wait_text("#batch-done", "some done", |t| t.parse::<usize>().is_ok_and(|n| n >= 6)).await;
        desktop.screenshot(&dir.join(format!("batch-progress-{lang}.png"))).await;
        desktop.click("#batch-cancel").await;
        desktop.wait_visible("#batch-summary").await;
        shoot(&desktop, &dir, "batch-stopped", lang).await;
        desktop.click("#batch-close").await;
        desktop.wait_visible("#unfinished").await;
        shoot(&desktop, &dir, "batch-unfinished", lang).await;

        desktop.click("#tab-accounts").await;
        desktop.type_into("#owner-prefix", "https://shop.example.com/qr/event/2025/store-29/").await;
        desktop.click("#owner-search").await;
        desktop.wait_visible("#owner-results-wrap").await;
        shoot(&desktop, &dir, "owner-search", lang).await;
        desktop.type_into("#account-name", if lang == "en" { "Shop Mini Program" } else { "商城小程序" }).await;
        desktop.client.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
        shoot(&desktop, &dir, "accounts", lang).await;
        desktop.click("#about-button").await;
        shoot(&desktop, &dir, "about", lang).await;
        // The smallest window the app allows, with the delete screen.
        desktop.client.set_window_size(800, 600).await.expect("resize the window to 800x600");
        desktop.click("#tab-delete").await;
        shoot(&desktop, &dir, "small-window", lang).await;
        assert!(desktop.close().await);
    }
}

/// The dialogs that open a file: native file dialogs cannot be driven, and
/// only debug builds take the file from the environment instead, so these
/// come from the debug build.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes the README's screenshots; run scripts/screenshots.sh"]
async fn screenshots_of_the_file_dialogs() {
    let dir = PathBuf::from(std::env::var("QRJUMP_SCREENSHOT_DIR").expect("QRJUMP_SCREENSHOT_DIR"));
    let files = tempfile::tempdir().unwrap();
    for (lang, locale) in [("zh-CN", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")] {
        let backup = files.path().join(format!("rules-{lang}.json")).display().to_string();
        let desktop = Desktop::launch(Options {
            api_base: None,
            env: vec![
                ("LANG".into(), locale.into()),
                ("LC_ALL".into(), locale.into()),
                ("QRJUMP_BACKUP_PATH".into(), backup.clone()),
                ("QRJUMP_RESTORE_PATH".into(), backup),
            ],
            binary: Some(qrjump_tests::workspace_bin("qrjump-admin")),
            ..Options::default()
        })
        .await;
        desktop.wait_visible("#rules-table tbody tr").await;
        desktop.click("#backup-json").await;
        desktop.wait_visible("#backup-message").await;
        // A few rules gone since the backup: those are offered.
        desktop.type_into("#rules-search", "/qr/event/2025/store-0").await;
        desktop.click("#rules-select-all").await;
        desktop.click("#batch-delete").await;
        desktop.click("#batch-start").await;
        desktop.wait_text("#batch-summary", "done", |t| t.contains('9')).await;
        desktop.click("#batch-close").await;
        desktop.type_into("#rules-search", "").await;
        desktop.click("#backup-restore").await;
        desktop.wait_visible("#from-backup-table tbody tr").await;
        shoot(&desktop, &dir, "restore-from-backup", lang).await;
        assert!(desktop.close().await);
    }
}

/// "Look up a code" with dropped images and typed links, and the impact on
/// the demo's printed codes in the single and batch confirmations. The
/// printed codes are imported through the file dialog: the debug build.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes the README's screenshots; run scripts/screenshots.sh"]
async fn screenshots_of_the_code_checker() {
    let dir = PathBuf::from(std::env::var("QRJUMP_SCREENSHOT_DIR").expect("QRJUMP_SCREENSHOT_DIR"));
    let files = tempfile::tempdir().unwrap();
    let printed = files.path().join("印刷清单-printed-codes.csv");
    let mut csv = String::from("门店 store,二维码链接 link\n");
    for (i, path) in [
        "coupon/A1",
        "coupon/A2",
        "coupon/B7",
        "store/0731",
        "store/0815",
        "product/tea-01",
        "event/2025/store-01/poster",
        "event/2025/store-01/table-3",
        "event/2025/store-04/door",
    ]
    .iter()
    .enumerate()
    {
        csv.push_str(&format!("{:03},https://shop.example.com/qr/{path}\n", i + 1));
    }
    std::fs::write(&printed, csv).unwrap();
    let sticker = files.path().join("sticker.png");
    qrjump_tests::qr_png("https://shop.example.com/qr/coupon/A2", &sticker);
    let poster = files.path().join("poster.png");
    qrjump_tests::qr_png("https://shop.example.com/qr/event/2026-spring/poster", &poster);
    let blank = files.path().join("IMG_2041.png");
    image::GrayImage::from_pixel(240, 180, image::Luma([235])).save(&blank).unwrap();
    for (lang, locale) in [("zh-CN", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")] {
        let desktop = Desktop::launch(Options {
            env: vec![
                ("LANG".into(), locale.into()),
                ("LC_ALL".into(), locale.into()),
                ("QRJUMP_PRINTED_PATH".into(), printed.display().to_string()),
            ],
            binary: Some(qrjump_tests::workspace_bin("qrjump-admin")),
            ..Options::default()
        })
        .await;
        desktop.wait_visible("#rules-table tbody tr").await;
        desktop.click("#tab-lookup").await;
        desktop.click("#printed-import").await;
        desktop.wait_visible("#printed-forget").await;
        desktop
            .type_into(
                "#lookup-links",
                "http://shop.example.com/qr/store/0731\u{E007}https://m.example.net/pay?shop=42",
            )
            .await;
        desktop.click("#lookup-run").await;
        wait_rows(&desktop, "#lookup-results tbody tr", 2).await;
        let read = |path: &std::path::Path| std::fs::read(path).unwrap();
        drop_images(
            &desktop,
            &[("sticker.png", read(&sticker)), ("poster.png", read(&poster)), ("IMG_2041.png", read(&blank))],
        )
        .await;
        desktop.wait_visible("#lookup-results tbody tr[data-reason=\"unpublished\"]").await;
        shoot(&desktop, &dir, "lookup-code", lang).await;
        desktop.click("#tab-lookup").await;
        desktop.client.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
        shoot(&desktop, &dir, "lookup-code-top", lang).await;

        desktop.click("#tab-delete").await;
        desktop.click("#rules-table tbody tr[data-prefix=\"https://shop.example.com/qr/coupon/\"] td.prefix").await;
        desktop.click("#delete-button").await;
        desktop.wait_visible("#confirm-impact details").await;
        desktop.click("#confirm-impact details summary").await;
        shoot(&desktop, &dir, "confirm-impact", lang).await;
        desktop.click("#confirm-cancel").await;

        desktop.type_into("#rules-search", "/qr/event/2025/store-0").await;
        desktop.click("#rules-select-all").await;
        desktop.click("#batch-delete").await;
        desktop.wait_visible("#batch-impact details").await;
        desktop.click("#batch-impact details summary").await;
        shoot(&desktop, &dir, "batch-impact", lang).await;
        desktop.click("#batch-close").await;
        assert!(desktop.close().await);
    }
}

/// The token server and route forms, and a whitelist refusal explained,
/// against a simulator of the test's own (the demo's cannot enforce a
/// whitelist from outside).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes the README's screenshots; run scripts/screenshots.sh"]
async fn screenshots_of_the_credential_forms() {
    use qrjump::sim::{AccountKind, Simulator, TOKEN_SERVER_HEADER};
    use qrjump_tests::screens::choose;
    const SA: &str = "wx5e7c1ce0a0000002";
    const MP: &str = "wx5e7c1ce0a0000001";
    let dir = PathBuf::from(std::env::var("QRJUMP_SCREENSHOT_DIR").expect("QRJUMP_SCREENSHOT_DIR"));
    for (lang, locale) in [("zh-CN", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")] {
        let sim = Simulator::start().unwrap();
        sim.add_account(SA, "screenshot-secret", AccountKind::ServiceAccount);
        sim.serve_token_server("screenshot-key");
        sim.add_rule(SA, Some(MP), qrjump_tests::rules::published("http://weixin.qq.com/q/02MemberCard"));
        sim.enforce_ip_whitelist(SA, &["203.0.113.80"]);
        let desktop = Desktop::launch(Options {
            api_base: Some(sim.base_url()),
            env: vec![("LANG".into(), locale.into()), ("LC_ALL".into(), locale.into())],
            ..Options::default()
        })
        .await;
        desktop.wait_visible("#rules-table").await;
        desktop.click("#tab-accounts").await;
        let name = if lang == "en" { "Company token server" } else { "公司中控服务器" };
        desktop.type_into("#server-name", name).await;
        desktop.type_into("#server-url", &sim.token_server_url()).await;
        choose(&desktop, "server-preset", "code_data").await;
        desktop.type_into("#server-header-name", TOKEN_SERVER_HEADER).await;
        desktop.type_into("#server-header-value", "screenshot-key").await;
        desktop.type_into("#server-stale", "stale").await;
        desktop.click("#server-save").await;
        desktop.wait_visible("#server-result").await;
        // The server's form filled in again, as an admin would see it while adding one.
        desktop.type_into("#server-name", if lang == "en" { "Service provider" } else { "服务商平台" }).await;
        desktop.type_into("#server-url", "https://open.provider.example/api/authorizer_token?appid={appid}").await;
        choose(&desktop, "server-preset", "data_camel").await;
        desktop.type_into("#server-header-name", "Authorization").await;
        desktop.click("#server-platform").await;
        desktop.type_into("#bulk-appids", "wx1a2b3c4d5e6f7a8b, wx9f8e7d6c5b4a3f2e").await;
        let servers = "document.querySelector('.grid-2.servers').scrollIntoView(); window.scrollBy(0, -72);";
        desktop.client.execute(servers, vec![]).await.unwrap();
        shoot(&desktop, &dir, "token-servers", lang).await;

        let account = if lang == "en" { "Member service account" } else { "会员服务号" };
        desktop.type_into("#account-name", account).await;
        choose(&desktop, "account-kind", "token_server").await;
        desktop.select("#account-serves", "service_account").await;
        desktop.type_into("#account-appid", SA).await;
        desktop.click("#account-route-details summary").await;
        choose(&desktop, "account-route", "proxy").await;
        desktop.type_into("#account-route-url", "http://proxy.corp.example:3128").await;
        desktop.type_into("#account-proxy-user", "ops").await;
        desktop.client.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
        shoot(&desktop, &dir, "account-token-server", lang).await;
        let centre = "document.getElementById('account-route-details').scrollIntoView({block: 'center'})";
        desktop.client.execute(centre, vec![]).await.unwrap();
        shoot(&desktop, &dir, "account-route", lang).await;
        choose(&desktop, "account-route", "direct").await;
        desktop.click("#account-save").await;
        desktop.wait_visible("#account-test-result").await;

        desktop.click("#tab-delete").await;
        desktop.wait_visible("#target-appid").await;
        desktop.type_into("#target-appid", MP).await;
        desktop.type_into("#prefix", "http://weixin.qq.com/q/02MemberCard").await;
        desktop.click("#delete-button").await;
        desktop.click("#confirm-ok").await;
        desktop.wait_text("#result-errcode", "40164", |t| t == "40164").await;
        shoot(&desktop, &dir, "whitelist-40164", lang).await;
        assert!(desktop.close().await);
    }
}

/// The dark theme (as the system's: GTK_THEME=Adwaita:dark), and the page
/// at 150% in the smallest window.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes the README's screenshots; run scripts/screenshots.sh"]
async fn screenshots_of_the_dark_theme_and_zoom() {
    let dir = PathBuf::from(std::env::var("QRJUMP_SCREENSHOT_DIR").expect("QRJUMP_SCREENSHOT_DIR"));
    for (lang, locale) in [("zh-CN", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")] {
        let desktop = Desktop::launch(Options {
            env: vec![
                ("LANG".into(), locale.into()),
                ("LC_ALL".into(), locale.into()),
                ("GTK_THEME".into(), "Adwaita:dark".into()),
            ],
            ..Options::default()
        })
        .await;
        desktop.wait_visible("#rules-table tbody tr").await;
        desktop.click("#rules-table tbody tr[data-prefix=\"https://shop.example.com/qr/store/\"] td.prefix").await;
        desktop.click("#delete-button").await;
        desktop.wait_visible("#confirm").await;
        shoot(&desktop, &dir, "dark-confirm", lang).await;
        desktop.click("#confirm-ok").await;
        desktop.wait_visible("#result").await;
        shoot(&desktop, &dir, "dark-delete", lang).await;
        desktop.click("#tab-history").await;
        desktop.wait_visible("#history-table tbody tr").await;
        shoot(&desktop, &dir, "dark-history", lang).await;
        assert!(desktop.close().await);

        let desktop = Desktop::launch(Options {
            env: vec![("LANG".into(), locale.into()), ("LC_ALL".into(), locale.into())],
            ..Options::default()
        })
        .await;
        desktop.wait_visible("#rules-table tbody tr").await;
        desktop.client.set_window_size(800, 600).await.expect("resize the window to 800x600");
        let body = desktop.find("body").await;
        for _ in 0..3 {
            body.send_keys("\u{E009}=\u{E000}").await.unwrap();
        }
        shoot(&desktop, &dir, "zoom-150", lang).await;
        assert!(desktop.close().await);
    }
}

/// The team history: its connection form, and the team view with records
/// from this computer and another, on a real PostgreSQL.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes the README's screenshots; run scripts/screenshots.sh"]
async fn screenshots_of_the_team_history() {
    use qrjump_tests::postgres::{DATABASE, PASSWORD, Postgres};
    let dir = PathBuf::from(std::env::var("QRJUMP_SCREENSHOT_DIR").expect("QRJUMP_SCREENSHOT_DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    for (lang, locale) in [("zh-CN", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")] {
        let pg = Postgres::start();
        let desktop = Desktop::launch(Options {
            env: vec![("LANG".into(), locale.into()), ("LC_ALL".into(), locale.into())],
            ..Options::default()
        })
        .await;
        desktop.wait_visible("#rules-table tbody tr").await;
        desktop.click("#tab-history").await;
        desktop.click("#scope-team").await;
        desktop.wait_visible("#team-form").await;
        desktop.type_into("#team-host", "127.0.0.1").await;
        desktop.type_into("#team-port", &pg.port().to_string()).await;
        desktop.type_into("#team-database", DATABASE).await;
        desktop.type_into("#team-user", "qrjump").await;
        desktop.type_into("#team-password", PASSWORD).await;
        shoot(&desktop, &dir, "team-settings", lang).await;
        desktop.click("#team-save").await;
        desktop.wait_hidden("#team-form").await;

        // Three deletes here; then records from the finance team's computer.
        desktop.click("#tab-delete").await;
        for prefix in
            ["https://shop.example.com/qr/coupon/", "https://shop.example.com/qr/store/", "https://m.example.com/scan/"]
        {
            desktop.click(&format!("#rules-table tbody tr[data-prefix=\"{prefix}\"] td.prefix")).await;
            desktop.click("#delete-button").await;
            desktop.click("#confirm-ok").await;
            desktop.wait_visible("#result").await;
        }
        // The pushes run beside the window: copy once all three arrived.
        for _ in 0..200 {
            if pg.sql("SELECT count(*) FROM qrjump_records").trim() == "3" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        pg.sql(
            "INSERT INTO qrjump_records SELECT 'finance', local_id + 100, 'FINANCE-PC', action,
                replace(started_at, 'T', 'T'), finished_at, status, account_name, caller_appid, mode,
                replace(prefix, 'shop.', 'pay.'), target_appid, errcode, errmsg, explanation, error_kind,
                duration_ms, 'li.lei', app_version, rule_snapshot, demo, related_id, batch_id, conclusion,
                chain_seq, hash_version, hash
             FROM qrjump_records",
        );
        desktop.click("#tab-history").await;
        desktop.click("#scope-team").await;
        desktop.click("#team-apply").await;
        wait_rows(&desktop, "#team-table tbody tr", 6).await;
        desktop.wait_text("#team-status", "pushed", |t| !t.is_empty()).await;
        shoot(&desktop, &dir, "team-view", lang).await;
        assert!(desktop.close().await);
    }
}

/// The life of a rule: the editor with its checked plan, the doctor's
/// checklist against a real local web site, a published rule's new page
/// (three steps), and a rule file's plan. Debug build: the rule file comes
/// through the environment.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes the README's screenshots; run scripts/screenshots.sh"]
async fn screenshots_of_the_rules_screen() {
    use qrjump::sim::{AccountKind, DEMO_MINI_PROGRAM, Simulator};

    let dir = PathBuf::from(std::env::var("QRJUMP_SCREENSHOT_DIR").expect("QRJUMP_SCREENSHOT_DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    // The demo's verification file (WeChat's is fixed per account; the
    // simulator derives it from the AppID), served in the shop's folder only.
    let sim = Simulator::start().unwrap();
    sim.add_account(DEMO_MINI_PROGRAM.0, DEMO_MINI_PROGRAM.1, AccountKind::MiniProgram);
    let (web, _) = qrjump_tests::web::serve_verification_file(&sim, DEMO_MINI_PROGRAM.0, "qr/shop").await;
    let prefix = format!("http://127.0.0.1:{}/qr/shop/", web.port());
    let files = tempfile::tempdir().unwrap();
    let rule_file = files.path().join("campaign-2026.json");
    for (lang, locale) in [("zh-CN", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")] {
        let desktop = Desktop::launch(Options {
            env: vec![
                ("LANG".into(), locale.into()),
                ("LC_ALL".into(), locale.into()),
                ("QRJUMP_BACKUP_PATH".into(), rule_file.display().to_string()),
                ("QRJUMP_RULE_SET_PATH".into(), rule_file.display().to_string()),
            ],
            binary: Some(qrjump_tests::workspace_bin("qrjump-admin")),
            ..Options::default()
        })
        .await;
        wait_rows(&desktop, "#rules-table tbody tr", 38).await;
        shoot(&desktop, &dir, "rules", lang).await;
        desktop.click("#rules-add").await;
        desktop.type_into("#rule-prefix", &prefix).await;
        desktop.type_into("#rule-path", "pages/shop/index").await;
        desktop.type_into("#rule-debug-urls", &format!("{prefix}table-1")).await;
        desktop.click("#rule-publish").await;
        desktop.click("#rule-check").await;
        desktop.wait_visible("#rule-plan").await;
        shoot(&desktop, &dir, "rule-add", lang).await;
        desktop.click("#rule-go").await;
        desktop.wait_visible("#rule-result").await;
        desktop.click("#rule-cancel").await;
        wait_rows(&desktop, "#rules-table tbody tr", 39).await;
        desktop.click(&format!("#rules-table tbody tr[data-prefix=\"{prefix}\"] .rule-doctor-row")).await;
        desktop.wait_visible("#doctor-list li").await;
        shoot(&desktop, &dir, "doctor", lang).await;
        desktop.click("#doctor-close").await;
        desktop.click("#rules-table tbody tr[data-prefix=\"https://shop.example.com/qr/store/\"] .rule-edit").await;
        desktop.type_into("#rule-path", "pages/store/v2").await;
        desktop.click("#rule-check").await;
        desktop.wait_visible("#rule-plan").await;
        shoot(&desktop, &dir, "rule-change", lang).await;
        desktop.click("#rule-cancel").await;
        // A rule file: the list as it is, less the campaign that ended.
        desktop.click("#backup-json").await;
        desktop.wait_visible("#backup-message").await;
        let mut saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&rule_file).unwrap()).unwrap();
        let rules = saved["rules"].as_array_mut().unwrap();
        rules.retain(|r| !r["prefix"].as_str().unwrap().contains("/qr/event/2025/store-0"));
        std::fs::write(&rule_file, serde_json::to_vec_pretty(&saved).unwrap()).unwrap();
        desktop.click("#rules-apply-file").await;
        desktop.wait_visible("#rule-set-apply").await;
        shoot(&desktop, &dir, "rule-set", lang).await;
        assert!(desktop.close().await);
    }
}

/// IT's side: a setting policy fixed (the team database, locked) and the
/// update prompt, offered by the feed policy names.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes the README's screenshots; run scripts/screenshots.sh"]
async fn screenshots_of_policy_and_updates() {
    let dir = PathBuf::from(std::env::var("QRJUMP_SCREENSHOT_DIR").expect("QRJUMP_SCREENSHOT_DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    let notes = "- 规则：新增、修改、发布，以及从文件应用规则集 · Rules: add, edit, publish, and apply a rule set from a file\n- IT：MSI、签名、策略与签名更新 · IT: an MSI, signed programs, policy and signed updates";
    let feed = super::update::signed_feed(notes);
    let policy_dir = tempfile::tempdir().unwrap();
    let env = super::update::with_feed(&feed, policy_dir.path());
    let policy = policy_dir.path().join("policy.json");
    let json = serde_json::json!({
        "update_url": feed.url(), "locked": 1,
        "team_database_url": "postgres://auditor@audit-db.corp.example:5432/qrjump?sslmode=require",
    });
    std::fs::write(&policy, json.to_string()).unwrap();
    for (lang, locale) in [("zh-CN", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")] {
        let mut env = env.clone();
        env.extend([("LANG".into(), locale.into()), ("LC_ALL".into(), locale.into())]);
        let desktop = Desktop::launch(Options {
            env,
            binary: Some(qrjump_tests::workspace_bin("qrjump-admin")),
            ..Options::default()
        })
        .await;
        wait_rows(&desktop, "#rules-table tbody tr", 38).await;
        desktop.wait_visible("#update-banner").await;
        desktop.click("#update-open").await;
        desktop.wait_visible("#update").await;
        shoot(&desktop, &dir, "update", lang).await;
        desktop.click("#update-later").await;
        desktop.click("#tab-history").await;
        desktop.click("#scope-team").await;
        desktop.click("#team-settings-button").await;
        desktop.wait_visible("#team-policy-note").await;
        shoot(&desktop, &dir, "policy-locked", lang).await;
        assert!(desktop.close().await);
    }
}
