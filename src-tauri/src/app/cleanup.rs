//! Clean-ups at scale, as the desktop app offers them: batch delete with
//! its backup, progress, cancel and resume; restore from the history;
//! "is it really gone?" checks; rule-list backups; and which account owns
//! a prefix. Each is a few lines over `service`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{AppError, AppState, DEMO_ID, DeleteForm, Result, modes, scope};
use crate::history::{Action, Conclusion, Filter, Status};
use crate::lang::Lang;
use crate::service::backup::{self, RuleBackup};
use crate::service::batch::{self, BatchProgress, BatchStatus, Cancel, Plan, Run};
use crate::service::check;
use crate::service::owners::{self, OwnerSearch, Searchable};
use crate::service::restore::{self, RestoreRequest, Restored};
use crate::service::{ActionOutcome, Target};
use crate::sync::lock;
use crate::wechat::{Mode, Prefix, Scope};

/// Many rules of one account and mode, by prefix.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchForm {
    pub account_id: String,
    pub mode: Mode,
    pub appid: Option<String>,
    #[serde(default)]
    pub prefixes: Vec<String>,
    /// Pasted text: one prefix a line, or a table with a `prefix` column.
    #[serde(default)]
    pub text: Option<String>,
}

impl BatchForm {
    /// The prefixes given, and those read from the pasted text.
    fn inputs(&self) -> Vec<String> {
        let mut inputs = self.prefixes.clone();
        if let Some(text) = &self.text {
            inputs.extend(batch::parse_prefix_list(text));
        }
        inputs
    }

    fn delete_form(&self) -> DeleteForm {
        DeleteForm {
            account_id: self.account_id.clone(),
            mode: self.mode,
            prefix: String::new(),
            appid: self.appid.clone(),
        }
    }
}

/// A batch that was begun: what it holds and what its plan left out.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Begun {
    pub status: BatchStatus,
    pub plan: Plan,
}

/// A record and the latest check or restore linked to it, for the review table.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Linked {
    pub related_id: i64,
    pub id: i64,
    pub action: Action,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
}

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

/// What a backup file holds, against the account's list as it is now.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupContents {
    pub path: String,
    pub rules: Vec<crate::wechat::Rule>,
    /// Prefixes of the file already in the account's list (nothing to restore).
    pub present: Vec<String>,
    pub publishes_left: Option<i64>,
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
    /// What a batch of `form.prefixes` would delete, from one read of the list.
    pub async fn plan_batch(&self, form: &BatchForm, lang: Lang) -> Result<Plan> {
        let scope = scope(&form.delete_form())?;
        let target = self.resolve(&form.account_id, form.mode)?;
        let mut plan = batch::plan(&target, &scope, &form.inputs(), lang).await?;
        plan.count_codes(&self.printed.links(&form.account_id)?);
        Ok(plan)
    }

    /// Reads the list once more (the snapshots come from it), saves it as a
    /// backup and writes the batch to the history. Nothing is sent yet.
    pub async fn begin_batch(&self, form: &BatchForm, lang: Lang) -> Result<Begun> {
        if !self.writable() {
            return Err(crate::history::Error::ReadOnly { dir: self.data_dir.clone() }.into());
        }
        let scope = scope(&form.delete_form())?;
        let target = self.resolve(&form.account_id, form.mode)?;
        let plan = batch::plan(&target, &scope, &form.inputs(), lang).await?;
        let begun = batch::begin(&self.history, &target, Some(&form.account_id), &scope, &plan)?;
        let status = batch::status(&self.history, &begun.id)?;
        Ok(Begun { status, plan })
    }

    /// The target a batch was made with: its account (for a batch a script
    /// made, the account here with the same AppID) and mode. Records keep
    /// the batch's account name.
    fn batch_target(&self, status: &BatchStatus) -> Result<Target> {
        let batch = &status.batch;
        let known = batch.account_id.clone().filter(|id| self.known_account(id).is_ok());
        let by_appid = || {
            let appid = batch.caller_appid.as_deref()?;
            let accounts = lock(&self.accounts);
            let found =
                accounts.list().iter().find(|a| a.appid.as_deref() == Some(appid) && modes(a).contains(&batch.mode));
            found.map(|a| a.id.clone())
        };
        let id = known.or_else(by_appid).ok_or(AppError::BatchAccountGone)?;
        let target = self.resolve(&id, batch.mode)?;
        Ok(Target { account_name: batch.account_name.clone(), ..target })
    }

    fn cancel_handle(&self, batch_id: &str) -> Arc<Cancel> {
        let cancel = Arc::new(Cancel::default());
        lock(&self.cancels).insert(batch_id.to_owned(), cancel.clone());
        cancel
    }

    /// Sends a batch as `how` says, telling `progress` before and after each item.
    pub async fn send_batch(
        &self,
        batch_id: &str,
        how: Run,
        progress: impl FnMut(BatchProgress),
        lang: Lang,
    ) -> Result<BatchStatus> {
        let status = batch::status(&self.history, batch_id)?;
        let target = self.batch_target(&status)?;
        let cancel = self.cancel_handle(batch_id);
        let result = batch::run(&target, &self.history, batch_id, how, &cancel, progress, lang).await;
        lock(&self.cancels).remove(batch_id);
        self.wake_team_push();
        Ok(result?)
    }

    /// Sends the items never sent of a batch just begun.
    pub async fn run_batch(&self, id: &str, progress: impl FnMut(BatchProgress), lang: Lang) -> Result<BatchStatus> {
        self.send_batch(id, Run::Fresh, progress, lang).await
    }

    /// Checks the unknown items, then sends those still there and those never sent.
    pub async fn resume_batch(&self, id: &str, progress: impl FnMut(BatchProgress), lang: Lang) -> Result<BatchStatus> {
        self.send_batch(id, Run::Resume, progress, lang).await
    }

    /// Checks the unknown items only.
    pub async fn check_batch(&self, batch_id: &str, lang: Lang) -> Result<BatchStatus> {
        let status = batch::status(&self.history, batch_id)?;
        let target = self.batch_target(&status)?;
        Ok(batch::check_unknown(&target, &self.history, batch_id, lang).await?)
    }

    /// Stops a running batch after the call in flight.
    pub fn cancel_batch(&self, batch_id: &str) {
        if let Some(cancel) = lock(&self.cancels).get(batch_id) {
            cancel.cancel();
        }
    }

    pub fn close_batch(&self, batch_id: &str) -> Result<()> {
        Ok(batch::close(&self.history, batch_id)?)
    }

    pub fn batch_status(&self, batch_id: &str) -> Result<BatchStatus> {
        Ok(batch::status(&self.history, batch_id)?)
    }

    /// The batches not finished, except those this window is sending now.
    pub fn unfinished_batches(&self) -> Result<Vec<BatchStatus>> {
        if !self.writable() {
            return Ok(Vec::new());
        }
        let running: Vec<String> = lock(&self.cancels).keys().cloned().collect();
        let all = batch::unfinished(&self.history)?;
        Ok(all.into_iter().filter(|s| !running.contains(&s.batch.id)).collect())
    }

    /// The latest check or restore linked to each of `ids`.
    pub fn history_links(&self, ids: &[i64]) -> Result<Vec<Linked>> {
        let records = lock(&self.history).linked_to(ids)?;
        let mut latest: HashMap<(i64, Action), Linked> = HashMap::new();
        for r in records {
            let Some(related_id) = r.related_id else { continue };
            latest.insert(
                (related_id, r.action),
                Linked { related_id, id: r.id, action: r.action, status: r.status, conclusion: r.conclusion },
            );
        }
        let mut links: Vec<Linked> = latest.into_values().collect();
        links.sort_by_key(|l| l.id);
        Ok(links)
    }

    fn record_target(&self, record_id: i64) -> Result<(crate::history::Record, Target)> {
        let record = lock(&self.history).get(record_id)?.ok_or(AppError::NoRecord(record_id))?;
        let account_id = self.account_id_named(&record.account_name, record.demo).ok_or(AppError::RecordAccountGone)?;
        let target = self.resolve(&account_id, record.mode)?;
        Ok((record, target))
    }

    /// The account id of the account the history names `name`.
    fn account_id_named(&self, name: &str, demo: bool) -> Option<String> {
        if demo {
            return Some(DEMO_ID.into());
        }
        lock(&self.accounts).list().iter().find(|a| a.name == name).map(|a| a.id.clone())
    }

    /// Records, linked to an "outcome unknown" delete, whether its rule is gone.
    pub async fn check_record(&self, record_id: i64, lang: Lang) -> Result<ActionOutcome> {
        let (record, target) = self.record_target(record_id)?;
        Ok(check::check_record(&target, &self.history, &record, lang).await?)
    }

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
        if !self.writable() {
            return Err(crate::history::Error::ReadOnly { dir: self.data_dir.clone() }.into());
        }
        let (record, target) = self.record_target(record_id)?;
        let request = RestoreRequest::of_delete(&record, publish)?;
        Ok(restore::restore(&target, &self.history, &request, lang).await?)
    }

    /// Saves WeChat's verification file for the account of `record_id` into `dir`.
    pub async fn save_verification_file(&self, record_id: i64, path: &Path) -> Result<SavedVerificationFile> {
        let (record, target) = self.record_target(record_id)?;
        let file = restore::verification_file(&target).await?;
        // The admin picked a folder or a file; the name is WeChat's.
        let path = if path.is_dir() { path.join(&file.file_name) } else { path.with_file_name(&file.file_name) };
        crate::files::write_replacing(&path, file.file_content.as_bytes())
            .map_err(|source| AppError::SaveFile { path: path.clone(), source })?;
        Ok(SavedVerificationFile {
            path: path.display().to_string(),
            location: file.location(&record.prefix),
            file_name: file.file_name,
        })
    }

    /// Saves the account's whole rule list (every page) as CSV or JSON.
    pub async fn backup_rules(&self, form: &DeleteForm, path: &Path) -> Result<usize> {
        let scope = scope(form)?;
        backup::Format::of(path)?;
        let target = self.resolve(&form.account_id, form.mode)?;
        let list = target.client.all_jump_qrcodes(&target.account, &scope).await?;
        let target_appid = scope.target_appid().map(|a| a.as_str().to_owned());
        let saved = RuleBackup::new(&target.account_name, scope.mode(), target_appid.as_deref(), &list);
        backup::write(path, &saved)?;
        Ok(list.rule_list.len())
    }

    /// Reads a rule backup and the account's current list, to choose what to restore.
    pub async fn open_backup(&self, form: &DeleteForm, path: &Path) -> Result<BackupContents> {
        let scope = scope(form)?;
        let rules = backup::read(path)?;
        let target = self.resolve(&form.account_id, form.mode)?;
        let list = target.client.all_jump_qrcodes(&target.account, &scope).await?;
        let now: std::collections::HashSet<&str> = list.rule_list.iter().map(|r| r.prefix.as_str()).collect();
        let present = rules.iter().filter(|r| now.contains(r.prefix.as_str())).map(|r| r.prefix.clone()).collect();
        Ok(BackupContents {
            path: path.display().to_string(),
            rules,
            present,
            publishes_left: list.qrcodejump_pub_quota,
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
        if !self.writable() {
            return Err(crate::history::Error::ReadOnly { dir: self.data_dir.clone() }.into());
        }
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

    /// Searches every account's rules for `prefix`.
    pub async fn find_owner(&self, prefix: &str, appid: Option<&str>, lang: Lang) -> Result<OwnerSearch> {
        let prefix = Prefix::parse(prefix)?;
        let searchable = self.every_list(appid)?;
        Ok(owners::find(&searchable, &prefix, lang).await)
    }

    /// Every rule list the app can read: ordinary mode for Mini Programs
    /// and given tokens; for service accounts, each Mini Program their
    /// history names (plus `appid`, if given); and the demo's two.
    pub(super) fn every_list(&self, appid: Option<&str>) -> Result<Vec<Searchable>> {
        let extra = match appid.map(str::trim).filter(|a| !a.is_empty()) {
            Some(appid) => Some(Scope::from_input(Mode::ServiceAccount, Some(appid))?),
            None => None,
        };
        let accounts: Vec<(String, String, Vec<Mode>)> =
            lock(&self.accounts).list().iter().map(|a| (a.id.clone(), a.name.clone(), modes(a))).collect();
        let mut searchable = Vec::new();
        let mut add = |id: &str, mode: Mode, scope: Scope| -> Result<()> {
            let target = self.resolve(id, mode)?;
            searchable.push(Searchable { account_id: Some(id.to_owned()), target, scope });
            Ok(())
        };
        for (id, name, modes) in &accounts {
            if modes.contains(&Mode::Ordinary) {
                add(id, Mode::Ordinary, Scope::Ordinary)?;
            }
            if modes == &[Mode::ServiceAccount] {
                let mut scopes = self.target_appids_of(name)?;
                // The history's AppIDs are sorted and distinct; the one typed may be among them.
                if let Some(extra) = &extra
                    && !scopes.iter().any(|s| s.target_appid() == extra.target_appid())
                {
                    scopes.push(extra.clone());
                }
                for scope in scopes {
                    add(id, Mode::ServiceAccount, scope)?;
                }
            }
        }
        let demo_target = Scope::from_input(Mode::ServiceAccount, Some(super::DEMO_TARGET_APPID))?;
        add(DEMO_ID, Mode::Ordinary, Scope::Ordinary)?;
        add(DEMO_ID, Mode::ServiceAccount, demo_target)?;
        Ok(searchable)
    }

    /// The Mini Programs a service account's recorded deletes named.
    pub(super) fn target_appids_of(&self, account_name: &str) -> Result<Vec<Scope>> {
        let filter =
            Filter { account: Some(account_name.into()), mode: Some(Mode::ServiceAccount), ..Filter::default() };
        let records = lock(&self.history).page(&filter, None, 1000)?;
        let mut appids: Vec<String> = records.into_iter().filter_map(|r| r.target_appid).collect();
        appids.sort();
        appids.dedup();
        Ok(appids.iter().filter_map(|a| Scope::from_input(Mode::ServiceAccount, Some(a)).ok()).collect())
    }
}
