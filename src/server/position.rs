//! Byte offsets in a document's UTF-8 text ↔ LSP positions (line, character) in the position
//! encoding negotiated with the client: UTF-16 code units (the protocol's default), UTF-8
//! bytes or UTF-32 code points (Unicode scalar values).
//!
//! Lines are split as LSP splits them: at `\n`, `\r\n` and a lone `\r`. This is independent of
//! the library's own line index (`source.rs`), which counts character columns for the CLI.

use lsp_types::{Position, PositionEncodingKind, Range};

/// The units a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The encoding to use from what the client offers (`general.positionEncodings`, in its
    /// order of preference): UTF-8 when offered (no conversion), then UTF-32, else UTF-16, which
    /// every client must support.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// The start of every line of a text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// 0-based line of `offset`.
    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        }
    }

    /// The byte offset where line `line` starts (the text's end past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// The byte range of line `line` without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1).max(start);
        let b = text.as_bytes();
        if end > start && b.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && b.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// The position of byte `offset` (clamped to the text, and down to a character boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line(offset);
        let start = self.starts[line];
        let character = text[start..offset].chars().map(|c| enc.width(c)).sum();
        Position {
            line: line as u32,
            character,
        }
    }

    pub fn range(&self, text: &str, r: &std::ops::Range<usize>, enc: Encoding) -> Range {
        Range {
            start: self.position(text, r.start, enc),
            end: self.position(text, r.end, enc),
        }
    }

    /// The byte offset of a position. As the protocol says, a `character` past the line's end
    /// means the end of the line, and a line past the last one means the end of the text; a
    /// position inside a character (half a surrogate pair) goes to that character's start.
    pub fn offset(&self, text: &str, p: Position, enc: Encoding) -> usize {
        let line = p.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let r = self.line_range(text, line);
        let mut units = 0u32;
        for (i, c) in text[r.clone()].char_indices() {
            let w = enc.width(c);
            if units + w > p.character {
                return r.start + i;
            }
            units += w;
        }
        r.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn astral_characters_count_two_utf16_units_four_bytes_one_scalar() {
        let text = "标题\r\n😀a(b\n\r末";
        let idx = LineIndex::new(text);
        let at = text.find('(').expect("bracket");
        let p = |enc| idx.position(text, at, enc);
        assert_eq!(p(Encoding::Utf16), Position::new(1, 3));
        assert_eq!(p(Encoding::Utf8), Position::new(1, 5));
        assert_eq!(p(Encoding::Utf32), Position::new(1, 2));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            assert_eq!(idx.offset(text, p(enc), enc), at, "{enc:?}");
        }
        // A lone \r ends a line too: 末 is on line 3 (the empty line 2 between).
        assert_eq!(
            idx.position(text, text.find('末').expect("end"), Encoding::Utf16),
            Position::new(3, 0)
        );
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\n😀\n";
        let idx = LineIndex::new(text);
        // Past the line's end: the end of the line, before its break.
        assert_eq!(idx.offset(text, Position::new(0, 99), Encoding::Utf16), 2);
        // Inside the surrogate pair: the character's start.
        assert_eq!(idx.offset(text, Position::new(1, 1), Encoding::Utf16), 3);
        assert_eq!(
            idx.offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
        // The empty line after the last break.
        assert_eq!(
            idx.position(text, text.len(), Encoding::Utf16),
            Position::new(2, 0)
        );
    }

    #[test]
    fn negotiation_prefers_utf8_then_utf32_and_defaults_to_utf16() {
        use PositionEncodingKind as K;
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(Some(&[K::UTF16])), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[K::UTF16, K::UTF8])),
            Encoding::Utf8
        );
        assert_eq!(
            Encoding::negotiate(Some(&[K::UTF32, K::UTF16])),
            Encoding::Utf32
        );
    }
}
