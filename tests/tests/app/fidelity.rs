//! Faithful to WeChat: what its pages and five SDKs say, checked in the
//! client, in the simulator, and against `docs/wechat-api.md`.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qrjump::history::{Conclusion, History, Status};
use qrjump::lang::Lang;
use qrjump::service::{self, ActionOutcome, DeleteRequest, Target};
use qrjump::sim::{AccountKind, Fault, Simulator};
use qrjump::wechat::{
    Account, AppId, Client, Credentials, NewRule, OpenVersion, PATH_ADD, PATH_DELETE, PATH_DOWNLOAD, PATH_GET,
    PATH_PUBLISH, PATH_STABLE_TOKEN, Prefix, Rule, RuleList, RuleQuery, Scope, Secret, SubRules, catalogue, limits,
};
use qrjump_tests::secrets;
use serde_json::{Value, json};

fn appid(n: u32) -> AppId {
    AppId::parse(&format!("wx{n:016x}")).unwrap()
}

fn prefix(text: &str) -> Prefix {
    Prefix::parse(text).unwrap()
}

fn rule(prefix: &str, published: bool) -> Rule {
    Rule {
        prefix: prefix.into(),
        path: "pages/a".into(),
        state: if published { 2 } else { 1 },
        open_version: Some(3),
        debug_url: Some(vec![]),
        permit_sub_rule: Some(1),
    }
}

fn sa_rule(prefix: &str) -> Rule {
    Rule {
        prefix: prefix.into(),
        path: "pages/b".into(),
        state: 2,
        open_version: None,
        debug_url: None,
        permit_sub_rule: None,
    }
}

struct Setup {
    sim: Simulator,
    client: Client,
    account: Account,
    appid: AppId,
    secret: String,
}

fn setup(n: u32, kind: AccountKind) -> Setup {
    let sim = Simulator::start().unwrap();
    sim.set_rate_limit(false);
    let appid = appid(n);
    let secret = secrets::app_secret(&format!("fidelity{n}"));
    sim.add_account(appid.as_str(), &secret, kind);
    let client = Client::new(&sim.base_url()).unwrap();
    let account = Account::new(Credentials::AppSecret { appid: appid.clone(), secret: Secret::new(secret.clone()) });
    Setup { sim, client, account, appid, secret }
}

/// A raw POST to the simulator, for what the client never sends.
fn post(sim: &Simulator, path_and_query: &str, body: &Value) -> Value {
    let address = sim.base_url().trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    let body = body.to_string();
    write!(
        stream,
        "POST {path_and_query} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let json = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    serde_json::from_str(json).unwrap_or(Value::Null)
}

fn token_of(sim: &Simulator, appid: &AppId, secret: &str, force: bool) -> Value {
    let body =
        json!({ "grant_type": "client_credential", "appid": appid.as_str(), "secret": secret, "force_refresh": force });
    post(sim, PATH_STABLE_TOKEN, &body)
}

// ---- The client -------------------------------------------------------------

/// Point 1: a rule WeChat holds under ftp:// (its older rule page allowed
/// it) is listed and deleted like any other.
#[tokio::test]
async fn a_rule_with_another_scheme_is_deleted() {
    let s = setup(0xf1, AccountKind::MiniProgram);
    for text in ["ftp://files.example.com/qr/", "hlht://charge.example.com/pile?id="] {
        s.sim.add_rule(s.appid.as_str(), None, rule(text, true));
        let listed = s.client.all_jump_qrcodes(&s.account, &Scope::Ordinary).await.unwrap();
        let found = listed.rule_list.iter().find(|r| r.prefix == text).expect("listed");
        // Whatever WeChat lists parses as a prefix.
        let parsed = Prefix::parse(&found.prefix).unwrap();
        let answer = s.client.delete_attempt(&s.account, &parsed, &Scope::Ordinary).await.result.unwrap();
        assert_eq!(answer.errcode, 0);
    }
    assert!(s.sim.rules(s.appid.as_str(), None).is_empty());
}

/// Point 2: WeChat answers -1 for a delete that took effect; the retry then
/// fails. The rule list decides what is recorded: the audited pipeline reads
/// it and links a check record to the delete.
#[tokio::test]
async fn a_retried_delete_is_settled_by_the_rule_list() {
    let s = setup(0xf2, AccountKind::MiniProgram);
    let (a, b, c) = ("https://s.example.com/a/", "https://s.example.com/b/", "https://s.example.com/c/");
    for p in [a, b, c] {
        s.sim.add_rule(s.appid.as_str(), None, rule(p, true));
    }
    let dir = tempfile::tempdir().unwrap();
    let history = Mutex::new(History::open(dir.path()).unwrap());
    let credentials = Credentials::AppSecret { appid: s.appid.clone(), secret: Secret::new(s.secret.clone()) };
    let target = Target {
        client: s.client.clone(),
        account: Arc::new(Account::new(credentials)),
        account_name: "Shop".into(),
        demo: false,
    };
    let delete = |text: &str| {
        let request = DeleteRequest { prefix: prefix(text), scope: Scope::Ordinary, batch_id: None };
        let (target, history) = (&target, &history);
        async move { service::delete_rule(target, history, &request, Lang::En).await.unwrap() }
    };
    let kind = |outcome: &ActionOutcome| history.lock().unwrap().get(outcome.record_id).unwrap().unwrap().error_kind;
    // Done, then "busy": the retry finds nothing to delete.
    s.sim.inject(PATH_DELETE, Fault::ActThenBusy);
    let outcome = delete(a).await;
    assert_eq!(outcome.status, Status::Ok, "{outcome:?}");
    assert_eq!(kind(&outcome).as_deref(), Some("done_before_retry"));
    assert_eq!(outcome.check.as_ref().and_then(|c| c.conclusion), Some(Conclusion::Gone));
    // "Busy" without doing it, then a refusal: the rule is still there.
    s.sim.inject(PATH_DELETE, Fault::Errcode(-1, "system error".into()));
    s.sim.inject(PATH_DELETE, Fault::Errcode(85066, "illegal prefix".into()));
    let outcome = delete(b).await;
    assert_eq!((outcome.status, outcome.errcode), (Status::Failed, Some(85066)), "{outcome:?}");
    assert_eq!(kind(&outcome).as_deref(), Some("still_there_after_retry"));
    // Done, "busy", and the list cannot be read (after the snapshot's read): not known.
    s.sim.inject(PATH_DELETE, Fault::ActThenBusy);
    s.sim.inject(PATH_GET, Fault::Delay(Duration::ZERO));
    s.sim.inject(PATH_GET, Fault::Http500);
    let outcome = delete(c).await;
    assert_eq!(outcome.status, Status::Unknown, "{outcome:?}");
    // No "busy": a refusal is a refusal; the list is read once, for the
    // snapshot, and not again to settle anything.
    let gets = s.sim.count(PATH_GET);
    s.sim.inject(PATH_DELETE, Fault::Errcode(85066, "illegal prefix".into()));
    let outcome = delete(b).await;
    assert_eq!((outcome.status, outcome.errcode), (Status::Failed, Some(85066)), "{outcome:?}");
    assert!(outcome.check.is_none());
    assert_eq!(s.sim.count(PATH_GET), gets + 1);
}

/// Point 3: the listing ends at a short page, whatever `total_count` says
/// (SKIT's model has none), and waits out 44990 instead of stopping.
#[tokio::test]
async fn paging_survives_a_missing_total_count_and_waits_out_44990() {
    let s = setup(0xf3, AccountKind::ServiceAccount);
    let target = appid(0xf4);
    for i in 0..450 {
        s.sim.add_rule(s.appid.as_str(), Some(target.as_str()), sa_rule(&format!("http://weixin.qq.com/q/p{i:04}")));
    }
    s.sim.omit_total_count(true);
    let scope = Scope::ServiceAccount(target.clone());
    let mut seen = Vec::new();
    let all = s.client.all_jump_qrcodes_with(&s.account, &scope, |p| seen.push(p.fetched)).await.unwrap();
    assert_eq!(all.rule_list.len(), 450);
    assert_eq!(seen, [200, 400, 450]);
    let unique: BTreeSet<&str> = all.rule_list.iter().map(|r| r.prefix.as_str()).collect();
    assert_eq!(unique.len(), 450, "no rule twice");
    assert_eq!(s.sim.count(PATH_GET), 3);

    // WeChat's per-second limit beyond the client's own retries: waited out.
    s.sim.inject_times(PATH_GET, Fault::Errcode(44990, "reach max api second frequence limit".into()), 4);
    let all = s.client.all_jump_qrcodes(&s.account, &scope).await.unwrap();
    assert_eq!(all.rule_list.len(), 450);
}

/// Point 6: an ordinary-mode rule without `open_version` or
/// `permit_sub_rule` cannot be built; the simulator refuses one sent raw.
#[tokio::test]
async fn a_rule_wechat_would_refuse_cannot_be_built() {
    let too_many = (0..6).map(|i| format!("https://a.com/qr/{i}")).collect();
    let error =
        NewRule::ordinary(prefix("https://a.com/qr/"), "pages/a", OpenVersion::Release, SubRules::Shared, too_many)
            .unwrap_err();
    assert!(error.to_string().starts_with("test links:"), "{error}");
    let error = NewRule::service_account(prefix("http://weixin.qq.com/q/1"), " ", appid(1)).unwrap_err();
    assert!(error.to_string().starts_with("page path:"), "{error}");

    let s = setup(0xf5, AccountKind::MiniProgram);
    let token = s.sim.issue_token(s.appid.as_str());
    let answer = post(
        &s.sim,
        &format!("{PATH_ADD}?access_token={token}"),
        &json!({ "prefix": "https://a.com/qr/", "path": "pages/a", "is_edit": 0 }),
    );
    assert_ne!(answer["errcode"], 0, "{answer}");
    let rule =
        NewRule::ordinary(prefix("https://a.com/qr/"), "pages/a", OpenVersion::Trial, SubRules::Exclusive, vec![])
            .unwrap();
    s.client.add_jump_qrcode(&s.account, &rule).await.unwrap();
    let added = &s.sim.rules(s.appid.as_str(), None)[0];
    assert_eq!((added.open_version, added.permit_sub_rule), (Some(2), Some(2)));
}

/// Point 5: the catalogue explains the codes admins meet, and 85073 by mode.
#[test]
fn the_rule_limit_is_explained_by_mode() {
    let error = qrjump::wechat::Error::Api { errcode: 85073, errmsg: "rule count limit".into(), caller: None };
    let ordinary = qrjump::explain::error(&error, Some(qrjump::wechat::Mode::Ordinary), Lang::En).meaning;
    let service = qrjump::explain::error(&error, Some(qrjump::wechat::Mode::ServiceAccount), Lang::En).meaning;
    assert!(ordinary.contains("100)"), "{ordinary}");
    assert!(service.contains("100,000"), "{service}");
}

// ---- The simulator ----------------------------------------------------------

#[test]
fn a_call_without_a_token_answers_41001_and_44990_speaks_as_wechat() {
    let s = setup(0xf6, AccountKind::MiniProgram);
    assert_eq!(post(&s.sim, PATH_DELETE, &json!({ "prefix": "https://a.com/" }))["errcode"], 41001);
    assert_eq!(post(&s.sim, &format!("{PATH_DELETE}?access_token=nope"), &json!({}))["errcode"], 40001);
    s.sim.set_rate_limit(true);
    let token = s.sim.issue_token(s.appid.as_str());
    let answers: Vec<Value> =
        (0..6).map(|_| post(&s.sim, &format!("{PATH_GET}?access_token={token}"), &json!({}))).collect();
    let refused = answers.last().unwrap();
    assert_eq!(refused["errcode"], 44990);
    assert!(refused["errmsg"].as_str().unwrap().starts_with("reach max api second frequence limit"), "{refused}");
}

#[test]
fn stable_token_renews_in_its_last_five_minutes_and_the_old_one_still_works() {
    let s = setup(0xf7, AccountKind::MiniProgram);
    let first = token_of(&s.sim, &s.appid, &s.secret, false);
    let old = first["access_token"].as_str().unwrap().to_owned();
    assert_eq!(first["expires_in"], 7200);
    assert_eq!(token_of(&s.sim, &s.appid, &s.secret, false)["access_token"], old.as_str(), "the same while valid");
    // 200 s before it ends: a new token, and the old one still works.
    s.sim.advance(Duration::from_secs(7000));
    let renewed = token_of(&s.sim, &s.appid, &s.secret, false);
    let new = renewed["access_token"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert_eq!(renewed["expires_in"], 7200);
    let get = |token: &str| post(&s.sim, &format!("{PATH_GET}?access_token={token}"), &json!({}))["errcode"].clone();
    assert_eq!(get(&old), 0);
    assert_eq!(get(&new), 0);
    s.sim.advance(Duration::from_secs(201));
    assert_eq!(get(&old), 42001, "the old token ends when it was due to");
    assert_eq!(get(&new), 0);
}

#[test]
fn force_refresh_ends_the_old_token_at_most_20_times_a_day_30_seconds_apart() {
    let s = setup(0xf8, AccountKind::MiniProgram);
    let old = token_of(&s.sim, &s.appid, &s.secret, false)["access_token"].as_str().unwrap().to_owned();
    let forced = token_of(&s.sim, &s.appid, &s.secret, true)["access_token"].as_str().unwrap().to_owned();
    assert_ne!(forced, old);
    let get = |token: &str| post(&s.sim, &format!("{PATH_GET}?access_token={token}"), &json!({}))["errcode"].clone();
    assert_eq!(get(&old), 40001, "no longer the latest");
    // Within 30 s of the last one: nothing changes.
    assert_eq!(token_of(&s.sim, &s.appid, &s.secret, true)["access_token"], forced.as_str());
    for _ in 1..20 {
        s.sim.advance(Duration::from_secs(31));
        assert!(token_of(&s.sim, &s.appid, &s.secret, true)["access_token"].is_string());
    }
    s.sim.advance(Duration::from_secs(31));
    assert_eq!(token_of(&s.sim, &s.appid, &s.secret, true)["errcode"], 45009, "the 21st of the day");
    s.sim.advance(Duration::from_secs(86_400));
    assert!(token_of(&s.sim, &s.appid, &s.secret, true)["access_token"].is_string(), "a new day");
}

#[tokio::test]
async fn service_account_mode_allows_100000_adds_over_a_mini_programs_life() {
    let s = setup(0xf9, AccountKind::ServiceAccount);
    let target = appid(0xfa);
    s.sim.set_service_account_adds(target.as_str(), limits::SERVICE_ACCOUNT_ADDS - 1);
    let add = |p: &str| NewRule::service_account(prefix(p), "pages/a", target.clone()).unwrap();
    s.client.add_jump_qrcode(&s.account, &add("http://weixin.qq.com/q/last")).await.unwrap();
    // Deleting gives none back.
    let scope = Scope::ServiceAccount(target.clone());
    s.client.delete_attempt(&s.account, &prefix("http://weixin.qq.com/q/last"), &scope).await.result.unwrap();
    let error = s.client.add_jump_qrcode(&s.account, &add("http://weixin.qq.com/q/over")).await.unwrap_err();
    assert_eq!(error.errcode(), Some(85073));
    // Ordinary mode counts rules held: 100.
    let o = setup(0xfb, AccountKind::MiniProgram);
    for i in 0..limits::ORDINARY_RULES {
        o.sim.add_rule(o.appid.as_str(), None, rule(&format!("https://o.example.com/{i}/"), false));
    }
    let rule = NewRule::ordinary(
        prefix("https://o.example.com/x/"),
        "pages/a",
        OpenVersion::Release,
        SubRules::Shared,
        vec![],
    )
    .unwrap();
    assert_eq!(o.client.add_jump_qrcode(&o.account, &rule).await.unwrap_err().errcode(), Some(85073));
}

// ---- docs/wechat-api.md -----------------------------------------------------

/// The lines of one endpoint's section that start with `- {key}:`.
fn section_line(doc: &str, endpoint: &str, key: &str) -> Option<String> {
    let start = doc.find(&format!("## {endpoint} "))?;
    let section = &doc[start..];
    let end = section[3..].find("\n## ").map(|i| i + 3).unwrap_or(section.len());
    section[..end].lines().find_map(|line| line.strip_prefix(&format!("- {key}:")).map(|rest| rest.trim().to_owned()))
}

/// The backquoted names of a line, before its first parenthesis.
fn names(line: &str) -> BTreeSet<String> {
    let before = line.split(" (").next().unwrap_or(line);
    before.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// Every integer a line names (the error codes), parentheses aside.
fn codes(line: &str) -> Vec<i64> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in line.chars().chain([' ']) {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '-' | '0'..='9' if depth == 0 => current.push(c),
            _ => {
                if let Ok(code) = current.parse() {
                    out.push(code);
                }
                current.clear();
            }
        }
    }
    out
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

#[tokio::test]
async fn the_fidelity_table_matches_the_code() {
    let doc = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/wechat-api.md"))
        .expect("docs/wechat-api.md");
    let endpoints = [
        ("qrcodejumpdelete", PATH_DELETE),
        ("qrcodejumpget", PATH_GET),
        ("qrcodejumpadd", PATH_ADD),
        ("qrcodejumppublish", PATH_PUBLISH),
        ("stable_token", PATH_STABLE_TOKEN),
    ];
    for (name, path) in endpoints {
        let line = section_line(&doc, name, "path").unwrap_or_else(|| panic!("{name}: no path line"));
        assert_eq!(names(&line), BTreeSet::from([path.to_owned()]), "{name}: path");
        for code in codes(&section_line(&doc, name, "errcodes").unwrap_or_else(|| panic!("{name}: no errcodes"))) {
            let entry =
                catalogue::lookup(code).unwrap_or_else(|| panic!("{name}: errcode {code} is not in the catalogue"));
            assert!(!entry.meaning(Lang::ZhCn).is_empty() && !entry.meaning(Lang::En).is_empty(), "{code}");
        }
    }
    for code in codes(&section_line(&doc, "Every", "errcodes").expect("every call's errcodes")) {
        assert!(catalogue::lookup(code).is_some(), "errcode {code} is not in the catalogue");
    }

    // The bodies the client sends, per mode, as the simulator received them.
    let mp = setup(0xfc, AccountKind::MiniProgram);
    mp.sim.add_rule(mp.appid.as_str(), None, rule("https://f.example.com/", false));
    let p = prefix("https://f.example.com/");
    mp.client.get_jump_qrcodes(&mp.account, &Scope::Ordinary, &RuleQuery::Newest).await.unwrap();
    let rule_new = NewRule::ordinary(
        prefix("https://f.example.com/n/"),
        "pages/a",
        OpenVersion::Release,
        SubRules::Shared,
        vec![],
    )
    .unwrap();
    mp.client.add_jump_qrcode(&mp.account, &rule_new).await.unwrap();
    mp.client.publish_jump_qrcode(&mp.account, &Scope::Ordinary, &p).await.unwrap();
    mp.client.delete_attempt(&mp.account, &p, &Scope::Ordinary).await.result.unwrap();
    let sa = setup(0xfd, AccountKind::ServiceAccount);
    let target = appid(0xfe);
    let scope = Scope::ServiceAccount(target.clone());
    sa.sim.add_rule(sa.appid.as_str(), Some(target.as_str()), sa_rule("http://weixin.qq.com/q/f"));
    let q = prefix("http://weixin.qq.com/q/f");
    for query in
        [RuleQuery::Newest, RuleQuery::Prefixes(vec![q.to_string()]), RuleQuery::Page { page_num: 1, page_size: 10 }]
    {
        sa.client.get_jump_qrcodes(&sa.account, &scope, &query).await.unwrap();
    }
    let sa_new = NewRule::service_account(prefix("http://weixin.qq.com/q/n"), "pages/a", target.clone()).unwrap();
    sa.client.add_jump_qrcode(&sa.account, &sa_new).await.unwrap();
    sa.client.publish_jump_qrcode(&sa.account, &scope, &q).await.unwrap();
    sa.client.delete_attempt(&sa.account, &q, &scope).await.result.unwrap();
    let sent = |sim: &Simulator, path: &str| -> BTreeSet<String> {
        sim.received().iter().filter(|r| r.path == path).flat_map(|r| keys(&r.body)).collect()
    };
    for (name, path) in endpoints {
        let ordinary = section_line(&doc, name, "body, ordinary").unwrap_or_else(|| panic!("{name}: ordinary body"));
        let service = section_line(&doc, name, "body, service account").unwrap_or_else(|| panic!("{name}: sa body"));
        assert_eq!(names(&ordinary), sent(&mp.sim, path), "{name}: the ordinary-mode body");
        assert_eq!(names(&service), sent(&sa.sim, path), "{name}: the service-account-mode body");
    }

    // The answers: what the types read, and what the simulator sends.
    let full = RuleList {
        rule_list: vec![],
        qrcodejump_open: Some(1),
        list_size: 0,
        total_count: 0,
        qrcodejump_pub_quota: Some(1),
    };
    let mut read = keys(&serde_json::to_value(full).unwrap());
    read.extend(["errcode".to_owned(), "errmsg".to_owned()]);
    assert_eq!(names(&section_line(&doc, "qrcodejumpget", "answer").unwrap()), read, "qrcodejumpget: answer");
    let token = mp.sim.issue_token(mp.appid.as_str());
    let answered = post(&mp.sim, &format!("{PATH_GET}?access_token={token}"), &json!({}));
    assert_eq!(keys(&answered), read, "the simulator's qrcodejumpget answer");
    let rule_fields = keys(&serde_json::to_value(rule("x://y", true)).unwrap());
    assert_eq!(names(&section_line(&doc, "qrcodejumpget", "rule").unwrap()), rule_fields, "qrcodejumpget: rule");
    let stable = token_of(&mp.sim, &mp.appid, &mp.secret, false);
    assert_eq!(names(&section_line(&doc, "stable_token", "answer").unwrap()), keys(&stable), "stable_token: answer");

    // The verification file: path, the empty body, the answer the type reads.
    let line = section_line(&doc, "qrcodejumpdownload", "path").expect("qrcodejumpdownload: path");
    assert_eq!(names(&line), BTreeSet::from([PATH_DOWNLOAD.to_owned()]));
    let file = mp.client.download_verification_file(&mp.account).await.unwrap();
    assert_eq!(sent(&mp.sim, PATH_DOWNLOAD), BTreeSet::new(), "qrcodejumpdownload: an empty body");
    let mut read = keys(&serde_json::to_value(&file).unwrap());
    read.extend(["errcode".to_owned(), "errmsg".to_owned()]);
    assert_eq!(names(&section_line(&doc, "qrcodejumpdownload", "answer").unwrap()), read, "qrcodejumpdownload: answer");
    for code in codes(&section_line(&doc, "qrcodejumpdownload", "errcodes").unwrap()) {
        assert!(catalogue::lookup(code).is_some(), "errcode {code} is not in the catalogue");
    }

    // The limits: each endpoint's line names the table's numbers.
    for (name, _) in endpoints.iter().take(4) {
        let line = section_line(&doc, name, "limit").unwrap_or_else(|| panic!("{name}: no limit line"));
        let second = format!("{} a second", limits::PER_SECOND.calls);
        let minute = format!("{} a minute in service-account mode", limits::SERVICE_ACCOUNT_PER_MINUTE.calls);
        assert!(line.contains(&second) && line.contains(&minute), "{name}: {line}");
    }
}
