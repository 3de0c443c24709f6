//! The simulator's memory: accounts, tokens, rules, limits and faults.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::wechat::Rule;

/// What kind of WeChat account an AppID belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    MiniProgram,
    ServiceAccount,
}

/// A misbehaviour to inject into the next answers on one path.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer this errcode/errmsg instead of doing the work.
    Errcode(i64, String),
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Never answer (until the simulator stops).
    Hang,
    /// HTTP 500 with a short text body.
    Http500,
    /// HTTP 200 with an HTML page, as a captive portal or gateway sends.
    Html,
    /// HTTP 200 with JSON cut off in the middle.
    TruncatedJson,
    /// Close the connection without answering.
    Close,
}

/// One request as the simulator received it (token already redacted).
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub body: Value,
}

pub(crate) struct SimAccount {
    pub secret: String,
    pub kind: AccountKind,
}

/// Rules are kept per owner AppID and, for a service account's rules, the
/// Mini Program they open.
pub(crate) type RuleKey = (String, Option<String>);

pub(crate) struct State {
    pub accounts: HashMap<String, SimAccount>,
    /// token → (AppID, valid until)
    pub tokens: HashMap<String, (String, Instant)>,
    pub token_lifetime: Duration,
    pub rules: HashMap<RuleKey, Vec<Rule>>,
    pub publish_quota: HashMap<String, i64>,
    pub faults: HashMap<String, VecDeque<Fault>>,
    /// (AppID, path) → arrival times of accepted calls in the last second.
    pub calls: HashMap<(String, String), VecDeque<Instant>>,
    pub received: Vec<Received>,
    pub rate_limit: bool,
    /// How many calls were refused with 44990.
    pub refusals: usize,
    pub next_rid: u64,
}

pub const RULE_LIMIT: usize = 100;

impl State {
    pub fn new() -> State {
        State {
            accounts: HashMap::new(),
            tokens: HashMap::new(),
            token_lifetime: Duration::from_secs(7200),
            rules: HashMap::new(),
            publish_quota: HashMap::new(),
            faults: HashMap::new(),
            calls: HashMap::new(),
            received: Vec::new(),
            rate_limit: true,
            refusals: 0,
            next_rid: 1,
        }
    }

    fn rid(&mut self) -> String {
        self.next_rid += 1;
        format!("rid: 6{:07x}-{:08x}", self.next_rid, self.next_rid.wrapping_mul(2_654_435_761) & 0xffff_ffff)
    }

    pub fn error(&mut self, errcode: i64, text: &str) -> Value {
        let rid = self.rid();
        json!({ "errcode": errcode, "errmsg": format!("{text} {rid}") })
    }

    fn ok(&mut self) -> Value {
        json!({ "errcode": 0, "errmsg": "ok" })
    }

    /// The next injected fault for `path`, if any.
    pub fn take_fault(&mut self, path: &str) -> Option<Fault> {
        let queue = self.faults.get_mut(path)?;
        queue.pop_front()
    }

    /// Handles one request whose faults have been dealt with.
    pub fn handle(&mut self, path: &str, token: Option<&str>, body: &Value) -> Value {
        if path == crate::wechat::PATH_STABLE_TOKEN {
            return self.stable_token(body);
        }
        let appid = match token.and_then(|t| self.tokens.get(t).cloned()) {
            None => return self.error(40001, "invalid credential, access_token is invalid or not latest"),
            Some((_, until)) if Instant::now() >= until => return self.error(42001, "access_token expired"),
            Some((appid, _)) => appid,
        };
        if self.rate_limit && !self.admit(&appid, path) {
            self.refusals += 1;
            return self.error(44990, "reach max api minute-limit (5 per second)");
        }
        let kind = self.accounts.get(&appid).map(|a| a.kind).unwrap_or(AccountKind::MiniProgram);
        let target = body.get("appid").and_then(Value::as_str).map(str::to_owned);
        match path {
            crate::wechat::PATH_DELETE => self.delete(&appid, kind, target, body),
            crate::wechat::PATH_GET => self.get(&appid, kind, target, body),
            crate::wechat::PATH_ADD => self.add(&appid, kind, target, body),
            crate::wechat::PATH_PUBLISH => self.publish(&appid, body),
            _ => self.error(48001, "api unauthorized"),
        }
    }

    /// WeChat allows 5 calls a second per API: count arrivals in a sliding second.
    fn admit(&mut self, appid: &str, path: &str) -> bool {
        let now = Instant::now();
        let window = self.calls.entry((appid.to_owned(), path.to_owned())).or_default();
        while window.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
            window.pop_front();
        }
        if window.len() >= 5 {
            return false;
        }
        window.push_back(now);
        true
    }

    fn stable_token(&mut self, body: &Value) -> Value {
        if body.get("grant_type").and_then(Value::as_str) != Some("client_credential") {
            return self.error(40002, "invalid grant_type");
        }
        let Some(appid) = body.get("appid").and_then(Value::as_str).filter(|a| !a.is_empty()) else {
            return self.error(41002, "appid missing");
        };
        let secret = body.get("secret").and_then(Value::as_str).unwrap_or("");
        match self.accounts.get(appid) {
            None => return self.error(40013, "invalid appid"),
            Some(account) if account.secret != secret => return self.error(40125, "invalid appsecret"),
            Some(_) => {}
        }
        // Normal mode hands back the valid token, as WeChat's stable_token does.
        let now = Instant::now();
        let existing = self
            .tokens
            .iter()
            .find(|(_, (owner, until))| owner == appid && *until > now)
            .map(|(t, (_, until))| (t.clone(), *until));
        let (token, until) = existing.unwrap_or_else(|| {
            let token = format!("SIMTOKEN{:016x}{:08x}", rand::random::<u64>(), self.next_rid);
            let until = now + self.token_lifetime;
            self.tokens.insert(token.clone(), (appid.to_owned(), until));
            (token, until)
        });
        json!({ "access_token": token, "expires_in": until.saturating_duration_since(now).as_secs() })
    }

    fn key(&self, appid: &str, kind: AccountKind, target: Option<String>) -> RuleKey {
        match kind {
            AccountKind::MiniProgram => (appid.to_owned(), None),
            AccountKind::ServiceAccount => (appid.to_owned(), target),
        }
    }

    /// Checks the mode against the account: a service account must name the
    /// Mini Program, a Mini Program must not.
    fn scope_error(&mut self, kind: AccountKind, target: &Option<String>) -> Option<Value> {
        match (kind, target) {
            (AccountKind::ServiceAccount, None) => Some(self.error(40097, "invalid args, appid missing")),
            (AccountKind::MiniProgram, Some(_)) => {
                Some(self.error(48001, "api unauthorized, not a service account token"))
            }
            _ => None,
        }
    }

    fn prefix_of(&mut self, body: &Value) -> Result<String, Value> {
        match body.get("prefix").and_then(Value::as_str) {
            Some(p) if !p.is_empty() => Ok(p.to_owned()),
            _ => Err(self.error(40097, "invalid args, prefix missing")),
        }
    }

    /// The prefix of a delete or add, after the checks both make: the
    /// caller's scope, a prefix given, and a service account's own QR form.
    fn rule_prefix(&mut self, kind: AccountKind, target: &Option<String>, body: &Value) -> Result<String, Value> {
        if let Some(error) = self.scope_error(kind, target) {
            return Err(error);
        }
        let prefix = self.prefix_of(body)?;
        if kind == AccountKind::ServiceAccount && !prefix.starts_with("http://weixin.qq.com/q/") {
            return Err(self.error(85066, "illegal prefix"));
        }
        Ok(prefix)
    }

    fn delete(&mut self, appid: &str, kind: AccountKind, target: Option<String>, body: &Value) -> Value {
        let prefix = match self.rule_prefix(kind, &target, body) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let key = self.key(appid, kind, target);
        let rules = self.rules.entry(key).or_default();
        let before = rules.len();
        rules.retain(|rule| rule.prefix != prefix);
        if rules.len() == before {
            // WeChat documents no dedicated "not found" code; the simulator
            // answers 40097 (invalid arguments), as for other bad prefixes.
            return self.error(40097, "invalid args, prefix not exist");
        }
        self.ok()
    }

    fn get(&mut self, appid: &str, kind: AccountKind, target: Option<String>, body: &Value) -> Value {
        if let Some(error) = self.scope_error(kind, &target) {
            return error;
        }
        let quota = *self.publish_quota.entry(appid.to_owned()).or_insert(100);
        let key = self.key(appid, kind, target);
        let all = self.rules.get(&key).cloned().unwrap_or_default();
        let total = all.len();
        let list: Vec<Rule> = match kind {
            AccountKind::MiniProgram => all,
            AccountKind::ServiceAccount => {
                let slim = |r: Rule| Rule { open_version: None, debug_url: None, permit_sub_rule: None, ..r };
                match body.get("get_type").and_then(Value::as_i64).unwrap_or(0) {
                    0 => all.into_iter().rev().take(10_000).map(slim).collect(),
                    1 => {
                        let wanted: Vec<&str> = body
                            .get("prefix_list")
                            .and_then(Value::as_array)
                            .map(|l| l.iter().filter_map(Value::as_str).collect())
                            .unwrap_or_default();
                        if wanted.len() > 200 {
                            return self.error(40097, "invalid args, prefix_list too long");
                        }
                        all.into_iter().filter(|r| wanted.contains(&r.prefix.as_str())).map(slim).collect()
                    }
                    2 => {
                        let num = body.get("page_num").and_then(Value::as_u64).unwrap_or(0);
                        let size = body.get("page_size").and_then(Value::as_u64).unwrap_or(0);
                        if num == 0 || size == 0 || size > 200 {
                            return self.error(40097, "invalid args, page_num/page_size");
                        }
                        all.into_iter().skip(((num - 1) * size) as usize).take(size as usize).map(slim).collect()
                    }
                    _ => return self.error(40097, "invalid args, get_type"),
                }
            }
        };
        json!({
            "errcode": 0, "errmsg": "ok",
            "rule_list": list, "qrcodejump_open": 1,
            "list_size": list.len(), "total_count": total,
            "qrcodejump_pub_quota": quota,
        })
    }

    fn add(&mut self, appid: &str, kind: AccountKind, target: Option<String>, body: &Value) -> Value {
        let prefix = match self.rule_prefix(kind, &target, body) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let path = body.get("path").and_then(Value::as_str).unwrap_or("").to_owned();
        let debug_url: Option<Vec<String>> = body
            .get("debug_url")
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(Value::as_str).map(str::to_owned).collect());
        if let Some(urls) = &debug_url {
            if urls.len() > 5 {
                return self.error(40097, "invalid args, too many debug_url");
            }
            if urls.iter().any(|u| !u.starts_with(&prefix)) {
                return self.error(85068, "debug_url not match prefix");
            }
        }
        let is_edit = body.get("is_edit").and_then(Value::as_i64).unwrap_or(0) == 1;
        let rule = Rule {
            prefix: prefix.clone(),
            path,
            state: 1,
            open_version: (kind == AccountKind::MiniProgram)
                .then(|| body.get("open_version").and_then(Value::as_i64).unwrap_or(3)),
            debug_url: (kind == AccountKind::MiniProgram).then(|| debug_url.unwrap_or_default()),
            permit_sub_rule: (kind == AccountKind::MiniProgram)
                .then(|| body.get("permit_sub_rule").and_then(Value::as_i64).unwrap_or(1)),
        };
        let key = self.key(appid, kind, target);
        let rules = self.rules.entry(key).or_default();
        match (rules.iter().position(|r| r.prefix == prefix), is_edit) {
            (Some(_), false) => self.error(85071, "prefix exist"),
            (None, true) => self.error(40097, "invalid args, prefix not exist"),
            (Some(i), true) if rules[i].state == 2 => {
                self.error(40097, "invalid args, published rule can not be edited")
            }
            (Some(i), true) => {
                rules[i] = rule;
                self.ok()
            }
            (None, false) if rules.len() >= RULE_LIMIT => self.error(85073, "rule count limit"),
            (None, false) => {
                rules.push(rule);
                self.ok()
            }
        }
    }

    fn publish(&mut self, appid: &str, body: &Value) -> Value {
        let prefix = match self.prefix_of(body) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let quota = *self.publish_quota.entry(appid.to_owned()).or_insert(100);
        if quota <= 0 {
            return self.error(886000, "publish limit this month");
        }
        let found = self
            .rules
            .iter_mut()
            .filter(|((owner, _), _)| owner == appid)
            .flat_map(|(_, rules)| rules.iter_mut())
            .find(|r| r.prefix == prefix);
        match found {
            Some(rule) => {
                rule.state = 2;
                self.publish_quota.insert(appid.to_owned(), quota - 1);
                self.ok()
            }
            None => self.error(40097, "invalid args, prefix not exist"),
        }
    }
}
