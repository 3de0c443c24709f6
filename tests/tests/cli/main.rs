//! The `qrjump` command line as scripts run it: the real binary, as
//! processes, against the simulator; several at once on one data folder;
//! and what a hostile server or a local process would try against it.

mod batch;
mod codes;
mod commands;
mod concurrency;
mod credentials;
mod doctor;
mod policy;
mod rule_set;
mod rules;
mod trust;
mod update;
