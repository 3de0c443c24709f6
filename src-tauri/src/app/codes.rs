//! Printed codes, as the desktop app offers them: "Look up a code" across
//! every account, each account's list of printed codes, and what a delete
//! does to them. Each is a few lines over `matching`, `printed` and
//! `service::code_lookup`.

use std::path::Path;

use serde::Serialize;

use super::{AppError, AppState, Result};
use crate::accounts;
use crate::lang::Lang;
use crate::matching::{self, Impact};
use crate::printed::{self, FolderRead, PrintedList};
use crate::service::code_lookup::{self, CodeInput, CodeLookup};
use crate::sync::lock;
use crate::wechat::Rule;

/// An account's printed codes as the Accounts screen lists them.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintedView {
    pub account_id: String,
    pub codes: usize,
    pub source: String,
    pub imported_at: String,
}

/// What an import read.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    pub codes: usize,
    /// Images read, when a folder was imported.
    pub images: usize,
    pub without_code: Vec<String>,
    pub unreadable: Vec<String>,
}

impl AppState {
    /// Checks each code against every account's rule list.
    pub async fn lookup_codes(&self, codes: &[CodeInput], appid: Option<&str>, lang: Lang) -> Result<CodeLookup> {
        let lists = self.every_list(appid)?;
        Ok(code_lookup::lookup(&lists, codes, lang).await)
    }

    /// Every account's printed-code list, in brief.
    pub fn printed_codes(&self) -> Result<Vec<PrintedView>> {
        let all = self.printed.all()?;
        Ok(all
            .into_iter()
            .map(|(account_id, list)| PrintedView {
                account_id,
                codes: list.links.len(),
                source: list.source,
                imported_at: list.imported_at,
            })
            .collect())
    }

    /// Replaces the account's printed codes with the links in `path`: a
    /// text or CSV file, or a folder of images.
    pub fn import_printed_codes(&self, account_id: &str, path: &Path) -> Result<Imported> {
        self.known_account(account_id)?;
        let read = if path.is_dir() {
            printed::links_in_folder(path)?
        } else {
            FolderRead { links: printed::links_in_file(path)?, ..FolderRead::default() }
        };
        let imported = Imported {
            codes: read.links.len(),
            images: read.images,
            without_code: read.without_code,
            unreadable: read.unreadable,
        };
        let list = PrintedList {
            links: read.links,
            source: path.display().to_string(),
            imported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        };
        self.printed.set(account_id, Some(list))?;
        self.log.write(&format!("printed codes of {account_id}: {} imported", imported.codes));
        Ok(imported)
    }

    pub fn forget_printed_codes(&self, account_id: &str) -> Result<()> {
        Ok(self.printed.set(account_id, None)?)
    }

    /// What deleting `prefix` does, from the rules the window shows and the
    /// account's printed codes.
    pub fn delete_impact(&self, account_id: &str, prefix: &str, rules: &[Rule]) -> Result<Impact> {
        let codes = self.printed.links(account_id)?;
        Ok(matching::impact(&[prefix.trim()], rules, &codes))
    }

    /// An account the app has (a configured one, or the demo's).
    pub(super) fn known_account(&self, id: &str) -> Result<()> {
        if super::DemoAccount::of(id).is_some() || lock(&self.accounts).get(id).is_some() {
            Ok(())
        } else {
            Err(AppError::Accounts(accounts::Error::NotFound(id.to_owned())))
        }
    }
}
