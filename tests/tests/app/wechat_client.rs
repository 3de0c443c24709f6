//! The WeChat client against the simulator over real loopback HTTP.

use std::time::Duration;

use qrjump::lang::Lang;
use qrjump::sim::{AccountKind, Fault, Simulator};
use qrjump::wechat::{
    Account, AppId, Client, Credentials, Error, MAX_TRIES, NewRule, OpenVersion, PATH_ADD, PATH_DELETE, PATH_GET,
    PATH_PUBLISH, PATH_STABLE_TOKEN, Prefix, Rule, RuleQuery, Scope, Secret, SubRules, Timeouts, catalogue,
};
use qrjump_tests::secrets;

/// Each test uses its own AppIDs: the throttle is shared by the whole process.
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

struct Setup {
    sim: Simulator,
    client: Client,
    account: Account,
    appid: AppId,
}

fn mini_program(n: u32) -> Setup {
    let sim = Simulator::start().unwrap();
    let appid = appid(n);
    let secret = secrets::app_secret(&format!("mp{n}"));
    sim.add_account(appid.as_str(), &secret, AccountKind::MiniProgram);
    sim.add_rule(appid.as_str(), None, rule("https://a.example.com/qr/"));
    sim.add_rule(appid.as_str(), None, rule("https://a.example.com/other/"));
    let timeouts = Timeouts { connect: Duration::from_secs(2), total: Duration::from_secs(2) };
    let client = Client::with_timeouts(&sim.base_url(), timeouts).unwrap();
    let account = Account::new(Credentials::AppSecret { appid: appid.clone(), secret: Secret::new(secret) });
    Setup { sim, client, account, appid }
}

fn prefix(text: &str) -> Prefix {
    Prefix::parse(text).unwrap()
}

#[tokio::test]
async fn ordinary_mode_deletes_with_prefix_only() {
    let s = mini_program(0x1001);
    let answer = s
        .client
        .delete_attempt(&s.account, &prefix("https://a.example.com/qr/"), &Scope::Ordinary)
        .await
        .result
        .unwrap();
    assert_eq!(answer.errcode, 0);
    let left: Vec<String> = s.sim.rules(s.appid.as_str(), None).into_iter().map(|r| r.prefix).collect();
    assert_eq!(left, ["https://a.example.com/other/"]);
    let delete = s.sim.received().into_iter().find(|r| r.path == PATH_DELETE).unwrap();
    assert_eq!(delete.body, serde_json::json!({ "prefix": "https://a.example.com/qr/" }));
    // stable_token, with force_refresh false.
    let token = s.sim.received().into_iter().find(|r| r.path == PATH_STABLE_TOKEN).unwrap();
    assert_eq!(token.body["force_refresh"], false);
    assert_eq!(token.body["grant_type"], "client_credential");
}

#[tokio::test]
async fn service_account_mode_sends_the_mini_program_appid() {
    let sim = Simulator::start().unwrap();
    let service = appid(0x2001);
    let target = appid(0x2002);
    let secret = secrets::app_secret("sa");
    sim.add_account(service.as_str(), &secret, AccountKind::ServiceAccount);
    sim.add_rule(
        service.as_str(),
        Some(target.as_str()),
        Rule {
            prefix: "http://weixin.qq.com/q/02P5KzM_x1".into(),
            path: "pages/a".into(),
            state: 2,
            open_version: None,
            debug_url: None,
            permit_sub_rule: None,
        },
    );
    let client = Client::new(&sim.base_url()).unwrap();
    let account = Account::new(Credentials::AppSecret { appid: service.clone(), secret: Secret::new(secret) });
    let scope = Scope::ServiceAccount(target.clone());

    let listed = client.all_jump_qrcodes(&account, &scope).await.unwrap();
    assert_eq!(listed.rule_list.len(), 1);
    client.delete_attempt(&account, &prefix("http://weixin.qq.com/q/02P5KzM_x1"), &scope).await.result.unwrap();
    assert!(sim.rules(service.as_str(), Some(target.as_str())).is_empty());
    let delete = sim.received().into_iter().find(|r| r.path == PATH_DELETE).unwrap();
    assert_eq!(
        delete.body,
        serde_json::json!({ "prefix": "http://weixin.qq.com/q/02P5KzM_x1", "appid": target.as_str() })
    );

    // A prefix that is not a service-account QR URL: WeChat's 85066.
    let wrong = client.delete_attempt(&account, &prefix("https://a.example.com/"), &scope).await.result.unwrap_err();
    assert_eq!(wrong.errcode(), Some(85066));
}

#[tokio::test]
async fn a_rule_is_added_and_published_in_both_modes() {
    // Ordinary mode: the rule's fields and no appid.
    let s = mini_program(0x1003);
    let new = NewRule::ordinary(
        prefix("https://a.example.com/new/"),
        "pages/new/index",
        OpenVersion::Development,
        SubRules::Shared,
        vec!["https://a.example.com/new/test".into()],
    )
    .unwrap();
    assert_eq!(s.client.add_jump_qrcode(&s.account, &new).await.unwrap().errcode, 0);
    let add = s.sim.received().into_iter().find(|r| r.path == PATH_ADD).unwrap();
    assert_eq!(
        add.body,
        serde_json::json!({
            "prefix": "https://a.example.com/new/", "path": "pages/new/index", "open_version": 1,
            "permit_sub_rule": 1, "debug_url": ["https://a.example.com/new/test"], "is_edit": 0,
        })
    );
    let added = s.sim.rules(s.appid.as_str(), None).into_iter().find(|r| r.prefix == new.prefix.as_str()).unwrap();
    assert_eq!((added.path.as_str(), added.state), ("pages/new/index", 1));
    // Adding it again is WeChat's "prefix exists", not repeated.
    let again = s.client.add_jump_qrcode(&s.account, &new).await.unwrap_err();
    assert_eq!(again.errcode(), Some(85071));
    assert_eq!(s.sim.count(PATH_ADD), 2);

    s.client.publish_jump_qrcode(&s.account, &Scope::Ordinary, &prefix("https://a.example.com/new/")).await.unwrap();
    let published = s.sim.rules(s.appid.as_str(), None).into_iter().find(|r| r.prefix == new.prefix.as_str()).unwrap();
    assert_eq!(published.state, 2);
    let publish = s.sim.received().into_iter().find(|r| r.path == PATH_PUBLISH).unwrap();
    assert_eq!(publish.body, serde_json::json!({ "prefix": "https://a.example.com/new/" }));
    let list = s.client.get_jump_qrcodes(&s.account, &Scope::Ordinary, &RuleQuery::Newest).await.unwrap();
    assert_eq!(list.qrcodejump_pub_quota, Some(99), "one publish spent");

    // Service-account mode: the Mini Program's appid goes with the rule.
    let sim = Simulator::start().unwrap();
    let service = appid(0x2003);
    let target = appid(0x2004);
    let secret = secrets::app_secret("sa-add");
    sim.add_account(service.as_str(), &secret, AccountKind::ServiceAccount);
    let client = Client::new(&sim.base_url()).unwrap();
    let account = Account::new(Credentials::AppSecret { appid: service.clone(), secret: Secret::new(secret) });
    let new =
        NewRule::service_account(prefix("http://weixin.qq.com/q/02P5KzM_add"), "pages/a", target.clone()).unwrap();
    client.add_jump_qrcode(&account, &new).await.unwrap();
    let add = sim.received().into_iter().find(|r| r.path == PATH_ADD).unwrap();
    assert_eq!(
        add.body,
        serde_json::json!({ "prefix": "http://weixin.qq.com/q/02P5KzM_add", "path": "pages/a", "is_edit": 0, "appid": target.as_str() })
    );
    assert_eq!(sim.rules(service.as_str(), Some(target.as_str())).len(), 1);
}

#[tokio::test]
async fn a_given_access_token_is_used_as_is() {
    let s = mini_program(0x1002);
    let token = s.sim.issue_token(s.appid.as_str());
    let given = Account::new(Credentials::AccessToken { token: Secret::new(token), expires_at: None });
    s.client.delete_attempt(&given, &prefix("https://a.example.com/qr/"), &Scope::Ordinary).await.result.unwrap();
    // The client never asked for a token of its own.
    assert_eq!(s.sim.count(PATH_STABLE_TOKEN), 0);

    let expired = Account::new(Credentials::AccessToken {
        token: Secret::new("x"),
        expires_at: Some(std::time::SystemTime::UNIX_EPOCH),
    });
    let error = s
        .client
        .delete_attempt(&expired, &prefix("https://a.example.com/qr/"), &Scope::Ordinary)
        .await
        .result
        .unwrap_err();
    assert_eq!(error, Error::TokenExpired);
}

#[tokio::test]
async fn listing_pages_through_total_count() {
    let sim = Simulator::start().unwrap();
    let service = appid(0x2101);
    let target = appid(0x2102);
    let secret = secrets::app_secret("pages");
    sim.add_account(service.as_str(), &secret, AccountKind::ServiceAccount);
    for i in 0..450 {
        sim.add_rule(
            service.as_str(),
            Some(target.as_str()),
            Rule {
                prefix: format!("http://weixin.qq.com/q/{i:04}"),
                path: "p".into(),
                state: 1,
                open_version: None,
                debug_url: None,
                permit_sub_rule: None,
            },
        );
    }
    sim.set_rate_limit(false);
    let client = Client::new(&sim.base_url()).unwrap();
    let account = Account::new(Credentials::AppSecret { appid: service, secret: Secret::new(secret) });
    let scope = Scope::ServiceAccount(target);
    let all = client.all_jump_qrcodes(&account, &scope).await.unwrap();
    assert_eq!(all.rule_list.len(), 450);
    assert_eq!(all.total_count, 450);
    assert_eq!(sim.count(PATH_GET), 3, "pages of 200, 200, 50");
    let newest = client.get_jump_qrcodes(&account, &scope, &RuleQuery::Newest).await.unwrap();
    assert_eq!(newest.rule_list.len(), 450);
    let some = client
        .get_jump_qrcodes(&account, &scope, &RuleQuery::Prefixes(vec!["http://weixin.qq.com/q/0007".into()]))
        .await
        .unwrap();
    assert_eq!(some.rule_list.len(), 1);
    let found = client.find_rule(&account, &scope, &prefix("http://weixin.qq.com/q/0100")).await.unwrap();
    assert_eq!(found.unwrap().prefix, "http://weixin.qq.com/q/0100");
}

#[tokio::test]
async fn every_catalogued_errcode_comes_back_explained() {
    let s = mini_program(0x1003);
    let target = prefix("https://a.example.com/qr/");
    s.sim.set_rate_limit(false);
    let retried = [-1, 886001, 44990];
    for code in catalogue::all_codes().filter(|c| *c != 0) {
        // Retried codes need one fault per try; token codes one per refresh.
        let times = if retried.contains(&code) {
            MAX_TRIES as usize
        } else if [40001, 40014, 42001].contains(&code) {
            2
        } else {
            1
        };
        s.sim.inject_times(PATH_DELETE, Fault::Errcode(code, format!("simulated {code}")), times);
        let before = s.sim.count(PATH_DELETE);
        let error = s.client.delete_attempt(&s.account, &target, &Scope::Ordinary).await.result.unwrap_err();
        assert_eq!(error.errcode(), Some(code));
        assert_eq!(s.sim.count(PATH_DELETE) - before, times, "tries for {code}");
        let Error::Api { errmsg, .. } = &error else { panic!("{error:?}") };
        assert!(errmsg.starts_with(&format!("simulated {code} rid: ")), "errmsg kept with its rid: {errmsg}");
        for lang in [Lang::ZhCn, Lang::En] {
            let explanation = qrjump::explain::error(&error, None, lang);
            if qrjump::wechat::whitelist::IP_REFUSED.contains(&code) {
                // Told with the IP and the list of the account's kind (whitelist.rs).
                assert!(explanation.meaning.contains(lang.pick("白名单", "whitelist")), "{code}: {explanation:?}");
            } else {
                assert_eq!(explanation.meaning, catalogue::lookup(code).unwrap().meaning(lang));
            }
        }
    }
    // The rule is still there: every answer was an error.
    assert_eq!(s.sim.rules(s.appid.as_str(), None).len(), 2);
}

#[tokio::test]
async fn an_unknown_errcode_keeps_the_raw_answer() {
    let s = mini_program(0x1004);
    s.sim.answer_next(PATH_DELETE, 99999, "brand new error");
    let error = s
        .client
        .delete_attempt(&s.account, &prefix("https://a.example.com/qr/"), &Scope::Ordinary)
        .await
        .result
        .unwrap_err();
    assert_eq!(error.errcode(), Some(99999));
    assert!(error.to_string().contains("brand new error"));
    assert!(qrjump::explain::error(&error, None, Lang::ZhCn).meaning.contains("99999"));
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_call_retried_once() {
    let s = mini_program(0x1005);
    s.client.get_jump_qrcodes(&s.account, &Scope::Ordinary, &RuleQuery::Newest).await.unwrap();
    assert_eq!(s.sim.count(PATH_STABLE_TOKEN), 1);
    s.sim.expire_tokens();
    s.client.delete_attempt(&s.account, &prefix("https://a.example.com/qr/"), &Scope::Ordinary).await.result.unwrap();
    assert_eq!(s.sim.count(PATH_STABLE_TOKEN), 2, "exactly one refresh");
    assert_eq!(s.sim.count(PATH_DELETE), 2, "the expired call and one retry");

    // The cached token is used again afterwards.
    s.client.get_jump_qrcodes(&s.account, &Scope::Ordinary, &RuleQuery::Newest).await.unwrap();
    assert_eq!(s.sim.count(PATH_STABLE_TOKEN), 2);

    // A token refused twice: one refresh, one retry, then the error.
    s.sim.inject_times(PATH_DELETE, Fault::Errcode(40001, "invalid credential".into()), 5);
    let error = s
        .client
        .delete_attempt(&s.account, &prefix("https://a.example.com/other/"), &Scope::Ordinary)
        .await
        .result
        .unwrap_err();
    assert_eq!(error.errcode(), Some(40001));
    assert_eq!(s.sim.count(PATH_STABLE_TOKEN), 3);
    assert_eq!(s.sim.count(PATH_DELETE), 4);
}

#[tokio::test]
async fn busy_answers_are_retried_with_backoff() {
    let s = mini_program(0x1006);
    s.sim.inject_times(PATH_DELETE, Fault::Errcode(-1, "system error".into()), 2);
    s.client.delete_attempt(&s.account, &prefix("https://a.example.com/qr/"), &Scope::Ordinary).await.result.unwrap();
    assert_eq!(s.sim.count(PATH_DELETE), 3);
    // Publishing is not repeated after -1: it could spend quota twice.
    s.sim.inject_times(qrjump::wechat::PATH_PUBLISH, Fault::Errcode(-1, "system error".into()), 1);
    let error = s
        .client
        .publish_jump_qrcode(&s.account, &Scope::Ordinary, &prefix("https://a.example.com/other/"))
        .await
        .unwrap_err();
    assert_eq!(error.errcode(), Some(-1));
    assert_eq!(s.sim.count(qrjump::wechat::PATH_PUBLISH), 1);
}

async fn delete_with_fault(fault: Fault) -> Result<qrjump::wechat::Answer, Error> {
    let s = mini_program(0x1100 + rand_id());
    s.sim.inject(PATH_DELETE, fault);
    // The test's own guard: far beyond the client's 2 s limit.
    tokio::time::timeout(
        Duration::from_secs(20),
        s.client.delete_attempt(&s.account, &prefix("https://a.example.com/qr/"), &Scope::Ordinary),
    )
    .await
    .expect("the client's own timeout ends every call")
    .result
}

fn rand_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[tokio::test]
async fn faults_become_clear_errors_within_the_bound() {
    assert_eq!(delete_with_fault(Fault::Hang).await, Err(Error::Timeout(Duration::from_secs(2))));
    assert_eq!(delete_with_fault(Fault::Http500).await, Err(Error::Http { status: 500 }));
    assert!(matches!(delete_with_fault(Fault::Html).await, Err(Error::NotJson { status: 200, .. })));
    assert!(matches!(delete_with_fault(Fault::TruncatedJson).await, Err(Error::NotJson { .. })));
    let closed = delete_with_fault(Fault::Close).await.unwrap_err();
    assert!(matches!(closed, Error::Network(_)), "{closed:?}");
    assert!(closed.outcome_unknown());
    assert!(delete_with_fault(Fault::Delay(Duration::from_millis(300))).await.is_ok());
    for error in [Error::Timeout(Duration::from_secs(2)), closed] {
        secrets::assert_clean(
            "error text",
            &format!("{error} {error:?} {:?}", qrjump::explain::error(&error, None, Lang::En)),
        );
    }
}

#[tokio::test]
async fn a_refused_connection_is_its_own_error() {
    let port = qrjump_tests::process::free_port();
    let client = Client::new(&format!("http://127.0.0.1:{port}")).unwrap();
    let token = Account::new(Credentials::AccessToken { token: Secret::new("SIMTOKEN-not-real"), expires_at: None });
    let error =
        client.delete_attempt(&token, &prefix("https://a.example.com/qr/"), &Scope::Ordinary).await.result.unwrap_err();
    assert_eq!(error, Error::Connect(format!("127.0.0.1:{port}")));
    secrets::assert_clean("error", &format!("{error} {error:?}"));
}

#[tokio::test]
async fn whitelist_and_secret_errors_come_from_the_token_call() {
    let s = mini_program(0x1007);
    s.sim.answer_next(PATH_STABLE_TOKEN, 40164, "invalid ip 203.0.113.9, not in whitelist");
    let error = s
        .client
        .delete_attempt(&s.account, &prefix("https://a.example.com/qr/"), &Scope::Ordinary)
        .await
        .result
        .unwrap_err();
    assert_eq!(error.errcode(), Some(40164));
    assert!(qrjump::explain::error(&error, None, Lang::En).what_to_do.contains("whitelist"));
    assert_eq!(s.sim.count(PATH_DELETE), 0);

    let wrong = Account::new(Credentials::AppSecret {
        appid: s.appid.clone(),
        secret: Secret::new(secrets::app_secret("wrong")),
    });
    let error = s
        .client
        .delete_attempt(&wrong, &prefix("https://a.example.com/qr/"), &Scope::Ordinary)
        .await
        .result
        .unwrap_err();
    assert_eq!(error.errcode(), Some(40125));
    secrets::assert_clean("error", &format!("{error} {error:?} {wrong:?}"));
}

#[tokio::test]
async fn the_throttle_keeps_a_burst_under_five_a_second() {
    let s = mini_program(0x1008);
    for i in 0..12 {
        s.sim.add_rule(s.appid.as_str(), None, rule(&format!("https://b.example.com/{i}/")));
    }
    let account = std::sync::Arc::new(s.account);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..12 {
        let (client, account) = (s.client.clone(), account.clone());
        tasks.spawn(async move {
            client
                .delete_attempt(&account, &prefix(&format!("https://b.example.com/{i}/")), &Scope::Ordinary)
                .await
                .result
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().unwrap();
    }
    assert_eq!(s.sim.count(PATH_DELETE), 12, "no call was refused with 44990 and retried");
}

/// A batch of 50 deletes, timed: about 10 s at 5 a second. Run with
/// `cargo test -p qrjump-tests --test app wechat_client:: -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "takes about 10 s; a measurement, not a check"]
async fn fifty_deletes_take_about_ten_seconds() {
    let s = mini_program(0x1009);
    for i in 0..50 {
        s.sim.add_rule(s.appid.as_str(), None, rule(&format!("https://c.example.com/{i}/")));
    }
    s.client.access_token(&s.account).await.unwrap();
    let start = std::time::Instant::now();
    for i in 0..50 {
        s.client
            .delete_attempt(&s.account, &prefix(&format!("https://c.example.com/{i}/")), &Scope::Ordinary)
            .await
            .result
            .unwrap();
    }
    println!(
        "50 deletes: {:.2} s, {} requests (50 means no 44990)",
        start.elapsed().as_secs_f64(),
        s.sim.count(PATH_DELETE)
    );
    assert_eq!(s.sim.count(PATH_DELETE), 50);
}
