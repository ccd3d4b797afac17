//! Layout: how the printed lines of a scan become the text of a paragraph.
//!
//! OCR engines print one printed line per line. Inside a paragraph a line
//! break is not text: it stands for what the typesetter took out, which the
//! script decides: a space between words of a spaced script (Latin, Cyrillic,
//! Greek, Hangul…), nothing between Han characters or kana (which are set
//! without spaces), and nothing after a hyphen that ends a line (the word
//! continues on the next line; whether the hyphen itself stays, a real
//! compound such as "By-Laws", or goes, a split word, is
//! [`super::hyphens`]' call).

/// What separates two characters of a witness in its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// Nothing: the characters touch.
    None,
    /// Spaces or tabs.
    Space,
    /// A line break (with any spaces around it).
    Line,
}

impl Gap {
    /// The gap in `between`, the source text between two characters.
    pub(crate) fn of(between: &str) -> Gap {
        if between.contains(['\n', '\r', '\u{2028}', '\u{2029}', '\u{0085}']) {
            Gap::Line
        } else if between.chars().any(char::is_whitespace) {
            Gap::Space
        } else {
            Gap::None
        }
    }
}

/// True for scripts set without spaces between words: Han, kana, and the
/// CJK punctuation and symbols block.
pub(crate) fn unspaced(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{3000}'..='\u{30FF}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{31F0}'..='\u{31FF}')
}

/// True if a line break between `before` and `after`, inside a paragraph,
/// reads as a space: between two characters of spaced scripts, unless the
/// line ends with a hyphen.
pub(crate) fn line_break_is_space(before: char, after: char) -> bool {
    !(unspaced(before) || unspaced(after) || is_hyphen(before))
}

/// Hyphens a typesetter ends a line with inside a word.
pub(crate) fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{00AD}' | '¬')
}

/// True if the gap between `before` and `after` reads as a space.
pub(crate) fn reads_as_space(gap: Gap, before: char, after: char) -> bool {
    match gap {
        Gap::None => false,
        Gap::Space => true,
        Gap::Line => line_break_is_space(before, after),
    }
}

/// The share of a line's characters that read as words of some script:
/// Han and kana, numbers, and words of spaced scripts that look like words
/// (letters only, bar an inner apostrophe or hyphen; lower case, capitalised
/// or all capitals; two letters or more, or `a`, `I`, `O`; a vowel in three
/// or more). Punctuation standing alone counts for nothing either way. OCR
/// garbage ("e4 N - -S", "s1 -- d ) - [YA1", "HUttWir") scores low, text high.
pub(crate) fn plausibility(line: &str) -> f64 {
    let (mut good, mut all) = (0usize, 0usize);
    for token in line.split_whitespace() {
        let core = token.trim_matches(|c: char| !c.is_alphanumeric());
        if core.is_empty() {
            continue;
        }
        let n = core.chars().count();
        all += n;
        if core.chars().any(unspaced) {
            good += core
                .chars()
                .filter(|&c| unspaced(c) || c.is_numeric())
                .count();
        } else if looks_like_word(core) || looks_like_number(core) {
            good += n;
        }
    }
    if all == 0 {
        0.0
    } else {
        good as f64 / all as f64
    }
}

fn looks_like_number(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ':' | '/' | '-' | '%'))
}

fn looks_like_word(s: &str) -> bool {
    let letters: Vec<char> = s
        .chars()
        .filter(|&c| c != '\'' && c != '’' && c != '-')
        .collect();
    if letters.is_empty() || !letters.iter().all(|c| c.is_alphabetic()) {
        return false;
    }
    if letters.len() == 1 {
        return matches!(letters[0], 'a' | 'A' | 'I' | 'O' | 'y' | 'à' | 'é');
    }
    let lower = letters.iter().all(|c| !c.is_uppercase());
    let upper = letters.iter().all(|c| !c.is_lowercase());
    let capital = letters[0].is_uppercase() && letters[1..].iter().all(|c| !c.is_uppercase());
    let vowel = |c: &char| "aeiouyàâäéèêëîïôöûüùAEIOUYÀÂÄÉÈÊËÎÏÔÖÛÜÙ".contains(*c) || !c.is_ascii();
    (lower || upper || capital) && (letters.len() < 3 || letters.iter().any(vowel))
}

/// The words the family prints (lower case; letters, digits and inner
/// hyphens), to tell a word split at a line end from a compound.
pub(super) struct Words(rustc_hash::FxHashMap<String, u32>);

impl Words {
    pub(super) fn new(witnesses: &[super::Witness<'_>]) -> Words {
        let mut map = rustc_hash::FxHashMap::default();
        for w in witnesses {
            for word in w
                .text
                .split(|c: char| !(c.is_alphanumeric() || is_hyphen(c)))
            {
                let word = word.trim_matches(is_hyphen);
                if word.chars().any(char::is_alphabetic) {
                    *map.entry(word.to_lowercase()).or_insert(0) += 1;
                }
            }
        }
        Words(map)
    }

    pub(super) fn has(&self, word: &str) -> bool {
        self.count(word) > 0
    }

    /// How many times the family prints `word` (any case).
    pub(super) fn count(&self, word: &str) -> u32 {
        self.0.get(&word.to_lowercase()).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_decides_what_a_line_break_is() {
        // (before, after, a space?)
        let table = [
            ('e', 'H', true),    // "Village\nHomeowners"
            ('f', 'C', true),    // "of\nCovenants"
            ('.', 'T', true),    // a sentence ends at the line end
            (',', 'a', true),    // "hereby,\nand"
            ('-', 'o', false),   // "Home-\nowners": the word continues
            ('民', '共', false), // Han: no space
            ('，', '我', false), // fullwidth punctuation, then Han
            ('a', '中', false),  // Latin then Han: set without a space
            ('ы', 'в', true),    // Cyrillic is spaced
            ('다', '한', true),  // Hangul is spaced
        ];
        for (a, b, space) in table {
            assert_eq!(line_break_is_space(a, b), space, "{a:?} {b:?}");
        }
    }

    #[test]
    fn garbage_reads_as_no_words() {
        // (line, garbage?) from UNLV pages, the OCR round trip and the corpus.
        let table = [
            ("e4 N - -S", true),
            ("s1 -- d ) - [YA1", true),
            ("-' 1UI", true),
            ("HUttWir y5errurv", true),
            ("v .", true),
            (
                "Since I haven't heard from you, I am writing to ask:",
                false,
            ),
            ("FAX 702 227 7052", false),
            ("Las Vegas, NV 89117", false),
            ("DATE: Thursday, September 16, 1993", false),
            (
                "l'estomac ; sans opération ni mutilation par le couteau",
                false,
            ),
            (
                "暴风雨最猛烈的地方，恰恰是“哪吒闹海”、“一飞冲天”的舞台。",
                false,
            ),
            ("2025年3月7日 星期五", false),
        ];
        for (line, garbage) in table {
            assert_eq!(
                plausibility(line) < 0.5,
                garbage,
                "{line:?}: {}",
                plausibility(line)
            );
        }
    }

    #[test]
    fn gaps() {
        assert_eq!(Gap::of(""), Gap::None);
        assert_eq!(Gap::of("  "), Gap::Space);
        assert_eq!(Gap::of(" \n "), Gap::Line);
        assert_eq!(Gap::of("\r\n"), Gap::Line);
    }
}
