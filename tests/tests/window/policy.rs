//! IT's policy in the real window (the debug build reads it from
//! QRJUMP_POLICY_FILE): the demo account hidden, the API gateway used, what
//! policy fixed listed in About, and a value that does not hold named in a
//! banner rather than stopping the app.

use qrjump::sim::{AccountKind, Simulator};
use qrjump_tests::desktop::Desktop;
use qrjump_tests::screens::{add_account, english, wait_rows};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000e2e01";

#[tokio::test(flavor = "multi_thread")]
async fn the_window_follows_it_policy_and_says_what_it_fixed() {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("e2e-policy");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    sim.add_rule(MP, None, rules::published("https://pol.example.com/a/"));
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    sim.serve_token_server("policy-server-key");
    let json = serde_json::json!({
        "APIBASE": sim.base_url(), "SHOWDEMO": 0, "LOCKED": 1, "UPDATES": "sometimes",
        "TEAMDATABASEURL": "postgres://auditor@db.corp.example/audit?sslmode=require",
        "TOKENSERVERURL": sim.token_server_url(), "TOKENHEADERNAME": qrjump::sim::TOKEN_SERVER_HEADER,
        "TOKENPOINTER": "/data/access_token",
    })
    .to_string();
    std::fs::write(&policy, json).unwrap();
    // The environment's API base is a closed port: the locked policy's wins.
    let closed = format!("http://127.0.0.1:{}", qrjump_tests::process::free_port());
    let desktop =
        Desktop::launch(english(Some(closed), vec![("QRJUMP_POLICY_FILE".into(), policy.display().to_string())])).await;

    let banner = desktop.wait_text("#policy-banner", "the banner", |t| t.contains("UPDATES")).await;
    assert!(banner.contains("could not be used and were ignored") && banner.contains("must be 0 or 1"), "{banner}");
    // In Chinese, the problem too (Rust words it; the page asks again).
    desktop.click("#lang-toggle").await;
    let banner = desktop.wait_text("#policy-banner", "the banner in Chinese", |t| t.contains("已忽略")).await;
    let chinese = desktop.wait_text("#policy-banner", "the problem in Chinese", |t| t.contains("只能是 0 或 1")).await;
    assert!(chinese.contains("UPDATES") && !chinese.contains("must be"), "{banner}\n{chinese}");
    desktop.click("#lang-toggle").await;
    desktop.wait_text("#policy-banner", "the banner in English again", |t| t.contains("must be 0 or 1")).await;
    let options = desktop.find("#account-select").await.text().await.unwrap();
    assert!(!options.contains("Demo"), "the demo is hidden by policy: {options}");

    add_account(&desktop, "Shop", "mini_program", MP, &secret).await;
    wait_rows(&desktop, "#rules-table tbody tr", 1).await;
    let about = desktop.find("#about-policy").await.prop("textContent").await.unwrap().unwrap_or_default();
    assert!(about.contains(&format!("API gateway: {}", sim.base_url())), "{about}");
    assert!(about.contains("Demo account: hidden") && about.contains("Locked"), "{about}");

    // IT's token server: listed, not editable but for the header's value, and usable.
    desktop.click("#tab-accounts").await;
    let server = "#server-list li[data-server=\"policy\"]";
    let listed = desktop.wait_text(server, "the policy server", |t| t.contains("Set by IT policy")).await;
    assert!(!listed.contains("Remove"), "{listed}");
    desktop.click(&format!("{server} button")).await;
    assert!(!desktop.find("#server-url").await.is_enabled().await.unwrap(), "policy's URL is not edited");
    desktop.type_into("#server-header-value", "policy-server-key").await;
    desktop.click("#server-save").await;
    desktop.wait_text("#server-result", "saved", |t| t.contains("saved")).await;
    desktop.type_into("#account-name", "Shop via IT").await;
    qrjump_tests::screens::choose(&desktop, "account-kind", "token_server").await;
    desktop.select("#account-server", "policy").await;
    desktop.select("#account-serves", "mini_program").await;
    desktop.type_into("#account-appid", MP).await;
    desktop.click("#account-save").await;
    desktop.wait_text("#account-test-result", "saved", |t| t.contains("\"Shop via IT\" saved")).await;
    desktop.click("#tab-delete").await;
    wait_rows(&desktop, "#rules-table tbody tr", 1).await;
    let picked = desktop.find("#account-select option:checked").await.text().await.unwrap();
    assert_eq!(picked, "Shop via IT", "the account on IT's token server lists the rules");

    // The team database policy names: shown in the form, not editable; the password is the admin's.
    desktop.click("#tab-history").await;
    desktop.click("#scope-team").await;
    desktop.click("#team-settings-button").await;
    let note = desktop.wait_text("#team-policy-note", "the policy note", |t| t.contains("IT policy names")).await;
    assert!(note.contains(policy.to_str().unwrap()), "{note}");
    let host = desktop.find("#team-host").await;
    assert_eq!(host.prop("value").await.unwrap().as_deref(), Some("db.corp.example"));
    assert!(!host.is_enabled().await.unwrap(), "locked by policy");
    assert!(desktop.find("#team-password").await.is_enabled().await.unwrap());
    assert!(desktop.find("#team-tls").await.is_selected().await.unwrap(), "sslmode=require");
    assert!(desktop.close().await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_locked_policy_proxy_carries_every_call_and_the_route_says_so() {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("e2e-policy-proxy");
    sim.add_account(MP, &secret, AccountKind::MiniProgram);
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    // A proxy that is not there: a call that went direct would reach the simulator.
    let proxy = format!("http://127.0.0.1:{}", qrjump_tests::process::free_port());
    std::fs::write(&policy, serde_json::json!({ "PROXYURL": proxy, "LOCKED": 1, "SHOWDEMO": 0 }).to_string()).unwrap();
    let desktop = Desktop::launch(english(
        Some(sim.base_url()),
        vec![("QRJUMP_POLICY_FILE".into(), policy.display().to_string())],
    ))
    .await;
    add_account(&desktop, "Shop", "mini_program", MP, &secret).await;
    let status =
        desktop.wait_text("#rules-status", "the proxy's refusal", |t| !t.is_empty() && !t.starts_with("Loading")).await;
    assert!(!status.contains("rule(s)"), "{status}");
    assert!(sim.received().is_empty(), "nothing went to WeChat directly");

    desktop.click("#tab-accounts").await;
    let list = desktop.find("#account-list").await.text().await.unwrap();
    assert!(list.contains(&format!("through IT policy's proxy {proxy}")), "{list}");
    desktop.click("#account-route-details summary").await;
    let note = desktop.wait_text("#account-route-policy", "the route note", |t| t.contains("locked")).await;
    assert!(note.contains(&proxy), "{note}");
    assert!(!desktop.find("input[name=\"account-route\"][value=\"direct\"]").await.is_enabled().await.unwrap());
    assert!(desktop.close().await);
}
