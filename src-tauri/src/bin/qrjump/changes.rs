//! `qrjump rules add`, `rules edit` and `rules publish`: each checked
//! against the account's rules and the month's publishes before anything
//! is asked or sent, then carried out through the audited pipeline.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use clap::{Args, ValueEnum};
use serde_json::json;

use qrjump::explain::confirm::{self, Action};
use qrjump::explain::report;
use qrjump::service::rules::{self, AddRequest, Changes, EditRequest};
use qrjump::service::{ActionOutcome, Target, restore};
use qrjump::wechat::{NewRule, OpenVersion, Prefix, Scope, SubRules};

use super::outcome::{outcome_exit, outcome_json, outcome_text};
use super::{Cli, Exit, Failure, confirmed, lang, need_terminal, open_history, scope, service_failure, target};

type Done = Result<(Exit, serde_json::Value, String), Failure>;

/// Who may open the Mini Program through an unpublished rule.
#[derive(Clone, Copy, ValueEnum)]
pub enum VersionArg {
    Develop,
    Trial,
    Release,
}

impl From<VersionArg> for OpenVersion {
    fn from(arg: VersionArg) -> OpenVersion {
        match arg {
            VersionArg::Develop => OpenVersion::Development,
            VersionArg::Trial => OpenVersion::Trial,
            VersionArg::Release => OpenVersion::Release,
        }
    }
}

#[derive(Args)]
pub struct AddArgs {
    /// The rule's prefix, e.g. https://example.com/qr/ (service-account mode: http://weixin.qq.com/q/...).
    pub prefix: String,
    /// The Mini Program page it opens, e.g. pages/index/index.
    #[arg(long, value_name = "PAGE")]
    pub path: String,
    /// Service-account mode: the Mini Program's AppID.
    #[arg(long, value_name = "APPID")]
    pub appid: Option<String>,
    /// Which version test links open before the rule is published (default release).
    #[arg(long, value_enum)]
    pub open_version: Option<VersionArg>,
    /// The rule also claims the links under it (permit_sub_rule 2).
    #[arg(long)]
    pub sub_rules: bool,
    /// A test link under the prefix (at most 5).
    #[arg(long = "debug-url", value_name = "URL")]
    pub debug_url: Vec<String>,
    /// Publish it once added (spends one of the month's publishes).
    #[arg(long)]
    pub publish: bool,
    /// Where to save WeChat's verification file if the add asks for it (85069).
    #[arg(long, value_name = "DIR")]
    pub verification_file_dir: Option<PathBuf>,
    #[arg(long)]
    pub yes: bool,
}

#[derive(Args)]
pub struct EditArgs {
    pub prefix: String,
    /// A new page (for a published rule: delete, add, publish).
    #[arg(long, value_name = "PAGE")]
    pub path: Option<String>,
    #[arg(long, value_enum)]
    pub open_version: Option<VersionArg>,
    #[arg(long, conflicts_with = "no_sub_rules")]
    pub sub_rules: bool,
    #[arg(long)]
    pub no_sub_rules: bool,
    /// The test links, replacing the rule's (at most 5).
    #[arg(long = "debug-url", value_name = "URL")]
    pub debug_url: Vec<String>,
    /// Remove every test link.
    #[arg(long, conflicts_with = "debug_url")]
    pub no_debug_url: bool,
    /// Service-account mode: the Mini Program's AppID.
    #[arg(long, value_name = "APPID")]
    pub appid: Option<String>,
    /// Where to save WeChat's verification file if the add asks for it (85069).
    #[arg(long, value_name = "DIR")]
    pub verification_file_dir: Option<PathBuf>,
    #[arg(long)]
    pub yes: bool,
}

#[derive(Args)]
pub struct PublishArgs {
    #[arg(required = true)]
    pub prefixes: Vec<String>,
    /// Service-account mode: the Mini Program's AppID.
    #[arg(long, value_name = "APPID")]
    pub appid: Option<String>,
    #[arg(long)]
    pub yes: bool,
}

fn prefix(text: &str) -> Result<Prefix, Failure> {
    Prefix::parse(text).map_err(|e| Failure::input(e.to_string()))
}

fn input(e: qrjump::wechat::InputError) -> Failure {
    Failure::input(e.to_string())
}

/// Asks "go ahead?" after `plan`, unless --yes.
fn confirm(plan: &str, yes: bool, action: Action) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    need_terminal(action)?;
    eprintln!("{plan}");
    confirmed(action, confirm::go_ahead(action, lang()))
}

pub async fn add(cli: &Cli, args: &AddArgs) -> Done {
    let scope = scope(args.appid.as_deref())?;
    let prefix = prefix(&args.prefix)?;
    if matches!(scope, Scope::ServiceAccount(_))
        && (args.open_version.is_some() || args.sub_rules || !args.debug_url.is_empty())
    {
        return Err(Failure::input(report::ordinary_only_settings(lang())));
    }
    let rule = match &scope {
        Scope::Ordinary => {
            let sub = if args.sub_rules { SubRules::Exclusive } else { SubRules::Shared };
            let version = args.open_version.map_or(OpenVersion::Release, Into::into);
            NewRule::ordinary(prefix, &args.path, version, sub, args.debug_url.clone())
        }
        Scope::ServiceAccount(appid) => NewRule::service_account(prefix, &args.path, appid.clone()),
    }
    .map_err(input)?;
    let request = AddRequest { rule, publish: args.publish };
    let target = target(cli)?;
    let plan = rules::plan_add(&target, &request).await.map_err(service_failure)?;
    confirm(&report::add_plan(&plan, lang()), args.yes, Action::AddRule)?;
    let history = Mutex::new(open_history()?);
    let added = rules::add(&target, &history, &request, lang()).await.map_err(service_failure)?;
    let mut exit = outcome_exit(&added.add);
    let mut value = outcome_json(&added.add, &added.prefix);
    let mut text = outcome_text(&added.add, &added.prefix);
    if let Some(publish) = &added.publish {
        exit = exit.worst(outcome_exit(publish));
        value["publish"] = outcome_json(publish, &added.prefix);
        text.push('\n');
        text.push_str(&outcome_text(publish, &added.prefix));
    }
    value["publish_held"] = json!(added.publish_held);
    if added.publish_held {
        text.push('\n');
        text.push_str(report::added_unpublished(lang()));
    }
    if added.needs_verification_file {
        verification(&target, args.verification_file_dir.as_deref(), &added.prefix, &mut value, &mut text).await;
    }
    Ok((exit, value, text))
}

pub async fn edit(cli: &Cli, args: &EditArgs) -> Done {
    let scope = scope(args.appid.as_deref())?;
    let prefix = prefix(&args.prefix)?;
    let sub_rules = match (args.sub_rules, args.no_sub_rules) {
        (true, _) => Some(SubRules::Exclusive),
        (_, true) => Some(SubRules::Shared),
        _ => None,
    };
    let debug_url = match (args.debug_url.is_empty(), args.no_debug_url) {
        (false, _) => Some(args.debug_url.clone()),
        (true, true) => Some(Vec::new()),
        (true, false) => None,
    };
    if matches!(scope, Scope::ServiceAccount(_))
        && (args.open_version.is_some() || sub_rules.is_some() || debug_url.is_some())
    {
        return Err(Failure::input(report::ordinary_only_settings(lang())));
    }
    let changes =
        Changes { path: args.path.clone(), open_version: args.open_version.map(Into::into), sub_rules, debug_url };
    let request = EditRequest { prefix, scope, changes };
    let target = target(cli)?;
    let plan = rules::plan_edit(&target, &request).await.map_err(service_failure)?;
    confirm(&report::edit_plan(&plan, lang()), args.yes, Action::ChangeRule)?;
    let history = Mutex::new(open_history()?);
    let edited = rules::edit(&target, &history, &request, lang()).await.map_err(service_failure)?;
    let (mut exit, mut steps, mut lines) = (Exit::Ok, Vec::new(), Vec::new());
    for step in &edited.steps {
        exit = exit.worst(outcome_exit(&step.outcome));
        let mut value = outcome_json(&step.outcome, &edited.prefix);
        value["role"] = json!(step.role);
        steps.push(value);
        lines.push(format!("[{}] {}", report::step(step.role, lang()), outcome_text(&step.outcome, &edited.prefix)));
    }
    // A rolled-back edit did not happen, even when each undo step succeeded.
    if edited.rolled_back {
        exit = exit.worst(Exit::WeChat);
        lines.push(report::edit_rolled_back(lang()).to_owned());
    }
    let mut value = json!({
        "ok": edited.done,
        "prefix": edited.prefix,
        "kind": edited.kind,
        "rolled_back": edited.rolled_back,
        "steps": steps,
    });
    let mut text = lines.join("\n");
    if edited.needs_verification_file {
        verification(&target, args.verification_file_dir.as_deref(), &edited.prefix, &mut value, &mut text).await;
    }
    Ok((exit, value, text))
}

pub async fn publish(cli: &Cli, args: &PublishArgs) -> Done {
    let scope = scope(args.appid.as_deref())?;
    let prefixes = args.prefixes.iter().map(|p| prefix(p)).collect::<Result<Vec<_>, _>>()?;
    let target = target(cli)?;
    let plan = rules::plan_publish(&target, &scope, &prefixes).await.map_err(service_failure)?;
    confirm(&report::publish_plan(&plan, lang()), args.yes, Action::Publish)?;
    let history = Mutex::new(open_history()?);
    let outcomes = rules::publish(&target, &history, &scope, &prefixes, lang()).await.map_err(service_failure)?;
    Ok(published(&outcomes, plan.rules.len(), &plan.already))
}

fn published(outcomes: &[ActionOutcome], planned: usize, already: &[String]) -> (Exit, serde_json::Value, String) {
    let (mut exit, mut values, mut lines) = (Exit::Ok, Vec::new(), Vec::new());
    for outcome in outcomes {
        let prefix = outcome.rule.as_ref().map(|r| r.prefix.as_str()).unwrap_or_default();
        exit = exit.worst(outcome_exit(outcome));
        values.push(outcome_json(outcome, prefix));
        lines.push(outcome_text(outcome, prefix));
    }
    let not_sent = planned - outcomes.len();
    if not_sent > 0 {
        lines.push(report::rules_not_sent(not_sent, lang()));
    }
    let ok = matches!(exit, Exit::Ok);
    (exit, json!({ "ok": ok, "published": values, "already": already, "not_sent": not_sent }), lines.join("\n"))
}

/// Fetches and saves WeChat's verification file into `dir` and says where
/// it must be served; without `dir`, says how to get it.
pub async fn verification(
    target: &Target,
    dir: Option<&Path>,
    prefix: &str,
    value: &mut serde_json::Value,
    text: &mut String,
) {
    let lang = lang();
    let Some(dir) = dir else {
        text.push_str(report::verification_file_wanted(lang));
        return;
    };
    match restore::verification_file(target).await {
        Ok(file) => {
            let path = dir.join(&file.file_name);
            match qrjump::files::write_replacing(&path, file.file_content.as_bytes()) {
                Ok(()) => {
                    let places = file.places(prefix);
                    text.push('\n');
                    text.push_str(&report::verification_file(&path, &places, lang));
                    value["verification_file"] = json!({ "path": path, "file_name": file.file_name, "places": places });
                }
                Err(e) => text.push_str(&format!("\n  {}: {e}", dir.display())),
            }
        }
        Err(e) => {
            let problem = qrjump::explain::Problem::service(&e, lang);
            text.push_str(&format!("\n  {}", problem.message));
        }
    }
}
