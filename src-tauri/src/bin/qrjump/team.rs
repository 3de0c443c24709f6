//! `qrjump team`: the team's shared history on PostgreSQL, from
//! QRJUMP_TEAM_DATABASE_URL (the password in it stays out of argv). Every
//! command that records attempts pushes what waits before it exits.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::json;

use qrjump::explain::{Problem, flags, records};
use qrjump::team::{ENV_CA_FILE, ENV_DATABASE_URL, ENV_PASSWORD, ENV_TIMEOUT, Team, TeamConfig, TeamFilter};

use super::history::FilterArgs;
use super::{Exit, Failure, data_dir, lang, open_history, read_history};

/// Where the team history is. The password belongs in QRJUMP_TEAM_PASSWORD
/// (or the environment's address), not in a flag other users can see.
#[derive(Args)]
pub struct TeamArgs {
    /// The team history's database: postgres://user@host:port/database.
    #[arg(long, global = true, value_name = "URL", env = ENV_DATABASE_URL, hide_env_values = true)]
    team_database_url: Option<String>,
}

#[derive(Subcommand)]
pub enum TeamCommand {
    /// Push the completed records this folder's history has not pushed yet.
    Push,
    /// Check every installation's hash chain on the team database: records
    /// altered and records removed there, per installation.
    Verify,
    /// Review the team history: every computer's records.
    #[command(subcommand)]
    History(Box<TeamHistoryCommand>),
}

#[derive(Subcommand)]
pub enum TeamHistoryCommand {
    /// List records, newest first, from every computer.
    List {
        #[command(flatten)]
        filter: TeamFilterArgs,
        /// How many records to show.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Write the audit CSV of the team history (UTF-8 with BOM, opens in
    /// Excel): the installation and computer, then the local CSV's columns.
    Export {
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        filter: TeamFilterArgs,
    },
}

#[derive(Args)]
pub struct TeamFilterArgs {
    #[command(flatten)]
    record: FilterArgs,
    /// Only records of this operator (the user name recorded).
    #[arg(long)]
    operator: Option<String>,
    /// Only records pushed from this computer.
    #[arg(long)]
    computer: Option<String>,
}

impl TeamFilterArgs {
    fn filter(&self) -> Result<TeamFilter, Failure> {
        let record = self.record.filter();
        if record.related_to.is_some() {
            return Err(Failure::input(flags::linked_to_is_local(lang())));
        }
        Ok(TeamFilter { record, operator: self.operator.clone(), computer: self.computer.clone() })
    }
}

fn team_failure(error: qrjump::team::Error) -> Failure {
    match error {
        qrjump::team::Error::Filter(_) => Failure::input(error.to_string()),
        other => fault(&other),
    }
}

/// A team database that failed, in `explain`'s words (what and what to do).
fn fault(error: &qrjump::team::Error) -> Failure {
    Failure::told(Problem::team(error, lang()), Exit::Fault)
}

/// The team database, when the flag or QRJUMP_TEAM_DATABASE_URL names one.
fn configured(args: &TeamArgs) -> Result<Option<TeamConfig>, Failure> {
    // IT's policy names the team database for everyone (its password stays each user's).
    let policy = &qrjump::policy::current().policy;
    let given = args.team_database_url.as_deref().filter(|v| !v.trim().is_empty());
    let Some(address) = policy.choose(policy.team_database_url.as_deref(), given) else {
        return Ok(None);
    };
    let ca = std::env::var_os(ENV_CA_FILE).filter(|v| !v.is_empty()).map(Into::into);
    let mut config =
        TeamConfig::parse(address, ca).map_err(|e| Failure::input(flags::team_database(&e.to_string(), lang())))?;
    if let Some(password) = std::env::var(ENV_PASSWORD).ok().filter(|v| !v.is_empty()) {
        config = config.with_password(&password);
    }
    match std::env::var(ENV_TIMEOUT).ok().filter(|v| !v.trim().is_empty()) {
        None => Ok(Some(config)),
        Some(text) => match text.trim().parse::<u64>() {
            Ok(seconds) if seconds > 0 => Ok(Some(config.with_timeout(std::time::Duration::from_secs(seconds)))),
            _ => Err(Failure::input(flags::team_timeout(&text, lang()))),
        },
    }
}

async fn connect(args: &TeamArgs) -> Result<Team, Failure> {
    let config = configured(args)?.ok_or_else(|| Failure::input(flags::no_team_database(lang())))?;
    config.connect().await.map_err(|e| fault(&e))
}

pub async fn command(args: &TeamArgs, command: &TeamCommand) -> Result<(Exit, serde_json::Value, String), Failure> {
    match command {
        TeamCommand::Push => {
            let mut team = connect(args).await?;
            let history = std::sync::Mutex::new(open_history()?);
            let pushed = team.push(&history).await.map_err(|e| fault(&e))?;
            let text = records::pushed(&pushed, lang());
            let value =
                json!({ "ok": true, "sent": pushed.sent, "already": pushed.already, "waiting": pushed.waiting });
            Ok((Exit::Ok, value, text))
        }
        TeamCommand::Verify => {
            let team = connect(args).await?;
            let report = team.verify().await.map_err(|e| fault(&e))?;
            let lang = lang();
            let mut lines: Vec<String> =
                report.installations.iter().flat_map(|check| records::installation(check, lang)).collect();
            if report.installations.is_empty() {
                lines.push(records::team_empty(lang).into());
            }
            // From a computer with a history: the server's copy of it, held
            // against the local chain (what the server alone cannot see).
            let has_history = data_dir().is_ok_and(|dir| dir.join(qrjump::history::FILE_NAME).exists());
            let local = match read_history().ok().filter(|_| has_history) {
                Some(history) => {
                    let history = std::sync::Mutex::new(history);
                    Some(team.compare_local(&history).await.map_err(|e| fault(&e))?)
                }
                None => None,
            };
            if let Some(local) = &local {
                lines.extend(records::local(local, lang));
            }
            let ok = report.intact() && local.as_ref().is_none_or(|l| l.agrees());
            let exit = if ok { Exit::Ok } else { Exit::WeChat };
            Ok((exit, json!({ "ok": ok, "installations": report.installations, "local": local }), lines.join("\n")))
        }
        TeamCommand::History(history) => history_command(args, history).await,
    }
}

async fn history_command(
    args: &TeamArgs,
    command: &TeamHistoryCommand,
) -> Result<(Exit, serde_json::Value, String), Failure> {
    match command {
        TeamHistoryCommand::List { filter, limit } => {
            let filter = filter.filter()?;
            let team = connect(args).await?;
            let records = team.page(&filter, None, *limit).await.map_err(team_failure)?;
            let lang = lang();
            let mut text = String::new();
            for t in &records {
                text.push_str(&records::team_line(t, lang));
                text.push('\n');
            }
            text.push_str(&records::count(records.len(), lang));
            Ok((Exit::Ok, json!({ "ok": true, "records": records }), text))
        }
        TeamHistoryCommand::Export { out, filter } => {
            let filter = filter.filter()?;
            let mut team = connect(args).await?;
            let out_error = |e: std::io::Error| {
                Failure::input(flags::file("--out", &out.display().to_string(), &e.to_string(), lang()))
            };
            // Written beside and renamed when whole: a failure leaves no truncated CSV.
            let mut partial = qrjump::files::Partial::create(out).map_err(out_error)?;
            let written = team.export_csv(&filter, partial.file()).await.map_err(team_failure)?;
            partial.commit().map_err(out_error)?;
            Ok((
                Exit::Ok,
                json!({ "ok": true, "records": written, "file": out }),
                records::team_exported(written, &out.display().to_string(), lang()),
            ))
        }
    }
}

/// After a command that recorded attempts: push what waits. A push that
/// fails leaves the records waiting and says so on stderr; the command's
/// own exit status stands.
pub async fn push_after_recording(args: &TeamArgs) {
    let config = match configured(args) {
        Ok(Some(config)) => config,
        Ok(None) => return,
        Err(failure) => {
            eprintln!("{}", records::not_pushed(None, &failure.message, lang()));
            return;
        }
    };
    let Ok(history) = open_history() else { return };
    let history = std::sync::Mutex::new(history);
    if let Err(error) = qrjump::team::push_waiting(&config, &history).await {
        let waiting = history.lock().ok().and_then(|h| h.outbox().ok()).map(|o| o.waiting);
        eprintln!("{}", records::not_pushed(waiting, &error.to_string(), lang()));
    }
}
