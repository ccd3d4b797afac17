//! Debris that is text, and text that is debris: a caption or furniture
//! line every scan prints is kept; a line only one scan reads, of no
//! plausible words, is OCR garbage.

use super::lines::Words;
use super::{Params, View, Witness, block_at, plausibility, unspaced};
use crate::segment::{Block, DebrisKind};

/// A line the rules took for a caption or page furniture (a dateline, say)
/// that every other witness of the family prints too, as a line of its own,
/// is part of the text: debris is what one scan's page adds, and a line all
/// scans print is what the text says ("May 27, 1993" heading a letter,
/// "…will be held on Monday." ending a line of it). A caption that repeats
/// part of a longer paragraph other scans print stays a caption.
pub(super) fn keep_shared_lines(
    w: usize,
    blocks: &mut [Block],
    view: &View,
    witnesses: &[Witness<'_>],
    p: &Params,
) {
    let nw = witnesses.len();
    if nw < 2 {
        return;
    }
    let mut seen = vec![false; nw];
    for b in blocks.iter_mut() {
        if !matches!(b.debris, Some(DebrisKind::Caption | DebrisKind::Furniture)) || b.len() == 0 {
            continue;
        }
        // Each other witness's partners of the line's characters.
        let mut partners: Vec<Vec<u32>> = vec![Vec::new(); nw];
        for i in b.range.clone() {
            seen.fill(false);
            for (o, al) in view.overlapping(i, i + 1) {
                if *o != w
                    && !seen[*o]
                    && let Some(j) = al.partner_eq(i)
                {
                    seen[*o] = true;
                    partners[*o].push(j);
                }
            }
        }
        let need = p.shared_line * b.len() as f64;
        let shared = (0..nw).filter(|&o| o != w).all(|o| {
            let js = &partners[o];
            if (js.len() as f64) < need {
                return false;
            }
            // The partners lie on one line of about this line's length.
            let mid = js[js.len() / 2];
            block_at(&witnesses[o].blocks, mid).is_some_and(|line| {
                let inside = js.iter().filter(|&&j| line.range.contains(&j)).count();
                inside as f64 >= need && line.len() <= b.len() + b.len() / 4 + 4
            })
        });
        if shared {
            b.debris = None;
        }
    }
}

/// A body line that no other witness reads, whose characters are not words
/// of any script ([`plausibility`] below [`Params::garbage_plausibility`]),
/// or whose words (three or more, of a spaced script) are none of them a
/// word the family prints elsewhere, is OCR garbage: a logo, a signature or
/// an ornament one engine read as letters ("ea gu Ne gut Nagy Nee ed").
/// Real text shares at least its common words with the rest of its family.
/// A family of one scan has no other reading to tell it by and keeps every
/// line.
pub(super) fn mark_garbage(
    w: usize,
    blocks: &mut [Block],
    view: &View,
    witnesses: &[Witness<'_>],
    words: &Words,
    p: &Params,
) {
    if witnesses.len() < 2 {
        return;
    }
    let witness = &witnesses[w];
    for b in blocks.iter_mut().filter(|b| b.is_body() && b.len() > 0) {
        // The words first: they are cheap, and most lines are words.
        let f = witness.folded;
        let start = f.src(b.range.start as usize) as usize;
        let end = if (b.range.end as usize) < f.n() {
            f.src(b.range.end as usize) as usize
        } else {
            witness.text.len()
        };
        let line = witness.text.get(start..end).unwrap_or("");
        let tokens: Vec<&str> = line
            .split(|c: char| !c.is_alphabetic())
            .filter(|t| t.chars().nth(1).is_some() && !t.chars().any(unspaced))
            .collect();
        let strange = tokens.len() >= 3 && tokens.iter().all(|t| words.count(t) <= 1);
        if !strange && plausibility(line) >= p.garbage_plausibility {
            continue;
        }
        let read = b
            .range
            .clone()
            .filter(|&i| {
                view.overlapping(i, i + 1)
                    .into_iter()
                    .any(|(o, al)| *o != w && al.partner_in_run(i, 3).is_some())
            })
            .count();
        if read as f64 <= p.garbage_read * b.len() as f64 {
            b.debris = Some(DebrisKind::Garbage);
        }
    }
}
