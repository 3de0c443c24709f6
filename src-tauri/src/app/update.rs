//! Updates in the window: what the feed offers this install, and installing
//! the version offered on the admin's word (never one the page names).

use serde::Serialize;

use super::{AppError, AppState};
use crate::explain::Problem;
use crate::sync::lock;
use crate::update::{self, Install, Installed, Offer, Settings, Ui};

/// Where updates come from, for the About screen.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSettings {
    /// The window looks at start and once a day.
    pub automatic: bool,
    pub feed: Option<String>,
    pub off_by_policy: bool,
    pub feed_locked: bool,
}

/// What a check found.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum UpdateCheck {
    UpToDate {
        current: String,
    },
    #[serde(rename_all = "camelCase")]
    Newer {
        current: String,
        version: String,
        notes: String,
        date: Option<String>,
    },
    /// A downgrade offered: never installed.
    Older {
        current: String,
        offered: String,
    },
    /// No answer, or one refused. `refused`: the feed offered something
    /// this program will not install (another key, no HTTPS): worth telling
    /// the admin even when the check was not theirs.
    Failed {
        problem: Problem,
        refused: bool,
    },
}

/// What became of the package.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UpdateInstalled {
    /// Installed (dpkg): the new version runs from the next start.
    Done { version: String },
    /// The installer runs: the app closes so it can replace it.
    Handed { version: String },
    /// The app cannot install it here: the admin runs `command`.
    Run { version: String, saved: String, command: String },
}

fn settings() -> Settings {
    Settings::resolve(&crate::policy::current().policy, None)
}

impl AppState {
    pub fn update_settings(&self) -> UpdateSettings {
        let settings = settings();
        UpdateSettings {
            automatic: settings.automatic(),
            feed: settings.feed.as_deref().map(crate::net::without_query),
            off_by_policy: settings.off_by_policy,
            feed_locked: settings.feed_locked,
        }
    }

    /// Asks the feed; the newer version found is remembered for `install_update`.
    pub async fn check_update(&self) -> UpdateCheck {
        let current = update::current_version().to_string();
        let checked = update::check(&settings(), &crate::policy::current().policy, &Install::current()).await;
        let found = match checked {
            Ok(Offer::UpToDate) => UpdateCheck::UpToDate { current },
            Ok(Offer::Older { offered }) => UpdateCheck::Older { current, offered: offered.to_string() },
            Ok(Offer::Newer(release)) => {
                let found = UpdateCheck::Newer {
                    current,
                    version: release.version.to_string(),
                    notes: release.notes.clone(),
                    date: release.date.clone(),
                };
                *lock(&self.offered_update) = Some(*release);
                found
            }
            Err(error) => {
                let refused = matches!(
                    error,
                    update::Error::OtherKey { .. }
                        | update::Error::SignatureUnreadable
                        | update::Error::InsecurePackage(_)
                );
                UpdateCheck::Failed { problem: Problem::update(&error, self.lang()), refused }
            }
        };
        self.log.write(&format!("update check: {}", summary(&found)));
        found
    }

    /// Downloads the version the last check offered, checks its signature
    /// and hands it to this install's installer.
    pub async fn install_update(
        &self,
        version: &str,
        progress: &mut (dyn FnMut(update::Progress) + Send),
    ) -> Result<UpdateInstalled, AppError> {
        let offered = lock(&self.offered_update).clone();
        let release = offered
            .filter(|release| release.version.to_string() == version)
            .ok_or_else(|| AppError::UpdateNotOffered(version.to_owned()))?;
        let install = Install::current();
        let dir = self.data_dir.join("updates");
        let policy = &crate::policy::current().policy;
        // Cancel drops the download (its connection closes); nothing of it
        // was saved, as a package is written only once its signature holds.
        self.update_cancel.send_replace(false);
        let mut cancelled = self.update_cancel.subscribe();
        let downloaded = tokio::select! {
            saved = update::download(&release, policy, &install, &dir, progress) => saved,
            _ = cancelled.wait_for(|cancel| *cancel) => Err(update::Error::Cancelled),
        };
        let saved = downloaded.inspect_err(|e| {
            self.log.write(&format!("update {version} not installed: {e}"));
        })?;
        let installed = update::install(&install, &saved, Ui::Passive)?;
        self.log.write(&format!("update {version}: {installed:?}"));
        Ok(match installed {
            Installed::Done => UpdateInstalled::Done { version: version.to_owned() },
            Installed::Handed => UpdateInstalled::Handed { version: version.to_owned() },
            Installed::RunThis(command) => {
                UpdateInstalled::Run { version: version.to_owned(), saved: saved.display().to_string(), command }
            }
        })
    }

    /// Stops the download `install_update` is making, if any.
    pub fn cancel_update(&self) {
        self.update_cancel.send_replace(true);
    }
}

fn summary(found: &UpdateCheck) -> String {
    match found {
        UpdateCheck::UpToDate { current } => format!("{current} is the newest"),
        UpdateCheck::Newer { version, .. } => format!("{version} offered"),
        UpdateCheck::Older { offered, .. } => format!("{offered} offered, older: ignored"),
        UpdateCheck::Failed { problem, .. } => problem.message.clone(),
    }
}
