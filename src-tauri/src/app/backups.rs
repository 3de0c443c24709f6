//! Rule lists saved as files (CSV or JSON) and read back.

use std::path::Path;

use serde::Serialize;

use super::{AppState, DeleteForm, Result, scope};
use crate::service::backup::{self, RuleBackup};

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

impl AppState {
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
}
