//! Page layout of a scan: debris lines, page breaks, repeats and
//! fragments, columns, and the byte ranges of everything printed.

use std::ops::Range;

use super::extras::garbage_line;
use super::noise::{Printing, print};
use super::truth::{
    Column, Copied, Debris, DebrisLine, LineBreak, PrintedParagraph, Script, TruthScan,
};
use super::vocab::*;
use super::wrap::{Laid, lay_out};
use super::{Dice, Family, Plan, SimConfig};

pub(super) fn debris_line(kind: Debris, script: Script, dice: &mut Dice) -> String {
    let month = 1 + dice.below(12);
    let day = 1 + dice.below(28);
    match (script, kind) {
        (Script::Han, Debris::Caption) => {
            let scene = format!(
                "{}在{}{}",
                dice.pick(ZH_WHO),
                dice.pick(ZH_WHERE),
                dice.pick(ZH_DOING)
            );
            if dice.chance(0.3) {
                format!("图为{scene}。")
            } else {
                format!("{month}月{day}日，{scene}。")
            }
        }
        (Script::Han, Debris::Credit) => match dice.below(4) {
            0 => format!("新华社记者 {} 摄", dice.pick(ZH_NAMES)),
            1 => format!("本报记者 {}/摄", dice.pick(ZH_NAMES)),
            2 => format!("{} 摄", dice.pick(ZH_NAMES)),
            _ => "据新华社电".to_string(),
        },
        (Script::Han, Debris::JumpMarker) => {
            let n = dice.pick(ZH_NUMBERS);
            if dice.chance(0.5) {
                format!("（下转第{n}版）")
            } else {
                format!("（上接第{n}版）")
            }
        }
        (Script::Han, Debris::QrPrompt) => {
            let prompts = [
                "扫码看视频",
                "扫描二维码查看更多内容",
                "扫一扫，关注我们",
                "扫码阅读全文",
            ];
            dice.pick(&prompts).to_string()
        }
        (Script::Han, Debris::Furniture) => {
            if dice.chance(0.5) {
                format!("第{}版", 1 + dice.below(16))
            } else {
                let week = ["一", "二", "三", "四", "五", "六", "日"];
                format!("2025年{month}月{day}日 星期{}", dice.pick(&week))
            }
        }
        (Script::Latin, Debris::Caption) => {
            if dice.chance(0.6) {
                format!(
                    "{} {} in {} on {}.",
                    dice.pick(EN_WHO),
                    dice.pick(EN_DOING),
                    dice.pick(EN_TOWNS),
                    dice.pick(EN_DAYS)
                )
            } else {
                format!(
                    "Above: {} {} speaks to reporters in {}.",
                    dice.pick(EN_FIRST),
                    dice.pick(EN_LAST),
                    dice.pick(EN_TOWNS)
                )
            }
        }
        (Script::Latin, Debris::Credit) => {
            let (f, l) = (dice.pick(EN_FIRST), dice.pick(EN_LAST));
            match dice.below(3) {
                0 => format!("Photo: {f} {l}/{}", dice.pick(EN_AGENCIES)),
                1 => format!("(AP Photo/{f} {l})"),
                _ => format!("Photograph by {f} {l}"),
            }
        }
        (Script::Latin, Debris::JumpMarker) => {
            let page = format!("{}{}", dice.pick(&["A", "B", ""]), 1 + dice.below(12));
            if dice.chance(0.5) {
                format!("(Continued on Page {page})")
            } else {
                format!("Continued from Page {page}")
            }
        }
        (Script::Latin, Debris::QrPrompt) => {
            let prompts = [
                "Scan the QR code to watch the video",
                "Scan the code for more photos",
                "Scan the QR code to read the full report",
            ];
            dice.pick(&prompts).to_string()
        }
        (_, Debris::Boilerplate) => unreachable!("boilerplate is drawn per seed"),
        (_, Debris::Garbage) => garbage_line(script, dice),
        (Script::Latin, Debris::Furniture) => {
            if dice.chance(0.5) {
                format!("Page {}{}", dice.pick(&["A", "B", ""]), 1 + dice.below(16))
            } else {
                format!(
                    "{}, {} {day}, 2025",
                    dice.pick(EN_DAYS),
                    dice.pick(EN_MONTHS)
                )
            }
        }
    }
}

/// Debris lines printed together; `at_break` for the lines between the
/// halves of a paragraph cut by a page break.
pub(super) fn debris_group(
    script: Script,
    at_break: bool,
    dice: &mut Dice,
) -> Vec<(Debris, String)> {
    let mut kinds = Vec::new();
    if at_break {
        if dice.chance(0.5) {
            kinds.push(Debris::JumpMarker);
        }
        if dice.chance(0.3) {
            kinds.push(Debris::Furniture);
        }
        if dice.chance(0.35) {
            kinds.extend([Debris::Caption, Debris::Credit]);
        } else if dice.chance(0.2) {
            kinds.push(Debris::QrPrompt);
        }
        if kinds.is_empty() || dice.chance(0.25) {
            kinds.push(Debris::JumpMarker);
        }
    } else {
        match dice.below(20) {
            0..=9 => kinds.extend([Debris::Caption, Debris::Credit]),
            10..=11 => kinds.push(Debris::Caption),
            12..=14 => kinds.push(Debris::Credit),
            15..=17 => kinds.push(Debris::QrPrompt),
            _ => kinds.push(Debris::Furniture),
        }
    }
    kinds
        .into_iter()
        .map(|k| (k, debris_line(k, script, dice)))
        .collect()
}

/// What a cut paragraph prints between its halves.
pub(super) enum Between {
    /// Debris lines (a page break).
    Debris(Vec<(Debris, String)>),
    /// A fragment of printed paragraph `k`: bytes of its laid-out text.
    Frag(usize, Range<usize>),
    /// A fragment, chosen once the paragraphs that stay whole are known.
    Pending,
}

/// Where a paragraph is cut: its first piece ends at byte `end` of its
/// laid-out text, the second starts at `start`.
pub(super) struct Cut {
    end: usize,
    start: usize,
    between: Between,
}

/// What one scan prints, in order, before byte offsets are known.
pub(super) enum Item {
    /// Printed paragraph `k`, whole or cut.
    Para(usize, Option<Cut>),
    Debris(Vec<(Debris, String)>),
    Dup(usize),
    /// Bytes of the laid-out text of printed paragraph `k`.
    Frag(usize, Range<usize>),
}

/// Byte offset of the char boundary nearest after `chars` characters of `s`.
pub(super) fn char_offset(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// The column a scan is printed in, if any. Draws nothing when columns
/// are off.
fn draw_column(script: Script, config: &SimConfig, dice: &mut Dice) -> Option<Column> {
    if config.columns <= 0.0 || !dice.chance(config.columns) {
        return None;
    }
    let width = match script {
        Script::Han => dice.between(&(12..=18)),
        Script::Latin => dice.between(&(30..=50)),
    };
    let blank_lines = dice.chance(0.5);
    let indent = if dice.chance(0.4) {
        match script {
            Script::Han => "\u{3000}\u{3000}".to_string(),
            Script::Latin => " ".repeat(2 + dice.below(3)),
        }
    } else {
        String::new()
    };
    Some(Column {
        width,
        blank_lines,
        indent,
    })
}

/// Print one scan: its text and its truth (name and family left to the caller).
pub(super) fn print_scan(
    fam: &Family,
    plan: &Plan,
    boilerplate: &[Vec<String>],
    config: &SimConfig,
    dice: &mut Dice,
) -> (String, TruthScan) {
    let order = &plan.order;
    let script = fam.script;
    let factor = 0.25 + 1.5 * dice.unit();
    let rate = (config.noise * factor * 1e4).round() / 1e4;
    let punct = (config.punctuation * factor).min(1.0);
    let printed: Vec<Printing> = order
        .iter()
        .map(|&p| print(&fam.source[p].0, script, rate, punct, config.mix, dice))
        .collect();
    let len = |k: usize| printed[k].text.chars().count();
    let column = draw_column(script, config, dice);
    let laid: Vec<Laid> = printed
        .iter()
        .map(|p| match &column {
            Some(c) => lay_out(&p.text, script, c),
            None => Laid::single(&p.text),
        })
        .collect();
    // A paragraph that may be copied or cut: long enough, and in a column
    // at least two lines (copies and cuts end at line ends).
    let copyable = |k: usize| len(k) >= 12 && (column.is_none() || laid[k].lines.len() >= 2);
    // Where to cut paragraph `k` near `chars` characters in: between words
    // (Latin) or anywhere (Han), or at the nearest line end in a column.
    let cut_at = |k: usize, chars: usize| -> Option<(usize, usize)> {
        let text = &printed[k].text;
        let mut at = char_offset(text, chars);
        if column.is_some() {
            return laid[k].cut_near(at);
        }
        if script == Script::Latin {
            // Pages break between words: cut after the next space.
            if let Some(sp) = text[at..].find(' ')
                && at + sp + 1 < text.len()
            {
                at += sp + 1;
            }
        }
        Some((at, at))
    };
    // A truncated copy of paragraph `k`: its beginning or its end.
    let fragment = |k: usize, dice: &mut Dice| -> Range<usize> {
        let n = len(k);
        let keep = n / 4 + dice.below(n / 2 + 1);
        let text = &printed[k].text;
        let all = laid[k].text.len();
        if dice.chance(0.7) {
            let at = char_offset(text, keep.max(1));
            match &column {
                None => 0..at,
                Some(_) => 0..laid[k].cut_near(at).expect("two lines").0,
            }
        } else {
            let at = char_offset(text, n - keep.max(1));
            match &column {
                None => at..text.len(),
                Some(_) => laid[k].cut_near(at).expect("two lines").1..all,
            }
        }
    };

    let mut items: Vec<Item> = (0..printed.len()).map(|k| Item::Para(k, None)).collect();
    for item in items.iter_mut() {
        let Item::Para(k, cut) = item else { continue };
        let n = len(*k);
        if n >= 12 && dice.chance(config.page_breaks) {
            let at = n * 3 / 10 + dice.below(n * 4 / 10 + 1);
            if let Some((end, start)) = cut_at(*k, at) {
                let between = Between::Debris(debris_group(script, true, dice));
                *cut = Some(Cut {
                    end,
                    start,
                    between,
                });
            }
        }
    }
    let position = |items: &[Item], k: usize| {
        items
            .iter()
            .position(|it| matches!(it, Item::Para(j, _) if *j == k))
            .expect("printed paragraph is placed")
    };
    if config.inner_fragments > 0.0 {
        // Paragraphs a fragment will cut, like a page break; one stays whole
        // for the fragments to copy.
        for _ in 0..dice.geometric(config.inner_fragments, 2) {
            let open: Vec<usize> = items
                .iter()
                .filter_map(|it| match it {
                    Item::Para(k, None) if copyable(*k) => Some(*k),
                    _ => None,
                })
                .collect();
            if open.len() < 2 {
                break;
            }
            let host = *dice.pick(&open);
            let n = len(host);
            let at = n * 3 / 10 + dice.below(n * 4 / 10 + 1);
            if let Some((end, start)) = cut_at(host, at) {
                let i = position(&items, host);
                items[i] = Item::Para(
                    host,
                    Some(Cut {
                        end,
                        start,
                        between: Between::Pending,
                    }),
                );
            }
        }
    }
    let whole: Vec<usize> = items
        .iter()
        .filter_map(|it| match it {
            Item::Para(k, None) if copyable(*k) => Some(*k),
            _ => None,
        })
        .collect();
    if !whole.is_empty() {
        for _ in 0..dice.geometric(config.repeats, 3) {
            let k = *dice.pick(&whole);
            let after = position(&items, k) + 1;
            let at = after + dice.below(items.len() - after + 1);
            items.insert(at, Item::Dup(k));
        }
        for _ in 0..dice.geometric(config.fragments, 3) {
            let k = *dice.pick(&whole);
            let part = fragment(k, dice);
            let at = dice.below(items.len() + 1);
            items.insert(at, Item::Frag(k, part));
        }
        for item in items.iter_mut() {
            if let Item::Para(_, Some(cut)) = item
                && matches!(cut.between, Between::Pending)
            {
                let k = *dice.pick(&whole);
                cut.between = Between::Frag(k, fragment(k, dice));
            }
        }
        if config.late_repeats > 0.0 {
            for _ in 0..dice.geometric(config.late_repeats, 2) {
                // A run of consecutive whole paragraphs, again after its end.
                let first = *dice.pick(&whole);
                let want = 1 + dice.below(3);
                let run: Vec<usize> = (first..first + want)
                    .take_while(|k| whole.contains(k))
                    .collect();
                let after = position(&items, *run.last().expect("a run")) + 1;
                let at = after + dice.below(items.len() - after + 1);
                items.splice(at..at, run.into_iter().map(Item::Dup));
            }
        }
    }
    let mut with_debris = Vec::with_capacity(items.len() + 4);
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 && dice.chance(config.debris) {
            with_debris.push(Item::Debris(debris_group(script, false, dice)));
        }
        with_debris.push(item);
    }
    if dice.chance(config.debris) {
        with_debris.push(Item::Debris(debris_group(script, false, dice)));
    }
    if config.garbage > 0.0 {
        let garbage = |dice: &mut Dice| {
            let lines = 1 + dice.geometric(0.3, 1);
            Item::Debris(
                (0..lines)
                    .map(|_| (Debris::Garbage, garbage_line(script, dice)))
                    .collect(),
            )
        };
        let mut out = Vec::with_capacity(with_debris.len() + 2);
        for item in with_debris {
            if dice.chance(config.garbage) {
                out.push(garbage(dice));
            }
            out.push(item);
        }
        if dice.chance(config.garbage) {
            out.push(garbage(dice));
        }
        with_debris = out;
    }
    if config.boilerplate > 0.0 && !boilerplate.is_empty() {
        for _ in 0..dice.geometric(config.boilerplate, 2) {
            let block = dice.pick(boilerplate);
            // Mostly at the top or the bottom of the page.
            let at = match dice.below(3) {
                0 => 0,
                1 => with_debris.len(),
                _ => dice.below(with_debris.len() + 1),
            };
            let lines = block
                .iter()
                .map(|l| (Debris::Boilerplate, l.clone()))
                .collect();
            with_debris.insert(at, Item::Debris(lines));
        }
    }

    // Lay out the text, recording every range.
    let sep = match &column {
        Some(c) if !c.blank_lines => "\n",
        _ => "\n\n",
    };
    let mut text = String::new();
    let mut pieces: Vec<Vec<Range<usize>>> = vec![Vec::new(); printed.len()];
    let mut debris = Vec::new();
    let mut breaks: Vec<LineBreak> = Vec::new();
    let mut duplicates = Vec::new();
    let mut fragments: Vec<(Range<usize>, usize, Range<usize>)> = Vec::new();
    let push_lines =
        |text: &mut String, debris: &mut Vec<DebrisLine>, lines: &[(Debris, String)]| {
            for (j, (kind, line)) in lines.iter().enumerate() {
                if j > 0 {
                    // A credit often sits right under its caption, and a
                    // block of boilerplate is printed tight.
                    let prev = lines[j - 1].0;
                    let tight = (*kind == Debris::Credit && prev == Debris::Caption)
                        || (*kind == Debris::Boilerplate && prev == Debris::Boilerplate);
                    text.push_str(if tight { "\n" } else { sep });
                }
                let start = text.len();
                text.push_str(line);
                debris.push(DebrisLine {
                    start,
                    end: text.len(),
                    kind: *kind,
                    text: line.clone(),
                });
            }
        };
    // Bytes `slice` of a laid-out paragraph, with their layout records.
    let emit =
        |text: &mut String, breaks: &mut Vec<LineBreak>, laid: &Laid, slice: Range<usize>| {
            let start = text.len();
            breaks.extend(laid.breaks_in(slice.clone(), start));
            text.push_str(&laid.text[slice]);
            start..text.len()
        };
    for (i, item) in with_debris.iter().enumerate() {
        if i > 0 {
            text.push_str(sep);
        }
        match item {
            Item::Para(k, None) => {
                let r = emit(&mut text, &mut breaks, &laid[*k], 0..laid[*k].text.len());
                pieces[*k].push(r);
            }
            Item::Para(k, Some(cut)) => {
                let l = &laid[*k];
                let r = emit(&mut text, &mut breaks, l, 0..cut.end);
                pieces[*k].push(r);
                text.push_str(sep);
                match &cut.between {
                    Between::Debris(lines) => push_lines(&mut text, &mut debris, lines),
                    Between::Frag(j, part) => {
                        let r = emit(&mut text, &mut breaks, &laid[*j], part.clone());
                        fragments.push((r, *j, part.clone()));
                    }
                    Between::Pending => unreachable!("every cut has its fragment"),
                }
                text.push_str(sep);
                let r = emit(&mut text, &mut breaks, l, cut.start..l.text.len());
                pieces[*k].push(r);
            }
            Item::Debris(lines) => push_lines(&mut text, &mut debris, lines),
            Item::Dup(k) => {
                let r = emit(&mut text, &mut breaks, &laid[*k], 0..laid[*k].text.len());
                duplicates.push(Copied {
                    start: r.start,
                    end: r.end,
                    of: pieces[*k][0].clone(),
                    paragraph: order[*k],
                });
            }
            Item::Frag(k, part) => {
                let r = emit(&mut text, &mut breaks, &laid[*k], part.clone());
                fragments.push((r, *k, part.clone()));
            }
        }
    }
    text.push('\n');
    let fragments = fragments
        .into_iter()
        .map(|(r, k, part)| {
            let base = pieces[k][0].start;
            Copied {
                start: r.start,
                end: r.end,
                of: base + part.start..base + part.end,
                paragraph: order[k],
            }
        })
        .collect();
    let paragraphs = printed
        .iter()
        .zip(pieces)
        .zip(order)
        .map(|((p, pieces), &paragraph)| PrintedParagraph {
            paragraph,
            pieces,
            // A misprint of the source is an error of every scan.
            edits: p.edits + fam.source[paragraph].1,
            exact: p.text == fam.paragraphs[paragraph],
        })
        .collect();
    let missing = (0..fam.paragraphs.len())
        .filter(|p| !order.contains(p))
        .collect();
    let truth = TruthScan {
        name: String::new(),
        family: 0,
        noise: rate,
        paragraphs,
        missing,
        reordered: plan.reordered,
        duplicates,
        fragments,
        debris,
        moved: plan.moved.clone(),
        column,
        breaks,
    };
    (text, truth)
}
