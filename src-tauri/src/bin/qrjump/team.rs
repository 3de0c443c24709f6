//! `qrjump team`: the team's shared history on PostgreSQL, from
//! QRJUMP_TEAM_DATABASE_URL (the password in it stays out of argv). Every
//! command that records attempts pushes what waits before it exits.

use clap::Subcommand;
use serde_json::json;

use qrjump::team::{ENV_CA_FILE, ENV_DATABASE_URL, Team, TeamConfig};

use super::{Exit, Failure, open_history};

#[derive(Subcommand)]
pub enum TeamCommand {
    /// Push the completed records this folder's history has not pushed yet.
    Push,
    /// Check every installation's hash chain on the team database: records
    /// altered and records removed there, per installation.
    Verify,
}

/// The team database, when QRJUMP_TEAM_DATABASE_URL names one.
fn configured() -> Result<Option<TeamConfig>, Failure> {
    let Some(address) = std::env::var(ENV_DATABASE_URL).ok().filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    let ca = std::env::var_os(ENV_CA_FILE).filter(|v| !v.is_empty()).map(Into::into);
    TeamConfig::parse(&address, ca).map(Some).map_err(|e| Failure::input(format!("{ENV_DATABASE_URL}: {e}")))
}

async fn connect() -> Result<Team, Failure> {
    let config = configured()?.ok_or_else(|| {
        Failure::input(format!("{ENV_DATABASE_URL} is not set: postgres://user:password@host/database"))
    })?;
    config.connect().await.map_err(|e| Failure::fault(e.to_string()))
}

pub async fn command(command: &TeamCommand) -> Result<(Exit, serde_json::Value, String), Failure> {
    match command {
        TeamCommand::Push => {
            let mut team = connect().await?;
            let history = open_history()?;
            let pushed = team.push(&history).await.map_err(|e| Failure::fault(e.to_string()))?;
            let text = format!("Pushed {} record(s) to the team history; {} waiting.", pushed.sent, pushed.waiting);
            Ok((Exit::Ok, json!({ "ok": true, "sent": pushed.sent, "waiting": pushed.waiting }), text))
        }
        TeamCommand::Verify => {
            let team = connect().await?;
            let report = team.verify().await.map_err(|e| Failure::fault(e.to_string()))?;
            let mut lines = Vec::new();
            for check in &report.installations {
                let name = format!("{} ({})", check.installation_id, check.computer);
                if check.intact() {
                    lines.push(format!("{name}: intact, {} record(s)", check.records));
                    continue;
                }
                lines.push(format!("{name}: ALTERED"));
                for id in &check.altered {
                    lines.push(format!("  record {id} was changed on the server"));
                }
                for (first, last) in &check.gaps {
                    lines.push(if first == last {
                        format!("  chain position {first} was removed from the server")
                    } else {
                        format!("  chain positions {first} to {last} were removed from the server")
                    });
                }
            }
            if report.installations.is_empty() {
                lines.push("The team history holds no records yet.".into());
            }
            let exit = if report.intact() { Exit::Ok } else { Exit::WeChat };
            Ok((exit, json!({ "ok": report.intact(), "installations": report.installations }), lines.join("\n")))
        }
    }
}

/// After a command that recorded attempts: push what waits. A push that
/// fails leaves the records waiting and says so on stderr; the command's
/// own exit status stands.
pub async fn push_after_recording() {
    let config = match configured() {
        Ok(Some(config)) => config,
        Ok(None) => return,
        Err(failure) => {
            eprintln!("qrjump: team history not pushed: {}", failure.message);
            return;
        }
    };
    let Ok(history) = open_history() else { return };
    let result = match config.connect().await {
        Ok(mut team) => team.push(&history).await,
        Err(error) => {
            let _ = history.note_push_error(&error.to_string());
            Err(error)
        }
    };
    if let Err(error) = result {
        let waiting = history.outbox().map(|o| o.waiting).unwrap_or_default();
        eprintln!("qrjump: team history not pushed ({waiting} record(s) waiting): {error}");
    }
}
