//! Batch delete as the window offers it: plan, backup, paced send with
//! progress and cancel, resume, and the batches left unfinished.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{AppError, AppState, DeleteForm, Result, modes, scope};
use crate::lang::Lang;
use crate::service::Target;
use crate::service::batch::{self, BatchProgress, BatchStatus, Cancel, Plan, Run};
use crate::sync::lock;
use crate::wechat::Mode;

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
        self.require_writable()?;
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
    pub(super) fn batch_target(&self, status: &BatchStatus) -> Result<Target> {
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

    pub(super) fn cancel_handle(&self, batch_id: &str) -> Arc<Cancel> {
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
}
