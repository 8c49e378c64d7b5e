//! newslint: a linter for Chinese news copy.
//!
//! The library does all the work and returns data; only `main.rs` and the report layer print.

pub mod diagnostic;
pub mod document;
pub mod source;
pub mod text;
