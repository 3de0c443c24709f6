//! Restore: re-adding a deleted rule from its snapshot (`qrcodejumpadd`
//! with the snapshot's fields for that mode), and publishing it if the
//! admin asks (`qrcodejumppublish`, which spends one of the month's
//! publishes). The restore and the publish are records of their own, the
//! restore linked to the delete it undoes, the publish to the restore.

use std::sync::Mutex;

use serde::Serialize;

use super::error::NotRestorable;
use super::{ActionOutcome, Error, Intent, Target, run};
use crate::history::{Action, History, Record, Status};
use crate::lang::Lang;
use crate::wechat::{NewRule, OpenVersion, Prefix, Rule, RuleQuery, Scope, SubRules, VerificationFile};

/// A rule to put back.
#[derive(Debug, Clone)]
pub struct RestoreRequest {
    /// The rule as it was (a delete's snapshot, or a backup's line).
    pub rule: Rule,
    pub scope: Scope,
    /// The delete this undoes, when it comes from the history.
    pub related_id: Option<i64>,
    /// Publish it once added.
    pub publish: bool,
}

impl RestoreRequest {
    /// The restore of a successful delete, from its snapshot.
    pub fn of_delete(record: &Record, publish: bool) -> Result<RestoreRequest, Error> {
        let refuse = |reason| Error::NotRestorable { id: record.id, reason };
        if record.action != Action::Delete {
            return Err(refuse(NotRestorable::NotDelete));
        }
        if record.status != Status::Ok {
            return Err(refuse(NotRestorable::NotDeleted));
        }
        let rule: Rule = record
            .rule_snapshot
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
            .ok_or(refuse(NotRestorable::NoSnapshot))?;
        let scope = Scope::from_input(record.mode, record.target_appid.as_deref())?;
        Ok(RestoreRequest { rule, scope, related_id: Some(record.id), publish })
    }
}

/// What a restore came to.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Restored {
    pub prefix: String,
    pub restore: ActionOutcome,
    /// The publish, when asked for and the add succeeded.
    pub publish: Option<ActionOutcome>,
    /// WeChat refused for want of the verification file (85068/85069): the
    /// app offers to save it (see [`verification_file`]).
    pub needs_verification_file: bool,
}

/// The `qrcodejumpadd` body of a snapshot, for its mode. An ordinary-mode
/// snapshot without `open_version` or `permit_sub_rule` cannot be restored
/// as it was, so it is refused rather than guessed.
pub fn new_rule(rule: &Rule, scope: &Scope) -> Result<NewRule, Error> {
    let prefix = Prefix::parse(&rule.prefix)?;
    Ok(match scope {
        Scope::Ordinary => {
            let incomplete = || Error::NotRestorable { id: 0, reason: NotRestorable::NoSnapshot };
            let version = rule.open_version.and_then(OpenVersion::from_code).ok_or_else(incomplete)?;
            let sub = rule.permit_sub_rule.and_then(SubRules::from_code).ok_or_else(incomplete)?;
            NewRule::ordinary(prefix, &rule.path, version, sub, rule.debug_url.clone().unwrap_or_default())?
        }
        Scope::ServiceAccount(appid) => NewRule::service_account(prefix, &rule.path, appid.clone())?,
    })
}

/// Re-adds the rule and, if asked and the add succeeded, publishes it.
pub async fn restore(
    target: &Target,
    history: &Mutex<History>,
    request: &RestoreRequest,
    lang: Lang,
) -> Result<Restored, Error> {
    // Every field is checked before anything is recorded or sent.
    let rule = new_rule(&request.rule, &request.scope)?;
    let intent = Intent {
        snapshot: Some(request.rule.clone()),
        related_id: request.related_id,
        ..Intent::new(Action::Restore, rule.prefix.clone(), request.scope.clone())
    };
    let call = target.client.add_jump_qrcode(&target.account, &rule);
    let restore = run(target, history, intent, call, lang).await?;
    let publish = if request.publish && restore.status == Status::Ok {
        let intent = Intent {
            related_id: Some(restore.record_id),
            ..Intent::new(Action::Publish, rule.prefix.clone(), request.scope.clone())
        };
        let call = target.client.publish_jump_qrcode(&target.account, &request.scope, &rule.prefix);
        Some(run(target, history, intent, call, lang).await?)
    } else {
        None
    };
    let needs_verification_file = matches!(restore.errcode, Some(85068 | 85069));
    Ok(Restored { prefix: rule.prefix.as_str().to_owned(), restore, publish, needs_verification_file })
}

/// Publishes left this month (`qrcodejump_pub_quota`), read before a
/// publish is offered: each publish spends one.
pub async fn publishes_left(target: &Target, scope: &Scope, prefix: &str) -> Result<Option<i64>, Error> {
    // In service-account mode ask for this one prefix, not 10,000 rules.
    let query = RuleQuery::Prefixes(vec![prefix.to_owned()]);
    let list = target.client.get_jump_qrcodes(&target.account, scope, &query).await?;
    Ok(list.qrcodejump_pub_quota)
}

/// The verification file WeChat wants on the prefix's web server.
pub async fn verification_file(target: &Target) -> Result<VerificationFile, Error> {
    Ok(target.client.download_verification_file(&target.account).await?)
}
