//! Public alignment (`align::global`, `align::local`) on two character
//! sequences: ops valid and reaching the ends of their ranges, global ranges
//! covering both inputs, cost at most `len(a) + len(b)`, and deterministic.
//!
//! `b` is mostly `a` with edits (so that the aligner's seeds, chains and gap
//! filling all get exercised), over a small alphabet of CJK, Latin,
//! combining marks and emoji so that k-mers repeat, or any characters.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use reprint::align;
use reprint_fuzz::check;

const ALPHABET: &[char] = &[
    '的', '一', '是', '在', '不', '了', '有', '和', '人', '这', '中', '大', '为', '上', '个', '国',
    '，', '。', 'a', 'b', 'e', 't', ' ', '\u{301}', '👍', '\u{200D}', '1', '-', '海', '吒', '闹',
    '哪',
];

#[derive(Debug, Arbitrary)]
enum Edit {
    Sub(u16, u8),
    Del(u16, u8),
    Ins(u16, Vec<u8>),
    /// Move `a[from..from+len]` to `to` (a reordered section).
    Move(u16, u8, u16),
    /// Repeat `a[from..from+len]` at `to`.
    Copy(u16, u8, u16),
}

#[derive(Debug, Arbitrary)]
struct In {
    a: Vec<u8>,
    /// Characters are `ALPHABET[byte % 32]`, or with `wide`, any `char` from
    /// pairs of bytes.
    wide: bool,
    /// Repeat `a` this many times (low complexity and tandem repeats).
    repeat: u8,
    edits: Vec<Edit>,
    swap: bool,
}

fn chars(bytes: &[u8], wide: bool) -> Vec<char> {
    if wide {
        bytes
            .chunks(2)
            .map(|c| {
                let x = u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0));
                char::from_u32(x + 0x20).unwrap_or('\u{FFFD}')
            })
            .collect()
    } else {
        bytes
            .iter()
            .map(|&b| ALPHABET[b as usize % ALPHABET.len()])
            .collect()
    }
}

fuzz_target!(|input: In| {
    let mut a = chars(&input.a, input.wide);
    let unit = a.clone();
    for _ in 0..input.repeat % 8 {
        a.extend_from_slice(&unit);
    }
    if a.len() > 3000 {
        return;
    }
    let mut b = a.clone();
    for e in &input.edits {
        let at = |x: u16, b: &Vec<char>| x as usize % (b.len() + 1);
        match e {
            Edit::Sub(p, c) => {
                if !b.is_empty() {
                    let p = *p as usize % b.len();
                    b[p] = chars(&[*c], input.wide)[0];
                }
            }
            Edit::Del(p, n) => {
                let p = at(*p, &b);
                let n = (*n as usize).min(b.len() - p);
                b.drain(p..p + n);
            }
            Edit::Ins(p, s) => {
                let p = at(*p, &b);
                b.splice(p..p, chars(s, input.wide));
            }
            Edit::Move(from, n, to) | Edit::Copy(from, n, to) => {
                let from = at(*from, &b);
                let n = (*n as usize).min(b.len() - from);
                let piece: Vec<char> = b[from..from + n].to_vec();
                if matches!(e, Edit::Move(..)) {
                    b.drain(from..from + n);
                }
                let to = at(*to, &b);
                b.splice(to..to, piece);
            }
        }
        if b.len() > 3000 {
            return;
        }
    }
    if input.swap {
        std::mem::swap(&mut a, &mut b);
    }

    let g = align::global(&a, &b);
    assert_eq!(g.a(), 0..a.len());
    assert_eq!(g.b(), 0..b.len());
    let cost = check::check_alignment(&g, &a, &b);
    assert!(cost <= a.len() + b.len());
    assert!(cost >= a.len().abs_diff(b.len()));
    if a == b {
        assert_eq!(cost, 0, "equal texts align at no cost");
    }
    assert_eq!(g, align::global(&a, &b), "global is deterministic");

    let blocks = align::local(&a, &b);
    for al in &blocks {
        let cost = check::check_alignment(al, &a, &b);
        assert!(cost <= al.a().len() + al.b().len());
        assert!(al.matches() > 0, "a block with no equal character");
    }
    assert_eq!(blocks, align::local(&a, &b), "local is deterministic");
});
