//! The real desktop window, driven through WebDriver under Xvfb: each test
//! starts its own display, driver and app on a data folder of its own, so
//! the harness may run two at once.

mod accessibility;
mod admin;
mod citizen;
mod cleanup;
mod credentials;
mod impact;
mod policy;
mod rules;
mod screenshots;
mod secret_service;
mod smoke;
mod start_failure;
mod support;
mod team;
mod update;
