//! What the scenarios stand on: the app under WebDriver (`app`), the registers they start from
//! (`seed`), steps several of them take in the window (`page`) and the files the window writes
//! (`files`). Shared by the e2e tests and the app benchmark, each of which uses only part of it
//! (hence the allowances below).
#![allow(dead_code, unused_imports)]

mod app;
mod files;
mod page;
mod seed;

pub use app::*;
pub use files::*;
pub use page::*;
pub use seed::*;
