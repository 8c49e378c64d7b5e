//! newslint-core: the linting core of newslint, a linter for Chinese news copy.
//!
//! The library does all the work and returns data; it never prints (the `newslint` binary at
//! the workspace root parses arguments, prints and exits). Start at [`api`].

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod api;
pub mod baseline;
pub mod catalog;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod driver;
pub mod error;
pub mod fix;
pub mod hash;
pub mod lint;
pub mod packs;
pub mod plugin;
pub mod report;
pub mod rules;
pub mod segment;
pub mod selfcheck;
pub mod source;
pub mod suppress;
pub mod text;
pub mod timings;
