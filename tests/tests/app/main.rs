//! The library in process: the WeChat client, the history, the team
//! history, the accounts and the app's state, against the simulator and a
//! real PostgreSQL started by the tests. No window, no Wine.
//!
//! One test binary per kind of need (app, cli, window, platform), as
//! ripgrep keeps one: each links the whole crate graph once.

mod accounts;
mod cleanup;
mod desktop_commands;
mod fidelity;
mod history;
mod printed_codes;
mod rules;
mod state;
mod support_log;
mod team;
mod team_settings;
mod token_server;
mod ui_strings;
mod wechat_client;
