//! The syntax of suppression directives (`#newslint-disable-next-line RULE`, or in an HTML
//! comment in Markdown), below the document model: a plain-text line that is a directive is not
//! copy, so the model must recognise one. What a directive suppresses is `crate::suppress`'s.

/// What a directive does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Disable,
    Enable,
    NextLine,
}

/// Parse `newslint-disable …` (without the comment markers): the kind, and each rule name with
/// its byte offset in `body`. Names are separated by commas (ASCII or full-width) and spaces.
pub(crate) fn parse_body(body: &str) -> Option<(Kind, Vec<(String, usize)>)> {
    let lead = body.len() - body.trim_start().len();
    let trimmed = body.trim();
    let (kind, rest) = if let Some(r) = trimmed.strip_prefix("newslint-disable-next-line") {
        (Kind::NextLine, r)
    } else if let Some(r) = trimmed.strip_prefix("newslint-disable") {
        (Kind::Disable, r)
    } else if let Some(r) = trimmed.strip_prefix("newslint-enable") {
        (Kind::Enable, r)
    } else {
        return None;
    };
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let rest_at = lead + trimmed.len() - rest.len();
    let mut rules = Vec::new();
    let mut start = None;
    for (i, c) in rest
        .char_indices()
        .chain(std::iter::once((rest.len(), ',')))
    {
        if matches!(c, ',' | '，') || c.is_whitespace() {
            if let Some(s) = start.take() {
                rules.push((rest[s..i].to_string(), rest_at + s));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    Some((kind, rules))
}

/// Is this plain-text line a directive (and so not copy)?
pub fn is_plain_directive(line: &str) -> bool {
    line.trim_start()
        .strip_prefix('#')
        .is_some_and(|b| parse_body(b).is_some())
}
