//! Page and column breaks: a paragraph cut by a break is re-joined, and
//! what was printed in the cut is debris.

use std::ops::Range;

use super::{Finding, Params, View, Witness, block_at, unspaced};
use crate::fold::Folded;
use crate::segment::{Block, DebrisKind, ends_sentence, is_punct};

/// Decide which consecutive body lines of witness `w` are one paragraph cut
/// by a page or column break; mark lines printed in between as debris.
/// Returns the paragraphs as lists of body block indices.
pub(super) fn join_page_breaks(
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
pub(super) fn should_join(
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
    let q_copied = 2 * copied_to(q, &outside) >= (q.end - q.start) as usize;
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
            // The other text goes on from the end of `p` with something
            // `q` does not start with, and this scan prints most of `q`
            // elsewhere: `q` is a copy put in there (a fragment of another
            // paragraph printed inside this one).
            if t.is_some() && u.is_none() && *other != w && q_copied {
                negative = true;
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
fn same_line(blocks: &[Block], x: u32, y: u32) -> bool {
    block_at(blocks, x)
        .is_some_and(|b| y < b.range.end || block_at(blocks, y).is_some_and(|c| c.line == b.line))
}

/// True if whitespace separates two ideographs inside the line (a heading's
/// phrases: "全球南方 要让世界稳下来、好起来 全球南方是关键").
pub(super) fn spaced_out(folded: &Folded, r: &Range<u32>) -> bool {
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
pub(super) fn drop_interruptions(
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
            let spaced = text.iter().filter(|&&c| unspaced(c)).count() * 2 < text.len();
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
