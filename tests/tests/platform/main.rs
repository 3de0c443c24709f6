//! What ships: the .deb installed in a scratch root, the Windows installer,
//! CLI and library tests under Wine.

mod linux_package;
mod reproducible;
mod signing;
mod windows_cli;
mod windows_installer;
mod windows_msi;
mod windows_policy;
mod windows_unit_tests;
