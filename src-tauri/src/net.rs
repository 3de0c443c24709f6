//! The rules every HTTP client of the app keeps (DESIGN §5): a secret goes
//! only over TLS (this computer aside), never follows a redirect, never
//! rides in a Referer, and no answer is read past a size decided beforehand.
//!
//! Every `reqwest::Client` is made by [`client_builder`], so a new client
//! cannot forget one of them.

use std::net::IpAddr;
use std::time::Duration;

/// The User-Agent of every request.
pub const USER_AGENT: &str = concat!("qrjump-admin/", env!("CARGO_PKG_VERSION"));

/// The largest answer read from WeChat or a gateway: a list of 10,000 rules
/// with five test links each is about 8 MB.
pub const MAX_API_BODY: usize = 16 << 20;

/// The largest answer read from a token server: a token and its lifetime.
pub const MAX_TOKEN_BODY: usize = 64 << 10;

/// A client that follows no redirect and sends no Referer, with bounded waits.
///
/// WeChat's API never redirects; a redirect comes from something between
/// us and it, and following it would carry the token in the URL, a token
/// server's header or, replayed by a 307/308, the AppSecret in the body to
/// wherever it points. The 3xx answer comes back as it is, for the caller
/// to refuse in words (see [`redirect_target`]).
pub fn client_builder(connect: Duration, total: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .connect_timeout(connect)
        .timeout(total)
        .user_agent(USER_AGENT)
}

/// Whether `host` (a URL's host, brackets allowed) is this computer.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Why a URL that would carry a secret was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Insecure {
    /// Not a URL with a host at all.
    NotUrl,
    /// `http://` to another computer: a secret would cross the network in clear.
    NotTls,
}

/// Checks that `url` is `https://`, or `http://` to this computer only.
pub fn require_tls(url: &str) -> Result<reqwest::Url, Insecure> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|_| Insecure::NotUrl)?;
    let host = parsed.host_str().filter(|h| !h.is_empty()).ok_or(Insecure::NotUrl)?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if is_loopback_host(host) => Ok(parsed),
        "http" => Err(Insecure::NotTls),
        _ => Err(Insecure::NotUrl),
    }
}

/// Where a 3xx answer pointed, told without its query (which a hostile
/// server may fill with what it was sent): `None` when it is no redirect.
pub fn redirect_target(response: &reqwest::Response) -> Option<String> {
    if !response.status().is_redirection() {
        return None;
    }
    let location = response.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    Some(without_query(&response.url().join(location).map(|u| u.to_string()).unwrap_or_default()))
}

/// `scheme://host[:port]/path` of a URL: no user, password, query or fragment.
pub fn without_query(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(url) => {
            let host = url.host_str().unwrap_or("");
            let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{}://{host}{port}{}", url.scheme(), url.path())
        }
        Err(_) => String::from("(an address that is not a URL)"),
    }
}

/// Reading an answer failed: the connection broke, or it was larger than allowed.
#[derive(Debug)]
pub enum BodyError {
    Transport(reqwest::Error),
    TooLarge { limit: usize },
}

/// Reads an answer's body, refusing it once it passes `limit` bytes (a
/// declared Content-Length over it is refused before reading).
pub async fn read_body(response: reqwest::Response, limit: usize) -> Result<Vec<u8>, BodyError> {
    read_body_reporting(response, limit, &mut |_, _| {}).await
}

/// `read_body`, telling `progress` after each piece how many bytes have
/// come, and how many the server said it would send.
pub async fn read_body_reporting(
    mut response: reqwest::Response,
    limit: usize,
    progress: &mut (dyn FnMut(u64, Option<u64>) + Send),
) -> Result<Vec<u8>, BodyError> {
    let total = response.content_length();
    if total.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge { limit });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
        progress(body.len() as u64, total);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_is_required_except_to_this_computer() {
        for ok in [
            "https://api.weixin.qq.com",
            "https://token.corp/x?appid=1",
            "http://127.0.0.1:8080",
            "http://127.5.6.7/x",
            "http://localhost:1",
            "http://[::1]:9/",
        ] {
            assert!(require_tls(ok).is_ok(), "{ok}");
        }
        for clear in ["http://token.corp", "http://10.0.0.1:80/", "http://localhost.evil.com", "http://[::2]/"] {
            assert_eq!(require_tls(clear).unwrap_err(), Insecure::NotTls, "{clear}");
        }
        for bad in ["ftp://x", "token.corp", "https://"] {
            assert_eq!(require_tls(bad).unwrap_err(), Insecure::NotUrl, "{bad}");
        }
    }

    #[test]
    fn a_shown_url_loses_its_query_and_credentials() {
        assert_eq!(without_query("https://u:p@evil.test:8443/a/b?access_token=T#f"), "https://evil.test:8443/a/b");
    }
}
