//! Fold: the view of a text used for matching.
//!
//! NFKC (so fullwidth `，` and halfwidth `,` are one character), lower case
//! for cased scripts, whitespace and invisible format characters dropped.
//! Every folded character remembers where its source starts, so any range of
//! folded characters maps back to a range of the original text.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// The folded view of one text, with its map back to the text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Folded {
    /// The folded characters.
    pub chars: Vec<char>,
    /// For each folded character, the byte offset in the source text where the
    /// cluster (a base character and its combining marks) it came from starts.
    /// Non-decreasing.
    pub src: Vec<u32>,
    /// Length in bytes of the source text.
    pub len: u32,
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
    /// owned ranges of all characters cover the whole text exactly once. A
    /// source cluster that folds to several characters (a base and its
    /// marks, an expansion such as `㎏` to `kg`) is owned whole by the first
    /// of them, the one that prints it; the others own nothing.
    pub fn own(&self, i: usize) -> u32 {
        if i == 0 {
            0
        } else if i >= self.chars.len() {
            self.len
        } else if self.src[i - 1] == self.src[i] {
            // Inside a cluster: where the next cluster starts.
            self.src[i..]
                .iter()
                .find(|&&s| s > self.src[i])
                .copied()
                .unwrap_or(self.len)
        } else {
            self.src[i]
        }
    }

    /// Folded position of the first character whose source starts at or after
    /// byte `offset` of the source.
    pub fn position_at(&self, offset: u32) -> usize {
        self.src.partition_point(|&s| s < offset)
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
    let mut src = Vec::with_capacity(n);
    let mut iter = text.char_indices().peekable();
    let mut cluster = String::new();
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
        for d in cluster.nfkc() {
            if is_dropped(d) {
                continue;
            }
            for l in d.to_lowercase() {
                chars.push(l);
                src.push(start as u32);
            }
        }
    }
    Folded {
        chars,
        src,
        len: text.len() as u32,
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
        assert_eq!(&text[f.src[e] as usize..], "e\u{301}\n");
    }

    #[test]
    fn expansion_keeps_offsets_monotone() {
        let f = fold("㈱x");
        assert_eq!(f.chars.iter().collect::<String>(), "(株)x");
        assert!(f.src.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn a_cluster_is_owned_by_the_character_that_prints_it() {
        // "\u{E56D}\u{A92C}": a base and a combining mark, one cluster of
        // two folded characters; the base owns (and prints) all of it. A
        // fuzz finding: the mark owned it, so a span of the base alone had
        // an empty support.
        let f = fold("x\u{E56D}\u{A92C}y");
        assert_eq!(f.chars.len(), 4);
        let owned: Vec<(u32, u32)> = (0..4).map(|i| (f.own(i), f.own(i + 1))).collect();
        assert_eq!(owned, [(0, 1), (1, 7), (7, 7), (7, 8)]);
        let k = fold("㎏a");
        assert_eq!(k.chars, ['k', 'g', 'a']);
        assert_eq!((k.own(0), k.own(1), k.own(2), k.own(3)), (0, 3, 3, 4));
    }

    #[test]
    fn a_mark_after_a_line_break_starts_the_next_line() {
        let text = "a\n\u{301}b";
        let f = fold(text);
        assert_eq!(f.chars, ['a', '\u{301}', 'b']);
        // The mark is owned from its own byte, after the line break.
        assert_eq!(f.src, [0, 2, 4]);
        let text = "甲\u{3000}\u{301}乙";
        assert_eq!(fold(text).src, [0, 6, 8]);
    }

    #[test]
    fn invisible_characters_dropped() {
        assert!(folds_to_nothing(" \u{200B}\n\u{FEFF}\t"));
        assert!(!folds_to_nothing(" a "));
    }
}
