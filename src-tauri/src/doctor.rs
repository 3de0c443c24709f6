//! The verification-file doctor: fetches WeChat's verification file from
//! each place WeChat looks for it and says, per address, what WeChat would
//! meet there.
//!
//! WeChat's check (85069) fails for a handful of reasons that look alike
//! from the console: the file is missing (404), a login or error page comes
//! back instead (HTML), the bytes differ, the server redirects (WeChat does
//! not follow), the certificate is not valid for the host, the server is
//! slow, or nothing answers. Each address gets one [`Finding`]; the verdict
//! is `ok` when any place holds the file. What a server sends is only
//! compared, never followed or written anywhere.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::net::{self, BodyError};
use crate::wechat::{Prefix, VerificationFile};

/// Longer than this and WeChat's check gives up: reported as `slow`.
pub const SLOW: Duration = Duration::from_secs(3);
/// How long the doctor itself waits for an address.
const GIVE_UP: Duration = Duration::from_secs(10);
/// The file is a few dozen bytes; a page that comes back instead is read
/// this far, enough to tell HTML from other bytes.
const MAX_BODY: usize = 64 << 10;

/// What one address served, as WeChat would see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    Ok,
    /// 404 or another 4xx.
    NotFound,
    /// A web page came back instead of the file (a login or error page).
    Html,
    /// Not byte for byte the file.
    WrongContent,
    /// A 3xx: WeChat does not follow redirects for this check.
    Redirect,
    /// The certificate is not valid for the host, expired or self-signed.
    Tls,
    /// It took longer than [`SLOW`].
    Slow,
    /// No connection, or the server failed (5xx).
    Unreachable,
}

impl Finding {
    pub const ALL: [Finding; 8] = [
        Finding::Ok,
        Finding::NotFound,
        Finding::Html,
        Finding::WrongContent,
        Finding::Redirect,
        Finding::Tls,
        Finding::Slow,
        Finding::Unreachable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Finding::Ok => "ok",
            Finding::NotFound => "not_found",
            Finding::Html => "html",
            Finding::WrongContent => "wrong_content",
            Finding::Redirect => "redirect",
            Finding::Tls => "tls",
            Finding::Slow => "slow",
            Finding::Unreachable => "unreachable",
        }
    }
}

/// One address and what it served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub url: String,
    pub finding: Finding,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    pub ms: u64,
    /// Where a redirect pointed (without its query); for `tls` and
    /// `unreachable`, what the connection met.
    pub detail: Option<String>,
}

/// The doctor's report on one prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub prefix: String,
    pub file_name: String,
    /// `ok` when any place holds the file; else the finding at the place
    /// WeChat tries first (the prefix's last directory).
    pub verdict: Finding,
    pub urls: Vec<Place>,
}

/// curl's `--connect-to HOST:PORT:HOST2:PORT2`: requests for HOST:PORT go
/// to HOST2:PORT2 (an empty field matches any host or port, or keeps it),
/// so a server can be checked before its DNS changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectTo {
    host: String,
    port: Option<u16>,
    to_host: String,
    to_port: Option<u16>,
}

impl FromStr for ConnectTo {
    type Err = String;

    fn from_str(text: &str) -> Result<ConnectTo, String> {
        let fields: Vec<&str> = text.split(':').collect();
        let [host, port, to_host, to_port] = fields[..] else {
            return Err(format!("{text}: must be HOST:PORT:HOST2:PORT2, e.g. shop.example.com:443:127.0.0.1:8443"));
        };
        let port_of = |p: &str| -> Result<Option<u16>, String> {
            match p {
                "" => Ok(None),
                p => p.parse().map(Some).map_err(|_| format!("{text}: {p} is not a port (1-65535)")),
            }
        };
        Ok(ConnectTo {
            host: host.to_ascii_lowercase(),
            port: port_of(port)?,
            to_host: to_host.to_owned(),
            to_port: port_of(to_port)?,
        })
    }
}

impl ConnectTo {
    fn applies(&self, host: &str, port: u16) -> bool {
        (self.host.is_empty() || self.host == host) && self.port.is_none_or(|p| p == port)
    }
}

/// Examines every place WeChat looks for `file` under `prefix`, at once.
pub async fn examine(prefix: &Prefix, file: &VerificationFile, connect_to: &[ConnectTo]) -> Report {
    let places = file.places(prefix.as_str());
    let expected = file.file_content.as_bytes();
    // One or two places (`VerificationFile::places`), asked at once.
    let urls: Vec<Place> = match places.as_slice() {
        [last, root] => {
            let (last, root) = tokio::join!(fetch(last, expected, connect_to), fetch(root, expected, connect_to));
            vec![last, root]
        }
        places => {
            let mut urls = Vec::with_capacity(places.len());
            for url in places {
                urls.push(fetch(url, expected, connect_to).await);
            }
            urls
        }
    };
    let verdict = if urls.iter().any(|p| p.finding == Finding::Ok) {
        Finding::Ok
    } else {
        urls.first().map_or(Finding::Unreachable, |p| p.finding)
    };
    Report { prefix: prefix.as_str().to_owned(), file_name: file.file_name.clone(), verdict, urls }
}

/// Fetches one address and says what it served.
async fn fetch(url: &str, expected: &[u8], connect_to: &[ConnectTo]) -> Place {
    let started = Instant::now();
    let place = |finding, status, detail| Place {
        url: url.to_owned(),
        finding,
        status,
        ms: started.elapsed().as_millis() as u64,
        detail,
    };
    let (client, target) = match routed(url, connect_to).await {
        Ok(routed) => routed,
        Err(detail) => return place(Finding::Unreachable, None, Some(detail)),
    };
    let response = match client.get(target).send().await {
        Ok(response) => response,
        Err(error) => {
            let finding = fault(&error);
            let finding =
                if finding == Finding::Unreachable && started.elapsed() >= SLOW { Finding::Slow } else { finding };
            return place(finding, None, Some(cause(&error)));
        }
    };
    let status = response.status().as_u16();
    if let Some(to) = net::redirect_target(&response) {
        return place(Finding::Redirect, Some(status), Some(to));
    }
    let html_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.to_ascii_lowercase().contains("html"));
    let body = match net::read_body(response, MAX_BODY).await {
        Ok(body) => Some(body),
        Err(BodyError::TooLarge { .. }) => None,
        Err(BodyError::Transport(error)) => {
            let finding = if started.elapsed() >= SLOW { Finding::Slow } else { Finding::Unreachable };
            return place(finding, Some(status), Some(cause(&error)));
        }
    };
    let finding = classify(status, html_type, body.as_deref(), expected, started.elapsed());
    place(finding, Some(status), None)
}

/// What an answer that came is, as WeChat's check would take it.
pub fn classify(status: u16, html_type: bool, body: Option<&[u8]>, expected: &[u8], took: Duration) -> Finding {
    let finding = match status {
        200..=299 => match body {
            Some(body) if body == expected => Finding::Ok,
            Some(body) if html_type || looks_like_html(body) => Finding::Html,
            None if html_type => Finding::Html,
            _ => Finding::WrongContent,
        },
        300..=399 => Finding::Redirect,
        400..=499 => Finding::NotFound,
        _ => Finding::Unreachable,
    };
    // Right but slow is still a failure for WeChat, which gives up.
    if took > SLOW && matches!(finding, Finding::Ok | Finding::WrongContent | Finding::Html) {
        Finding::Slow
    } else {
        finding
    }
}

fn looks_like_html(body: &[u8]) -> bool {
    let start: String = String::from_utf8_lossy(&body[..body.len().min(512)]).trim_start().to_ascii_lowercase();
    start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || start.contains("<head")
        || start.contains("<body")
}

/// A client for `url` that follows no redirect, and the URL to ask, with
/// `--connect-to` applied: the host's address is replaced (the name stays,
/// for the certificate and the Host header) and the port changed.
async fn routed(url: &str, connect_to: &[ConnectTo]) -> Result<(reqwest::Client, reqwest::Url), String> {
    let mut target = reqwest::Url::parse(url).map_err(|_| format!("{url}: not a web address"))?;
    if !matches!(target.scheme(), "http" | "https") {
        return Err(format!("{url}: WeChat fetches the file over http or https"));
    }
    let host = target.host_str().unwrap_or_default().to_ascii_lowercase();
    let port = target.port_or_known_default().unwrap_or(443);
    let mut builder = net::client_builder(GIVE_UP.min(Duration::from_secs(5)), GIVE_UP);
    if let Some(rule) = connect_to.iter().rev().find(|rule| rule.applies(&host, port)) {
        let to_port = rule.to_port.unwrap_or(port);
        if to_port != port {
            target.set_port(Some(to_port)).map_err(|_| format!("{url}: the port cannot be changed"))?;
        }
        if !rule.to_host.is_empty() {
            let address = resolve(&rule.to_host, to_port).await?;
            builder = builder.resolve(&host, address);
        }
    }
    let client = builder.build().map_err(|e| e.to_string())?;
    Ok((client, target))
}

async fn resolve(host: &str, port: u16) -> Result<SocketAddr, String> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    let mut found = tokio::net::lookup_host((bare, port)).await.map_err(|e| format!("{host}: {e}"))?;
    found.next().ok_or_else(|| format!("{host}: no address"))
}

/// What kept an answer from coming: a certificate refused, a wait too
/// long, or no connection.
fn fault(error: &reqwest::Error) -> Finding {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if is_tls(e) {
            return Finding::Tls;
        }
        source = e.source();
    }
    if error.is_timeout() && !error.is_connect() { Finding::Slow } else { Finding::Unreachable }
}

/// Whether `error` is rustls's. It arrives wrapped in io::Errors, whose
/// `source()` skips what they wrap: look inside each.
fn is_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    if error.is::<rustls::Error>() {
        return true;
    }
    let inner = error.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref());
    inner.is_some_and(|inner| is_tls(inner))
}

/// The innermost cause, in a line: what the admin or IT can look up.
fn cause(error: &reqwest::Error) -> String {
    let mut last = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        last = e.to_string();
        source = e.source();
    }
    last.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_answer_gets_its_finding() {
        let file = b"abc123";
        let quick = Duration::from_millis(10);
        assert_eq!(classify(200, false, Some(file), file, quick), Finding::Ok);
        assert_eq!(classify(200, false, Some(b"abc123\n"), file, quick), Finding::WrongContent);
        assert_eq!(classify(200, true, Some(b"<html>login</html>"), file, quick), Finding::Html);
        assert_eq!(classify(200, false, Some(b"  <!DOCTYPE html><p>"), file, quick), Finding::Html);
        assert_eq!(classify(200, true, None, file, quick), Finding::Html);
        assert_eq!(classify(302, false, None, file, quick), Finding::Redirect);
        assert_eq!(classify(404, false, Some(b"no"), file, quick), Finding::NotFound);
        assert_eq!(classify(403, true, Some(b"<html>"), file, quick), Finding::NotFound);
        assert_eq!(classify(502, false, None, file, quick), Finding::Unreachable);
        assert_eq!(classify(200, false, Some(file), file, Duration::from_millis(3100)), Finding::Slow);
    }

    #[test]
    fn connect_to_reads_as_curl_does() {
        let rule: ConnectTo = "Shop.example.com:443:127.0.0.1:8443".parse().unwrap();
        assert!(rule.applies("shop.example.com", 443));
        assert!(!rule.applies("shop.example.com", 80));
        let any: ConnectTo = "::127.0.0.1:".parse().unwrap();
        assert!(any.applies("x.test", 80));
        for bad in ["a:1:b", "a:x:b:1", "a:1:b:70000"] {
            assert!(bad.parse::<ConnectTo>().is_err(), "{bad}");
        }
        assert_eq!(Finding::ALL.len(), 8);
    }
}
