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
    // The history's head is signed with the installation's key, which the
    // store keeps (issue 24): the window says so.
    desktop.click("#tab-history").await;
    desktop.click("#verify-button").await;
    desktop
        .wait_text("#history-message", "signed", |t| t.contains("signed with this installation’s key (up to record 2)"))
        .await;
    assert!(desktop.close().await, "a process of the session survived");
    assert!(sim.rules(MP, None).is_empty(), "both rules deleted with the stored secret");

    // The key is in the store, as 64 hex digits, and in no file of the data folder.
    let kept = store.search(&[("service", "com.qrjump.admin")]);
    let key = kept
        .lines()
        .map(|l| l.trim().trim_start_matches("secret = "))
        .find(|l| l.len() == 64 && l.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(|| panic!("no installation key in the store: {kept}"))
        .to_owned();
    for entry in std::fs::read_dir(data.path()).unwrap().flatten().filter(|e| e.path().is_file()) {
        let bytes = std::fs::read(entry.path()).unwrap();
        assert!(!bytes.windows(64).any(|w| w == key.as_bytes()), "{:?} holds the key", entry.path());
    }
    // qrjump on the same store signs and verifies the same way.
    let output = std::process::Command::new(qrjump_tests::workspace_bin("qrjump"))
        .args(["history", "verify"])
        .env("QRJUMP_DATA_DIR", data.path())
        .env("DBUS_SESSION_BUS_ADDRESS", store.address())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && said.contains("Signed: the chain up to record 2"), "{said}");
}
