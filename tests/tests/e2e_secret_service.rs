//! The AppSecret in a Linux desktop's credential store (GNOME Keyring's
//! Secret Service on the session bus), through the real window: kept there
//! and nowhere in the data folder, and still there after a restart.

use qrjump::sim::{AccountKind, Simulator};
use qrjump_tests::desktop::{Desktop, Options};
use qrjump_tests::screens::{add_account, confirm_delete, english, pick_rule, wait_rows};
use qrjump_tests::secret_service::SecretService;
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000e5501";

#[tokio::test(flavor = "multi_thread")]
async fn an_appsecret_stays_in_the_secret_service_across_a_restart() {
    let store = SecretService::start();
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("e2e-keyring");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    for prefix in ["https://k.example.com/qr/1/", "https://k.example.com/qr/2/"] {
        sim.add_rule(MP, None, rules::published(prefix));
    }
    let data = tempfile::tempdir().unwrap();
    let options = || Options {
        data_dir: Some(data.path().to_owned()),
        ..english(Some(sim.base_url()), vec![("DBUS_SESSION_BUS_ADDRESS".into(), store.address().into())])
    };

    let desktop = Desktop::launch(options()).await;
    desktop.wait_visible("#rules-table").await;
    assert!(!desktop.is_visible("#session-banner").await, "the app found no credential store");
    add_account(&desktop, "Shop", "mini_program", MP, &secret).await;
    let shop = desktop.find("#account-select").await.prop("value").await.unwrap().expect("an account is picked");
    desktop.click("#tab-accounts").await;
    desktop
        .wait_text("#account-list", "where the secret is", |t| t.contains("Secret in the system credential store"))
        .await;
    desktop.click("#tab-delete").await;
    wait_rows(&desktop, "#rules-table tbody tr", 2).await;
    pick_rule(&desktop, "https://k.example.com/qr/1/").await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;
    assert!(desktop.close().await, "a process of the session survived");

    // In the store under the app's name; in no file of the data folder.
    let found = store.search(&[("service", "com.qrjump.admin")]);
    assert!(found.contains(&secret), "the AppSecret is not in the Secret Service");
    secrets::assert_dir_clean(data.path());

    // Started again: the account deletes without its AppSecret typed again.
    let desktop = Desktop::launch(options()).await;
    desktop.wait_visible("#rules-table").await;
    desktop.select("#account-select", &shop).await;
    wait_rows(&desktop, "#rules-table tbody tr", 1).await;
    pick_rule(&desktop, "https://k.example.com/qr/2/").await;
    confirm_delete(&desktop).await;
    desktop.wait_text("#result-title", "Deleted", |t| t == "Deleted").await;
    assert!(desktop.close().await, "a process of the session survived");
    assert!(sim.rules(MP, None).is_empty(), "both rules deleted with the stored secret");
}
