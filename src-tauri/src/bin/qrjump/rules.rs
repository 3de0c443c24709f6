//! `qrjump rules` (the list), `qrjump rules export` and `qrjump find`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Subcommand;
use serde_json::json;

use qrjump::explain::flags;
use qrjump::service::backup::{self, RuleBackup};
use qrjump::service::owners::{self, Searchable};
use qrjump::wechat::{Prefix, Scope};

use super::credentials::account;
use super::{Cli, Exit, Failure, Target, client, lang, scope, target, wechat_failure};

type Done = Result<(Exit, serde_json::Value, String), Failure>;

pub async fn export(cli: &Cli, out: &Path, appid: Option<&str>) -> Done {
    let scope = scope(appid)?;
    // The format is known before the list is read.
    backup::Format::of(out).map_err(|e| Failure::input(flags::rule_file("--out", &e, lang())))?;
    let target = target(cli)?;
    let list = target.client.all_jump_qrcodes(&target.account, &scope).await.map_err(|e| wechat_failure(&e, lang()))?;
    let saved = RuleBackup::new(&target.account_name, scope.mode(), appid, &list);
    backup::write(out, &saved).map_err(|e| Failure::input(flags::rule_file("--out", &e, lang())))?;
    let n = list.rule_list.len();
    Ok((
        Exit::Ok,
        json!({ "ok": true, "rules": n, "file": out }),
        qrjump::explain::report::rules_written(n, out, lang()),
    ))
}

pub async fn find(cli: &Cli, prefix: &str, appids: &[String]) -> Done {
    let prefix = Prefix::parse(prefix).map_err(|e| Failure::input(e.to_string()))?;
    let target = target(cli)?;
    let mut scopes = vec![Scope::Ordinary];
    for appid in appids {
        scopes.push(scope(Some(appid))?);
    }
    // With --appid, the credentials are a service account's: its ordinary list does not exist.
    if !appids.is_empty() {
        scopes.remove(0);
    }
    let searchable: Vec<Searchable> = scopes
        .into_iter()
        .map(|scope| Searchable {
            account_id: None,
            target: Target { account: Arc::clone(&target.account), ..target.clone() },
            scope,
        })
        .collect();
    let found = owners::find(&searchable, &prefix, lang()).await;
    let text = qrjump::explain::report::owners(&found, prefix.as_str(), lang());
    Ok((Exit::Ok, json!({ "ok": true, "search": found }), text))
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Add a rule (checked first: the prefix, the page, the test links, a rule
    /// already there, the rule limit, the month's publishes).
    #[command(
        after_help = "Examples:\n  qrjump rules add https://example.com/qr/shop/ --path pages/shop/index --debug-url https://example.com/qr/shop/1 --publish\n  qrjump rules add http://weixin.qq.com/q/02abc --path pages/index/index --appid wx1234567890abcdef --yes"
    )]
    Add(super::changes::AddArgs),
    /// Change a rule. An unpublished rule, or a published rule's test settings,
    /// change in place; a published rule's page is changed by deleting it, adding
    /// it again and publishing it (three linked records, one publish spent; the old
    /// rule is put back if the add fails).
    Edit(super::changes::EditArgs),
    /// Publish rules (each spends one of the month's publishes; a set the
    /// publishes left cannot finish is refused before anything is sent).
    Publish(super::changes::PublishArgs),
    /// Fetch WeChat's verification file from each place WeChat looks for it
    /// and say, per address, what WeChat meets there (ok, not_found, html,
    /// wrong_content, redirect, tls, slow, unreachable).
    #[command(
        after_help = "Examples:\n  qrjump rules doctor https://example.com/qr/shop/\n  qrjump rules doctor https://example.com/qr/shop/ --file 1a2b3c4d5e.txt --connect-to example.com:443:10.0.0.5:443 --json\n\nExit status 0 when a place WeChat accepts holds the file, 1 when none does."
    )]
    Doctor(super::doctor::DoctorArgs),
    /// What applying FILE (the rules the account should have, as `rules export`
    /// writes them) would change: adds, deletes, edits, publishes and the
    /// month's publishes it spends. Exit status 2 when it could not be carried out.
    Plan(super::rule_set::PlanArgs),
    /// Carry FILE's plan out: a backup of the list first, then each change as
    /// an audited record at WeChat's pace. Run it again to finish a run that
    /// was stopped: it plans what is left.
    Apply(super::rule_set::ApplyArgs),
    /// Save every rule (every page in service-account mode) as CSV or JSON, by FILE's extension.
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Service-account mode: the Mini Program's AppID.
        #[arg(long, value_name = "APPID")]
        appid: Option<String>,
    },
}

/// The rule list, with how far a long listing is on a terminal.
pub async fn list(cli: &Cli, appid: Option<&str>) -> Result<(Exit, serde_json::Value, String), Failure> {
    let scope = scope(appid)?;
    let account = account(cli)?;
    let client = client(cli)?;
    let lang = lang();
    // A long service-account listing (up to 100,000 rules) says how far it is.
    let terminal = std::io::stderr().is_terminal();
    let list = client
        .all_jump_qrcodes_with(&account, &scope, |progress| {
            if terminal && progress.fetched > 0 {
                eprint!("\r{}", qrjump::explain::report::reading_rules(progress.fetched, progress.total, lang));
            }
        })
        .await;
    if terminal {
        eprint!("\r\x1b[K");
    }
    let list = list.map_err(|e| wechat_failure(&e, lang))?;
    let mut value = serde_json::to_value(&list).unwrap_or_default();
    value["errcode"] = json!(0);
    value["errmsg"] = json!("ok");
    let text = qrjump::explain::report::rule_list(&list, lang);
    Ok((Exit::Ok, value, text))
}
