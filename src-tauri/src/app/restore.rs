//! Adding deleted rules back: from a delete in the history (with a preview
//! and WeChat's verification file when it asks), or from a backup.

use std::path::Path;

use serde::Serialize;

use super::{AppError, AppState, DeleteForm, Result, scope};
use crate::lang::Lang;
use crate::service::backup::{self};
use crate::service::restore::{self, RestoreRequest, Restored};
use crate::wechat::{Mode, VerificationFile};

/// What the restore dialog shows before anything is sent.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePreview {
    pub record_id: i64,
    pub prefix: String,
    pub path: String,
    pub mode: Mode,
    pub account_name: String,
    /// Publishes left this month, when they could be read.
    pub publishes_left: Option<i64>,
    /// Why they could not be read.
    pub publishes_problem: Option<String>,
}

/// A saved verification file and where it must go on the web server.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedVerificationFile {
    pub path: String,
    pub file_name: String,
    /// Where on the web site it must open.
    pub location: String,
}

impl AppState {
    /// What restoring a delete would add, and the publishes left this month.
    pub async fn restore_preview(&self, record_id: i64, lang: Lang) -> Result<RestorePreview> {
        let (record, target) = self.record_target(record_id)?;
        let request = RestoreRequest::of_delete(&record, false)?;
        let (publishes_left, publishes_problem) =
            match restore::publishes_left(&target, &request.scope, &request.rule.prefix).await {
                Ok(left) => (left, None),
                Err(error) => (None, Some(AppError::from(error).problem(lang).message)),
            };
        Ok(RestorePreview {
            record_id,
            prefix: request.rule.prefix,
            path: request.rule.path,
            mode: record.mode,
            account_name: record.account_name,
            publishes_left,
            publishes_problem,
        })
    }

    /// Re-adds the rule a delete removed, linked to it, and publishes it if asked.
    pub async fn restore(&self, record_id: i64, publish: bool, lang: Lang) -> Result<Restored> {
        self.require_writable()?;
        let (record, target) = self.record_target(record_id)?;
        let request = RestoreRequest::of_delete(&record, publish)?;
        Ok(restore::restore(&target, &self.history, &request, lang).await?)
    }

    /// Saves WeChat's verification file for the account of `record_id` into `dir`.
    pub async fn save_verification_file(&self, record_id: i64, path: &Path) -> Result<SavedVerificationFile> {
        let (record, target) = self.record_target(record_id)?;
        let file = restore::verification_file(&target).await?;
        let path = save_verification_file(&file, path)?;
        Ok(SavedVerificationFile {
            path: path.display().to_string(),
            location: file.location(&record.prefix),
            file_name: file.file_name,
        })
    }

    /// Restores the rules of a backup file named by `prefixes`, one audited
    /// restore (and publish, if asked) each.
    pub async fn restore_from_backup(
        &self,
        form: &DeleteForm,
        path: &Path,
        prefixes: &[String],
        publish: bool,
        lang: Lang,
    ) -> Result<Vec<Restored>> {
        self.require_writable()?;
        let scope = scope(form)?;
        let prefixes: std::collections::HashSet<&String> = prefixes.iter().collect();
        let chosen: Vec<_> = backup::read(path)?.into_iter().filter(|r| prefixes.contains(&r.prefix)).collect();
        // Every rule is checked before anything is sent.
        for rule in &chosen {
            restore::new_rule(rule, &scope)?;
        }
        let target = self.resolve(&form.account_id, form.mode)?;
        let mut restored = Vec::with_capacity(chosen.len());
        for rule in chosen {
            let request = RestoreRequest { rule, scope: scope.clone(), related_id: None, publish };
            restored.push(restore::restore(&target, &self.history, &request, lang).await?);
        }
        Ok(restored)
    }
}

/// Writes WeChat's verification file under WeChat's name (a plain name:
/// checked when it came) in the folder the admin picked, or the folder of
/// the file they picked.
pub(super) fn save_verification_file(file: &VerificationFile, chosen: &Path) -> Result<std::path::PathBuf> {
    let path = if chosen.is_dir() { chosen.join(&file.file_name) } else { chosen.with_file_name(&file.file_name) };
    crate::files::write_replacing(&path, file.file_content.as_bytes())
        .map_err(|source| AppError::SaveFile { path: path.clone(), source })?;
    Ok(path)
}
