//! The app's account kinds without a window: a token server defined once and
//! shared, many merchants added by AppID, routes, "Test connection" step by
//! step, and the whitelist explained; secrets only in the vault.

use qrjump::accounts::{AccountInput, AccountKind, RouteKind, Serves, TokenServerInput};
use qrjump::app::{AppError, AppState, DEMO_SERVER_ID, DeleteForm};
use qrjump::history::{Filter, Status};
use qrjump::lang::Lang;
use qrjump::sim::{AccountKind as SimKind, Simulator, TOKEN_SERVER_HEADER, TOKEN_SERVER_PATH};
use qrjump::wechat::{Method, Mode, PATH_DELETE, PATH_GET, PATH_STABLE_TOKEN};
use qrjump_tests::tinyproxy::{Tinyproxy, VIA_NAME};
use qrjump_tests::{rules, secrets};

const MP: &str = "wx00000000000a6601";
const MP2: &str = "wx00000000000a6602";
const SA: &str = "wx00000000000a6603";
const KEY: &str = "TESTSECRET-app-server-key";

struct Setup {
    sim: Simulator,
    data: tempfile::TempDir,
    app: AppState,
}

fn setup() -> Setup {
    let sim = Simulator::start().unwrap();
    for (appid, kind) in [(MP, SimKind::MiniProgram), (MP2, SimKind::MiniProgram), (SA, SimKind::ServiceAccount)] {
        sim.add_account(appid, &secrets::app_secret(appid), kind);
    }
    sim.add_rule(MP, None, rules::published("https://t.example.com/a/"));
    sim.add_rule(MP, None, rules::published("https://t.example.com/b/"));
    sim.add_rule(SA, Some(MP), rules::published("http://weixin.qq.com/q/02appWhite"));
    sim.serve_token_server(KEY);
    let data = tempfile::tempdir().unwrap();
    let app = qrjump_tests::app_state(&sim.base_url(), data.path());
    Setup { sim, data, app }
}

impl Drop for Setup {
    fn drop(&mut self) {
        secrets::assert_dir_clean(self.data.path());
    }
}

fn server_input(sim: &Simulator, platform: bool) -> TokenServerInput {
    TokenServerInput {
        id: None,
        name: if platform { "Provider".into() } else { "Company".into() },
        url: sim.token_server_url(),
        method: Method::Get,
        header_name: Some(TOKEN_SERVER_HEADER.into()),
        header_value: Some(KEY.into()),
        token_pointer: Some("/data/access_token".into()),
        expires_pointer: Some("/data/expires_in".into()),
        stale_param: Some("stale".into()),
        platform,
    }
}

fn on_server(name: &str, server: &str, appid: &str, serves: Serves) -> AccountInput {
    AccountInput {
        name: name.into(),
        kind: AccountKind::TokenServer,
        appid: Some(appid.into()),
        server: Some(server.into()),
        serves: Some(serves),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_token_server_account_tests_deletes_and_keeps_its_header_in_the_vault() {
    let s = setup();
    let server = s.app.save_server(server_input(&s.sim, false)).unwrap();
    let account = s.app.save_account(on_server("Shop", &server.config.id, MP, Serves::MiniProgram)).unwrap();
    assert_eq!(account.modes, [Mode::Ordinary]);

    let report = s.app.test_account(&account.id, Lang::En).await.unwrap();
    assert_eq!(report.rule_count, 2);
    assert!(report.token_source.starts_with("the token server 127.0.0.1:"), "{report:?}");
    assert_eq!(report.route, "direct to WeChat (system proxy settings)");
    let zh = s.app.test_account(&account.id, Lang::ZhCn).await.unwrap();
    assert!(zh.message.contains("令牌服务器") && zh.message.contains("直连"), "{}", zh.message);

    let form = DeleteForm {
        account_id: account.id.clone(),
        mode: Mode::Ordinary,
        prefix: "https://t.example.com/a/".into(),
        appid: None,
    };
    let outcome = s.app.delete(&form, Lang::En).await.unwrap();
    assert_eq!(outcome.status, Status::Ok);
    assert_eq!(s.sim.count(PATH_STABLE_TOKEN), 0, "the app never asks WeChat for a token itself");
    assert_eq!(s.sim.count(TOKEN_SERVER_PATH), 1, "the token is cached across the test and the delete");

    // The files hold the server's settings and the header's name, never its value.
    let files = std::fs::read_to_string(s.data.path().join("token_servers.json")).unwrap();
    assert!(files.contains(TOKEN_SERVER_HEADER) && !files.contains(KEY), "{files}");

    // A wrong header value: the step and the server are named, not WeChat.
    let wrong = TokenServerInput {
        id: Some(server.config.id.clone()),
        header_value: Some("TESTSECRET-wrong-value".into()),
        ..server_input(&s.sim, false)
    };
    s.app.save_server(wrong).unwrap();
    let problem = s.app.test_account(&account.id, Lang::En).await.unwrap_err().problem(Lang::En);
    assert!(problem.message.starts_with("Getting the access token failed (the token server 127.0.0.1:"), "{problem:?}");
    assert!(problem.message.contains("refused the app's authentication (HTTP 401)"), "{problem:?}");
    assert_eq!(problem.kind, "token_server");

    // A server in use is not removed.
    let refused = s.app.remove_server(&server.config.id).unwrap_err();
    assert!(refused.problem(Lang::En).message.contains("Shop"), "{refused}");
    s.app.remove_account(&account.id).unwrap();
    s.app.remove_server(&server.config.id).unwrap();
    assert!(s.app.list_servers().is_empty());
}

#[tokio::test]
async fn a_provider_adds_its_merchants_by_appid_and_the_whitelist_is_the_platforms() {
    let s = setup();
    let server = s.app.save_server(server_input(&s.sim, true)).unwrap();
    // One bad line: nothing is added, and the line is named.
    let error =
        s.app.add_on_server(&server.config.id, Serves::MiniProgram, &format!("{MP}\nwx123\n{MP2}")).unwrap_err();
    let told = error.problem(Lang::En).message;
    assert!(told.contains("line 2") && told.contains("wx123"), "{told}");
    assert_eq!(s.app.list_accounts().iter().filter(|a| !a.demo).count(), 0);

    let added = s.app.add_on_server(&server.config.id, Serves::MiniProgram, &format!("{MP}, {MP2}\n\n")).unwrap();
    assert_eq!(added.added.len(), 2);
    let again = s.app.add_on_server(&server.config.id, Serves::MiniProgram, MP).unwrap();
    assert_eq!((again.added.len(), again.skipped.as_slice()), (0, [MP.to_owned()].as_slice()));
    let views = s.app.list_accounts();
    let merchant = views.iter().find(|a| a.appid.as_deref() == Some(MP2)).unwrap();
    assert_eq!(merchant.name, format!("Provider · {MP2}"));
    assert!(merchant.server.as_ref().is_some_and(|s| s.platform));
    s.app.test_account(&merchant.id, Lang::En).await.unwrap();

    // The service account's calls through the platform: 40164 names the
    // platform's whitelist and the IP, and is recorded once, not retried.
    let service = s.app.save_account(on_server("Provider SA", &server.config.id, SA, Serves::ServiceAccount)).unwrap();
    let report = s.app.test_account(&service.id, Lang::En).await.unwrap();
    assert!(report.message.contains("needs a Mini Program's AppID"), "{report:?}");
    s.sim.enforce_ip_whitelist(SA, &["198.51.100.4"]);
    let form = DeleteForm {
        account_id: service.id.clone(),
        mode: Mode::ServiceAccount,
        prefix: "http://weixin.qq.com/q/02appWhite".into(),
        appid: Some(MP.into()),
    };
    let lists_before = s.sim.count(PATH_GET);
    let outcome = s.app.delete(&form, Lang::En).await.unwrap();
    assert_eq!((outcome.status, outcome.errcode), (Status::Failed, Some(40164)));
    assert!(outcome.explanation.meaning.contains("127.0.0.1"), "{:?}", outcome.explanation);
    assert!(outcome.explanation.meaning.contains("third-party platform"), "{:?}", outcome.explanation);
    // Reading the rule met the whitelist: the delete, which the same
    // refusal would answer, is not sent; the attempt is recorded with it.
    assert_eq!((s.sim.count(PATH_GET) - lists_before, s.sim.count(PATH_DELETE)), (1, 0), "asked once");
    // Now that the history names the Mini Program, the test reads its rules
    // and says which step met the whitelist, and by which route.
    let error = s.app.test_account(&service.id, Lang::En).await.unwrap_err();
    assert!(matches!(error, AppError::Connection { .. }), "{error:?}");
    let problem = error.problem(Lang::En);
    assert_eq!(problem.errcode, Some(40164));
    assert!(problem.message.starts_with("Reading the rule list failed (direct to WeChat"), "{}", problem.message);
    assert!(problem.message.contains("127.0.0.1") && problem.message.contains("third-party platform"), "{problem:?}");
    assert!(problem.hint.contains("few minutes") && problem.hint.contains("fixed IP"), "{problem:?}");
}

#[tokio::test]
async fn an_accounts_calls_go_through_its_proxy_with_the_password_in_the_vault() {
    let s = setup();
    let proxy = Tinyproxy::forward(Some(("ops", "TESTSECRET-proxy-app")));
    let input = AccountInput {
        name: "Shop via proxy".into(),
        kind: AccountKind::MiniProgram,
        appid: Some(MP.into()),
        secret: Some(secrets::app_secret(MP)),
        route: RouteKind::Proxy,
        route_url: Some(proxy.url()),
        proxy_user: Some("ops".into()),
        proxy_password: Some("TESTSECRET-proxy-app".into()),
        ..Default::default()
    };
    let account = s.app.save_account(input).unwrap();
    let report = s.app.test_account(&account.id, Lang::En).await.unwrap();
    assert_eq!(report.route, format!("through the proxy 127.0.0.1:{}", proxy.port));
    let calls = s.sim.received();
    assert!(calls.iter().all(|r| r.via.as_deref().is_some_and(|v| v.contains(VIA_NAME))), "{calls:?}");
    let file = std::fs::read_to_string(s.data.path().join("accounts.json")).unwrap();
    assert!(file.contains(&proxy.url()) && !file.contains("TESTSECRET"), "{file}");

    // A URL with credentials in it, or not a URL, is refused with the form.
    let bad = AccountInput {
        name: "Bad".into(),
        kind: AccountKind::MiniProgram,
        appid: Some(MP2.into()),
        secret: Some(secrets::app_secret(MP2)),
        route: RouteKind::Gateway,
        route_url: Some("wx-gateway.corp".into()),
        ..Default::default()
    };
    let error = s.app.save_account(bad).unwrap_err();
    assert!(error.problem(Lang::ZhCn).message.starts_with("API 网关"), "{error}");
}

#[tokio::test]
async fn the_demo_has_a_token_server_account() {
    let s = setup();
    let demo = s.app.list_accounts().into_iter().find(|a| a.id == DEMO_SERVER_ID).unwrap();
    assert_eq!((demo.kind, demo.demo), (Some(AccountKind::TokenServer), true));
    let report = s.app.test_account(DEMO_SERVER_ID, Lang::En).await.unwrap();
    assert!(report.rule_count >= 30, "{report:?}");
    assert!(report.token_source.contains("token server"), "{report:?}");
    let page = s.app.history_page(&Filter::default(), None).unwrap();
    assert!(page.is_empty(), "a test records nothing");
}
