//! The evaluation's scorer on hand-made sets whose every figure is known:
//! the scorer the real sets and the OCR round trip are measured with.

use std::path::PathBuf;

use reprint::Reconciler;
use reprint::evaluate::{self, Expected, ExpectedFamily, RealSet, SetLayout};

/// A fresh folder under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("reprint-evaluate-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &std::path::Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const TRUTH: &str = "The annual meeting of the association\nwill be held on Monday.\n\nAll members are asked to attend.\n";

#[test]
fn a_pages_set_is_scored_by_hand() {
    let dir = scratch("pages");
    // Folded truth: 78 characters, 17 words.
    write(&dir, "truth/letter.truth.txt", TRUTH);
    // Two substitutions (l→1), one word wrong.
    write(
        &dir,
        "pages/letter/p.engine1.txt",
        "The annual meeting of the association\nwi11 be held on Monday.\n\nAll members are asked to attend.\n",
    );
    // Two substitutions in one word, and two words glued: 2 + 0 character
    // edits, 2 word edits for the glue and 1 for the misread word.
    write(
        &dir,
        "pages/letter/p.engine2.txt",
        "The annual rneeting of the association\nwill be held onMonday.\n\nAll members are asked to attend.\n",
    );
    // An engine that read nothing: a witness with every character wrong.
    write(&dir, "pages/letter/p.engine3.txt", "");
    write(
        &dir,
        "pages/other/q.engine1.txt",
        "Completely different text about the weather in the hills.\n",
    );
    let set = RealSet::read(&dir).unwrap();
    assert_eq!(set.layout, SetLayout::Pages);
    assert_eq!(set.documents.len(), 3);
    assert_eq!(set.errors.len(), 1, "the empty file is reported");
    let letter = &set.expected.families[0];
    assert_eq!(letter.name, "letter");
    assert_eq!(letter.documents, ["p.engine1", "p.engine2"]);
    assert_eq!(letter.unread, ["p.engine3"]);
    assert_eq!(letter.text.as_deref(), Some(TRUTH));
    assert_eq!(
        letter.paragraphs(),
        [
            "The annual meeting of the association\nwill be held on Monday.",
            "All members are asked to attend."
        ]
    );
    assert_eq!(set.expected.families[1].text, None);

    let result = Reconciler::new().reconcile(&set.documents).unwrap();
    let r = evaluate::score(&set.expected, &set.documents, &result);
    let f = &r.families[0];
    let chars = evaluate::fold(TRUTH).len();
    assert_eq!(chars, 78);
    let by_doc = |d: &str| f.witnesses.iter().find(|w| w.document == d).unwrap();
    assert_eq!(
        (by_doc("p.engine1").edits, by_doc("p.engine1").word_edits),
        (2, 1)
    );
    assert_eq!(
        (by_doc("p.engine2").edits, by_doc("p.engine2").word_edits),
        (2, 3)
    );
    assert_eq!(
        (by_doc("p.engine3").edits, by_doc("p.engine3").word_edits),
        (78, 17)
    );
    assert_eq!(by_doc("p.engine1").words, 17);
    let s = &f.score;
    assert_eq!(s.chars, 78);
    assert_eq!(s.best_scan_edits, 2);
    assert!((s.mean_scan_edits - 82.0 / 3.0).abs() < 1e-9);
    assert_eq!(s.best_scan_word_edits, 1);
    // The longest witness (equal lengths: the first id) is engine1.
    assert_eq!(s.longest_scan_edits, 2);
    assert_eq!(s.paragraphs, 2);
    // The engines over the set: label = the id's last dot-separated part.
    assert_eq!(r.witnesses["engine3"].edits, 78);
    assert_eq!(
        r.witnesses["engine1"].count, 1,
        "only families with a truth"
    );
    // Two families, each found alone.
    assert_eq!((r.pairs.truth, r.pairs.correct), (1, 1));
    assert_eq!(r.pairs.precision(), 1.0);
    // The canonical text's edits are its distance from the truth.
    let canonical = &result.families[f.reconciled[0]].text;
    assert_eq!(
        s.edits,
        evaluate::distance(&evaluate::fold(TRUTH), &evaluate::fold(canonical))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn paragraphs_in_the_wrong_order_are_order_error() {
    // Both scans print the two paragraphs swapped: the canonical text has
    // every character right, all of its CER is order error.
    let first = "The council approved the new budget for the coming year after a long debate.";
    let second = "Residents will be able to comment on the plans at a public hearing in March.";
    let swapped = format!("{second}\n\n{first}\n");
    let docs = [
        reprint::Document::from_text("a", swapped.clone()),
        reprint::Document::from_text("b", swapped),
    ];
    let expected = Expected {
        families: vec![
            ExpectedFamily::new("f", ["a", "b"]).with_text(format!("{first}\n{second}")),
        ],
    };
    let result = Reconciler::new().reconcile(&docs).unwrap();
    let r = evaluate::score(&expected, &docs, &result);
    let o = &r.overall;
    assert!(o.cer() > 0.5, "{}", o.cer());
    assert_eq!(o.order_free_edits, 0);
    assert_eq!(o.order_error(), o.cer());
    assert_eq!((o.duplicated, o.missing), (0, 0));
    assert_eq!(o.garbled, 0);
}

#[test]
fn a_clusters_set_takes_families_from_file_names() {
    let dir = scratch("clusters");
    let text = "Vente aux enchères publiques d'une maison située au centre du village.\n";
    write(&dir, "docs/c1__a.txt", text);
    write(&dir, "docs/c1__b.txt", text);
    write(
        &dir,
        "docs/c2__c.txt",
        "Avis de décès: la famille a la douleur de faire part.\n",
    );
    let set = RealSet::read(&dir).unwrap();
    assert_eq!(set.layout, SetLayout::Clusters);
    let names: Vec<&str> = set
        .expected
        .families
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["c1", "c2"]);
    let result = Reconciler::new().reconcile(&set.documents).unwrap();
    let r = evaluate::score(&set.expected, &set.documents, &result);
    assert_eq!(r.overall.with_truth, 0);
    assert_eq!((r.pairs.precision(), r.pairs.recall()), (1.0, 1.0));
    assert!((r.families[0].score.max_length_ratio - 1.0).abs() < 0.05);
    assert_eq!(r.overall.garbled, 0);
    // Not a set: an error naming the folder.
    let err = RealSet::read(dir.join("docs")).unwrap_err().to_string();
    assert!(err.contains("docs"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
