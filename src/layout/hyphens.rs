//! End-of-line hyphens: a word split over two lines ("Home-" / "owners")
//! reads whole where the other scans read it whole; a hyphen they print
//! too ("By-" / "Laws", "peer-to-" / "peer") stays.

use super::lines::{self, Words};
use super::{View, Witness, block_at};
use crate::segment::{Block, DebrisKind};

/// Split a hyphen off the end of each body line of witness `w` where it
/// breaks a word, and mark it as debris ([`DebrisKind::Hyphen`]): its bytes
/// stay in the removed items, and the word reads joined. The other
/// witnesses vote first: one reading the two halves one after the other
/// votes to heal, one printing a hyphen between them inside a line votes
/// to keep it (a hyphen at its own line end says nothing). With no vote,
/// the family's words decide: the joined word printed anywhere (and the
/// hyphenated one nowhere) heals ("Home-" / "owners" where "Homeowners"
/// is printed elsewhere); else the hyphen stays ("By-" / "Laws").
pub(super) fn heal_hyphens(
    w: usize,
    blocks: &mut Vec<Block>,
    view: &View,
    witnesses: &[Witness<'_>],
    words: &Words,
) {
    let witness = &witnesses[w];
    let chars = &witness.folded.chars;
    let mut healed: Vec<usize> = Vec::new();
    for k in 0..blocks.len().saturating_sub(1) {
        let (line, next) = (&blocks[k], &blocks[k + 1]);
        if !line.is_body() || !next.is_body() || line.len() < 2 || next.line == line.line {
            continue;
        }
        let h = line.range.end - 1;
        let (before, hyphen, after) = (
            chars[h as usize - 1],
            chars[h as usize],
            chars[next.range.start as usize],
        );
        if !lines::is_hyphen(hyphen)
            || !before.is_alphabetic()
            || !after.is_alphabetic()
            || lines::unspaced(before)
            || lines::unspaced(after)
        {
            continue;
        }
        let (mut heal, mut keep) = (0, 0);
        for o in view.others(w) {
            let (Some(x), Some(y)) = (view.partner(o, h - 1), view.partner(o, next.range.start))
            else {
                continue;
            };
            if y == x + 1 {
                heal += 1;
            } else if y == x + 2 && !at_line_end(&witnesses[o], x + 1) {
                keep += 1;
            }
        }
        let heals = if heal != keep {
            heal > keep
        } else {
            // The word's two pieces as printed.
            let in_word = |c: &char| c.is_alphanumeric() || lines::is_hyphen(*c);
            let at = |i: u32| witness.folded.src(i as usize) as usize;
            let head: String = {
                let mut v: Vec<char> = witness.text[..at(h)]
                    .chars()
                    .rev()
                    .take_while(in_word)
                    .collect();
                v.reverse();
                v.into_iter().collect()
            };
            let tail: String = witness.text[at(next.range.start)..]
                .chars()
                .take_while(in_word)
                .collect();
            words.has(&format!("{head}{tail}")) && !words.has(&format!("{head}-{tail}"))
        };
        if heals {
            healed.push(k);
        }
    }
    // Split from the end, so the indices before stay valid.
    for &k in healed.iter().rev() {
        let end = blocks[k].range.end;
        let line = blocks[k].line;
        blocks[k].range.end = end - 1;
        blocks.insert(
            k + 1,
            Block {
                range: end - 1..end,
                line,
                debris: Some(DebrisKind::Hyphen),
            },
        );
    }
}

/// True if folded position `i` of the witness is the last of its line.
fn at_line_end(witness: &Witness<'_>, i: u32) -> bool {
    block_at(&witness.blocks, i).is_some_and(|b| b.range.end == i + 1)
}
