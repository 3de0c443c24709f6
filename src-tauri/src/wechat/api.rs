//! The shapes of WeChat's qrcodejump requests and answers.

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use super::error::Error;
use super::input::{AppId, Field, InputError, PAGE_PATH_MAX_CHARS, Prefix, SERVICE_ACCOUNT_PREFIX, Scope};
use super::limits::DEBUG_URLS_MAX;
pub use super::limits::PAGE_SIZE_MAX;

/// One QR code jump rule as `qrcodejumpget` lists it. Fields only the
/// ordinary mode returns are optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Rule {
    pub prefix: String,
    #[serde(default)]
    pub path: String,
    /// 1 unpublished, 2 published.
    #[serde(default)]
    pub state: i64,
    /// 1 development, 2 trial, 3 release (ordinary mode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debug_url: Option<Vec<String>>,
    /// 1 not exclusive of sub-rules, 2 exclusive (ordinary mode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permit_sub_rule: Option<i64>,
}

impl Rule {
    pub fn is_published(&self) -> bool {
        self.state == 2
    }
}

/// The answer of `qrcodejumpget`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RuleList {
    #[serde(default)]
    pub rule_list: Vec<Rule>,
    /// 1 when the account has QR code jumping switched on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qrcodejump_open: Option<i64>,
    #[serde(default)]
    pub list_size: i64,
    #[serde(default)]
    pub total_count: i64,
    /// Publishes left this month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qrcodejump_pub_quota: Option<i64>,
}

/// `get_type` of `qrcodejumpget` in service-account mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleQuery {
    /// get_type 0: the newest 10 000.
    Newest,
    /// get_type 1: the rules with these prefixes (at most 200).
    Prefixes(Vec<String>),
    /// get_type 2: one page, `page_num` from 1, `page_size` at most 200.
    Page { page_num: u32, page_size: u32 },
}

/// Who may open the Mini Program through an ordinary-mode rule before it
/// is published (`open_version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenVersion {
    /// 1: developers only.
    Development = 1,
    /// 2: administrators and testers.
    Trial = 2,
    /// 3: developers, administrators and testers.
    Release = 3,
}

/// Whether an ordinary-mode rule claims every sub-rule (`permit_sub_rule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubRules {
    /// 1: other accounts may set rules under this prefix.
    Shared = 1,
    /// 2: this rule claims the prefix and everything under it.
    Exclusive = 2,
}

impl OpenVersion {
    pub fn from_code(code: i64) -> Option<OpenVersion> {
        [OpenVersion::Development, OpenVersion::Trial, OpenVersion::Release].into_iter().find(|v| *v as i64 == code)
    }
}

impl SubRules {
    pub fn from_code(code: i64) -> Option<SubRules> {
        [SubRules::Shared, SubRules::Exclusive].into_iter().find(|v| *v as i64 == code)
    }
}

/// What a rule needs besides its prefix and page, by mode. WeChat requires
/// `open_version` and `permit_sub_rule` in ordinary mode and the Mini
/// Program's AppID in service-account mode: a rule without them cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleTarget {
    Ordinary { open_version: OpenVersion, permit_sub_rule: SubRules, debug_url: Vec<String> },
    ServiceAccount { appid: AppId },
}

/// A rule to add or edit (`qrcodejumpadd`); also how a deleted rule is restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRule {
    pub prefix: Prefix,
    /// The Mini Program page, e.g. `pages/index/index`.
    pub path: String,
    pub target: RuleTarget,
    /// Edit an existing (unpublished) rule instead of adding one.
    pub is_edit: bool,
}

impl NewRule {
    /// An ordinary-mode rule; at most 5 test links (`debug_url`).
    pub fn ordinary(
        prefix: Prefix,
        path: &str,
        open_version: OpenVersion,
        permit_sub_rule: SubRules,
        debug_url: Vec<String>,
    ) -> Result<NewRule, InputError> {
        let debug_url: Vec<String> =
            debug_url.iter().map(|url| url.trim().to_owned()).filter(|url| !url.is_empty()).collect();
        if debug_url.len() > DEBUG_URLS_MAX {
            return Err(InputError::TooManyDebugUrls(debug_url.len()));
        }
        // WeChat answers 85068 for a test link outside the prefix.
        if let Some(outside) = debug_url.iter().find(|url| !url.starts_with(prefix.as_str())) {
            return Err(InputError::DebugUrlNotUnderPrefix(outside.clone()));
        }
        let path = page_path(path)?;
        Ok(NewRule {
            prefix,
            path,
            target: RuleTarget::Ordinary { open_version, permit_sub_rule, debug_url },
            is_edit: false,
        })
    }

    /// A service-account-mode rule opening the Mini Program `appid`.
    pub fn service_account(prefix: Prefix, path: &str, appid: AppId) -> Result<NewRule, InputError> {
        // WeChat answers 85066 for anything but the service account's own links.
        if !prefix.as_str().starts_with(SERVICE_ACCOUNT_PREFIX) {
            return Err(InputError::NotServiceAccountPrefix);
        }
        let path = page_path(path)?;
        Ok(NewRule { prefix, path, target: RuleTarget::ServiceAccount { appid }, is_edit: false })
    }

    /// The same rule as an edit of the existing one.
    pub fn as_edit(self) -> NewRule {
        NewRule { is_edit: true, ..self }
    }

    pub fn scope(&self) -> Scope {
        match &self.target {
            RuleTarget::Ordinary { .. } => Scope::Ordinary,
            RuleTarget::ServiceAccount { appid } => Scope::ServiceAccount(appid.clone()),
        }
    }
}

/// A Mini Program page (`pages/index/index`, perhaps with `?a=1`): WeChat
/// takes it relative, so a leading `/`, a web link or a space is a mistake.
pub fn page_path(path: &str) -> Result<String, InputError> {
    let path = path.trim();
    if path.is_empty() {
        return Err(InputError::Empty(Field::PagePath));
    }
    let shape_ok = !path.starts_with('/')
        && !path.contains("://")
        && !path.chars().any(|c| c.is_whitespace() || c.is_control())
        && path.chars().count() <= PAGE_PATH_MAX_CHARS;
    if shape_ok { Ok(path.to_owned()) } else { Err(InputError::PagePathShape) }
}

/// The request body, with exactly the fields WeChat names for the mode.
impl Serialize for NewRule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("prefix", self.prefix.as_str())?;
        match &self.target {
            RuleTarget::Ordinary { open_version, permit_sub_rule, debug_url } => {
                map.serialize_entry("path", &self.path)?;
                map.serialize_entry("open_version", &(*open_version as i64))?;
                map.serialize_entry("permit_sub_rule", &(*permit_sub_rule as i64))?;
                map.serialize_entry("debug_url", debug_url)?;
            }
            RuleTarget::ServiceAccount { appid } => {
                map.serialize_entry("appid", appid.as_str())?;
                map.serialize_entry("path", &self.path)?;
            }
        }
        map.serialize_entry("is_edit", &i64::from(self.is_edit))?;
        map.end()
    }
}

/// What a delete came to. WeChat can answer "busy" (-1) for a delete that
/// took effect; the retry then fails, since the rule is gone. So after a
/// "busy", a failed retry is settled by reading the rule list.
#[derive(Debug, Clone, PartialEq)]
pub enum Deletion {
    /// WeChat answered errcode 0.
    Deleted(Answer),
    /// The call failed, with no "busy" before that leaves it in doubt.
    Failed(Error),
    /// "Busy", then the retry answered `retry`, and the rule is no longer
    /// in the list: the first try deleted it.
    DeletedBeforeRetry { retry: Error },
    /// "Busy", then `retry`, and the rule is still in the list.
    StillThere { retry: Error },
    /// "Busy", then `retry`, and the list could not be read to tell.
    Unsettled { retry: Error, lookup: Error },
}

/// How far a listing has come, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub fetched: usize,
    /// WeChat's `total_count`, when it sends one.
    pub total: Option<i64>,
}

/// The errcode/errmsg of a successful call, kept to show and record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub errcode: i64,
    pub errmsg: String,
}

/// The answer of `qrcodejumpdownload`: a file WeChat fetches from the
/// prefix's web server to prove the domain is the account's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationFile {
    pub file_name: String,
    pub file_content: String,
}

/// Whether `name` is a plain file name that can be joined to a folder
/// without leaving it: letters, digits, `.`, `_` and `-` only, not `.` or
/// `..`, and its own `Path::file_name()`.
pub fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !name.chars().all(|c| c == '.')
        && std::path::Path::new(name).file_name().and_then(|n| n.to_str()) == Some(name)
}

/// `scheme://host` of a prefix: the site WeChat fetches the verification
/// file from (https when the prefix names no scheme).
pub fn origin(prefix: &str) -> String {
    let (scheme, rest) = prefix.split_once("://").unwrap_or(("https", prefix));
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    format!("{scheme}://{host}")
}

impl VerificationFile {
    /// Where WeChat looks for the file (qrcodejumpdownload page): in the
    /// last directory the prefix names, or at the host's top level when it
    /// names none. `https://a.com/qr/shop/x` → `https://a.com/qr/shop/NAME`;
    /// `https://a.com/pay?x=` → `https://a.com/NAME`.
    /// Every place WeChat may look: the prefix's last directory, and the
    /// host's top level (once, when they are the same).
    pub fn places(&self, prefix: &str) -> Vec<String> {
        let root = format!("{}/{}", origin(prefix), self.file_name);
        let last = self.location(prefix);
        if last == root { vec![last] } else { vec![last, root] }
    }

    pub fn location(&self, prefix: &str) -> String {
        let (scheme, rest) = prefix.split_once("://").unwrap_or(("https", prefix));
        let rest = rest.split(['?', '#']).next().unwrap_or(rest);
        let directory = match rest.rfind('/') {
            Some(i) => &rest[..=i],
            None => rest,
        };
        let directory = directory.trim_end_matches('/');
        format!("{scheme}://{directory}/{}", self.file_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_file_names_are_accepted() {
        for ok in ["a1b2.txt", "MP_verify_AbC-12.txt", ".well"] {
            assert!(is_plain_file_name(ok), "{ok}");
        }
        for bad in
            ["", ".", "..", "../../x", "/etc/cron.d/x", "a/b.txt", "C:\\x.txt", "x\\..\\y", "a b.txt", "x\0y", "名.txt"]
        {
            assert!(!is_plain_file_name(bad), "{bad}");
        }
    }

    #[test]
    fn the_verification_file_goes_in_the_last_directory_or_at_the_top() {
        let file = VerificationFile { file_name: "a1b2.txt".into(), file_content: "x".into() };
        assert_eq!(file.location("https://a.com/qr/shop/x"), "https://a.com/qr/shop/a1b2.txt");
        assert_eq!(file.location("https://a.com/qr/shop/"), "https://a.com/qr/shop/a1b2.txt");
        assert_eq!(file.location("https://a.com/pay?shop=/x/"), "https://a.com/a1b2.txt");
        assert_eq!(file.location("https://a.com"), "https://a.com/a1b2.txt");
        assert_eq!(file.places("https://a.com/qr/x"), ["https://a.com/qr/a1b2.txt", "https://a.com/a1b2.txt"]);
        assert_eq!(file.places("https://a.com/x"), ["https://a.com/a1b2.txt"]);
    }
}
