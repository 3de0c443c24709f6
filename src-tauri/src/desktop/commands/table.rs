// The commands the UI may call, by domain: the one list of them. build.rs
// reads it to declare each command to Tauri and to write one permission set
// per domain (permissions/domains/, generated), which
// capabilities/default.json grants; desktop/mod.rs turns it into the invoke
// handler. A new command is its function in commands/<domain>.rs, its name
// here, and its call in ui/.
commands! {
    app: [app_info, ui_ready, set_language, set_zoom, diagnostics, open_data_folder],
    accounts: [
        list_accounts, save_account, remove_account, test_account,
        list_servers, save_server, remove_server, add_on_server,
    ],
    codes: [
        delete_impact, lookup_codes, read_image_codes, pick_code_images,
        printed_codes, import_printed_codes, forget_printed_codes,
    ],
    rules: [validate_delete, list_rules, delete_rule],
    history: [
        history_page, history_record, history_accounts, export_history,
        verify_history, verify_history_against, history_links, check_record,
    ],
    batch: [
        import_prefixes, plan_batch, begin_batch, run_batch, resume_batch,
        check_batch, cancel_batch, close_batch, unfinished_batches,
    ],
    restore: [restore_preview, restore_rule, save_verification_file],
    backups: [backup_rules, open_backup, restore_from_backup],
    owners: [find_owner],
    team: [
        team_status, save_team, forget_team, push_team,
        team_page, team_names, verify_team, export_team_history,
    ],
}
