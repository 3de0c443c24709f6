//! The impact of a delete in the real window's confirmation: codes under a
//! prefix that a broader published rule takes over are said to move there
//! (with its page); without one, they stop opening the Mini Program.

use qrjump::sim::{AccountKind, Simulator};
use qrjump::wechat::Rule;
use qrjump_tests::desktop::Desktop;
use qrjump_tests::screens::{add_account, english, pick_rule, wait_rows};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000e4f01";

#[tokio::test(flavor = "multi_thread")]
async fn the_confirmation_says_where_the_codes_go() {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("impact");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.add_rule(MP, None, Rule { path: "pages/shop/index".into(), ..rules::published("https://i.example.com/qr/") });
    sim.add_rule(MP, None, rules::published("https://i.example.com/qr/event/"));
    let desktop = Desktop::launch(english(Some(sim.base_url()), vec![])).await;
    desktop.wait_visible("#rules-table").await;
    add_account(&desktop, "Shop", "mini_program", MP, &secret).await;
    wait_rows(&desktop, "#rules-table tbody tr", 2).await;

    pick_rule(&desktop, "https://i.example.com/qr/event/").await;
    desktop.click("#delete-button").await;
    desktop.wait_visible("#confirm").await;
    let said = desktop
        .wait_text("#confirm-warning", "the rule that takes over", |t| t.contains("broader published rule"))
        .await;
    assert!(said.contains("https://i.example.com/qr/") && said.contains("pages/shop/index"), "{said}");
    desktop.click("#confirm-cancel").await;

    pick_rule(&desktop, "https://i.example.com/qr/").await;
    desktop.click("#delete-button").await;
    desktop.wait_visible("#confirm").await;
    let said = desktop.find("#confirm-warning").await.text().await.unwrap();
    assert_eq!(said, "Once deleted, printed QR codes with this prefix will no longer open the Mini Program.");
    desktop.click("#confirm-cancel").await;
    assert_eq!(sim.rules(MP, None).len(), 2, "nothing deleted");
    assert!(desktop.close().await);
}
