//! `qrjump rules export` and `qrjump find`.

use std::path::Path;
use std::sync::Arc;

use serde_json::json;

use qrjump::service::backup::{self, RuleBackup};
use qrjump::service::owners::{self, Relation, Searchable};
use qrjump::wechat::{Prefix, Scope};

use super::{Cli, Exit, Failure, Target, lang, scope, target, wechat_failure};

type Done = Result<(Exit, serde_json::Value, String), Failure>;

pub async fn export(cli: &Cli, out: &Path, appid: Option<&str>) -> Done {
    let scope = scope(appid)?;
    // The format is known before the list is read.
    backup::Format::of(out).map_err(|e| Failure::input(format!("--out {e}")))?;
    let target = target(cli)?;
    let list = target.client.all_jump_qrcodes(&target.account, &scope).await.map_err(|e| wechat_failure(&e, lang()))?;
    let saved = RuleBackup::new(&target.account_name, scope.mode(), appid, &list);
    backup::write(out, &saved).map_err(|e| Failure::input(format!("--out {e}")))?;
    let n = list.rule_list.len();
    Ok((Exit::Ok, json!({ "ok": true, "rules": n, "file": out }), format!("Wrote {n} rule(s) to {}", out.display())))
}

pub async fn find(cli: &Cli, prefix: &str, appids: &[String]) -> Done {
    let prefix = Prefix::parse(prefix).map_err(|e| Failure::input(e.message(qrjump::lang::Lang::En)))?;
    let target = target(cli)?;
    let mut scopes = vec![Scope::Ordinary];
    for appid in appids {
        scopes.push(scope(Some(appid))?);
    }
    // With --appid, the credentials are a service account's: its ordinary list does not exist.
    if !appids.is_empty() {
        scopes.remove(0);
    }
    let searchable: Vec<Searchable> = scopes
        .into_iter()
        .map(|scope| Searchable {
            account_id: None,
            target: Target { account: Arc::clone(&target.account), ..target.clone() },
            scope,
        })
        .collect();
    let found = owners::find(&searchable, &prefix, lang()).await;
    let mut text = String::new();
    for holding in &found.holdings {
        let how = match holding.relation {
            Relation::Exact => "holds it",
            Relation::Covers => "has a broader rule",
            Relation::Under => "has a narrower rule",
        };
        let appid = holding.whose.target_appid.as_deref().map(|a| format!(" for {a}")).unwrap_or_default();
        text.push_str(&format!(
            "{}{appid} {how}: {} -> {}\n",
            holding.whose.account_name, holding.rule.prefix, holding.rule.path
        ));
    }
    for searched in found.searched.iter().filter(|s| s.error.is_some()) {
        text.push_str(&format!(
            "{}: not searched: {}\n",
            searched.whose.account_name,
            searched.error.as_deref().unwrap_or("")
        ));
    }
    let exact = found.holdings.iter().any(|h| h.relation == Relation::Exact);
    if !exact {
        text.push_str(&format!("No searched account holds {prefix} itself."));
    } else {
        text.pop();
    }
    Ok((Exit::Ok, json!({ "ok": true, "search": found }), text))
}
