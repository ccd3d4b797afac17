//! Segment: blocks from line structure, and debris classified by rules.
//!
//! A block is one printed line (scans come one paragraph or printed line per
//! line), or the part of a line before a trailing wire credit. Debris
//! (captions, credits, jump markers, "scan the code" prompts, page furniture,
//! lone ornaments) is recognised here by rules on the folded line; later
//! stages add what only the alignments reveal (lines interrupting a paragraph
//! at a page break) and what only the whole corpus reveals (short lines
//! recurring across unrelated documents).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::fold::{Folded, is_dropped};

/// Why a stretch of a scan was dropped as debris.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DebrisKind {
    /// A photo caption.
    Caption,
    /// A photo or wire credit ("新华社记者 刘续/摄", "据新华社电").
    Credit,
    /// A jump marker ("（下转第四版）", "continued on page 4").
    JumpMarker,
    /// A "scan the code" prompt.
    QrPrompt,
    /// Page furniture: page numbers, datelines, running heads (a short line
    /// that recurs across unrelated documents).
    Furniture,
    /// A line of symbols only (a lone quotation mark, a bullet).
    Ornament,
    /// A line printed inside a paragraph that resumes after it (page-break debris).
    Interruption,
    /// OCR garbage: a line only one scan reads whose characters are not
    /// words of any script (a logo or an ornament read as letters).
    Garbage,
    /// A hyphen ending a line inside a word that the other scans read
    /// whole, or that the family prints whole elsewhere ("Home-" /
    /// "owners"): the word reads joined.
    Hyphen,
}

impl DebrisKind {
    /// The name used in the JSON output.
    pub fn name(&self) -> &'static str {
        match self {
            DebrisKind::Caption => "caption",
            DebrisKind::Credit => "credit",
            DebrisKind::JumpMarker => "jump-marker",
            DebrisKind::QrPrompt => "qr-prompt",
            DebrisKind::Furniture => "furniture",
            DebrisKind::Ornament => "ornament",
            DebrisKind::Interruption => "interruption",
            DebrisKind::Garbage => "garbage",
            DebrisKind::Hyphen => "hyphen",
        }
    }
}

/// One block: a printed line, or part of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// Folded character range.
    pub range: Range<u32>,
    /// Index of the source line (blocks split from one line share it).
    pub line: u32,
    /// `None` for body text.
    pub debris: Option<DebrisKind>,
}

impl Block {
    pub fn len(&self) -> usize {
        (self.range.end - self.range.start) as usize
    }
    pub fn is_body(&self) -> bool {
        self.debris.is_none()
    }
}

/// Split a text into blocks and classify debris by rule.
pub(crate) fn segment(text: &str, folded: &Folded) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut start = 0usize;
    let mut line = 0u32;
    let bytes = text.as_bytes();
    while start <= bytes.len() {
        let end = memchr_newline(bytes, start);
        let a = folded.position_at(start as u32) as u32;
        let b = folded.position_at(end as u32) as u32;
        if b > a {
            let s: String = folded.chars[a as usize..b as usize].iter().collect();
            match split_trailing_credit(&s) {
                Some(cut) => {
                    let cut = a + cut as u32;
                    blocks.push(Block {
                        range: a..cut,
                        line,
                        debris: classify(&s[..byte_of_char(&s, (cut - a) as usize)]),
                    });
                    blocks.push(Block {
                        range: cut..b,
                        line,
                        debris: Some(DebrisKind::Credit),
                    });
                }
                None => blocks.push(Block {
                    range: a..b,
                    line,
                    debris: classify(&s),
                }),
            }
            line += 1;
        }
        if end >= bytes.len() {
            break;
        }
        start = end + 1;
    }
    mark_captions(&mut blocks, folded);
    blocks
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |p| from + p)
}

fn byte_of_char(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($pat).expect("valid regex"));
    };
}

// Patterns run on folded lines: NFKC, lower case, no whitespace.
re!(
    JUMP,
    r"^[(\[]?(上接|下转|接上|转下|下接|上转|转接|接第|转第|续第|转至|转到|接)第?[0-9一二三四五六七八九十百a-z]{1,4}(版|页|面)[)\]]?$|^[(\[]?(continued|cont'?d)(on|from)?(page|p\.?|pg\.?)?[a-z]?\d+[a-z]?[)\]]?$|^[(\[]?(see|turnto)(page|p\.?)[a-z]?\d+[a-z]?[)\]]?$"
);
re!(
    QR,
    r"扫码|扫描二维码|扫一扫|二维码|扫描下方|长按识别|scanthe(qr)?code|scanthisqr|qrcode"
);
re!(
    CREDIT,
    r"^■?据(新华社|中新社|人民日报|本报|央视|新华网|人民网|中国日报|路透社|美联社|法新社)[\p{Han}]{0,6}?(电|报道)?$|^(新华社|中新社|本报|人民日报|中国日报|央视|人民网|新华网|新京报)(记者|特约记者|通讯员|特派记者)?[\p{Han}·、/]{0,12}(摄|图|供图|制图|摄影|电|报道)$|^(记者|特约记者|通讯员|摄影)[\p{Han}·、/]{0,10}(摄|图|供图|摄影)$|^[\p{Han}·]{2,4}/?(摄|摄影)$|^(责任编辑|编辑|责编|校对|美编|版式|本版编辑|视觉)[:：][\p{Han}·、]{1,12}$|^(photo|photograph|picture|image)s?(by|:|courtesy)|^\(?(ap|reuters|afp|getty|xinhua)(photo|images)?(/[a-z.]+)?\)?$"
);
re!(
    FURNITURE,
    r"^第?[0-9一二三四五六七八九十]{1,3}(版|页)$|^(page|p\.?|pg\.?)[a-z]?\d{1,3}$|^-?\d{1,3}-?$|^\d{4}年\d{1,2}月\d{1,2}日(星期[一二三四五六日天])?$|^((mon|tues|wednes|thurs|fri|satur|sun)day,?)?(january|february|march|april|may|june|july|august|september|october|november|december)\d{1,2},?\d{4}$"
);
re!(
    DATED_CAPTION,
    r"^\d{1,2}月\d{1,2}日[,，][^。!?]{2,30}[。!?]$|^[^.!?]{10,90}on(mon|tues|wednes|thurs|fri|satur|sun)day\.$"
);
re!(
    CAPTION_PREFIX,
    r"^(图|上图|下图|左图|右图|图为|图片|组图|图①|图②|photo|above|below|left|right)[:：为]"
);
re!(
    PHOTO_CREDIT,
    r"(摄|图|供图|摄影)$|^\(?(ap|reuters|afp|getty|xinhua)|^(photo|photograph)s?(by|:)"
);
re!(
    TRAILING_CREDIT,
    r"[。!?”」』)](■?据(新华社|中新社|人民日报|本报|央视|新华网|人民网|中国日报)(电|报道)?)$"
);

/// The rule-based kind of a folded line, `None` for body text. OCR strews
/// stray marks over a line ("‘Photograph by…", ":;Photograph by…",
/// "Continued from Page.B7"): the rules are tried on the line as read, then
/// without the marks at its ends, then on its letters and digits alone.
pub(crate) fn classify(s: &str) -> Option<DebrisKind> {
    if s.chars().all(|c| !c.is_alphanumeric()) {
        return Some(DebrisKind::Ornament);
    }
    if let Some(kind) = classify_as_read(s) {
        return Some(kind);
    }
    let trimmed = s.trim_matches(|c: char| !c.is_alphanumeric() && !"()[]".contains(c));
    if trimmed != s
        && let Some(kind) = classify_as_read(trimmed)
    {
        return Some(kind);
    }
    let bare: String = s.chars().filter(|c| c.is_alphanumeric()).collect();
    if bare != trimmed {
        return classify_as_read(&bare);
    }
    None
}

fn classify_as_read(s: &str) -> Option<DebrisKind> {
    let n = s.chars().count();
    if n <= 40 && JUMP.is_match(s) {
        return Some(DebrisKind::JumpMarker);
    }
    if n <= 60 && QR.is_match(s) {
        return Some(DebrisKind::QrPrompt);
    }
    if n <= 30 && CREDIT.is_match(s) {
        return Some(DebrisKind::Credit);
    }
    if n <= 32 && FURNITURE.is_match(s) {
        return Some(DebrisKind::Furniture);
    }
    if n <= 160 && (CAPTION_PREFIX.is_match(s) || DATED_CAPTION.is_match(s)) {
        return Some(DebrisKind::Caption);
    }
    None
}

/// Character offset at which a trailing wire credit starts, if the line ends
/// with one after a complete sentence ("……毒瘤。 据新华社").
fn split_trailing_credit(s: &str) -> Option<usize> {
    // Every credit the pattern knows ends in one of these: most lines are
    // settled without running it.
    if !s.ends_with(['电', '道', '社', '报', '视', '网']) {
        return None;
    }
    let caps = TRAILING_CREDIT.captures(s)?;
    let m = caps.get(1)?;
    let cut = s[..m.start()].chars().count();
    (cut > 0).then_some(cut)
}

/// A short line right before a photo credit is the photo's caption.
fn mark_captions(blocks: &mut [Block], folded: &Folded) {
    for i in 0..blocks.len().saturating_sub(1) {
        let next = &blocks[i + 1];
        if blocks[i].debris.is_some()
            || next.debris != Some(DebrisKind::Credit)
            || next.line == blocks[i].line
        {
            continue;
        }
        let s: String = folded.chars[next.range.start as usize..next.range.end as usize]
            .iter()
            .collect();
        // A caption is one sentence; a paragraph of several ending above a
        // credit is body text the photo sat under.
        let line = &folded.chars[blocks[i].range.start as usize..blocks[i].range.end as usize];
        let sentences = line[..line.len() - 1]
            .iter()
            .filter(|&&c| matches!(c, '。' | '!' | '?' | '.'))
            .count();
        // A short line right above a credit is a caption; a longer one only
        // above a photo credit.
        let photo = PHOTO_CREDIT.is_match(&s);
        if sentences == 0 && (blocks[i].len() <= 40 || blocks[i].len() <= 120 && photo) {
            blocks[i].debris = Some(DebrisKind::Caption);
        }
    }
}

/// True if a folded line ends a sentence (so a page break after it is a
/// paragraph break, not a cut).
pub(crate) fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '。' | '.' | '!' | '?' | '”' | '」' | '』' | '"' | ')' | '…' | ';' | '’' | '】'
    )
}

/// True for the punctuation of running text (commas, stops, quotes,
/// brackets), as against bullets, boxes and other marks.
pub(crate) fn is_sentence_punct(c: char) -> bool {
    matches!(
        c,
        '，' | ','
            | '。'
            | '.'
            | '、'
            | '；'
            | ';'
            | '：'
            | ':'
            | '！'
            | '!'
            | '？'
            | '?'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '"'
            | '\''
            | '（'
            | '('
            | '）'
            | ')'
            | '《'
            | '》'
            | '「'
            | '」'
            | '『'
            | '』'
            | '—'
            | '…'
            | '-'
            | '·'
    )
}

/// True if the character is punctuation or a symbol rather than text.
pub(crate) fn is_punct(c: char) -> bool {
    !c.is_alphanumeric() && !is_dropped(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::{fold, fold_str};

    macro_rules! case {
        ($name:ident, $line:expr, $kind:expr) => {
            #[test]
            fn $name() {
                assert_eq!(classify(&fold_str($line)), $kind);
            }
        };
    }

    case!(
        jump_marker_fullwidth,
        "（下转第四版）",
        Some(DebrisKind::JumpMarker)
    );
    case!(
        jump_marker_halfwidth,
        "(上接第3版)",
        Some(DebrisKind::JumpMarker)
    );
    case!(
        jump_marker_english,
        "Continued on Page A4",
        Some(DebrisKind::JumpMarker)
    );
    // Stray marks OCR strews over a line (from the OCR round trip).
    case!(
        jump_marker_with_stray_marks,
        "Continued from Page.B7",
        Some(DebrisKind::JumpMarker)
    );
    case!(
        jump_marker_with_stray_lead,
        ",‘(Continued on Page A12)",
        Some(DebrisKind::JumpMarker)
    );
    case!(
        credit_with_stray_lead,
        ":;Photograph by Tom Kowalski",
        Some(DebrisKind::Credit)
    );
    case!(
        body_with_stray_marks_is_body,
        "‘Residents will be able to comment on the plans at a hearing.",
        None
    );
    case!(qr_prompt, "扫码看视频", Some(DebrisKind::QrPrompt));
    case!(credit_photo, "新华社记者 刘续/摄", Some(DebrisKind::Credit));
    case!(credit_photo_short, "新华社 图", Some(DebrisKind::Credit));
    case!(credit_wire, "■据新华社", Some(DebrisKind::Credit));
    case!(credit_wire_dian, "据新华社电", Some(DebrisKind::Credit));
    case!(credit_name_only, "吴强 摄", Some(DebrisKind::Credit));
    case!(ornament, "“", Some(DebrisKind::Ornament));
    case!(page_number, "第4版", Some(DebrisKind::Furniture));
    case!(
        dateline_english,
        "Wednesday, February 23, 2025",
        Some(DebrisKind::Furniture)
    );
    case!(
        qr_prompt_long,
        "Scan the QR code to read the full report",
        Some(DebrisKind::QrPrompt)
    );
    case!(
        dated_caption,
        "5月22日，孩子们在码头交流。",
        Some(DebrisKind::Caption)
    );
    case!(
        caption_english,
        "Firefighters load grain onto lorries in Marlow on Tuesday.",
        Some(DebrisKind::Caption)
    );
    case!(
        sentence_english_is_body,
        "The council met on Tuesday. It voted to close the bridge on Friday.",
        None
    );
    case!(
        dated_lede_is_body,
        "3月7日，十四届全国人大三次会议在梅地亚中心举行记者会。中共中央政治局委员、外交部长王毅回答中外记者提问。",
        None
    );
    case!(heading_is_body, "谈中国外交", None);
    case!(sentence_is_body, "记者会历时1小时30分钟。", None);
    case!(
        body_mentions_photo,
        "中国有句古诗说得好，“青山遮不住，毕竟东流去”。",
        None
    );

    #[test]
    fn caption_before_credit_and_trailing_credit() {
        let text = "正文第一段。\n\n3月7日，王毅回答记者提问。\n新华社记者 陈钟昊摄\n\n切除网络电诈这颗毒瘤。 据新华社\n";
        let f = fold(text);
        let blocks = segment(text, &f);
        let kinds: Vec<_> = blocks.iter().map(|b| b.debris).collect();
        assert_eq!(
            kinds,
            [
                None,
                Some(DebrisKind::Caption),
                Some(DebrisKind::Credit),
                None,
                Some(DebrisKind::Credit)
            ]
        );
        let last: String = f.chars[blocks[4].range.start as usize..blocks[4].range.end as usize]
            .iter()
            .collect();
        assert_eq!(last, "据新华社");
    }
}
