//! A company token server through the real window, driven by WebDriver:
//! defined once, an account added on it, "Test connection", a delete with
//! its token, then a service account on it meeting WeChat's IP whitelist.

use qrjump::sim::{AccountKind, Simulator, TOKEN_SERVER_HEADER};
use qrjump::wechat::{PATH_DELETE, PATH_STABLE_TOKEN};
use qrjump_tests::desktop::Desktop;
use qrjump_tests::screens::{choose, confirm_delete, english, pick_rule, wait_rows};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000e3d01";
const SA: &str = "wx00000000000e3d02";
const KEY: &str = "TESTSECRET-e2e-server-key";

/// Defines the token server on the accounts screen.
pub async fn add_server(desktop: &Desktop, sim: &Simulator) {
    desktop.click("#tab-accounts").await;
    desktop.type_into("#server-name", "Company token server").await;
    desktop.type_into("#server-url", &sim.token_server_url()).await;
    choose(desktop, "server-preset", "code_data").await;
    assert_eq!(
        desktop.find("#server-pointer").await.prop("value").await.unwrap().as_deref(),
        Some("/data/access_token")
    );
    desktop.type_into("#server-header-name", TOKEN_SERVER_HEADER).await;
    desktop.type_into("#server-header-value", KEY).await;
    desktop.type_into("#server-stale", "stale").await;
    desktop.click("#server-save").await;
    desktop.wait_text("#server-result", "saved", |t| t.contains("\"Company token server\" saved")).await;
}

/// Adds an account on the (only) token server.
async fn add_on_server(desktop: &Desktop, name: &str, serves: &str, appid: &str) {
    desktop.type_into("#account-name", name).await;
    choose(desktop, "account-kind", "token_server").await;
    desktop.wait_visible("#account-server").await;
    assert!(!desktop.is_visible("#account-secret").await, "no AppSecret for a token server account");
    desktop.select("#account-serves", serves).await;
    desktop.type_into("#account-appid", appid).await;
    desktop.click("#account-save").await;
    let saved = format!("\"{name}\" saved");
    desktop.wait_text("#account-test-result", "saved", |t| t.contains(&saved)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_server_account_tests_deletes_and_meets_the_whitelist() {
    let sim = Simulator::start().unwrap();
    sim.add_account(MP, &secrets::app_secret("e2e-mp"), AccountKind::MiniProgram);
    sim.add_account(SA, &secrets::app_secret("e2e-sa"), AccountKind::ServiceAccount);
    sim.serve_token_server(KEY);
    for prefix in ["https://e.example.com/qr/1/", "https://e.example.com/qr/2/"] {
        sim.add_rule(MP, None, rules::published(prefix));
    }
    sim.add_rule(SA, Some(MP), rules::published("http://weixin.qq.com/q/02e2eWhite"));
    let desktop = Desktop::launch(english(Some(sim.base_url()), vec![])).await;
    desktop.wait_visible("#rules-table").await;

    add_server(&desktop, &sim).await;
    add_on_server(&desktop, "Shop", "mini_program", MP).await;
    let item = "#account-list li:first-child";
    // The list is drawn again once the accounts are read again: read the
    // row as it is then, not an element the redraw replaced.
    let facts =
        desktop.wait_text(&format!("{item} .facts"), "the account's facts", |t| t.contains("Tokens from")).await;
    assert!(facts.contains("Tokens from \"Company token server\""), "{facts}");
    desktop.click(&format!("{item} button[data-test]")).await;
    let report = desktop
        .wait_text("#account-test-result", "the test's report", |t| t.starts_with("Shop: Connection works"))
        .await;
    assert!(report.contains("the token server 127.0.0.1:") && report.contains("2 QR code rule(s)"), "{report}");
    assert!(report.contains("direct to WeChat"), "{report}");

    // Delete with its token: the app never asked WeChat for one itself.
    desktop.click("#tab-delete").await;
    wait_rows(&desktop, "#rules-table tbody tr", 2).await;
    pick_rule(&desktop, "https://e.example.com/qr/1/").await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;
    assert_eq!(sim.rules(MP, None).len(), 1);
    assert_eq!(sim.count(PATH_STABLE_TOKEN), 0);

    // A service account on the same server, calling from an IP WeChat does
    // not know: 40164, the IP, the whitelist and the lasting fix.
    sim.enforce_ip_whitelist(SA, &["203.0.113.80"]);
    desktop.click("#tab-accounts").await;
    add_on_server(&desktop, "Member service account", "service_account", SA).await;
    desktop.click("#tab-delete").await;
    desktop.wait_visible("#target-appid").await;
    desktop.type_into("#target-appid", MP).await;
    desktop.type_into("#prefix", "http://weixin.qq.com/q/02e2eWhite").await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Not deleted", |t| t == "Not deleted").await;
    assert_eq!(desktop.find("#result-errcode").await.text().await.unwrap(), "40164");
    let meaning = desktop.find("#result-meaning").await.text().await.unwrap();
    assert!(meaning.contains("127.0.0.1") && meaning.contains("service account's IP whitelist"), "{meaning}");
    let todo = desktop.find("#result-todo").await.text().await.unwrap();
    assert!(todo.contains("few minutes") && todo.contains("fixed IP"), "{todo}");
    // Only the first delete was sent: reading this rule met the whitelist,
    // and the delete, which the same refusal would answer, was not sent.
    assert_eq!(sim.count(PATH_DELETE), 1, "the 40164 was not asked again");

    // Nothing the app wrote holds the header's value.
    secrets::assert_dir_clean(desktop.data_path());
    assert!(desktop.close().await, "the app closed cleanly");
}
