//! `qrjump delete --from-file` and `qrjump batch ...`.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::json;

use qrjump::explain::batch as words;
use qrjump::explain::confirm::{self, Action};
use qrjump::explain::flags::{self, Made, other_account};
use qrjump::history::History;
use qrjump::lang::Lang;
use qrjump::service::Target;
use qrjump::service::batch::{self, BatchProgress, BatchStatus, Cancel, Plan, Run};

use super::outcome::outcome_json;
use super::{
    BatchCommand, Cli, Exit, Failure, ask, confirmed, lang, need_terminal, open_history, read_history, scope,
    service_failure, target,
};

type Done = Result<(Exit, serde_json::Value, String), Failure>;

/// Above this many rules the admin types the count to confirm, as the app asks.
const TYPE_THE_COUNT: usize = 10;

pub async fn delete_from_file(cli: &Cli, file: &Path, appid: Option<&str>, yes: bool) -> Done {
    let lang = lang();
    let shown = file.display().to_string();
    let text = std::fs::read(file)
        .map_err(|e| Failure::input(flags::file("--from-file", &shown, &e.to_string(), lang)))
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())?;
    let inputs = batch::parse_prefix_list(&text);
    if inputs.is_empty() {
        return Err(Failure::input(words::no_prefix_in(&shown, lang)));
    }
    let scope = scope(appid)?;
    let target = target(cli)?;
    let plan = batch::plan(&target, &scope, &inputs, lang).await.map_err(service_failure)?;
    report_plan(cli, &plan);
    if plan.rules.is_empty() {
        return Err(Failure::input(words::none_in_list(inputs.len(), &shown, lang)));
    }
    if !yes {
        confirm_batch(&plan)?;
    }
    let history = Mutex::new(open_history()?);
    let begun = batch::begin(&history, &target, None, &scope, &plan).map_err(service_failure)?;
    if !cli.json {
        eprintln!("{}", words::begun(&begun.id, begun.items.len(), begun.backup_path.as_deref(), lang));
    }
    let id = begun.id.clone();
    send(cli, &target, &history, &id, Run::Fresh).await
}

/// Says, before anything is sent, which lines are not prefixes and which
/// prefixes the account does not have.
fn report_plan(cli: &Cli, plan: &Plan) {
    let lang = lang();
    for invalid in &plan.invalid {
        if cli.json {
            println!(
                "{}",
                json!({ "ok": false, "status": "invalid", "kind": "input", "prefix": invalid.text, "errcode": null, "errmsg": null, "message": invalid.message })
            );
        } else {
            eprintln!("{}", words::skipped_not_prefix(&invalid.text, &invalid.message, lang));
        }
    }
    for missing in &plan.missing {
        if cli.json {
            println!(
                "{}",
                json!({ "ok": false, "status": "not_in_list", "kind": "input", "prefix": missing, "errcode": null, "errmsg": null, "message": words::not_in_list(lang) })
            );
        } else {
            eprintln!("{}", words::skipped_not_in_list(missing, lang));
        }
    }
    if plan.duplicates > 0 && !cli.json {
        eprintln!("{}", words::duplicates(plan.duplicates, lang));
    }
}

fn confirm_batch(plan: &Plan) -> Result<(), Failure> {
    let lang = lang();
    need_terminal(Action::Delete)?;
    eprintln!("{}", confirm::delete_many(plan.rules.len(), lang));
    for rule in &plan.rules {
        eprintln!("{}", confirm::rule_line(&rule.prefix, &rule.path));
    }
    eprintln!("{}", confirm::many_stop_opening(lang));
    let n = plan.rules.len();
    if n > TYPE_THE_COUNT {
        let answer = ask(&confirm::type_the_count(n, lang))?;
        if answer != n.to_string() {
            return Err(Failure::input(confirm::count_differs(lang)));
        }
        return Ok(());
    }
    confirmed(Action::Delete, confirm::go_ahead(Action::Delete, lang))
}

/// Sends (or resumes) a batch with progress on the terminal, one JSON line
/// per item with --json, and Ctrl-C stopping after the call in flight.
async fn send(cli: &Cli, target: &Target, history: &Mutex<History>, id: &str, how: Run) -> Done {
    let lang = lang();
    let cancel = Arc::new(Cancel::default());
    let watcher = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("{}", words::stopping(lang));
                cancel.cancel();
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(130);
                }
            }
        })
    };
    let terminal = std::io::stderr().is_terminal() && !cli.json;
    let json = cli.json;
    let progress = move |p: BatchProgress| {
        if let (Some(outcome), true) = (&p.outcome, json) {
            let mut line = outcome_json(outcome, &outcome_prefix(&p));
            line["batch"] = json!(p.batch_id);
            println!("{line}");
        }
        if terminal {
            eprint!("\r\x1b[K{}", words::progress(&p.counts, p.eta_seconds, p.current.as_deref(), lang));
        } else if !json && let (Some(last), Some(outcome)) = (&p.last, &p.outcome) {
            eprintln!("{}", words::item_done(last.state, outcome.errcode, &last.prefix, lang));
        }
    };
    let result = batch::run(target, history, id, how, &cancel, progress, lang).await;
    watcher.abort();
    if terminal {
        eprint!("\r\x1b[K");
    }
    let status = result.map_err(service_failure)?;
    Ok(summary(&status, cancel.is_cancelled(), lang))
}

fn outcome_prefix(progress: &BatchProgress) -> String {
    progress.last.as_ref().map(|l| l.prefix.clone()).unwrap_or_default()
}

/// The batch's end in words and as the exit status: 1 if any item got a
/// WeChat error, 3 if any outcome stayed unknown.
fn summary(status: &BatchStatus, cancelled: bool, lang: Lang) -> (Exit, serde_json::Value, String) {
    let c = status.counts;
    let text = words::summary(status, cancelled, lang);
    let exit = if c.failed > 0 {
        Exit::WeChat
    } else if c.unknown + c.still_there > 0 {
        Exit::Fault
    } else {
        Exit::Ok
    };
    let value =
        json!({ "ok": matches!(exit, Exit::Ok), "batch": status.batch.id, "counts": c, "finished": c.finished() });
    (exit, value, text)
}

pub async fn command(cli: &Cli, command: &BatchCommand) -> Done {
    let lang = lang();
    match command {
        BatchCommand::List => {
            let history = Mutex::new(read_history()?);
            let open = batch::unfinished(&history).map_err(service_failure)?;
            let mut text = String::new();
            for status in &open {
                text.push_str(&format!("{}\n", words::status_line(status, lang)));
            }
            text.push_str(&words::unfinished(open.len(), lang));
            let value = json!({ "ok": true, "batches": open.iter().map(|s| json!({ "id": s.batch.id, "account": s.batch.account_name, "counts": s.counts })).collect::<Vec<_>>() });
            Ok((Exit::Ok, value, text))
        }
        BatchCommand::Show { id } => {
            let history = Mutex::new(read_history()?);
            let status = batch::status(&history, id).map_err(service_failure)?;
            let mut text = words::status_line(&status, lang);
            for item in &status.items {
                text.push('\n');
                text.push_str(&words::item_line(item, lang));
            }
            Ok((Exit::Ok, json!({ "ok": true, "batch": status }), text))
        }
        BatchCommand::Close { id } => {
            let history = Mutex::new(open_history()?);
            batch::close(&history, id).map_err(service_failure)?;
            Ok((Exit::Ok, json!({ "ok": true, "batch": id }), words::closed(id, lang)))
        }
        BatchCommand::Resume { id, yes } => resume(cli, id.as_deref(), *yes).await,
    }
}

async fn resume(cli: &Cli, id: Option<&str>, yes: bool) -> Done {
    let lang = lang();
    let target = target(cli)?;
    let history = Mutex::new(open_history()?);
    let caller = target.account.appid().map(|a| a.as_str().to_owned());
    let id = match id {
        Some(id) => id.to_owned(),
        None => {
            let open = batch::unfinished(&history).map_err(service_failure)?;
            let mine: Vec<&BatchStatus> =
                open.iter().filter(|s| s.batch.caller_appid == caller && !s.batch.demo).collect();
            match mine.as_slice() {
                [] => {
                    return Ok((Exit::Ok, json!({ "ok": true, "batch": null }), words::none_unfinished(lang).into()));
                }
                [one] => one.batch.id.clone(),
                many => {
                    let ids: Vec<&str> = many.iter().map(|s| s.batch.id.as_str()).collect();
                    return Err(Failure::input(words::several_unfinished(&ids, lang)));
                }
            }
        }
    };
    let status = batch::status(&history, &id).map_err(service_failure)?;
    if status.batch.caller_appid.is_some() && status.batch.caller_appid != caller {
        let made_by = status.batch.caller_appid.as_deref().unwrap_or("?");
        return Err(Failure::input(other_account(Made::Batch(&id), made_by, caller.as_deref(), lang)));
    }
    let c = status.counts;
    if c.finished() {
        return Ok((Exit::Ok, json!({ "ok": true, "batch": id, "counts": c }), words::nothing_left(&id, lang)));
    }
    if !yes {
        need_terminal(Action::ResumeBatch)?;
        eprintln!("{}", words::status_line(&status, lang));
        eprintln!("{}", words::resume_plan(c.unknown, c.never_sent + c.still_there, lang));
        confirmed(Action::ResumeBatch, confirm::go_ahead(Action::ResumeBatch, lang))?;
    }
    // Records of the resumed batch keep the batch's account name.
    let target = Target { account_name: status.batch.account_name.clone(), ..target };
    send(cli, &target, &history, &id, Run::Resume).await
}
