//! Where the team database is and how to reach it: a `postgres://` address,
//! TLS by rustls unless the host is this computer, the schema brought up to
//! date on connect.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls_pki_types::pem::PemObject;
use tokio_postgres::config::{Host, SslMode};

use super::{Error, Result, schema};

/// How long the database may take to answer a step (connect, a batch, a
/// page) before "did not answer": a server that hangs must not hang the app.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// A team database given part by part.
pub struct Parts<'a> {
    pub host: &'a str,
    pub port: u16,
    pub database: &'a str,
    pub user: &'a str,
    pub password: Option<&'a str>,
    /// TLS even on this computer (always on another).
    pub require_tls: bool,
}

#[derive(Clone)]
pub struct TeamConfig {
    config: tokio_postgres::Config,
    host: String,
    tls: bool,
    extra_ca: Option<std::path::PathBuf>,
    timeout: Duration,
}

impl std::fmt::Debug for TeamConfig {
    // The password stays out of every log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamConfig").field("host", &self.host).field("tls", &self.tls).finish_non_exhaustive()
    }
}

impl TeamConfig {
    /// Parses a `postgres://user:password@host:port/database` address (or
    /// libpq's `key=value` form). Refuses an unencrypted connection to
    /// another computer.
    pub fn parse(address: &str, extra_ca: Option<std::path::PathBuf>) -> Result<TeamConfig> {
        let config: tokio_postgres::Config =
            address.trim().parse().map_err(|e: tokio_postgres::Error| Error::Address(e.to_string()))?;
        TeamConfig::checked(config, extra_ca)
    }

    /// The same from the desktop app's form: each part given on its own, so
    /// no character of a password needs escaping.
    pub fn from_parts(parts: &Parts<'_>, extra_ca: Option<std::path::PathBuf>) -> Result<TeamConfig> {
        let mut config = tokio_postgres::Config::new();
        config.host(parts.host).port(parts.port).dbname(parts.database).user(parts.user);
        if let Some(password) = parts.password {
            config.password(password);
        }
        if parts.require_tls {
            config.ssl_mode(SslMode::Require);
        }
        TeamConfig::checked(config, extra_ca)
    }

    fn checked(mut config: tokio_postgres::Config, extra_ca: Option<std::path::PathBuf>) -> Result<TeamConfig> {
        let host = match config.get_hosts() {
            [Host::Tcp(host)] => host.clone(),
            [] => return Err(Error::Address("no host: postgres://user@host/database".into())),
            #[cfg(unix)]
            [Host::Unix(_)] => return Err(Error::Address("a Unix socket: give the server's host name".into())),
            _ => return Err(Error::Address("one host only".into())),
        };
        if config.get_dbname().is_none() {
            return Err(Error::Address("no database name: postgres://user@host/database".into()));
        }
        if config.get_user().is_none() {
            return Err(Error::Address("no user: postgres://user@host/database".into()));
        }
        // The driver connects to `hostaddr` when given, whatever `host`
        // says: `host=localhost hostaddr=<remote>` is another computer.
        let loopback = crate::net::is_loopback_host(&host) && config.get_hostaddrs().iter().all(IpAddr::is_loopback);
        let tls = match (config.get_ssl_mode(), loopback) {
            (SslMode::Disable, false) => {
                let remote = config.get_hostaddrs().iter().find(|a| !a.is_loopback()).map(IpAddr::to_string);
                return Err(Error::TlsRequired { host: remote.unwrap_or(host) });
            }
            (SslMode::Disable, true) => false,
            // On this computer TLS is used only when asked for.
            (SslMode::Prefer, true) => false,
            _ => true,
        };
        config.ssl_mode(if tls { SslMode::Require } else { SslMode::Disable });
        config.connect_timeout(DEFAULT_TIMEOUT);
        config.application_name("qrjump-admin");
        Ok(TeamConfig { config, host, tls, extra_ca, timeout: DEFAULT_TIMEOUT })
    }

    /// Uses `password` (given apart from the address).
    pub fn with_password(mut self, password: &str) -> TeamConfig {
        self.config.password(password);
        self
    }

    /// Waits at most `timeout` for each step instead of 20 s.
    pub fn with_timeout(mut self, timeout: Duration) -> TeamConfig {
        self.timeout = timeout.max(Duration::from_secs(1));
        self.config.connect_timeout(self.timeout);
        self
    }

    /// The host, for messages.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Connects and brings the schema up to date (under an advisory lock:
    /// desktops connecting at once do not race).
    pub async fn connect(&self) -> Result<Team> {
        let no_answer = || Error::NoAnswer { host: self.host.clone(), seconds: self.timeout.as_secs() };
        let client = tokio::time::timeout(self.timeout, self.open()).await.map_err(|_| no_answer())??;
        let mut team = Team { client, host: self.host.clone(), timeout: self.timeout };
        let migrated = tokio::time::timeout(self.timeout, schema::migrate(&mut team.client)).await;
        migrated.map_err(|_| no_answer())??;
        Ok(team)
    }

    async fn open(&self) -> Result<tokio_postgres::Client> {
        let unreachable = |e: tokio_postgres::Error| match e.as_db_error() {
            Some(db) => Error::Server(db.message().to_owned()),
            None => Error::Unreachable { host: self.host.clone(), problem: root_cause(&e) },
        };
        if self.tls {
            let tls = tokio_postgres_rustls::MakeRustlsConnect::new(self.tls_config()?);
            let (client, connection) = self.config.connect(tls).await.map_err(unreachable)?;
            tokio::spawn(connection);
            Ok(client)
        } else {
            let (client, connection) = self.config.connect(tokio_postgres::NoTls).await.map_err(unreachable)?;
            tokio::spawn(connection);
            Ok(client)
        }
    }

    fn tls_config(&self) -> Result<rustls::ClientConfig> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut extra = Vec::new();
        if let Some(path) = &self.extra_ca {
            let ca_error = |problem: String| Error::CaFile { path: path.display().to_string(), problem };
            let pem = std::fs::read(path).map_err(|e| ca_error(e.to_string()))?;
            for cert in rustls_pki_types::CertificateDer::pem_slice_iter(&pem) {
                extra.push(cert.map_err(|e| ca_error(format!("not a PEM certificate: {e}")))?);
            }
            if extra.is_empty() {
                return Err(ca_error("no certificate in it".into()));
            }
        }
        let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider.clone())
            .map_err(|e| Error::Address(format!("TLS: {e}")))?;
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Address(format!("TLS: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        Ok(config)
    }
}

/// The innermost cause: "Connection refused", "certificate not trusted".
fn root_cause(error: &tokio_postgres::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    cause.to_string()
}

/// A connection to the team database, its schema current.
pub struct Team {
    pub(super) client: tokio_postgres::Client,
    host: String,
    timeout: Duration,
}

impl Team {
    /// The bound on each step with this database.
    pub(super) fn limit(&self) -> Limit {
        Limit { host: self.host.clone(), timeout: self.timeout }
    }
}

/// How long a step may take before "did not answer".
pub(super) struct Limit {
    host: String,
    timeout: Duration,
}

impl Limit {
    /// `step`, or "did not answer" once the timeout has passed.
    pub(super) async fn run<T, E: Into<Error>>(
        &self,
        step: impl Future<Output = std::result::Result<T, E>>,
    ) -> Result<T> {
        match tokio::time::timeout(self.timeout, step).await {
            Ok(result) => result.map_err(Into::into),
            Err(_) => Err(Error::NoAnswer { host: self.host.clone(), seconds: self.timeout.as_secs() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_computer_needs_tls_this_one_does_not() {
        let refused = TeamConfig::parse("postgres://qrjump@db.example.com/audit?sslmode=disable", None).unwrap_err();
        assert!(matches!(refused, Error::TlsRequired { .. }), "{refused}");
        assert!(TeamConfig::parse("postgres://qrjump@db.example.com/audit", None).unwrap().tls);
        assert!(!TeamConfig::parse("postgres://qrjump@127.0.0.1:5433/audit", None).unwrap().tls);
        assert!(!TeamConfig::parse("postgres://qrjump@localhost/audit?sslmode=disable", None).unwrap().tls);
        assert!(TeamConfig::parse("postgres://qrjump@[::1]/audit?sslmode=require", None).unwrap().tls);
    }

    #[test]
    fn every_address_the_driver_may_use_counts() {
        let refused =
            TeamConfig::parse("host=localhost hostaddr=10.99.0.1 user=qrjump dbname=audit sslmode=disable", None);
        assert!(matches!(refused, Err(Error::TlsRequired { .. })), "{refused:?}");
        let prefer = TeamConfig::parse("host=localhost hostaddr=192.0.2.7 user=qrjump dbname=audit", None).unwrap();
        assert!(prefer.tls, "TLS for another computer, even named localhost");
        let here = TeamConfig::parse("host=localhost hostaddr=127.0.0.1 user=qrjump dbname=audit", None).unwrap();
        assert!(!here.tls);
    }

    #[test]
    fn the_apps_form_follows_the_same_rule_and_takes_any_password() {
        let parts = |host, require_tls| Parts {
            host,
            port: 5432,
            database: "audit",
            user: "qrjump",
            password: Some("p@ss word/with?odd#chars"),
            require_tls,
        };
        assert!(TeamConfig::from_parts(&parts("db.example.com", false), None).unwrap().tls);
        assert!(!TeamConfig::from_parts(&parts("localhost", false), None).unwrap().tls);
        assert!(TeamConfig::from_parts(&parts("127.0.0.1", true), None).unwrap().tls);
    }

    #[test]
    fn an_address_names_what_is_missing_and_never_shows_the_password() {
        for (address, words) in [
            ("postgres://qrjump@db.example.com", "no database name"),
            ("postgres://db.example.com/audit", "no user"),
            ("mysql://x", "the team database address"),
        ] {
            let error = TeamConfig::parse(address, None).unwrap_err().to_string();
            assert!(error.contains(words), "{address}: {error}");
        }
        let config = TeamConfig::parse("postgres://qrjump:TESTSECRET-pw@db.example.com/audit", None).unwrap();
        assert!(!format!("{config:?}").contains("TESTSECRET"));
    }
}
