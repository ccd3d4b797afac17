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

/// Paragraphs of newspaper length, ending in a full stop.
fn long_paragraphs() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        proptest::string::string_regex(&format!("[{ALPHABET}]{{40,80}}。")).expect("valid pattern"),
        1..4,
    )
}

fn paragraphs() -> impl Strategy<Value = Vec<String>> {
    paragraphs_ending(true)
}

fn scans() -> impl Strategy<Value = Vec<Scan>> {
    scans_with(0..6)
}

/// Scans with at most `edits` misread, dropped or doubled characters each.
fn scans_with(edits: std::ops::Range<usize>) -> impl Strategy<Value = Vec<Scan>> {
    prop::collection::vec(
        (
            prop::collection::vec((0usize..400, 0u8..3), edits),
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

/// A line of any script: Chinese, Latin words, digits, emoji, a lone
/// combining mark (also at the start of the line), or nothing at all.
fn any_line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::string::string_regex(&format!("[{ALPHABET}，。、]{{1,80}}")).unwrap(),
        3 => proptest::string::string_regex("([a-z]{1,9} ){1,12}[a-z]{1,9}[.,]").unwrap(),
        2 => proptest::string::string_regex("[甲乙丙a-zA-Z0-9 😀🎉\u{301}\u{308}，.]{1,40}").unwrap(),
        1 => proptest::string::string_regex("\u{301}[a-z甲乙]{0,10}").unwrap(),
        1 => Just(String::new()),
    ]
}

/// A scan of mixed-script lines, with empty lines and now and then one very
/// long line (a scan that lost its line breaks).
fn any_text() -> impl Strategy<Value = String> {
    // The long line's length shrinks like any number, so a counterexample
    // keeps it only if it needs it, and then no longer than it needs.
    (prop::collection::vec(any_line(), 0..8), 0usize..400).prop_map(|(lines, long)| {
        let mut text = lines.join("\n");
        if long > 200 {
            text.push('\n');
            text.push_str(&"天地人和山水风云，the quick brown fox。".repeat(long - 200));
        }
        text
    })
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

    /// Invariants 1 and 2 over scans of any script: mixed Chinese, Latin,
    /// digits and emoji, lone combining marks, empty and very long lines,
    /// with copies of one another among them.
    #[test]
    fn conservation_in_any_script(texts in prop::collection::vec(any_text(), 1..4), copy in any::<bool>()) {
        let mut docs: Vec<Document> = texts
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|(i, t)| Document::from_text(format!("d{i}"), t.clone()))
            .collect();
        if copy && let Some(first) = docs.first() {
            docs.push(Document::from_text("copy", first.text().to_string()));
        }
        prop_assume!(!docs.is_empty());
        let r = Reconciler::new().reconcile(&docs).unwrap();
        common::check_conservation(&docs, &r);
        common::check_provenance(&docs, &r);
    }

    /// Invariant 5: a further clean copy never makes the canonical text
    /// worse, for scans of the noise the reconciler is built for (a few
    /// errors in a paragraph of 40 to 80 characters; texts of twenty
    /// characters with a misreading in every seven are another matter).
    #[test]
    fn monotone_evidence(paragraphs in long_paragraphs(), scans in scans_with(0..3)) {
        let truth = paragraphs.join("\n");
        let mut docs = documents(&paragraphs, &scans);
        let cer = |docs: &[Document]| {
            let r = Reconciler::new().reconcile(docs).unwrap();
            // The family holding the first scan (a clean copy joins it).
            let f = r.families.iter().find(|f| f.documents.iter().any(|d| d == "scan-0")).unwrap();
            reprint::evaluate::cer(&truth, &f.text)
        };
        let before = cer(&docs);
        docs.push(Document::from_text("clean", paragraphs.join("\n\n") + "\n"));
        let after = cer(&docs);
        prop_assert!(after <= before + 1e-9, "CER {before} with the noisy scans, {after} with a clean copy added");
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

/// `docs` reconciled on a pool of `threads` threads.
fn on_threads(threads: usize, docs: &[Document]) -> reprint::Reconciliation {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| Reconciler::new().reconcile(docs).unwrap())
}

/// Invariant 4 on real and simulated sets: byte-identical JSON with 1, 2
/// and 8 threads, and with the documents in reverse and in a shuffled order.
#[test]
fn same_output_whatever_the_threads_and_order() {
    use rand::SeedableRng;
    use rand::seq::SliceRandom;
    let corpus = reprint::load([concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")]).documents;
    let sources = [include_str!("../data/clean/zh.txt").to_string()];
    let mut config = reprint::simulate::SimConfig::new();
    config.families(12).distractors(3).seed(11);
    let simulated = reprint::simulate::simulate(&config, &sources).documents();
    for (name, docs) in [("corpus", corpus), ("simulated", simulated)] {
        let run = |threads: usize, docs: &[Document]| on_threads(threads, docs).to_json();
        let reference = run(1, &docs);
        for threads in [2, 8] {
            assert!(
                run(threads, &docs) == reference,
                "{name}: {threads} threads differ"
            );
        }
        let mut reversed = docs.clone();
        reversed.reverse();
        assert!(
            run(2, &reversed) == reference,
            "{name}: reversed order differs"
        );
        let mut shuffled = docs.clone();
        shuffled.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(3));
        assert!(
            run(8, &shuffled) == reference,
            "{name}: shuffled order differs"
        );
    }
}

/// Invariant 4 on one text reprinted 500 times, where each document aligns
/// with only its strongest candidates (`Config::max_neighbours`) and common
/// anchors pair documents in bands: the pairs chosen, and all that follows,
/// depend neither on the threads nor on the order of the files.
#[test]
fn a_family_of_500_scans_is_the_same_whatever_the_threads_and_order() {
    use rand::SeedableRng;
    use rand::seq::SliceRandom;
    let sources = [include_str!("../data/clean/zh.txt").to_string()];
    let mut config = reprint::simulate::SimConfig::new();
    config
        .families(1)
        .scans(500..=500)
        .paragraphs(3..=3)
        .distractors(0)
        .seed(7);
    let docs = reprint::simulate::simulate(&config, &sources).documents();
    let run = on_threads;
    let reference = run(1, &docs);
    assert_eq!(reference.families.len(), 1, "one family");
    let reference = reference.to_json();
    let mut shuffled = docs.clone();
    shuffled.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(5));
    assert!(run(2, &docs).to_json() == reference, "2 threads differ");
    assert!(
        run(3, &shuffled).to_json() == reference,
        "shuffled order differs"
    );
}

/// Scan sets the property tests once found where a clean copy made the text
/// worse (misread openings and endings, debris between paragraphs, a
/// doubled character in three scans of four): kept as plain tests.
#[test]
fn clean_copies_found_to_hurt_no_longer_do() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["巳甲甲星辰戊丙星午海天壬月辛湖戌辰戌风癸丑丙卯庚乙和人亥壬亥。\n"],
            "巳甲河星辰戊酉星午海天壬月辛湖戌辰戌风癸丑丙卯庚乙和人亥壬亥。\n",
        ),
        (
            &[
                "未未未山江江人人辰辛河辰午午午江水戌水己月水月河和甲亥子丑江酉地丙午庚丑酉海酉辰和河庚酉庚戌。\n",
            ],
            "未山江江人人辰辛河辰午午午江水戌水己月水月河和甲亥子丑江酉地丙午庚丑酉风酉辰和河戌酉庚戌。\n",
        ),
        (
            &["卯乙山地日甲寅甲午亥未亥子戌和水己人癸丑湖辛风癸丁河壬乙未癸。\n"],
            "卯乙山地日甲寅甲午亥未亥子戌和水己人癸丑湖辛风云午河亥乙未癸。\n",
        ),
        (
            &[
                "江戊云戊亥庚月星河戊丑己己地地午人丙寅未巳。\n\n（下转第四版）\n\n河乙天庚江戊未癸辛酉湖和地辛酉丑星风子人水河月星乙甲癸海丙湖湖。\n",
            ],
            "江戊云戊亥庚月星河戊丑己地地午人癸寅未巳。\n\n河乙天庚江戊未癸辛酉湖和地辛酉丑星风子人水河月星乙甲癸海丙湖湖。\n",
        ),
        (
            &[
                "巳人午酉辰酉卯海寅月卯辰戊辛午庚庚辛未和和癸酉酉丙江天未子辛庚酉月乙河卯星壬星星星午海庚山。\n\n江丙未水和庚己河丙天巳云月未丙风和巳戊云未丙辰云己己和戌丑人水天亥亥子甲。\n\n巳人午酉辰酉卯海寅月卯辰戊辛午庚庚辛未和和癸酉酉丙江天未子辛庚酉月乙河卯星壬星星星午海庚山。\n",
            ],
            "巳人午酉辰酉卯海寅月卯辰戊辛午庚庚辛未和和癸酉酉丙江天未子辛庚酉月乙河卯星壬星星星午海云河山。\n\n江丙风水和庚天河丙天巳云月未丙风和巳戊云未丙辰云己己和戌丑人水天亥亥子甲。\n",
        ),
        (
            &[
                "巳人午酉辰酉卯海寅月卯辰戊辛午庚庚辛未和和癸酉酉丙江天未子辛庚酉月乙河卯星壬星星星午海山。\n\n（下转第四版）\n\n江丙未水和庚己河丙天巳云月未丙风和巳戊云未丙辰云己己和戌丑人水天亥亥子甲。\n\n巳人午酉辰酉卯海寅月卯辰戊辛午庚庚辛未和和癸酉酉丙江天未子辛庚酉月乙河卯星壬星星星午海山。\n",
            ],
            "巳人午酉辰酉卯海寅月卯辰戊辛午庚庚辛未和和癸酉酉丙江天未子辛庚酉月乙河卯星壬星星星午海云河山。\n\n江丙风水和庚天河丙天巳云月未丙风和巳戊云未丙辰云己己和戌丑人水天亥亥子甲。\n",
        ),
        (
            &[
                "云云河未酉午己人地日寅丁风风己癸海江山丙乙乙寅丁丁己丙酉未乙河河亥天地。\n\n云云河未酉午己人地日寅丁风风己癸海江山丙乙乙寅丁丁己丙酉未乙河河亥天地。\n",
                "云河未酉午己人地日水寅丁风己地人江山丙乙寅丁丁己丙酉未乙河河亥天地。\n",
                "云河未酉午己人地日水寅寅丁风风己寅人江山丙乙寅丁丁己甲壬未乙河河亥天地。\n\n云河未酉午己人地日水寅寅丁风风己寅人江山丙乙寅丁丁己甲壬未乙河河亥天地。\n",
            ],
            "云河未酉午己人地日水寅丁风风己地人江山丙乙寅丁丁己丙酉未乙河河亥天地。\n",
        ),
    ];
    for (k, (scans, clean)) in cases.iter().enumerate() {
        let truth = clean.trim_end().replace("\n\n", "\n");
        let mut docs: Vec<Document> = scans
            .iter()
            .enumerate()
            .map(|(i, s)| Document::from_text(format!("scan-{i}"), *s))
            .collect();
        let cer = |docs: &[Document]| {
            let r = Reconciler::new().reconcile(docs).unwrap();
            let f = r
                .families
                .iter()
                .find(|f| f.documents.iter().any(|d| d == "scan-0"))
                .unwrap();
            reprint::evaluate::cer(&truth, &f.text)
        };
        let before = cer(&docs);
        docs.push(Document::from_text("clean", *clean));
        let after = cer(&docs);
        assert!(
            after <= before + 1e-9,
            "case {k}: CER {before} before the clean copy, {after} after"
        );
    }
}

#[test]
fn a_vote_never_splits_a_source_character() {
    // Readings that fold to several characters where the others read
    // fewer: a mark NFKC leaves apart (fuzz finding: the span of the base
    // alone was backed by bytes reading base and mark), a ligature, a unit.
    let (one, two) = (
        "新华社北京电国务院新闻办公室今天举行新闻发布会",
        "介绍今年前三季度国民经济运行情况并答记者问",
    );
    let three = "记者从有关部门获悉本市将于下月起实行新的垃圾分类办法";
    let latin = "The final report was filed with the committee on Tuesday morning";
    let read = |mark: &str, fi: &str, kg: &str| {
        format!(
            "{one}\u{FFFD}{mark}{two}。\n\n{}\n\n每袋重五{kg}，{three}。\n",
            latin.replace("fi", fi)
        )
    };
    let docs = vec![
        Document::from_text("a", read("\u{366}", "\u{FB01}", "㎏")),
        Document::from_text("b", read("", "f", "k")),
        Document::from_text("c", read("", "f", "k")),
    ];
    let r = Reconciler::new().reconcile(&docs).unwrap();
    common::check_conservation(&docs, &r);
    common::check_provenance(&docs, &r);
    let text = &r.families[0].text;
    assert!(text.contains("会\u{FFFD}介") && text.contains("fnal") && text.contains("五k，"));
}

/// One scan reconciled alone, every byte checked: its text and how many
/// stretches were removed.
fn one_scan(scan: &str) -> (String, usize) {
    let docs = vec![Document::from_text("scan", scan)];
    let r = Reconciler::new().reconcile(&docs).unwrap();
    common::check_conservation(&docs, &r);
    let f = &r.families[0];
    (f.text.clone(), f.removed.len())
}

#[test]
fn two_paragraphs_cut_short_then_printed_whole_are_printed_once() {
    // A scan (from the simulator, seed 11) prints two paragraphs cut short,
    // which a page break joins into one, then both whole: the joined pair
    // is shorter than the first whole copy and longer than the second, so
    // neither alone covered it, and both copies were printed.
    let scan = "Major uses trend strong the officers ruling on Damaged, through retired in town thau a forty concerns and telescope familles of holiday on the irrigation. Forecajters said farmers 89 waterloggcd asked acre by Gatliereed crews, and look about willow council fhe among three to keep the lleft perio\n\nThe field arrived in the 51he loaves， city a due begun from the same final the fechnology shortly speaking at the how long. Th\n\nMajor uses trend strong the officers ruling on Damaged, through retired in town thau a forty concerns and telescope familles of holiday on the irrigation. Forecajters said farmers 89 waterloggcd asked acre by Gatliereed crews, and look about willow council fhe among three to keep the lleft period bank. \"No have port and no have expect,\" said new monclay sheltering, \"who the take co weekday pay size method up just np no be th.\"\n\nThe field arrived in the 51he loaves， city a due begun from the same final the fechnology shortly speaking at the how long. The this bats play from but where down to big 5-88 in areas of a Iost-its coast on Regional, keepping trade spent mayor of inspected. Spent invies mmseum th \"the were open ot learning I have near from fih banks.\"";
    let (text, removed) = one_scan(scan);
    assert_eq!(text.matches("Major uses trend strong").count(), 1, "{text}");
    assert_eq!(text.matches("The field arrived").count(), 1, "{text}");
    assert_eq!(removed, 2);
}

#[test]
fn a_fragment_printed_before_its_paragraph_is_not_joined_to_the_next() {
    // A scan (from the simulator, seed 23) opens with a paragraph cut short
    // that it prints whole later: the cut line, ending mid-sentence, was
    // joined to the next paragraph as if a page break split them, and the
    // pair, half a repeat, was printed.
    let scan = "Beekeepers organisers the streets at the life of the attack six it southeast by a morning 23 school town last, add of the several normal began policymakers siuce in the 8750s. Promotion from the streets eight\n\nThe none engineers children ruling emissions archive for the third resumed, headland heat four 8.3 million wheat damaged Like ond Something. Fishermen diverted a was line hold to grower economists and a sunday side-their cross that summer in Cup. Saplings herbs have willow, heaters, that season keep birds cup snow centre in the friday among.\n\nDetail of letters crop growers and are worried crop remain an a postmaster. Emergency three water the river pumpkin their from final homes a added reserve market 70 delegations of more on the when in twice local years. The goods said the collapse become its best \"target traditional\" and rchards a rented of gianf defences second the museum.\n\nBeekeepers organisers the streets at the life of the attack six it southeast by a morning 23 school town last, add of the several normal began policymakers siuce in the 8750s. Promotion from the streets eight the while that supplies came of the better's thursday their, and fishermen have catch smallest for noted prices delta in the defence among.\n\nA down of loaded embnkment has doctors the several almost of gyms push late on the expected kceping began minutes since. University rotating 8,420 matinee late should a one-rain survey, co from about 700 a eoming can. Beekeepers said the heatwave machinery decade production of describe without and a released in week across makers.\n\nBeekeepers organisers the streets at the life of the attack six it southeast by a morning 23 school town last, add of the several normal began policymakers siuce in the 8750s. Promotion from the streets eight the while that supplies came of the better's thursday their, and fishermen have catch smallest for noted prices delta in the defence among.\n";
    let (text, _) = one_scan(scan);
    assert_eq!(text.matches("Beekeepers organisers").count(), 1, "{text}");
    assert!(text.starts_with("The none engineers"), "{text}");
}
