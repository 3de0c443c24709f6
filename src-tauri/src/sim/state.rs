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
    /// Do the work, then answer -1 "system busy": WeChat is known to answer
    /// -1 for calls that took effect.
    ActThenBusy,
    /// Wait this long, do the work, then never answer: a call that reached
    /// WeChat late and took effect while the caller was stopped waiting.
    ActThenHang(Duration),
}

/// One request as the simulator received it (token already redacted).
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub body: Value,
    /// The `Via` header a forward proxy adds, if one relayed the call.
    pub via: Option<String>,
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
    /// How many calls were refused for exceeding a call limit.
    pub refusals: usize,
    /// Service account AppID → arrival times of its qrcodejump calls in the last minute.
    pub minute_calls: HashMap<String, VecDeque<Instant>>,
    /// Mini Program AppID → service-account rules ever added for it.
    pub service_account_adds: HashMap<String, usize>,
    /// AppID → times of `force_refresh` token calls in the last day.
    pub force_refreshes: HashMap<String, VecDeque<Instant>>,
    /// Answer `qrcodejumpget` without `total_count`, as some models read it.
    pub omit_total_count: bool,
    /// How far `advance` moved the clock.
    pub skew: Duration,
    pub next_rid: u64,
    /// Hosts whose web server lacks the verification file: ordinary-mode
    /// adds of prefixes there are refused with 85069.
    pub unverified_hosts: std::collections::HashSet<String>,
    /// Mini Programs with no released version: publishes answer 85074.
    pub unreleased: std::collections::HashSet<String>,
    /// AppID → the IPs WeChat accepts calls from (absent: any).
    pub whitelists: HashMap<String, Vec<String>>,
    /// The token server's shared secret (`X-Token-Key`); `None`: no server.
    pub token_server_key: Option<String>,
}

pub use crate::wechat::limits::{ORDINARY_RULES as RULE_LIMIT, SERVICE_ACCOUNT_ADDS};

/// WeChat's `stable_token` in normal mode hands out a new token in the last
/// 5 minutes of the old one (of 7200 s: a 24th of the lifetime, which the
/// simulator keeps for the short lifetimes tests use).
fn renewal_window(lifetime: Duration) -> Duration {
    (lifetime / 24).min(Duration::from_secs(300))
}

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
            minute_calls: HashMap::new(),
            service_account_adds: HashMap::new(),
            force_refreshes: HashMap::new(),
            omit_total_count: false,
            skew: Duration::ZERO,
            next_rid: 1,
            unverified_hosts: Default::default(),
            unreleased: Default::default(),
            whitelists: HashMap::new(),
            token_server_key: None,
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

    /// Handles one request whose faults have been dealt with; `peer` is
    /// the caller's IP, for the whitelist.
    pub fn handle_from(&mut self, peer: &str, path: &str, token: Option<&str>, body: &Value) -> Value {
        let appid = match path {
            crate::wechat::PATH_STABLE_TOKEN => body.get("appid").and_then(Value::as_str).map(str::to_owned),
            _ => token.and_then(|t| self.tokens.get(t)).map(|(appid, _)| appid.clone()),
        };
        if let Some(appid) = appid
            && let Some(allowed) = self.whitelists.get(&appid)
            && !allowed.iter().any(|ip| ip == peer)
        {
            let kind = self.accounts.get(&appid).map(|a| a.kind);
            // A Mini Program's whitelist is checked only when a token is
            // fetched with the AppSecret; a service account's on every call.
            if path == crate::wechat::PATH_STABLE_TOKEN || kind == Some(AccountKind::ServiceAccount) {
                return self.error(40164, &format!("invalid ip {peer} ipv6 ::ffff:{peer}, not in whitelist"));
            }
        }
        self.handle(path, token, body)
    }

    /// The token server: `{"code":0,"data":{"access_token","expires_in"}}`
    /// for `appid`, a fresh token when `stale` is the current one.
    pub fn token_server(&mut self, key: Option<&str>, appid: &str, stale: Option<&str>) -> (u16, Value) {
        if self.token_server_key.is_none() || key != self.token_server_key.as_deref() {
            return (401, json!({ "code": 401, "message": "unauthorized" }));
        }
        let Some(secret) = self.accounts.get(appid).map(|a| a.secret.clone()) else {
            return (404, json!({ "code": 404, "message": "unknown appid" }));
        };
        let current = self.tokens.iter().any(|(token, (owner, _))| owner == appid && Some(token.as_str()) == stale);
        let request = json!({
            "grant_type": "client_credential", "appid": appid, "secret": secret, "force_refresh": current,
        });
        let answer = self.stable_token(&request);
        match answer.get("access_token") {
            Some(token) => {
                (200, json!({ "code": 0, "data": { "access_token": token, "expires_in": answer["expires_in"] } }))
            }
            None => (502, json!({ "code": 502, "message": "wechat refused", "errcode": answer["errcode"] })),
        }
    }

    /// Handles one request whose faults have been dealt with.
    pub fn handle(&mut self, path: &str, token: Option<&str>, body: &Value) -> Value {
        if path == crate::wechat::PATH_STABLE_TOKEN {
            return self.stable_token(body);
        }
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return self.error(41001, "access_token missing");
        };
        let appid = match self.tokens.get(token).cloned() {
            None => return self.error(40001, "invalid credential, access_token is invalid or not latest"),
            Some((_, until)) if self.now() >= until => return self.error(42001, "access_token expired"),
            Some((appid, _)) => appid,
        };
        let kind = self.accounts.get(&appid).map(|a| a.kind).unwrap_or(AccountKind::MiniProgram);
        if self.rate_limit && !self.admit(&appid, path) {
            self.refusals += 1;
            // WeChat's own text (deleteJumpQRCode page).
            return self.error(44990, "reach max api second frequence limit");
        }
        if self.rate_limit && kind == AccountKind::ServiceAccount && !self.admit_minute(&appid) {
            self.refusals += 1;
            // 200 a minute is documented; the code WeChat answers beyond it
            // is not. A guess: 45011, WeChat's usual "too frequent".
            return self.error(45011, "api minute-quota reach limit mustslower retry next minute");
        }
        let target = body.get("appid").and_then(Value::as_str).map(str::to_owned);
        match path {
            crate::wechat::PATH_DELETE => self.delete(&appid, kind, target, body),
            crate::wechat::PATH_GET => self.get(&appid, kind, target, body),
            crate::wechat::PATH_ADD => self.add(&appid, kind, target, body),
            crate::wechat::PATH_PUBLISH => self.publish(&appid, body),
            crate::wechat::PATH_DOWNLOAD => self.download(&appid),
            _ => self.error(48001, "api unauthorized"),
        }
    }

    /// WeChat allows 5 calls a second per API: count arrivals in a sliding second.
    fn admit(&mut self, appid: &str, path: &str) -> bool {
        let now = self.now();
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

    /// Service-account mode: 200 qrcodejump calls a minute per account.
    fn admit_minute(&mut self, appid: &str) -> bool {
        let now = self.now();
        let window = self.minute_calls.entry(appid.to_owned()).or_default();
        while window.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60)) {
            window.pop_front();
        }
        if window.len() >= crate::wechat::limits::SERVICE_ACCOUNT_PER_MINUTE.calls {
            return false;
        }
        window.push_back(now);
        true
    }

    /// The simulator's clock: real time plus what `advance` added, so tests
    /// can let hours pass at once.
    pub fn now(&self) -> Instant {
        Instant::now() + self.skew
    }

    /// Moves the simulator's clock `by` ahead: tokens age, limits' windows pass.
    pub fn advance(&mut self, by: Duration) {
        self.skew += by;
    }

    fn issue_token(&mut self, appid: &str, now: Instant) -> (String, Instant) {
        let token = format!("SIMTOKEN{:016x}{:08x}", rand::random::<u64>(), self.next_rid);
        self.next_rid += 1;
        let until = now + self.token_lifetime;
        self.tokens.insert(token.clone(), (appid.to_owned(), until));
        (token, until)
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
        let now = self.now();
        let newest = self
            .tokens
            .iter()
            .filter(|(_, (owner, until))| owner == appid && *until > now)
            .max_by_key(|(_, (_, until))| *until)
            .map(|(t, (_, until))| (t.clone(), *until));
        let (token, until) = if body.get("force_refresh").and_then(Value::as_bool) == Some(true) {
            // Force refresh: a new token that ends every older one, at most
            // 20 times a day; within 30 s of the last one nothing changes.
            let day = Duration::from_secs(86_400);
            let times = self.force_refreshes.entry(appid.to_owned()).or_default();
            while times.front().is_some_and(|t| now.duration_since(*t) >= day) {
                times.pop_front();
            }
            let recent = times.back().is_some_and(|t| now.duration_since(*t) < Duration::from_secs(30));
            match newest {
                Some(current) if recent => current,
                _ if times.len() >= 20 => return self.error(45009, "reach max api daily quota limit"),
                _ => {
                    times.push_back(now);
                    // The old token is no longer "the latest": 40001.
                    self.tokens.retain(|_, (owner, _)| owner != appid);
                    self.issue_token(appid, now)
                }
            }
        } else {
            // Normal mode: the valid token, until its last minutes (of 7200 s:
            // the last 5), when a new one is handed out; the old one keeps
            // working until it ends.
            let window = renewal_window(self.token_lifetime);
            match newest {
                Some((token, until)) if until.saturating_duration_since(now) > window => (token, until),
                _ => self.issue_token(appid, now),
            }
        };
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
            // A GUESS: what WeChat answers a Mini Program's own token that
            // names an appid is not documented. No test depends on the code.
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
            // A GUESS: WeChat documents no "not found" answer for a delete.
            // 40097 (invalid arguments) is what its other calls answer for a
            // prefix they do not hold. No test depends on this code.
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
        let mut answer = json!({
            "errcode": 0, "errmsg": "ok",
            "rule_list": list, "qrcodejump_open": 1,
            "list_size": list.len(), "total_count": total,
            "qrcodejump_pub_quota": quota,
        });
        if self.omit_total_count
            && let Some(map) = answer.as_object_mut()
        {
            map.remove("total_count");
        }
        answer
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
        let host = prefix.split("://").nth(1).and_then(|rest| rest.split(['/', '?']).next()).unwrap_or("");
        if kind == AccountKind::MiniProgram && self.unverified_hosts.contains(host) {
            return self.error(85069, "verify file checked fail");
        }
        let is_edit = body.get("is_edit").and_then(Value::as_i64).unwrap_or(0) == 1;
        let number = |field: &str| body.get(field).and_then(Value::as_i64);
        if kind == AccountKind::MiniProgram {
            // Both are required in ordinary mode (addJumpQRCode page). The
            // code of the refusal is a GUESS: 40097, invalid arguments.
            match (number("open_version"), number("permit_sub_rule")) {
                (Some(1..=3), Some(1..=2)) => {}
                _ => return self.error(40097, "invalid args, open_version and permit_sub_rule are required"),
            }
        }
        let rule = Rule {
            prefix: prefix.clone(),
            path,
            state: 1,
            open_version: (kind == AccountKind::MiniProgram).then(|| number("open_version")).flatten(),
            debug_url: (kind == AccountKind::MiniProgram).then(|| debug_url.unwrap_or_default()),
            permit_sub_rule: (kind == AccountKind::MiniProgram).then(|| number("permit_sub_rule")).flatten(),
        };
        // Another Mini Program holds this prefix already.
        if kind == AccountKind::MiniProgram && !is_edit {
            let elsewhere = self.rules.iter().any(|((owner, target), rules)| {
                owner != appid && target.is_none() && rules.iter().any(|r| r.prefix == prefix)
            });
            if elsewhere {
                return self.error(85072, "prefix is owned by other account");
            }
        }
        let adds_key = target.clone().unwrap_or_default();
        let key = self.key(appid, kind, target);
        let rules = self.rules.entry(key).or_default();
        match (rules.iter().position(|r| r.prefix == prefix), is_edit) {
            (Some(_), false) => self.error(85071, "prefix exist"),
            (None, true) => self.error(40097, "invalid args, prefix not exist"),
            // A published rule keeps its page: only open_version,
            // permit_sub_rule and debug_url change in place.
            (Some(i), true) if rules[i].state == 2 && rules[i].path != rule.path => {
                self.error(40097, "invalid args, published rule can not be edited")
            }
            (Some(i), true) => {
                let state = rules[i].state;
                rules[i] = Rule { state, ..rule };
                self.ok()
            }
            // Ordinary mode: 100 rules at once. Service-account mode: 100,000
            // adds for a Mini Program over its life, deletes give none back.
            (None, false) if kind == AccountKind::MiniProgram && rules.len() >= RULE_LIMIT => {
                self.error(85073, "rule count limit")
            }
            (None, false)
                if kind == AccountKind::ServiceAccount
                    && self.service_account_adds.get(&adds_key).copied().unwrap_or(0) >= SERVICE_ACCOUNT_ADDS =>
            {
                self.error(85073, "rule count limit")
            }
            (None, false) => {
                rules.push(rule);
                if kind == AccountKind::ServiceAccount {
                    *self.service_account_adds.entry(adds_key).or_default() += 1;
                }
                self.ok()
            }
        }
    }

    /// The verification file: a name and content derived from the AppID,
    /// as WeChat's are fixed per account.
    fn download(&mut self, appid: &str) -> Value {
        use sha2::Digest;
        let digest = crate::history::chain_hex(&sha2::Sha256::digest(appid.as_bytes()));
        json!({ "errcode": 0, "errmsg": "ok", "file_name": format!("{}.txt", &digest[..10]), "file_content": &digest[10..42] })
    }

    fn publish(&mut self, appid: &str, body: &Value) -> Value {
        let prefix = match self.prefix_of(body) {
            Ok(p) => p,
            Err(e) => return e,
        };
        if self.unreleased.contains(appid) {
            return self.error(85074, "not published, the mini program has no release version");
        }
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
