//! Tokens from a company token server, and calls by route: the WeChat client
//! against a stand-in token server, the simulator's own token server, a real
//! forward proxy (tinyproxy) and a real relay standing in for an API
//! gateway, all over loopback.

use std::time::{Duration, Instant};

use qrjump::lang::Lang;
use qrjump::sim::{AccountKind, Fault, Simulator, TOKEN_SERVER_HEADER, TOKEN_SERVER_PATH};
use qrjump::wechat::{
    Account, AppId, Caller, Client, Credentials, Error, Method, PATH_DELETE, PATH_GET, PATH_STABLE_TOKEN, Prefix,
    Route, Rule, RuleQuery, Scope, Secret, Timeouts, TokenAt, TokenServer, TokenServerError,
};
use qrjump_tests::secrets;
use qrjump_tests::stand_in::{Reply, TokenStandIn};
use qrjump_tests::tinyproxy::{Tinyproxy, VIA_NAME};
use serde_json::json;

const HEADER_VALUE: &str = "Bearer TESTSECRET-header-5b1e";

/// Each test its own AppID: the throttle is shared by the whole process.
fn appid(n: u32) -> AppId {
    AppId::parse(&format!("wx{n:016x}")).unwrap()
}

fn rule(prefix: &str) -> Rule {
    Rule {
        prefix: prefix.into(),
        path: "pages/index/index".into(),
        state: 2,
        open_version: Some(3),
        debug_url: Some(vec![]),
        permit_sub_rule: Some(1),
    }
}

fn prefix(text: &str) -> Prefix {
    Prefix::parse(text).unwrap()
}

fn timeouts() -> Timeouts {
    Timeouts { connect: Duration::from_secs(2), total: Duration::from_secs(2) }
}

/// The AppSecret of account `n`.
fn secret(n: u32) -> Secret {
    Secret::new(secrets::app_secret(&format!("ts{n}")))
}

/// A simulator with a Mini Program `n` holding two rules.
fn shop(n: u32, kind: AccountKind) -> (Simulator, AppId) {
    let sim = Simulator::start().unwrap();
    let appid = appid(n);
    sim.add_account(appid.as_str(), secret(n).expose(), kind);
    let target = (kind == AccountKind::ServiceAccount).then_some("wx00000000000000aa");
    sim.add_rule(appid.as_str(), target, rule("https://a.example.com/qr/"));
    sim.add_rule(appid.as_str(), target, rule("https://a.example.com/other/"));
    (sim, appid)
}

fn server(url: String, token_at: &str, expires_at: Option<&str>) -> TokenServer {
    TokenServer {
        url,
        method: Method::Get,
        header: Some(("Authorization".into(), Secret::new(HEADER_VALUE))),
        token_at: TokenAt::parse(token_at).unwrap(),
        expires_at: expires_at.map(Into::into),
        stale_param: Some("stale_token".into()),
    }
}

fn on_server(server: TokenServer, appid: &AppId) -> Account {
    Account::new(Credentials::TokenServer { server, appid: Some(appid.clone()) }).with_caller(Some(Caller::MiniProgram))
}

/// A token pointer, a lifetime pointer, and the answer holding a token there.
type Shape = (&'static str, Option<&'static str>, fn(&str) -> Reply);

#[tokio::test]
async fn each_answer_shape_gives_a_token_and_nothing_asks_wechat_for_one() {
    let shapes: [Shape; 4] = [
        ("/access_token", Some("/expires_in"), |t| Reply::json(json!({ "access_token": t, "expires_in": 7200 }))),
        ("/data/access_token", Some("/data/expires_in"), |t| {
            Reply::json(json!({ "code": 0, "data": { "access_token": t, "expires_in": "7200" } }))
        }),
        ("/data/accessToken", None, |t| Reply::json(json!({ "data": { "accessToken": t } }))),
        ("text", None, |t| Reply::Answer(200, "text/plain", format!("{t}\n"))),
    ];
    for (n, (pointer, expires, answer)) in shapes.into_iter().enumerate() {
        let (sim, appid) = shop(0x2100 + n as u32, AccountKind::MiniProgram);
        let stand_in = TokenStandIn::start();
        stand_in.always(answer(&sim.issue_token(appid.as_str())));
        let client = Client::with_timeouts(&sim.base_url(), timeouts()).unwrap();
        let account = on_server(
            server(stand_in.url("/token?appid={appid}").replace("{appid}", appid.as_str()), pointer, expires),
            &appid,
        );
        for target in ["https://a.example.com/qr/", "https://a.example.com/other/"] {
            let answer = client.delete_attempt(&account, &prefix(target), &Scope::Ordinary).await.result.unwrap();
            assert_eq!(answer.errcode, 0, "{pointer}");
        }
        assert!(sim.rules(appid.as_str(), None).is_empty(), "{pointer}");
        // One ask for two calls: the token is cached.
        let asked = stand_in.asked();
        assert_eq!(asked.len(), 1, "{pointer}");
        assert_eq!(asked[0].header("authorization"), Some(HEADER_VALUE));
        assert!(asked[0].target.contains(appid.as_str()), "{:?}", asked[0]);
        // Only the test's issue_token asked WeChat for a token.
        assert_eq!(sim.count(PATH_STABLE_TOKEN), 0, "{pointer}");
    }
}

#[tokio::test]
async fn token_server_faults_are_named_within_the_time_limit() {
    let (sim, appid) = shop(0x2200, AccountKind::MiniProgram);
    let client = Client::with_timeouts(&sim.base_url(), timeouts()).unwrap();
    let stand_in = TokenStandIn::start();
    let of = |path: &str| on_server(server(stand_in.url(path), "/access_token", None), &appid);
    let delete = |account: Account| {
        let client = client.clone();
        async move {
            let started = Instant::now();
            let error = client
                .delete_attempt(&account, &prefix("https://a.example.com/qr/"), &Scope::Ordinary)
                .await
                .result
                .unwrap_err();
            (error, started.elapsed())
        }
    };

    stand_in.queue([Reply::Answer(401, "application/json", r#"{"message":"bad key"}"#.into())]);
    let (error, _) = delete(of("/token")).await;
    assert_eq!(error, Error::TokenServer(TokenServerError::Refused { status: 401 }));
    let told = qrjump::explain::error(&error, None, Lang::En);
    assert!(told.meaning.contains("authentication header"), "{told:?}");
    assert!(qrjump::explain::error(&error, None, Lang::ZhCn).meaning.contains("身份验证"));

    stand_in.queue([Reply::Answer(200, "text/html", "<html><body>Sign in to the intranet</body></html>".into())]);
    let (error, _) = delete(of("/token")).await;
    assert!(
        matches!(&error, Error::TokenServer(TokenServerError::NotJson { start }) if start.starts_with("<html>")),
        "{error:?}"
    );

    stand_in.queue([Reply::json(json!({ "code": 0, "data": { "token": "SIMTOKEN-not-shown" } }))]);
    let (error, _) = delete(of("/token")).await;
    let told = qrjump::explain::error(&error, None, Lang::En).meaning;
    assert!(told.contains(r#"{"code": number, "data": {"token": string}}"#), "{told}");
    secrets::assert_clean("the shape of the answer", &format!("{error} {error:?} {told}"));

    stand_in.queue([Reply::Hang]);
    let (error, took) = delete(of("/token")).await;
    assert!(matches!(error, Error::TokenServer(TokenServerError::Timeout { .. })), "{error:?}");
    assert!(qrjump::explain::error(&error, None, Lang::En).meaning.contains("did not answer within 2 seconds"));
    assert!(took < Duration::from_secs(10), "{took:?}");

    let down = qrjump_tests::process::free_port();
    let (error, _) =
        delete(on_server(server(format!("http://127.0.0.1:{down}/token"), "/access_token", None), &appid)).await;
    assert_eq!(error, Error::TokenServer(TokenServerError::Unreachable(format!("127.0.0.1:{down}"))));
    assert!(!error.outcome_unknown(), "WeChat was never called: nothing is in doubt");

    // None of these reached WeChat, and no secret is in what the admin reads.
    assert_eq!(sim.count(PATH_DELETE), 0);
    for asked in stand_in.asked() {
        assert_eq!(asked.header("authorization"), Some(HEADER_VALUE));
    }
}

#[tokio::test]
async fn a_refused_token_is_asked_for_again_once_with_the_stale_one() {
    let (sim, appid) = shop(0x2300, AccountKind::MiniProgram);
    let client = Client::with_timeouts(&sim.base_url(), timeouts()).unwrap();
    let stand_in = TokenStandIn::start();
    let first = sim.issue_token(appid.as_str());
    stand_in.always(Reply::json(json!({ "access_token": first, "expires_in": 7200 })));
    let account = on_server(server(stand_in.url("/token"), "/access_token", Some("/expires_in")), &appid);
    client.get_jump_qrcodes(&account, &Scope::Ordinary, &RuleQuery::Newest).await.unwrap();

    // The token expires; a server that keeps handing out the same one gets
    // one more ask, not a loop, and the admin gets WeChat's 42001.
    sim.expire_tokens();
    let error = client
        .delete_attempt(&account, &prefix("https://a.example.com/qr/"), &Scope::Ordinary)
        .await
        .result
        .unwrap_err();
    assert_eq!(error.errcode(), Some(42001));
    let asked = stand_in.asked();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(!asked[0].target.contains("stale_token"));
    assert!(asked[1].target.contains(&format!("stale_token={first}")), "{:?}", asked[1]);
    assert_eq!(sim.count(PATH_DELETE), 2);

    // A server that rotates on seeing the stale token: the retry works.
    let rotating = TokenStandIn::start();
    let fresh = sim.issue_token(appid.as_str());
    rotating.queue([
        Reply::json(json!({ "access_token": first, "expires_in": 7200 })),
        Reply::json(json!({ "access_token": fresh, "expires_in": 7200 })),
    ]);
    let account = on_server(server(rotating.url("/token"), "/access_token", Some("/expires_in")), &appid);
    let answer =
        client.delete_attempt(&account, &prefix("https://a.example.com/qr/"), &Scope::Ordinary).await.result.unwrap();
    assert_eq!(answer.errcode, 0);
    assert_eq!(rotating.asked().len(), 2);
}

#[tokio::test]
async fn the_simulators_token_server_rotates_on_the_stale_token() {
    let (sim, appid) = shop(0x2400, AccountKind::MiniProgram);
    sim.serve_token_server("TESTSECRET-sim-key");
    let client = Client::with_timeouts(&sim.base_url(), timeouts()).unwrap();
    let server = TokenServer {
        url: sim.token_server_url().replace("{appid}", appid.as_str()),
        method: Method::Get,
        header: Some((TOKEN_SERVER_HEADER.into(), Secret::new("TESTSECRET-sim-key"))),
        token_at: TokenAt::Pointer("/data/access_token".into()),
        expires_at: Some("/data/expires_in".into()),
        stale_param: Some("stale".into()),
    };
    let account = on_server(server.clone(), &appid);
    client.delete_attempt(&account, &prefix("https://a.example.com/qr/"), &Scope::Ordinary).await.result.unwrap();
    sim.expire_tokens();
    client.delete_attempt(&account, &prefix("https://a.example.com/other/"), &Scope::Ordinary).await.result.unwrap();
    assert_eq!(sim.count(TOKEN_SERVER_PATH), 2);

    let wrong = TokenServer { header: Some((TOKEN_SERVER_HEADER.into(), Secret::new("TESTSECRET-wrong"))), ..server };
    let error = client.access_token(&on_server(wrong, &appid)).await.unwrap_err();
    assert_eq!(error, Error::TokenServer(TokenServerError::Refused { status: 401 }));
}

#[tokio::test]
async fn a_whitelist_refusal_is_never_retried_and_names_the_ip() {
    let (sim, service) = shop(0x2500, AccountKind::ServiceAccount);
    sim.serve_token_server("TESTSECRET-sim-key");
    sim.enforce_ip_whitelist(service.as_str(), &["203.0.113.7"]);
    let client = Client::with_timeouts(&sim.base_url(), timeouts()).unwrap();
    let server = TokenServer {
        url: sim.token_server_url().replace("{appid}", service.as_str()),
        method: Method::Get,
        header: Some((TOKEN_SERVER_HEADER.into(), Secret::new("TESTSECRET-sim-key"))),
        token_at: TokenAt::Pointer("/data/access_token".into()),
        expires_at: None,
        stale_param: None,
    };
    let account = Account::new(Credentials::TokenServer { server, appid: Some(service.clone()) })
        .with_caller(Some(Caller::ServiceAccount));
    sim.add_rule(service.as_str(), Some("wx00000000000000aa"), rule("http://weixin.qq.com/q/02WhiteList"));
    let scope = Scope::from_input(qrjump::wechat::Mode::ServiceAccount, Some("wx00000000000000aa")).unwrap();
    let error = client
        .delete_attempt(&account, &prefix("http://weixin.qq.com/q/02WhiteList"), &scope)
        .await
        .result
        .unwrap_err();
    assert_eq!(error.errcode(), Some(40164));
    assert_eq!(sim.count(PATH_DELETE), 1, "40164 is not retried");
    for lang in [Lang::En, Lang::ZhCn] {
        let told = qrjump::explain::error(&error, None, lang);
        assert!(told.meaning.contains("127.0.0.1"), "{told:?}");
        assert!(told.meaning.contains(lang.pick("服务号", "service account")), "{told:?}");
        assert!(told.what_to_do.contains(lang.pick("几分钟", "few minutes")), "{told:?}");
    }
    // Added to the whitelist (the loopback address the simulator sees): it works.
    sim.enforce_ip_whitelist(service.as_str(), &["127.0.0.1"]);
    client.delete_attempt(&account, &prefix("http://weixin.qq.com/q/02WhiteList"), &scope).await.result.unwrap();
}

#[tokio::test]
async fn calls_go_through_a_real_forward_proxy_with_credentials() {
    let (sim, appid) = shop(0x2600, AccountKind::MiniProgram);
    let proxy = Tinyproxy::forward(Some(("ops", "TESTSECRET-proxy-9d2c")));
    let client = Client::with_timeouts(&sim.base_url(), timeouts()).unwrap();
    let route = Route::proxy(&proxy.url(), Some("ops".into()), Some(Secret::new("TESTSECRET-proxy-9d2c"))).unwrap();
    let account =
        Account::new(Credentials::AppSecret { appid: appid.clone(), secret: secret(0x2600) }).with_route(route);
    client.delete_attempt(&account, &prefix("https://a.example.com/qr/"), &Scope::Ordinary).await.result.unwrap();
    let received = sim.received();
    assert!(!received.is_empty());
    for request in &received {
        let via = request.via.as_deref().unwrap_or("");
        assert!(via.contains(VIA_NAME), "{} came without the proxy's Via: {via:?}", request.path);
    }
    assert_eq!(
        qrjump::explain::connection::route(account.route(), Lang::En),
        format!("through the proxy 127.0.0.1:{}", proxy.port)
    );

    // A wrong password: the proxy refuses (407) and the error says so without it.
    let wrong = Route::proxy(&proxy.url(), Some("ops".into()), Some(Secret::new("TESTSECRET-proxy-wrong"))).unwrap();
    let refused =
        Account::new(Credentials::AppSecret { appid: appid.clone(), secret: secret(0x2600) }).with_route(wrong);
    let error = client
        .delete_attempt(&refused, &prefix("https://a.example.com/other/"), &Scope::Ordinary)
        .await
        .result
        .unwrap_err();
    assert!(matches!(error, Error::Http { status: 407 } | Error::Network(_) | Error::Connect(_)), "{error:?}");
    secrets::assert_clean(
        "proxy error",
        &format!("{error} {error:?} {:?}", qrjump::explain::error(&error, None, Lang::En)),
    );
    assert_eq!(sim.rules(appid.as_str(), None).len(), 1, "nothing went past the proxy");
}

#[tokio::test]
async fn calls_go_through_an_api_gateway_base_url() {
    let (sim, appid) = shop(0x2700, AccountKind::MiniProgram);
    let gateway = Tinyproxy::gateway(&sim.base_url());
    // The client's own base points nowhere: only the gateway reaches WeChat.
    let nowhere = format!("http://127.0.0.1:{}", qrjump_tests::process::free_port());
    let client = Client::with_timeouts(&nowhere, timeouts()).unwrap();
    let account = Account::new(Credentials::AppSecret { appid: appid.clone(), secret: secret(0x2700) })
        .with_route(Route::gateway(&gateway.url()).unwrap());
    let list = client.get_jump_qrcodes(&account, &Scope::Ordinary, &RuleQuery::Newest).await.unwrap();
    assert_eq!(list.rule_list.len(), 2);
    client.delete_attempt(&account, &prefix("https://a.example.com/qr/"), &Scope::Ordinary).await.result.unwrap();
    let received = sim.received();
    assert!(received.iter().any(|r| r.path == PATH_GET));
    assert!(received.iter().all(|r| r.via.as_deref().is_some_and(|v| v.contains(VIA_NAME))), "{received:?}");
    assert_eq!(
        qrjump::explain::connection::route(account.route(), Lang::En),
        format!("through the API gateway {}", gateway.url())
    );
    // The simulator's HTML fault passes through the gateway as WeChat's would.
    sim.inject(PATH_DELETE, Fault::Html);
    let error = client
        .delete_attempt(&account, &prefix("https://a.example.com/other/"), &Scope::Ordinary)
        .await
        .result
        .unwrap_err();
    assert!(matches!(error, Error::NotJson { .. }), "{error:?}");
}
