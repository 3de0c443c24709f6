fn main() {
    // New or changed UI files must be embedded again.
    println!("cargo:rerun-if-changed=../ui");
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    #[cfg(feature = "desktop")]
    desktop();
}

#[cfg(feature = "desktop")]
fn desktop() {
    // Only the commands listed here can be called from the UI, and only when
    // a capability in capabilities/ grants them: the UI gets nothing by default.
    let manifest = tauri_build::AppManifest::new().commands(qrjump_commands());
    let attributes = tauri_build::Attributes::new().config_path("../tauri.conf.json").app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}

#[cfg(feature = "desktop")]
// Keep in step with src/desktop/mod.rs and capabilities/default.json (a test checks).
fn qrjump_commands() -> &'static [&'static str] {
    &[
        "app_info",
        "ui_ready",
        "set_language",
        "list_accounts",
        "save_account",
        "remove_account",
        "test_account",
        "delete_impact",
        "check_codes",
        "read_image_codes",
        "pick_code_images",
        "printed_codes",
        "import_printed_codes",
        "forget_printed_codes",
        "set_zoom",
        "diagnostics",
        "open_data_folder",
        "list_servers",
        "save_server",
        "remove_server",
        "add_on_server",
        "validate_delete",
        "list_rules",
        "delete_rule",
        "history_page",
        "history_record",
        "history_accounts",
        "export_history",
        "verify_history",
        "verify_history_against",
        "plan_batch",
        "begin_batch",
        "run_batch",
        "resume_batch",
        "check_batch",
        "cancel_batch",
        "close_batch",
        "unfinished_batches",
        "history_links",
        "check_record",
        "restore_preview",
        "restore_rule",
        "save_verification_file",
        "backup_rules",
        "import_prefixes",
        "find_owner",
        "open_backup",
        "restore_from_backup",
        "team_status",
        "save_team",
        "forget_team",
        "push_team",
        "team_page",
        "team_names",
        "verify_team",
        "export_team_history",
    ]
}
