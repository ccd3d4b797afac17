//! Clean paragraphs sorted into pools by script, and re-lettered copies
//! when a pool runs out.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::{Dice, STREAM_RELETTER, Script, SourceRef};

pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

pub(crate) fn script_of(s: &str) -> Script {
    let (mut han, mut all) = (0usize, 0usize);
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        all += 1;
        han += usize::from(is_han(c));
    }
    if han * 10 >= all * 3 && han > 0 {
        Script::Han
    } else {
        Script::Latin
    }
}

/// The source paragraphs of one script.
pub(super) struct Pool {
    pub(super) script: Script,
    /// Indices into the flattened sources.
    pub(super) members: Vec<usize>,
    /// Characters (Han) or lower-case words (Latin) by descending frequency.
    pub(super) inventory: Vec<Vec<String>>,
    /// Next unused entry: a permutation of `members` per generation.
    pub(super) order: Vec<usize>,
    pub(super) next: usize,
    pub(super) generation: usize,
}

/// Words of a Latin text: maximal runs of ASCII letters.
pub(super) fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_ascii_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, &s[st..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out.into_iter()
}

impl Pool {
    pub(super) fn new(script: Script, members: Vec<usize>, sources: &[String]) -> Pool {
        const KEEP: usize = 16;
        // Group the units that may replace each other: all Han characters in
        // one group, Latin words by length.
        let mut counts: BTreeMap<(usize, String), usize> = BTreeMap::new();
        for &m in &members {
            match script {
                Script::Han => {
                    for c in sources[m].chars().filter(|&c| is_han(c)) {
                        *counts.entry((0, c.to_string())).or_default() += 1;
                    }
                }
                Script::Latin => {
                    for (_, w) in words(&sources[m]) {
                        let w = w.to_ascii_lowercase();
                        if w.len() > 1 {
                            *counts.entry((w.len(), w)).or_default() += 1;
                        }
                    }
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<(usize, String)>> = BTreeMap::new();
        for ((g, unit), n) in counts {
            groups.entry(g).or_default().push((n, unit));
        }
        // The commonest units (的, 了, 在; the, of, and) keep their place, so
        // re-lettered text still reads a little like the language.
        let mut all: Vec<(usize, &String)> = groups
            .values()
            .flat_map(|v| v.iter().map(|(n, u)| (*n, u)))
            .collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let fixed: Vec<String> = all.iter().take(KEEP).map(|(_, u)| (*u).clone()).collect();
        let inventory = groups
            .into_values()
            .map(|mut v| {
                v.retain(|(_, u)| !fixed.contains(u));
                v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
                v.into_iter().map(|(_, u)| u).collect()
            })
            .collect();
        Pool {
            script,
            members,
            inventory,
            order: Vec::new(),
            next: 0,
            generation: 0,
        }
    }

    /// The next unused (source, generation).
    pub(super) fn draw(&mut self, dice: &mut Dice) -> SourceRef {
        if self.next == self.order.len() {
            if !self.order.is_empty() {
                self.generation += 1;
            }
            self.order = self.members.clone();
            dice.shuffle(&mut self.order);
            self.next = 0;
        }
        self.next += 1;
        SourceRef {
            index: self.order[self.next - 1],
            generation: self.generation,
        }
    }

    /// The substitution of generation `g` (`g > 0`): units permuted within
    /// bands of similar frequency, digits permuted.
    pub(super) fn lettering(&self, seed: u64, pool: usize, g: usize) -> Lettering {
        const BAND: usize = 24;
        let mut dice = Dice::new(seed, STREAM_RELETTER + ((pool as u64) << 32) + g as u64);
        let mut map: FxHashMap<String, String> = FxHashMap::default();
        for group in &self.inventory {
            for band in group.chunks(BAND) {
                let mut to: Vec<&String> = band.iter().collect();
                dice.shuffle(&mut to);
                for (from, to) in band.iter().zip(to) {
                    map.insert(from.clone(), to.clone());
                }
            }
        }
        let mut digits: Vec<char> = ('0'..='9').collect();
        dice.shuffle(&mut digits);
        Lettering { map, digits }
    }
}

pub(super) struct Lettering {
    pub(super) map: FxHashMap<String, String>,
    pub(super) digits: Vec<char>,
}

impl Lettering {
    pub(super) fn apply(&self, script: Script, s: &str) -> String {
        let digit = |c: char| {
            if c.is_ascii_digit() {
                self.digits[(c as u8 - b'0') as usize]
            } else {
                c
            }
        };
        match script {
            Script::Han => s
                .chars()
                .map(|c| {
                    let mut buf = [0u8; 4];
                    match self.map.get(c.encode_utf8(&mut buf) as &str) {
                        Some(t) => t.chars().next().unwrap_or(c),
                        None => digit(c),
                    }
                })
                .collect(),
            Script::Latin => {
                let mut out = String::with_capacity(s.len());
                let mut last = 0;
                for (i, w) in words(s) {
                    out.extend(s[last..i].chars().map(digit));
                    let lower = w.to_ascii_lowercase();
                    match self.map.get(&lower) {
                        Some(t) => out.push_str(&recase(w, t)),
                        None => out.push_str(w),
                    }
                    last = i + w.len();
                }
                out.extend(s[last..].chars().map(digit));
                out
            }
        }
    }
}

/// The clauses (Chinese) or sentences (Latin script) of a paragraph in a
/// shuffled order, the last one kept last, so that re-letterings of one
/// source do not share its punctuation skeleton.
pub(super) fn shuffle_segments(script: Script, s: &str, dice: &mut Dice) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let end = match script {
            Script::Han if matches!(c, '，' | '；' | '。' | '！' | '？') => {
                let mut end = i + c.len_utf8();
                if let Some(&(j, q)) = it.peek()
                    && matches!(q, '”' | '’')
                {
                    end = j + q.len_utf8();
                    it.next();
                }
                Some(end)
            }
            Script::Latin if matches!(c, '.' | '!' | '?') => {
                let mut end = i + 1;
                if let Some(&(_, '"')) = it.peek() {
                    end += 1;
                    it.next();
                }
                s[end..].starts_with(' ').then_some(end)
            }
            _ => None,
        };
        if let Some(end) = end {
            segments.push(&s[start..end]);
            start = end;
        }
    }
    let tail = &s[start..];
    if !tail.trim().is_empty() {
        segments.push(tail);
    }
    if segments.len() > 2 {
        let last = segments.len() - 1;
        dice.shuffle(&mut segments[..last]);
    }
    match script {
        Script::Han => segments.concat(),
        Script::Latin => segments
            .iter()
            .map(|x| x.trim())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// `to` in the letter case of `like`.
pub(super) fn recase(like: &str, to: &str) -> String {
    let mut cs = like.chars();
    let first_upper = cs.next().is_some_and(|c| c.is_ascii_uppercase());
    if first_upper && like.len() > 1 && like.chars().all(|c| c.is_ascii_uppercase()) {
        to.to_ascii_uppercase()
    } else if first_upper {
        let mut out = to.to_string();
        out[..1].make_ascii_uppercase();
        out
    } else {
        to.to_string()
    }
}
