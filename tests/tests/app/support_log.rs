//! The support log and the diagnostics an admin sends IT: what the app did
//! is there (its start, each call with path, errcode and time, the delete's
//! record), and no secret is, after a run with a known AppSecret, a token
//! server's header and a proxy password.

use qrjump::accounts::{AccountInput, AccountKind, RouteKind, Serves, TokenServerInput};
use qrjump::app::DeleteForm;
use qrjump::lang::Lang;
use qrjump::sim::{AccountKind as SimKind, Simulator, TOKEN_SERVER_HEADER};
use qrjump::wechat::{Method, Mode};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000a7701";

#[tokio::test]
async fn the_log_tells_what_happened_and_holds_no_secret() {
    let sim = Simulator::start().unwrap();
    let secret = secrets::app_secret("support");
    sim.add_account(MP, &secret, SimKind::MiniProgram);
    sim.add_rule(MP, None, rules::published("https://s.example.com/a/"));
    sim.add_rule(MP, None, rules::published("https://s.example.com/b/"));
    sim.serve_token_server("TESTSECRET-support-key");
    let data = tempfile::tempdir().unwrap();
    let app = qrjump_tests::app_state(&sim.base_url(), data.path());
    let shop = app
        .save_account(AccountInput {
            name: "Shop".into(),
            kind: AccountKind::MiniProgram,
            appid: Some(MP.into()),
            secret: Some(secret.clone()),
            ..Default::default()
        })
        .unwrap();
    app.test_account(&shop.id, Lang::En).await.unwrap();
    let form = DeleteForm {
        account_id: shop.id,
        mode: Mode::Ordinary,
        prefix: "https://s.example.com/a/".into(),
        appid: None,
    };
    app.delete(&form, Lang::En).await.unwrap();
    sim.answer_next(qrjump::wechat::PATH_DELETE, 85066, "illegal prefix");
    let form = DeleteForm { prefix: "https://s.example.com/b/".into(), ..form };
    app.delete(&form, Lang::En).await.unwrap();

    let server = app
        .save_server(TokenServerInput {
            id: None,
            name: "Company".into(),
            url: sim.token_server_url(),
            method: Method::Get,
            header_name: Some(TOKEN_SERVER_HEADER.into()),
            header_value: Some("TESTSECRET-support-key".into()),
            token_pointer: Some("/data/access_token".into()),
            expires_pointer: None,
            stale_param: None,
            platform: false,
        })
        .unwrap();
    let on_server = app
        .save_account(AccountInput {
            name: "On the server".into(),
            kind: AccountKind::TokenServer,
            appid: Some(MP.into()),
            server: Some(server.config.id),
            serves: Some(Serves::MiniProgram),
            route: RouteKind::Gateway,
            route_url: Some(sim.base_url()),
            ..Default::default()
        })
        .unwrap();
    app.test_account(&on_server.id, Lang::En).await.unwrap();

    let text = app.diagnostics();
    for expected in [
        concat!("QR Jump Admin ", env!("CARGO_PKG_VERSION")),
        &format!("Data folder: {}", data.path().display()),
        "  - Shop (Mini Program, AppSecret; route direct)",
        "  - On the server (token server; route gateway)",
        "Token servers: 1",
        "start qrjump-admin",
        "call /cgi-bin/stable_token errcode 0 in ",
        "call /cgi-bin/wxopen/qrcodejumpget errcode 0 in ",
        "call /cgi-bin/wxopen/qrcodejumpdelete errcode 0 in ",
        "call /cgi-bin/wxopen/qrcodejumpdelete errcode 85066 in ",
        "delete recorded as #1: ok (errcode 0)",
        "token server 127.0.0.1:",
        "Policy: none (",
        "Updates: no feed set; this copy: Portable",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    // Accounts by name and kind only; no secret, token or AppID.
    secrets::assert_clean("the diagnostics", &text);
    assert!(!text.contains(MP), "{text}");
    assert!(text.lines().filter(|l| l.starts_with("  20")).count() <= 50);
    secrets::assert_dir_clean(data.path());
    assert!(app.support_log_dir().starts_with(data.path()));
}
