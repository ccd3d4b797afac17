//! DESIGN.md's invariants as property tests over generated scan sets.

mod common;

use proptest::prelude::*;
use reprint::{Document, Reconciler};

/// Noise applied to one scan: `(position, edit)`; edit 0 substitutes, 1 drops,
/// 2 doubles a character.
#[derive(Debug, Clone)]
struct Scan {
    edits: Vec<(usize, u8)>,
    repeat_paragraph: bool,
    jump_marker: bool,
}

const ALPHABET: &str =
    "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地人和山水风云日月星辰江河湖海";

/// Paragraphs ending in a full stop, or (with `cut`) sometimes in a comma,
/// which the reconciler reads as a line cut by a page break.
fn paragraphs_ending(cut: bool) -> impl Strategy<Value = Vec<String>> {
    let pattern = format!("[{ALPHABET}]{{20,60}}[{}。]", if cut { "，" } else { "" });
    prop::collection::vec(
        proptest::string::string_regex(&pattern).expect("valid pattern"),
        1..4,
    )
}

fn paragraphs() -> impl Strategy<Value = Vec<String>> {
    paragraphs_ending(true)
}

fn scans() -> impl Strategy<Value = Vec<Scan>> {
    prop::collection::vec(
        (
            prop::collection::vec((0usize..400, 0u8..3), 0..6),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(edits, repeat_paragraph, jump_marker)| Scan {
                edits,
                repeat_paragraph,
                jump_marker,
            }),
        1..4,
    )
}

/// Print a scan: the paragraphs with noise, maybe a repeated paragraph and a jump marker.
fn print(paragraphs: &[String], scan: &Scan) -> String {
    let mut chars: Vec<Vec<char>> = paragraphs.iter().map(|p| p.chars().collect()).collect();
    let total: usize = chars.iter().map(Vec::len).sum();
    let alphabet: Vec<char> = ALPHABET.chars().collect();
    for &(pos, edit) in &scan.edits {
        let mut at = pos % total.max(1);
        for p in chars.iter_mut() {
            if at < p.len() {
                match edit {
                    0 => p[at] = alphabet[(pos / 7) % alphabet.len()],
                    1 if p.len() > 2 => {
                        p.remove(at);
                    }
                    _ => p.insert(at, p[at]),
                }
                break;
            }
            at -= p.len();
        }
    }
    let mut out: Vec<String> = chars.into_iter().map(|p| p.into_iter().collect()).collect();
    if scan.repeat_paragraph {
        out.push(out[0].clone());
    }
    if scan.jump_marker {
        out.insert(out.len() / 2, "（下转第四版）".into());
    }
    out.join("\n\n") + "\n"
}

fn documents(paragraphs: &[String], scans: &[Scan]) -> Vec<Document> {
    scans
        .iter()
        .enumerate()
        .map(|(i, s)| Document::from_text(format!("scan-{i}"), print(paragraphs, s)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Invariants 1 and 2: every input byte accounted for exactly once, and
    /// every support range reads what it supports.
    #[test]
    fn conservation_and_provenance(paragraphs in paragraphs(), scans in scans(), other in paragraphs()) {
        let mut docs = documents(&paragraphs, &scans);
        // An unrelated document in the same run.
        docs.push(Document::from_text("other", other.join("\n") + "\n"));
        let r = Reconciler::new().reconcile(&docs).unwrap();
        common::check_conservation(&docs, &r);
        common::check_provenance(&docs, &r);
    }

    /// Invariant 4: the output does not depend on input order or thread count.
    #[test]
    fn order_and_threads(paragraphs in paragraphs(), scans in scans(), rotate in 0usize..4) {
        let docs = documents(&paragraphs, &scans);
        let reference = Reconciler::new().reconcile(&docs).unwrap().to_json();
        let mut shuffled = docs.clone();
        shuffled.rotate_left(rotate % docs.len());
        shuffled.reverse();
        prop_assert_eq!(&reference, &Reconciler::new().reconcile(&shuffled).unwrap().to_json());
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let single = pool.install(|| Reconciler::new().reconcile(&docs).unwrap().to_json());
        prop_assert_eq!(&reference, &single);
    }

    /// Invariant 3: a clean document reconciles to itself, and N identical
    /// copies reconcile to one copy.
    #[test]
    fn identity(paragraphs in paragraphs_ending(false), copies in 1usize..4) {
        let clean = paragraphs.join("\n\n") + "\n";
        let docs: Vec<Document> = (0..copies).map(|i| Document::from_text(format!("copy-{i}"), clean.clone())).collect();
        let r = Reconciler::new().reconcile(&docs).unwrap();
        prop_assert_eq!(r.families.len(), 1);
        prop_assert_eq!(&r.families[0].text, &paragraphs.join("\n"));
        prop_assert!(r.families[0].variants.is_empty());
    }
}
