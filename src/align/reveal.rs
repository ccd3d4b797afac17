//! What the alignments reveal about the scans of one family, as typed
//! findings the rest of the pipeline acts on.
//!
//! - **Page breaks.** A line cut mid-sentence is re-joined with the line that
//!   continues it when another witness reads the two without a break; lines
//!   printed in between are debris.
//! - **Duplicates.** A paragraph printed again in the same scan, or a pull
//!   quote repeating part of one, collapses onto the fullest copy; so does a
//!   short paragraph that repeats part of another scan's paragraph out of its
//!   own scan's flow (a subtitle quoting another edition's body).
//! - **Fragments.** A copy that stops early against the paragraph it copies
//!   (cut mid-sentence) is a truncated fragment of it.
//!
//! Passages shared across families (quotations, stock phrases) are the
//! fourth kind of finding, [`overlaps`].

use std::cmp::Reverse;
use std::ops::Range;

use rayon::prelude::*;

use super::{Alignment, Indexed, Op};
use crate::family::PairBlocks;
use crate::fold::Folded;
use crate::segment::{Block, DebrisKind, ends_sentence, is_punct};

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

/// A passage shared by documents of different families (document indices,
/// folded positions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SharedPassage {
    pub a: u32,
    pub a_range: Range<u32>,
    pub b: u32,
    pub b_range: Range<u32>,
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

/// Every block one witness shares with the others (and with itself),
/// seen from its side: `(other witness, block with this witness as a)`,
/// indexed by where the blocks lie in this witness, so that the blocks at a
/// position are found without a pass over all of them (a long scan holds
/// thousands).
pub(crate) struct View {
    entries: Vec<(usize, Indexed)>,
    /// Entry indices sorted by `a.start`.
    by_start: Vec<u32>,
    /// Running maximum of `a.end` along `by_start`.
    max_end: Vec<u32>,
}

impl View {
    fn new(entries: Vec<(usize, Indexed)>) -> View {
        let mut by_start: Vec<u32> = (0..entries.len() as u32).collect();
        by_start.sort_by_key(|&k| (entries[k as usize].1.a.start, k));
        let mut max_end = Vec::with_capacity(by_start.len());
        let mut m = 0;
        for &k in &by_start {
            m = m.max(entries[k as usize].1.a.end);
            max_end.push(m);
        }
        View {
            entries,
            by_start,
            max_end,
        }
    }

    /// All entries, in the order the blocks were given.
    fn iter(&self) -> std::slice::Iter<'_, (usize, Indexed)> {
        self.entries.iter()
    }

    /// Entries whose range in this witness overlaps `lo..=hi`, in the order
    /// the blocks were given.
    fn overlapping(&self, lo: u32, hi: u32) -> Vec<&(usize, Indexed)> {
        let k = self
            .by_start
            .partition_point(|&e| self.entries[e as usize].1.a.start <= hi);
        let mut found: Vec<u32> = Vec::new();
        for t in (0..k).rev() {
            if self.max_end[t] < lo {
                break;
            }
            let e = self.by_start[t];
            if self.entries[e as usize].1.a.end >= lo {
                found.push(e);
            }
        }
        found.sort_unstable();
        found
            .into_iter()
            .map(|e| &self.entries[e as usize])
            .collect()
    }

    /// Position in witness `o` holding the same character as position `i`
    /// here (the first block that pairs it).
    fn partner(&self, o: usize, i: u32) -> Option<u32> {
        self.overlapping(i, i)
            .into_iter()
            .filter(|(x, _)| *x == o)
            .find_map(|(_, al)| al.partner_eq(i))
    }

    /// The other witnesses that share a block with this one, sorted.
    fn others(&self, w: usize) -> Vec<usize> {
        let mut o: Vec<usize> = self
            .entries
            .iter()
            .map(|(o, _)| *o)
            .filter(|&o| o != w)
            .collect();
        o.sort_unstable();
        o.dedup();
        o
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
    // Each witness on its own (in parallel), in two rounds: its lines and
    // paragraphs first, then its repeats, which read the others' lines.
    let (mut blocks, mut paragraphs, mut findings) = (Vec::new(), Vec::new(), Vec::new());
    let firsts: Vec<WitnessLines> = (0..nw)
        .into_par_iter()
        .map(|w| {
            let mut found = Vec::new();
            let mut blocks = witnesses[w].blocks.clone();
            keep_shared_lines(w, &mut blocks, &views[w], witnesses, p);
            mark_garbage(w, &mut blocks, &views[w], &witnesses[w], nw, p);
            let mut paragraphs = join_page_breaks(w, &mut blocks, &views[w], witnesses, &mut found);
            drop_interruptions(w, &mut blocks, &mut paragraphs, &views[w], witnesses, p);
            (blocks, paragraphs, found)
        })
        .collect();
    for (b, para, found) in firsts {
        blocks.push(b);
        paragraphs.push(para);
        findings.extend(found);
    }
    let seconds: Vec<(Vec<bool>, Vec<Finding>)> = (0..nw)
        .into_par_iter()
        .map(|w| {
            let mut found = Vec::new();
            let copies = self_copies(pairs, w);
            let chars = &witnesses[w].folded.chars;
            let mut k = remove_repeats(
                w,
                chars,
                &blocks[w],
                &paragraphs[w],
                &copies,
                &views[w],
                p,
                &mut found,
            );
            remove_excerpts(w, &blocks, &paragraphs[w], &mut k, &views[w], p, &mut found);
            remove_spliced_tails(
                w,
                &blocks[w],
                &paragraphs[w],
                &k,
                &copies,
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

/// A line the rules took for a caption or page furniture (a dateline, say)
/// that every other witness of the family prints too, as a line of its own,
/// is part of the text: debris is what one scan's page adds, and a line all
/// scans print is what the text says ("May 27, 1993" heading a letter,
/// "…will be held on Monday." ending a line of it). A caption that repeats
/// part of a longer paragraph other scans print stays a caption.
fn keep_shared_lines(
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
/// of any script ([`crate::layout::plausibility`] below
/// [`Params::garbage_plausibility`]), is OCR garbage: a logo or an ornament
/// one engine read as letters. A family of one scan has no other reading to
/// tell it by and keeps every line.
fn mark_garbage(
    w: usize,
    blocks: &mut [Block],
    view: &View,
    witness: &Witness<'_>,
    witnesses: usize,
    p: &Params,
) {
    if witnesses < 2 {
        return;
    }
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
        if crate::layout::plausibility(line) >= p.garbage_plausibility {
            continue;
        }
        let read = b
            .range
            .clone()
            .filter(|&i| {
                view.overlapping(i, i + 1)
                    .into_iter()
                    .any(|(o, al)| *o != w && al.partner_eq(i).is_some())
            })
            .count();
        if read as f64 <= p.garbage_read * b.len() as f64 {
            b.debris = Some(DebrisKind::Garbage);
        }
    }
}

/// Passages shared by documents of different families: every block aligned
/// between two documents that `family_of` puts apart.
pub(crate) fn overlaps(aligned: &[PairBlocks], family_of: &[usize]) -> Vec<SharedPassage> {
    aligned
        .iter()
        .filter(|p| family_of[p.a as usize] != family_of[p.b as usize])
        .flat_map(|p| {
            p.blocks.iter().map(|al| SharedPassage {
                a: p.a,
                a_range: al.a.clone(),
                b: p.b,
                b_range: al.b.clone(),
            })
        })
        .collect()
}

/// Decide which consecutive body lines of witness `w` are one paragraph cut
/// by a page or column break; mark lines printed in between as debris.
/// Returns the paragraphs as lists of body block indices.
fn join_page_breaks(
    w: usize,
    blocks: &mut [Block],
    view: &View,
    witnesses: &[Witness<'_>],
    findings: &mut Vec<Finding>,
) -> Vec<Vec<usize>> {
    let folded = witnesses[w].folded;
    let body: Vec<usize> = (0..blocks.len()).filter(|&i| blocks[i].is_body()).collect();
    let mut paragraphs: Vec<Vec<usize>> = Vec::new();
    let mut t = 0;
    while t < body.len() {
        let mut para = vec![body[t]];
        while t + 1 < body.len() {
            let (pi, qi) = (body[t], body[t + 1]);
            let (pr, qr) = (blocks[pi].range.clone(), blocks[qi].range.clone());
            let between = pi + 1..qi;
            if !should_join(
                w,
                folded,
                &pr,
                &qr,
                blocks,
                between.clone(),
                view,
                witnesses,
            ) {
                break;
            }
            findings.push(Finding::PageBreak {
                witness: w,
                cut: pr.clone(),
                resumes: qr.clone(),
                between: blocks[between.clone()]
                    .iter()
                    .map(|b| b.range.clone())
                    .collect(),
            });
            for b in &mut blocks[between] {
                if b.debris.is_none() {
                    b.debris = Some(DebrisKind::Interruption);
                }
            }
            para.push(qi);
            t += 1;
        }
        paragraphs.push(para);
        t += 1;
    }
    // Lines turned into debris above are no longer body lines of any paragraph.
    for para in &mut paragraphs {
        para.retain(|&b| blocks[b].is_body());
    }
    paragraphs.retain(|p| !p.is_empty());
    paragraphs
}

#[allow(clippy::too_many_arguments)] // the two lines, what lies between, and what the scans say
fn should_join(
    w: usize,
    folded: &Folded,
    p: &Range<u32>,
    q: &Range<u32>,
    blocks: &[Block],
    between: Range<usize>,
    view: &View,
    witnesses: &[Witness<'_>],
) -> bool {
    let chars = &folded.chars;
    let last = chars[p.end as usize - 1];
    if ends_sentence(last) || is_punct(last) && last != '、' && last != ',' {
        return false;
    }
    let interlude = &blocks[between];
    if interlude.len() > 4 || interlude.iter().any(|b| b.len() > 150) {
        return false;
    }
    // How many characters of `r` this scan prints again at a place `elsewhere` accepts.
    let copied_to = |r: &Range<u32>, elsewhere: &dyn Fn(u32) -> bool| {
        view.overlapping(r.start, r.end)
            .into_iter()
            .filter(|(o, _)| *o == w)
            .flat_map(|(_, al)| {
                (r.start.max(al.a.start)..r.end.min(al.a.end))
                    .filter(|&i| al.partner_eq(i).is_some_and(elsewhere))
            })
            .count()
    };
    // A line that repeats the one before is a repeat, not its continuation.
    if 2 * copied_to(q, &|j| p.contains(&j)) >= (q.end - q.start) as usize {
        return false;
    }
    // Nor is a line cut short that this scan prints whole elsewhere (its
    // copy reads on past where the line stops) the start of the line after
    // it: its continuation is there. Copies cut at the same place are one
    // fragment printed again, which a page break may well continue.
    let outside = |j: u32| !p.contains(&j) && !q.contains(&j);
    let reads_on = view
        .overlapping(p.start, p.end)
        .into_iter()
        .filter(|(o, _)| *o == w)
        .any(|(_, al)| {
            (p.end.saturating_sub(3)..p.end).rev().any(|i| {
                al.partner_eq(i).is_some_and(|j| {
                    outside(j)
                        && block_at(blocks, j).is_some_and(|b| b.range.end > j + (p.end - i) + 3)
                })
            })
        });
    if reads_on && 2 * copied_to(p, &outside) >= (p.end - p.start) as usize {
        return false;
    }
    let mut positive = false;
    let mut negative = false;
    // Both tests below need a block reaching to within 4 of the end of `p`.
    for (other, al) in view.overlapping(p.end.saturating_sub(4), p.end) {
        // One block reading through the break.
        if al.a.start + 3 <= p.end && al.a.end >= q.start + 3 {
            // Equal characters on both sides of the break, as far apart in
            // the other text as in this one (the lines in between aside).
            let t = (p.end.saturating_sub(3)..p.end)
                .rev()
                .find_map(|t| al.partner_eq(t).map(|y| (t, y)));
            let u = (q.start..q.start + 3).find_map(|u| al.partner_eq(u).map(|y| (u, y)));
            if let (Some((t, yt)), Some((u, yu))) = (t, u) {
                let here = (p.end - t) + (u - q.start);
                if yu > yt
                    && (yu - yt).abs_diff(here) <= 1
                    && same_line(&witnesses[*other].blocks, yt, yu)
                {
                    positive = true;
                }
            }
            continue;
        }
        // A block that reaches (about) the end of `p` where the other text goes on.
        if al.a.start + 4 <= p.end && al.a.end + 4 >= p.end && al.a.end < q.start + 3 {
            let other_len = witnesses[*other].folded.n() as u32;
            // Two blocks, collinear and adjacent in the other text, also read through.
            let resumed =
                view.overlapping(q.start + 1, q.start + 3)
                    .into_iter()
                    .any(|(o2, al2)| {
                        o2 == other
                            && al2.a.start <= q.start + 1
                            && al2.a.end >= q.start + 3
                            && al2.b.start.abs_diff(al.b.end) <= 2
                            && same_line(
                                &witnesses[*other].blocks,
                                al.b.end.saturating_sub(1),
                                al2.b.start,
                            )
                    });
            if resumed {
                positive = true;
            } else if al.b.end + 4 <= other_len {
                negative = true;
            }
        }
    }
    if positive {
        return true;
    }
    if negative || interlude.iter().any(|b| b.is_body()) {
        return false;
    }
    // No witness says either way. A line cut by a page break runs to the
    // column's end: it is long, or punctuated like running text; a heading
    // is short, unpunctuated, or spaced out between its phrases. The next
    // line must not open with a bullet.
    let text = &chars[p.start as usize..p.end as usize];
    let opens_item = chars
        .get(q.start as usize)
        .is_some_and(|&c| is_punct(c) && !"“‘\"(".contains(c));
    let running = text.len() >= 40 || text.iter().any(|&c| ",;:。!?，；：".contains(c));
    running && !opens_item && !spaced_out(folded, p)
}

/// True if positions `x <= y` lie on one printed line.
/// The block (blocks are sorted and disjoint) holding position `x`.
fn block_at(blocks: &[Block], x: u32) -> Option<&Block> {
    let k = blocks.partition_point(|b| b.range.end <= x);
    blocks.get(k).filter(|b| b.range.start <= x)
}

fn same_line(blocks: &[Block], x: u32, y: u32) -> bool {
    block_at(blocks, x)
        .is_some_and(|b| y < b.range.end || block_at(blocks, y).is_some_and(|c| c.line == b.line))
}

/// True if whitespace separates two ideographs inside the line (a heading's
/// phrases: "全球南方 要让世界稳下来、好起来 全球南方是关键").
fn spaced_out(folded: &Folded, r: &Range<u32>) -> bool {
    let ideograph = |c: char| matches!(c, '\u{4E00}'..='\u{9FFF}');
    (r.start as usize..r.end as usize - 1).any(|i| {
        ideograph(folded.chars[i])
            && ideograph(folded.chars[i + 1])
            && folded.src(i + 1) - folded.src(i) > 3
    })
}

/// A short line only one witness prints, between two paragraphs another
/// witness reads one right after the other, is debris that fell between
/// them (a caption without its credit, a stray head): another scan says
/// nothing is there. In a spaced script a caption may run over a few lines
/// of a narrow column with a stop OCR put in it ([`Params::interruption_chars`]).
/// At the edges of the scan one neighbour is enough: above the first
/// paragraph (a logo read as letters, a masthead), or below the last after a
/// finished sentence (a paragraph's last line may stand apart under a page
/// number).
fn drop_interruptions(
    w: usize,
    blocks: &mut [Block],
    paragraphs: &mut Vec<Vec<usize>>,
    view: &View,
    witnesses: &[Witness<'_>],
    p: &Params,
) {
    let max_len = p.interruption_chars;
    let chars = &witnesses[w].folded.chars;
    let partner = |o: usize, i: u32| view.partner(o, i);
    let others = view.others(w);
    // At the edges of the scan the run needs only one neighbour that
    // another scan reads (a logo or a stray head above the text).
    let mut t = 0;
    'next: while t < paragraphs.len() && paragraphs.len() > 1 {
        // A caption runs over a few lines of a narrow column (one paragraph
        // or several); in a spaced script it takes more characters, and OCR
        // sprinkles stops over it.
        for k in 1..=3 {
            if t + k > paragraphs.len() || (t == 0 && t + k == paragraphs.len()) {
                break;
            }
            let run = &paragraphs[t..t + k];
            let r = blocks[run[0][0]].range.start..blocks[*run[k - 1].last().unwrap()].range.end;
            let text = &chars[r.start as usize..r.end as usize];
            let sentences = text[..text.len() - 1]
                .iter()
                .filter(|&&c| matches!(c, '。' | '!' | '?' | '.'))
                .count();
            let spaced =
                text.iter().filter(|&&c| crate::layout::unspaced(c)).count() * 2 < text.len();
            let (lines, len, stops) = if spaced {
                (3, 2 * max_len, 1)
            } else {
                (2, max_len, 0)
            };
            let n_lines: usize = run.iter().map(Vec::len).sum();
            // The cheap tests first: most paragraphs are long running text.
            if n_lines > lines || text.len() > len || sentences > stops {
                break;
            }
            let aligned = view
                .overlapping(r.start, r.end)
                .into_iter()
                .filter(|(o, _)| *o != w)
                .flat_map(|(_, al)| (r.start..r.end).filter(move |&i| al.partner_eq(i).is_some()))
                .count();
            if aligned * 5 > text.len() {
                break;
            }
            let p_end = (t > 0).then(|| blocks[*paragraphs[t - 1].last().unwrap()].range.end);
            let q_start = paragraphs.get(t + k).map(|q| blocks[q[0]].range.start);
            let read_through = others.iter().any(|&o| {
                let before = p_end.map(|p_end| {
                    (p_end.saturating_sub(3)..p_end)
                        .rev()
                        .find_map(|i| partner(o, i).map(|y| (i, y)))
                });
                let after = q_start.map(|q_start| {
                    (q_start..(q_start + 3).min(chars.len() as u32))
                        .find_map(|i| partner(o, i).map(|y| (i, y)))
                });
                match (before, after) {
                    (Some(Some((i0, y0))), Some(Some((i1, y1)))) => {
                        let (p_end, q_start) = (p_end.unwrap_or(0), q_start.unwrap_or(0));
                        y1 > y0 && (y1 - y0).abs_diff((p_end - i0) + (i1 - q_start)) <= 1
                    }
                    // An edge: the other scan reads the neighbour. At the
                    // end, only after a finished sentence: a paragraph's
                    // last line may stand apart, under a page number.
                    (None, Some(Some(_))) => true,
                    (Some(Some(_)), None) => {
                        p_end.is_some_and(|e| e > 0 && ends_sentence(chars[e as usize - 1]))
                    }
                    _ => false,
                }
            });
            if read_through {
                for para in paragraphs.drain(t..t + k) {
                    for line in para {
                        blocks[line].debris = Some(DebrisKind::Interruption);
                    }
                }
                continue 'next;
            }
        }
        t += 1;
    }
}

/// Remove paragraphs repeated within one witness; returns which paragraphs are kept.
#[allow(clippy::too_many_arguments)] // one witness's text, its copies, and the others' view of it
fn remove_repeats(
    w: usize,
    chars: &[char],
    blocks: &[Block],
    paragraphs: &[Vec<usize>],
    copies: &[(u32, u32)],
    view: &View,
    p: &Params,
    findings: &mut Vec<Finding>,
) -> Vec<bool> {
    let np = paragraphs.len();
    let mut kept = vec![true; np];
    if copies.is_empty() {
        return kept;
    }
    let n = blocks.last().map_or(0, |b| b.range.end as usize);
    let mut para_of = vec![usize::MAX; n];
    let mut len = vec![0usize; np];
    for (pi, para) in paragraphs.iter().enumerate() {
        for &bi in para {
            for x in blocks[bi].range.clone() {
                para_of[x as usize] = pi;
            }
            len[pi] += blocks[bi].len();
        }
    }
    // The fullest copy stays; of copies about as full, the one in its
    // place: a block printed twice keeps the copy whose neighbours other
    // scans read next to it, so the section it belongs to stays whole.
    // Only a copy read in place at both edges counts: one edge alone is as
    // often a chance neighbour.
    let in_place = in_place(w, chars, blocks, paragraphs, copies, view, p);
    let mut order: Vec<usize> = (0..np).collect();
    order.sort_by_key(|&pi| {
        let bonus = if in_place[pi] == 2 {
            2 + len[pi] / 50
        } else {
            0
        };
        (Reverse(len[pi] + bonus), pi)
    });
    let mut decided = vec![false; np];
    // For a removed paragraph, the kept passage it repeats.
    let mut kept_copy: Vec<Option<Range<u32>>> = vec![None; np];
    // A paragraph covered only in part by the fuller ones decided before it
    // may be covered whole once all are decided: a short copy of two
    // paragraphs joined at a page break ("…perio" + "The field…", both cut
    // short) is shorter than the first full copy and longer than the second.
    // It is looked at again at the end, against kept paragraphs only (so two
    // paragraphs never remove each other).
    let mut again: Vec<usize> = Vec::new();
    for second in [false, true] {
        let list = std::mem::take(if second { &mut again } else { &mut order });
        for pi in list {
            decided[pi] = true;
            // For each block of the paragraph, the copies of its characters in
            // paragraphs already decided, kept ones first: (partner, position).
            // A copy of a removed copy is a repeat all the same.
            let mut hits: Vec<Vec<(usize, u32)>> = Vec::with_capacity(paragraphs[pi].len());
            for &bi in &paragraphs[pi] {
                let mut mine = Vec::new();
                for x in blocks[bi].range.clone() {
                    let from = copies.partition_point(|&(i, _)| i < x);
                    let candidates = copies[from..]
                        .iter()
                        .take_while(|&&(i, _)| i == x)
                        .map(|&(_, j)| (para_of[j as usize], j))
                        .filter(|&(q, _)| {
                            q != usize::MAX && q != pi && decided[q] && (!second || kept[q])
                        });
                    let copy = candidates
                        .clone()
                        .find(|&(q, _)| kept[q])
                        .or_else(|| candidates.clone().next());
                    mine.extend(copy);
                }
                hits.push(mine);
            }
            let covered: usize = hits.iter().map(Vec::len).sum();
            if len[pi] == 0 || (covered as f64) < p.repeat_coverage * len[pi] as f64 {
                if !second && covered > 0 {
                    again.push(pi);
                }
                continue;
            }
            // Text the other scans print twice too (list items written to one
            // formula, a phrase the writer repeats) is the text's own, not a
            // repeat of this scan's page.
            let copy_at: Vec<u32> = hits.iter().flatten().map(|&(_, j)| j).collect();
            let own: Vec<u32> = paragraphs[pi]
                .iter()
                .flat_map(|&bi| blocks[bi].range.clone())
                .collect();
            if printed_twice_by_others(w, &own, &copy_at, view) {
                continue;
            }
            kept[pi] = false;
            let last_block = &blocks[*paragraphs[pi].last().unwrap()];
            let cut = !ends_sentence(chars[last_block.range.end as usize - 1]);
            for (&bi, mine) in paragraphs[pi].iter().zip(&hits) {
                let range = blocks[bi].range.clone();
                // The passage this block repeats: its copies in the partner
                // holding most of them.
                let Some(q) = most_common(mine.iter().map(|&(q, _)| q)) else {
                    continue;
                };
                let at: Vec<u32> = mine
                    .iter()
                    .filter(|&&(x, _)| x == q)
                    .map(|&(_, j)| j)
                    .collect();
                let here =
                    at.iter().min().copied().unwrap_or(0)..at.iter().max().map_or(0, |m| m + 1);
                let of = (
                    w,
                    if kept[q] {
                        here
                    } else {
                        kept_copy[q].clone().unwrap_or(here)
                    },
                );
                kept_copy[pi].get_or_insert(of.1.clone());
                // A copy of the start of a paragraph that stops well before its
                // end (most often mid-sentence) is a truncated fragment of it; a
                // copy from its middle is a duplicate (a pull quote).
                let partner = blocks[paragraphs[q][0]].range.start
                    ..blocks[*paragraphs[q].last().unwrap()].range.end;
                let from_start = of.1.start <= partner.start + 3;
                let stops_early = of.1.end + if cut { 3 } else { 12 } < partner.end;
                findings.push(if from_start && stops_early {
                    Finding::Fragment {
                        witness: w,
                        range,
                        of,
                    }
                } else {
                    Finding::Duplicate {
                        witness: w,
                        range,
                        of,
                    }
                });
            }
            // Blocks with no copy of their own (the uncovered rest) go with the paragraph.
            for (&bi, mine) in paragraphs[pi].iter().zip(&hits) {
                if mine.is_empty() {
                    let q = most_common(hits.iter().flatten().map(|&(q, _)| q)).expect("covered");
                    let para = &paragraphs[q];
                    findings.push(Finding::Duplicate {
                        witness: w,
                        range: blocks[bi].range.clone(),
                        of: (
                            w,
                            blocks[para[0]].range.start..blocks[*para.last().unwrap()].range.end,
                        ),
                    });
                }
            }
        }
    }
    kept
}

/// True if most other witnesses that read the characters `own` of this
/// witness read them at places apart from where they read `copy` (its copy
/// in this witness): they print the passage twice as well.
fn printed_twice_by_others(w: usize, own: &[u32], copy: &[u32], view: &View) -> bool {
    // Each other witness's partners of a set of positions.
    let partners = |xs: &[u32]| {
        let mut by: Vec<(usize, u32)> = Vec::new();
        for &i in xs {
            for (o, al) in view.overlapping(i, i + 1) {
                if *o != w
                    && let Some(j) = al.partner_eq(i)
                {
                    by.push((*o, j));
                }
            }
        }
        by.sort_unstable();
        by.dedup();
        by
    };
    let mine = partners(own);
    let theirs = partners(copy);
    let mut others: Vec<usize> = mine.iter().map(|&(o, _)| o).collect();
    others.dedup();
    let (mut twice, mut read) = (0, 0);
    for o in others {
        let a: Vec<u32> = mine.iter().filter(|x| x.0 == o).map(|x| x.1).collect();
        if a.len() * 2 < own.len() {
            continue;
        }
        read += 1;
        let b: Vec<u32> = theirs.iter().filter(|x| x.0 == o).map(|x| x.1).collect();
        let shared = a.iter().filter(|j| b.binary_search(j).is_ok()).count();
        if b.len() * 2 >= copy.len() && shared * 5 < a.len() {
            twice += 1;
        }
    }
    read > 0 && twice * 2 > read
}

/// For each paragraph, how firmly the repeated block it belongs to sits in
/// its place: 0, 1 or 2 of the block's two edges where another scan reads
/// the block and the text on the other side of the edge one after the
/// other, with nothing in between that this scan reads elsewhere (it may
/// skip what this scan leaves out). A block is a run of consecutive
/// paragraphs with copies that are consecutive too (one block printed
/// twice); a paragraph with no copy scores 0.
fn in_place(
    w: usize,
    chars: &[char],
    blocks: &[Block],
    paragraphs: &[Vec<usize>],
    copies: &[(u32, u32)],
    view: &View,
    p: &Params,
) -> Vec<usize> {
    // How far past the edge to look for text another scan reads (a heading
    // or a caption only this scan prints may sit there).
    const LOOK: u32 = 160;
    // Characters of the other scan between the two sides that this scan
    // may read elsewhere (chance matches).
    const SLACK: usize = 8;
    let np = paragraphs.len();
    let n = chars.len() as u32;
    let span = |pi: usize| {
        blocks[paragraphs[pi][0]].range.start..blocks[*paragraphs[pi].last().unwrap()].range.end
    };
    let mut para_of = vec![usize::MAX; n as usize];
    for pi in 0..np {
        for x in span(pi) {
            para_of[x as usize] = pi;
        }
    }
    // The paragraphs holding a copy of (nearly) all of each paragraph.
    let copied_in: Vec<Vec<usize>> = (0..np)
        .map(|pi| {
            let r = span(pi);
            let from = copies.partition_point(|&(i, _)| i < r.start);
            let mut hits: Vec<(usize, u32)> = copies[from..]
                .iter()
                .take_while(|&&(i, _)| i < r.end)
                .map(|&(i, j)| (para_of[j as usize], i))
                .filter(|&(q, _)| q != usize::MAX && q != pi)
                .collect();
            hits.sort_unstable();
            hits.dedup();
            let need = p.repeat_coverage * (r.end - r.start) as f64;
            let mut qs: Vec<usize> = hits.iter().map(|&(q, _)| q).collect();
            qs.dedup();
            qs.retain(|&q| hits.iter().filter(|h| h.0 == q).count() as f64 >= need);
            qs
        })
        .collect();
    if copied_in.iter().all(Vec::is_empty) {
        return vec![0; np];
    }
    let len = |pi: usize| span(pi).end - span(pi).start;
    // Paragraphs copied from a clearly longer one: fragments, pull quotes.
    let lesser: Vec<bool> = (0..np)
        .map(|pi| {
            copied_in[pi]
                .iter()
                .any(|&q| len(q) > len(pi) + 2 + len(pi) / 20)
        })
        .collect();
    // Other scans only: the view also holds this scan's copies of itself.
    let mut others: Vec<usize> = view.iter().map(|(o, _)| *o).filter(|&o| o != w).collect();
    others.sort_unstable();
    others.dedup();
    // For each other scan, which character of this scan reads each of its
    // characters (`u32::MAX`: none). Runs of equal characters only: inside
    // a long gap the aligner pairs common characters by chance.
    let reader: Vec<Vec<u32>> = others
        .iter()
        .map(|&o| {
            let len = view
                .iter()
                .filter(|(x, _)| *x == o)
                .map(|(_, al)| al.b.end)
                .max()
                .unwrap_or(0) as usize;
            let mut reader = vec![u32::MAX; len];
            for (_, al) in view.iter().filter(|(x, _)| *x == o) {
                let (mut i, mut j) = (al.a.start, al.b.start as usize);
                for &(op, n) in al.ops() {
                    if op == Op::Eq && n >= 4 {
                        for d in 0..n {
                            reader[j + d as usize] = i + d;
                        }
                    }
                    let (di, dj) = op.advance(n);
                    i += di;
                    j += dj as usize;
                }
            }
            reader
        })
        .collect();
    let partner = |o: usize, i: u32| {
        view.iter()
            .filter(|(x, _)| *x == o)
            .find_map(|(_, al)| al.partner_in_run(i, 4))
    };
    // Some other scan reads the text of `before` and then that of `after`
    // with nothing between that this scan reads outside the block and its
    // copies (`own`). An
    // empty side is the start or the end of this scan's text: the other
    // scan must then start or end there too.
    let reads_on =
        |before: Range<u32>, after: Range<u32>, own: &[Range<u32>], block_after: bool| {
            others.iter().zip(&reader).any(|(&o, reader)| {
                // On the block's side, where most of its text near the edge
                // reads (a heading may match a sentence elsewhere); on the
                // other side, the reading nearest the edge.
                let median = |r: Range<u32>| {
                    let mut ys: Vec<u32> = r.filter_map(|i| partner(o, i)).collect();
                    ys.sort_unstable();
                    ys.get(ys.len() / 2).copied()
                };
                let (y0, y1) = if block_after {
                    let y1 = median(after.start..after.end.min(after.start + LOOK));
                    (before.clone().rev().find_map(|i| partner(o, i)), y1)
                } else {
                    let y0 = median(before.start.max(before.end.saturating_sub(LOOK))..before.end);
                    (y0, after.clone().find_map(|i| partner(o, i)))
                };
                let between = match (before.is_empty(), after.is_empty(), y0, y1) {
                    (false, false, Some(y0), Some(y1)) if y0 < y1 => y0 as usize + 1..y1 as usize,
                    (true, false, _, Some(y1)) => 0..y1 as usize,
                    (false, true, Some(y0), _) => y0 as usize + 1..reader.len(),
                    _ => return false,
                };
                let elsewhere = reader
                    [between.start.min(reader.len())..between.end.min(reader.len())]
                    .iter()
                    .filter(|&&i| i != u32::MAX && !own.iter().any(|r| r.contains(&i)))
                    .count();
                elsewhere <= SLACK
            })
        };
    let mut score = vec![0usize; np];
    let mut pi = 0;
    while pi < np {
        if copied_in[pi].is_empty() {
            pi += 1;
            continue;
        }
        let mut end = pi + 1;
        while end < np
            && copied_in[end - 1]
                .iter()
                .any(|&q| copied_in[end].binary_search(&(q + 1)).is_ok())
        {
            end += 1;
        }
        let (first, last) = (span(pi), span(end - 1));
        let (start, stop) = (first.start, last.end);
        let before = if pi == 0 {
            start..start
        } else {
            start.saturating_sub(LOOK)..start
        };
        let after = if end == np {
            stop..stop
        } else {
            stop..(stop + LOOK).min(n)
        };
        // A truncated copy next to the block says nothing of its place: it
        // is a stray copy of text kept elsewhere.
        let stray = |q: Option<usize>| q.is_some_and(|q| lesser[q]);
        let block = start..stop;
        let own: Vec<Range<u32>> = std::iter::once(block.clone())
            .chain((pi..end).flat_map(|q| copied_in[q].iter().map(|&c| span(c))))
            .collect();
        let edges =
            usize::from(!stray(pi.checked_sub(1)) && reads_on(before, block.clone(), &own, true))
                + usize::from(
                    !stray(Some(end).filter(|&e| e < np))
                        && reads_on(block.clone(), after, &own, false),
                );
        score[pi..end].fill(edges);
        pi = end;
    }
    score
}

/// Every character of witness `w` paired with its copies elsewhere in the
/// witness, `(position, copy)`, sorted.
fn self_copies(pairs: &[Pair<'_>], w: usize) -> Vec<(u32, u32)> {
    let mut copies: Vec<(u32, u32)> = Vec::new();
    for pr in pairs.iter().filter(|pr| pr.a == w && pr.b == w) {
        for al in pr.blocks {
            for (i, j, _) in al.pairs() {
                copies.push((i, j));
                copies.push((j, i));
            }
        }
    }
    copies.sort_unstable();
    copies
}

/// A kept paragraph whose last sentence or so is a copy of text the
/// witness prints elsewhere, where the other scans, reading the start of
/// the paragraph, go on with something else: two columns' lines spliced
/// into one (“…为主题的” + “会议,让上合组织从中国再出发…”). The copied tail
/// is a duplicate.
fn remove_spliced_tails(
    w: usize,
    blocks: &[Block],
    paragraphs: &[Vec<usize>],
    kept: &[bool],
    copies: &[(u32, u32)],
    view: &View,
    findings: &mut Vec<Finding>,
) {
    // A tail this long repeated verbatim is no stock ending.
    const MIN_TAIL: u32 = 20;
    // How far from where the other scan reads the paragraph's start its
    // reading of the tail may lie and still be the paragraph going on.
    const NEAR: u32 = 40;
    if copies.is_empty() {
        return;
    }
    let n = blocks.last().map_or(0, |b| b.range.end as usize);
    let mut para_of = vec![usize::MAX; n];
    for (pi, para) in paragraphs.iter().enumerate() {
        for &bi in para {
            para_of[blocks[bi].range.start as usize..blocks[bi].range.end as usize].fill(pi);
        }
    }
    for (pi, para) in paragraphs.iter().enumerate() {
        if !kept[pi] {
            continue;
        }
        let (start, end) = (
            blocks[para[0]].range.start,
            blocks[*para.last().unwrap()].range.end,
        );
        // The longest tail copied, character for character, from one place
        // outside the paragraph.
        let has = |i: u32, j: u32| copies.binary_search(&(i, j)).is_ok();
        let from = copies.partition_point(|&(i, _)| i < end - 1);
        let (mut cut, mut source) = (end, 0);
        for &(_, k) in copies[from..].iter().take_while(|&&(i, _)| i == end - 1) {
            // A copy in another kept paragraph (not a pull quote or a
            // repeat already removed).
            let q = para_of[k as usize];
            if q == usize::MAX || q == pi || !kept[q] {
                continue;
            }
            let mut c = end - 1;
            while c > start && k >= end - c && has(c - 1, k + 1 - (end - c + 1)) {
                c -= 1;
            }
            if c < cut {
                (cut, source) = (c, k + 1 - (end - c));
            }
        }
        let tail = end - cut;
        if tail < MIN_TAIL || (tail as f64) > 0.6 * (end - start) as f64 {
            continue;
        }
        // Some other scan reads the text before the tail and, right after
        // it, not the tail: the tail is another paragraph's.
        let elsewhere = view.iter().filter(|(o, _)| *o != w).any(|(o, al)| {
            let Some(y) = (cut.saturating_sub(8)..cut)
                .rev()
                .find_map(|i| al.partner_in_run(i, 4))
            else {
                return false;
            };
            let follows = view
                .iter()
                .filter(|(x, _)| x == o)
                .filter_map(|(_, al)| (cut..cut + 8).find_map(|i| al.partner_in_run(i, 4)))
                .any(|yt| yt > y && yt <= y + NEAR);
            !follows
        });
        if !elsewhere {
            continue;
        }
        findings.push(Finding::Duplicate {
            witness: w,
            range: cut..end,
            of: (w, source..source + tail),
        });
    }
}

/// The most frequent item (the smallest on a tie).
fn most_common(items: impl Iterator<Item = usize>) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for x in items {
        match counts.iter_mut().find(|(y, _)| *y == x) {
            Some((_, c)) => *c += 1,
            None => counts.push((x, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(x, c)| (c, Reverse(x)))
        .map(|(x, _)| x)
}

/// Remove short paragraphs that repeat part of a longer paragraph of another
/// witness out of their own witness's flow: pull quotes, and subtitles that
/// quote the body of another edition. A paragraph whose neighbours read on
/// right next to the passage in the other witness is in flow (the two just
/// paragraph differently) and stays; so does one whose neighbours do not
/// align to that witness at all (nothing says where it belongs).
fn remove_excerpts(
    w: usize,
    blocks: &[Vec<Block>],
    paragraphs: &[Vec<usize>],
    kept: &mut [bool],
    view: &View,
    p: &Params,
    findings: &mut Vec<Finding>,
) {
    const MAX_LEN: u32 = 100;
    const SLACK: u32 = 8;
    let range_of =
        |para: &[usize]| blocks[w][para[0]].range.start..blocks[w][*para.last().unwrap()].range.end;
    let others = view.others(w);
    for pi in 0..paragraphs.len() {
        let r = range_of(&paragraphs[pi]);
        let len = r.end - r.start;
        if !kept[pi] || paragraphs[pi].len() != 1 || len > MAX_LEN {
            continue;
        }
        let neighbours: Vec<Range<u32>> = [pi.checked_sub(1), Some(pi + 1)]
            .into_iter()
            .flatten()
            .filter(|&q| q < paragraphs.len())
            .map(|q| range_of(&paragraphs[q]))
            .collect();
        let touches = |al: &Indexed, n: &Range<u32>| al.a.start < n.end && al.a.end > n.start;
        // Blocks over a range (`touches` is the strict overlap test).
        let near = |n: &Range<u32>| view.overlapping(n.start, n.end);
        // Nothing says where the paragraph belongs unless its neighbours align somewhere.
        if !neighbours
            .iter()
            .any(|n| near(n).into_iter().any(|(_, al)| touches(al, n)))
        {
            continue;
        }
        // Every other witness that holds the paragraph inside a longer one,
        // where the neighbours do not read on next to it.
        let mut excerpt_of: Option<(usize, Range<u32>)> = None;
        let mut in_flow = false;
        for &o in &others {
            let hits: Vec<&Indexed> = near(&r)
                .into_iter()
                .filter(|(x, al)| *x == o && touches(al, &r))
                .map(|(_, al)| al)
                .collect();
            let cov = crate::family::covered(
                hits.iter()
                    .map(|al| al.a.start.max(r.start)..al.a.end.min(r.end)),
            );
            if (cov as f64) < p.repeat_coverage * len as f64 {
                continue;
            }
            let lo = hits
                .iter()
                .map(|al| al.project(al.a.start.max(r.start)))
                .min()
                .unwrap_or(0);
            let hi = hits
                .iter()
                .map(|al| al.project(al.a.end.min(r.end)))
                .max()
                .unwrap_or(0);
            let longer =
                block_at(&blocks[o], lo).is_some_and(|line| line.len() as u32 > len + SLACK);
            let adjacent = neighbours.iter().any(|n| {
                near(n)
                    .into_iter()
                    .filter(|(x, al)| *x == o && touches(al, n))
                    .any(|(_, al)| {
                        let (ys, ye) = (
                            al.project(al.a.start.max(n.start)),
                            al.project(al.a.end.min(n.end)),
                        );
                        (ye + SLACK >= lo && ye <= lo + 2) || (ys + 2 >= hi && ys <= hi + SLACK)
                    })
            });
            in_flow |= adjacent || !longer;
            if longer && !adjacent && excerpt_of.is_none() {
                excerpt_of = Some((o, lo..hi));
            }
        }
        let Some((o, there)) = excerpt_of else {
            continue;
        };
        if in_flow {
            continue;
        }
        kept[pi] = false;
        findings.push(Finding::Duplicate {
            witness: w,
            range: r,
            of: (o, there),
        });
    }
}
