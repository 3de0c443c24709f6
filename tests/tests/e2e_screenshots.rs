//! Screenshots of every screen in both languages, for the README. Not a
//! check: run it with scripts/screenshots.sh (release build, docs/screenshots).

use std::path::PathBuf;

use qrjump_tests::desktop::{Desktop, Options};

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
            api_base: None,
            env: vec![("LANG".into(), locale.into()), ("LC_ALL".into(), locale.into())],
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
        desktop.click("#tab-accounts").await;
        desktop.type_into("#account-name", if lang == "en" { "Shop Mini Program" } else { "商城小程序" }).await;
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
