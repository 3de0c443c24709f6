//! `qrjump restore`: from a delete in the history, or from a rule backup.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::json;

use qrjump::explain::confirm::{self, Action};
use qrjump::explain::flags::{self, Made, other_account};
use qrjump::service::restore::{self, RestoreRequest, Restored};
use qrjump::service::{Target, backup};

use super::outcome::{outcome_exit, outcome_json, outcome_text};
use super::{
    Cli, Exit, Failure, confirmed, history_failure, lang, need_terminal, open_history, scope, service_failure, target,
};

type Done = Result<(Exit, serde_json::Value, String), Failure>;

pub struct Options {
    pub publish: bool,
    pub yes: bool,
    /// Where to save the verification file, if WeChat asks for it.
    pub files: Option<PathBuf>,
}

pub async fn of_record(cli: &Cli, id: i64, options: &Options) -> Done {
    let history = Mutex::new(open_history()?);
    let record = history.lock().unwrap_or_else(|p| p.into_inner()).get(id).map_err(history_failure)?;
    let record = record.ok_or_else(|| Failure::input(flags::no_record(id, lang())))?;
    let request = RestoreRequest::of_delete(&record, options.publish).map_err(service_failure)?;
    let target = target(cli)?;
    let caller = target.account.appid().map(|a| a.as_str().to_owned());
    if record.caller_appid.is_some() && record.caller_appid != caller {
        let made_by = record.caller_appid.as_deref().unwrap_or("?");
        return Err(Failure::input(other_account(Made::Record(id), made_by, caller.as_deref(), lang())));
    }
    let target = Target { account_name: record.account_name.clone(), ..target };
    restore_all(cli, &target, &history, vec![request], options).await
}

pub async fn from_backup(cli: &Cli, file: &Path, only: &[String], appid: Option<&str>, options: &Options) -> Done {
    let lang = lang();
    let rules = backup::read(file).map_err(|e| Failure::input(flags::rule_file("--from-backup", &e, lang)))?;
    let shown = file.display().to_string();
    let scope = scope(appid)?;
    let chosen: Vec<_> = rules.into_iter().filter(|r| only.is_empty() || only.contains(&r.prefix)).collect();
    for wanted in only {
        if !chosen.iter().any(|r| &r.prefix == wanted) {
            return Err(Failure::input(flags::not_in_backup(wanted, &shown, lang)));
        }
    }
    if chosen.is_empty() {
        return Err(Failure::input(flags::empty_backup(&shown, lang)));
    }
    let requests = chosen
        .into_iter()
        .map(|rule| RestoreRequest { rule, scope: scope.clone(), related_id: None, publish: options.publish })
        .collect();
    let history = Mutex::new(open_history()?);
    let target = target(cli)?;
    restore_all(cli, &target, &history, requests, options).await
}

async fn restore_all(
    cli: &Cli,
    target: &Target,
    history: &Mutex<qrjump::history::History>,
    requests: Vec<RestoreRequest>,
    options: &Options,
) -> Done {
    let lang = lang();
    // Every rule is checked before anything is asked or sent.
    for request in &requests {
        restore::new_rule(&request.rule, &request.scope).map_err(service_failure)?;
    }
    if !options.yes {
        need_terminal(Action::Restore)?;
        eprintln!("{}", confirm::restore_many(requests.len(), lang));
        for request in &requests {
            eprintln!("{}", confirm::rule_line(&request.rule.prefix, &request.rule.path));
        }
        if options.publish {
            let left = restore::publishes_left(target, &requests[0].scope, &requests[0].rule.prefix).await;
            eprintln!("{}", confirm::publishes_spent(left.ok().flatten(), requests.len(), lang));
        }
        confirmed(Action::Restore, confirm::go_ahead(Action::Restore, lang))?;
    }
    let (mut exit, mut texts, mut values) = (Exit::Ok, Vec::new(), Vec::new());
    for request in &requests {
        let restored = restore::restore(target, history, request, lang).await.map_err(service_failure)?;
        let (item_exit, value, text) = report(target, &restored, options).await;
        exit = exit.worst(item_exit);
        if cli.json && requests.len() > 1 {
            println!("{value}");
        }
        texts.push(text);
        values.push(value);
    }
    let value = if values.len() == 1 {
        values.remove(0)
    } else {
        json!({ "ok": matches!(exit, Exit::Ok), "restored": values.len() })
    };
    Ok((exit, value, texts.join("\n")))
}

async fn report(target: &Target, restored: &Restored, options: &Options) -> (Exit, serde_json::Value, String) {
    let mut exit = outcome_exit(&restored.restore);
    let mut value = outcome_json(&restored.restore, &restored.prefix);
    let mut text = outcome_text(&restored.restore, &restored.prefix);
    if let Some(publish) = &restored.publish {
        exit = exit.worst(outcome_exit(publish));
        value["publish"] = outcome_json(publish, &restored.prefix);
        text.push('\n');
        text.push_str(&outcome_text(publish, &restored.prefix));
    }
    if restored.needs_verification_file {
        super::changes::verification(target, options.files.as_deref(), &restored.prefix, &mut value, &mut text).await;
    }
    (exit, value, text)
}
