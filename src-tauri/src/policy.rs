//! Settings IT fixes for every user of a PC: on Windows the values under
//! `HKLM\Software\Policies\QRJumpAdmin` (the MSI writes them from its public
//! properties of the same names), on Linux `/etc/qrjump-admin/policy.json`
//! (an object with the same settings under snake_case keys, `token_server_url`,
//! or the registry's names: `NAMES` pairs them).
//!
//! A value that does not hold is reported in words, naming the file or the
//! key, and left out; a file that is not JSON is reported and ignored whole.
//! Policy never stops the app from starting. Secrets are not policy: a value
//! that carries a password is refused (the registry and /etc are readable by
//! every user of the PC).

use std::sync::OnceLock;

use serde::Serialize;

/// Where Linux keeps the policy.
pub const POLICY_FILE: &str = "/etc/qrjump-admin/policy.json";
/// The registry key under HKEY_LOCAL_MACHINE on Windows.
pub const POLICY_KEY: &str = r"Software\Policies\QRJumpAdmin";
/// Debug builds (the ones the tests run) read the policy from this file
/// instead, so a test never touches the machine's own policy.
const TEST_POLICY_FILE: &str = "QRJUMP_POLICY_FILE";

/// The names IT sets: each registry value (and MSI public property), and
/// its key in the Linux file.
pub const NAMES: [(&str, &str); 11] = [
    ("TOKENSERVERURL", "token_server_url"),
    ("TOKENHEADERNAME", "token_header_name"),
    ("TOKENSERVERMETHOD", "token_server_method"),
    ("TOKENPOINTER", "token_pointer"),
    ("APIBASE", "api_base"),
    ("PROXYURL", "proxy_url"),
    ("TEAMDATABASEURL", "team_database_url"),
    ("SHOWDEMO", "show_demo"),
    ("UPDATES", "updates"),
    ("UPDATEURL", "update_url"),
    ("LOCKED", "locked"),
];

/// What policy fixed; `None` where it says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// The company's token server (its header's secret stays each user's).
    pub token_server_url: Option<String>,
    /// The name of its authentication header (its value is each user's).
    pub token_header_name: Option<String>,
    /// `get` or `post`.
    pub token_server_method: Option<String>,
    /// Where the token is in its answer: a JSON pointer, or `text`.
    pub token_pointer: Option<String>,
    /// The API gateway (WeChat's API base).
    pub api_base: Option<String>,
    /// A forward proxy with a fixed egress IP (without a password).
    pub proxy_url: Option<String>,
    /// The team database (without its password).
    pub team_database_url: Option<String>,
    pub show_demo: Option<bool>,
    pub updates: Option<bool>,
    pub update_url: Option<String>,
    /// Users cannot change what policy set.
    pub locked: bool,
    /// Where it was read from, when it was.
    pub source: Option<String>,
}

impl Policy {
    /// Whether policy set anything at all.
    pub fn is_empty(&self) -> bool {
        Policy { source: None, ..self.clone() } == Policy::default()
    }

    /// The settings policy fixed, under the Linux file's keys, in the order
    /// of `NAMES` (for `qrjump policy` and the About box).
    pub fn settings(&self) -> Vec<(&'static str, serde_json::Value)> {
        use serde_json::Value;
        let text = |v: &Option<String>| v.clone().map(Value::String);
        let flag = |v: Option<bool>| v.map(Value::Bool);
        let values = [
            text(&self.token_server_url),
            text(&self.token_header_name),
            text(&self.token_server_method),
            text(&self.token_pointer),
            text(&self.api_base),
            text(&self.proxy_url),
            text(&self.team_database_url),
            flag(self.show_demo),
            flag(self.updates),
            text(&self.update_url),
            Some(self.locked).filter(|locked| *locked).map(Value::Bool),
        ];
        NAMES.iter().zip(values).filter_map(|((_, key), value)| Some((*key, value?))).collect()
    }

    /// The value a user may choose for a setting policy knows: policy's when
    /// locked or when the user gave none, else the user's.
    pub fn choose<'a>(&'a self, fixed: Option<&'a str>, chosen: Option<&'a str>) -> Option<&'a str> {
        match (fixed, chosen) {
            (Some(fixed), _) if self.locked => Some(fixed),
            (fixed, None) => fixed,
            (_, chosen) => chosen,
        }
    }
}

/// A policy value that does not hold, or a policy that could not be read.
/// Shown in English here (logs, the support report); `explain::policy` says
/// it in the admin's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {fault}")]
pub struct PolicyProblem {
    /// The file, or the key and value name.
    pub place: String,
    /// The value's name as IT wrote it; `None` when the whole policy is meant.
    pub key: Option<String>,
    pub fault: Fault,
}

/// What is wrong with a value, or with the whole policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fault {
    /// The file exists and cannot be read (the system's reason).
    #[error("cannot be read ({0}); no policy applies")]
    Unreadable(String),
    /// The file is not a JSON object (the parser's reason).
    #[error("is not a JSON object ({0}); no policy applies")]
    NotJsonObject(String),
    /// A JSON value that is neither a text nor a number or boolean.
    #[error("{0} is not a text or 0/1")]
    NotTextOrFlag(String),
    #[error("is empty")]
    Empty,
    #[error("is the number {0}; a text is expected")]
    NumberForText(i64),
    #[error("must be 0 or 1")]
    NotFlag,
    #[error("is not an HTTP header name (e.g. Authorization)")]
    NotHeaderName,
    #[error("must be get or post")]
    NotGetOrPost,
    #[error("{0:?} is neither a JSON pointer (starting with /) nor \"text\"")]
    NotTokenPointer(String),
    #[error("must be an https:// address such as https://api.weixin.qq.com, without a user, password or query")]
    NotApiBase,
    #[error("must be an https:// address")]
    NotHttps,
    #[error("must be https:// (http:// only to this computer): tokens and secrets would cross the network unencrypted")]
    NotTls,
    #[error(
        "must not carry a key, secret, token or signature in its query: each user enters it in the authentication header"
    )]
    SecretInQuery,
    #[error(
        "holds a password; policy is readable by every user of this PC, so leave the password out (each user enters it)"
    )]
    HoldsPassword,
    #[error(
        "must not carry a user name or password (user:password@): each user enters the secret in the authentication header"
    )]
    Credentials,
    #[error("must be an http:// or https:// URL such as http://proxy.corp:3128")]
    NotProxyUrl,
    #[error("must be a postgres:// address")]
    NotPostgres,
    /// A name this app does not know; the names it knows, as the place spells them.
    #[error("is not a policy this app knows ({})", .0.join(", "))]
    Unknown(Vec<String>),
}

impl Fault {
    /// A stable name for scripts (`qrjump policy --json`).
    pub fn code(&self) -> &'static str {
        match self {
            Fault::Unreadable(_) => "unreadable",
            Fault::NotJsonObject(_) => "not_json_object",
            Fault::NotTextOrFlag(_) => "not_text_or_flag",
            Fault::Empty => "empty",
            Fault::NumberForText(_) => "number_for_text",
            Fault::NotFlag => "not_flag",
            Fault::NotHeaderName => "not_header_name",
            Fault::NotGetOrPost => "not_get_or_post",
            Fault::NotTokenPointer(_) => "not_token_pointer",
            Fault::NotApiBase => "not_api_base",
            Fault::NotHttps => "not_https",
            Fault::NotTls => "not_tls",
            Fault::SecretInQuery => "secret_in_query",
            Fault::HoldsPassword => "holds_password",
            Fault::Credentials => "credentials",
            Fault::NotProxyUrl => "not_proxy_url",
            Fault::NotPostgres => "not_postgres",
            Fault::Unknown(_) => "unknown",
        }
    }
}

/// The policy and what was wrong with it.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub policy: Policy,
    pub problems: Vec<PolicyProblem>,
}

/// The policy of this PC, read once per process.
pub fn current() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(load)
}

/// Where this PC's policy is read from: the file or the registry key.
pub fn place() -> String {
    match test_file() {
        Some(file) => std::path::PathBuf::from(file).display().to_string(),
        None if cfg!(windows) => format!(r"HKLM\{POLICY_KEY}"),
        None => POLICY_FILE.to_owned(),
    }
}

fn test_file() -> Option<std::ffi::OsString> {
    if cfg!(debug_assertions) { std::env::var_os(TEST_POLICY_FILE) } else { None }
}

fn load() -> Loaded {
    if let Some(file) = test_file() {
        return from_file(std::path::Path::new(&file));
    }
    #[cfg(windows)]
    {
        from_registry()
    }
    #[cfg(not(windows))]
    {
        from_file(std::path::Path::new(POLICY_FILE))
    }
}

/// A value as read: text, or a number (a DWORD, or a JSON number/boolean).
#[derive(Debug, Clone)]
pub enum Raw {
    Text(String),
    Number(i64),
}

/// Reads the JSON file (missing: no policy).
pub fn from_file(path: &std::path::Path) -> Loaded {
    let place = path.display().to_string();
    let bytes = match crate::files::read_capped(path, 64 << 10) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Loaded::default(),
        Err(error) => return broken(place, Fault::Unreadable(error.to_string())),
    };
    let object: serde_json::Map<String, serde_json::Value> = match serde_json::from_slice(&bytes) {
        Ok(object) => object,
        Err(error) => return broken(place, Fault::NotJsonObject(error.to_string())),
    };
    let mut values = Vec::new();
    let mut problems = Vec::new();
    for (name, value) in object {
        let raw = match value {
            serde_json::Value::String(text) => Raw::Text(text),
            serde_json::Value::Bool(on) => Raw::Number(i64::from(on)),
            serde_json::Value::Number(n) if n.is_i64() => Raw::Number(n.as_i64().unwrap_or_default()),
            other => {
                problems.push(PolicyProblem {
                    place: format!("{place}: {name}"),
                    key: Some(name),
                    fault: Fault::NotTextOrFlag(other.to_string()),
                });
                continue;
            }
        };
        values.push((name, raw));
    }
    let mut loaded = read(&place, values);
    problems.append(&mut loaded.problems);
    loaded.problems = problems;
    loaded
}

fn broken(place: String, fault: Fault) -> Loaded {
    Loaded { policy: Policy::default(), problems: vec![PolicyProblem { place, key: None, fault }] }
}

#[cfg(windows)]
fn from_registry() -> Loaded {
    let place = format!(r"HKLM\{POLICY_KEY}");
    let key = match windows_registry::LOCAL_MACHINE.open(POLICY_KEY) {
        Ok(key) => key,
        // No key: no policy.
        Err(_) => return Loaded::default(),
    };
    let mut values = Vec::new();
    for (name, _) in NAMES {
        if let Ok(text) = key.get_string(name) {
            values.push((name.to_owned(), Raw::Text(text)));
        } else if let Ok(number) = key.get_u32(name) {
            values.push((name.to_owned(), Raw::Number(i64::from(number))));
        }
    }
    read(&place, values)
}

/// Checks each value; those that do not hold are left out and reported.
pub fn read(place: &str, values: Vec<(String, Raw)>) -> Loaded {
    let mut policy = Policy { source: Some(place.to_owned()), ..Policy::default() };
    let mut problems = Vec::new();
    for (name, raw) in values {
        // `token_server_url` (the file's keys) and `TOKENSERVERURL` (the registry's) alike.
        let key = name.replace('_', "").to_ascii_uppercase();
        let refuse = |fault: Fault| PolicyProblem { place: format!("{place}: {name}"), key: Some(name.clone()), fault };
        let text = || match &raw {
            Raw::Text(text) if !text.trim().is_empty() => Ok(text.trim().to_owned()),
            Raw::Text(_) => Err(refuse(Fault::Empty)),
            Raw::Number(n) => Err(refuse(Fault::NumberForText(*n))),
        };
        let flag = || match &raw {
            Raw::Number(0) => Ok(false),
            Raw::Number(1) => Ok(true),
            Raw::Text(t) if t.trim() == "0" => Ok(false),
            Raw::Text(t) if t.trim() == "1" => Ok(true),
            _ => Err(refuse(Fault::NotFlag)),
        };
        let checked: Result<(), PolicyProblem> = (|| {
            match key.as_str() {
                "TOKENSERVERURL" => {
                    let url = text()?;
                    use crate::wechat::token_server::ServerUrlError;
                    crate::wechat::token_server::check_server_url(&url).map_err(|e| {
                        refuse(match e {
                            ServerUrlError::NotUrl => Fault::NotHttps,
                            ServerUrlError::NotTls => Fault::NotTls,
                            ServerUrlError::Credentials => Fault::Credentials,
                            ServerUrlError::KeyInQuery => Fault::SecretInQuery,
                        })
                    })?;
                    policy.token_server_url = Some(url);
                }
                "TOKENHEADERNAME" => {
                    let name = text()?;
                    if !crate::wechat::token_server::is_header_name(&name) {
                        return Err(refuse(Fault::NotHeaderName));
                    }
                    policy.token_header_name = Some(name);
                }
                "TOKENSERVERMETHOD" => {
                    let method = text()?.to_ascii_lowercase();
                    if method != "get" && method != "post" {
                        return Err(refuse(Fault::NotGetOrPost));
                    }
                    policy.token_server_method = Some(method);
                }
                "TOKENPOINTER" => {
                    let pointer = text()?;
                    crate::wechat::TokenAt::parse(&pointer)
                        .map_err(|_| refuse(Fault::NotTokenPointer(pointer.clone())))?;
                    policy.token_pointer = Some(pointer);
                }
                "APIBASE" => {
                    use crate::config::ConfigError;
                    let base = crate::config::parse_api_base(&text()?).map_err(|e| {
                        refuse(if matches!(e, ConfigError::ApiBaseNotTls) { Fault::NotTls } else { Fault::NotApiBase })
                    })?;
                    policy.api_base = Some(base);
                }
                "PROXYURL" => {
                    let url = text()?;
                    no_password(&url).map_err(refuse)?;
                    crate::wechat::Route::proxy_from_url(&url).map_err(|_| refuse(Fault::NotProxyUrl))?;
                    policy.proxy_url = Some(url);
                }
                "TEAMDATABASEURL" => {
                    let url = text()?;
                    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                        return Err(refuse(Fault::NotPostgres));
                    }
                    no_password(&url).map_err(refuse)?;
                    policy.team_database_url = Some(url);
                }
                "SHOWDEMO" => policy.show_demo = Some(flag()?),
                "UPDATES" => policy.updates = Some(flag()?),
                "UPDATEURL" => {
                    let url = text()?;
                    crate::net::require_tls(&url).map_err(|_| refuse(Fault::NotHttps))?;
                    policy.update_url = Some(url);
                }
                "LOCKED" => policy.locked = flag()?,
                _ => {
                    let known: Vec<String> = if place.starts_with("HKLM") {
                        NAMES.iter().map(|(name, _)| name.to_string()).collect()
                    } else {
                        NAMES.iter().map(|(_, key)| key.to_string()).collect()
                    };
                    return Err(refuse(Fault::Unknown(known)));
                }
            }
            Ok(())
        })();
        if let Err(problem) = checked {
            problems.push(problem);
        }
    }
    Loaded { policy, problems }
}

/// Policy is readable by every user of the PC: no password in it.
fn no_password(url: &str) -> Result<(), Fault> {
    match url.split_once("://").map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(rest)) {
        Some(authority) if authority.rsplit_once('@').is_some_and(|(user, _)| user.contains(':')) => {
            Err(Fault::HoldsPassword)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str, value: &str) -> (String, Raw) {
        (name.to_owned(), Raw::Text(value.to_owned()))
    }

    #[test]
    fn each_value_is_checked_and_a_bad_one_is_named_and_left_out() {
        let loaded = read(
            "HKLM\\Software\\Policies\\QRJumpAdmin",
            vec![
                text("APIBASE", "https://wx-gateway.corp/"),
                text("PROXYURL", "http://user:secret@proxy.corp:3128"),
                text("TEAMDATABASEURL", "postgres://qrjump@db.corp/audit"),
                ("SHOWDEMO".into(), Raw::Number(0)),
                ("LOCKED".into(), Raw::Number(1)),
                text("UPDATES", "maybe"),
                text("COLOUR", "blue"),
            ],
        );
        let policy = &loaded.policy;
        assert_eq!(policy.api_base.as_deref(), Some("https://wx-gateway.corp"));
        assert_eq!((policy.proxy_url.as_deref(), policy.show_demo, policy.locked), (None, Some(false), true));
        assert_eq!(policy.team_database_url.as_deref(), Some("postgres://qrjump@db.corp/audit"));
        let places: Vec<&str> = loaded.problems.iter().map(|p| p.place.as_str()).collect();
        assert_eq!(
            places,
            [
                "HKLM\\Software\\Policies\\QRJumpAdmin: PROXYURL",
                "HKLM\\Software\\Policies\\QRJumpAdmin: UPDATES",
                "HKLM\\Software\\Policies\\QRJumpAdmin: COLOUR"
            ]
        );
        assert_eq!(loaded.problems[0].fault, Fault::HoldsPassword);
        assert!(!loaded.problems[0].to_string().contains("secret"), "the password is not repeated");
    }

    #[test]
    fn a_locked_policy_wins_and_an_open_one_is_the_default() {
        let open = Policy { api_base: Some("https://gw".into()), ..Policy::default() };
        assert_eq!(open.choose(open.api_base.as_deref(), None), Some("https://gw"));
        assert_eq!(open.choose(open.api_base.as_deref(), Some("https://mine")), Some("https://mine"));
        let locked = Policy { locked: true, ..open.clone() };
        assert_eq!(locked.choose(locked.api_base.as_deref(), Some("https://mine")), Some("https://gw"));
    }

    #[test]
    fn a_file_that_is_not_json_is_reported_and_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.json");
        std::fs::write(&path, "{ APIBASE: nope").unwrap();
        let loaded = from_file(&path);
        assert!(loaded.policy.is_empty());
        assert!(matches!(loaded.problems[0].fault, Fault::NotJsonObject(_)), "{:?}", loaded.problems);
        assert!(from_file(&dir.path().join("none.json")).problems.is_empty(), "no file: no policy");
        std::fs::write(&path, r#"{"SHOWDEMO": false, "LOCKED": true, "UPDATEURL": "http://updates.corp/feed"}"#)
            .unwrap();
        let loaded = from_file(&path);
        assert_eq!((loaded.policy.show_demo, loaded.policy.locked), (Some(false), true));
        assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
        assert_eq!(loaded.problems[0].key.as_deref(), Some("UPDATEURL"));
    }

    #[test]
    fn the_file_takes_snake_case_keys_and_names_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.json");
        std::fs::write(
            &path,
            r#"{"token_server_url": "https://tokens.corp/wx", "api_base": "https://gw.corp", "show_demo": 0,
                "updates": true, "locked": 1, "colour": "blue"}"#,
        )
        .unwrap();
        let loaded = from_file(&path);
        let settings: Vec<(&str, serde_json::Value)> = loaded.policy.settings();
        assert_eq!(
            settings,
            [
                ("token_server_url", "https://tokens.corp/wx".into()),
                ("api_base", "https://gw.corp".into()),
                ("show_demo", false.into()),
                ("updates", true.into()),
                ("locked", true.into()),
            ]
        );
        assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
        assert_eq!(loaded.problems[0].key.as_deref(), Some("colour"));
        assert!(loaded.problems[0].to_string().contains("token_server_url"), "the file's own keys are listed");
    }
}
