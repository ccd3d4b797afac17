//! What the harder simulations add beside the page layout: the paper's
//! boilerplate, OCR garbage lines and misprints of the source.

use super::noise::{HAN_COMMON, HAN_CONFUSIONS, LATIN_CONFUSIONS, substitute};
use super::sources::{is_han, words};
use super::truth::{Misprint, Script};
use super::{Dice, vocab};

/// The boilerplate blocks of one seed, by script: each block is lines
/// printed together.
#[derive(Default)]
pub(super) struct Boilerplate {
    han: Vec<Vec<String>>,
    latin: Vec<Vec<String>>,
}

impl Boilerplate {
    pub(super) fn of(&self, script: Script) -> &[Vec<String>] {
        match script {
            Script::Han => &self.han,
            Script::Latin => &self.latin,
        }
    }
}

const ZH_PAPERS: &[&str] = &[
    "东海晨报",
    "江城日报",
    "北方都市报",
    "南山晚报",
    "青川商报",
    "云岭日报",
    "滨海时报",
    "西湖周刊",
];
const ZH_CITIES: &[&str] = &[
    "临江", "青川", "滨海", "南山", "东阳", "云岭", "北川", "安平",
];
const ZH_ROADS: &[&str] = &[
    "解放", "人民", "建设", "中山", "和平", "新华", "文化", "长江",
];
const EN_PAPER_KINDS: &[&str] = &["Gazette", "Herald", "Chronicle", "Courier", "Echo", "Post"];
const EN_STREETS: &[&str] = &["Harbour", "Mill", "Station", "Church", "Market", "Bridge"];
const EN_STREET_KINDS: &[&str] = &["Road", "Street", "Lane", "Place"];

fn digits(dice: &mut Dice, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + dice.below(10) as u8))
        .collect()
}

fn upper(dice: &mut Dice) -> char {
    char::from(b'A' + dice.below(26) as u8)
}

/// Two mastheads, two address blocks and two standing notices per script.
pub(super) fn boilerplate_blocks(dice: &mut Dice) -> Boilerplate {
    let mut out = Boilerplate::default();
    for _ in 0..2 {
        let paper = *dice.pick(ZH_PAPERS);
        let city = *dice.pick(ZH_CITIES);
        out.han.push(vec![format!(
            "《{paper}》 {}年创刊 国内统一连续出版物号 CN{}-{} 邮发代号{}-{}",
            1949 + dice.below(60),
            11 + dice.below(50),
            digits(dice, 4),
            1 + dice.below(80),
            1 + dice.below(99)
        )]);
        let mut address = vec![format!(
            "社址：{city}市{}路{}号",
            dice.pick(ZH_ROADS),
            1 + dice.below(300)
        )];
        let mut more = vec![
            format!("邮政编码：{}", digits(dice, 6)),
            format!("新闻热线：0{}-{}", digits(dice, 3), digits(dice, 8)),
            format!("广告经营许可证：{city}工商广字第{}号", digits(dice, 4)),
            format!("印刷：{paper}印务中心"),
        ];
        dice.shuffle(&mut more);
        more.truncate(1 + dice.below(3));
        address.extend(more);
        out.han.push(address);
        let notice = match dice.below(3) {
            0 => format!(
                "本报郑重声明：凡《{paper}》记者采写的稿件，未经书面授权，任何单位和个人不得转载、摘编，违者必究。"
            ),
            1 => format!(
                "《{paper}》欢迎广大读者踊跃投稿，来稿请注明真实姓名、详细地址和联系电话，本报对采用稿件支付稿酬。"
            ),
            _ => format!(
                "本报发行热线：0{}-{}，如遇投递不及时，请拨打该电话，我们将及时处理。",
                digits(dice, 3),
                digits(dice, 8)
            ),
        };
        out.han.push(vec![notice]);

        let town = *dice.pick(vocab::EN_TOWNS);
        let kind = *dice.pick(EN_PAPER_KINDS);
        out.latin.push(vec![format!(
            "THE {} {} · Established {} · No. {}",
            town.to_uppercase(),
            kind.to_uppercase(),
            1850 + dice.below(100),
            digits(dice, 5)
        )]);
        let phone = format!("01632 {}", digits(dice, 6));
        let mut address = vec![format!(
            "{town} {kind} Ltd, {} {} {}",
            1 + dice.below(120),
            dice.pick(EN_STREETS),
            dice.pick(EN_STREET_KINDS)
        )];
        let mut more = vec![
            format!(
                "{town} {}{}{} {}{}{}",
                upper(dice),
                upper(dice),
                1 + dice.below(20),
                1 + dice.below(9),
                upper(dice),
                upper(dice)
            ),
            format!("Telephone: {phone}"),
            format!(
                "Email: newsdesk@{}{}.co.uk",
                town.to_lowercase().replace(' ', ""),
                kind.to_lowercase()
            ),
            "Registered as a newspaper at the Post Office".to_string(),
        ];
        dice.shuffle(&mut more);
        more.truncate(1 + dice.below(3));
        address.extend(more);
        out.latin.push(address);
        let notice = match dice.below(3) {
            0 => "Letters to the Editor must include the writer's full name, address and daytime telephone number. We reserve the right to edit letters for length and clarity.".to_string(),
            1 => format!("The {town} {kind} is a member of the Independent Press Standards Organisation and subscribes to its Editors' Code of Practice."),
            _ => format!("Subscriptions: {} issues for £{}. Call {phone} or write to the address above.", 26 * (1 + dice.below(4)), 20 + dice.below(80)),
        };
        out.latin.push(vec![notice]);
    }
    out
}

/// A logo or ornament as OCR reads it: 3–20 characters, no blank at
/// either end.
pub(super) fn garbage_line(script: Script, dice: &mut Dice) -> String {
    const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    const MIXED: &[u8] = b"ntwomrHUWiIlreuvyMNWVAXKkx";
    const DIGITS: &[u8] = b"0123456789";
    const PUNCT: &[u8] = b"~*.,:;'\"!|/\\-_=^`()[]{}<>#%&@";
    const ORNAMENTS: &[&str] = &[
        "~~*~~",
        "■ ■ ■",
        "* * *",
        "•••",
        "—◆—",
        "=====",
        "§§§",
        "|||||",
        "❖ ❖",
        "◇◇◇◇",
        "-o-o-o-",
    ];
    let pick = |dice: &mut Dice, set: &[u8]| char::from(set[dice.below(set.len())]);
    let line: String = match dice.below(if script == Script::Han { 6 } else { 5 }) {
        0 => (0..4 + dice.below(6)).map(|_| pick(dice, LOWER)).collect(),
        1 => (0..5 + dice.below(5)).map(|_| pick(dice, MIXED)).collect(),
        2 => (0..5 + dice.below(6))
            .map(|_| {
                if dice.chance(0.2) {
                    pick(dice, DIGITS)
                } else {
                    pick(dice, LOWER)
                }
            })
            .collect(),
        3 => dice.pick(ORNAMENTS).to_string(),
        4 => (0..3 + dice.below(18))
            .map(|_| match dice.below(3) {
                0 => pick(dice, MIXED),
                1 => pick(dice, DIGITS),
                _ => pick(dice, PUNCT),
            })
            .collect(),
        // A Chinese logo read as characters and strokes.
        _ => (0..3 + dice.below(5))
            .map(|_| {
                if dice.chance(0.3) {
                    *dice.pick(&['丨', '一', '丿', '口', '囗', '日'])
                } else {
                    *dice.pick(&HAN_COMMON)
                }
            })
            .collect(),
    };
    line
}

/// Common misspellings: (correct, misspelt).
const MISSPELLINGS: &[(&str, &str)] = &[
    ("the", "teh"),
    ("and", "adn"),
    ("with", "wiht"),
    ("which", "wich"),
    ("their", "thier"),
    ("receive", "recieve"),
    ("believe", "beleive"),
    ("separate", "seperate"),
    ("government", "goverment"),
    ("necessary", "neccessary"),
    ("occurred", "occured"),
    ("until", "untill"),
    ("beginning", "begining"),
    ("different", "diffrent"),
    ("because", "becuase"),
    ("across", "accross"),
    ("between", "betwen"),
    ("people", "peopel"),
    ("according", "acording"),
    ("committee", "comittee"),
    ("environment", "enviroment"),
    ("immediately", "immediatly"),
    ("successful", "succesful"),
    ("business", "buisness"),
    ("address", "adress"),
    ("million", "milion"),
    ("official", "offical"),
    ("following", "folowing"),
];

/// A misprint in paragraph `p` (`clean`), or `None` if it has no place
/// for one.
pub(super) fn misprint(clean: &str, p: usize, script: Script, dice: &mut Dice) -> Option<Misprint> {
    let make = |offset: usize, from: &str, to: String| Misprint {
        paragraph: p,
        offset,
        clean: from.to_string(),
        printed: to,
    };
    if script == Script::Han {
        let places: Vec<(usize, char)> = clean
            .char_indices()
            .filter(|&(_, c)| {
                is_han(c)
                    && HAN_CONFUSIONS
                        .get(&c)
                        .is_some_and(|(a, b)| a.len() + b.len() > 0)
            })
            .collect();
        if places.is_empty() {
            return None;
        }
        let (at, c) = *dice.pick(&places);
        let (used, to) = substitute(&clean[at..], c, dice)?;
        return Some(make(at, used, to));
    }
    let ws: Vec<(usize, &str)> = words(clean).collect();
    let known: Vec<(usize, &str, &str)> = ws
        .iter()
        .filter_map(|&(at, w)| {
            MISSPELLINGS
                .iter()
                .find(|(right, _)| *right == w)
                .map(|&(right, wrong)| (at, right, wrong))
        })
        .collect();
    if !known.is_empty() && dice.chance(0.4) {
        let (at, right, wrong) = *dice.pick(&known);
        return Some(make(at, right, wrong.to_string()));
    }
    let long: Vec<(usize, &str)> = ws.into_iter().filter(|(_, w)| w.len() >= 4).collect();
    if long.is_empty() {
        return None;
    }
    let (at, w) = *dice.pick(&long);
    if dice.chance(0.5) {
        // A confusable letter group inside the word (`rn` for `m`).
        let places: Vec<(usize, &str, &str)> = (1..w.len())
            .flat_map(|i| {
                LATIN_CONFUSIONS
                    .iter()
                    .filter(move |(from, to)| {
                        w[i..].starts_with(from) && to.bytes().all(|b| b.is_ascii_lowercase())
                    })
                    .map(move |&(from, to)| (i, from, to))
            })
            .collect();
        if !places.is_empty() {
            let (i, from, to) = *dice.pick(&places);
            return Some(make(at + i, from, to.to_string()));
        }
    }
    // Two adjacent letters swapped, the first letter kept.
    let b = w.as_bytes();
    let swaps: Vec<usize> = (1..w.len() - 1).filter(|&i| b[i] != b[i + 1]).collect();
    if swaps.is_empty() {
        return None;
    }
    let i = *dice.pick(&swaps);
    let to = format!("{}{}", char::from(b[i + 1]), char::from(b[i]));
    Some(make(at + i, &w[i..i + 2], to))
}
