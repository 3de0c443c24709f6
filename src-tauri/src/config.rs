//! Where the app keeps its files and which server it talks to.
//!
//! Both can be overridden from the environment so tests, the demo and an IT
//! person's scripts can point the app elsewhere without touching settings:
//! `QRJUMP_DATA_DIR` and `QRJUMP_API_BASE`.

use std::path::PathBuf;

/// The app's identifier; also the name of its folder under the platform's
/// app-data directory, the same folder Tauri's path resolver would choose.
pub const APP_IDENTIFIER: &str = "com.qrjump.admin";

/// WeChat's production API server.
pub const DEFAULT_API_BASE: &str = "https://api.weixin.qq.com";

pub const ENV_DATA_DIR: &str = "QRJUMP_DATA_DIR";
pub const ENV_API_BASE: &str = "QRJUMP_API_BASE";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no folder for the app's data: this system has no app-data directory; set {ENV_DATA_DIR} to a folder")]
    NoDataDir,
    /// The value is not repeated: it may carry a password.
    #[error("{ENV_API_BASE} must be an https:// address such as {DEFAULT_API_BASE}, without a user, password or query")]
    BadApiBase,
    #[error(
        "{ENV_API_BASE} must be https:// (http:// only to this computer): the token and AppSecret would cross the network unencrypted"
    )]
    ApiBaseNotTls,
}

/// The folder holding the history database and settings.
///
/// `QRJUMP_DATA_DIR` when set and not empty, else `<app-data>/com.qrjump.admin`
/// (`~/.local/share` on Linux, `~/Library/Application Support` on macOS,
/// `%APPDATA%` on Windows). The folder is not created here.
pub fn data_dir() -> Result<PathBuf, ConfigError> {
    match std::env::var_os(ENV_DATA_DIR) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => dirs::data_dir().map(|dir| dir.join(APP_IDENTIFIER)).ok_or(ConfigError::NoDataDir),
    }
}

/// The base URL of the WeChat API, without a trailing slash: the
/// environment's, else policy's API gateway (policy's always when it is
/// locked), else WeChat's.
pub fn api_base() -> Result<String, ConfigError> {
    let chosen = std::env::var(ENV_API_BASE).ok().filter(|value| !value.trim().is_empty());
    let policy = &crate::policy::current().policy;
    match policy.choose(policy.api_base.as_deref(), chosen.as_deref()) {
        Some(value) => parse_api_base(value),
        None => Ok(DEFAULT_API_BASE.to_owned()),
    }
}

/// Checks that a base URL is an http(s) address and trims trailing slashes so
/// paths can be appended as `{base}/cgi-bin/...`.
pub fn parse_api_base(value: &str) -> Result<String, ConfigError> {
    let trimmed = value.trim().trim_end_matches('/');
    let rest = trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) && !host.contains(['@', '?', '#']) => {}
        _ => return Err(ConfigError::BadApiBase),
    }
    match crate::net::require_tls(trimmed) {
        Ok(_) => Ok(trimmed.to_owned()),
        Err(crate::net::Insecure::NotTls) => Err(ConfigError::ApiBaseNotTls),
        Err(crate::net::Insecure::NotUrl) => Err(ConfigError::BadApiBase),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_base_accepts_http_and_https_and_drops_trailing_slash() {
        assert_eq!(parse_api_base("https://api.weixin.qq.com/").unwrap(), "https://api.weixin.qq.com");
        assert_eq!(parse_api_base(" http://127.0.0.1:8080 ").unwrap(), "http://127.0.0.1:8080");
    }

    #[test]
    fn api_base_must_be_tls_except_to_this_computer() {
        let error = parse_api_base("http://wx-gateway.corp").unwrap_err();
        assert!(matches!(error, ConfigError::ApiBaseNotTls));
        assert!(error.to_string().contains("https://"));
        assert_eq!(parse_api_base("http://localhost:9").unwrap(), "http://localhost:9");
    }

    #[test]
    fn api_base_rejects_other_schemes_and_empty_hosts() {
        for bad in ["ftp://x", "api.weixin.qq.com", "https://", "http://a b"] {
            let error = parse_api_base(bad).unwrap_err();
            assert!(error.to_string().contains(ENV_API_BASE), "{error}");
        }
    }
}
