//! A company's token server (中控服务器) or a third-party platform's: the
//! one place that holds an account's access token. We ask it; we never ask
//! WeChat for a token on such an account.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::Error;
use super::secret::{Secret, redact};

/// How the token server is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    #[default]
    Get,
    Post,
}

/// Where the token is in the server's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenAt {
    /// A JSON pointer (RFC 6901), e.g. `/data/access_token`.
    Pointer(String),
    /// The whole answer is the token, as plain text.
    Text,
}

impl TokenAt {
    /// `text` for a plain-text answer, else a JSON pointer.
    pub fn parse(text: &str) -> Result<TokenAt, String> {
        let text = text.trim();
        match text {
            "" => Ok(TokenAt::Pointer("/access_token".into())),
            "text" => Ok(TokenAt::Text),
            pointer if pointer.starts_with('/') => Ok(TokenAt::Pointer(pointer.into())),
            other => Err(format!("{other:?} is neither a JSON pointer (starting with /) nor \"text\"")),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            TokenAt::Pointer(pointer) => pointer,
            TokenAt::Text => "text",
        }
    }
}

/// Everything needed to ask a token server for one account's token.
#[derive(Debug, Clone)]
pub struct TokenServer {
    /// With `{appid}` already filled in.
    pub url: String,
    pub method: Method,
    /// An authentication header, e.g. `Authorization: Bearer ...`.
    pub header: Option<(String, Secret)>,
    pub token_at: TokenAt,
    /// A JSON pointer to the token's lifetime in seconds, if the answer has one.
    pub expires_at: Option<String>,
    /// The query parameter that carries the stale token when we ask again
    /// after WeChat refused it (token servers rotate on seeing it).
    pub stale_param: Option<String>,
}

/// A token as the server gave it, and how long it said it lives.
#[derive(Debug)]
pub struct Fetched {
    pub token: Secret,
    pub lifetime: Option<Duration>,
}

/// What went wrong asking the token server. Never about WeChat: no call
/// to WeChat was made, so no outcome is in doubt.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenServerError {
    #[error("could not connect to the token server {0}")]
    Unreachable(String),
    #[error("the token server {host} did not answer within {} seconds", .after.as_secs())]
    Timeout { host: String, after: Duration },
    #[error("the token server refused our authentication (HTTP {status})")]
    Refused { status: u16 },
    #[error("the token server answered HTTP {status}")]
    Http { status: u16 },
    #[error("the token server's answer is not JSON (starts with {start:?})")]
    NotJson { start: String },
    #[error("the token server's answer has no token at {pointer}; it looked like {shape}")]
    NoToken { pointer: String, shape: String },
    #[error("the token server's connection broke: {0}")]
    Network(String),
    /// Followed, a redirect would carry the header's secret elsewhere.
    #[error("the token server answered HTTP {status}, a redirect to {to}, which is not followed")]
    Redirect { status: u16, to: String },
    #[error("the token server's answer was larger than {} KB", .limit >> 10)]
    TooLarge { limit: usize },
    /// Refused before any connection.
    #[error("the token server's URL {0}")]
    BadUrl(ServerUrlError),
}

impl TokenServer {
    pub fn host(&self) -> String {
        host_of(&self.url)
    }

    fn secrets(&self) -> Vec<&Secret> {
        self.header.iter().map(|(_, value)| value).collect()
    }

    /// Asks the server for a token; `stale` is the one WeChat just refused.
    pub async fn fetch(
        &self,
        http: &reqwest::Client,
        total: Duration,
        stale: Option<&Secret>,
    ) -> Result<Fetched, Error> {
        // Checked again here: a setting saved by an older version, or
        // edited by hand, must not send the header in clear either.
        check_server_url(&self.url).map_err(|e| Error::TokenServer(TokenServerError::BadUrl(e)))?;
        let mut secrets = self.secrets();
        secrets.extend(stale);
        let mut request = match self.method {
            Method::Get => http.get(&self.url),
            Method::Post => http.post(&self.url),
        };
        if let (Some(param), Some(stale)) = (&self.stale_param, stale) {
            request = request.query(&[(param.as_str(), stale.expose())]);
        }
        if let Some((name, value)) = &self.header {
            request = request.header(name.as_str(), value.expose());
        }
        let failed = |e: reqwest::Error| {
            let error = if e.is_timeout() {
                TokenServerError::Timeout { host: self.host(), after: total }
            } else if e.is_connect() {
                TokenServerError::Unreachable(self.host())
            } else {
                TokenServerError::Network(redact(&e.without_url().to_string(), &secrets))
            };
            Error::TokenServer(error)
        };
        let response = request.send().await.map_err(failed)?;
        let status = response.status().as_u16();
        if let Some(to) = crate::net::redirect_target(&response) {
            return Err(Error::TokenServer(TokenServerError::Redirect { status, to }));
        }
        let bytes = crate::net::read_body(response, crate::net::MAX_TOKEN_BODY).await.map_err(|e| match e {
            crate::net::BodyError::Transport(e) => failed(e),
            crate::net::BodyError::TooLarge { limit } => Error::TokenServer(TokenServerError::TooLarge { limit }),
        })?;
        read_answer(status, &bytes, &self.token_at, self.expires_at.as_deref(), &secrets).map_err(Error::TokenServer)
    }
}

/// Reads the token (and lifetime) out of a token server's answer.
pub fn read_answer(
    status: u16,
    bytes: &[u8],
    token_at: &TokenAt,
    expires_at: Option<&str>,
    secrets: &[&Secret],
) -> Result<Fetched, TokenServerError> {
    match status {
        401 | 403 => return Err(TokenServerError::Refused { status }),
        200..=299 => {}
        _ => return Err(TokenServerError::Http { status }),
    }
    let text = String::from_utf8_lossy(bytes);
    let pointer = match token_at {
        TokenAt::Text => {
            let token = text.trim();
            if token.is_empty() || token.starts_with('<') || token.contains(char::is_whitespace) {
                let start: String = token.chars().take(40).collect();
                return Err(TokenServerError::NotJson { start: redact(&start, secrets) });
            }
            return Ok(Fetched { token: Secret::new(token), lifetime: None });
        }
        TokenAt::Pointer(pointer) => pointer,
    };
    let value: Value = serde_json::from_slice(bytes).map_err(|_| {
        let start: String = text.trim().chars().take(40).collect();
        // The start of a non-JSON answer is shown: an HTML page or a proxy's
        // notice, never a token (those come back as JSON or plain text).
        TokenServerError::NotJson { start: redact(&start, secrets) }
    })?;
    let token = value.pointer(pointer).and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(TokenServerError::NoToken { pointer: pointer.clone(), shape: shape(&value) });
    };
    let lifetime = expires_at
        .and_then(|p| value.pointer(p))
        .and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())))
        .map(Duration::from_secs);
    Ok(Fetched { token: Secret::new(token), lifetime })
}

/// The answer's shape with every value replaced by its type, to show an
/// admin what came back without showing what it held.
pub fn shape(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let fields: Vec<String> =
                map.iter().map(|(k, v)| format!("{}: {}", Value::from(k.as_str()), shape(v))).collect();
            format!("{{{}}}", fields.join(", "))
        }
        Value::Array(items) => match items.first() {
            Some(first) => format!("[{}, …]", shape(first)),
            None => "[]".into(),
        },
        Value::String(_) => "string".into(),
        Value::Number(_) => "number".into(),
        Value::Bool(_) => "boolean".into(),
        Value::Null => "null".into(),
    }
}

/// Why a token server's URL was refused. None of them holds the URL: one
/// that carries a secret is never shown back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ServerUrlError {
    #[error("must be an https:// URL, which may hold {{appid}}")]
    NotUrl,
    #[error(
        "must be https:// (http:// only to this computer): the header's secret and the token would cross the network unencrypted"
    )]
    NotTls,
    #[error(
        "must not carry a user name or password (user:password@): put the secret in the authentication header, which the credential store keeps"
    )]
    Credentials,
    #[error(
        "must not carry a key, secret, token or signature in its query: put it in the authentication header, which the credential store keeps"
    )]
    KeyInQuery,
}

/// Query parameter names that hold a secret, in the URLs token servers use.
const KEY_LIKE: [&str; 9] = ["key", "secret", "token", "password", "passwd", "pwd", "sign", "auth", "credential"];

/// Checks a token server's URL (which may hold `{appid}`): the one check of
/// the app's form, the CLI and every fetch.
pub fn check_server_url(url: &str) -> Result<(), ServerUrlError> {
    let probe = url.trim().replace("{appid}", "wx0000000000000000");
    let parsed = crate::net::require_tls(&probe).map_err(|e| match e {
        crate::net::Insecure::NotUrl => ServerUrlError::NotUrl,
        crate::net::Insecure::NotTls => ServerUrlError::NotTls,
    })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(ServerUrlError::Credentials);
    }
    let key_like = |name: &str| {
        let name = name.to_ascii_lowercase();
        KEY_LIKE.iter().any(|key| name.contains(key))
    };
    if parsed.query_pairs().any(|(name, _)| key_like(&name)) {
        return Err(ServerUrlError::KeyInQuery);
    }
    Ok(())
}

/// Whether `name` can be sent as an HTTP header's name.
pub fn is_header_name(name: &str) -> bool {
    reqwest::header::HeaderName::from_bytes(name.trim().as_bytes()).is_ok()
}

/// `host:port` of a URL, for messages (never its path or query).
pub fn host_of(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    // Credentials in a URL (proxy URLs) are never shown.
    host.rsplit('@').next().unwrap_or(host).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str, at: &str, expires: Option<&str>) -> Result<Fetched, TokenServerError> {
        read_answer(200, body.as_bytes(), &TokenAt::parse(at).unwrap(), expires, &[])
    }

    #[test]
    fn the_shapes_in_use() {
        let plain = read(r#"{"access_token":"T1","expires_in":7200}"#, "/access_token", Some("/expires_in")).unwrap();
        assert_eq!((plain.token.expose(), plain.lifetime), ("T1", Some(Duration::from_secs(7200))));
        let wrapped = read(
            r#"{"code":0,"data":{"access_token":"T2","expires_in":"600"}}"#,
            "/data/access_token",
            Some("/data/expires_in"),
        )
        .unwrap();
        assert_eq!((wrapped.token.expose(), wrapped.lifetime), ("T2", Some(Duration::from_secs(600))));
        let camel = read(r#"{"data":{"accessToken":"T3"}}"#, "/data/accessToken", None).unwrap();
        assert_eq!((camel.token.expose(), camel.lifetime), ("T3", None));
        let text = read("T4\n", "text", None).unwrap();
        assert_eq!(text.token.expose(), "T4");
    }

    #[test]
    fn a_missing_token_shows_the_shape_not_the_values() {
        let e = read(r#"{"code":40001,"msg":"secret T-SECRET wrong","data":[{"x":1}]}"#, "/access_token", None);
        let Err(TokenServerError::NoToken { shape, .. }) = e else { panic!("{e:?}") };
        assert_eq!(shape, r#"{"code": number, "data": [{"x": number}, …], "msg": string}"#);
    }

    #[test]
    fn statuses_and_pages() {
        let at = TokenAt::Pointer("/access_token".into());
        assert!(matches!(read_answer(401, b"", &at, None, &[]), Err(TokenServerError::Refused { status: 401 })));
        assert!(matches!(read_answer(502, b"", &at, None, &[]), Err(TokenServerError::Http { status: 502 })));
        assert!(matches!(read("<html>login</html>", "/access_token", None), Err(TokenServerError::NotJson { .. })));
        assert!(matches!(read("<html>login</html>", "text", None), Err(TokenServerError::NotJson { .. })));
        assert!(TokenAt::parse("data.token").is_err());
    }

    #[test]
    fn server_urls_keep_their_secrets_out() {
        assert_eq!(check_server_url("https://token.corp/wx/{appid}/token?appid={appid}"), Ok(()));
        assert_eq!(check_server_url("http://127.0.0.1:9000/token"), Ok(()));
        assert_eq!(check_server_url("http://token.corp/token"), Err(ServerUrlError::NotTls));
        assert_eq!(check_server_url("token.corp/token"), Err(ServerUrlError::NotUrl));
        assert_eq!(check_server_url("https://ops:pw@token.corp/"), Err(ServerUrlError::Credentials));
        for query in ["api_key=1", "secret=1", "accessToken=1", "X-Sign=1", "pwd=1"] {
            assert_eq!(
                check_server_url(&format!("https://t.corp/?{query}")),
                Err(ServerUrlError::KeyInQuery),
                "{query}"
            );
        }
        assert!(!ServerUrlError::KeyInQuery.to_string().contains("t.corp"));
    }

    #[test]
    fn hosts_hide_credentials_and_paths() {
        assert_eq!(host_of("http://user:pw@proxy.corp:3128"), "proxy.corp:3128");
        assert_eq!(host_of("https://token.corp/wx/token?appid=wx1"), "token.corp");
    }
}
