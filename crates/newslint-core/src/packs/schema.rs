//! The schema of pack files: `pack.toml` and the four kinds of rule file, as serde reads them.
//!
//! Every kind shares the keys `kind` to `examples`; [`pack_kind!`] writes them once and declares
//! each kind's struct with them and its own keys. serde's `flatten` would lose
//! `deny_unknown_fields`, and an unknown key must be reported with its line (toml's error
//! carries the span, and lists the keys in this order).

use serde::Deserialize;

use crate::document::Zone;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PackManifest {
    pub(super) name: String,
    pub(super) version: String,
    pub(super) description: String,
    /// The default of its rules' `quoted`.
    #[serde(default)]
    pub(super) quoted: Option<Quoted>,
}

/// What a rule does with text inside quotation and title marks (“…”, 《…》: see
/// [`crate::document::quotes`]). Quotations keep their original wording: a rule that prescribes
/// the copy's own wording (a banned word, a variant form) skips them; a typo is a typo anywhere.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Quoted {
    #[default]
    Report,
    Skip,
}

/// Where a rule looks: zones of the document model.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Any,
    Headline,
    Body,
    Credit,
}

impl Scope {
    pub(super) fn covers(self, zone: Zone) -> bool {
        match self {
            Scope::Any => true,
            Scope::Headline => matches!(zone, Zone::Headline | Zone::Deck | Zone::Subheading),
            Scope::Body => matches!(
                zone,
                Zone::Body | Zone::LeadIn | Zone::Callout | Zone::Verse | Zone::Caption
            ),
            Scope::Credit => matches!(zone, Zone::Credit | Zone::EditorLine),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    pub report: bool,
    #[serde(default)]
    pub why: Option<String>,
}

/// The keys every kind shares, as a view of any kind's struct (see [`pack_kind!`]); `quoted`,
/// which occurrence rules do not take, is read from the kinds that do.
pub(super) struct Common<'a> {
    pub(super) kind: &'a str,
    pub(super) description: &'a str,
    pub(super) message: &'a str,
    pub(super) help: Option<&'a str>,
    pub(super) severity: &'a str,
    pub(super) enabled: bool,
    pub(super) scope: &'a [Scope],
    pub(super) examples: &'a [Example],
}

/// Declares a kind's struct: the shared keys (written here once, in the order toml's "unknown
/// field" error lists them), `quoted` for the kinds that take it, then the kind's own keys; and
/// its [`Common`] view.
macro_rules! pack_kind {
    ($(#[$attr:meta])* $name:ident, quoted { $($own:tt)* }) => {
        pack_kind!(@emit [$(#[$attr])*] $name [
            #[serde(default)]
            pub(super) quoted: Option<Quoted>,
        ] { $($own)* });
    };
    ($(#[$attr:meta])* $name:ident { $($own:tt)* }) => {
        pack_kind!(@emit [$(#[$attr])*] $name [] { $($own)* });
    };
    (@emit [$($attr:tt)*] $name:ident [$($quoted:tt)*] { $($own:tt)* }) => {
        $($attr)*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        pub(super) struct $name {
            pub(super) kind: String,
            pub(super) description: String,
            pub(super) message: String,
            #[serde(default)]
            pub(super) help: Option<String>,
            #[serde(default = "warning")]
            pub(super) severity: String,
            #[serde(default = "yes")]
            pub(super) enabled: bool,
            #[serde(default = "any")]
            pub(super) scope: Vec<Scope>,
            $($quoted)*
            #[serde(default)]
            pub(super) examples: Vec<Example>,
            $($own)*
        }

        impl $name {
            pub(super) fn common(&self) -> Common<'_> {
                Common {
                    kind: &self.kind,
                    description: &self.description,
                    message: &self.message,
                    help: self.help.as_deref(),
                    severity: &self.severity,
                    enabled: self.enabled,
                    scope: &self.scope,
                    examples: &self.examples,
                }
            }
        }
    };
}

pack_kind! {
    /// `kind = "existence"`: words or patterns that should not appear.
    Existence, quoted {
    #[serde(default)]
    pub(super) tokens: Vec<String>,
    #[serde(default)]
    pub(super) patterns: Vec<String>,
    #[serde(default)]
    pub(super) exceptions: Vec<String>,
    }
}

pack_kind! {
    /// `kind = "substitution"`: a wrong form and its right one, with context.
    Substitution, quoted {
    /// `"safe"`, `"unsafe"` or `"none"`.
    #[serde(default = "unsafe_fix")]
    pub(super) fix: String,
    /// wrong → right, with no context.
    #[serde(default)]
    pub(super) swap: toml::Table,
    /// wrong → right with context.
    #[serde(default)]
    pub(super) entry: Vec<Entry>,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct Entry {
    pub(super) wrong: String,
    pub(super) right: String,
    /// Text that, right before `wrong`, makes it correct (吸|纳人才).
    #[serde(default)]
    pub(super) not_before: Vec<String>,
    /// Text that, right after `wrong`, makes it correct (纳人|才).
    #[serde(default)]
    pub(super) not_after: Vec<String>,
    /// When given, `wrong` counts only right before one of these (经济形式|，).
    #[serde(default)]
    pub(super) only_after: Vec<String>,
    /// When given, `wrong` counts only right after one of these.
    #[serde(default)]
    pub(super) only_before: Vec<String>,
}

pack_kind! {
    /// `kind = "consistency"`: one article uses one form of each group.
    Consistency, quoted {
    pub(super) groups: Vec<Vec<String>>,
    }
}

pack_kind! {
    /// `kind = "occurrence"`: a sentence, paragraph or article too long, or with too many of some
    /// tokens.
    Occurrence {
    /// `"sentence"`, `"paragraph"` or `"article"`.
    pub(super) unit: String,
    /// Report a unit longer than this many characters.
    #[serde(default)]
    pub(super) max_chars: Option<usize>,
    /// Report a unit with more than `max` of these tokens.
    #[serde(default)]
    pub(super) tokens: Vec<String>,
    #[serde(default)]
    pub(super) max: Option<usize>,
    }
}

fn warning() -> String {
    "warning".into()
}
fn yes() -> bool {
    true
}
fn any() -> Vec<Scope> {
    vec![Scope::Any]
}
fn unsafe_fix() -> String {
    "unsafe".into()
}
