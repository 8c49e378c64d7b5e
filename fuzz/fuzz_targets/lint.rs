//! Fuzz target: any bytes, as plain text and as Markdown, through decoding, the document model,
//! every rule (default-off ones included) and fix application. Invariants are checked by
//! `newslint_core::selfcheck::check_bytes`, which the regression tests call too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    newslint_core::selfcheck::check_bytes(data);
});
