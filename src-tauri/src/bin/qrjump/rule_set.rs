//! `qrjump rules plan FILE` and `rules apply FILE`: the rules one account
//! should have, as a file of `rules export`'s shape.

use std::path::PathBuf;
use std::sync::Mutex;

use clap::Args;
use serde_json::json;

use qrjump::explain::confirm::{self, Action};
use qrjump::explain::{Problem, report};
use qrjump::service::plan::{self, Plan, Wanted};

use super::outcome::{outcome_exit, outcome_json, outcome_text};
use super::{Cli, Exit, Failure, data_dir, lang, open_history, scope, service_failure, target};

type Done = Result<(Exit, serde_json::Value, String), Failure>;

#[derive(Args)]
pub struct PlanArgs {
    /// The rules the account should have: JSON or CSV, as `rules export` writes.
    pub file: PathBuf,
    /// Service-account mode: the Mini Program's AppID.
    #[arg(long, value_name = "APPID")]
    pub appid: Option<String>,
}

#[derive(Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub plan: PlanArgs,
    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
}

async fn read_plan(
    cli: &Cli,
    args: &PlanArgs,
) -> Result<(Plan, qrjump::service::Target, qrjump::wechat::Scope), Failure> {
    let scope = scope(args.appid.as_deref())?;
    // A file that cannot be read is the request's fault, not the disk's.
    let wanted =
        Wanted::read(&args.file, &scope).map_err(|e| Failure::told(Problem::service(&e, lang()), Exit::Input))?;
    let target = target(cli)?;
    let plan = plan::plan(&target, &scope, &wanted).await.map_err(service_failure)?;
    Ok((plan, target, scope))
}

fn plan_json(plan: &Plan) -> serde_json::Value {
    let mut value = serde_json::to_value(plan).unwrap_or_default();
    value["refused"] = json!(plan.refused.as_ref().map(|r| Problem::refusal(r, lang()).message));
    value
}

pub async fn show(cli: &Cli, args: &PlanArgs) -> Done {
    let (plan, _, _) = read_plan(cli, args).await?;
    let exit = if plan.refused.is_some() { Exit::Input } else { Exit::Ok };
    Ok((exit, plan_json(&plan), report::rule_set_plan(&plan, lang())))
}

pub async fn apply(cli: &Cli, args: &ApplyArgs) -> Done {
    let (plan, target, scope) = read_plan(cli, &args.plan).await?;
    let lang = lang();
    if let Some(refusal) = &plan.refused {
        return Err(Failure::told(Problem::refusal(refusal, lang), Exit::Input));
    }
    if plan.is_empty() {
        return Ok((Exit::Ok, json!({ "ok": true, "steps": [], "not_sent": 0 }), report::rule_set_plan(&plan, lang)));
    }
    if !args.yes {
        super::need_terminal(Action::ApplyRuleSet)?;
        eprintln!("{}", report::rule_set_plan(&plan, lang));
        super::confirmed(Action::ApplyRuleSet, confirm::go_ahead(Action::ApplyRuleSet, lang))?;
    }
    let history = Mutex::new(open_history()?);
    let applied = plan::apply(&target, &history, &scope, plan, &data_dir()?, lang).await.map_err(service_failure)?;
    let (mut exit, mut steps, mut lines) = (Exit::Ok, Vec::new(), Vec::new());
    lines.push(report::list_saved_in(&applied.backup, lang));
    for made in &applied.made {
        exit = exit.worst(outcome_exit(&made.step.outcome));
        let mut value = outcome_json(&made.step.outcome, &made.prefix);
        value["role"] = json!(made.step.role);
        steps.push(value);
        lines.push(format!(
            "[{}] {}",
            report::step(made.step.role, lang),
            outcome_text(&made.step.outcome, &made.prefix)
        ));
    }
    if applied.not_sent > 0 {
        exit = exit.worst(Exit::WeChat);
        lines.push(report::changes_not_sent(applied.not_sent, lang));
    }
    let value = json!({ "ok": applied.done, "backup": applied.backup, "steps": steps, "not_sent": applied.not_sent });
    Ok((exit, value, lines.join("\n")))
}
