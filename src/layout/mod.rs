//! Layout: what a witness's lines are, as the family's alignments show them.
//!
//! The only stage that knows what a paragraph is. Per witness, from its
//! lines (segment) and the blocks it shares with the other witnesses and
//! with itself (align):
//!
//! - **Lines** ([`lines`]): how a line break reads inside a paragraph (the
//!   script's joiner) and how plausible a line is as text of any script.
//! - **Hyphens** ([`hyphens`]): a hyphen ending a line inside a word the
//!   other scans read whole is set aside, and the word reads joined.
//! - **Debris** ([`debris`]): captions and furniture every scan prints are
//!   text; a line only one scan reads, of no plausible words, is OCR garbage.
//! - **Breaks** ([`breaks`]): a line cut mid-sentence is re-joined with the
//!   line that continues it when another witness reads the two without a
//!   break; lines printed in between are debris.
//! - **Repeats** ([`repeats`]): a paragraph printed again in the same scan,
//!   or a pull quote repeating part of one, collapses onto the fullest copy;
//!   so does a short paragraph that repeats part of another scan's paragraph
//!   out of its own scan's flow. A copy that stops early against the
//!   paragraph it copies is a truncated fragment of it.

use rayon::prelude::*;
use std::ops::Range;

use crate::align::{Alignment, Indexed};
use crate::fold::Folded;
use crate::segment::Block;

mod breaks;
mod debris;
mod hyphens;
mod lines;
mod repeats;
mod view;

pub(crate) use lines::{Gap, plausibility, reads_as_space, unspaced};
use view::View;

/// One scan of the family.
pub(crate) struct Witness<'a> {
    pub folded: &'a Folded,
    /// The document's text, which `folded` maps into.
    pub text: &'a str,
    pub blocks: Vec<Block>,
}

/// Blocks aligned between witnesses `a` and `b` of the family (`a <= b`;
/// `a == b` for repeats within one witness, first copy on the `a` side).
pub(crate) struct Pair<'a> {
    pub a: usize,
    pub b: usize,
    pub blocks: &'a [Alignment],
}

/// A typed result of the alignments (folded positions of family witnesses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Finding {
    /// `range` repeats `of` (same witness, or another one for an excerpt).
    Duplicate {
        witness: usize,
        range: Range<u32>,
        of: (usize, Range<u32>),
    },
    /// `range` is a copy of the start of `of` that stops early.
    Fragment {
        witness: usize,
        range: Range<u32>,
        of: (usize, Range<u32>),
    },
    /// The line `cut` continues at `resumes`; the lines `between` interrupt it.
    PageBreak {
        witness: usize,
        cut: Range<u32>,
        resumes: Range<u32>,
        between: Vec<Range<u32>>,
    },
}

/// The witnesses' text as the findings leave it.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Each witness's blocks, lines interrupting a paragraph marked as debris.
    pub blocks: Vec<Vec<Block>>,
    /// Each witness's paragraphs, as lists of body block indices.
    pub paragraphs: Vec<Vec<Vec<usize>>>,
    /// Which paragraphs stay (the others are duplicates or fragments).
    pub kept: Vec<Vec<bool>>,
    pub findings: Vec<Finding>,
}

/// Tuning of the findings.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    /// A paragraph this fraction covered by a copy elsewhere is a repeat.
    pub repeat_coverage: f64,
    /// A run of at most this many characters over up to two lines with no
    /// full stop (in a spaced script: twice as many, over up to three lines,
    /// with one stop) that only its own scan prints, between two paragraphs
    /// another scan reads one after the other, is debris that fell between
    /// them.
    pub interruption_chars: usize,
    /// A caption or furniture line that every other witness reads over this
    /// fraction of its characters is text, not debris.
    pub shared_line: f64,
    /// A line other witnesses read at most this fraction of may be garbage…
    pub garbage_read: f64,
    /// …when less than this share of its characters read as words.
    pub garbage_plausibility: f64,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            repeat_coverage: 0.85,
            interruption_chars: 60,
            shared_line: 0.8,
            garbage_read: 0.2,
            garbage_plausibility: 0.5,
        }
    }
}

/// One witness's lines (debris marked), paragraphs and page breaks.
type WitnessLines = (Vec<Block>, Vec<Vec<usize>>, Vec<Finding>);

/// Page breaks, duplicates and fragments of one family.
pub(crate) fn layout(witnesses: &[Witness<'_>], pairs: &[Pair<'_>], p: &Params) -> Layout {
    let nw = witnesses.len();
    // Every block seen from each witness (as the `a` side).
    let mut entries: Vec<Vec<(usize, Indexed)>> = vec![Vec::new(); nw];
    for pair in pairs {
        for al in pair.blocks {
            entries[pair.a].push((pair.b, Indexed::new(al.clone())));
            entries[pair.b].push((pair.a, Indexed::new(al.flipped())));
        }
    }
    let views: Vec<View> = entries.into_iter().map(View::new).collect();
    let words = lines::Words::new(witnesses);
    // Each witness on its own (in parallel), in two rounds: its lines and
    // paragraphs first, then its repeats, which read the others' lines.
    let (mut blocks, mut paragraphs, mut findings) = (Vec::new(), Vec::new(), Vec::new());
    let firsts: Vec<WitnessLines> = (0..nw)
        .into_par_iter()
        .map(|w| {
            let mut found = Vec::new();
            let mut blocks = witnesses[w].blocks.clone();
            hyphens::heal_hyphens(w, &mut blocks, &views[w], witnesses, &words);
            debris::keep_shared_lines(w, &mut blocks, &views[w], witnesses, p);
            debris::mark_garbage(w, &mut blocks, &views[w], witnesses, &words, p);
            let mut paragraphs =
                breaks::join_page_breaks(w, &mut blocks, &views[w], witnesses, &mut found);
            breaks::drop_interruptions(w, &mut blocks, &mut paragraphs, &views[w], witnesses, p);
            (blocks, paragraphs, found)
        })
        .collect();
    for (b, para, found) in firsts {
        blocks.push(b);
        paragraphs.push(para);
        findings.extend(found);
    }
    let scans: Vec<repeats::Scan<'_>> = (0..nw)
        .into_par_iter()
        .map(|w| repeats::Scan {
            chars: &witnesses[w].folded.chars,
            copies: repeats::self_copies(pairs, w),
        })
        .collect();
    let seconds: Vec<(Vec<bool>, Vec<Finding>)> = (0..nw)
        .into_par_iter()
        .map(|w| {
            let mut found = Vec::new();
            let copies = &scans[w].copies;
            let mut k = repeats::remove_repeats(
                w,
                &scans,
                &blocks[w],
                &paragraphs[w],
                &views[w],
                p,
                &mut found,
            );
            repeats::remove_excerpts(w, &blocks, &paragraphs[w], &mut k, &views[w], p, &mut found);
            repeats::remove_spliced_tails(
                w,
                &blocks[w],
                &paragraphs[w],
                &k,
                copies,
                &views[w],
                &mut found,
            );
            (k, found)
        })
        .collect();
    let mut kept = Vec::with_capacity(nw);
    for (k, found) in seconds {
        kept.push(k);
        findings.extend(found);
    }
    Layout {
        blocks,
        paragraphs,
        kept,
        findings,
    }
}

/// The line (blocks are sorted and disjoint) holding position `x`.
fn block_at(blocks: &[Block], x: u32) -> Option<&Block> {
    let k = blocks.partition_point(|b| b.range.end <= x);
    blocks.get(k).filter(|b| b.range.start <= x)
}
