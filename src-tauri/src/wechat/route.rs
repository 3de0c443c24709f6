//! Which way an account's calls reach WeChat: straight out, through an
//! office's forward proxy with a fixed egress IP, or through the company's
//! own API gateway that relays `/cgi-bin/...` from a whitelisted server.

use std::time::Duration;

use super::error::Error;
use super::secret::Secret;

#[derive(Debug, Clone, Default)]
pub enum Route {
    /// Straight to WeChat, with the system's proxy settings if any.
    #[default]
    Direct,
    /// An HTTP(S) forward proxy, optionally with a user name and password.
    Proxy { url: String, user: Option<String>, password: Option<Secret> },
    /// A gateway base URL that stands in for `https://api.weixin.qq.com`.
    Gateway { base: String },
}

/// Why a proxy or gateway URL was refused (before any call).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    #[error("proxy: must be an http:// or https:// URL such as http://proxy.corp:3128")]
    BadProxy,
    #[error("gateway: must be an https:// base URL such as https://wx-gateway.corp")]
    BadGateway,
    #[error("gateway: must be https:// (http:// only to this computer): the token would cross the network unencrypted")]
    GatewayNotTls,
}

impl Route {
    /// Validates a proxy URL (credentials are given apart, never in it).
    pub fn proxy(url: &str, user: Option<String>, password: Option<Secret>) -> Result<Route, RouteError> {
        let url = url.trim();
        if !is_http_url(url) || url.contains('@') || reqwest::Proxy::all(url).is_err() {
            return Err(RouteError::BadProxy);
        }
        let user = user.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
        Ok(Route::Proxy { url: url.to_owned(), user, password })
    }

    /// Validates a proxy URL that may carry `user:password@` (the CLI's
    /// `QRJUMP_PROXY`): the credentials are taken out of it.
    pub fn proxy_from_url(url: &str) -> Result<Route, RouteError> {
        let url = url.trim();
        let Some((scheme, rest)) = url.split_once("://") else { return Err(RouteError::BadProxy) };
        let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
        match authority.rsplit_once('@') {
            None => Route::proxy(url, None, None),
            Some((credentials, host)) => {
                let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
                let bare =
                    if path.is_empty() { format!("{scheme}://{host}") } else { format!("{scheme}://{host}/{path}") };
                let password = (!password.is_empty()).then(|| Secret::new(password));
                Route::proxy(&bare, Some(user.to_owned()), password)
            }
        }
    }

    pub fn gateway(base: &str) -> Result<Route, RouteError> {
        let base = base.trim().trim_end_matches('/');
        if !is_http_url(base) || base.contains('@') || base.contains(['?', '#']) {
            return Err(RouteError::BadGateway);
        }
        match crate::net::require_tls(base) {
            Ok(_) => Ok(Route::Gateway { base: base.to_owned() }),
            Err(crate::net::Insecure::NotTls) => Err(RouteError::GatewayNotTls),
            Err(crate::net::Insecure::NotUrl) => Err(RouteError::BadGateway),
        }
    }

    pub fn secrets(&self) -> Vec<&Secret> {
        match self {
            Route::Proxy { password: Some(password), .. } => vec![password],
            _ => Vec::new(),
        }
    }

    /// The base URL calls go to: the gateway's, else `default`.
    pub fn base<'a>(&'a self, default: &'a str) -> &'a str {
        match self {
            Route::Gateway { base } => base,
            _ => default,
        }
    }

    /// The HTTP client of a proxy or gateway route; `None` for the shared one.
    ///
    /// Proxies and gateways often close a connection after each answer
    /// without saying so; a call sent on such a reused connection fails
    /// half-way and leaves a delete in doubt. So these routes keep no idle
    /// connection: each call opens its own.
    pub(super) fn client(&self, connect: Duration, total: Duration) -> Result<Option<reqwest::Client>, Error> {
        let builder = crate::net::client_builder(connect, total).pool_max_idle_per_host(0);
        let builder = match self {
            Route::Direct => return Ok(None),
            Route::Gateway { .. } => builder,
            Route::Proxy { url, user, password } => {
                let mut proxy =
                    reqwest::Proxy::all(url).map_err(|_| Error::Network(RouteError::BadProxy.to_string()))?;
                if let Some(user) = user {
                    proxy = proxy.basic_auth(user, password.as_ref().map_or("", Secret::expose));
                }
                builder.proxy(proxy)
            }
        };
        builder.build().map(Some).map_err(|e| Error::Network(e.without_url().to_string()))
    }
}

fn is_http_url(url: &str) -> bool {
    let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/') && !rest.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_credentials_come_out_of_the_url() {
        let Route::Proxy { url, user, password } = Route::proxy_from_url("http://ops:pa55@127.0.0.1:3128").unwrap()
        else {
            panic!()
        };
        assert_eq!((url.as_str(), user.as_deref()), ("http://127.0.0.1:3128", Some("ops")));
        assert_eq!(password.map(|p| p.expose().to_owned()).as_deref(), Some("pa55"));
        assert_eq!(Route::proxy("socks5://x:1", None, None).unwrap_err(), RouteError::BadProxy);
        assert_eq!(Route::proxy("http://u:p@x:1", None, None).unwrap_err(), RouteError::BadProxy);
        assert_eq!(Route::gateway("gateway.corp").unwrap_err(), RouteError::BadGateway);
        assert_eq!(Route::gateway("http://gw.corp").unwrap_err(), RouteError::GatewayNotTls);
        assert!(Route::gateway("http://127.0.0.1:8080").is_ok());
        assert!(
            matches!(Route::gateway("https://gw.corp/").unwrap(), Route::Gateway { base } if base == "https://gw.corp")
        );
    }
}
