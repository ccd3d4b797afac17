//! Layout: one text printed as 2–4 scans in different line layouts (each
//! wrapped at its own column width, words hyphenated across lines or not,
//! paragraphs apart by a blank line or by indentation only, one scan
//! printing a paragraph twice, one a line of OCR garbage), reconciled. The
//! invariants hold: every byte accounted for once, every range reads what
//! it supports, the output does not depend on the order of the scans; and
//! where the text is plain ASCII, no canonical word is two words glued at a
//! line break (every word is a word of the text, or holds a hyphen the
//! layout put there).
//!
//! Input: four bytes of layout choices, then the text (UTF-8, invalid
//! bytes replaced), paragraphs one per line. The integration test
//! `tests/fuzz_findings.rs` runs this on every finding.

use std::collections::BTreeSet;

use crate::check::{self, Input};
use reprint::Document;

/// A line of OCR garbage, as an engine reads a logo.
const GARBAGE: &str = "e4 N - -S";

/// One fuzz input.
pub fn run(data: &[u8]) {
    let Some((head, rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let paragraphs: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if paragraphs.is_empty() {
        return;
    }
    let scans = 2 + usize::from(head[0] % 3);
    let hyphenate = head[1] & 1 != 0;
    let indented = head[1] & 2 != 0;
    let repeat = head[1] & 4 != 0;
    let garbage = head[1] & 8 != 0;
    let inputs: Vec<Input> = (0..scans)
        .map(|k| {
            let width = 6 + usize::from(head[2].rotate_left(3 * k as u32) % 48);
            let mut paras: Vec<&str> = paragraphs.clone();
            if repeat && k == 1 {
                paras.push(paragraphs[usize::from(head[3]) % paragraphs.len()]);
            }
            let mut out = String::new();
            for (p, para) in paras.iter().enumerate() {
                if garbage && k == scans - 1 && p == paras.len() / 2 {
                    out.push_str(GARBAGE);
                    out.push('\n');
                }
                if indented {
                    out.push_str("    ");
                }
                for line in wrap(para, width, hyphenate) {
                    out.push_str(&line);
                    out.push('\n');
                }
                if !indented {
                    out.push('\n');
                }
            }
            let doc = Document::from_text(format!("s{k}"), out.clone());
            Input {
                doc,
                bytes: out.into_bytes(),
            }
        })
        .collect();
    let r = check::reconcile_checked(&inputs);
    // Plain ASCII letters, digits, spaces and punctuation: a line break
    // inside a paragraph reads as a space or, after a hyphen, as nothing.
    let plain = paragraphs
        .iter()
        .all(|p| p.bytes().all(|b| b.is_ascii_graphic() || b == b' '));
    if plain {
        let words: BTreeSet<&str> = paragraphs
            .iter()
            .flat_map(|p| p.split_whitespace())
            .chain(GARBAGE.split_whitespace())
            .collect();
        for f in &r.families {
            for w in f.text.split_whitespace() {
                assert!(
                    words.contains(w) || w.contains('-'),
                    "canonical word {w:?} is no word of the text: {:?}",
                    f.text
                );
            }
        }
    }
}

/// `para` in lines of at most `width` characters, broken at spaces; a word
/// longer than a line is broken with a hyphen (`hyphenate`) or stands
/// alone on a longer line.
fn wrap(para: &str, width: usize, hyphenate: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line: Vec<char> = Vec::new();
    for word in para.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        if !line.is_empty() && line.len() + 1 + word.len() <= width {
            line.push(' ');
            line.extend(&word);
            continue;
        }
        if !line.is_empty() {
            lines.push(line.drain(..).collect());
        }
        while hyphenate && word.len() > width {
            let cut = width.saturating_sub(1).max(1);
            let mut piece: String = word.drain(..cut).collect();
            piece.push('-');
            lines.push(piece);
        }
        line = word;
    }
    if !line.is_empty() {
        lines.push(line.into_iter().collect());
    }
    lines
}
