//! `qrjump delete --from-file` and `qrjump batch ...`.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::json;

use qrjump::history::History;
use qrjump::service::Target;
use qrjump::service::batch::{self, BatchProgress, BatchStatus, Cancel, ItemState, Plan, Run};

use super::outcome::outcome_json;
use super::{
    BatchCommand, Cli, Exit, Failure, ask, lang, need_terminal, open_history, read_history, scope, service_failure,
    target,
};

type Done = Result<(Exit, serde_json::Value, String), Failure>;

/// Above this many rules the admin types the count to confirm, as the app asks.
const TYPE_THE_COUNT: usize = 10;

pub async fn delete_from_file(cli: &Cli, file: &Path, appid: Option<&str>, yes: bool) -> Done {
    let lang = lang();
    let text = std::fs::read(file)
        .map_err(|e| Failure::input(format!("--from-file {}: {e}", file.display())))
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())?;
    let inputs = batch::parse_prefix_list(&text);
    if inputs.is_empty() {
        return Err(Failure::input(format!(
            "--from-file {}: no prefix in it (one a line, or a CSV with a \"prefix\" column)",
            file.display()
        )));
    }
    let scope = scope(appid)?;
    let target = target(cli)?;
    let plan = batch::plan(&target, &scope, &inputs, lang).await.map_err(service_failure)?;
    report_plan(cli, &plan);
    if plan.rules.is_empty() {
        return Err(Failure::input(format!(
            "none of the {} prefix(es) in {} is in the account's rule list: nothing to delete",
            inputs.len(),
            file.display()
        )));
    }
    if !yes {
        confirm_batch(&plan)?;
    }
    let history = Mutex::new(open_history()?);
    let begun = batch::begin(&history, &target, None, &scope, &plan).map_err(service_failure)?;
    if !cli.json {
        eprintln!("Batch {}: {} rule(s).", begun.id, begun.items.len());
        if let Some(path) = &begun.backup_path {
            eprintln!("  The whole rule list was saved first: {path}");
        }
    }
    let id = begun.id.clone();
    send(cli, &target, &history, &id, Run::Fresh).await
}

/// Says, before anything is sent, which lines are not prefixes and which
/// prefixes the account does not have.
fn report_plan(cli: &Cli, plan: &Plan) {
    for invalid in &plan.invalid {
        if cli.json {
            println!(
                "{}",
                json!({ "ok": false, "status": "invalid", "kind": "input", "prefix": invalid.text, "errcode": null, "errmsg": null, "message": invalid.message })
            );
        } else {
            eprintln!("  skipped, not a prefix: {:?}: {}", invalid.text, invalid.message);
        }
    }
    for missing in &plan.missing {
        if cli.json {
            println!(
                "{}",
                json!({ "ok": false, "status": "not_in_list", "kind": "input", "prefix": missing, "errcode": null, "errmsg": null, "message": "not in the account's current rule list: not sent" })
            );
        } else {
            eprintln!("  skipped, not in the account's rule list: {missing}");
        }
    }
    if plan.duplicates > 0 && !cli.json {
        eprintln!("  {} prefix(es) listed more than once: each is sent once.", plan.duplicates);
    }
}

fn confirm_batch(plan: &Plan) -> Result<(), Failure> {
    need_terminal("delete")?;
    eprintln!("About to delete {} QR code jump rule(s):", plan.rules.len());
    for rule in &plan.rules {
        eprintln!("  {}  ->  {}", rule.prefix, rule.path);
    }
    eprintln!("Printed QR codes with these prefixes will stop opening the Mini Program.");
    let n = plan.rules.len();
    if n > TYPE_THE_COUNT {
        let answer = ask(&format!("Type the number of rules ({n}) to delete them: "))?;
        if answer != n.to_string() {
            return Err(Failure::input("not deleted: the number typed does not match"));
        }
        return Ok(());
    }
    let answer = ask("Delete them? [y/N] ")?;
    if super::yes_answer(&answer) { Ok(()) } else { Err(Failure::input("not deleted: not confirmed")) }
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
                eprintln!("\nStopping after the call in flight (Ctrl-C again to stop at once)…");
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
            let c = p.counts;
            let now = p.current.as_deref().map(|c| format!("  {c}")).unwrap_or_default();
            eprint!(
                "\r\x1b[K[{}/{}] deleted {}, failed {}, ~{:.0} s left{now}",
                c.done + c.failed + c.unknown + c.still_there,
                c.total,
                c.done,
                c.failed,
                p.eta_seconds
            );
        } else if !json && let (Some(last), Some(outcome)) = (&p.last, &p.outcome) {
            let word = match last.state {
                ItemState::Done => "deleted",
                ItemState::Failed => "FAILED",
                _ => "UNKNOWN",
            };
            let code = outcome.errcode.map(|c| format!(" (errcode {c})")).unwrap_or_default();
            eprintln!("  {word}{code}: {}", last.prefix);
        }
    };
    let result = batch::run(target, history, id, how, &cancel, progress, lang).await;
    watcher.abort();
    if terminal {
        eprint!("\r\x1b[K");
    }
    let status = result.map_err(service_failure)?;
    Ok(summary(&status, cancel.is_cancelled()))
}

fn outcome_prefix(progress: &BatchProgress) -> String {
    progress.last.as_ref().map(|l| l.prefix.clone()).unwrap_or_default()
}

/// The batch's end in words and as the exit status: 1 if any item got a
/// WeChat error, 3 if any outcome stayed unknown.
fn summary(status: &BatchStatus, cancelled: bool) -> (Exit, serde_json::Value, String) {
    let c = status.counts;
    let mut text = format!("Batch {}: {} of {} deleted, {} failed", status.batch.id, c.done, c.total, c.failed);
    if c.unknown + c.still_there > 0 {
        text.push_str(&format!(", {} outcome unknown", c.unknown + c.still_there));
    }
    if c.never_sent > 0 {
        text.push_str(&format!(", {} not sent{}", c.never_sent, if cancelled { " (stopped)" } else { "" }));
    }
    text.push('.');
    for item in status.items.iter().filter(|i| i.state == ItemState::Failed) {
        text.push_str(&format!(
            "\n  failed: {} errcode {} {}\n    {}",
            item.prefix,
            item.errcode.map(|c| c.to_string()).unwrap_or_default(),
            item.errmsg.as_deref().unwrap_or(""),
            item.explanation.as_deref().unwrap_or("")
        ));
    }
    if !c.finished() {
        text.push_str(&format!("\n  Go on later with: qrjump batch resume {}", status.batch.id));
    }
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
    match command {
        BatchCommand::List => {
            let history = Mutex::new(read_history()?);
            let open = batch::unfinished(&history).map_err(service_failure)?;
            let mut text = String::new();
            for status in &open {
                text.push_str(&format!("{}\n", line(status)));
            }
            text.push_str(&format!("{} unfinished batch(es)", open.len()));
            let value = json!({ "ok": true, "batches": open.iter().map(|s| json!({ "id": s.batch.id, "account": s.batch.account_name, "counts": s.counts })).collect::<Vec<_>>() });
            Ok((Exit::Ok, value, text))
        }
        BatchCommand::Show { id } => {
            let history = Mutex::new(read_history()?);
            let status = batch::status(&history, id).map_err(service_failure)?;
            let mut text = line(&status);
            for item in &status.items {
                let check = item.check.map(|c| format!(" (checked: {})", c.as_str())).unwrap_or_default();
                text.push_str(&format!(
                    "\n  {:>4}  {:<10} {}{check}",
                    item.position,
                    serde_json::to_value(item.state)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    item.prefix
                ));
            }
            Ok((Exit::Ok, json!({ "ok": true, "batch": status }), text))
        }
        BatchCommand::Close { id } => {
            let history = Mutex::new(open_history()?);
            batch::close(&history, id).map_err(service_failure)?;
            Ok((
                Exit::Ok,
                json!({ "ok": true, "batch": id }),
                format!("Batch {id} closed: it is no longer offered for resuming."),
            ))
        }
        BatchCommand::Resume { id, yes } => resume(cli, id.as_deref(), *yes).await,
    }
}

fn line(status: &BatchStatus) -> String {
    let c = status.counts;
    format!(
        "{}  {}  {}: {} rule(s), {} deleted, {} failed, {} outcome unknown, {} to send again, {} never sent",
        status.batch.id,
        qrjump::history::local_time(&status.batch.created_at),
        status.batch.account_name,
        c.total,
        c.done,
        c.failed,
        c.unknown,
        c.still_there,
        c.never_sent
    )
}

async fn resume(cli: &Cli, id: Option<&str>, yes: bool) -> Done {
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
                    return Ok((
                        Exit::Ok,
                        json!({ "ok": true, "batch": null }),
                        "No unfinished batch for these credentials.".into(),
                    ));
                }
                [one] => one.batch.id.clone(),
                many => {
                    let ids: Vec<&str> = many.iter().map(|s| s.batch.id.as_str()).collect();
                    return Err(Failure::input(format!("several unfinished batches: name one ({})", ids.join(", "))));
                }
            }
        }
    };
    let status = batch::status(&history, &id).map_err(service_failure)?;
    if status.batch.caller_appid.is_some() && status.batch.caller_appid != caller {
        return Err(Failure::input(format!(
            "batch {id} was made by account {}; these credentials are of {}: set the same account's credentials",
            status.batch.caller_appid.as_deref().unwrap_or("?"),
            caller.as_deref().unwrap_or("a given token")
        )));
    }
    let c = status.counts;
    if c.finished() {
        return Ok((
            Exit::Ok,
            json!({ "ok": true, "batch": id, "counts": c }),
            format!("Batch {id} has nothing left to do."),
        ));
    }
    if !yes {
        need_terminal("resume the batch")?;
        eprintln!("{}", line(&status));
        eprintln!(
            "Resuming checks the {} item(s) whose outcome is unknown against the rule list, sends again only those still there, then sends the {} never sent.",
            c.unknown,
            c.never_sent + c.still_there
        );
        if !super::yes_answer(&ask("Resume? [y/N] ")?) {
            return Err(Failure::input("not resumed: not confirmed"));
        }
    }
    // Records of the resumed batch keep the batch's account name.
    let target = Target { account_name: status.batch.account_name.clone(), ..target };
    send(cli, &target, &history, &id, Run::Resume).await
}
