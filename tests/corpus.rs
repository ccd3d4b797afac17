//! The bundled corpus, end to end: the families, the canonical texts and the
//! output contract, through the library and through the shipped example.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use reprint::{Reconciler, Reconciliation, RemovedKind};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn reconcile_corpus() -> (Vec<reprint::Document>, Reconciliation) {
    let loaded = reprint::load([corpus()]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let result = Reconciler::new()
        .reconcile(&loaded.documents)
        .expect("reconciles");
    (loaded.documents, result)
}

fn family_of<'a>(r: &'a Reconciliation, id_prefix: &str) -> &'a reprint::Family {
    r.families
        .iter()
        .find(|f| f.documents.iter().any(|d| d.starts_with(id_prefix)))
        .expect("family")
}

#[test]
fn three_families() {
    let (_, r) = reconcile_corpus();
    let fams: Vec<Vec<String>> = r
        .families
        .iter()
        .map(|f| f.documents.iter().map(|d| d[..3].to_owned()).collect())
        .collect();
    assert_eq!(fams, [vec!["000", "003", "004"], vec!["001"], vec!["002"]]);
}

#[test]
fn canonical_2025_text() {
    let (docs, r) = reconcile_corpus();
    let f = family_of(&r, "003");
    let t = &f.text;
    assert!(t.contains("哪吒闹海"));
    assert!(!t.contains("晒雨晒海"));
    // The paragraph 000 splits around a photo caption is whole again.
    assert!(common::fold(t).contains(&common::fold("共同、综合、合作、可持续的新安全观")));
    // 000's dated photo caption repeats the lead paragraph: it stays a
    // caption, and the lead keeps 004's quotation marks.
    assert!(common::fold(t).contains(&common::fold("王毅就“中国外交政策和对外关系”相关问题")));
    // No paragraph twice, no sentence of any length twice.
    let paras: Vec<&str> = t.lines().collect();
    for (i, p) in paras.iter().enumerate() {
        assert!(!paras[..i].contains(p), "paragraph twice: {p}");
    }
    let sentences: Vec<&str> = t
        .split(['。', '?', '？', '!', '！'])
        .filter(|s| s.chars().count() >= 12)
        .collect();
    for (i, s) in sentences.iter().enumerate() {
        assert!(!sentences[..i].contains(s), "sentence twice: {s}");
    }
    // The truncated copy merges into its full version.
    assert!(!paras.iter().any(|p| p.ends_with("而芬太尼在美国的滥")));
    assert_eq!(t.matches("而芬太尼在美国的滥用").count(), 1);
    // No debris.
    for debris in [
        "下转",
        "上接",
        "扫码",
        "新华社 图",
        "据新华社",
        "3月7日，中共中央政治局委员、外交部长王毅就中国外交政策",
    ] {
        assert!(!t.contains(debris), "debris left: {debris}");
    }
    // The repeats of 004 and its pull quotes are on record as such.
    let removed_004: Vec<_> = f
        .removed
        .iter()
        .filter(|x| x.document.starts_with("004"))
        .collect();
    let dup = |needle: &str| {
        removed_004.iter().any(|x| {
            matches!(x.kind, RemovedKind::Duplicate | RemovedKind::Fragment)
                && common::slice(&docs, &x.document, x.start, x.end).contains(needle)
        })
    };
    assert!(dup("■和平发展这条路是行稳致远的光明大道"));
    assert!(dup("现在形势又发生了很大变化"));
    assert!(removed_004.iter().any(|x| {
        x.kind == RemovedKind::Fragment
            && common::slice(&docs, &x.document, x.start, x.end)
                .trim_end()
                .ends_with("而芬太尼在美国的滥")
    }));
    // The caption inside 000's paragraph is debris.
    assert!(f.removed.iter().any(|x| x.document.starts_with("000")
        && x.kind == RemovedKind::Debris
        && common::slice(&docs, &x.document, x.start, x.end).contains("新华社 图")));
}

/// No canonical paragraph is a mark alone: a bullet one scan prints before
/// a paragraph ("■" / "1971年，联合国大会…") stays with it.
#[test]
fn no_paragraph_is_a_lone_mark() {
    let (_, r) = reconcile_corpus();
    for f in &r.families {
        for para in f.text.lines() {
            assert!(
                para.chars().any(char::is_alphanumeric),
                "family {}: paragraph {para:?} holds no word",
                f.id
            );
        }
    }
}

#[test]
fn repeated_paragraph_of_001_once() {
    let (_, r) = reconcile_corpus();
    let t = &family_of(&r, "001").text;
    assert_eq!(
        t.matches("金砖国家发展壮大，是维护和平力量的增强").count(),
        1
    );
}

#[test]
fn editing_keeps_content_once() {
    let (_, r) = reconcile_corpus();
    let t = &family_of(&r, "003").text;
    // Sentences only some editions print appear once.
    for s in [
        "各方立场虽不尽一致",
        "中方秉持的始终是客观公正的立场",
        "去年是中俄建交75周年",
        "一百多年前的巴黎和会上",
        "制造业的竞争力是上升了",
    ] {
        assert_eq!(t.matches(s).count(), 1, "{s}");
    }
    // The date 000 prints before the subject and 004 after it, once.
    let opening = t.lines().next().unwrap();
    assert_eq!(opening.matches("3月7日").count(), 1, "{opening}");
    // 004 opens answers "王毅:", 000 "王毅指出，" and "王毅表示，": the speaker
    // once.
    assert!(!t.contains("王毅:王毅"));
}

#[test]
fn output_contract_holds() {
    let (docs, r) = reconcile_corpus();
    common::check_provenance(&docs, &r);
    common::check_conservation(&docs, &r);
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).expect("valid JSON");
    assert_eq!(json["schema"], "reprint/1");
    for f in json["families"].as_array().unwrap() {
        for key in ["id", "documents", "text", "spans", "variants", "removed"] {
            assert!(f.get(key).is_some(), "family lacks {key}");
        }
        for v in f["variants"].as_array().unwrap() {
            let rule = v["rule"].as_str().unwrap();
            assert!(
                [
                    "majority",
                    "weighted",
                    "language-model",
                    "confusable",
                    "ocr-error",
                    "sole-witness",
                    "editorial",
                    "tie"
                ]
                .contains(&rule),
                "{rule}"
            );
        }
        for x in f["removed"].as_array().unwrap() {
            let kind = x["kind"].as_str().unwrap();
            assert!(["duplicate", "fragment", "debris", "overlap"].contains(&kind));
        }
    }
}

#[test]
fn example_prints_three_families() {
    let out = Command::new(common::example("reconcile"))
        .output()
        .expect("example runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("# family")).collect();
    assert_eq!(headers.len(), 3, "{headers:?}");
    assert!(
        headers[0].contains("000_") && headers[0].contains("003_") && headers[0].contains("004_")
    );
    assert!(text.contains("哪吒闹海"));
}

#[test]
fn example_writes_json_and_files() {
    let out = Command::new(common::example("reconcile"))
        .args(["--format", "json"])
        .arg(corpus())
        .output()
        .expect("example runs");
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["families"].as_array().unwrap().len(), 3);

    let dir = std::env::temp_dir().join(format!("reprint-out-{}", std::process::id()));
    let out = Command::new(common::example("reconcile"))
        .arg("--out")
        .arg(&dir)
        .output()
        .expect("runs");
    assert!(out.status.success());
    for name in [
        "family-0.txt",
        "family-1.txt",
        "family-2.txt",
        "reconciliation.json",
    ] {
        assert!(dir.join(name).is_file(), "{name} missing");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Every line 004 prints more than once is found as a repeat: all its
/// copies but one are removed duplicates or fragments whose `of` reads
/// (nearly) the same text, and which copy stays is the scan's choice of
/// context, not necessarily the first.
#[test]
fn every_repeat_of_004_is_found() {
    let (docs, r) = reconcile_corpus();
    let f = family_of(&r, "004");
    let doc = docs.iter().find(|d| d.id().starts_with("004")).unwrap();
    let text = doc.text();
    // Lines (at least 10 characters) printed more than once, by byte offset.
    let mut copies: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim();
        if body.chars().count() >= 10 {
            copies
                .entry(body)
                .or_default()
                .push(at + line.find(body).unwrap());
        }
        at += line.len();
    }
    copies.retain(|_, at| at.len() >= 2);
    assert!(copies.len() >= 10, "{} repeated lines", copies.len());
    for (body, starts) in copies {
        let removed: Vec<_> = starts
            .iter()
            .filter_map(|&start| {
                let end = start + body.len();
                f.removed
                    .iter()
                    .find(|x| x.document == doc.id() && x.start <= start && end <= x.end)
            })
            .collect();
        assert!(
            removed.len() + 1 >= starts.len(),
            "{} of {} copies removed: {body}",
            removed.len(),
            starts.len()
        );
        for item in removed {
            assert!(
                matches!(item.kind, RemovedKind::Duplicate | RemovedKind::Fragment),
                "{body}: {:?}",
                item.kind
            );
            let of = item.of.as_ref().expect("of");
            // The copy kept reads (nearly) the same: a pull quote or heading
            // may differ from the passage it repeats by a few characters.
            let copy: Vec<char> =
                common::fold(&common::slice(&docs, &of.document, of.start, of.end))
                    .chars()
                    .collect();
            let mine: Vec<char> = common::fold(body).chars().collect();
            let distance = strsim::generic_levenshtein(&copy, &mine);
            assert!(
                distance * 4 <= copy.len().max(mine.len()),
                "{body} repeats {}",
                copy.iter().collect::<String>()
            );
        }
    }
}

/// 004 prints the start of the Shanghai Cooperation Organisation section
/// twice, once before the China–US section and once after it, where 003
/// has it: the section keeps the copy in its place and stays whole, and its
/// question, worded differently by 003 and 004, is asked once.
#[test]
fn a_section_printed_twice_stays_whole() {
    let (_, r) = reconcile_corpus();
    let text = &family_of(&r, "003").text;
    let section = [
        "路透社记者",
        "中美都将在这个星球上长久存在下去",
        "记者:中国如何看待现阶段上海合作组织|记者:请问您如何评价现阶段上合组织",
        "今年是上合组织的“中国年”",
        "令我们更欣慰的是",
        "作为轮值主席国",
        "《环球时报》记者",
    ];
    let mut last = 0;
    for needle in section {
        let found: Vec<usize> = needle
            .split('|')
            .flat_map(|n| text.match_indices(n).map(|(i, _)| i))
            .collect();
        assert_eq!(found.len(), 1, "{needle} printed {} times", found.len());
        assert!(found[0] > last, "{needle} out of order");
        last = found[0];
    }
}
