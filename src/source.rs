//! Reading and decoding a file, and the one place where positions are computed.
//!
//! Every span in newslint is a byte range into [`SourceFile::text`], the decoded UTF-8 text with
//! any byte-order mark removed. Lines and 1-based *character* columns are derived from byte
//! offsets here and nowhere else, so every output format agrees.

use std::ops::Range;
use std::path::Path;

/// The line terminator style a file uses; fixes keep it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
    Cr,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
            LineEnding::Cr => "\r",
        }
    }
}

/// A line/column position: 1-based line, 1-based column counted in Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Why a file could not be read as text.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// Not valid UTF-8: the byte offset of the first invalid sequence.
    NotUtf8 {
        offset: usize,
    },
    /// Contains NUL bytes: almost certainly a binary file.
    Binary,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "无法读取文件：{e}"),
            ReadError::NotUtf8 { offset } => write!(
                f,
                "文件不是有效的 UTF-8 文本（第 {offset} 字节起无法解码）；请先转换为 UTF-8"
            ),
            ReadError::Binary => write!(f, "文件含 NUL 字节，看来是二进制文件，已跳过"),
        }
    }
}

/// A decoded text file with its line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    text: String,
    bom: bool,
    line_ending: LineEnding,
    /// Byte offset of the start of every line (the first is 0).
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Read and decode a file from disk.
    pub fn read(path: &Path) -> Result<SourceFile, ReadError> {
        let bytes = std::fs::read(path).map_err(ReadError::Io)?;
        SourceFile::from_bytes(bytes)
    }

    /// Decode raw bytes (UTF-8, with or without BOM).
    pub fn from_bytes(mut bytes: Vec<u8>) -> Result<SourceFile, ReadError> {
        let bom = bytes.starts_with(b"\xEF\xBB\xBF");
        if bom {
            bytes.drain(..3);
        }
        if memchr_nul(&bytes) {
            return Err(ReadError::Binary);
        }
        let text = String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
            offset: e.utf8_error().valid_up_to() + if bom { 3 } else { 0 },
        })?;
        Ok(SourceFile::from_text(text, bom))
    }

    /// Build from text already decoded (tests, stdin).
    pub fn from_text(text: String, bom: bool) -> SourceFile {
        let (line_starts, line_ending) = index_lines(&text);
        SourceFile {
            text,
            bom,
            line_ending,
            line_starts,
        }
    }

    /// The same file with new text (after fixes): BOM and line-ending style carried over.
    pub fn with_text(&self, text: String) -> SourceFile {
        SourceFile::from_text(text, self.bom)
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn has_bom(&self) -> bool {
        self.bom
    }

    /// The dominant line ending (the first one seen; LF for a one-line file).
    pub fn line_ending(&self) -> LineEnding {
        self.line_ending
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based index of the line containing `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of 0-based line `idx`, without its terminator.
    pub fn line_range(&self, idx: usize) -> Range<usize> {
        let start = self.line_starts[idx];
        let mut end = self
            .line_starts
            .get(idx + 1)
            .copied()
            .unwrap_or(self.text.len());
        let b = self.text.as_bytes();
        if end > start && b[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// Line and character column of a byte offset (clamped to the text, snapped to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// Serialize text back to bytes as the file had them (BOM restored).
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        out.extend_from_slice(text.as_bytes());
        out
    }
}

fn memchr_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

/// Line starts for LF, CRLF and lone CR terminators, and the first terminator seen.
fn index_lines(text: &str) -> (Vec<usize>, LineEnding) {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let mut ending = None;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                ending.get_or_insert(LineEnding::Lf);
                starts.push(i + 1);
            }
            b'\r' => {
                if b.get(i + 1) == Some(&b'\n') {
                    ending.get_or_insert(LineEnding::CrLf);
                    i += 1;
                } else {
                    ending.get_or_insert(LineEnding::Cr);
                }
                starts.push(i + 1);
            }
            _ => {}
        }
        i += 1;
    }
    (starts, ending.unwrap_or(LineEnding::Lf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let s = SourceFile::from_text("本报讯(记者 王培源)纳入".to_string(), false);
        let off = s.text().find('(').unwrap();
        assert_eq!(off, 9);
        assert_eq!(s.position(off), Position { line: 1, column: 4 });
    }

    #[test]
    fn line_endings() {
        for (text, ending) in [
            ("a\nb\nc", LineEnding::Lf),
            ("a\r\nb\r\nc", LineEnding::CrLf),
            ("a\rb\rc", LineEnding::Cr),
        ] {
            let s = SourceFile::from_text(text.to_string(), false);
            assert_eq!(s.line_count(), 3);
            assert_eq!(s.line_ending(), ending);
            assert_eq!(&s.text()[s.line_range(1)], "b");
            let c = s.text().rfind('c').unwrap();
            assert_eq!(s.position(c), Position { line: 3, column: 1 });
        }
    }

    #[test]
    fn bom_is_stripped_and_restored() {
        let s = SourceFile::from_bytes(b"\xEF\xBB\xBF\xE4\xB8\xAD".to_vec()).unwrap();
        assert_eq!(s.text(), "中");
        assert!(s.has_bom());
        assert_eq!(s.encode("中"), b"\xEF\xBB\xBF\xE4\xB8\xAD".to_vec());
    }

    #[test]
    fn invalid_utf8_and_binary() {
        assert!(matches!(
            SourceFile::from_bytes(vec![b'a', 0xFF]),
            Err(ReadError::NotUtf8 { offset: 1 })
        ));
        assert!(matches!(
            SourceFile::from_bytes(vec![b'a', 0]),
            Err(ReadError::Binary)
        ));
    }
}
