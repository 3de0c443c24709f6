//! What an admin sends IT: the diagnostics (version, system, folders,
//! accounts by name and kind, the support log's last lines). Never a secret:
//! accounts are named, not shown, and the log holds none.

use std::fmt::Write;

use super::AppState;
use crate::accounts::{AccountKind, RouteKind};
use crate::sync::lock;

/// How many of the support log's lines the diagnostics carry.
pub const DIAGNOSTIC_LINES: usize = 50;

impl AppState {
    /// The diagnostics as plain text, for pasting into a message to IT.
    pub fn diagnostics(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(text, "QR Jump Admin {}", env!("CARGO_PKG_VERSION"));
        let _ = writeln!(text, "System: {} {}", std::env::consts::OS, std::env::consts::ARCH);
        let _ = writeln!(text, "Data folder: {}", self.data_dir.display());
        let _ = writeln!(text, "API base: {}", self.api_base());
        let _ = writeln!(
            text,
            "Credential store: {}; history: {}",
            if self.keyring_available { "available" } else { "none (secrets kept for the session)" },
            if self.writable() { "writable" } else { "read-only" }
        );
        {
            let store = lock(&self.accounts);
            let _ = writeln!(text, "Accounts ({}):", store.list().len());
            for account in store.list() {
                let kind = match account.kind {
                    AccountKind::MiniProgram => "Mini Program, AppSecret",
                    AccountKind::ServiceAccount => "service account, AppSecret",
                    AccountKind::AccessToken => "access token given",
                    AccountKind::TokenServer => "token server",
                };
                let route = match account.route.kind {
                    RouteKind::Direct => "direct",
                    RouteKind::Proxy => "proxy",
                    RouteKind::Gateway => "gateway",
                };
                let _ = writeln!(text, "  - {} ({kind}; route {route})", account.name);
            }
            let _ = writeln!(text, "Token servers: {}", store.servers().len());
        }
        // What IT fixed, and where updates come from: often the answer to
        // "why does it do that on this PC". Policy holds no password.
        let loaded = crate::policy::current();
        let settings = loaded.policy.settings();
        match &loaded.policy.source {
            Some(source) if !settings.is_empty() => {
                let shown: Vec<String> = settings.iter().map(|(key, value)| format!("{key}={value}")).collect();
                let _ = writeln!(text, "Policy ({source}): {}", shown.join(", "));
            }
            _ => {
                let _ = writeln!(text, "Policy: none ({})", crate::policy::place());
            }
        }
        for problem in &loaded.problems {
            let _ = writeln!(text, "  ignored {problem}");
        }
        let updates = self.update_settings();
        let _ = writeln!(
            text,
            "Updates: {}; this copy: {:?}",
            match (&updates.feed, updates.off_by_policy) {
                (_, true) => "off by policy".to_owned(),
                (Some(feed), false) => format!("checked daily from {feed}"),
                (None, false) => "no feed set".to_owned(),
            },
            crate::update::Install::current()
        );
        let _ = writeln!(text, "Support log: {}", self.log.dir().display());
        let _ = writeln!(text, "Last {DIAGNOSTIC_LINES} lines:");
        for line in self.log.last_lines(DIAGNOSTIC_LINES) {
            let _ = writeln!(text, "  {line}");
        }
        text
    }

    /// Writes a line to the support log.
    pub fn note(&self, line: &str) {
        self.log.write(line);
    }

    /// The folder holding the history, settings, backups and the support log.
    pub fn support_log_dir(&self) -> &std::path::Path {
        self.log.dir()
    }
}
