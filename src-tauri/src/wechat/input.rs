//! Validated inputs: a value of these types has passed every check, so the
//! rest of the code never handles a loose string where a prefix belongs.

use std::fmt;

use serde::{Serialize, Serializer};

/// Longest prefix accepted. WeChat documents no limit for a rule; 2048 is
/// the length browsers and QR scanners are built for, so anything longer is
/// a paste mistake rather than a rule WeChat holds.
pub const PREFIX_MAX_CHARS: usize = 2048;

/// Longest page path accepted: a page and its query, well beyond any real one.
pub const PAGE_PATH_MAX_CHARS: usize = 1024;

/// The prefix every service-account rule starts with: its own QR code links.
pub const SERVICE_ACCOUNT_PREFIX: &str = "http://weixin.qq.com/q/";

/// Which input field a problem is about, so the UI can show the reason next
/// to that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Prefix,
    /// The Mini Program's AppID in service-account mode.
    TargetAppid,
    /// The calling account's own AppID.
    AccountAppid,
    AppSecret,
    AccessToken,
    /// The Mini Program page a rule opens.
    PagePath,
    /// The test links of an ordinary-mode rule.
    DebugUrl,
    /// A token server's authentication header value.
    HeaderValue,
    /// A forward proxy's password.
    ProxyPassword,
}

impl Field {
    /// The field's name in the English messages of this layer's errors
    /// (`explain::field` names it in either language).
    pub fn name(self) -> &'static str {
        match self {
            Field::Prefix => "prefix",
            Field::TargetAppid => "Mini Program AppID",
            Field::AccountAppid => "AppID",
            Field::AppSecret => "AppSecret",
            Field::AccessToken => "access token",
            Field::PagePath => "page path",
            Field::DebugUrl => "test links",
            Field::HeaderValue => "header value",
            Field::ProxyPassword => "proxy password",
        }
    }
}

/// Why an input was refused. Display gives the English message that names
/// the field; [`InputError::message`] gives it in either language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("{}: must not be empty", .0.name())]
    Empty(Field),
    #[error(
        "prefix: must be a link with a scheme and a host, e.g. https://example.com/qr/ (ftp:// and other schemes WeChat holds are allowed)"
    )]
    PrefixNotUrl,
    #[error("prefix: contains a control character (a line break, tab or similar); paste the address alone")]
    PrefixControl,
    #[error("prefix: contains a space; QR code addresses have none")]
    PrefixSpace,
    #[error("prefix: is {0} characters long; at most {PREFIX_MAX_CHARS} are allowed")]
    PrefixTooLong(usize),
    #[error("{}: must be \"wx\" followed by 16 lowercase hexadecimal characters (0-9, a-f), e.g. wx1234567890abcdef", .0.name())]
    AppId(Field),
    #[error("test links: {0} given; WeChat allows at most 5")]
    TooManyDebugUrls(usize),
    #[error("test links: {0} is not under the rule's prefix; each test link must start with the prefix")]
    DebugUrlNotUnderPrefix(String),
    #[error("prefix: a service account's rule must be one of its QR code links, starting with http://weixin.qq.com/q/")]
    NotServiceAccountPrefix,
    #[error(
        "page path: must be a page of the Mini Program such as pages/index/index (no leading /, no spaces, not a web link, at most {PAGE_PATH_MAX_CHARS} characters)"
    )]
    PagePathShape,
}

impl InputError {
    pub fn field(&self) -> Field {
        match self {
            InputError::Empty(field) | InputError::AppId(field) => *field,
            InputError::TooManyDebugUrls(_) | InputError::DebugUrlNotUnderPrefix(_) => Field::DebugUrl,
            InputError::PagePathShape => Field::PagePath,
            _ => Field::Prefix,
        }
    }
}

/// A QR code rule prefix: trimmed, a scheme followed by `://` and a host,
/// no control characters or spaces, at most [`PREFIX_MAX_CHARS`]. The shape
/// is checked, not the scheme: WeChat's rule page has allowed `ftp://`
/// besides http(s), other schemes are reported for some accounts, and a
/// rule WeChat holds must always be deletable. Kept exactly as typed
/// otherwise: WeChat matches prefixes byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Prefix(String);

impl Prefix {
    pub fn parse(input: &str) -> Result<Prefix, InputError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(InputError::Empty(Field::Prefix));
        }
        if text.chars().any(char::is_control) {
            return Err(InputError::PrefixControl);
        }
        if text.chars().any(char::is_whitespace) {
            return Err(InputError::PrefixSpace);
        }
        let length = text.chars().count();
        if length > PREFIX_MAX_CHARS {
            return Err(InputError::PrefixTooLong(length));
        }
        // RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
        let (scheme, rest) = text.split_once("://").ok_or(InputError::PrefixNotUrl)?;
        let scheme_ok = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        if !scheme_ok || host.is_empty() || host.starts_with(':') {
            return Err(InputError::PrefixNotUrl);
        }
        Ok(Prefix(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Prefix {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A WeChat AppID: `wx` and 16 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AppId(String);

impl AppId {
    /// Parses the AppID for `field` (the field decides the error message).
    pub fn parse_for(field: Field, input: &str) -> Result<AppId, InputError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(InputError::Empty(field));
        }
        let valid = text.len() == 18
            && text.starts_with("wx")
            && text[2..].bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if valid { Ok(AppId(text.to_owned())) } else { Err(InputError::AppId(field)) }
    }

    pub fn parse(input: &str) -> Result<AppId, InputError> {
        AppId::parse_for(Field::TargetAppid, input)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for AppId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// The two kinds of jump rule, as the delete form's mode switch shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// "Scan an ordinary QR code to open the Mini Program": the Mini
    /// Program's own token, body `{prefix}`.
    Ordinary,
    /// "Scan a service account's QR code": the service account's token,
    /// body `{prefix, appid}` with the Mini Program's AppID.
    ServiceAccount,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Ordinary => "ordinary",
            Mode::ServiceAccount => "service_account",
        }
    }

    pub fn parse(text: &str) -> Option<Mode> {
        match text {
            "ordinary" => Some(Mode::Ordinary),
            "service_account" => Some(Mode::ServiceAccount),
            _ => None,
        }
    }
}

/// Whose rules a call is about: the calling Mini Program's own, or those a
/// service account set up for one Mini Program. The AppID exists exactly
/// when the mode needs it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    Ordinary,
    ServiceAccount(AppId),
}

impl Scope {
    pub fn mode(&self) -> Mode {
        match self {
            Scope::Ordinary => Mode::Ordinary,
            Scope::ServiceAccount(_) => Mode::ServiceAccount,
        }
    }

    pub fn target_appid(&self) -> Option<&AppId> {
        match self {
            Scope::Ordinary => None,
            Scope::ServiceAccount(appid) => Some(appid),
        }
    }

    /// Builds a scope from form input: the mode decides, and service-account
    /// mode needs the Mini Program's AppID (ordinary mode ignores `appid`).
    pub fn from_input(mode: Mode, appid: Option<&str>) -> Result<Scope, InputError> {
        match mode {
            Mode::Ordinary => Ok(Scope::Ordinary),
            Mode::ServiceAccount => Ok(Scope::ServiceAccount(AppId::parse(appid.unwrap_or(""))?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_accepted() {
        for ok in [
            "https://example.com/qr/",
            "  http://weixin.qq.com/q/02P5KzM_xxxxx \n",
            "https://例子.cn/a?x=1",
            "HTTPS://Example.com",
            // WeChat's rule page allowed ftp://; other schemes are reported.
            "ftp://files.example.com/qr/",
            "hlht://charge.example.com/pile?id=",
            "https://a.com:8443/x",
        ] {
            let prefix = Prefix::parse(ok).unwrap_or_else(|e| panic!("{ok:?}: {e}"));
            assert_eq!(prefix.as_str(), ok.trim(), "kept as typed");
        }
    }

    #[test]
    fn prefixes_refused_with_reason() {
        assert_eq!(Prefix::parse("   "), Err(InputError::Empty(Field::Prefix)));
        assert_eq!(Prefix::parse("example.com/qr"), Err(InputError::PrefixNotUrl));
        assert_eq!(Prefix::parse("https:///path"), Err(InputError::PrefixNotUrl));
        assert_eq!(Prefix::parse("://example.com/"), Err(InputError::PrefixNotUrl));
        assert_eq!(Prefix::parse("1ttp://example.com/"), Err(InputError::PrefixNotUrl));
        assert_eq!(Prefix::parse("https:/example.com/"), Err(InputError::PrefixNotUrl));
        assert_eq!(Prefix::parse("https://a.com/\u{7}x"), Err(InputError::PrefixControl));
        assert_eq!(Prefix::parse("https://a.com/a\nb"), Err(InputError::PrefixControl));
        assert_eq!(Prefix::parse("https://a.com/a b"), Err(InputError::PrefixSpace));
        let long = format!("https://a.com/{}", "x".repeat(PREFIX_MAX_CHARS));
        assert!(matches!(Prefix::parse(&long), Err(InputError::PrefixTooLong(_))));
        assert!(InputError::PrefixNotUrl.to_string().starts_with("prefix:"));
    }

    #[test]
    fn appids() {
        assert!(AppId::parse("wx1234567890abcdef").is_ok());
        assert!(AppId::parse(" wx1234567890abcdef ").is_ok());
        for bad in
            ["", "wx123", "wx1234567890ABCDEF", "ab1234567890abcdef", "wx1234567890abcdeg", "wx1234567890abcdef0"]
        {
            assert!(AppId::parse(bad).is_err(), "{bad:?}");
        }
        let error = AppId::parse("nope").unwrap_err();
        assert_eq!(error.field(), Field::TargetAppid);
        assert!(error.to_string().starts_with("Mini Program AppID:"), "{error}");
    }

    #[test]
    fn scope_needs_appid_only_in_service_mode() {
        assert_eq!(Scope::from_input(Mode::Ordinary, Some("junk")), Ok(Scope::Ordinary));
        assert_eq!(Scope::from_input(Mode::ServiceAccount, None), Err(InputError::Empty(Field::TargetAppid)));
    }
}
