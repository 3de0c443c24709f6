//! Rule sets as files: the rules one account should have (the shape of
//! `rules export`), compared with what it has ([`plan`]) and carried out
//! ([`apply`]).
//!
//! Apply converges rather than replays: each run reads the list, plans
//! what is left and does that. So a run stopped anywhere (Ctrl-C, a crash,
//! the power) is resumed by running it again: what was done is not done
//! twice, and a call whose answer was lost is judged by the list itself.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

use super::backup::{self, RuleBackup};
use super::error::FileProblem;
use super::restore::new_rule;
use super::rules::{self, Changes, EditPlan, EditRequest, Refusal, Standing, Step, StepRole};
use super::{ActionOutcome, DeleteRequest, Error, Target};
use crate::history::{History, Status};
use crate::lang::Lang;
use crate::wechat::limits::ORDINARY_RULES;
use crate::wechat::{NewRule, Prefix, Rule, RuleList, RuleTarget, Scope};

/// The rules a file says the account should have, each checked as an add
/// would be; `publish` when the file marks it published (state 2).
#[derive(Debug, Clone)]
pub struct Wanted {
    pub rules: Vec<(NewRule, bool)>,
}

impl Wanted {
    /// Reads a rule file (JSON or CSV, as `rules export` writes) for `scope`.
    /// Every rule is checked before anything is read from WeChat.
    pub fn read(path: &Path, scope: &Scope) -> Result<Wanted, Error> {
        let problem = |problem: FileProblem| Error::RuleFile { path: path.to_owned(), problem };
        let mut seen = HashSet::new();
        let mut rules = Vec::new();
        for rule in backup::read(path)? {
            if !seen.insert(rule.prefix.clone()) {
                return Err(problem(FileProblem::Twice(rule.prefix.clone())));
            }
            let checked = new_rule(&rule, scope).map_err(|e| match e {
                Error::NotRestorable { .. } => problem(FileProblem::NeedsOrdinarySettings(rule.prefix.clone())),
                other => problem(FileProblem::BadRule { prefix: rule.prefix.clone(), error: Box::new(other) }),
            })?;
            rules.push((checked, rule.is_published()));
        }
        Ok(Wanted { rules })
    }
}

/// One change, in the order it is made.
#[derive(Debug, Clone)]
enum Change {
    Delete(Rule),
    Edit(Box<EditPlan>),
    Add { rule: NewRule, publish: bool },
    Publish(Rule),
}

/// What applying a file would change.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub add: Vec<String>,
    pub delete: Vec<String>,
    /// Rules changed in place, or (a published rule's page) replaced.
    pub edit: Vec<String>,
    /// Rules published: added ones the file marks published, replaced ones,
    /// and unpublished ones the file marks published.
    pub publish: Vec<String>,
    pub quota_needed: usize,
    pub quota_left: Option<i64>,
    /// Why the plan cannot be carried out, when it cannot: checked before
    /// anything is sent.
    #[serde(skip)]
    pub refused: Option<Refusal>,
    #[serde(skip)]
    changes: Vec<Change>,
    /// The list as read, for the backup taken before applying.
    #[serde(skip)]
    list: RuleList,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Compares the file's rules with the account's list.
pub fn compare(list: RuleList, scope: &Scope, wanted: &Wanted) -> Result<Plan, Error> {
    let count = list.rule_list.len();
    let standing = Standing {
        rules: list.rule_list.clone(),
        count,
        limit: matches!(scope, Scope::Ordinary).then_some(ORDINARY_RULES),
        // The quota is checked for the whole plan below, not edit by edit.
        publishes_left: None,
    };
    let wanted_prefixes: HashSet<&str> = wanted.rules.iter().map(|(r, _)| r.prefix.as_str()).collect();
    let mut plan = Plan {
        add: vec![],
        delete: vec![],
        edit: vec![],
        publish: vec![],
        quota_needed: 0,
        quota_left: list.qrcodejump_pub_quota,
        refused: None,
        changes: vec![],
        list: RuleList::default(),
    };
    // Deletes first: they make room under the rule limit.
    for rule in &list.rule_list {
        if !wanted_prefixes.contains(rule.prefix.as_str()) {
            plan.delete.push(rule.prefix.clone());
            plan.changes.push(Change::Delete(rule.clone()));
        }
    }
    let mut adds = Vec::new();
    for (rule, publish) in &wanted.rules {
        let Some(held) = list.rule_list.iter().find(|r| r.prefix == rule.prefix.as_str()) else {
            plan.add.push(rule.prefix.as_str().to_owned());
            if *publish {
                plan.publish.push(rule.prefix.as_str().to_owned());
            }
            adds.push(Change::Add { rule: rule.clone(), publish: *publish });
            continue;
        };
        let request = EditRequest { prefix: rule.prefix.clone(), scope: scope.clone(), changes: changes_to(rule) };
        let replaced = match rules::check_edit(&standing, &request) {
            Ok(edit) => {
                let replaced = edit.kind == rules::EditKind::Replace;
                plan.edit.push(rule.prefix.as_str().to_owned());
                plan.changes.push(Change::Edit(Box::new(edit)));
                replaced
            }
            Err(Error::Refused(Refusal::Unchanged(_))) => false,
            Err(other) => return Err(other),
        };
        if replaced || (*publish && !held.is_published()) {
            plan.publish.push(rule.prefix.as_str().to_owned());
        }
        if *publish && !held.is_published() {
            plan.changes.push(Change::Publish(held.clone()));
        }
    }
    plan.changes.extend(adds);
    plan.quota_needed = plan.publish.len();
    let after = count - plan.delete.len() + plan.add.len();
    plan.refused = match (plan.quota_left, standing.limit) {
        (Some(left), _) if plan.quota_needed as i64 > left => {
            Some(Refusal::Quota { needed: plan.quota_needed, left: left.max(0) })
        }
        (_, Some(limit)) if after > limit => Some(Refusal::RuleLimit { count: after, limit }),
        _ => None,
    };
    plan.list = list;
    Ok(plan)
}

/// Every field of `rule`, as an edit that makes the held rule match it.
fn changes_to(rule: &NewRule) -> Changes {
    match &rule.target {
        RuleTarget::Ordinary { open_version, permit_sub_rule, debug_url } => Changes {
            path: Some(rule.path.clone()),
            open_version: Some(*open_version),
            sub_rules: Some(*permit_sub_rule),
            debug_url: Some(debug_url.clone()),
        },
        RuleTarget::ServiceAccount { .. } => Changes { path: Some(rule.path.clone()), ..Changes::default() },
    }
}

/// Reads the account's whole list (every page) and compares the file with it.
pub async fn plan(target: &Target, scope: &Scope, wanted: &Wanted) -> Result<Plan, Error> {
    let list = target.client.all_jump_qrcodes(&target.account, scope).await?;
    compare(list, scope, wanted)
}

/// One change made, with the prefix it was about.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Made {
    pub prefix: String,
    pub step: Step,
}

/// What an apply did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Applied {
    /// The list as it was before, saved under `backups/`.
    pub backup: PathBuf,
    pub made: Vec<Made>,
    /// Every change was made.
    pub done: bool,
    /// Changes not sent because an answer held for the whole account
    /// (no publishes left, no released version): run again later.
    pub not_sent: usize,
}

/// Carries out `plan` (refused whole if it cannot finish) after saving
/// the list as it was to `backups/` in `data_dir`.
pub async fn apply(
    target: &Target,
    history: &Mutex<History>,
    scope: &Scope,
    plan: Plan,
    data_dir: &Path,
    lang: Lang,
) -> Result<Applied, Error> {
    if let Some(refusal) = plan.refused {
        return Err(refusal.into());
    }
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let path = data_dir.join("backups").join(format!("apply-{stamp}.json"));
    let file_error = |e: std::io::Error| Error::RuleFile { path: path.clone(), problem: e.into() };
    std::fs::create_dir_all(path.parent().unwrap_or(data_dir)).map_err(file_error)?;
    let saved =
        RuleBackup::new(&target.account_name, scope.mode(), scope.target_appid().map(|a| a.as_str()), &plan.list);
    backup::write(&path, &saved)?;
    let mut made = Vec::new();
    let total = plan.changes.len();
    let mut sent = 0;
    for change in plan.changes {
        sent += 1;
        let (prefix, steps) = match change {
            Change::Delete(rule) => {
                let request =
                    DeleteRequest { prefix: Prefix::parse(&rule.prefix)?, scope: scope.clone(), batch_id: None };
                let intent = super::Intent {
                    snapshot: Some(rule.clone()),
                    ..super::Intent::new(crate::history::Action::Delete, request.prefix, scope.clone())
                };
                let outcome = super::delete_with(target, history, intent, lang).await?;
                (rule.prefix, vec![Step { role: StepRole::Delete, outcome }])
            }
            Change::Edit(edit) => {
                let edited = rules::edit_checked(target, history, &edit, lang).await?;
                (edited.prefix, edited.steps)
            }
            Change::Add { rule, publish } => {
                let added = rules::add_checked(target, history, &rule, publish, lang).await?;
                let mut steps = vec![Step { role: StepRole::Add, outcome: added.add }];
                steps.extend(added.publish.map(|outcome| Step { role: StepRole::Publish, outcome }));
                (added.prefix, steps)
            }
            Change::Publish(rule) => {
                let prefix = Prefix::parse(&rule.prefix)?;
                let outcome = rules::publish_one(target, history, scope, &prefix, None, Some(rule), lang).await?;
                (prefix.as_str().to_owned(), vec![Step { role: StepRole::Publish, outcome }])
            }
        };
        let account_wide = steps.iter().any(|s| account_wide(&s.outcome));
        made.extend(steps.into_iter().map(|step| Made { prefix: prefix.clone(), step }));
        if account_wide {
            break;
        }
    }
    let done = sent == total && made.iter().all(|m| m.step.outcome.status == Status::Ok);
    Ok(Applied { backup: path, made, done, not_sent: total - sent })
}

/// An answer that holds for every rule of the account: the rest would meet it too.
fn account_wide(outcome: &ActionOutcome) -> bool {
    matches!(outcome.errcode, Some(886000 | 85074 | 40164 | 61004 | 48001 | 61007 | 45009))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn wanted(rules: &[Rule]) -> Wanted {
        Wanted { rules: rules.iter().map(|r| (new_rule(r, &Scope::Ordinary).unwrap(), r.is_published())).collect() }
    }

    fn list(rules: Vec<Rule>, quota: i64) -> RuleList {
        RuleList {
            total_count: rules.len() as i64,
            rule_list: rules,
            qrcodejump_pub_quota: Some(quota),
            ..RuleList::default()
        }
    }

    #[test]
    fn a_plan_lists_adds_deletes_edits_and_publishes_with_the_quota_they_spend() {
        let held = vec![
            rule("https://a.test/keep/", "p", 2),
            rule("https://a.test/gone/", "p", 2),
            rule("https://a.test/page/", "p", 2),
            rule("https://a.test/draft/", "p", 1),
        ];
        let file = [
            rule("https://a.test/keep/", "p", 2),
            rule("https://a.test/page/", "q", 2),
            rule("https://a.test/draft/", "p", 2),
            rule("https://a.test/new/", "p", 2),
            rule("https://a.test/new-draft/", "p", 1),
        ];
        let plan = compare(list(held.clone(), 10), &Scope::Ordinary, &wanted(&file)).unwrap();
        assert_eq!(plan.add, ["https://a.test/new/", "https://a.test/new-draft/"]);
        assert_eq!(plan.delete, ["https://a.test/gone/"]);
        assert_eq!(plan.edit, ["https://a.test/page/"]);
        assert_eq!(plan.publish, ["https://a.test/page/", "https://a.test/draft/", "https://a.test/new/"]);
        assert_eq!((plan.quota_needed, plan.refused.clone()), (3, None));
        let short = compare(list(held, 2), &Scope::Ordinary, &wanted(&file)).unwrap();
        assert_eq!(short.refused, Some(Refusal::Quota { needed: 3, left: 2 }));
        let same = compare(list(file.to_vec(), 0), &Scope::Ordinary, &wanted(&file)).unwrap();
        assert!(same.is_empty() && same.refused.is_none());
    }

    #[test]
    fn a_plan_beyond_the_rule_limit_is_refused() {
        let file: Vec<Rule> = (0..101).map(|i| rule(&format!("https://a.test/{i}/"), "p", 1)).collect();
        let plan = compare(list(vec![], 10), &Scope::Ordinary, &wanted(&file)).unwrap();
        assert_eq!(plan.refused, Some(Refusal::RuleLimit { count: 101, limit: 100 }));
    }
}
