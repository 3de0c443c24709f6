//! The rules screen: an account's rules, the audited delete, and the life
//! of a rule (add, edit, publish, the verification-file doctor, rule sets).

use std::path::PathBuf;

use tauri::State;
use tauri::ipc::Channel;

use super::{InLang, chosen_path, file_dialog};
use crate::app::{AppState, DeleteForm, DoctorView, Planned, Problem, RuleForm, RuleSetPlan, SavedVerificationFile};
use crate::explain::file_dialog::Choice;
use crate::service::ActionOutcome;
use crate::service::plan::Applied;
use crate::service::rules::{AddPlan, Added, EditPlan, Edited, PublishPlan};
use crate::wechat::{Progress, RuleList};

#[tauri::command(async)]
pub fn validate_delete(state: State<'_, AppState>, form: DeleteForm) -> Vec<Problem> {
    let lang = state.lang();
    state.validate(&form).iter().map(|error| error.problem(lang)).collect()
}

/// The account's rules; a long listing reports each page on `on_progress`.
#[tauri::command]
pub async fn list_rules(
    state: State<'_, AppState>,
    form: DeleteForm,
    on_progress: Channel<Progress>,
) -> Result<RuleList, Problem> {
    let lang = state.lang();
    // A closed page is no reason to stop the listing.
    state.list_rules(&form, |progress| drop(on_progress.send(progress))).await.in_lang(lang)
}

#[tauri::command]
pub async fn delete_rule(state: State<'_, AppState>, form: DeleteForm) -> Result<ActionOutcome, Problem> {
    let lang = state.lang();
    state.delete(&form, lang).await.in_lang(lang)
}

/// Checks an add and says what it will do.
#[tauri::command]
pub async fn rule_add_plan(state: State<'_, AppState>, form: RuleForm) -> Result<Planned<AddPlan>, Problem> {
    let lang = state.lang();
    state.rule_add_plan(&form, lang).await.in_lang(lang)
}

#[tauri::command]
pub async fn add_rule(state: State<'_, AppState>, form: RuleForm) -> Result<Added, Problem> {
    let lang = state.lang();
    state.rule_add(&form, lang).await.in_lang(lang)
}

/// Checks an edit and says what it will do.
#[tauri::command]
pub async fn rule_edit_plan(state: State<'_, AppState>, form: RuleForm) -> Result<Planned<EditPlan>, Problem> {
    let lang = state.lang();
    state.rule_edit_plan(&form, lang).await.in_lang(lang)
}

#[tauri::command]
pub async fn edit_rule(state: State<'_, AppState>, form: RuleForm) -> Result<Edited, Problem> {
    let lang = state.lang();
    state.rule_edit(&form, lang).await.in_lang(lang)
}

/// Checks a publish of `prefixes` against the month's publishes.
#[tauri::command]
pub async fn rule_publish_plan(
    state: State<'_, AppState>,
    form: DeleteForm,
    prefixes: Vec<String>,
) -> Result<Planned<PublishPlan>, Problem> {
    let lang = state.lang();
    state.rule_publish_plan(&form, &prefixes, lang).await.in_lang(lang)
}

#[tauri::command]
pub async fn publish_rules(
    state: State<'_, AppState>,
    form: DeleteForm,
    prefixes: Vec<String>,
) -> Result<Vec<ActionOutcome>, Problem> {
    let lang = state.lang();
    state.rule_publish(&form, &prefixes, lang).await.in_lang(lang)
}

/// The verification-file doctor's checklist for `form.prefix`.
#[tauri::command]
pub async fn verification_doctor(state: State<'_, AppState>, form: DeleteForm) -> Result<DoctorView, Problem> {
    let lang = state.lang();
    state.rule_doctor(&form, lang).await.in_lang(lang)
}

/// Asks for a folder, then saves WeChat's verification file there.
#[tauri::command]
pub async fn save_rule_verification_file(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    form: DeleteForm,
) -> Result<Option<SavedVerificationFile>, Problem> {
    let lang = state.lang();
    let chosen = chosen_path("QRJUMP_VERIFICATION_PATH", || {
        file_dialog(&app, Choice::VerificationFolder, lang).blocking_pick_folder()
    });
    let Some(path) = chosen else { return Ok(None) };
    state.save_rule_verification_file(&form, &path).await.map(Some).in_lang(lang)
}

/// Asks for a rule file, then says what applying it would change.
#[tauri::command]
pub async fn rule_set_plan(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    form: DeleteForm,
) -> Result<Option<Planned<RuleSetPlan>>, Problem> {
    let lang = state.lang();
    let chosen = chosen_path("QRJUMP_RULE_SET_PATH", || file_dialog(&app, Choice::RuleSet, lang).blocking_pick_file());
    let Some(path) = chosen else { return Ok(None) };
    state.rule_set_plan(&form, &path, lang).await.map(Some).in_lang(lang)
}

/// Applies the rule file the plan was made from (planned again first).
#[tauri::command]
pub async fn apply_rule_set(state: State<'_, AppState>, form: DeleteForm, file: PathBuf) -> Result<Applied, Problem> {
    let lang = state.lang();
    state.rule_set_apply(&form, &file, lang).await.in_lang(lang)
}
