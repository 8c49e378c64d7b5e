//! The document model every rule reads: paragraphs, their zones, and the articles of a page.
//!
//! A file is split into paragraphs:
//! - plain text: every non-blank line is a paragraph. Chinese copy does not hard-wrap, so this
//!   covers both the blank-line-separated layout of the seed pages and the People's Daily layout
//!   (one paragraph a line, indented with U+3000 U+3000). Leading and trailing white space,
//!   including U+3000, is not part of the paragraph.
//! - Markdown (pulldown-cmark): headings, paragraphs, list items and table cells. Only text runs
//!   are prose ([`Paragraph::pieces`]); code, HTML, front matter, link targets, autolinks and
//!   image alt text are invisible to every rule.
//!
//! Each paragraph gets a [`Zone`]. Zones come from the shape of the text, tuned on real pages:
//! credit lines ("(通讯员 付笛 王金华)", "李军 聊城报道", "文/图 鞠圣妍", "■ 马红坤 王欣楠"), photo
//! captions (a short paragraph set off by extra blank lines), headline runs (short lines with no
//! sentence-final punctuation at the start of an article), and body paragraphs, which may open
//! with a dateline ("本报讯（记者 张三）", "新华社北京11月22日电", "东昌府讯 "). A page holds several
//! articles: each headline run starts a new [`Article`].

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use crate::source::SourceFile;
use crate::text;

pub mod continuation;
pub mod directive;
mod markdown;
pub mod quotes;
pub mod scan_cache;
mod zones;

pub use zones::{dateline_len, is_credit_line, is_terminated, parallel_clauses, ROLES};

/// How a file's text is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Plain,
    Markdown,
}

impl Format {
    /// `.md`, `.markdown`, `.mdown`, `.mkd` are Markdown; everything else is plain text.
    pub fn from_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
        {
            Some(e) if matches!(e.as_str(), "md" | "markdown" | "mdown" | "mkd") => {
                Format::Markdown
            }
            _ => Format::Plain,
        }
    }
}

/// What a paragraph is, as news rules need to know.
///
/// Zones come from evidence on the page (the shape of a line, its place, the layout of the
/// paragraphs around it), not from one outlet's habits; `newslint zones FILE` shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The title of an article: the first line of a headline run, or a top-level Markdown heading.
    Headline,
    /// The lines under a headline (deck, subtitle, kicker: "——写在……之际") and summary lines
    /// (提要) between the headline and the dateline.
    Deck,
    /// An in-story subheading ("以立法引领改革，为发展破除障碍", "（一）“下沉服务……”",
    /// "【链接】"), a section label, or a deeper Markdown heading.
    Subheading,
    /// A line that introduces what follows and ends in "——" or "：" ("于是，变化发生了——").
    LeadIn,
    /// A pull-quote, a section-opening quote or a data callout ("2.5%" over a sentence): text
    /// that repeats or highlights body text on purpose.
    Callout,
    /// A line of verse, a couplet or lyrics (one line a paragraph; a line may end in "，").
    Verse,
    /// A source or page line: "（ 2026-04-27 ） 稿件来源：新华每日电讯 要闻",
    /// "《 学习时报 》（ 2026年04月27日  第 02 版 ）", "（下转2版）", "字数 3582".
    PageLine,
    /// An editor's line: "责任编辑：张三", "（编辑 李四）", "校对：王五".
    EditorLine,
    /// A standalone credit or source line: "(通讯员 张三)", "李军 聊城报道", "文/图 X",
    /// "（本报记者孟祥夫整理）", "《光明网》".
    Credit,
    /// A photo caption.
    Caption,
    /// Running text. May open with a dateline, see [`Paragraph::dateline`].
    Body,
}

impl Zone {
    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Headline => "headline",
            Zone::Deck => "deck",
            Zone::Subheading => "subheading",
            Zone::LeadIn => "lead-in",
            Zone::Callout => "callout",
            Zone::Verse => "verse",
            Zone::PageLine => "page-line",
            Zone::EditorLine => "editor-line",
            Zone::Credit => "credit",
            Zone::Caption => "caption",
            Zone::Body => "body",
        }
    }

    /// Running text: sentences a reader reads as the story (body paragraphs and lead-ins).
    pub fn is_running_text(self) -> bool {
        matches!(self, Zone::Body | Zone::LeadIn)
    }

    /// Display lines that head or set off text: headline, deck, subheading, callout.
    pub fn is_display(self) -> bool {
        matches!(
            self,
            Zone::Headline | Zone::Deck | Zone::Subheading | Zone::Callout
        )
    }

    /// Lines about the copy rather than of it: credits, editor, source and page lines.
    pub fn is_apparatus(self) -> bool {
        matches!(self, Zone::Credit | Zone::EditorLine | Zone::PageLine)
    }
}

/// The Markdown (or plain) block a paragraph came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// A line of a plain-text file.
    Line,
    Heading(u8),
    Paragraph,
    ListItem,
    TableCell,
}

/// One paragraph.
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// From the first to the last prose byte, trimmed of white space.
    pub range: Range<usize>,
    /// The prose inside `range`, in order. Plain text: `[range]`. Markdown: text runs only.
    pub pieces: Pieces,
    pub zone: Zone,
    pub block: Block,
    /// The byte length of a dateline that opens a body paragraph ("本报讯（记者 张三）"), 0 for
    /// none: see [`Paragraph::dateline`]. The counts below are 32 bits (a file of more than 4
    /// GiB holds them saturated): a 100 MB file has 400,000 paragraphs.
    dateline_len: u32,
    /// Index into [`Document::articles`].
    pub article: u32,
    /// Blank lines between this paragraph and the previous one (or the file start).
    pub blank_lines_before: u32,
    /// Plain text: the line starts with white space before the prose (a paragraph indent such as
    /// U+3000 U+3000). Always false in Markdown.
    pub indent: bool,
    /// 0-based lines of the first and last prose byte.
    pub lines: Range<u32>,
}

/// `n` in 32 bits, saturated (only a file of more than 4 GiB has a count past `u32::MAX`).
pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Paragraph {
    /// A dateline that opens a body paragraph ("本报讯（记者 张三）"): from the paragraph's start.
    #[inline]
    pub fn dateline(&self) -> Option<Range<usize>> {
        (self.dateline_len > 0)
            .then(|| self.range.start..self.range.start + self.dateline_len as usize)
    }

    /// Set the dateline to the first `len` bytes (0: none).
    pub(crate) fn set_dateline(&mut self, len: usize) {
        self.dateline_len = to_u32(len);
    }

    /// [`Paragraph::article`] as an index.
    #[inline]
    pub fn article(&self) -> usize {
        self.article as usize
    }
}

/// The prose ranges of a [`Paragraph`], read as a slice (`&p.pieces[..]`, `p.pieces.iter()`).
///
/// A plain-text paragraph has one piece, kept inline: no allocation per paragraph (on a 100 MB
/// file, 400,000 of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pieces {
    One(Range<usize>),
    Many(Box<[Range<usize>]>),
}

impl From<Vec<Range<usize>>> for Pieces {
    fn from(mut v: Vec<Range<usize>>) -> Pieces {
        if v.len() == 1 {
            Pieces::One(v.swap_remove(0))
        } else {
            Pieces::Many(v.into_boxed_slice())
        }
    }
}

impl std::ops::Deref for Pieces {
    type Target = [Range<usize>];

    #[inline]
    fn deref(&self) -> &[Range<usize>] {
        match self {
            Pieces::One(r) => std::slice::from_ref(r),
            Pieces::Many(v) => v,
        }
    }
}

impl<'a> IntoIterator for &'a Pieces {
    type Item = &'a Range<usize>;
    type IntoIter = std::slice::Iter<'a, Range<usize>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A run of paragraphs forming one story: headline run, body, credits.
#[derive(Debug, Clone)]
pub struct Article {
    /// Indices into [`Document::paragraphs`].
    pub paragraphs: Range<usize>,
}

/// A parsed file.
#[derive(Debug)]
pub struct Document {
    pub source: SourceFile,
    pub format: Format,
    pub paragraphs: Vec<Paragraph>,
    pub articles: Vec<Article>,
    /// The built-in packs' one scan of this document (see `packs::SharedScan`).
    pub scan_cache: scan_cache::ScanCache,
    /// The non-Han characters of the text, found once for every rule (see [`Document::non_han`]).
    /// Only the offsets: the character is decoded from the text when read (4 bytes an entry,
    /// not 8).
    non_han: OnceLock<NonHanIndex>,
    /// duplicate-paragraph's cross-file keys: the `min-chars` they were found with, and
    /// `(paragraph index, hash of the normalised text)` for the first paragraph of each distinct
    /// hash among the candidates that long, in order. Left by its `check` when it also reports
    /// across files, so that `repo_keys` does not normalise every paragraph again.
    pub(crate) para_hashes: OnceLock<(usize, Vec<(usize, u64)>)>,
}

impl Document {
    pub fn parse(source: SourceFile, format: Format) -> Document {
        let structure = || {
            let mut paragraphs = match format {
                Format::Plain => plain_paragraphs(&source),
                Format::Markdown => markdown::markdown_paragraphs(&source),
            };
            // Grown by doubling: up to half of it unused (20 MB on a 100 MB file).
            paragraphs.shrink_to_fit();
            let articles = zones::classify(&source, format, &mut paragraphs);
            (paragraphs, articles)
        };
        // A large file (whose rules run in parallel) has its non-Han index built on a second
        // core while its paragraphs are found and classified, instead of by the first rule that
        // reads it while the other workers wait: the index needs only the text.
        let non_han = OnceLock::new();
        let text = source.text();
        let (paragraphs, articles) =
            if text.len() >= crate::source::LARGE_FILE_BYTES && u32::try_from(text.len()).is_ok() {
                let (structure, index) = rayon::join(structure, || non_han_index(text));
                let _ = non_han.set(index);
                structure
            } else {
                structure()
            };
        Document {
            source,
            format,
            paragraphs,
            articles,
            scan_cache: Default::default(),
            non_han,
            para_hashes: OnceLock::new(),
        }
    }

    /// The characters of `s` outside U+4000–U+9FFF with their offsets in `s`, exactly as
    /// [`text::non_han`]`(s)`, where `s` is the text from byte `base` (a piece, a paragraph).
    ///
    /// Several rules look only at marks, digits and letters; the document finds them once, on
    /// first use, and each call looks up its range. Texts over 4 GiB are walked instead.
    pub fn non_han<'a>(&'a self, base: usize, s: &'a str) -> NonHan<'a> {
        match self.non_han_from(base, s) {
            Some((at, _)) => NonHan::Indexed {
                at: at.iter(),
                text: self.text(),
                base,
                end: base + s.len(),
            },
            None => NonHan::Walk(text::non_han(s)),
        }
    }

    /// [`Document::non_han`] with only the characters of a [`class`] in `mask` (a union of
    /// them): `non_han(base, s).filter(|&(_, c)| class::of(c) & mask != 0)`, found on the
    /// index's class bytes without decoding the characters passed over.
    pub fn non_han_in<'a>(&'a self, base: usize, s: &'a str, mask: u8) -> NonHanIn<'a> {
        match self.non_han_from(base, s) {
            Some((at, classes)) => NonHanIn::Indexed {
                at,
                classes,
                mask,
                text: self.text(),
                base,
                end: base + s.len(),
            },
            None => NonHanIn::Walk(text::non_han(s), mask),
        }
    }

    /// Does `s` (the text from byte `base`) hold a non-Han character of a class in `mask`?
    pub fn has_non_han_in(&self, base: usize, s: &str, mask: u8) -> bool {
        match self.non_han_from(base, s) {
            Some((at, classes)) => {
                let end = base + s.len();
                at.iter()
                    .zip(classes)
                    .take_while(|&(&i, _)| (i as usize) < end)
                    .any(|(_, &c)| c & mask != 0)
            }
            None => text::non_han(s).any(|(_, c)| class::of(c) & mask != 0),
        }
    }

    /// The index entries (offsets and classes) from the first of `s`, the text from byte `base`,
    /// to the end of the document (the callers stop at the end of `s`: one search instead of
    /// two); `None` for a text over 4 GiB.
    #[inline]
    fn non_han_from(&self, base: usize, s: &str) -> Option<(&[u32], &[u8])> {
        debug_assert_eq!(&self.text()[base..base + s.len()], s);
        let text = self.text();
        if u32::try_from(text.len()).is_err() {
            return None;
        }
        let index = self.non_han.get_or_init(|| non_han_index(text));
        let from = index.at.partition_point(|&i| (i as usize) < base);
        Some((&index.at[from..], &index.classes[from..]))
    }

    /// A reader of the index for pieces taken in document order (see [`NonHanCursor`]).
    pub fn non_han_cursor(&self) -> NonHanCursor<'_> {
        let (at, classes) = self.non_han_from(0, self.text()).unwrap_or((&[], &[]));
        NonHanCursor {
            at,
            classes,
            read_to: 0,
            indexed: u32::try_from(self.text().len()).is_ok(),
        }
    }

    pub fn text(&self) -> &str {
        self.source.text()
    }

    /// The text of a paragraph's full range.
    pub fn para_text(&self, p: &Paragraph) -> &str {
        &self.source.text()[p.range.clone()]
    }

    /// The prose pieces of a paragraph with their byte offsets.
    pub fn prose<'a>(&'a self, p: &'a Paragraph) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        p.pieces
            .iter()
            .map(move |r| (r.start, &self.source.text()[r.clone()]))
    }

    /// The byte ranges (in the document) of a paragraph's text inside quotation and title marks:
    /// see [`quotes`].
    pub fn quoted(&self, p: &Paragraph) -> Vec<Range<usize>> {
        let at = p.range.start;
        quotes::spans(self.para_text(p))
            .into_iter()
            .map(|r| at + r.start..at + r.end)
            .collect()
    }

    /// Every prose piece of the document, in order.
    pub fn all_prose(&self) -> impl Iterator<Item = (&Paragraph, usize, &str)> + '_ {
        self.paragraphs
            .iter()
            .flat_map(move |p| self.prose(p).map(move |(o, s)| (p, o, s)))
    }
}

/// The classes of non-Han characters that [`Document::non_han_in`] selects by. A character may
/// be in several (`,` is [`ASCII_MARK`](class::ASCII_MARK) and
/// [`ASCII_OTHER`](class::ASCII_OTHER)); every one is in at least one.
pub mod class {
    /// A–Z, a–z.
    pub const ASCII_LETTER: u8 = 1;
    /// 0–9.
    pub const ASCII_DIGIT: u8 = 2;
    /// Every other ASCII character: white space, marks, controls.
    pub const ASCII_OTHER: u8 = 4;
    /// U+0080–U+04FF: Latin-1, Latin Extended, IPA, Greek, Cyrillic.
    pub const LATIN_EXT: u8 = 8;
    /// The ASCII marks that have a full-width form in Chinese copy: , ; : ? ! ( ).
    pub const ASCII_MARK: u8 = 16;
    /// Quotation marks and brackets: ( ) U+2018–U+201F (‘’“” …), U+3008–U+301F (《》【】「」
    /// …), U+FF08 U+FF09 （）.
    pub const PAIRED: u8 = 32;
    /// Full-width letters and digits: Ａ–Ｚ, ａ–ｚ, ０–９.
    pub const WIDE_ALNUM: u8 = 64;
    /// Everything else: CJK marks (，。、), U+3000, other scripts and symbols, rarer ideographs.
    pub const OTHER: u8 = 128;

    /// The classes of a character outside U+4000–U+9FFF (`tests::classes_by_example`).
    #[inline]
    pub const fn of(c: char) -> u8 {
        let u = c as u32;
        match u {
            0x41..=0x5A | 0x61..=0x7A => ASCII_LETTER,
            0x30..=0x39 => ASCII_DIGIT,
            0x28 | 0x29 => ASCII_OTHER | ASCII_MARK | PAIRED,
            0x21 | 0x2C | 0x3A | 0x3B | 0x3F => ASCII_OTHER | ASCII_MARK,
            0x00..=0x7F => ASCII_OTHER,
            0x80..=0x4FF => LATIN_EXT,
            0x2018..=0x201F | 0x3008..=0x301F | 0xFF08 | 0xFF09 => PAIRED,
            0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => WIDE_ALNUM,
            _ => OTHER,
        }
    }

    /// [`of`] for each ASCII character.
    pub(super) static ASCII: [u8; 128] = {
        let mut t = [0u8; 128];
        let mut b = 0;
        while b < 128 {
            t[b] = of(b as u8 as char);
            b += 1;
        }
        t
    };
}

/// The document's index of non-Han characters: the offset of each (4 bytes) and its
/// [`class`] (1 byte), in order.
#[derive(Debug, Default)]
struct NonHanIndex {
    at: Vec<u32>,
    classes: Vec<u8>,
}

/// [`NonHanIndex::build`], timed.
fn non_han_index(text: &str) -> NonHanIndex {
    let t = crate::timings::start();
    let index = NonHanIndex::build(text);
    crate::timings::nested("model: non-Han characters", t);
    index
}

impl NonHanIndex {
    /// The offsets of `text::non_han(text)` and their classes (`tests::index_is_non_han`).
    /// `text` is under 4 GiB.
    ///
    /// Sixteen bytes at a time on x86_64: one SSE2 comparison tells every byte that starts a
    /// character (ASCII or a lead byte, not a continuation byte) and is no Han lead byte
    /// (0xE4–0xE9), and only those positions are visited, so a run of Han text costs a few
    /// instructions per five characters. (Finding them eight bytes at a time as bits of a
    /// general-purpose word took twice the instructions of the byte walk that remains for
    /// other targets and for the last bytes.)
    fn build(text: &str) -> NonHanIndex {
        let b = text.as_bytes();
        // News copy is ~15 % non-Han characters, ~20 bytes a character apart.
        let mut index = NonHanIndex {
            at: Vec::with_capacity(b.len() / 16),
            classes: Vec::with_capacity(b.len() / 16),
        };
        let mut q = 0;
        #[cfg(target_arch = "x86_64")]
        while q + 16 <= b.len() {
            // SAFETY: SSE2 is part of the x86_64 baseline; the 16 bytes from `q` are in `b`.
            let mut m = unsafe { non_han_starts_sse2(b.as_ptr().add(q)) };
            while m != 0 {
                index.push(text, q + m.trailing_zeros() as usize);
                m &= m - 1;
            }
            q += 16;
        }
        // The rest byte by byte, by the same test (a byte's value says whether it starts a
        // character, wherever the chunks fell).
        for (i, &x) in b.iter().enumerate().skip(q) {
            if !(0x80..0xC0).contains(&x) && !text::is_han_lead(x) {
                index.push(text, i);
            }
        }
        index.at.shrink_to_fit();
        index.classes.shrink_to_fit();
        index
    }

    /// The entry of the character that starts at byte `i`, not a Han character.
    #[inline(always)]
    fn push(&mut self, text: &str, i: usize) {
        let lead = text.as_bytes()[i];
        self.at.push(i as u32);
        self.classes.push(if lead < 0x80 {
            class::ASCII[usize::from(lead)]
        } else {
            class::of(decode_at(text, i))
        });
    }
}

/// Bit `k` set when byte `k` of the 16 at `p` starts a character that is not Han: ASCII
/// (0x00–0x7F) or a lead byte (0xC0–0xFF) other than 0xE4–0xE9. As signed bytes: starts are
/// those above -65 (0xBF), Han leads those from -28 (0xE4) to -23 (0xE9).
///
/// # Safety
/// The 16 bytes from `p` must be readable.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn non_han_starts_sse2(p: *const u8) -> u32 {
    use std::arch::x86_64::*;
    // SAFETY: the caller guarantees 16 readable bytes; the load is unaligned.
    unsafe {
        let x = _mm_loadu_si128(p.cast());
        let starts = _mm_cmpgt_epi8(x, _mm_set1_epi8(-65));
        let han = _mm_and_si128(
            _mm_cmpgt_epi8(x, _mm_set1_epi8(-29)),
            _mm_cmplt_epi8(x, _mm_set1_epi8(-22)),
        );
        _mm_movemask_epi8(_mm_andnot_si128(han, starts)) as u32
    }
}

/// The character that starts at byte `i` of `text` (`i` starts a character: the index was
/// built from the text).
#[inline(always)]
fn decode_at(text: &str, i: usize) -> char {
    let lead = text.as_bytes()[i];
    if lead < 0x80 {
        return char::from(lead);
    }
    text[i..]
        .chars()
        .next()
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// See [`Document::non_han`].
pub enum NonHan<'a> {
    Indexed {
        /// The offsets (in the document) of the characters still to come, to the end of the
        /// document.
        at: std::slice::Iter<'a, u32>,
        /// The document's text, where each character is decoded.
        text: &'a str,
        base: usize,
        end: usize,
    },
    Walk(text::NonHan<'a>),
}

impl Iterator for NonHan<'_> {
    type Item = (usize, char);

    #[inline(always)]
    fn next(&mut self) -> Option<(usize, char)> {
        match self {
            NonHan::Indexed {
                at,
                text,
                base,
                end,
            } => {
                let i = *at.next()? as usize;
                if i >= *end {
                    return None;
                }
                Some((i - *base, decode_at(text, i)))
            }
            NonHan::Walk(w) => w.next(),
        }
    }
}

/// See [`Document::non_han_in`].
/// The index of non-Han characters read piece after piece, in document order: one pass over
/// the entries for the whole document instead of one search a piece ([`Document::non_han`]).
pub struct NonHanCursor<'a> {
    /// The entries not passed yet, and their classes.
    at: &'a [u32],
    classes: &'a [u8],
    /// The end of the last piece read.
    read_to: usize,
    /// False for a text over 4 GiB, which has no index.
    indexed: bool,
}

impl<'a> NonHanCursor<'a> {
    /// The entries (offsets in the document, classes) from the first at or after byte `base`
    /// to the end of the document, for the piece from `base` to `end`: the caller reads them up
    /// to `end` and hands back how many it read ([`NonHanCursor::advance`]), so that no entry
    /// is read twice. `None` for a piece that starts before the end of one already read, or
    /// when the document has no index: the caller reads that piece with
    /// [`Document::non_han_in`].
    #[inline]
    pub fn piece(&mut self, base: usize, end: usize) -> Option<(&'a [u32], &'a [u8])> {
        if !self.indexed || base < self.read_to {
            return None;
        }
        self.read_to = end;
        let n = self.at.len().min(self.classes.len());
        // The entries between the last piece and this one (few): stepped over.
        let mut from = 0;
        while from < n && (self.at[from] as usize) < base {
            from += 1;
        }
        (self.at, self.classes) = (&self.at[from..n], &self.classes[from..n]);
        Some((self.at, self.classes))
    }

    /// Passes over the first `k` entries that [`NonHanCursor::piece`] gave: those its piece read.
    #[inline]
    pub fn advance(&mut self, k: usize) {
        let k = k.min(self.at.len());
        (self.at, self.classes) = (&self.at[k..], &self.classes[k..]);
    }
}

pub enum NonHanIn<'a> {
    Indexed {
        /// The offsets still to come, to the end of the document.
        at: &'a [u32],
        /// The classes of the entries of `at`.
        classes: &'a [u8],
        mask: u8,
        text: &'a str,
        base: usize,
        end: usize,
    },
    Walk(text::NonHan<'a>, u8),
}

impl<'a> NonHanIn<'a> {
    /// The next character of the mask's classes that `pick` makes something of, with its offset
    /// in the piece `s` this iterator was made for. `pick` gets bytes and an offset in them: the
    /// document's text and the character's offset in it when indexed (so a pick that reads only
    /// a byte or two decodes nothing, and entries of other classes are passed over on their
    /// class bytes), else `s` and the offset in it.
    #[inline(always)]
    pub(crate) fn next_picked<T>(
        &mut self,
        s: &str,
        pick: impl Fn(&[u8], usize) -> Option<T>,
    ) -> Option<(usize, T)> {
        match self {
            NonHanIn::Indexed {
                at,
                classes,
                mask,
                text,
                base,
                end,
            } => {
                let (m, e) = (*mask, *end);
                let n = at.len().min(classes.len());
                // The entries run on past `s`: stop at its end, not at the next match.
                let mut k = 0;
                while k < n {
                    let i = at[k] as usize;
                    if i >= e {
                        break;
                    }
                    if classes[k] & m != 0 {
                        if let Some(x) = pick(text.as_bytes(), i) {
                            *at = &at[k + 1..];
                            *classes = &classes[k + 1..];
                            return Some((i - *base, x));
                        }
                    }
                    k += 1;
                }
                *at = &[];
                *classes = &[];
                None
            }
            NonHanIn::Walk(w, mask) => {
                let m = *mask;
                w.filter(|&(_, c)| class::of(c) & m != 0)
                    .find_map(|(i, _)| pick(s.as_bytes(), i).map(|x| (i, x)))
            }
        }
    }
}

impl Iterator for NonHanIn<'_> {
    type Item = (usize, char);

    #[inline(always)]
    fn next(&mut self) -> Option<(usize, char)> {
        match self {
            NonHanIn::Indexed { text, .. } => {
                let t = *text;
                self.next_picked("", |_, i| Some(decode_at(t, i)))
            }
            NonHanIn::Walk(w, mask) => {
                let m = *mask;
                w.find(|&(_, c)| class::of(c) & m != 0)
            }
        }
    }
}

pub(crate) fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start_matches(text::is_space).len();
    let trail = s.len() - s.trim_end_matches(text::is_space).len();
    if lead == s.len() {
        return r.start..r.start;
    }
    r.start + lead..r.end - trail
}

fn plain_paragraphs(src: &SourceFile) -> Vec<Paragraph> {
    let text = src.text();
    let mut out = Vec::new();
    let mut blanks = 0;
    for i in 0..src.line_count() {
        let line = src.line_range(i);
        let r = trim_range(text, line.clone());
        if r.is_empty() {
            blanks += 1;
            continue;
        }
        // A suppression directive ("#newslint-disable-next-line RULE") is not copy.
        if text[r.clone()].starts_with("#newslint-")
            && directive::is_plain_directive(&text[r.clone()])
        {
            continue;
        }
        let indent = r.start > line.start;
        out.push(Paragraph {
            pieces: Pieces::One(r.clone()),
            range: r,
            zone: Zone::Body,
            block: Block::Line,
            dateline_len: 0,
            article: 0,
            blank_lines_before: to_u32(blanks),
            indent,
            lines: to_u32(i)..to_u32(i + 1),
        });
        blanks = 0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::parse(
            SourceFile::from_text(text.to_string(), false),
            Format::Plain,
        )
    }

    /// A large file's non-Han index, built while its paragraphs are classified, is the walk's.
    #[test]
    fn a_large_file_has_the_same_index() {
        let unit = "新华社北京3月5日电（记者 王宁）GDP增长5.2%，“十四五”规划……\n\n";
        let text = unit.repeat(crate::source::LARGE_FILE_BYTES / unit.len() + 1);
        let d = doc(&text);
        assert!(d.non_han.get().is_some(), "built with the paragraphs");
        let got: Vec<(usize, char)> = d.non_han(0, &text).collect();
        let want: Vec<(usize, char)> = text::non_han(&text).collect();
        assert_eq!(got, want);
        let small = doc(unit);
        assert!(
            small.non_han.get().is_none(),
            "a small file's is built on first use"
        );
        assert_eq!(d.paragraphs.len(), text.matches("\n\n").count());
    }

    #[test]
    fn classes_by_example() {
        use class::*;
        for (c, want) in [
            ('a', ASCII_LETTER),
            ('Z', ASCII_LETTER),
            ('7', ASCII_DIGIT),
            (' ', ASCII_OTHER),
            ('.', ASCII_OTHER),
            (',', ASCII_OTHER | ASCII_MARK),
            ('!', ASCII_OTHER | ASCII_MARK),
            ('(', ASCII_OTHER | ASCII_MARK | PAIRED),
            (')', ASCII_OTHER | ASCII_MARK | PAIRED),
            ('é', LATIN_EXT),
            ('о', LATIN_EXT),
            ('Ο', LATIN_EXT),
            ('“', PAIRED),
            ('’', PAIRED),
            ('《', PAIRED),
            ('】', PAIRED),
            ('（', PAIRED),
            ('）', PAIRED),
            ('Ａ', WIDE_ALNUM),
            ('ｚ', WIDE_ALNUM),
            ('０', WIDE_ALNUM),
            ('，', OTHER),
            ('。', OTHER),
            ('\u{3000}', OTHER),
            ('〇', OTHER),
            ('𠀀', OTHER),
            ('—', OTHER),
        ] {
            assert_eq!(class::of(c), want, "{c:?}");
        }
    }

    /// Mostly Han (runs long enough to fill whole words of the index's scan), broken by
    /// characters of every UTF-8 width and of every class, at every alignment.
    fn page(picks: &[usize]) -> String {
        // 鿿 U+9FFF and 丂 U+4E02 (lead bytes E9, E4) are Han; 㐀 U+3400 and ꀀ U+A000 (E3,
        // EA) are not.
        const ALPHABET: [char; 23] = [
            '中', '文', '社', '鿿', '丂', '〇', '㐀', 'ꀀ', '，', '“', '》', 'a', '7', ' ', ',',
            '(', 'é', 'Ａ', '０', '𠀀', '\u{3000}', '·', '\n',
        ];
        picks
            .iter()
            .map(|&k| ALPHABET[if k < 20 { k % 5 } else { k - 15 }])
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn index_is_non_han(picks in proptest::collection::vec(0usize..38, 0..120)) {
            let s = page(&picks);
            let index = NonHanIndex::build(&s);
            let want: Vec<(usize, char)> = text::non_han(&s).collect();
            let at: Vec<usize> = index.at.iter().map(|&i| i as usize).collect();
            proptest::prop_assert_eq!(at, want.iter().map(|&(i, _)| i).collect::<Vec<_>>());
            let classes: Vec<u8> = want.iter().map(|&(_, c)| class::of(c)).collect();
            proptest::prop_assert_eq!(&index.classes, &classes);
            proptest::prop_assert!(classes.iter().all(|&c| c != 0));
        }

        /// The cursor gives each piece, taken in order (with gaps), the entries walked from it, and
        /// refuses a piece that starts before the end of the last one read.
        #[test]
        fn cursor_pieces_are_the_walk(
            picks in proptest::collection::vec(0usize..38, 0..80),
            cuts in proptest::collection::vec(0usize..100, 0..12),
        ) {
            let s = page(&picks);
            let d = doc(&s);
            let t = d.text();
            let bounds: Vec<usize> =
                t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            let mut at: Vec<usize> = cuts.iter().map(|&c| bounds[c % bounds.len()]).collect();
            at.sort_unstable();
            let mut cursor = d.non_han_cursor();
            for w in at.windows(2) {
                let (base, end) = (w[0], w[1]);
                let (offsets, classes) = cursor.piece(base, end).expect("in order");
                let k = offsets.iter().take_while(|&&i| (i as usize) < end).count();
                let (offsets, classes) = (&offsets[..k], &classes[..k]);
                cursor.advance(k);
                let want: Vec<(usize, char)> =
                    text::non_han(&t[base..end]).map(|(i, c)| (i + base, c)).collect();
                let got: Vec<usize> = offsets.iter().map(|&i| i as usize).collect();
                proptest::prop_assert_eq!(got, want.iter().map(|&(i, _)| i).collect::<Vec<_>>());
                let want_classes: Vec<u8> = want.iter().map(|&(_, c)| class::of(c)).collect();
                proptest::prop_assert_eq!(classes, &want_classes[..]);
                if base < end {
                    proptest::prop_assert!(cursor.piece(base, end).is_none());
                }
            }
        }

        /// Every piece (here: every line and every slice between two character boundaries) reads
        /// the same from the index as walked, filtered by any mask.
        #[test]
        fn lookups_are_the_walk(
            picks in proptest::collection::vec(0usize..38, 0..80),
            cut in (0usize..100, 0usize..100),
            mask in 0u8..=255,
        ) {
            let s = page(&picks);
            let d = doc(&s);
            let t = d.text();
            let bounds: Vec<usize> =
                t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            let (x, y) = (bounds[cut.0 % bounds.len()], bounds[cut.1 % bounds.len()]);
            let (lo, hi) = (x.min(y), x.max(y));
            let piece = &t[lo..hi];
            let walk: Vec<(usize, char)> = text::non_han(piece).collect();
            proptest::prop_assert_eq!(d.non_han(lo, piece).collect::<Vec<_>>(), walk.clone());
            let filtered: Vec<(usize, char)> = walk
                .iter()
                .copied()
                .filter(|&(_, c)| class::of(c) & mask != 0)
                .collect();
            proptest::prop_assert_eq!(d.non_han_in(lo, piece, mask).collect::<Vec<_>>(), filtered.clone());
            proptest::prop_assert_eq!(d.has_non_han_in(lo, piece, mask), !filtered.is_empty());
            let walked: Vec<(usize, char)> =
                NonHanIn::Walk(text::non_han(piece), mask).collect();
            proptest::prop_assert_eq!(walked, filtered);
        }
    }
}
