//! Which account holds a prefix: every rule list the app can read.

use super::{AppState, DEMO_ID, Result, modes};
use crate::history::Filter;
use crate::lang::Lang;
use crate::service::owners::{self, OwnerSearch, Searchable};
use crate::sync::lock;
use crate::wechat::{Mode, Prefix, Scope};

impl AppState {
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
