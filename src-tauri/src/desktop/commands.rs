//! The Tauri commands the UI may call: thin adapters over `app::AppState`.
//! Errors become the UI's `Problem`, in the admin's language, here and only
//! here.
//!
//! Commands that touch the network, the disk or the keyring are async (run
//! off the main thread) so the window never freezes.

use std::path::PathBuf;

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{State, WebviewWindow};
use tauri_plugin_dialog::{DialogExt, FilePath};

use crate::accounts::{AccountInput, Added, Serves, TokenServerInput};
use crate::app::{
    AccountView, AppError, AppState, BackupContents, BatchForm, Begun, ConnectionReport, DEMO_TARGET_APPID, DeleteForm,
    Imported, Linked, PrintedView, Problem, RestorePreview, SavedVerificationFile, ServerView, TeamForm, TeamStatus,
};
use crate::history::{AnchorReport, Exported, Filter, Record};
use crate::lang::Lang;
use crate::matching::Impact;
use crate::service::ActionOutcome;
use crate::service::batch::{BatchProgress, BatchStatus, Plan};
use crate::service::code_check::{CodeCheck, CodeInput};
use crate::service::owners::OwnerSearch;
use crate::service::restore::Restored;
use crate::team::{Cursor, Pushed, TeamFilter, TeamNames, TeamRecord, TeamVerification};
use crate::wechat::{Progress, RuleList};

/// The one conversion from the app's errors to what the UI shows.
trait InLang<T> {
    fn in_lang(self, lang: Lang) -> Result<T, Problem>;
}

impl<T> InLang<T> for Result<T, AppError> {
    fn in_lang(self, lang: Lang) -> Result<T, Problem> {
        self.map_err(|error| error.problem(lang))
    }
}

/// What the About panel and the start-up need.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: String,
    pub api_base: String,
    pub lang: Lang,
    pub keyring_available: bool,
    /// False when the data folder is read-only: review only, no deletes.
    pub writable: bool,
    pub demo_target_appid: &'static str,
}

#[tauri::command(async)]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    let system = sys_locale::get_locale().unwrap_or_default();
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir().display().to_string(),
        api_base: state.api_base().to_owned(),
        lang: state.lang(&system),
        keyring_available: state.keyring_available(),
        writable: state.writable(),
        demo_target_appid: DEMO_TARGET_APPID,
    }
}

/// Called by the page once it is ready: the window starts hidden so the
/// admin never sees a white flash.
#[tauri::command]
pub fn ui_ready(window: WebviewWindow, state: State<'_, AppState>) -> Result<(), String> {
    // scripts/measure-startup.sh reads this line.
    if std::env::var_os("QRJUMP_REPORT_READY").is_some() {
        eprintln!("qrjump-admin: ready after {} ms", crate::since_process_start().as_millis());
    }
    // Placed before it is shown, and again once shown: GTK sometimes puts a
    // window back at its configured size when it first maps it.
    let saved = super::window_state::saved(state.data_dir());
    super::window_state::restore(&window, &saved);
    window.show().map_err(|e| e.to_string())?;
    super::window_state::restore(&window, &saved);
    window.set_focus().map_err(|e| e.to_string())
}

#[tauri::command(async)]
pub fn set_language(state: State<'_, AppState>, lang: Lang) -> Result<(), Problem> {
    state.set_lang(lang).in_lang(lang)
}

#[tauri::command(async)]
pub fn list_accounts(state: State<'_, AppState>) -> Vec<AccountView> {
    state.list_accounts()
}

#[tauri::command(async)]
pub fn save_account(state: State<'_, AppState>, account: AccountInput, lang: Lang) -> Result<AccountView, Problem> {
    state.save_account(account).in_lang(lang)
}

#[tauri::command(async)]
pub fn remove_account(state: State<'_, AppState>, id: String, lang: Lang) -> Result<(), Problem> {
    state.remove_account(&id).in_lang(lang)
}

#[tauri::command]
pub async fn test_account(state: State<'_, AppState>, id: String, lang: Lang) -> Result<ConnectionReport, Problem> {
    state.test_account(&id, lang).await.in_lang(lang)
}

/// What deleting `prefix` does to the codes under it, from the rules the
/// window shows and the account's printed codes.
#[tauri::command(async)]
pub fn delete_impact(
    state: State<'_, AppState>,
    account_id: String,
    prefix: String,
    rules: Vec<crate::wechat::Rule>,
    lang: Lang,
) -> Result<Impact, Problem> {
    state.delete_impact(&account_id, &prefix, &rules).in_lang(lang)
}

/// Each code checked against every account's rule list.
#[tauri::command]
pub async fn check_codes(
    state: State<'_, AppState>,
    codes: Vec<CodeInput>,
    appid: Option<String>,
    lang: Lang,
) -> Result<CodeCheck, Problem> {
    state.check_codes(&codes, appid.as_deref(), lang).await.in_lang(lang)
}

/// The links in a dropped or pasted image, sent as the request's raw body
/// (a 12-megapixel photo is megabytes: no JSON). The `lang` header says
/// the language of an error.
#[tauri::command(async)]
pub fn read_image_codes(request: tauri::ipc::Request<'_>) -> Result<Vec<String>, Problem> {
    let lang = match request.headers().get("lang").and_then(|v| v.to_str().ok()) {
        Some("en") => Lang::En,
        _ => Lang::ZhCn,
    };
    // A body that is not raw bytes holds no image, and is refused as one.
    let bytes = match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) => bytes.as_slice(),
        _ => &[],
    };
    crate::qr_image::read_codes_from("image", bytes).map_err(|e| AppError::Printed(e.into()).problem(lang))
}

/// An image chosen in the picker, and the links in it (or why not).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageRead {
    pub label: String,
    pub links: Vec<String>,
    pub error: Option<String>,
}

/// Asks for images with the native dialog and reads the codes in each.
#[tauri::command(async)]
pub fn pick_code_images(app: tauri::AppHandle, lang: Lang) -> Vec<ImageRead> {
    let chosen = chosen_paths("QRJUMP_CODE_IMAGES", || {
        app.dialog().file().add_filter("PNG / JPEG", &["png", "jpg", "jpeg"]).blocking_pick_files()
    });
    chosen
        .iter()
        .map(|path| {
            let label = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            match crate::qr_image::read_codes(path) {
                Ok(links) => ImageRead { label, links, error: None },
                Err(e) => {
                    let problem = AppError::Printed(e.into()).problem(lang);
                    ImageRead { label, links: Vec::new(), error: Some(format!("{} {}", problem.message, problem.hint)) }
                }
            }
        })
        .collect()
}

#[tauri::command(async)]
pub fn printed_codes(state: State<'_, AppState>, lang: Lang) -> Result<Vec<PrintedView>, Problem> {
    state.printed_codes().in_lang(lang)
}

/// Asks for a text or CSV file of links (or a folder of code images) and
/// makes it the account's printed codes. `None` when the admin cancels.
#[tauri::command(async)]
pub fn import_printed_codes(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    account_id: String,
    folder: bool,
    lang: Lang,
) -> Result<Option<Imported>, Problem> {
    let chosen = chosen_path("QRJUMP_PRINTED_PATH", || {
        let dialog = app.dialog().file();
        if folder {
            dialog.blocking_pick_folder()
        } else {
            dialog.add_filter("CSV / Text", &["csv", "txt"]).blocking_pick_file()
        }
    });
    let Some(path) = chosen else { return Ok(None) };
    state.import_printed_codes(&account_id, &path).map(Some).in_lang(lang)
}

#[tauri::command(async)]
pub fn forget_printed_codes(state: State<'_, AppState>, account_id: String, lang: Lang) -> Result<(), Problem> {
    state.forget_printed_codes(&account_id).in_lang(lang)
}

/// Scales the page (Ctrl+= / Ctrl+- / Ctrl+0), between half and double size.
#[tauri::command]
pub fn set_zoom(window: WebviewWindow, factor: f64) -> Result<(), String> {
    window.set_zoom(factor.clamp(0.5, 2.0)).map_err(|e| e.to_string())
}

/// The diagnostics an admin sends IT (no secret in them).
#[tauri::command(async)]
pub fn diagnostics(state: State<'_, AppState>) -> String {
    state.diagnostics()
}

/// Opens the data folder in the system's file manager; returns its path.
#[tauri::command(async)]
pub fn open_data_folder(state: State<'_, AppState>, lang: Lang) -> Result<String, Problem> {
    let dir = state.data_dir().to_owned();
    let program = match std::env::consts::OS {
        "windows" => "explorer",
        "macos" => "open",
        _ => "xdg-open",
    };
    // Started and left to run: the file manager outlives this call.
    let started = std::process::Command::new(program)
        .arg(&dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match started {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
            Ok(dir.display().to_string())
        }
        Err(source) => Err(AppError::OpenFolder { path: dir, source }.problem(lang)),
    }
}

#[tauri::command(async)]
pub fn list_servers(state: State<'_, AppState>) -> Vec<ServerView> {
    state.list_servers()
}

#[tauri::command(async)]
pub fn save_server(state: State<'_, AppState>, server: TokenServerInput, lang: Lang) -> Result<ServerView, Problem> {
    state.save_server(server).in_lang(lang)
}

#[tauri::command(async)]
pub fn remove_server(state: State<'_, AppState>, id: String, lang: Lang) -> Result<(), Problem> {
    state.remove_server(&id).in_lang(lang)
}

#[tauri::command(async)]
pub fn add_on_server(
    state: State<'_, AppState>,
    server: String,
    serves: Serves,
    appids: String,
    lang: Lang,
) -> Result<Added, Problem> {
    state.add_on_server(&server, serves, &appids).in_lang(lang)
}

#[tauri::command(async)]
pub fn validate_delete(state: State<'_, AppState>, form: DeleteForm, lang: Lang) -> Vec<Problem> {
    state.validate(&form).iter().map(|error| error.problem(lang)).collect()
}

/// The account's rules; a long listing reports each page on `on_progress`.
#[tauri::command]
pub async fn list_rules(
    state: State<'_, AppState>,
    form: DeleteForm,
    on_progress: Channel<Progress>,
    lang: Lang,
) -> Result<RuleList, Problem> {
    // A closed page is no reason to stop the listing.
    state.list_rules(&form, |progress| drop(on_progress.send(progress))).await.in_lang(lang)
}

#[tauri::command]
pub async fn delete_rule(state: State<'_, AppState>, form: DeleteForm, lang: Lang) -> Result<ActionOutcome, Problem> {
    state.delete(&form, lang).await.in_lang(lang)
}

#[tauri::command(async)]
pub fn history_page(
    state: State<'_, AppState>,
    filter: Filter,
    before: Option<i64>,
    lang: Lang,
) -> Result<Vec<Record>, Problem> {
    state.history_page(&filter, before).in_lang(lang)
}

#[tauri::command(async)]
pub fn history_record(state: State<'_, AppState>, id: i64, lang: Lang) -> Result<Option<Record>, Problem> {
    state.history_record(id).in_lang(lang)
}

#[tauri::command(async)]
pub fn history_accounts(state: State<'_, AppState>, lang: Lang) -> Result<Vec<String>, Problem> {
    state.history_accounts().in_lang(lang)
}

/// Asks where to save with the native dialog, then writes the CSV of the
/// current filter and its manifest. `None` when the admin cancels.
#[tauri::command(async)]
pub fn export_history(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    filter: Filter,
    lang: Lang,
) -> Result<Option<Exported>, Problem> {
    let chosen = chosen_path("QRJUMP_EXPORT_PATH", || {
        let name = format!("qrjump-history-{}.csv", chrono::Local::now().format("%Y%m%d-%H%M"));
        app.dialog().file().add_filter("CSV", &["csv"]).set_file_name(name).blocking_save_file()
    });
    let Some(path) = chosen else { return Ok(None) };
    state.export(&filter, &path).map(Some).in_lang(lang)
}

#[tauri::command(async)]
pub fn verify_history(state: State<'_, AppState>, lang: Lang) -> Result<crate::app::HistoryCheck, Problem> {
    state.check_history().in_lang(lang)
}

/// Asks for the manifest of an earlier export with the native dialog, then
/// checks the history against it. `None` when the admin cancels.
#[tauri::command(async)]
pub fn verify_history_against(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    lang: Lang,
) -> Result<Option<AnchorReport>, Problem> {
    let chosen = chosen_path("QRJUMP_MANIFEST_PATH", || {
        app.dialog().file().add_filter("Manifest", &["json"]).blocking_pick_file()
    });
    let Some(path) = chosen else { return Ok(None) };
    state.verify_against(&path).map(Some).in_lang(lang)
}

#[tauri::command]
pub async fn plan_batch(state: State<'_, AppState>, form: BatchForm, lang: Lang) -> Result<Plan, Problem> {
    state.plan_batch(&form, lang).await.in_lang(lang)
}

#[tauri::command]
pub async fn begin_batch(state: State<'_, AppState>, form: BatchForm, lang: Lang) -> Result<Begun, Problem> {
    state.begin_batch(&form, lang).await.in_lang(lang)
}

/// Sends a begun batch, reporting before and after each item on `on_progress`.
#[tauri::command]
pub async fn run_batch(
    state: State<'_, AppState>,
    batch_id: String,
    on_progress: Channel<BatchProgress>,
    lang: Lang,
) -> Result<BatchStatus, Problem> {
    // A closed page is no reason to stop the batch.
    state.run_batch(&batch_id, |p| drop(on_progress.send(p)), lang).await.in_lang(lang)
}

#[tauri::command]
pub async fn resume_batch(
    state: State<'_, AppState>,
    batch_id: String,
    on_progress: Channel<BatchProgress>,
    lang: Lang,
) -> Result<BatchStatus, Problem> {
    state.resume_batch(&batch_id, |p| drop(on_progress.send(p)), lang).await.in_lang(lang)
}

#[tauri::command]
pub async fn check_batch(state: State<'_, AppState>, batch_id: String, lang: Lang) -> Result<BatchStatus, Problem> {
    state.check_batch(&batch_id, lang).await.in_lang(lang)
}

#[tauri::command(async)]
pub fn cancel_batch(state: State<'_, AppState>, batch_id: String) {
    state.cancel_batch(&batch_id);
}

#[tauri::command(async)]
pub fn close_batch(state: State<'_, AppState>, batch_id: String, lang: Lang) -> Result<(), Problem> {
    state.close_batch(&batch_id).in_lang(lang)
}

#[tauri::command(async)]
pub fn unfinished_batches(state: State<'_, AppState>, lang: Lang) -> Result<Vec<BatchStatus>, Problem> {
    state.unfinished_batches().in_lang(lang)
}

#[tauri::command(async)]
pub fn history_links(state: State<'_, AppState>, ids: Vec<i64>, lang: Lang) -> Result<Vec<Linked>, Problem> {
    state.history_links(&ids).in_lang(lang)
}

#[tauri::command]
pub async fn check_record(state: State<'_, AppState>, id: i64, lang: Lang) -> Result<ActionOutcome, Problem> {
    state.check_record(id, lang).await.in_lang(lang)
}

#[tauri::command]
pub async fn restore_preview(state: State<'_, AppState>, id: i64, lang: Lang) -> Result<RestorePreview, Problem> {
    state.restore_preview(id, lang).await.in_lang(lang)
}

#[tauri::command]
pub async fn restore_rule(state: State<'_, AppState>, id: i64, publish: bool, lang: Lang) -> Result<Restored, Problem> {
    state.restore(id, publish, lang).await.in_lang(lang)
}

/// Asks where to save WeChat's verification file, then fetches and saves it.
#[tauri::command]
pub async fn save_verification_file(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
    lang: Lang,
) -> Result<Option<SavedVerificationFile>, Problem> {
    let chosen = chosen_path("QRJUMP_VERIFICATION_PATH", || app.dialog().file().blocking_pick_folder());
    let Some(path) = chosen else { return Ok(None) };
    state.save_verification_file(id, &path).await.map(Some).in_lang(lang)
}

/// A rule-list backup as saved.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupSaved {
    pub path: String,
    pub rules: usize,
}

/// Asks where to save, then writes the account's whole rule list as CSV or JSON.
#[tauri::command]
pub async fn backup_rules(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    form: DeleteForm,
    format: String,
    lang: Lang,
) -> Result<Option<BackupSaved>, Problem> {
    let extension = if format == "json" { "json" } else { "csv" };
    let chosen = chosen_path("QRJUMP_BACKUP_PATH", || {
        let name = format!("qrjump-rules-{}.{extension}", chrono::Local::now().format("%Y%m%d-%H%M"));
        app.dialog().file().add_filter(extension.to_uppercase(), &[extension]).set_file_name(name).blocking_save_file()
    });
    let Some(path) = chosen else { return Ok(None) };
    let rules = state.backup_rules(&form, &path).await.in_lang(lang)?;
    Ok(Some(BackupSaved { path: path.display().to_string(), rules }))
}

/// The backup file the admin picked in the dialog. The page restores from
/// "the backup it opened", never from a path it names: a script in the
/// page must not choose which file the app reads.
#[derive(Default)]
pub struct OpenedBackup(std::sync::Mutex<Option<PathBuf>>);

/// Asks for a rule backup (CSV or JSON) and reads it against the current list.
#[tauri::command]
pub async fn open_backup(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    opened: State<'_, OpenedBackup>,
    form: DeleteForm,
    lang: Lang,
) -> Result<Option<BackupContents>, Problem> {
    let chosen = chosen_path("QRJUMP_RESTORE_PATH", || {
        app.dialog().file().add_filter("CSV / JSON", &["csv", "json"]).blocking_pick_file()
    });
    let Some(path) = chosen else { return Ok(None) };
    let contents = state.open_backup(&form, &path).await.in_lang(lang)?;
    *opened.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(path);
    Ok(Some(contents))
}

/// Restores `prefixes` from the backup last opened through the dialog.
#[tauri::command]
pub async fn restore_from_backup(
    state: State<'_, AppState>,
    opened: State<'_, OpenedBackup>,
    form: DeleteForm,
    prefixes: Vec<String>,
    publish: bool,
    lang: Lang,
) -> Result<Vec<Restored>, Problem> {
    let path = opened.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(path) = path else {
        return Err(Problem::new(
            "input",
            lang.pick("请先打开一个规则备份文件。", "Open a rule backup file first."),
            "",
        ));
    };
    state.restore_from_backup(&form, &path, &prefixes, publish, lang).await.in_lang(lang)
}

/// Asks for a text or CSV file of prefixes and reads it.
#[tauri::command(async)]
pub fn import_prefixes(app: tauri::AppHandle, lang: Lang) -> Result<Option<Vec<String>>, Problem> {
    let chosen = chosen_path("QRJUMP_IMPORT_PATH", || {
        app.dialog().file().add_filter("CSV / Text", &["csv", "txt"]).blocking_pick_file()
    });
    let Some(path) = chosen else { return Ok(None) };
    let bytes =
        std::fs::read(&path).map_err(|source| AppError::SaveFile { path: path.clone(), source }).in_lang(lang)?;
    Ok(Some(crate::service::batch::parse_prefix_list(&String::from_utf8_lossy(&bytes))))
}

#[tauri::command]
pub async fn find_owner(
    state: State<'_, AppState>,
    prefix: String,
    appid: Option<String>,
    lang: Lang,
) -> Result<OwnerSearch, Problem> {
    state.find_owner(&prefix, appid.as_deref(), lang).await.in_lang(lang)
}

/// The files the admin chose in a native dialog (none: cancelled); for
/// tests, `variable` holds them joined like `PATH`.
fn chosen_paths(variable: &str, dialog: impl FnOnce() -> Option<Vec<FilePath>>) -> Vec<PathBuf> {
    let for_tests = if cfg!(debug_assertions) { std::env::var_os(variable) } else { None };
    match for_tests {
        Some(joined) => std::env::split_paths(&joined).collect(),
        None => dialog().unwrap_or_default().into_iter().filter_map(|path| path.into_path().ok()).collect(),
    }
}

/// The file the admin chose in a native dialog (`None`: cancelled).
/// WebDriver cannot drive native dialogs, so debug builds (the ones the
/// end-to-end tests run) take the path from `variable` when it is set.
fn chosen_path(variable: &str, dialog: impl FnOnce() -> Option<FilePath>) -> Option<PathBuf> {
    let for_tests = if cfg!(debug_assertions) { std::env::var_os(variable).map(PathBuf::from) } else { None };
    for_tests.or_else(|| dialog().and_then(|path| path.into_path().ok()))
}

/// The team history's setting and where its push stands.
#[tauri::command(async)]
pub fn team_status(state: State<'_, AppState>, lang: Lang) -> Result<TeamStatus, Problem> {
    state.team_status().in_lang(lang)
}

/// Connects with the form's settings (setting the schema up), then saves them.
#[tauri::command]
pub async fn save_team(state: State<'_, AppState>, form: TeamForm, lang: Lang) -> Result<TeamStatus, Problem> {
    let status = state.save_team(form).await.in_lang(lang)?;
    state.wake_team_push();
    Ok(status)
}

#[tauri::command(async)]
pub fn forget_team(state: State<'_, AppState>, lang: Lang) -> Result<(), Problem> {
    state.forget_team().in_lang(lang)
}

/// "Push now".
#[tauri::command]
pub async fn push_team(state: State<'_, AppState>, lang: Lang) -> Result<Option<Pushed>, Problem> {
    state.push_team().await.in_lang(lang)
}

#[tauri::command]
pub async fn team_page(
    state: State<'_, AppState>,
    filter: TeamFilter,
    before: Option<Cursor>,
    lang: Lang,
) -> Result<Vec<TeamRecord>, Problem> {
    state.team_page(&filter, before.as_ref()).await.in_lang(lang)
}

#[tauri::command]
pub async fn team_names(state: State<'_, AppState>, lang: Lang) -> Result<TeamNames, Problem> {
    state.team_names().await.in_lang(lang)
}

/// "Check integrity" on the team history: every installation's chain.
#[tauri::command]
pub async fn verify_team(state: State<'_, AppState>, lang: Lang) -> Result<TeamVerification, Problem> {
    state.verify_team().await.in_lang(lang)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamExported {
    records: u64,
    path: PathBuf,
}

/// Asks where to save, then streams the team CSV of the filter there.
/// `None` when the admin cancels.
#[tauri::command]
pub async fn export_team_history(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    filter: TeamFilter,
    lang: Lang,
) -> Result<Option<TeamExported>, Problem> {
    let ask = app.clone();
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        chosen_path("QRJUMP_EXPORT_PATH", || {
            let name = format!("qrjump-team-history-{}.csv", chrono::Local::now().format("%Y%m%d-%H%M"));
            ask.dialog().file().add_filter("CSV", &["csv"]).set_file_name(name).blocking_save_file()
        })
    })
    .await
    .ok()
    .flatten();
    let Some(path) = chosen else { return Ok(None) };
    let records = state.export_team(&filter, &path).await.in_lang(lang)?;
    Ok(Some(TeamExported { records, path }))
}
