//! Column layout: a printed paragraph broken into the lines of a newspaper
//! column, with a record of every byte the layout changed.

use std::ops::Range;

use super::truth::{BreakKind, Column, LineBreak, Script};

/// One printed line of a laid-out paragraph.
pub(super) struct Line {
    /// Byte offset in the printed paragraph where the line's text starts.
    pub(super) src: usize,
    /// Byte offsets in the laid-out text: the line's first byte, and one
    /// past its last (a hyphen included, the line break not).
    pub(super) start: usize,
    pub(super) end: usize,
}

/// A printed paragraph as a scan lays it out.
pub(super) struct Laid {
    pub(super) text: String,
    /// Bytes of `text` the layout wrote (line ends, indent), by start.
    pub(super) breaks: Vec<(Range<usize>, BreakKind)>,
    pub(super) lines: Vec<Line>,
}

impl Laid {
    /// A paragraph on one line, as scans not printed in columns have it.
    pub(super) fn single(text: &str) -> Laid {
        Laid {
            text: text.to_string(),
            breaks: Vec::new(),
            lines: vec![Line {
                src: 0,
                start: 0,
                end: text.len(),
            }],
        }
    }

    /// The line end nearest `src` (a byte offset of the printed paragraph)
    /// as a cut: where the first piece ends and the second starts. `None`
    /// for a paragraph of one line.
    pub(super) fn cut_near(&self, src: usize) -> Option<(usize, usize)> {
        let j = (1..self.lines.len()).min_by_key(|&j| self.lines[j].src.abs_diff(src))?;
        Some((self.lines[j - 1].end, self.lines[j].start))
    }

    /// The layout records of the bytes `slice`, shifted so that the slice
    /// starts at `at`. A line end the slice cuts off keeps its bytes inside
    /// the slice; a [`BreakKind::Space`] keeps an empty range.
    pub(super) fn breaks_in(
        &self,
        slice: Range<usize>,
        at: usize,
    ) -> impl Iterator<Item = LineBreak> + '_ {
        self.breaks.iter().filter_map(move |(r, kind)| {
            if r.start < slice.start || r.start > slice.end {
                return None;
            }
            let end = r.end.min(slice.end);
            if end == r.start && *kind != BreakKind::Space {
                return None;
            }
            Some(LineBreak {
                start: r.start - slice.start + at,
                end: end - slice.start + at,
                kind: *kind,
            })
        })
    }
}

/// Closing marks a Chinese line never starts with.
fn closing(c: char) -> bool {
    "，。、；：？！）」』”’》〉…,.;:?!)".contains(c)
}

/// Opening marks a Chinese line never ends with.
fn opening(c: char) -> bool {
    "（「『“‘《〈(".contains(c)
}

fn vowel(c: char) -> bool {
    "aeiouyAEIOUY".contains(c)
}

/// Lay out `printed` in `column`. The layout is a function of the text, so
/// a paragraph printed twice in one scan has the same lines both times.
pub(super) fn lay_out(printed: &str, script: Script, column: &Column) -> Laid {
    let chars: Vec<char> = printed.chars().collect();
    let mut offsets: Vec<usize> = printed.char_indices().map(|(i, _)| i).collect();
    offsets.push(printed.len());
    let n = chars.len();
    let mut laid = Laid {
        text: String::with_capacity(printed.len() + printed.len() / 8),
        breaks: Vec::new(),
        lines: Vec::new(),
    };
    if !column.indent.is_empty() {
        laid.text.push_str(&column.indent);
        laid.breaks
            .push((0..column.indent.len(), BreakKind::Indent));
    }
    let mut room = column
        .width
        .saturating_sub(column.indent.chars().count())
        .max(4);
    let mut i = 0;
    loop {
        let start = laid.text.len();
        if n - i <= room {
            laid.text.push_str(&printed[offsets[i]..]);
            laid.lines.push(Line {
                src: offsets[i],
                start,
                end: laid.text.len(),
            });
            return laid;
        }
        let (end, next, kind) = match script {
            Script::Han => han_break(&chars, i, room),
            Script::Latin => latin_break(&chars, i, room),
        };
        if end >= n {
            // A closing mark pulled the rest onto this line.
            laid.text.push_str(&printed[offsets[i]..]);
            laid.lines.push(Line {
                src: offsets[i],
                start,
                end: laid.text.len(),
            });
            return laid;
        }
        laid.text.push_str(&printed[offsets[i]..offsets[end]]);
        let at = laid.text.len();
        if kind == BreakKind::Hyphen {
            laid.text.push('-');
        }
        laid.lines.push(Line {
            src: offsets[i],
            start,
            end: laid.text.len(),
        });
        laid.text.push('\n');
        laid.breaks.push((at..laid.text.len(), kind));
        i = next;
        room = column.width;
    }
}

/// Where a Chinese line starting at char `i` ends: (end, next line's
/// start, kind); `room < n - i`.
fn han_break(chars: &[char], i: usize, room: usize) -> (usize, usize, BreakKind) {
    let mut end = i + room;
    if closing(chars[end]) {
        end += 1;
    } else if opening(chars[end - 1]) && end - 1 > i {
        end -= 1;
    }
    if end < chars.len() && chars[end] == ' ' {
        (end, end + 1, BreakKind::Space)
    } else {
        (end, end, BreakKind::Join)
    }
}

/// Where a Latin line starting at char `i` ends: after the last word that
/// fits, after a hyphen the text has, or inside a word hyphenated where a
/// syllable plausibly starts; `room < n - i`.
fn latin_break(chars: &[char], i: usize, room: usize) -> (usize, usize, BreakKind) {
    let limit = i + room;
    if chars[limit] == ' ' {
        return (limit, limit + 1, BreakKind::Space);
    }
    let letter = |k: usize| chars.get(k).is_some_and(|c| c.is_ascii_alphabetic());
    let mut best: Option<(usize, usize, BreakKind)> = None;
    for k in (i + 1..limit).rev() {
        if chars[k] == ' ' {
            best = Some((k, k + 1, BreakKind::Space));
            break;
        }
        // A hyphen of the text ("By-Laws") ends a line as it is.
        if chars[k] == '-' && letter(k - 1) && letter(k + 1) {
            best = Some((k + 1, k + 1, BreakKind::Join));
            break;
        }
    }
    // Hyphenate the word that does not fit: the first part at least two
    // letters with a vowel, the second at least three, starting with a
    // consonant and a vowel ("news-paper", "recon-ciles"); "-" takes a
    // column.
    let from = best.map_or(i, |b| b.1);
    for h in (from + 2..limit).rev() {
        let run_before = letter(h - 1) && letter(h - 2);
        let first_vowel = (from..h)
            .rev()
            .take_while(|&k| letter(k))
            .any(|k| vowel(chars[k]));
        if run_before
            && first_vowel
            && letter(h)
            && letter(h + 1)
            && letter(h + 2)
            && !vowel(chars[h])
            && vowel(chars[h + 1])
        {
            return (h, h, BreakKind::Hyphen);
        }
    }
    // A token longer than a line breaks where the line ends.
    best.unwrap_or((limit, limit, BreakKind::Join))
}
