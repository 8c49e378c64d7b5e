//! `--format checkstyle` and `--format junit`: the XML reports CI systems read.

use std::io::Write;

use crate::driver::FileOutcome;

/// Escape text for an XML element's content. Characters XML 1.0 cannot hold at all (other C0
/// controls) are dropped.
pub fn escape(s: &str) -> String {
    escape_as(s, false)
}

/// Escape text for a double- or single-quoted XML attribute value. A parser normalises a raw tab,
/// line feed or carriage return in an attribute to a space (XML 1.0, 3.3.3), so a file name with
/// a newline would read back changed: they are written as character references (`&#10;`), as
/// quick-xml and the JDK's serialiser do.
pub fn escape_attr(s: &str) -> String {
    escape_as(s, true)
}

fn escape_as(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' if attribute => out.push_str("&#13;"),
            // A raw CR in content is read back as LF (end-of-line handling, 2.11).
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n') => {}
            // Not XML characters either: the non-characters U+FFFE and U+FFFF.
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Write the Checkstyle report to `out`.
pub fn write_checkstyle<W: Write>(out: &mut W, outcomes: &[FileOutcome]) -> std::io::Result<()> {
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n")?;
    for o in outcomes {
        writeln!(out, "  <file name=\"{}\">", escape_attr(&o.path))?;
        for d in &o.diagnostics {
            writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"newslint.{}\"/>",
                d.start.line,
                d.start.column,
                d.severity.as_str(),
                escape_attr(&d.message.text()),
                escape_attr(&d.rule)
            )?;
        }
        out.write_all(b"  </file>\n")?;
    }
    out.write_all(b"</checkstyle>\n")
}

/// The Checkstyle report as a string ([`write_checkstyle`] into memory).
pub fn checkstyle(outcomes: &[FileOutcome]) -> String {
    let mut out = Vec::new();
    let _ = write_checkstyle(&mut out, outcomes);
    String::from_utf8(out).unwrap_or_default()
}

/// Write the JUnit report to `out`: one test case per file; a file with findings fails,
/// listing them.
pub fn write_junit<W: Write>(out: &mut W, outcomes: &[FileOutcome]) -> std::io::Result<()> {
    let failures = outcomes
        .iter()
        .filter(|o| !o.diagnostics.is_empty())
        .count();
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    writeln!(
        out,
        "<testsuites name=\"newslint\" tests=\"{}\" failures=\"{failures}\">\n  <testsuite name=\"newslint\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        outcomes.len(),
        outcomes.len()
    )?;
    for o in outcomes {
        write!(
            out,
            "    <testcase name=\"{}\" classname=\"newslint\"",
            escape_attr(&o.path)
        )?;
        if o.diagnostics.is_empty() {
            out.write_all(b"/>\n")?;
            continue;
        }
        out.write_all(b">\n")?;
        let body: Vec<String> = o
            .diagnostics
            .iter()
            .map(|d| super::short::line(&o.path, d))
            .collect();
        writeln!(
            out,
            "      <failure message=\"{} 个问题\" type=\"newslint\">{}</failure>",
            o.diagnostics.len(),
            escape(&body.join("\n"))
        )?;
        out.write_all(b"    </testcase>\n")?;
    }
    out.write_all(b"  </testsuite>\n</testsuites>\n")
}

/// The JUnit report as a string ([`write_junit`] into memory).
pub fn junit(outcomes: &[FileOutcome]) -> String {
    let mut out = Vec::new();
    let _ = write_junit(&mut out, outcomes);
    String::from_utf8(out).unwrap_or_default()
}
