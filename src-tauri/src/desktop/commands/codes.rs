//! Look up a code, printed codes and what a delete does to them.

use serde::Serialize;
use tauri::State;

use super::{InLang, chosen_path, chosen_paths, file_dialog};
use crate::app::{AppError, AppState, Imported, PrintedView, Problem};
use crate::explain::file_dialog::Choice;
use crate::matching::Impact;
use crate::service::code_lookup::{CodeInput, CodeLookup};

/// What deleting `prefix` does to the codes under it, from the rules the
/// window shows and the account's printed codes.
#[tauri::command(async)]
pub fn delete_impact(
    state: State<'_, AppState>,
    account_id: String,
    prefix: String,
    rules: Vec<crate::wechat::Rule>,
) -> Result<Impact, Problem> {
    let lang = state.lang();
    state.delete_impact(&account_id, &prefix, &rules).in_lang(lang)
}

/// Each code checked against every account's rule list.
#[tauri::command]
pub async fn lookup_codes(
    state: State<'_, AppState>,
    codes: Vec<CodeInput>,
    appid: Option<String>,
) -> Result<CodeLookup, Problem> {
    let lang = state.lang();
    state.lookup_codes(&codes, appid.as_deref(), lang).await.in_lang(lang)
}

/// The links in a dropped or pasted image, sent as the request's raw body
/// (a 12-megapixel photo is megabytes: no JSON).
#[tauri::command(async)]
pub fn read_image_codes(request: tauri::ipc::Request<'_>, state: State<'_, AppState>) -> Result<Vec<String>, Problem> {
    let lang = state.lang();
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
pub fn pick_code_images(app: tauri::AppHandle, state: State<'_, AppState>) -> Vec<ImageRead> {
    let lang = state.lang();
    let chosen =
        chosen_paths("QRJUMP_CODE_IMAGES", || file_dialog(&app, Choice::CodeImages, lang).blocking_pick_files());
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
pub fn printed_codes(state: State<'_, AppState>) -> Result<Vec<PrintedView>, Problem> {
    let lang = state.lang();
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
) -> Result<Option<Imported>, Problem> {
    let lang = state.lang();
    let chosen = chosen_path("QRJUMP_PRINTED_PATH", || {
        if folder {
            file_dialog(&app, Choice::PrintedFolder, lang).blocking_pick_folder()
        } else {
            file_dialog(&app, Choice::PrintedList, lang).blocking_pick_file()
        }
    });
    let Some(path) = chosen else { return Ok(None) };
    state.import_printed_codes(&account_id, &path).map(Some).in_lang(lang)
}

#[tauri::command(async)]
pub fn forget_printed_codes(state: State<'_, AppState>, account_id: String) -> Result<(), Problem> {
    let lang = state.lang();
    state.forget_printed_codes(&account_id).in_lang(lang)
}
