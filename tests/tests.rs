//! Integration tests: drive the core and the `asset-register-cli` binary on temporary register
//! files, the way scripts and users do. The window's end-to-end tests live in `e2e/`.

mod util;

mod audit;
mod backup;
mod bad_register;
mod cli;
mod cli_import;
mod core_flows;
#[cfg(unix)] // kills process groups with signals
mod crash;
mod documents;
mod evidence;
mod forecast;
mod import_export;
mod labels;
mod licences;
mod lifecycle;
mod report;
mod stocktake;
mod value;
