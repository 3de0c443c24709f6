//! The life of a rule beside its delete: add, edit, publish.
//!
//! Each request is checked against what the account holds now (the rule
//! list, the rule limit, the month's publishes) before anything is recorded
//! or sent, so WeChat's refusals that can be foreseen (85071, 85073, 886000,
//! 40097 for a published page) are said in words first. Each call is an
//! audited record. Changing a published rule's page is three linked records
//! (delete, add, publish), and the old rule is put back if the add fails.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::restore::new_rule;
use super::{ActionOutcome, Error, Intent, Target, delete_with, run};
use crate::history::{self, Action, Conclusion, History, Status};
use crate::lang::Lang;
use crate::wechat::api::{origin, page_path};
use crate::wechat::limits::ORDINARY_RULES;
use crate::wechat::{NewRule, OpenVersion, Prefix, Rule, RuleQuery, RuleTarget, Scope, SubRules};

/// Why a request is refused before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("prefix: {0} is already a rule of this account (WeChat would answer 85071)")]
    Exists(String),
    #[error("prefix: {0} is not a rule of this account")]
    NotFound(String),
    #[error("the account holds {count} rules and WeChat allows {limit} (85073): delete one before adding")]
    RuleLimit { count: usize, limit: usize },
    #[error("{needed} publish(es) needed but {left} left this month (qrcodejump_pub_quota); nothing was sent")]
    Quota { needed: usize, left: i64 },
    #[error("prefix: {0} already has these settings; nothing to change")]
    Unchanged(String),
    #[error("prefix: {0} is published already")]
    AlreadyPublished(String),
    #[error(
        "prefix: WeChat's list does not say {0}'s open version and sub-rule setting; give both (--open-version, --sub-rules or --no-sub-rules)"
    )]
    Incomplete(String),
}

/// What the account holds now, read once before a request is checked.
#[derive(Debug, Clone)]
pub struct Standing {
    pub rules: Vec<Rule>,
    /// Rules the account holds, and how many it may (ordinary mode: in
    /// service-account mode the limit counts adds over the account's life,
    /// which no list shows).
    pub count: usize,
    pub limit: Option<usize>,
    /// Publishes left this month (`qrcodejump_pub_quota`), when WeChat says.
    pub publishes_left: Option<i64>,
}

impl Standing {
    /// Reads the list: the whole of it in ordinary mode (at most 100 rules),
    /// the named prefixes in service-account mode (which may hold 100,000).
    pub async fn read(target: &Target, scope: &Scope, prefixes: &[&Prefix]) -> Result<Standing, Error> {
        let (client, account) = (&target.client, target.account.as_ref());
        let list = match scope {
            Scope::Ordinary => client.all_jump_qrcodes(account, scope).await?,
            Scope::ServiceAccount(_) => {
                let named = prefixes.iter().map(|p| p.as_str().to_owned()).collect();
                client.get_jump_qrcodes(account, scope, &RuleQuery::Prefixes(named)).await?
            }
        };
        let count = usize::try_from(list.total_count).unwrap_or(0).max(list.rule_list.len());
        let limit = matches!(scope, Scope::Ordinary).then_some(ORDINARY_RULES);
        Ok(Standing { rules: list.rule_list, count, limit, publishes_left: list.qrcodejump_pub_quota })
    }

    fn find(&self, prefix: &Prefix) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.prefix == prefix.as_str())
    }

    /// Refuses when `needed` publishes exceed what is left (when known).
    fn afford(&self, needed: usize) -> Result<(), Refusal> {
        match self.publishes_left {
            Some(left) if needed > 0 && (needed as i64) > left => Err(Refusal::Quota { needed, left: left.max(0) }),
            _ => Ok(()),
        }
    }
}

/// The rule as `qrcodejumpget` would list it once `rule` is added.
pub fn listed(rule: &NewRule, state: i64) -> Rule {
    let (open_version, permit_sub_rule, debug_url) = match &rule.target {
        RuleTarget::Ordinary { open_version, permit_sub_rule, debug_url } => {
            (Some(*open_version as i64), Some(*permit_sub_rule as i64), Some(debug_url.clone()))
        }
        RuleTarget::ServiceAccount { .. } => (None, None, None),
    };
    Rule {
        prefix: rule.prefix.as_str().to_owned(),
        path: rule.path.clone(),
        state,
        open_version,
        debug_url,
        permit_sub_rule,
    }
}

// ---- add ----

/// A rule to add, and whether to publish it once added.
#[derive(Debug, Clone)]
pub struct AddRequest {
    pub rule: NewRule,
    pub publish: bool,
}

/// What an add will do, checked: what the confirmation shows.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddPlan {
    pub rule: Rule,
    /// It will be published once added.
    pub publish: bool,
    /// A publish was asked for but none is left this month: the rule is
    /// added unpublished, and the admin is told so.
    pub publish_held: bool,
    pub publishes_left: Option<i64>,
    pub rule_count: usize,
    pub rule_limit: Option<usize>,
    /// The first rule of the account on this host (ordinary mode): WeChat
    /// checks its verification file there before it accepts the rule.
    pub first_on_host: Option<String>,
}

/// Checks an add against what the account holds.
pub fn check_add(standing: &Standing, request: &AddRequest) -> Result<AddPlan, Refusal> {
    let prefix = &request.rule.prefix;
    if standing.find(prefix).is_some() {
        return Err(Refusal::Exists(prefix.as_str().to_owned()));
    }
    if let Some(limit) = standing.limit
        && standing.count >= limit
    {
        return Err(Refusal::RuleLimit { count: standing.count, limit });
    }
    let publish_held = request.publish && standing.publishes_left.is_some_and(|left| left <= 0);
    let host = origin(prefix.as_str());
    let first_on_host = (matches!(request.rule.target, RuleTarget::Ordinary { .. })
        && !standing.rules.iter().any(|rule| origin(&rule.prefix).eq_ignore_ascii_case(&host)))
    .then_some(host);
    Ok(AddPlan {
        first_on_host,
        rule: listed(&request.rule, 1),
        publish: request.publish && !publish_held,
        publish_held,
        publishes_left: standing.publishes_left,
        rule_count: standing.count,
        rule_limit: standing.limit,
    })
}

/// Reads what the account holds and checks the add against it.
pub async fn plan_add(target: &Target, request: &AddRequest) -> Result<AddPlan, Error> {
    let standing = Standing::read(target, &request.rule.scope(), &[&request.rule.prefix]).await?;
    Ok(check_add(&standing, request)?)
}

/// What an add came to.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Added {
    pub prefix: String,
    pub add: ActionOutcome,
    /// The publish, when asked for, possible and the add succeeded.
    pub publish: Option<ActionOutcome>,
    /// A publish was asked for but none was left this month.
    pub publish_held: bool,
    /// WeChat wants its verification file on the prefix's web server first.
    pub needs_verification_file: bool,
}

/// Adds a rule (checked again right before it is sent) and publishes it if asked.
pub async fn add(target: &Target, history: &Mutex<History>, request: &AddRequest, lang: Lang) -> Result<Added, Error> {
    let plan = plan_add(target, request).await?;
    let mut added = add_checked(target, history, &request.rule, plan.publish, lang).await?;
    added.publish_held = plan.publish_held;
    Ok(added)
}

/// Adds a rule already checked, and publishes it if `publish` and the add succeeded.
pub(crate) async fn add_checked(
    target: &Target,
    history: &Mutex<History>,
    rule: &NewRule,
    publish: bool,
    lang: Lang,
) -> Result<Added, Error> {
    let scope = rule.scope();
    let intent = Intent::new(Action::Add, rule.prefix.clone(), scope.clone());
    let add = run(target, history, intent, target.client.add_jump_qrcode(&target.account, rule), lang).await?;
    let publish = match publish && add.status == Status::Ok {
        true => Some(publish_one(target, history, &scope, &rule.prefix, Some(add.record_id), None, lang).await?),
        false => None,
    };
    let needs_verification_file = needs_file(&add);
    Ok(Added { prefix: rule.prefix.as_str().to_owned(), add, publish, publish_held: false, needs_verification_file })
}

/// WeChat refused for want of the verification file on the web server.
fn needs_file(outcome: &ActionOutcome) -> bool {
    matches!(outcome.errcode, Some(85069))
}

// ---- edit ----

/// What to change; what is not given stays as it is.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Changes {
    pub path: Option<String>,
    pub open_version: Option<OpenVersion>,
    pub sub_rules: Option<SubRules>,
    pub debug_url: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct EditRequest {
    pub prefix: Prefix,
    pub scope: Scope,
    pub changes: Changes,
}

/// How an edit is carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditKind {
    /// `qrcodejumpadd` with `is_edit` 1: an unpublished rule, or a
    /// published one whose page stays.
    InPlace,
    /// A published rule's page cannot be edited: delete, add, publish.
    Replace,
}

/// What an edit will do, checked: what the confirmation shows.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditPlan {
    pub before: Rule,
    pub after: Rule,
    pub kind: EditKind,
    pub publishes_needed: usize,
    pub publishes_left: Option<i64>,
    #[serde(skip)]
    rule: NewRule,
}

/// Checks an edit against the rule as the account holds it.
pub fn check_edit(standing: &Standing, request: &EditRequest) -> Result<EditPlan, Error> {
    let prefix = &request.prefix;
    let before = standing.find(prefix).ok_or_else(|| Refusal::NotFound(prefix.as_str().to_owned()))?.clone();
    let changes = &request.changes;
    let path = match &changes.path {
        Some(path) => page_path(path)?,
        None => before.path.clone(),
    };
    let rule = match &request.scope {
        Scope::Ordinary => {
            let incomplete = || Refusal::Incomplete(prefix.as_str().to_owned());
            let version = changes.open_version.or(before.open_version.and_then(OpenVersion::from_code));
            let sub = changes.sub_rules.or(before.permit_sub_rule.and_then(SubRules::from_code));
            let links = changes.debug_url.clone().or(before.debug_url.clone()).unwrap_or_default();
            NewRule::ordinary(
                prefix.clone(),
                &path,
                version.ok_or_else(incomplete)?,
                sub.ok_or_else(incomplete)?,
                links,
            )?
        }
        Scope::ServiceAccount(appid) => NewRule::service_account(prefix.clone(), &path, appid.clone())?,
    };
    let after = listed(&rule, before.state);
    let same = |a: &Rule, b: &Rule| {
        (&a.path, a.open_version, a.permit_sub_rule, a.debug_url.clone().unwrap_or_default())
            == (&b.path, b.open_version, b.permit_sub_rule, b.debug_url.clone().unwrap_or_default())
    };
    if same(&before, &after) {
        return Err(Refusal::Unchanged(prefix.as_str().to_owned()).into());
    }
    let kind = if before.is_published() && before.path != after.path { EditKind::Replace } else { EditKind::InPlace };
    let publishes_needed = usize::from(kind == EditKind::Replace);
    standing.afford(publishes_needed)?;
    Ok(EditPlan {
        before,
        after,
        kind,
        publishes_needed,
        publishes_left: standing.publishes_left,
        rule: rule.as_edit(),
    })
}

/// Reads the rule as it is and checks the edit against it.
pub async fn plan_edit(target: &Target, request: &EditRequest) -> Result<EditPlan, Error> {
    let standing = Standing::read(target, &request.scope, &[&request.prefix]).await?;
    check_edit(&standing, request)
}

/// One step of an edit, and what it was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepRole {
    Edit,
    Delete,
    Add,
    Publish,
    /// The add failed after the delete: the old rule is added back...
    PutBack,
    /// ...and published again, as it was.
    PublishBack,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub role: StepRole,
    pub outcome: ActionOutcome,
}

/// What an edit came to: its records, in order.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Edited {
    pub prefix: String,
    pub kind: EditKind,
    pub steps: Vec<Step>,
    /// Every step succeeded.
    pub done: bool,
    /// The add failed after the delete and the old rule was put back.
    pub rolled_back: bool,
    pub needs_verification_file: bool,
}

/// Carries out an edit (checked again right before anything is sent).
pub async fn edit(
    target: &Target,
    history: &Mutex<History>,
    request: &EditRequest,
    lang: Lang,
) -> Result<Edited, Error> {
    let plan = plan_edit(target, request).await?;
    edit_checked(target, history, &plan, lang).await
}

/// Carries out an edit already checked.
pub(crate) async fn edit_checked(
    target: &Target,
    history: &Mutex<History>,
    plan: &EditPlan,
    lang: Lang,
) -> Result<Edited, Error> {
    let scope = &plan.rule.scope();
    let prefix = &plan.rule.prefix;
    let mut steps = Vec::new();
    let step = |role, outcome| Step { role, outcome };
    if plan.kind == EditKind::InPlace {
        let intent =
            Intent { snapshot: Some(plan.before.clone()), ..Intent::new(Action::Edit, prefix.clone(), scope.clone()) };
        let outcome =
            run(target, history, intent, target.client.add_jump_qrcode(&target.account, &plan.rule), lang).await?;
        let (done, needs_verification_file) = (outcome.status == Status::Ok, needs_file(&outcome));
        steps.push(step(StepRole::Edit, outcome));
        return Ok(Edited {
            prefix: prefix.as_str().to_owned(),
            kind: plan.kind,
            steps,
            done,
            rolled_back: false,
            needs_verification_file,
        });
    }
    let finish = |steps: Vec<Step>, rolled_back: bool| {
        let done = steps.iter().all(|s| s.outcome.status == Status::Ok) && !rolled_back;
        let needs_verification_file = steps.iter().any(|s| needs_file(&s.outcome));
        Edited {
            prefix: prefix.as_str().to_owned(),
            kind: EditKind::Replace,
            steps,
            done,
            rolled_back,
            needs_verification_file,
        }
    };
    // 1. Delete the published rule, with its snapshot (a restore can undo it).
    let intent =
        Intent { snapshot: Some(plan.before.clone()), ..Intent::new(Action::Delete, prefix.clone(), scope.clone()) };
    let deleted = delete_with(target, history, intent, lang).await?;
    let delete_id = deleted.record_id;
    let gone =
        deleted.status == Status::Ok || deleted.check.as_ref().is_some_and(|c| c.conclusion == Some(Conclusion::Gone));
    steps.push(step(StepRole::Delete, deleted));
    if !gone {
        return Ok(finish(steps, false));
    }
    // 2. Add it with its new page, linked to the delete.
    let new = NewRule { is_edit: false, ..plan.rule.clone() };
    let intent = Intent { related_id: Some(delete_id), ..Intent::new(Action::Add, prefix.clone(), scope.clone()) };
    let added = run(target, history, intent, target.client.add_jump_qrcode(&target.account, &new), lang).await?;
    let add_id = added.record_id;
    let add_ok = added.status == Status::Ok;
    steps.push(step(StepRole::Add, added));
    if !add_ok {
        // Put the old rule back as it was, published, so its codes open again.
        let old = new_rule(&plan.before, scope)?;
        let intent = Intent {
            snapshot: Some(plan.before.clone()),
            related_id: Some(delete_id),
            ..Intent::new(Action::Restore, prefix.clone(), scope.clone())
        };
        let back = run(target, history, intent, target.client.add_jump_qrcode(&target.account, &old), lang).await?;
        let (back_ok, back_id) = (back.status == Status::Ok, back.record_id);
        steps.push(step(StepRole::PutBack, back));
        if back_ok {
            let published = publish_one(target, history, scope, prefix, Some(back_id), None, lang).await?;
            steps.push(step(StepRole::PublishBack, published));
        }
        return Ok(finish(steps, true));
    }
    // 3. Publish it, linked to the add.
    let published = publish_one(target, history, scope, prefix, Some(add_id), None, lang).await?;
    steps.push(step(StepRole::Publish, published));
    Ok(finish(steps, false))
}

// ---- publish ----

/// What a publish of several rules will do, checked.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishPlan {
    /// The rules to publish, as they are now.
    pub rules: Vec<Rule>,
    /// Named rules that are published already: left alone.
    pub already: Vec<String>,
    pub publishes_needed: usize,
    pub publishes_left: Option<i64>,
}

/// Checks a publish: every prefix is a rule of the account, and the month's
/// publishes cover them all (a set the quota cannot finish is not started).
pub fn check_publish(standing: &Standing, prefixes: &[Prefix]) -> Result<PublishPlan, Refusal> {
    let (mut rules, mut already) = (Vec::new(), Vec::new());
    for prefix in prefixes {
        let rule = standing.find(prefix).ok_or_else(|| Refusal::NotFound(prefix.as_str().to_owned()))?;
        if rule.is_published() {
            already.push(rule.prefix.clone());
        } else if !rules.iter().any(|r: &Rule| r.prefix == rule.prefix) {
            rules.push(rule.clone());
        }
    }
    if rules.is_empty()
        && let Some(first) = already.first()
    {
        return Err(Refusal::AlreadyPublished(first.clone()));
    }
    standing.afford(rules.len())?;
    Ok(PublishPlan { publishes_needed: rules.len(), rules, already, publishes_left: standing.publishes_left })
}

pub async fn plan_publish(target: &Target, scope: &Scope, prefixes: &[Prefix]) -> Result<PublishPlan, Error> {
    let named: Vec<&Prefix> = prefixes.iter().collect();
    let standing = Standing::read(target, scope, &named).await?;
    Ok(check_publish(&standing, prefixes)?)
}

/// Publishes the rules (checked again first), one record each. Stops at an
/// answer that holds for the whole account (no publishes left, no released
/// version): the rest would only meet it again.
pub async fn publish(
    target: &Target,
    history: &Mutex<History>,
    scope: &Scope,
    prefixes: &[Prefix],
    lang: Lang,
) -> Result<Vec<ActionOutcome>, Error> {
    let plan = plan_publish(target, scope, prefixes).await?;
    let mut outcomes = Vec::with_capacity(plan.rules.len());
    for rule in plan.rules {
        let prefix = Prefix::parse(&rule.prefix)?;
        let outcome = publish_one(target, history, scope, &prefix, None, Some(rule), lang).await?;
        let account_wide = matches!(outcome.errcode, Some(886000 | 85074));
        outcomes.push(outcome);
        if account_wide {
            break;
        }
    }
    Ok(outcomes)
}

/// One audited publish, linked to the record it follows.
pub(crate) async fn publish_one(
    target: &Target,
    history: &Mutex<History>,
    scope: &Scope,
    prefix: &Prefix,
    related_id: Option<i64>,
    snapshot: Option<Rule>,
    lang: Lang,
) -> Result<ActionOutcome, history::Error> {
    let intent = Intent { related_id, snapshot, ..Intent::new(Action::Publish, prefix.clone(), scope.clone()) };
    run(target, history, intent, target.client.publish_jump_qrcode(&target.account, scope, prefix), lang).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::AppId;

    fn standing(rules: Vec<Rule>, left: Option<i64>) -> Standing {
        Standing { count: rules.len(), rules, limit: Some(ORDINARY_RULES), publishes_left: left }
    }

    fn rule(prefix: &str, path: &str, state: i64) -> Rule {
        Rule {
            prefix: prefix.into(),
            path: path.into(),
            state,
            open_version: Some(3),
            debug_url: Some(vec![]),
            permit_sub_rule: Some(1),
        }
    }

    fn ordinary(prefix: &str, path: &str) -> NewRule {
        NewRule::ordinary(Prefix::parse(prefix).unwrap(), path, OpenVersion::Release, SubRules::Shared, vec![]).unwrap()
    }

    #[test]
    fn an_add_is_refused_for_a_rule_that_exists_or_beyond_the_limit() {
        let request = AddRequest { rule: ordinary("https://a.test/qr/", "pages/a"), publish: true };
        let held = standing(vec![rule("https://a.test/qr/", "pages/a", 1)], Some(3));
        assert_eq!(check_add(&held, &request).unwrap_err(), Refusal::Exists("https://a.test/qr/".into()));
        let full = Standing { count: 100, ..standing(vec![], Some(3)) };
        assert_eq!(check_add(&full, &request).unwrap_err(), Refusal::RuleLimit { count: 100, limit: 100 });
        let plan = check_add(&standing(vec![], Some(0)), &request).unwrap();
        assert_eq!((plan.publish, plan.publish_held), (false, true));
        let plan = check_add(&standing(vec![], Some(1)), &request).unwrap();
        assert_eq!((plan.publish, plan.publish_held), (true, false));
        assert_eq!(plan.first_on_host.as_deref(), Some("https://a.test"), "WeChat will check the file there");
        let other = AddRequest { rule: ordinary("https://a.test/qr/other?x=1", "pages/a"), publish: false };
        assert_eq!(check_add(&held, &other).unwrap().first_on_host, None);
    }

    #[test]
    fn a_published_rules_page_is_changed_by_replacing_it() {
        let held = standing(vec![rule("https://a.test/qr/", "pages/a", 2)], Some(1));
        let request = |changes| EditRequest {
            prefix: Prefix::parse("https://a.test/qr/").unwrap(),
            scope: Scope::Ordinary,
            changes,
        };
        let page = Changes { path: Some("pages/b".into()), ..Changes::default() };
        let plan = check_edit(&held, &request(page.clone())).unwrap();
        assert_eq!((plan.kind, plan.publishes_needed, plan.after.path.as_str()), (EditKind::Replace, 1, "pages/b"));
        let links = Changes { debug_url: Some(vec!["https://a.test/qr/1".into()]), ..Changes::default() };
        assert_eq!(check_edit(&held, &request(links)).unwrap().kind, EditKind::InPlace);
        let same = Changes { path: Some("pages/a".into()), ..Changes::default() };
        assert!(matches!(check_edit(&held, &request(same)), Err(Error::Refused(Refusal::Unchanged(_)))));
        let none_left = standing(held.rules.clone(), Some(0));
        assert!(matches!(
            check_edit(&none_left, &request(page)),
            Err(Error::Refused(Refusal::Quota { needed: 1, left: 0 }))
        ));
        let outside = Changes { debug_url: Some(vec!["https://b.test/".into()]), ..Changes::default() };
        assert!(matches!(check_edit(&held, &request(outside)), Err(Error::Input(_))));
    }

    #[test]
    fn a_publish_set_the_quota_cannot_finish_is_not_started() {
        let rules =
            vec![rule("https://a.test/1", "p", 1), rule("https://a.test/2", "p", 1), rule("https://a.test/3", "p", 2)];
        let prefixes: Vec<Prefix> = ["https://a.test/1", "https://a.test/2", "https://a.test/3"]
            .iter()
            .map(|p| Prefix::parse(p).unwrap())
            .collect();
        assert_eq!(
            check_publish(&standing(rules.clone(), Some(1)), &prefixes).unwrap_err(),
            Refusal::Quota { needed: 2, left: 1 }
        );
        let plan = check_publish(&standing(rules.clone(), Some(2)), &prefixes).unwrap();
        assert_eq!((plan.publishes_needed, plan.already.len()), (2, 1));
        let missing = [Prefix::parse("https://a.test/9").unwrap()];
        assert_eq!(
            check_publish(&standing(rules, None), &missing).unwrap_err(),
            Refusal::NotFound("https://a.test/9".into())
        );
    }

    #[test]
    fn a_service_account_rule_must_be_its_own_qr_link() {
        let appid = AppId::parse("wx1234567890abcdef").unwrap();
        let wrong = NewRule::service_account(Prefix::parse("https://a.test/").unwrap(), "pages/a", appid.clone());
        assert_eq!(wrong.unwrap_err(), crate::wechat::InputError::NotServiceAccountPrefix);
        assert!(
            NewRule::service_account(Prefix::parse("http://weixin.qq.com/q/02abc").unwrap(), "pages/a", appid).is_ok()
        );
        for bad in ["/pages/a", "https://a.test/page", "pages/a b"] {
            assert_eq!(page_path(bad).unwrap_err(), crate::wechat::InputError::PagePathShape, "{bad}");
        }
    }
}
