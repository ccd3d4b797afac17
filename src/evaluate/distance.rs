//! Edit distances: Levenshtein by Myers' bit-parallel algorithm over
//! characters, and over words by interning each word as one symbol.

use std::ops::Range;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

/// Fold text as CER measures it: NFKC, whitespace and invisible format
/// characters removed. Case is kept: a wrong capital is an error a reader
/// sees (and the measure the OCR literature uses on these sets).
pub fn fold(s: &str) -> Vec<char> {
    s.nfkc()
        .filter(|&c| {
            !(c.is_whitespace()
                || matches!(
                    c,
                    '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
                )
                || (c.is_control() && c != '\u{FFFD}'))
        })
        .collect()
}

/// Bit masks of where each character occurs in a pattern, 64 rows per block.
struct Pattern {
    len: usize,
    blocks: usize,
    index: FxHashMap<char, usize>,
    /// `(alphabet + 1) * blocks` masks; alphabet entry 0 is "not in the pattern".
    peq: Vec<u64>,
}

impl Pattern {
    fn new(p: &[char]) -> Pattern {
        let blocks = p.len().div_ceil(64).max(1);
        let mut index: FxHashMap<char, usize> = FxHashMap::default();
        for &c in p {
            let next = index.len() + 1;
            index.entry(c).or_insert(next);
        }
        let mut peq = vec![0u64; (index.len() + 1) * blocks];
        for (i, c) in p.iter().enumerate() {
            peq[index[c] * blocks + i / 64] |= 1 << (i % 64);
        }
        Pattern {
            len: p.len(),
            blocks,
            index,
            peq,
        }
    }

    fn eq(&self, c: char) -> &[u64] {
        let k = self.index.get(&c).copied().unwrap_or(0);
        &self.peq[k * self.blocks..(k + 1) * self.blocks]
    }

    /// Run Myers' bit-vector algorithm (block-based) over `text`, calling
    /// `column` with the pattern's distance at every text position. Global
    /// alignment when `global`, otherwise the pattern may start anywhere.
    fn run(&self, text: &[char], global: bool, mut column: impl FnMut(usize, usize)) {
        let w = self.blocks;
        let mut pv = vec![!0u64; w];
        let mut mv = vec![0u64; w];
        let last_high = 1u64 << ((self.len + 63) % 64);
        let mut score = self.len as isize;
        for (j, &c) in text.iter().enumerate() {
            let eqs = self.eq(c);
            let mut hin: i32 = i32::from(global);
            for b in 0..w {
                let high = if b + 1 == w { last_high } else { 1 << 63 };
                let (p, m) = (pv[b], mv[b]);
                let mut eq = eqs[b];
                let xv = eq | m;
                if hin < 0 {
                    eq |= 1;
                }
                let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
                let mut ph = m | !(xh | p);
                let mut mh = p & xh;
                let hout = if ph & high != 0 {
                    1
                } else if mh & high != 0 {
                    -1
                } else {
                    0
                };
                ph <<= 1;
                mh <<= 1;
                if hin < 0 {
                    mh |= 1;
                } else if hin > 0 {
                    ph |= 1;
                }
                pv[b] = mh | !(xv | ph);
                mv[b] = ph & xv;
                hin = hout;
            }
            score += hin as isize;
            column(j, score as usize);
        }
    }
}

/// Levenshtein distance (unit-cost substitutions, insertions, deletions)
/// between two character sequences. Myers' bit-parallel algorithm: about
/// `len(a) * len(b) / 64` steps whatever the distance, so two 20,000-character
/// texts take milliseconds.
///
/// ```
/// use reprint::evaluate::distance;
/// let a: Vec<char> = "kitten".chars().collect();
/// let b: Vec<char> = "sitting".chars().collect();
/// assert_eq!(distance(&a, &b), 3);
/// ```
pub fn distance(a: &[char], b: &[char]) -> usize {
    let (p, t) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if p.is_empty() {
        return t.len();
    }
    let pattern = Pattern::new(p);
    let mut last = p.len();
    pattern.run(t, true, |_, s| last = s);
    last
}

/// Least edit distance between `pattern` and any stretch of `text`.
pub(super) fn best_stretch(pattern: &[char], text: &[char]) -> usize {
    best_stretch_at(pattern, text).0
}

/// Least edit distance between `pattern` and any stretch of `text`, and the
/// first such stretch (empty at 0 when the pattern is best deleted whole).
pub(super) fn best_stretch_at(pattern: &[char], text: &[char]) -> (usize, Range<usize>) {
    if pattern.is_empty() || text.is_empty() {
        return (pattern.len(), 0..0);
    }
    let pat = Pattern::new(pattern);
    let (mut best, mut end) = (pattern.len(), None);
    pat.run(text, false, |j, s| {
        if s < best {
            best = s;
            end = Some(j + 1);
        }
    });
    let Some(end) = end else {
        return (best, 0..0);
    };
    // The start: the same alignment read backwards ends where it starts.
    let rev_pat: Vec<char> = pattern.iter().rev().copied().collect();
    let rev_text: Vec<char> = text[..end].iter().rev().copied().collect();
    let mut back = end;
    let mut found = false;
    Pattern::new(&rev_pat).run(&rev_text, false, |j, s| {
        if !found && s == best {
            found = true;
            back = j + 1;
        }
    });
    (best, end - back..end)
}

/// How many times `pattern` occurs in `text` with at most `k` edits
/// (non-overlapping occurrences, counted as runs of end positions within `k`).
pub(super) fn occurrences(pattern: &[char], text: &[char], k: usize) -> usize {
    if pattern.is_empty() {
        return 0;
    }
    let pat = Pattern::new(pattern);
    let mut count = 0;
    let mut inside = false;
    pat.run(text, false, |_, s| {
        if s <= k {
            if !inside {
                count += 1;
            }
            inside = true;
        } else {
            inside = false;
        }
    });
    count
}

/// Character error rate of `text` against `truth`: edit distance between the
/// two folded texts (see [`fold`]) over the length of the folded truth.
///
/// ```
/// use reprint::evaluate::cer;
/// assert_eq!(cer("今天，天气晴。", "今天,天气睛。"), 1.0 / 7.0);
/// ```
pub fn cer(truth: &str, text: &str) -> f64 {
    let t = fold(truth);
    let x = fold(text);
    ratio(distance(&t, &x) as f64, t.len())
}

pub(super) fn ratio(x: f64, n: usize) -> f64 {
    if n == 0 {
        if x == 0.0 { 0.0 } else { 1.0 }
    } else {
        x / n as f64
    }
}

/// Words as WER counts them: the text NFKC-normalised and split at
/// whitespace, punctuation kept with its word.
pub fn words(s: &str) -> Vec<String> {
    let s: String = s.nfkc().collect();
    s.split_whitespace().map(str::to_string).collect()
}

/// Word-level Levenshtein distance: each distinct word becomes one symbol,
/// so [`distance`] counts whole words.
pub fn word_distance(a: &[String], b: &[String]) -> usize {
    let mut ids: FxHashMap<&str, char> = FxHashMap::default();
    let mut symbols = Vec::with_capacity(a.len() + b.len());
    for w in a.iter().chain(b) {
        let n = ids.len() as u32;
        // Skip the surrogate gap: every id must be a char.
        let code = if n < 0xD800 { n } else { n + 0x800 };
        let id = *ids
            .entry(w.as_str())
            .or_insert_with(|| char::from_u32(code).unwrap_or(char::MAX));
        symbols.push(id);
    }
    let (x, y) = symbols.split_at(a.len());
    distance(x, y)
}

/// Word error rate of `text` against `truth` (see [`words`]).
///
/// ```
/// use reprint::evaluate::wer;
/// assert_eq!(wer("notice is hereby given", "noticeis hereby given"), 0.5);
/// ```
pub fn wer(truth: &str, text: &str) -> f64 {
    let t = words(truth);
    ratio(word_distance(&t, &words(text)) as f64, t.len())
}
