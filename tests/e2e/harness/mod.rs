//! What the scenarios stand on: the app under WebDriver (`app`), the registers they start from
//! (`seed`), steps several of them take in the window (`page`), the files the window writes
//! (`files`), the app's processes and their memory (`procs`) and throw-away team registers on
//! the test server (`team`). Shared by the e2e tests and
//! the benchmarks, each of which uses only part of it (hence the allowances below).
#![allow(dead_code, unused_imports)]

mod app;
mod files;
mod page;
mod procs;
mod seed;
mod team;

pub use app::*;
pub use files::*;
pub use page::*;
pub use procs::*;
pub use seed::*;
pub use team::{TeamRegister, PASSWORD as TEAM_PASSWORD};
