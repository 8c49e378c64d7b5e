//! A pack rule's `[[examples]]`, run as tests (`newslint test-pack`, and the packs' tests).

use super::PackRule;
use crate::document::Document;
use crate::rules::Rule;

/// An example of a pack rule that did not behave as its file says.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule: String,
    pub text: String,
    pub expected: bool,
    pub found: usize,
    pub why: Option<String>,
}

/// Run a rule's `[[examples]]`: each text is linted as a whole plain-text document (so a short
/// line without final punctuation is a headline, as in real copy).
pub fn run_examples(rule: &PackRule) -> (usize, Vec<ExampleFailure>) {
    let mut failures = Vec::new();
    for e in &rule.examples {
        let doc = Document::parse(
            crate::source::SourceFile::from_text(e.text.clone(), false),
            crate::document::Format::Plain,
        );
        let mut out = Vec::new();
        rule.check(&doc, &mut out);
        if out.is_empty() == e.report {
            failures.push(ExampleFailure {
                rule: rule.meta.id.to_string(),
                text: e.text.clone(),
                expected: e.report,
                found: out.len(),
                why: e.why.clone(),
            });
        }
    }
    (rule.examples.len(), failures)
}
