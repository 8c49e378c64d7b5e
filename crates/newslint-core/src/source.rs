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
    pub line: u32,
    pub column: u32,
}

impl Position {
    /// The position at 1-based `line` and `column`. Each is held in 32 bits (a finding carries
    /// four of them); a value past `u32::MAX`, only in a file of more than 4 GiB, is held as
    /// `u32::MAX` (what a report shows there; byte ranges stay exact).
    pub fn new(line: usize, column: usize) -> Position {
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Position {
            line: at(line),
            column: at(column),
        }
    }
}

/// The character encodings newslint reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// GBK: what legacy CMS exports mostly are. Written back without four-byte sequences.
    Gbk,
    /// GB18030: GBK plus four-byte sequences for the rest of Unicode.
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gbk => "GBK",
            Encoding::Gb18030 => "GB18030",
        }
    }

    /// Parse a name from `--encoding` or `[files] encoding`; `auto` is `None`.
    pub fn parse(s: &str) -> Result<Option<Encoding>, String> {
        Ok(Some(
            match s.to_ascii_lowercase().replace('_', "-").as_str() {
                "auto" => return Ok(None),
                "utf-8" | "utf8" => Encoding::Utf8,
                "utf-16le" | "utf16le" => Encoding::Utf16Le,
                "utf-16be" | "utf16be" => Encoding::Utf16Be,
                "gbk" | "gb2312" | "cp936" => Encoding::Gbk,
                "gb18030" => Encoding::Gb18030,
                _ => {
                    return Err(format!(
                        "未知的编码 `{s}`：可用 auto、utf-8、utf-16le、utf-16be、gbk、gb18030"
                    ))
                }
            },
        ))
    }
}

/// Why a file could not be read as text.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// Not valid UTF-8 and not GB18030 either: the byte offset of the first invalid UTF-8.
    NotUtf8 {
        offset: usize,
    },
    /// Not valid in the encoding forced with `--encoding`.
    NotEncoding(Encoding),
    /// Contains NUL bytes: almost certainly a binary file.
    Binary,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "无法读取文件：{e}"),
            ReadError::NotUtf8 { offset } => write!(
                f,
                "文件既不是有效的 UTF-8（第 {offset} 字节起无法解码），也不是 GB18030/GBK 文本；用 --encoding 指定编码，或先转换为 UTF-8"
            ),
            ReadError::NotEncoding(e) => {
                write!(f, "文件不是有效的 {} 文本（--encoding 或 [files] encoding 指定的编码）", e.name())
            }
            ReadError::Binary => write!(f, "文件含 NUL 字节，看来是二进制文件，已跳过"),
        }
    }
}

/// A decoded text file with its line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    text: String,
    bom: bool,
    encoding: Encoding,
    line_ending: LineEnding,
    /// Byte offset of the start of every line (the first is 0).
    line_starts: LineStarts,
    /// Characters before every `CHAR_BLOCK`-th byte, built on first use: columns on a 10 MB
    /// line cost a block's scan, not the line's.
    char_blocks: std::sync::OnceLock<Vec<usize>>,
}

/// The line index: u32 offsets (half the memory: 6.5 MB on a 100 MB file) for texts under
/// 4 GiB, `usize` beyond.
#[derive(Debug, Clone)]
enum LineStarts {
    Small(Vec<u32>),
    Large(Vec<usize>),
}

impl LineStarts {
    fn len(&self) -> usize {
        match self {
            LineStarts::Small(v) => v.len(),
            LineStarts::Large(v) => v.len(),
        }
    }

    #[inline]
    fn get(&self, i: usize) -> Option<usize> {
        match self {
            LineStarts::Small(v) => v.get(i).map(|&x| x as usize),
            LineStarts::Large(v) => v.get(i).copied(),
        }
    }

    /// The start of line `i`, which must exist.
    #[inline]
    fn at(&self, i: usize) -> usize {
        match self {
            LineStarts::Small(v) => v[i] as usize,
            LineStarts::Large(v) => v[i],
        }
    }

    /// As `slice::binary_search` of the offsets.
    fn binary_search(&self, offset: usize) -> Result<usize, usize> {
        match self {
            LineStarts::Small(v) => match u32::try_from(offset) {
                Ok(o) => v.binary_search(&o),
                // Past every start.
                Err(_) => Err(v.len()),
            },
            LineStarts::Large(v) => v.binary_search(&offset),
        }
    }
}

/// Bytes per entry of [`SourceFile::char_blocks`].
const CHAR_BLOCK: usize = 4096;

/// `String::from_utf8`, validated with SIMD: most files are valid UTF-8 and mostly Han, where
/// the standard library's validator (fast on ASCII) reads about 0.6 GB/s and `simdutf8` over
/// 10 GB/s. Invalid input goes through the standard library for its error (the offset).
/// From this size on, a file is large: its work is shared between the cores (its lines indexed
/// while it is validated, its non-Han index built while it is parsed, its rules run in
/// parallel, see `lint::PARALLEL_RULES_BYTES`); below it the files of a run keep the workers
/// busy, and a file's own work is too short to share out.
pub const LARGE_FILE_BYTES: usize = 4 << 20;

fn utf8_string(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: `simdutf8` has just validated `bytes` as UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    }
}

fn count_chars(b: &[u8]) -> usize {
    b.iter().filter(|&&x| (x & 0xC0) != 0x80).count()
}

impl SourceFile {
    /// Read and decode a file from disk, detecting its encoding.
    pub fn read(path: &Path) -> Result<SourceFile, ReadError> {
        SourceFile::read_as(path, None)
    }

    /// Read and decode a file from disk in `encoding` (`None`: detect).
    pub fn read_as(path: &Path, encoding: Option<Encoding>) -> Result<SourceFile, ReadError> {
        let bytes = std::fs::read(path).map_err(ReadError::Io)?;
        SourceFile::decode(bytes, encoding)
    }

    /// Decode raw bytes, detecting the encoding.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<SourceFile, ReadError> {
        SourceFile::decode(bytes, None)
    }

    /// Decode raw bytes. Detection, when `encoding` is `None`:
    /// 1. a byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE);
    /// 2. otherwise NUL bytes mean a binary file;
    /// 3. valid UTF-8 is UTF-8;
    /// 4. otherwise text that decodes as GB18030 without error is GBK when every character
    ///    fits GBK, GB18030 when it does not;
    /// 5. otherwise the file cannot be read.
    pub fn decode(bytes: Vec<u8>, encoding: Option<Encoding>) -> Result<SourceFile, ReadError> {
        let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
            Some(Encoding::Utf8)
        } else if bytes.starts_with(b"\xFF\xFE") {
            Some(Encoding::Utf16Le)
        } else if bytes.starts_with(b"\xFE\xFF") {
            Some(Encoding::Utf16Be)
        } else {
            None
        };
        let enc = match (encoding, bom) {
            (Some(e), _) => e,
            (None, Some(b)) => b,
            (None, None) => {
                let check = |b: &[u8]| {
                    if memchr::memchr(0, b).is_some() {
                        Err(ReadError::Binary)
                    } else {
                        Ok(simdutf8::basic::from_utf8(b).is_ok())
                    }
                };
                // A large file's lines are indexed on a second core while its bytes are checked
                // (the index is of bytes: it holds for the text when they are UTF-8).
                let (valid, lines) = if bytes.len() >= LARGE_FILE_BYTES {
                    let (v, l) = rayon::join(|| check(&bytes), || index_lines(&bytes));
                    (v?, Some(l))
                } else {
                    (check(&bytes)?, None)
                };
                if valid {
                    // Valid UTF-8 (the usual case) becomes the text as it is: one validation, no
                    // copy.
                    // SAFETY: `simdutf8` has just validated `bytes` as UTF-8.
                    let text = unsafe { String::from_utf8_unchecked(bytes) };
                    let lines = lines.unwrap_or_else(|| index_lines(text.as_bytes()));
                    return Ok(SourceFile::with_lines(text, false, Encoding::Utf8, lines));
                }
                match String::from_utf8(bytes) {
                    Ok(text) => return Ok(SourceFile::from_text_in(text, false, Encoding::Utf8)),
                    Err(e) => {
                        let offset = e.utf8_error().valid_up_to();
                        let bytes = e.into_bytes();
                        let (text, had_errors) =
                            encoding_rs::GB18030.decode_without_bom_handling(&bytes);
                        if had_errors {
                            return Err(ReadError::NotUtf8 { offset });
                        }
                        let unmappable = encoding_rs::GBK.encode(&text).2;
                        let enc = if unmappable {
                            Encoding::Gb18030
                        } else {
                            Encoding::Gbk
                        };
                        return Ok(SourceFile::from_text_in(text.into_owned(), false, enc));
                    }
                }
            }
        };
        let has_bom = bom == Some(enc);
        let body = match (has_bom, enc) {
            (true, Encoding::Utf8) => &bytes[3..],
            (true, _) => &bytes[2..],
            (false, _) => &bytes[..],
        };
        let text = match enc {
            Encoding::Utf8 => {
                if encoding.is_none() && memchr::memchr(0, body).is_some() {
                    return Err(ReadError::Binary);
                }
                utf8_string(body.to_vec()).map_err(|e| {
                    if encoding.is_some() {
                        ReadError::NotEncoding(enc)
                    } else {
                        let skipped = if has_bom { 3 } else { 0 };
                        ReadError::NotUtf8 {
                            offset: e.utf8_error().valid_up_to() + skipped,
                        }
                    }
                })?
            }
            Encoding::Utf16Le | Encoding::Utf16Be => {
                if body.len() % 2 != 0 {
                    return Err(ReadError::NotEncoding(enc));
                }
                let le = enc == Encoding::Utf16Le;
                let units: Vec<u16> = body
                    .chunks_exact(2)
                    .map(|c| {
                        if le {
                            u16::from_le_bytes([c[0], c[1]])
                        } else {
                            u16::from_be_bytes([c[0], c[1]])
                        }
                    })
                    .collect();
                String::from_utf16(&units).map_err(|_| ReadError::NotEncoding(enc))?
            }
            Encoding::Gbk | Encoding::Gb18030 => {
                let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(body);
                if had_errors {
                    return Err(ReadError::NotEncoding(enc));
                }
                text.into_owned()
            }
        };
        Ok(SourceFile::from_text_in(text, has_bom, enc))
    }

    /// Build from text already decoded (tests, stdin): UTF-8.
    pub fn from_text(text: String, bom: bool) -> SourceFile {
        SourceFile::from_text_in(text, bom, Encoding::Utf8)
    }

    fn from_text_in(text: String, bom: bool, encoding: Encoding) -> SourceFile {
        let lines = index_lines(text.as_bytes());
        SourceFile::with_lines(text, bom, encoding, lines)
    }

    /// [`SourceFile::from_text_in`] with the lines of `text` already indexed.
    fn with_lines(
        text: String,
        bom: bool,
        encoding: Encoding,
        (line_starts, line_ending): (LineStarts, LineEnding),
    ) -> SourceFile {
        SourceFile {
            text,
            bom,
            encoding,
            line_ending,
            line_starts,
            char_blocks: std::sync::OnceLock::new(),
        }
    }

    /// The encoding the file was read in; fixes write it back in the same one.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The same file with new text (after fixes): BOM and line-ending style carried over.
    pub fn with_text(&self, text: String) -> SourceFile {
        SourceFile::from_text_in(text, self.bom, self.encoding)
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
        match self.line_starts.binary_search(offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of 0-based line `idx`, without its terminator.
    pub fn line_range(&self, idx: usize) -> Range<usize> {
        let start = self.line_starts.at(idx);
        let mut end = self.line_starts.get(idx + 1).unwrap_or(self.text.len());
        let b = self.text.as_bytes();
        if end > start && b[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// The number of characters that start before byte `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let b = self.text.as_bytes();
        if offset < CHAR_BLOCK {
            return count_chars(&b[..offset]);
        }
        let blocks = self.char_blocks.get_or_init(|| {
            let mut v = Vec::with_capacity(b.len() / CHAR_BLOCK + 1);
            let mut n = 0;
            v.push(0);
            for chunk in b.chunks(CHAR_BLOCK) {
                n += count_chars(chunk);
                v.push(n);
            }
            v
        });
        let k = offset / CHAR_BLOCK;
        blocks[k] + count_chars(&b[k * CHAR_BLOCK..offset])
    }

    /// `offset` clamped to the text and snapped back to a char boundary.
    fn snap(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The number of characters in `from..to` (both char boundaries, `from <= to`): counted
    /// directly when the stretch is short (the usual case: a column within a paragraph's line),
    /// from the block table when it is long (a 10 MB line), so no position recounts the text
    /// before its line.
    fn chars_between(&self, from: usize, to: usize) -> usize {
        if to - from <= 2 * CHAR_BLOCK {
            // Both ends are char boundaries: the standard library's count of a `str` reads a
            // word at a time (the byte filter of `count_chars` took ~4.5 instructions a byte,
            // a third of a repo-scope finding's cost in `span`).
            self.text[from..to].chars().count()
        } else {
            self.chars_before(to) - self.chars_before(from)
        }
    }

    /// Line and character column of a byte offset (clamped to the text, snapped to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.snap(offset);
        let line = self.line_index(offset);
        let start = self.line_starts.at(line);
        Position::new(line + 1, self.chars_between(start, offset) + 1)
    }

    /// The positions of both ends of `range` (each clamped and snapped as by
    /// [`SourceFile::position`]). An end on the start's line is counted on from the start, so a
    /// span costs about one count of its line up to its end.
    pub fn span(&self, range: &Range<usize>) -> (Position, Position) {
        let from = self.snap(range.start);
        let start = self.position(from);
        let to = self.snap(range.end);
        let line = start.line as usize - 1;
        let next = self.line_starts.get(line + 1).unwrap_or(usize::MAX);
        // `to` on the same line: at or after the line's start, before the next line's.
        let same_line = to >= from && to < next;
        let end = if same_line {
            Position::new(
                start.line as usize,
                start.column as usize + self.chars_between(from, to),
            )
        } else {
            self.position(to)
        };
        (start, end)
    }

    /// Serialize text back to bytes as the file had them: its encoding, its BOM. Fails, naming
    /// the character, when the text holds one the encoding cannot represent.
    pub fn encode(&self, text: &str) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(text.len() + 3);
        match self.encoding {
            Encoding::Utf8 => {
                if self.bom {
                    out.extend_from_slice(b"\xEF\xBB\xBF");
                }
                out.extend_from_slice(text.as_bytes());
            }
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let le = self.encoding == Encoding::Utf16Le;
                if self.bom {
                    out.extend_from_slice(if le { b"\xFF\xFE" } else { b"\xFE\xFF" });
                }
                for u in text.encode_utf16() {
                    out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
                }
            }
            Encoding::Gbk | Encoding::Gb18030 => {
                let gbk = self.encoding == Encoding::Gbk;
                let coder = if gbk {
                    encoding_rs::GBK
                } else {
                    encoding_rs::GB18030
                };
                let (bytes, _, unmappable) = coder.encode(text);
                if unmappable {
                    let bad = text
                        .chars()
                        .find(|c| coder.encode(c.encode_utf8(&mut [0u8; 4])).2);
                    let what = bad.map_or(String::new(), |c| format!("“{c}”"));
                    return Err(format!(
                        "修复后的文字{what}无法用 {} 编码，文件没有改动；可先把文件转换为 UTF-8",
                        self.encoding.name()
                    ));
                }
                out.extend_from_slice(&bytes);
            }
        }
        Ok(out)
    }
}

impl SourceFile {
    /// Byte offsets in the file as it is stored (its encoding, its byte-order mark) of byte
    /// offsets into [`SourceFile::text`], for formats that count the file's own bytes (SARIF's
    /// `byteOffset`). UTF-8 without a BOM is the identity; otherwise the text between
    /// successive offsets is encoded once, so many offsets in a large file cost one pass.
    pub fn file_offsets(&self, offsets: &[usize]) -> Vec<usize> {
        let bom = match (self.bom, self.encoding) {
            (false, _) => 0,
            (true, Encoding::Utf8) => 3,
            (true, _) => 2,
        };
        let mut order: Vec<usize> = (0..offsets.len()).collect();
        order.sort_by_key(|&i| offsets[i]);
        let mut out = vec![0; offsets.len()];
        let (mut at, mut file_at) = (0, bom);
        for i in order {
            let mut to = offsets[i].min(self.text.len());
            while !self.text.is_char_boundary(to) {
                to -= 1;
            }
            let piece = &self.text[at..to];
            file_at += match self.encoding {
                Encoding::Utf8 => piece.len(),
                Encoding::Utf16Le | Encoding::Utf16Be => 2 * piece.encode_utf16().count(),
                Encoding::Gbk => encoding_rs::GBK.encode(piece).0.len(),
                Encoding::Gb18030 => encoding_rs::GB18030.encode(piece).0.len(),
            };
            at = to;
            out[i] = file_at;
        }
        out
    }
}

/// Line starts for LF, CRLF and lone CR terminators, and the first terminator seen.
fn index_lines(text: &[u8]) -> (LineStarts, LineEnding) {
    if u32::try_from(text.len()).is_ok() {
        let (v, e) = index_lines_as(text, |i| i as u32);
        (LineStarts::Small(v), e)
    } else {
        let (v, e) = index_lines_as(text, |i| i);
        (LineStarts::Large(v), e)
    }
}

/// The starts of the lines of `text`, each offset as `at` gives it.
fn index_lines_as<T>(b: &[u8], at: impl Fn(usize) -> T) -> (Vec<T>, LineEnding) {
    let mut starts = Vec::with_capacity(b.len() / 64 + 1);
    starts.push(at(0));
    let mut ending = None;
    let mut skip_lf_at = usize::MAX;
    for i in memchr::memchr2_iter(b'\n', b'\r', b) {
        if b[i] == b'\n' {
            if i == skip_lf_at {
                continue; // the LF of a CRLF
            }
            ending.get_or_insert(LineEnding::Lf);
            starts.push(at(i + 1));
        } else if b.get(i + 1) == Some(&b'\n') {
            ending.get_or_insert(LineEnding::CrLf);
            skip_lf_at = i + 1;
            starts.push(at(i + 2));
        } else {
            ending.get_or_insert(LineEnding::Cr);
            starts.push(at(i + 1));
        }
    }
    // The guess above is twice the lines of a page with blank lines between paragraphs: give
    // back what a large file leaves unused (a small file's few bytes are not worth a copy).
    if starts.capacity() - starts.len() > 4096 {
        starts.shrink_to_fit();
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

    /// The column counted from the start of the text, as the definition says.
    fn naive(s: &SourceFile, offset: usize) -> Position {
        let mut o = offset.min(s.text().len());
        while !s.text().is_char_boundary(o) {
            o -= 1;
        }
        let line = s.line_index(o);
        let before = |x: usize| s.text()[..x].chars().count();
        Position::new(line + 1, before(o) - before(s.line_starts.at(line)) + 1)
    }

    /// A large file's lines are indexed beside its validation: the same index as a small one's,
    /// whatever its line endings; and its errors are still found (a NUL byte, bad UTF-8).
    #[test]
    fn a_large_file_is_indexed_as_a_small_one() {
        let unit = "本报讯（记者 张三）纳入\r\n第二行\n\n第三行\r末行";
        let text = unit.repeat(LARGE_FILE_BYTES / unit.len() + 1);
        assert!(text.len() >= LARGE_FILE_BYTES);
        let large = SourceFile::decode(text.clone().into_bytes(), None).expect("utf-8");
        let small = SourceFile::from_text(text.clone(), false);
        assert_eq!(large.line_count(), small.line_count());
        assert_eq!(large.line_ending(), LineEnding::CrLf);
        for i in (0..large.line_count())
            .step_by(997)
            .chain([large.line_count() - 1])
        {
            assert_eq!(large.line_range(i), small.line_range(i));
        }
        let mut nul = text.clone().into_bytes();
        nul[LARGE_FILE_BYTES / 2] = 0;
        assert!(matches!(
            SourceFile::decode(nul, None),
            Err(ReadError::Binary)
        ));
        // Not UTF-8, but GB18030: decoded, and its lines indexed in the decoded text.
        let (gb, _, _) = encoding_rs::GB18030.encode(&text);
        let gb = SourceFile::decode(gb.into_owned(), None).expect("gb18030");
        assert_eq!(gb.text(), text);
        assert_eq!(gb.line_count(), small.line_count());
    }

    #[test]
    fn positions_and_spans_agree_with_counting_from_the_start() {
        // Short lines, every terminator, and a line longer than the block table's stretch.
        let long = "中a".repeat(3000);
        let text = format!("本报讯(记者)\r\n第二行，\r第三行\n{long}\n\n末行😀x");
        let s = SourceFile::from_text(text.clone(), false);
        let n = text.len();
        let offsets: Vec<usize> = (0..=n + 2).step_by(5).chain([n, n + 5]).collect();
        let want: Vec<Position> = offsets.iter().map(|&o| naive(&s, o)).collect();
        for (i, &a) in offsets.iter().enumerate() {
            assert_eq!(s.position(a), want[i], "position({a})");
            // Spans within a line, across lines, reversed, and longer than the block stretch.
            for j in (i.saturating_sub(3)..(i + 40).min(offsets.len())).chain([offsets.len() - 1]) {
                let b = offsets[j];
                assert_eq!(s.span(&(a..b)), (want[i], want[j]), "span({a}..{b})");
            }
        }
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
        assert_eq!(
            s.encode("中").unwrap(),
            b"\xEF\xBB\xBF\xE4\xB8\xAD".to_vec()
        );
    }

    #[test]
    fn legacy_and_utf16_round_trip() {
        // 中文，测试 in GBK.
        let gbk = b"\xD6\xD0\xCE\xC4\xA3\xAC\xB2\xE2\xCA\xD4".to_vec();
        let s = SourceFile::from_bytes(gbk.clone()).unwrap();
        assert_eq!(s.text(), "中文，测试");
        assert_eq!(s.encoding(), Encoding::Gbk);
        assert_eq!(s.encode(s.text()).unwrap(), gbk);
        assert!(s.encode("中文😀").is_err(), "GBK cannot hold an emoji");
        for (bytes, enc) in [
            (b"\xFF\xFE\x2D\x4E\x0A\x00".to_vec(), Encoding::Utf16Le),
            (b"\xFE\xFF\x4E\x2D\x00\x0A".to_vec(), Encoding::Utf16Be),
        ] {
            let s = SourceFile::from_bytes(bytes.clone()).unwrap();
            assert_eq!((s.text(), s.encoding()), ("中\n", enc));
            assert_eq!(s.encode(s.text()).unwrap(), bytes);
        }
        assert!(matches!(
            SourceFile::decode(b"\xFF\xFF".to_vec(), Some(Encoding::Utf8)),
            Err(ReadError::NotEncoding(Encoding::Utf8))
        ));
    }

    #[test]
    fn file_offsets_count_the_files_own_bytes() {
        // "中,文" in every encoding newslint reads; text offsets 4 (after the comma), 3 (the
        // comma), 0, 7 (the end) and 3 again: out of order and repeated.
        for (bytes, want) in [
            (b"\xE4\xB8\xAD,\xE6\x96\x87".to_vec(), [4, 3, 0, 7, 3]),
            (
                b"\xEF\xBB\xBF\xE4\xB8\xAD,\xE6\x96\x87".to_vec(),
                [7, 6, 3, 10, 6],
            ),
            (b"\xFF\xFE\x2D\x4E,\x00\x87\x65".to_vec(), [6, 4, 2, 8, 4]),
            (b"\xFE\xFF\x4E\x2D\x00,\x65\x87".to_vec(), [6, 4, 2, 8, 4]),
            (b"\xD6\xD0,\xCE\xC4".to_vec(), [3, 2, 0, 5, 2]),
        ] {
            let s = SourceFile::from_bytes(bytes.clone()).unwrap();
            assert_eq!(s.text(), "中,文");
            assert_eq!(s.file_offsets(&[4, 3, 0, 7, 3]), want, "{bytes:?}");
            assert_eq!(want[3], bytes.len());
        }
    }

    #[test]
    fn invalid_utf8_and_binary() {
        assert!(matches!(
            SourceFile::from_bytes(vec![b'a', 0xFF, 0xFF]),
            Err(ReadError::NotUtf8 { offset: 1 })
        ));
        assert!(matches!(
            SourceFile::from_bytes(vec![b'a', 0]),
            Err(ReadError::Binary)
        ));
    }
}
