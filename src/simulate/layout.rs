//! Page layout of a scan: debris lines, page breaks, repeats and
//! fragments, and the byte ranges of everything printed.

use std::ops::Range;

use super::noise::{Printing, print};
use super::truth::{Copied, Debris, DebrisLine, PrintedParagraph, Script, TruthScan};
use super::{Dice, Family, SimConfig};

pub(super) const ZH_NAMES: &[&str] = &[
    "张三",
    "李明",
    "王芳",
    "陈晓东",
    "刘洋",
    "赵敏",
    "孙立",
    "周琳",
    "吴强",
    "郑华",
    "何静",
    "高远",
];
pub(super) const ZH_NUMBERS: &[&str] = &[
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十二", "十六",
];
pub(super) const ZH_WHO: &[&str] = &[
    "记者",
    "工作人员",
    "游客",
    "农民",
    "队员们",
    "市民",
    "志愿者",
    "孩子们",
    "抢修人员",
    "技术人员",
    "学生们",
    "老人们",
];
pub(super) const ZH_WHERE: &[&str] = &[
    "现场",
    "田间",
    "展厅",
    "港口",
    "社区",
    "车间",
    "街头",
    "码头",
    "训练场",
    "图书馆",
    "果园",
    "工地",
];
pub(super) const ZH_DOING: &[&str] = &[
    "采访",
    "劳作",
    "参观",
    "忙碌",
    "排队",
    "检查设备",
    "交流",
    "合影留念",
    "进行训练",
    "阅读",
    "清理路面",
    "搬运物资",
];
pub(super) const EN_FIRST: &[&str] = &[
    "Jane", "Tom", "Maria", "David", "Aisha", "Peter", "Lena", "Samuel", "Grace", "Owen", "Nadia",
    "Henry",
];
pub(super) const EN_LAST: &[&str] = &[
    "Doe",
    "Hartley",
    "Okafor",
    "Lindqvist",
    "Moreno",
    "Patel",
    "Fraser",
    "Kowalski",
    "Brennan",
    "Ashworth",
    "Tanaka",
    "Whitlock",
];
pub(super) const EN_AGENCIES: &[&str] = &["Reuters", "AP", "AFP", "Getty Images"];
pub(super) const EN_TOWNS: &[&str] = &[
    "Marlow Bay",
    "Eastbridge",
    "Kingsford",
    "Alder Vale",
    "Port Hollis",
    "Greyhaven",
    "Millbrook",
];
pub(super) const EN_DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
pub(super) const EN_MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub(super) const EN_WHO: &[&str] = &[
    "Volunteers",
    "Workers",
    "Farmers",
    "Children",
    "Fans",
    "Residents",
    "Engineers",
    "Students",
    "Firefighters",
    "Shoppers",
];
pub(super) const EN_DOING: &[&str] = &[
    "sort donations",
    "inspect the damage",
    "load grain onto lorries",
    "visit the new exhibition",
    "celebrate",
    "queue for tickets",
    "clear debris",
    "wait for buses",
    "gather outside the town hall",
];

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

/// What one scan prints, in order, before byte offsets are known.
pub(super) enum Item {
    /// Printed paragraph `k`; with a cut (byte offset into it) and the debris
    /// lines printed between its halves.
    Para(usize, Option<(usize, Vec<(Debris, String)>)>),
    Debris(Vec<(Debris, String)>),
    Dup(usize),
    Frag(usize, Range<usize>),
}

/// Byte offset of the char boundary nearest after `chars` characters of `s`.
pub(super) fn char_offset(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// Print one scan: its text and its truth (name and family left to the caller).
pub(super) fn print_scan(
    fam: &Family,
    (order, reordered): &(Vec<usize>, bool),
    config: &SimConfig,
    dice: &mut Dice,
) -> (String, TruthScan) {
    let script = fam.script;
    let factor = 0.25 + 1.5 * dice.unit();
    let rate = (config.noise * factor * 1e4).round() / 1e4;
    let punct = (config.punctuation * factor).min(1.0);
    let printed: Vec<Printing> = order
        .iter()
        .map(|&p| print(&fam.paragraphs[p], script, rate, punct, config.mix, dice))
        .collect();
    let len = |k: usize| printed[k].text.chars().count();

    let mut items: Vec<Item> = (0..printed.len()).map(|k| Item::Para(k, None)).collect();
    for item in items.iter_mut() {
        let Item::Para(k, cut) = item else { continue };
        let n = len(*k);
        if n >= 12 && dice.chance(config.page_breaks) {
            let text = &printed[*k].text;
            let at = n * 3 / 10 + dice.below(n * 4 / 10 + 1);
            let mut at = char_offset(text, at);
            if script == Script::Latin {
                // Pages break between words: cut after the next space.
                if let Some(sp) = text[at..].find(' ')
                    && at + sp + 1 < text.len()
                {
                    at += sp + 1;
                }
            }
            *cut = Some((at, debris_group(script, true, dice)));
        }
    }
    let whole: Vec<usize> = items
        .iter()
        .filter_map(|it| match it {
            Item::Para(k, None) if len(*k) >= 12 => Some(*k),
            _ => None,
        })
        .collect();
    let position = |items: &[Item], k: usize| {
        items
            .iter()
            .position(|it| matches!(it, Item::Para(j, _) if *j == k))
            .expect("printed paragraph is placed")
    };
    if !whole.is_empty() {
        for _ in 0..dice.geometric(config.repeats, 3) {
            let k = *dice.pick(&whole);
            let after = position(&items, k) + 1;
            let at = after + dice.below(items.len() - after + 1);
            items.insert(at, Item::Dup(k));
        }
        for _ in 0..dice.geometric(config.fragments, 3) {
            let k = *dice.pick(&whole);
            let n = len(k);
            let keep = n / 4 + dice.below(n / 2 + 1);
            let text = &printed[k].text;
            let part = if dice.chance(0.7) {
                0..char_offset(text, keep.max(1))
            } else {
                char_offset(text, n - keep.max(1))..text.len()
            };
            let at = dice.below(items.len() + 1);
            items.insert(at, Item::Frag(k, part));
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

    // Lay out the text, recording every range.
    let mut text = String::new();
    let mut pieces: Vec<Vec<Range<usize>>> = vec![Vec::new(); printed.len()];
    let mut debris = Vec::new();
    let mut duplicates = Vec::new();
    let mut fragments: Vec<(Range<usize>, usize, Range<usize>)> = Vec::new();
    let push_lines =
        |text: &mut String, debris: &mut Vec<DebrisLine>, lines: &[(Debris, String)]| {
            for (j, (kind, line)) in lines.iter().enumerate() {
                if j > 0 {
                    // A credit often sits right under its caption.
                    let tight = *kind == Debris::Credit && lines[j - 1].0 == Debris::Caption;
                    text.push_str(if tight { "\n" } else { "\n\n" });
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
    for (i, item) in with_debris.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        match item {
            Item::Para(k, None) => {
                let start = text.len();
                text.push_str(&printed[*k].text);
                pieces[*k].push(start..text.len());
            }
            Item::Para(k, Some((cut, lines))) => {
                let t = &printed[*k].text;
                let start = text.len();
                text.push_str(&t[..*cut]);
                pieces[*k].push(start..text.len());
                text.push_str("\n\n");
                push_lines(&mut text, &mut debris, lines);
                text.push_str("\n\n");
                let start = text.len();
                text.push_str(&t[*cut..]);
                pieces[*k].push(start..text.len());
            }
            Item::Debris(lines) => push_lines(&mut text, &mut debris, lines),
            Item::Dup(k) => {
                let start = text.len();
                text.push_str(&printed[*k].text);
                duplicates.push(Copied {
                    start,
                    end: text.len(),
                    of: pieces[*k][0].clone(),
                    paragraph: order[*k],
                });
            }
            Item::Frag(k, part) => {
                let start = text.len();
                text.push_str(&printed[*k].text[part.clone()]);
                fragments.push((start..text.len(), *k, part.clone()));
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
            edits: p.edits,
            exact: p.exact,
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
        reordered: *reordered,
        duplicates,
        fragments,
        debris,
    };
    (text, truth)
}
