//! Markdown files as paragraphs (pulldown-cmark): headings, paragraphs, list items and table
//! cells; only text runs are prose.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::{trim_range, Block, Paragraph, Zone};
use crate::source::SourceFile;

pub(super) fn markdown_paragraphs(src: &SourceFile) -> Vec<Paragraph> {
    let text = src.text();
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut out: Vec<Paragraph> = Vec::new();
    let mut current: Option<(Block, Vec<Range<usize>>)> = None;
    // Depth of constructs whose text is not prose (code, HTML, metadata, autolinks, images).
    let mut hidden = 0usize;

    fn flush(out: &mut Vec<Paragraph>, cur: &mut Option<(Block, Vec<Range<usize>>)>, text: &str) {
        let Some((block, pieces)) = cur.take() else {
            return;
        };
        // Merge touching runs and trim the outer white space.
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in pieces {
            match merged.last_mut() {
                Some(last) if last.end == r.start => last.end = r.end,
                _ => merged.push(r),
            }
        }
        let mut merged: Vec<Range<usize>> = merged
            .into_iter()
            .map(|r| trim_range(text, r))
            .filter(|r| !r.is_empty())
            .collect();
        if merged.is_empty() {
            return;
        }
        merged.sort_by_key(|r| r.start);
        let range = merged[0].start..merged[merged.len() - 1].end;
        out.push(Paragraph {
            range,
            pieces: merged.into(),
            zone: Zone::Body,
            block,
            dateline_len: 0,
            article: 0,
            blank_lines_before: 0,
            indent: false,
            lines: 0..0,
        });
    }

    for (event, range) in Parser::new_ext(text, opts).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::Heading { level, .. } => {
                    flush(&mut out, &mut current, text);
                    current = Some((Block::Heading(level as u8), Vec::new()));
                }
                // A loose list item's paragraph continues the item's block.
                Tag::Paragraph if matches!(&current, Some((Block::ListItem, p)) if p.is_empty()) => {
                }
                Tag::Paragraph => {
                    flush(&mut out, &mut current, text);
                    current = Some((Block::Paragraph, Vec::new()));
                }
                Tag::Item => {
                    flush(&mut out, &mut current, text);
                    current = Some((Block::ListItem, Vec::new()));
                }
                Tag::TableCell => {
                    flush(&mut out, &mut current, text);
                    current = Some((Block::TableCell, Vec::new()));
                }
                Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) | Tag::Image { .. } => {
                    hidden += 1
                }
                Tag::Link {
                    link_type: LinkType::Autolink | LinkType::Email,
                    ..
                } => hidden += 1,
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell => {
                    flush(&mut out, &mut current, text)
                }
                TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::MetadataBlock(_)
                | TagEnd::Image => hidden = hidden.saturating_sub(1),
                TagEnd::Link => {
                    // Only autolinks were counted; their End carries no type, so track by range.
                    let s = &text[range.clone()];
                    if s.starts_with('<') && s.ends_with('>') {
                        hidden = hidden.saturating_sub(1);
                    }
                }
                _ => {}
            },
            Event::Text(_) | Event::SoftBreak | Event::HardBreak if hidden == 0 => {
                // Text in a block we do not track (e.g. a tight list inside a quote) still counts.
                current
                    .get_or_insert_with(|| (Block::Paragraph, Vec::new()))
                    .1
                    .push(range);
            }
            _ => {}
        }
    }
    flush(&mut out, &mut current, text);

    // Line numbers and blank-line gaps from the source.
    let mut prev_line: Option<usize> = None;
    for p in &mut out {
        let first = src.line_index(p.range.start);
        let last = src.line_index(p.range.end.saturating_sub(1).max(p.range.start));
        p.lines = super::to_u32(first)..super::to_u32(last + 1);
        p.blank_lines_before = super::to_u32(match prev_line {
            None => first,
            Some(prev) => (prev + 1..first)
                .filter(|&l| src.line_range(l).is_empty())
                .count(),
        });
        prev_line = Some(last);
    }
    out
}
