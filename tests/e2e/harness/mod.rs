//! What the scenarios stand on: the app under WebDriver (`app`), the registers they start from
//! (`seed`), steps several of them take in the window (`page`), the files the window writes
//! (`files`) and the app's processes and their memory (`procs`). Shared by the e2e tests and
//! the benchmarks, each of which uses only part of it (hence the allowances below).
#![allow(dead_code, unused_imports)]

mod app;
mod files;
mod page;
mod procs;
mod seed;

pub use app::*;
pub use files::*;
pub use page::*;
pub use procs::*;
pub use seed::*;
