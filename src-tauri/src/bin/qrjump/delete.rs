//! `qrjump delete --prefix`: one rule, confirmed, through the audited
//! pipeline (`--from-file` is a batch: `batch.rs`).

use std::sync::{Arc, Mutex};

use qrjump::explain::confirm::{self, Action};
use qrjump::service::{self, DeleteRequest, Target};
use qrjump::wechat::{Prefix, Scope};

use super::credentials::account;
use super::outcome::{outcome_exit, outcome_json, outcome_text};
use super::{
    Cli, Exit, Failure, account_name, client, confirmed, history_failure, lang, need_terminal, open_history, scope,
};

/// Deletes one rule through the audited pipeline, after the admin confirms.
pub async fn one(
    cli: &Cli,
    prefix: &str,
    appid: Option<&str>,
    yes: bool,
) -> Result<(Exit, serde_json::Value, String), Failure> {
    let lang = lang();
    // Every input is checked before anything is sent or recorded.
    let prefix = Prefix::parse(prefix).map_err(|e| Failure::input(format!("--{}", e)))?;
    let scope = scope(appid)?;
    let account = account(cli)?;
    let client = client(cli)?;
    if !yes {
        confirm(&prefix, &scope)?;
    }
    let history = Mutex::new(open_history()?);
    let account_name = account_name(cli, &account);
    let target = Target { client, account: Arc::new(account), account_name, demo: false };
    let request = DeleteRequest { prefix: prefix.clone(), scope, batch_id: None };
    let outcome = service::delete_rule(&target, &history, &request, lang).await.map_err(history_failure)?;
    let exit = outcome_exit(&outcome);
    let value = outcome_json(&outcome, prefix.as_str());
    let text = outcome_text(&outcome, prefix.as_str());
    if exit as u8 != 0 && !cli.json {
        eprintln!("{text}");
        return Ok((exit, value, String::new()));
    }
    Ok((exit, value, text))
}

/// Asks on the terminal; refuses when there is none to ask on.
fn confirm(prefix: &Prefix, scope: &Scope) -> Result<(), Failure> {
    let lang = lang();
    need_terminal(Action::Delete)?;
    let appid = scope.target_appid().map(|appid| appid.to_string());
    eprintln!("{}", confirm::delete_one(prefix.as_str(), appid.as_deref(), lang));
    confirmed(Action::Delete, confirm::delete_it(lang))
}
