//! Fuzz target for the fix property (`newslint_core::selfcheck::check_fixes`): any bytes, decoded as
//! newslint decodes a file, fixed with every rule (default-off ones included) with safe fixes
//! and with every fix, as plain text and as Markdown. The fixed text must be the original with
//! the reported changes applied (every byte outside them kept), the replay of the applied fixes,
//! and a second run must change nothing unless the first held fixes back and said so.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newslint_core::document::Format;
use newslint_core::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = SourceFile::from_bytes(data.to_vec()) else {
        return;
    };
    let rules = newslint_core::selfcheck::all_rules();
    for format in [Format::Plain, Format::Markdown] {
        for unsafe_fixes in [false, true] {
            newslint_core::selfcheck::check_fixes(&src, format, rules, unsafe_fixes);
        }
    }
});
