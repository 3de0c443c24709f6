//! `qrjump update check|install`: a newer version from the update feed,
//! installed only when the key built into this program signed it.

use std::io::IsTerminal;

use clap::{Args, Subcommand};
use serde_json::json;

use qrjump::explain::Problem;
use qrjump::explain::confirm::{self, Action};
use qrjump::explain::update as words;
use qrjump::update::{self, Install, Installed, Offer, Settings, Ui};

use crate::{Cli, Exit, Failure, confirmed, data_dir, lang, need_terminal};

#[derive(Subcommand)]
pub enum UpdateCommand {
    /// Ask the update feed whether a newer version exists.
    Check(FeedArgs),
    /// Download the newer version, check its signature and install it: dpkg
    /// for the .deb (as root; else the command to run is printed), msiexec or
    /// the installer for the MSI and NSIS installs (quietly).
    Install {
        #[command(flatten)]
        feed: FeedArgs,
        /// Do not ask for confirmation (required when stdin is not a terminal).
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args)]
pub struct FeedArgs {
    /// The update feed, Tauri's latest.json (default: IT policy's UPDATEURL, else
    /// the one built in; a locked policy's wins).
    #[arg(long, value_name = "URL", env = "QRJUMP_UPDATE_URL")]
    feed: Option<String>,
}

type Done = Result<(Exit, serde_json::Value, String), Failure>;

fn failure(error: &update::Error) -> Failure {
    let exit = match error {
        update::Error::Off | update::Error::NoFeed | update::Error::InsecureFeed(_) => Exit::Input,
        _ => Exit::Fault,
    };
    Failure::told(Problem::update(error, lang()), exit)
}

pub async fn command(_cli: &Cli, command: &UpdateCommand) -> Done {
    let policy = &qrjump::policy::current().policy;
    let (feed, yes) = match command {
        UpdateCommand::Check(feed) => (feed, None),
        UpdateCommand::Install { feed, yes } => (feed, Some(*yes)),
    };
    let settings = Settings::resolve(policy, feed.feed.as_deref());
    let install = Install::current();
    let current = update::current_version();
    let offer = update::check(&settings, policy, &install).await.map_err(|e| failure(&e))?;
    let lang = lang();
    let release = match offer {
        Offer::UpToDate => {
            let text = words::up_to_date(&current, lang);
            return Ok((Exit::Ok, json!({ "ok": true, "current": current.to_string(), "state": "up_to_date" }), text));
        }
        Offer::Older { offered } => {
            let text = words::older(&offered, &current, lang);
            let value =
                json!({ "ok": true, "current": current.to_string(), "state": "older", "offered": offered.to_string() });
            return Ok((Exit::Ok, value, text));
        }
        Offer::Newer(release) => release,
    };
    let mut value = json!({
        "ok": true,
        "current": current.to_string(),
        "state": "newer",
        "version": release.version.to_string(),
        "notes": release.notes,
        "date": release.date,
        "package": qrjump::net::without_query(release.url.as_str()),
    });
    let text = words::available(&release, &current, yes.is_none(), lang);
    let Some(yes) = yes else {
        return Ok((Exit::Ok, value, text));
    };

    if !yes {
        need_terminal(Action::InstallUpdate)?;
        eprintln!("{text}");
        confirmed(Action::InstallUpdate, confirm::go_ahead(Action::InstallUpdate, lang))?;
    }
    let dir = data_dir()?.join("updates");
    let package =
        update::download(&release, policy, &install, &dir, &mut show_progress()).await.map_err(|e| failure(&e))?;
    value["saved"] = json!(package.display().to_string());
    let how = update::install(&install, &package, Ui::Quiet).map_err(|e| failure(&e))?;
    match &how {
        Installed::Done => value["installed"] = json!(true),
        Installed::Handed => value["installed"] = json!("started"),
        Installed::RunThis(command) => {
            value["installed"] = json!(false);
            value["run"] = json!(command);
        }
    }
    let said = words::installed(&release.version, &how, &package, lang);
    Ok((Exit::Ok, value, said))
}

/// The download's progress on one line of a terminal (nothing when stderr
/// is a file or a pipe: scripts read the answer, not the way there).
fn show_progress() -> impl FnMut(update::Progress) + Send {
    let terminal = std::io::stderr().is_terminal();
    let lang = lang();
    move |step: update::Progress| {
        if !terminal {
            return;
        }
        let line = words::downloading(step.received, step.total, lang);
        let end = if step.total == Some(step.received) { "\n" } else { "" };
        eprint!("\r{line}{end}");
    }
}
