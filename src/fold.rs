//! Fold: the view of a text used for matching.
//!
//! NFKC (so fullwidth `，` and halfwidth `,` are one character), lower case
//! for cased scripts, whitespace and invisible format characters dropped.
//! Every folded character remembers where its source starts, so any range of
//! folded characters maps back to a range of the original text.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// Width-variant punctuation that NFKC folds together: (halfwidth, fullwidth). Decide
/// restyles printed punctuation by it and the simulator misreads by it.
pub(crate) const WIDTH_PAIRS: [(char, char); 7] = [
    (',', '，'),
    (':', '：'),
    (';', '；'),
    ('!', '！'),
    ('?', '？'),
    ('(', '（'),
    (')', '）'),
];

/// The folded view of one text, with its map back to the text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Folded {
    /// The folded characters.
    pub chars: Vec<char>,
    /// For each folded character, the byte offset in the source text where the
    /// cluster (a base character and its combining marks) it came from starts.
    /// Increasing: each character folds from a cluster of its own.
    src: Offsets,
    /// Length in bytes of the source text.
    pub len: u32,
}

/// Characters per block of [`Offsets`].
const BLOCK: usize = 64;

/// An increasing sequence of byte offsets in about one byte each (the folded
/// views of all documents are the largest structure of a run, and four
/// bytes an offset were a third of it): each block of [`BLOCK`] offsets
/// stores its first in full and the others as a byte above it, or, where
/// they spread wider (a run of whitespace), all in full.
#[derive(Debug, Clone, Default)]
struct Offsets {
    /// Each offset less its block's first; 0 in a wide block.
    rel: Vec<u8>,
    /// First offset of each block.
    base: Vec<u32>,
    /// For each block, where its offsets start in `wide`, or `u32::MAX`.
    wide_at: Vec<u32>,
    /// The offsets of the wide blocks.
    wide: Vec<u32>,
}

impl Offsets {
    fn with_capacity(n: usize) -> Offsets {
        Offsets {
            rel: Vec::with_capacity(n),
            base: Vec::with_capacity(n.div_ceil(BLOCK)),
            wide_at: Vec::with_capacity(n.div_ceil(BLOCK)),
            wide: Vec::new(),
        }
    }

    fn push(&mut self, offset: u32) {
        let i = self.rel.len();
        let b = i / BLOCK;
        if i % BLOCK == 0 {
            self.base.push(offset);
            self.wide_at.push(u32::MAX);
        }
        if self.wide_at[b] == u32::MAX {
            match u8::try_from(offset - self.base[b]) {
                Ok(r) => {
                    self.rel.push(r);
                    return;
                }
                Err(_) => {
                    // Too far for a byte: the block so far, in full.
                    self.wide_at[b] = self.wide.len() as u32;
                    let base = self.base[b];
                    let first = b * BLOCK;
                    self.wide
                        .extend(self.rel[first..].iter().map(|&r| base + u32::from(r)));
                }
            }
        }
        self.wide.push(offset);
        self.rel.push(0);
    }

    fn get(&self, i: usize) -> u32 {
        let b = i / BLOCK;
        match self.wide_at[b] {
            u32::MAX => self.base[b] + u32::from(self.rel[i]),
            w => self.wide[w as usize + i % BLOCK],
        }
    }

    fn shrink_to_fit(&mut self) {
        self.wide.shrink_to_fit();
    }
}

impl Folded {
    /// Number of folded characters.
    pub fn n(&self) -> usize {
        self.chars.len()
    }

    /// Source byte offset that folded position `i` (`0..=n`) starts owning.
    ///
    /// Source bytes are partitioned among folded characters: character `i`
    /// owns `[own(i), own(i + 1))`. Whitespace thus belongs to the character
    /// before it, and leading whitespace to the first character, so that the
    /// owned ranges of all characters cover the whole text exactly once. No
    /// two folded characters come from one source cluster (see [`fold`]), so
    /// every owned range holds exactly the cluster its character folds from.
    pub fn own(&self, i: usize) -> u32 {
        if i == 0 {
            0
        } else if i >= self.chars.len() {
            self.len
        } else {
            self.src.get(i)
        }
    }

    /// Byte offset in the source where the cluster folded character `i`
    /// comes from starts.
    pub fn src(&self, i: usize) -> u32 {
        self.src.get(i)
    }

    /// Folded position of the first character whose source starts at or after
    /// byte `offset` of the source.
    pub fn position_at(&self, offset: u32) -> usize {
        let (mut lo, mut hi) = (0, self.n());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.src.get(mid) < offset {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// True for characters the folded view drops: whitespace and invisible format
/// characters that OCR inserts at random (zero-width spaces, soft hyphens, BOMs).
pub(crate) fn is_dropped(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )
        || (c.is_control() && c != '\u{FFFD}')
}

/// True if the character is a CJK ideograph that NFKC leaves alone.
fn is_plain_ideograph(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// True for a combining mark (quick for the ASCII and ideographs that make up most text).
fn is_mark(c: char) -> bool {
    !c.is_ascii() && !is_plain_ideograph(c) && canonical_combining_class(c) != 0
}

/// Fold a whole text.
pub(crate) fn fold(text: &str) -> Folded {
    // One folded character per source character, nearly always: room for
    // exactly that keeps the two largest arrays of the pipeline tight.
    let n = text.chars().count();
    let mut chars = Vec::with_capacity(n);
    let mut src = Offsets::with_capacity(n);
    let mut iter = text.char_indices().peekable();
    let mut cluster = String::new();
    let mut out: Vec<char> = Vec::new();
    while let Some((start, c)) = iter.next() {
        // A mark after a dropped character (a line break, a space) starts a
        // cluster of its own: joined to the break, it would belong to no line.
        let next_is_mark = !is_dropped(c) && iter.peek().is_some_and(|&(_, n)| is_mark(n));
        if !next_is_mark {
            // Fast paths for the characters that make up nearly all text.
            if c.is_ascii() {
                if !is_dropped(c) {
                    chars.push(c.to_ascii_lowercase());
                    src.push(start as u32);
                }
                continue;
            }
            if is_plain_ideograph(c) {
                chars.push(c);
                src.push(start as u32);
                continue;
            }
        }
        cluster.clear();
        cluster.push(c);
        while let Some(&(_, n)) = iter.peek() {
            if !next_is_mark || !is_mark(n) {
                break;
            }
            cluster.push(n);
            iter.next();
        }
        out.clear();
        fold_cluster(&cluster, &mut out);
        if out.len() <= 1 {
            // One folded character (or none) for the whole cluster: é from
            // e and a combining acute, ， to ",", a BOM to nothing.
            for &d in &out {
                chars.push(d);
                src.push(start as u32);
            }
        } else {
            // Several: each source character folds on its own and owns its
            // own bytes, so that no range of folded characters ever cuts a
            // source character in two. A character that would fold to
            // several (the ligature ﬁ, ㎏, …) stays itself: were it "fi",
            // a reading of "f" alone would be backed by bytes that say "fi".
            let mut buf = [0u8; 4];
            for (k, d) in cluster.char_indices() {
                out.clear();
                fold_cluster(d.encode_utf8(&mut buf), &mut out);
                if !out.is_empty() {
                    chars.push(if out.len() == 1 { out[0] } else { d });
                    src.push((start + k) as u32);
                }
            }
        }
    }
    src.shrink_to_fit();
    Folded {
        chars,
        src,
        len: text.len() as u32,
    }
}

/// The folded characters of one source cluster, all together: NFKC, then
/// dropped characters left out and the rest lower-cased.
fn fold_cluster(cluster: &str, out: &mut Vec<char>) {
    for d in cluster.nfkc() {
        if !is_dropped(d) {
            out.extend(d.to_lowercase());
        }
    }
}

/// Fold a text to a string (for comparisons and tests).
#[cfg(test)]
pub(crate) fn fold_str(text: &str) -> String {
    fold(text).chars.into_iter().collect()
}

/// True if the folded view of `text` is empty.
pub(crate) fn folds_to_nothing(text: &str) -> bool {
    // Cheap for the common case: the first visible character settles it.
    text.chars().all(is_dropped) || fold(text).chars.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn srcs(f: &Folded) -> Vec<u32> {
        (0..f.n()).map(|i| f.src(i)).collect()
    }

    #[test]
    fn offsets_far_apart_are_kept_exactly() {
        // Blocks of close offsets, a wide one (a long run of spaces), and
        // blocks after it.
        let mut text = String::new();
        for k in 0..300 {
            text.push_str(if k % 97 == 5 { "x" } else { "甲" });
            if k == 100 {
                text.push_str(&" ".repeat(1000));
            }
        }
        let f = fold(&text);
        let expected: Vec<u32> = text
            .char_indices()
            .filter(|&(_, c)| c != ' ')
            .map(|(i, _)| i as u32)
            .collect();
        assert_eq!(srcs(&f), expected);
        for (i, &s) in expected.iter().enumerate() {
            assert_eq!(f.position_at(s), i);
            assert_eq!(f.position_at(s + 1), i + 1);
        }
    }

    #[test]
    fn fullwidth_and_case_fold() {
        assert_eq!(fold_str("王毅：ＡＢ，c d\n"), "王毅:ab,cd");
    }

    #[test]
    fn offsets_partition_the_text() {
        let text = "\n\n甲 乙\u{3000}Cafe\u{301}\n";
        let f = fold(text);
        assert_eq!(f.chars.iter().collect::<String>(), "甲乙café");
        assert_eq!(f.own(0), 0);
        assert_eq!(f.own(f.n()), text.len() as u32);
        for i in 0..f.n() {
            assert!(f.own(i) <= f.own(i + 1));
            assert!(text.is_char_boundary(f.own(i) as usize));
        }
        // The é cluster (e + combining acute) starts at the 'e'.
        let e = f.chars.iter().position(|&c| c == 'é').unwrap();
        assert_eq!(&text[f.src(e) as usize..], "e\u{301}\n");
    }

    #[test]
    fn no_two_folded_characters_share_a_source_character() {
        // A base and a mark NFKC leaves apart fold one by one, each owning
        // its own bytes. Fuzz findings: owned whole by one of them, a span
        // of the base alone was backed by bytes reading base and mark.
        let f = fold("x\u{E56D}\u{A92C}y\u{FFFD}\u{366}");
        let owned: Vec<(u32, u32)> = (0..f.n()).map(|i| (f.own(i), f.own(i + 1))).collect();
        assert_eq!(owned, [(0, 1), (1, 4), (4, 7), (7, 8), (8, 11), (11, 13)]);
        // A character folding to several stays itself; one composing with
        // its mark folds to one.
        assert_eq!(fold_str("㎏ﬁ…e\u{301}"), "㎏ﬁ…é");
        assert_eq!(srcs(&fold("e\u{301}x")), [0, 3]);
        // Composition and a mark left over: each source character on its own.
        assert_eq!(srcs(&fold("e\u{301}\u{323}")), [0, 1, 3]);
    }

    #[test]
    fn a_mark_after_a_line_break_starts_the_next_line() {
        let text = "a\n\u{301}b";
        let f = fold(text);
        assert_eq!(f.chars, ['a', '\u{301}', 'b']);
        // The mark is owned from its own byte, after the line break.
        assert_eq!(srcs(&f), [0, 2, 4]);
        let text = "甲\u{3000}\u{301}乙";
        assert_eq!(srcs(&fold(text)), [0, 6, 8]);
    }

    #[test]
    fn invisible_characters_dropped() {
        assert!(folds_to_nothing(" \u{200B}\n\u{FEFF}\t"));
        assert!(!folds_to_nothing(" a "));
    }
}
