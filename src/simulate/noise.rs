//! Character noise: how one scan prints a clean paragraph.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::Dice;
use super::sources::is_han;
use super::truth::Script;
use crate::fold::WIDTH_PAIRS;

/// Chinese confusion sets by character: (OCR/ASR table, shape table).
type Confusions = FxHashMap<char, (Vec<char>, Vec<char>)>;

pub(super) static HAN_CONFUSIONS: LazyLock<Confusions> = LazyLock::new(|| {
    let mut map = Confusions::default();
    let mut add = |line: &str, sep: char, shape: bool| {
        let Some((k, v)) = line.split_once(sep) else {
            return;
        };
        let mut ks = k.trim().chars();
        let (Some(k), None) = (ks.next(), ks.next()) else {
            return;
        };
        let e = map.entry(k).or_default();
        let list = if shape { &mut e.1 } else { &mut e.0 };
        for c in v.chars().filter(|&c| is_han(c) && c != k) {
            if !list.contains(&c) {
                list.push(c);
            }
        }
    };
    for line in include_str!("../../data/confusion/ocr_asr_confusion.txt").lines() {
        add(line, ':', false);
    }
    for line in include_str!("../../data/confusion/similar_shape_simplified.txt").lines() {
        add(line, ',', true);
    }
    map
});

/// Common Chinese characters (the OCR table's keys), for substituting a
/// character no table lists.
pub(super) static HAN_COMMON: LazyLock<Vec<char>> = LazyLock::new(|| {
    include_str!("../../data/confusion/ocr_asr_confusion.txt")
        .lines()
        .filter_map(|l| l.chars().next())
        .filter(|&c| is_han(c))
        .collect()
});

/// Latin OCR confusions, `from` → `to`.
pub(super) const LATIN_CONFUSIONS: &[(&str, &str)] = &[
    ("rn", "m"),
    ("m", "rn"),
    ("cl", "d"),
    ("d", "cl"),
    ("li", "h"),
    ("h", "li"),
    ("vv", "w"),
    ("w", "vv"),
    ("l", "1"),
    ("1", "l"),
    ("I", "l"),
    ("l", "I"),
    ("O", "0"),
    ("0", "O"),
    ("o", "0"),
    ("e", "c"),
    ("c", "e"),
    ("a", "o"),
    ("o", "a"),
    ("n", "u"),
    ("u", "n"),
    ("i", "l"),
    ("t", "f"),
    ("f", "t"),
    ("h", "b"),
    ("b", "h"),
    ("S", "5"),
    ("5", "S"),
    ("B", "8"),
    ("8", "B"),
    ("g", "q"),
];

pub(super) fn other_width(c: char) -> Option<char> {
    WIDTH_PAIRS
        .iter()
        .find_map(|&(h, f)| (c == h).then_some(f).or((c == f).then_some(h)))
}

/// A paragraph as one scan prints it.
pub(super) struct Printing {
    pub(super) text: String,
    pub(super) edits: usize,
}

/// Print `clean` through the character noise of one scan.
pub(super) fn print(
    clean: &str,
    script: Script,
    rate: f64,
    punct: f64,
    mix: [f64; 3],
    dice: &mut Dice,
) -> Printing {
    let mut out = String::with_capacity(clean.len() + 8);
    let mut edits = 0;
    let mut i = 0;
    while i < clean.len() {
        let rest = &clean[i..];
        let c = rest.chars().next().expect("in bounds");
        let w = c.len_utf8();
        if c.is_whitespace() {
            // OCR loses spaces; the folded text (and so the CER) does not see it.
            if !(script == Script::Latin && c == ' ' && dice.chance(rate / 2.0)) {
                out.push(c);
            }
            i += w;
            continue;
        }
        if let Some(o) = other_width(c) {
            let to_half = o.is_ascii();
            // Halfwidth marks in Chinese text, fullwidth ones in Latin text.
            if (to_half == (script == Script::Han)) && dice.chance(punct) {
                out.push(o);
                i += w;
                continue;
            }
        }
        if !dice.chance(rate) {
            out.push(c);
            i += w;
            continue;
        }
        let op = dice.unit();
        if op < mix[0] {
            match substitute(rest, c, dice) {
                Some((used, to)) => {
                    edits += used.chars().count().max(to.chars().count());
                    out.push_str(&to);
                    i += used.len();
                }
                None => {
                    out.push(c);
                    i += w;
                }
            }
        } else if op < mix[0] + mix[1] {
            edits += 1;
            i += w;
        } else {
            edits += 1;
            out.push(c);
            out.push(c);
            i += w;
        }
    }
    Printing { text: out, edits }
}

/// A misreading of the text at `rest` (starting with `c`): the bytes it
/// replaces and what is printed instead.
pub(super) fn substitute<'a>(rest: &'a str, c: char, dice: &mut Dice) -> Option<(&'a str, String)> {
    if is_han(c) {
        let to = match HAN_CONFUSIONS.get(&c) {
            Some((ocr, shape)) if !ocr.is_empty() || !shape.is_empty() => {
                let list = if shape.is_empty() || (!ocr.is_empty() && dice.chance(0.5)) {
                    ocr
                } else {
                    shape
                };
                *dice.pick(list)
            }
            _ => *dice.pick(&HAN_COMMON),
        };
        return (to != c).then(|| (&rest[..c.len_utf8()], to.to_string()));
    }
    let options: Vec<&(&str, &str)> = LATIN_CONFUSIONS
        .iter()
        .filter(|(from, _)| rest.starts_with(from))
        .collect();
    if !options.is_empty() {
        let (from, to) = **dice.pick(&options);
        return Some((&rest[..from.len()], to.to_string()));
    }
    let w = c.len_utf8();
    if c.is_ascii_lowercase() || c.is_ascii_uppercase() {
        let base = if c.is_ascii_lowercase() { b'a' } else { b'A' };
        let to = (base + dice.below(26) as u8) as char;
        (to != c).then(|| (&rest[..w], to.to_string()))
    } else if c.is_ascii_digit() {
        let to = (b'0' + dice.below(10) as u8) as char;
        (to != c).then(|| (&rest[..w], to.to_string()))
    } else {
        None
    }
}
