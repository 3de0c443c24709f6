//! The life of a rule in the window: add, edit, publish, the
//! verification-file doctor, and rule sets from a file. Each action is
//! planned first (checked, with the words of its confirmation), then
//! carried out through the audited pipeline.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{AppState, DeleteForm, Result, SavedVerificationFile, scope};
use crate::doctor::{self, Finding};
use crate::explain::{self, report};
use crate::lang::Lang;
use crate::service::plan::{self, Applied, Plan, Wanted};
use crate::service::rules::{self, AddPlan, AddRequest, Added, Changes, EditPlan, EditRequest, Edited, PublishPlan};
use crate::service::{ActionOutcome, Target, restore};
use crate::wechat::{NewRule, OpenVersion, Prefix, Scope, SubRules};

/// A rule as the editor holds it: the account, mode and Mini Program of
/// the rules screen, and the rule's fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleForm {
    #[serde(flatten)]
    pub at: DeleteForm,
    pub path: String,
    pub open_version: OpenVersion,
    pub sub_rules: bool,
    /// Test links, one a line as typed (blank lines ignored).
    #[serde(default)]
    pub debug_urls: Vec<String>,
    /// Add only: publish it once added.
    #[serde(default)]
    pub publish: bool,
}

impl RuleForm {
    fn sub_rules(&self) -> SubRules {
        if self.sub_rules { SubRules::Exclusive } else { SubRules::Shared }
    }

    /// The rule as WeChat takes it, every field checked.
    fn new_rule(&self) -> Result<NewRule> {
        let prefix = Prefix::parse(&self.at.prefix)?;
        Ok(match scope(&self.at)? {
            Scope::Ordinary => {
                NewRule::ordinary(prefix, &self.path, self.open_version, self.sub_rules(), self.debug_urls.clone())?
            }
            Scope::ServiceAccount(appid) => NewRule::service_account(prefix, &self.path, appid)?,
        })
    }

    /// The edit that makes the rule as the form has it.
    fn edit(&self) -> Result<EditRequest> {
        let scope = scope(&self.at)?;
        let changes = match scope {
            Scope::Ordinary => Changes {
                path: Some(self.path.clone()),
                open_version: Some(self.open_version),
                sub_rules: Some(self.sub_rules()),
                debug_url: Some(self.debug_urls.clone()),
            },
            Scope::ServiceAccount(_) => Changes { path: Some(self.path.clone()), ..Changes::default() },
        };
        Ok(EditRequest { prefix: Prefix::parse(&self.at.prefix)?, scope, changes })
    }
}

/// A plan and the words of its confirmation (`explain::report`, the same
/// the CLI prints).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Planned<P> {
    pub plan: P,
    pub text: String,
}

/// One place the doctor fetched, with what it means and what to do.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckedPlace {
    pub url: String,
    pub finding: Finding,
    pub status: Option<u16>,
    pub ms: u64,
    pub meaning: String,
    pub what_to_do: String,
}

/// The doctor's checklist.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoctorView {
    pub prefix: String,
    pub file_name: String,
    pub verdict: Finding,
    pub places: Vec<CheckedPlace>,
}

impl AppState {
    fn acting(&self, form: &DeleteForm) -> Result<Target> {
        self.require_writable()?;
        self.resolve(&form.account_id, form.mode)
    }

    /// Checks an add and says what it will do.
    pub async fn rule_add_plan(&self, form: &RuleForm, lang: Lang) -> Result<Planned<AddPlan>> {
        let request = AddRequest { rule: form.new_rule()?, publish: form.publish };
        let target = self.resolve(&form.at.account_id, form.at.mode)?;
        let plan = rules::plan_add(&target, &request).await?;
        Ok(Planned { text: report::add_plan(&plan, lang), plan })
    }

    pub async fn rule_add(&self, form: &RuleForm, lang: Lang) -> Result<Added> {
        let request = AddRequest { rule: form.new_rule()?, publish: form.publish };
        let target = self.acting(&form.at)?;
        let added = rules::add(&target, &self.history, &request, lang).await?;
        self.recorded("add", &[&added.add]);
        Ok(added)
    }

    /// Checks an edit and says what it will do (in place, or the three
    /// linked steps of a published rule's new page).
    pub async fn rule_edit_plan(&self, form: &RuleForm, lang: Lang) -> Result<Planned<EditPlan>> {
        let request = form.edit()?;
        let target = self.resolve(&form.at.account_id, form.at.mode)?;
        let plan = rules::plan_edit(&target, &request).await?;
        Ok(Planned { text: report::edit_plan(&plan, lang), plan })
    }

    pub async fn rule_edit(&self, form: &RuleForm, lang: Lang) -> Result<Edited> {
        let request = form.edit()?;
        let target = self.acting(&form.at)?;
        let edited = rules::edit(&target, &self.history, &request, lang).await?;
        let outcomes: Vec<&ActionOutcome> = edited.steps.iter().map(|s| &s.outcome).collect();
        self.recorded("edit", &outcomes);
        Ok(edited)
    }

    pub async fn rule_publish_plan(
        &self,
        at: &DeleteForm,
        prefixes: &[String],
        lang: Lang,
    ) -> Result<Planned<PublishPlan>> {
        let prefixes = parse_all(prefixes)?;
        let target = self.resolve(&at.account_id, at.mode)?;
        let plan = rules::plan_publish(&target, &scope(at)?, &prefixes).await?;
        Ok(Planned { text: report::publish_plan(&plan, lang), plan })
    }

    pub async fn rule_publish(&self, at: &DeleteForm, prefixes: &[String], lang: Lang) -> Result<Vec<ActionOutcome>> {
        let prefixes = parse_all(prefixes)?;
        let target = self.acting(at)?;
        let outcomes = rules::publish(&target, &self.history, &scope(at)?, &prefixes, lang).await?;
        self.recorded("publish", &outcomes.iter().collect::<Vec<_>>());
        Ok(outcomes)
    }

    /// Fetches WeChat's verification file for the account and checks each
    /// place WeChat looks for it under `at.prefix`.
    pub async fn rule_doctor(&self, at: &DeleteForm, lang: Lang) -> Result<DoctorView> {
        let prefix = Prefix::parse(&at.prefix)?;
        let target = self.resolve(&at.account_id, at.mode)?;
        let file = restore::verification_file(&target).await?;
        Ok(checklist(doctor::examine(&prefix, &file, &[]).await, lang))
    }

    /// Saves the account's verification file into `path` (a folder, or a
    /// file whose folder is used) and says where it must open.
    pub async fn save_rule_verification_file(&self, at: &DeleteForm, path: &Path) -> Result<SavedVerificationFile> {
        let prefix = Prefix::parse(&at.prefix)?;
        let target = self.resolve(&at.account_id, at.mode)?;
        let file = restore::verification_file(&target).await?;
        let saved = super::restore::save_verification_file(&file, path)?;
        Ok(SavedVerificationFile {
            path: saved.display().to_string(),
            location: file.places(prefix.as_str()).join("\n"),
            file_name: file.file_name,
        })
    }

    /// Reads a rule file and compares it with the account's list.
    pub async fn rule_set_plan(&self, at: &DeleteForm, path: &Path, lang: Lang) -> Result<Planned<RuleSetPlan>> {
        let scope = scope(at)?;
        let wanted = Wanted::read(path, &scope)?;
        let target = self.resolve(&at.account_id, at.mode)?;
        let plan = plan::plan(&target, &scope, &wanted).await?;
        Ok(Planned { text: report::rule_set_plan(&plan, lang), plan: RuleSetPlan::of(plan, path, lang) })
    }

    /// Carries a rule file's plan out (planned again from the list now).
    pub async fn rule_set_apply(&self, at: &DeleteForm, path: &Path, lang: Lang) -> Result<Applied> {
        let scope = scope(at)?;
        let wanted = Wanted::read(path, &scope)?;
        let target = self.acting(at)?;
        let plan = plan::plan(&target, &scope, &wanted).await?;
        let applied = plan::apply(&target, &self.history, &scope, plan, &self.data_dir, lang).await?;
        let outcomes: Vec<&ActionOutcome> = applied.made.iter().map(|m| &m.step.outcome).collect();
        self.recorded("rule set", &outcomes);
        Ok(applied)
    }

    /// Wakes the team push and notes the records in the support log.
    fn recorded(&self, what: &str, outcomes: &[&ActionOutcome]) {
        self.team_wake.notify_one();
        let ids: Vec<String> = outcomes.iter().map(|o| format!("#{} {}", o.record_id, o.status.as_str())).collect();
        self.log.write(&format!("{what} recorded as {}", ids.join(", ")));
    }
}

/// A rule file's plan, with the file it came from and why it cannot be
/// carried out, if it cannot.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleSetPlan {
    #[serde(flatten)]
    pub plan: Plan,
    pub file: PathBuf,
    pub refused: Option<String>,
    pub empty: bool,
}

impl RuleSetPlan {
    fn of(plan: Plan, path: &Path, lang: Lang) -> RuleSetPlan {
        let refused = plan.refused.as_ref().map(|r| explain::Problem::refusal(r, lang).message);
        RuleSetPlan { empty: plan.is_empty(), plan, file: path.to_owned(), refused }
    }
}

fn parse_all(prefixes: &[String]) -> Result<Vec<Prefix>> {
    Ok(prefixes.iter().map(|p| Prefix::parse(p)).collect::<std::result::Result<_, _>>()?)
}

fn checklist(report: doctor::Report, lang: Lang) -> DoctorView {
    let places = report
        .urls
        .iter()
        .map(|place| {
            let words = explain::doctor::finding(place, &report.file_name, lang);
            CheckedPlace {
                url: place.url.clone(),
                finding: place.finding,
                status: place.status,
                ms: place.ms,
                meaning: words.meaning,
                what_to_do: words.what_to_do,
            }
        })
        .collect();
    DoctorView { prefix: report.prefix, file_name: report.file_name, verdict: report.verdict, places }
}
