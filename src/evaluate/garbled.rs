//! Garbled words: canonical words that no witness prints at that place.
//!
//! A word of the canonical text is *garbled* when it has four letters or
//! more, no witness of its family prints it near the bytes that support it,
//! and it is not one edit (or one transposition) away from a word a witness
//! prints there. A character vote between witnesses that read a word
//! differently ("Associatlon", "Assoclation" → "Association") stays within
//! one edit of each; a splice of two readings or lines glued without their
//! space ("VillageHomeowners") does not.
//!
//! Han text has no spaces: its "words" are the four-character windows of
//! each run of Han characters.

use rustc_hash::FxHashSet;
use unicode_normalization::UnicodeNormalization;

use crate::Family;

/// Witness bytes read on each side of a span's support, so that a word
/// starting or ending at the edge of a span is seen whole.
const MARGIN: usize = 48;
/// Letters a word needs to be checked.
const MIN_LETTERS: usize = 4;

/// What [`garbled_words`] found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Garbled {
    /// Canonical words checked (four letters or more).
    pub checked: usize,
    /// The garbled ones, in text order.
    pub garbled: Vec<String>,
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// The checkable words of `text` with their byte ranges: whitespace-separated
/// words trimmed of punctuation, and four-character windows of Han runs. A
/// word hyphenated at a line end is also given joined, with and without its
/// hyphen, when `join` (a witness's text, printed line by line).
fn tokens(text: &str, join: bool, mut f: impl FnMut(std::ops::Range<usize>, String)) {
    let mut prev: Option<(usize, String)> = None;
    let mut at = 0;
    for piece in text.split_inclusive(char::is_whitespace) {
        let start = at;
        at += piece.len();
        let word = piece.trim_end();
        let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric());
        if trimmed.is_empty() {
            prev = None;
            continue;
        }
        let lead = word.len()
            - word
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        let offset = start + lead;
        let range = offset..offset + trimmed.len();
        let norm: String = trimmed.nfkc().collect();
        if norm.chars().any(is_han) {
            han_windows(&norm, &mut |w| f(range.clone(), w));
            prev = None;
            continue;
        }
        if let Some((s, head)) = prev.take() {
            f(s..range.end, format!("{head}{norm}"));
            f(s..range.end, format!("{head}-{norm}"));
        }
        // A word cut by a hyphen at the end of a line may join the next one.
        if join && word.ends_with('-') && piece.contains('\n') {
            prev = Some((range.start, norm.clone()));
        }
        f(range, norm);
    }
}

fn han_windows(s: &str, f: &mut impl FnMut(String)) {
    for run in s.split(|c: char| !is_han(c)) {
        let chars: Vec<char> = run.chars().collect();
        if chars.len() < MIN_LETTERS {
            if !chars.is_empty() {
                f(chars.iter().collect());
            }
            continue;
        }
        for w in chars.windows(MIN_LETTERS) {
            f(w.iter().collect());
        }
    }
}

fn letters(w: &str) -> usize {
    w.chars().filter(|c| c.is_alphabetic()).count()
}

/// Each one-character deletion of `w`.
fn deletions(w: &str) -> impl Iterator<Item = String> + '_ {
    w.char_indices()
        .map(move |(i, c)| format!("{}{}", &w[..i], &w[i + c.len_utf8()..]))
}

/// Words and their one-deletion neighbours, for "within one edit" lookups.
#[derive(Default)]
struct Vocabulary {
    exact: FxHashSet<String>,
    deleted: FxHashSet<String>,
}

impl Vocabulary {
    fn add(&mut self, w: String) {
        if self.exact.contains(&w) {
            return;
        }
        self.deleted.extend(deletions(&w));
        self.exact.insert(w);
    }

    fn add_text(&mut self, text: &str) {
        tokens(text, true, |_, w| self.add(w));
    }

    /// True if `w` is a word here, or one edit (or transposition) from one.
    fn near(&self, w: &str) -> bool {
        self.exact.contains(w)
            || self.deleted.contains(w)
            || deletions(w).any(|d| self.exact.contains(&d) || self.deleted.contains(&d))
    }
}

fn clamp_down(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn clamp_up(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The garbled words of `family`'s canonical text, judged against its
/// witnesses' texts (`(id, text)`; witnesses not listed are ignored). The
/// place of a word is given by the spans it overlaps: the words their
/// support ranges print (and a few bytes around them); a word no span
/// covers is judged against every word of every witness.
pub fn garbled_words(family: &Family, witnesses: &[(&str, &str)]) -> Garbled {
    let text = &family.text;
    let by_id: rustc_hash::FxHashMap<&str, &str> = witnesses.iter().copied().collect();
    let mut spans: Vec<usize> = (0..family.spans.len()).collect();
    spans.sort_by_key(|&i| (family.spans[i].start, family.spans[i].end));
    let mut cache: rustc_hash::FxHashMap<usize, Vocabulary> = rustc_hash::FxHashMap::default();
    let mut everywhere: Option<Vocabulary> = None;
    let mut out = Garbled::default();
    let mut words: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    tokens(text, false, |r, w| words.push((r, w)));
    for (range, word) in words {
        if letters(&word) < MIN_LETTERS {
            continue;
        }
        out.checked += 1;
        // Spans overlapping the word (spans are few per paragraph).
        let first = spans.partition_point(|&i| family.spans[i].end <= range.start);
        let mut places = Vec::new();
        for &i in &spans[first..] {
            let s = &family.spans[i];
            if s.start >= range.end {
                break;
            }
            if s.end > range.start
                && s.support
                    .iter()
                    .any(|x| by_id.contains_key(x.document.as_str()))
            {
                places.push(i);
            }
        }
        let ok = if places.is_empty() {
            everywhere
                .get_or_insert_with(|| {
                    let mut v = Vocabulary::default();
                    for (_, t) in witnesses {
                        v.add_text(t);
                    }
                    v
                })
                .near(&word)
        } else {
            places.iter().any(|&i| {
                cache
                    .entry(i)
                    .or_insert_with(|| {
                        let mut v = Vocabulary::default();
                        for sup in &family.spans[i].support {
                            if let Some(t) = by_id.get(sup.document.as_str()) {
                                let a = clamp_down(t, sup.start.saturating_sub(MARGIN));
                                let b = clamp_up(t, sup.end + MARGIN);
                                v.add_text(&t[a..b]);
                            }
                        }
                        v
                    })
                    .near(&word)
            })
        };
        if !ok {
            out.garbled.push(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(text: &str) -> Vocabulary {
        let mut v = Vocabulary::default();
        v.add_text(text);
        v
    }

    #[test]
    fn one_edit_is_near_two_are_not() {
        let v = vocab("the Associatlon of Homeowners");
        assert!(v.near("Association"));
        assert!(v.near("Associatlon"));
        assert!(v.near("Homeowner"));
        assert!(v.near("Homeowners."));
        assert!(!v.near("VillageHomeowners"));
        assert!(!v.near("Assoc1at1on"));
    }

    #[test]
    fn hyphenated_line_ends_join() {
        let v = vocab("Mesa Village Home-\nowners Association");
        assert!(v.near("Homeowners"));
        assert!(v.near("Home-owners"));
        assert!(!v.near("VillageHomeowners"));
    }

    #[test]
    fn han_runs_are_read_in_windows_of_four() {
        let v = vocab("暴风雨最猛烈的地方");
        assert!(v.near("风雨最猛"));
        assert!(v.near("风雨最狂"));
        assert!(!v.near("雷雨最狂"));
    }
}
