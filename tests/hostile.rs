//! Hostile input: degenerate texts, odd encodings, symlink loops, FIFOs,
//! bad files beside good ones, and scale (many tiny files, one huge file).
//! Every case either reconciles with every byte accounted for, or reports a
//! clear error naming the entry; never a panic, a hang or an endless walk.
//!
//! The two scale tests are `#[ignore]`d (see their comments for the commands).

mod common;

use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use reprint::{Document, Encoding, ErrorKind, Reconciler, Reconciliation};

// ---------------------------------------------------------------------------
// Helpers

use common::{TempDir, corpus_file, run_example as run};

/// Run `f` on its own thread and fail if it takes longer than `limit` (a
/// hang or an endless walk fails the test instead of blocking the suite).
fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(v) => {
            eprintln!("{what}: {:.2} s", start.elapsed().as_secs_f64());
            v
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: not done after {limit:?}"),
        // The closure panicked; its message is already printed.
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
    }
}

/// Reconcile with a time limit.
fn reconcile_within(
    limit: Duration,
    what: &str,
    docs: Vec<Document>,
) -> (Vec<Document>, Reconciliation) {
    within(limit, what, move || {
        let r = Reconciler::new().reconcile(&docs).expect("reconciles");
        (docs, r)
    })
}

/// Print what the first few families hold (seen with `--nocapture`).
fn summarize(r: &Reconciliation) {
    for f in r.families.iter().take(3) {
        let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
        for rem in &f.removed {
            *kinds.entry(format!("{:?}", rem.kind)).or_default() += 1;
        }
        eprintln!(
            "family {}: {} documents, {} bytes of text, {} spans, {} variants, removed {kinds:?}",
            f.id,
            f.documents.len(),
            f.text.len(),
            f.spans.len(),
            f.variants.len()
        );
    }
}

/// Every document lies in exactly one family, and families name only known documents.
fn check_partition(docs: &[Document], r: &Reconciliation) {
    summarize(r);
    let mut seen: std::collections::BTreeMap<&str, usize> =
        docs.iter().map(|d| (d.id(), 0)).collect();
    for f in &r.families {
        assert!(!f.documents.is_empty(), "family {} has no documents", f.id);
        for d in &f.documents {
            *seen
                .get_mut(d.as_str())
                .unwrap_or_else(|| panic!("family {} names unknown document {d}", f.id)) += 1;
        }
    }
    for (id, n) in seen {
        assert_eq!(n, 1, "document {id} is in {n} families");
    }
}

/// Peak resident memory of this process so far, from /proc (Linux only).
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Reset the peak resident memory (so a measurement excludes the input's
/// generation). Best effort: needs Linux 4.0+.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
}

// ---------------------------------------------------------------------------
// 1. One character repeated

#[test]
fn one_character_repeated() {
    let dir = TempDir::new("one-char");
    // One line of 300,000 characters each, then the same character as
    // 5,000 identical lines of 60 (a paragraph "printed" 5,000 times).
    let cases = [
        ("han", '哈', 0),
        ("latin", 'a', 0),
        ("han-lines", '哈', 60),
        ("latin-lines", 'a', 60),
    ];
    for (name, c, width) in cases {
        let text = if width == 0 {
            c.to_string().repeat(300_000)
        } else {
            format!("{}\n", c.to_string().repeat(width)).repeat(300_000 / width)
        };
        let path = dir.file(&format!("{name}.txt"), text.as_bytes());
        let doc = Document::from_path(&path).unwrap();
        assert_eq!(doc.text(), text);
        let (docs, r) = reconcile_within(Duration::from_secs(30), name, vec![doc]);
        assert_eq!(r.families.len(), 1, "{name}");
        assert_eq!(r.families[0].documents, [name]);
        check_partition(&docs, &r);
        common::check_conservation(&docs, &r);
        common::check_provenance(&docs, &r);
        // Whatever it keeps, the text is made of that one character (lines
        // joined inside a paragraph read as a space in a spaced script).
        let text = &r.families[0].text;
        assert!(
            !text.is_empty() && text.chars().all(|x| x == c || x == '\n' || x == ' '),
            "{name}: text holds other characters"
        );
    }
}

// ---------------------------------------------------------------------------
// 2. One enormous line

/// About 2 MB of Chinese on one line: the sentences of 003 over and over,
/// with a different few of them altered by one character in each round.
fn enormous_line() -> String {
    let src = std::fs::read_to_string(corpus_file("003")).unwrap();
    let flat: String = src.chars().filter(|&c| c != '\n' && c != '\r').collect();
    let sentences: Vec<&str> = flat
        .split_inclusive('。')
        .filter(|s| !s.trim().is_empty())
        .collect();
    assert!(sentences.len() > 50);
    const SUBS: [char; 8] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛'];
    let target = 2 << 20;
    let mut out = String::with_capacity(target + 8192);
    let mut round = 0usize;
    while out.len() < target {
        for (i, s) in sentences.iter().enumerate() {
            if (i * 7 + round * 13) % 29 == 0 {
                let sub = SUBS[(i + round) % SUBS.len()];
                out.extend(
                    s.chars()
                        .enumerate()
                        .map(|(j, c)| if j == 2 { sub } else { c }),
                );
            } else {
                out.push_str(s);
            }
        }
        round += 1;
    }
    out
}

#[test]
fn one_enormous_line() {
    let text = enormous_line();
    assert!(!text.contains('\n') && text.len() >= 2 << 20);
    let dir = TempDir::new("long-line");
    let path = dir.file("line.txt", text.as_bytes());
    let doc = Document::from_path(&path).unwrap();
    assert_eq!(doc.encoding(), Encoding::Utf8);
    let (docs, r) = reconcile_within(Duration::from_secs(60), "2 MB line", vec![doc]);
    assert_eq!(r.families.len(), 1);
    let f = &r.families[0];
    assert!(!f.text.is_empty());
    check_partition(&docs, &r);
    common::check_conservation(&docs, &r);
    common::check_provenance(&docs, &r);
}

// ---------------------------------------------------------------------------
// 3. UTF-16 with a byte-order mark

fn utf16_bytes(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        bytes.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    bytes
}

#[test]
fn utf16_with_bom_reconciles_like_utf8() {
    let utf8 = std::fs::read_to_string(corpus_file("003")).unwrap();
    // The reference: the UTF-8 text twice, under the same ids.
    let reference = Reconciler::new()
        .reconcile(&[
            Document::from_text("utf16", utf8.clone()),
            Document::from_text("utf8", utf8.clone()),
        ])
        .unwrap();
    assert_eq!(reference.families.len(), 1);
    for (big_endian, encoding) in [(false, Encoding::Utf16Le), (true, Encoding::Utf16Be)] {
        let dir = TempDir::new(if big_endian { "utf16be" } else { "utf16le" });
        dir.file("utf8.txt", utf8.as_bytes());
        let bytes = utf16_bytes(&utf8, big_endian);
        dir.file("utf16.txt", &bytes);

        let loaded = reprint::load([&dir.0]);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        assert_eq!(loaded.documents.len(), 2);
        let doc = loaded.documents.iter().find(|d| d.id() == "utf16").unwrap();
        assert_eq!(doc.encoding(), encoding);
        assert_eq!(doc.text(), utf8, "{encoding:?}");
        assert_eq!(doc.len(), bytes.len());

        let r = Reconciler::new().reconcile(&loaded.documents).unwrap();
        assert_eq!(r.families.len(), 1, "{encoding:?}");
        let f = &r.families[0];
        assert_eq!(f.documents, ["utf16", "utf8"]);
        assert_eq!(f.text, reference.families[0].text, "{encoding:?}");
        let info = r.documents.iter().find(|d| d.id == "utf16").unwrap();
        assert_eq!(info.encoding, encoding.name());
        assert_eq!(info.bytes, bytes.len());
        common::check_conservation(&loaded.documents, &r);

        // Offsets are the UTF-16 file's: inside it, on code-unit boundaries,
        // and each span's support decodes (from those bytes) to its text.
        let decoder = if big_endian {
            encoding_rs::UTF_16BE
        } else {
            encoding_rs::UTF_16LE
        };
        let in_file = |start: usize, end: usize| {
            assert!(
                start <= end && end <= bytes.len(),
                "{encoding:?}: {start}..{end} outside the file of {}",
                bytes.len()
            );
            assert!(
                start % 2 == 0 && end % 2 == 0,
                "{encoding:?}: {start}..{end} splits a UTF-16 code unit"
            );
        };
        let mut spans = 0;
        for s in &f.spans {
            for sup in s.support.iter().filter(|s| s.document == "utf16") {
                in_file(sup.start, sup.end);
                let decoded = decoder
                    .decode_without_bom_handling(&bytes[sup.start..sup.end])
                    .0;
                assert_eq!(
                    common::fold(&decoded),
                    common::fold(&f.text[s.start..s.end]),
                    "{encoding:?}: span {}..{} vs {sup:?}",
                    s.start,
                    s.end
                );
                spans += 1;
            }
        }
        assert!(spans > 0, "{encoding:?}: the UTF-16 file supports no span");
        let readings = f.variants.iter().flat_map(|v| &v.readings);
        for sup in readings.flat_map(|r| &r.support) {
            if sup.document == "utf16" {
                in_file(sup.start, sup.end);
            }
        }
        for rem in f.removed.iter().filter(|r| r.document == "utf16") {
            in_file(rem.start, rem.end);
        }
    }
}

// ---------------------------------------------------------------------------
// 4. Symlink loops and dangling symlinks

#[test]
fn symlink_loops_and_dangling_links() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("symlinks");
    std::fs::copy(corpus_file("001"), dir.path("good.txt")).unwrap();
    // A link back to the directory itself, absolute and relative.
    symlink(&dir.0, dir.path("a")).unwrap();
    symlink(".", dir.path("here")).unwrap();
    // Two links pointing at each other, with and without the .txt name.
    symlink(dir.path("loop2"), dir.path("loop")).unwrap();
    symlink(dir.path("loop"), dir.path("loop2")).unwrap();
    symlink("loop2.txt", dir.path("loop.txt")).unwrap();
    symlink("loop.txt", dir.path("loop2.txt")).unwrap();
    // Dangling, with and without the .txt name.
    symlink(dir.path("nowhere.txt"), dir.path("dangling.txt")).unwrap();
    symlink(dir.path("nowhere"), dir.path("dangling")).unwrap();
    // A link to the good file: the same file, loaded once.
    symlink("good.txt", dir.path("alias.txt")).unwrap();

    let root = dir.0.clone();
    let loaded = within(Duration::from_secs(30), "load", move || {
        reprint::load([root])
    });
    let ids: Vec<&str> = loaded.documents.iter().map(|d| d.id()).collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert!(ids[0] == "good" || ids[0] == "alias", "{ids:?}");
    let bad = [
        "loop",
        "loop2",
        "loop.txt",
        "loop2.txt",
        "dangling",
        "dangling.txt",
    ];
    for err in &loaded.errors {
        eprintln!("reported: {err}");
        let name = err
            .path()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        assert!(bad.contains(&name.as_str()), "unexpected error: {err}");
        assert!(err.to_string().contains(&name), "{err}");
    }
    // The .txt ones are what a search would have read: each must be named.
    for name in ["loop.txt", "loop2.txt", "dangling.txt"] {
        assert!(
            loaded
                .errors
                .iter()
                .any(|e| e.path() == Some(&dir.path(name))),
            "{name} not reported: {:?}",
            loaded.errors
        );
    }
    let r = Reconciler::new().reconcile(&loaded.documents).unwrap();
    common::check_conservation(&loaded.documents, &r);
}

// ---------------------------------------------------------------------------
// 5. Entries that are not regular files

#[test]
fn directory_named_txt_and_fifo() {
    let dir = TempDir::new("unreadable");
    std::fs::copy(corpus_file("001"), dir.path("good.txt")).unwrap();
    std::fs::create_dir(dir.path("x.txt")).unwrap();
    // A directory with a .txt name is still a directory: searched, not read.
    std::fs::create_dir(dir.path("y.txt")).unwrap();
    std::fs::copy(corpus_file("002"), dir.path("y.txt/inner.txt")).unwrap();
    let fifo = dir.path("fifo.txt");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());

    let root = dir.0.clone();
    let loaded = within(Duration::from_secs(30), "load", move || {
        reprint::load([root])
    });
    let ids: Vec<&str> = loaded.documents.iter().map(|d| d.id()).collect();
    assert_eq!(ids, ["good", "inner"]);
    // The FIFO is refused, by name, without being opened.
    let fifo_errors: Vec<String> = loaded
        .errors
        .iter()
        .filter(|e| e.path() == Some(&fifo))
        .map(|e| e.to_string())
        .collect();
    assert_eq!(fifo_errors.len(), 1, "{:?}", loaded.errors);
    assert!(fifo_errors[0].contains("fifo.txt"), "{}", fifo_errors[0]);
    assert!(matches!(
        loaded
            .errors
            .iter()
            .find(|e| e.path() == Some(&fifo))
            .unwrap()
            .kind(),
        ErrorKind::Io(_)
    ));
    // Nothing else is an error, except (if reported) the empty x.txt directory.
    for err in &loaded.errors {
        eprintln!("reported: {err}");
        assert!(
            err.path() == Some(&fifo) || err.path() == Some(&dir.path("x.txt")),
            "unexpected error: {err}"
        );
    }

    // Asked for by name, the directory x.txt is a clear error naming it.
    let x = dir.path("x.txt");
    let err = Document::from_path(&x).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Io(_)), "{err}");
    assert!(err.to_string().contains("x.txt"), "{err}");
    let loaded_x = reprint::load([&x]);
    assert!(loaded_x.documents.is_empty());
    assert_eq!(loaded_x.errors.len(), 1);
    assert!(matches!(loaded_x.errors[0].kind(), ErrorKind::NoDocuments));
    assert!(loaded_x.errors[0].to_string().contains("x.txt"));

    // Named explicitly, a FIFO is read as asked (like `reconcile <(cmd)`):
    // with a writer at the other end, it loads and does not hang.
    let text = std::fs::read_to_string(corpus_file("001")).unwrap();
    let writer = {
        let fifo = fifo.clone();
        let text = text.clone();
        std::thread::spawn(move || std::fs::write(fifo, text))
    };
    let named = fifo.clone();
    let loaded = within(Duration::from_secs(30), "load named FIFO", move || {
        reprint::load([named])
    });
    writer.join().unwrap().unwrap();
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(loaded.documents.len(), 1);
    assert_eq!(loaded.documents[0].text(), text);
}

// ---------------------------------------------------------------------------
// 6. One bad file does not sink a run (through the example binary)

#[test]
fn one_bad_file_does_not_sink_a_run() {
    let dir = TempDir::new("one-bad");
    for prefix in ["003", "004"] {
        std::fs::copy(corpus_file(prefix), dir.path(&format!("{prefix}.txt"))).unwrap();
    }
    let mut binary = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    binary.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    dir.file("photo.txt", &binary);

    let (code, out, err) = run(&[dir.0.as_os_str()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("photo.txt"), "{err}");
    assert!(out.contains("# family 0: 003, 004\n"), "{out}");
    assert_eq!(out.matches("# family").count(), 1, "{out}");
    assert!(out.len() > 10_000, "the family's text is printed");

    let (code, out, err) = run(&[std::ffi::OsStr::new("--strict"), dir.0.as_os_str()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("photo.txt"), "{err}");
    assert!(out.is_empty(), "{out}");
}

// ---------------------------------------------------------------------------
// 7. 100,000 tiny files
//
// Run with:
//     cargo test --release --test hostile -- --ignored many_tiny_files --nocapture
// (timing and peak memory: prefix the test binary with `/usr/bin/time -v`; the
// test also prints VmHWM). Measured on 2 cores: about 8 s wall (3 s writing
// the files, 1.6 s loading, 1.3 s reconciling), peak RSS about 300 MB.
//
// Almost every file is a random sentence printed in 1 to 6 files, so that
// there are families: stock sentences repeated in hundreds of files link
// nothing (anchors shared by more than 16 documents are skipped), and a few
// hundred of them alone would give 100,000 families of one.

/// Han characters of the bundled clean text, for random sentences.
fn han_pool() -> Vec<char> {
    let mut pool: Vec<char> = include_str!("../data/clean/zh.txt")
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .collect();
    pool.sort_unstable();
    pool.dedup();
    pool
}

/// Real sentences of 20 to 60 characters from the bundled clean text.
fn stock_sentences() -> Vec<String> {
    let zh = include_str!("../data/clean/zh.txt");
    let en = include_str!("../data/clean/en.txt");
    let mut out: Vec<String> = zh
        .split_inclusive(['。', '！', '？'])
        .chain(en.split_inclusive(". "))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.contains('\n') && (20..=60).contains(&s.chars().count()))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
#[ignore = "scale: 100,000 files; run with --ignored many_tiny_files"]
fn many_tiny_files() {
    const FILES: usize = 100_000;
    let start = Instant::now();
    let dir = TempDir::new("tiny");
    let pool = han_pool();
    let stock = stock_sentences();
    assert!(
        pool.len() > 500 && stock.len() > 100,
        "{} {}",
        pool.len(),
        stock.len()
    );
    let mut rng = Rng(20_250_307);
    // groups[g] = the file names of one random sentence's copies.
    let mut groups: Vec<Vec<String>> = Vec::new();
    // stock_files[i] = the files printing stock sentence i.
    let mut stock_files: Vec<Vec<String>> = vec![Vec::new(); stock.len()];
    let mut written = 0;
    while written < FILES {
        let name = format!("t{written:06}");
        if rng.next() % 10 == 0 {
            // One draw in ten: a stock sentence (about a hundred real
            // sentences over some 3,000 files, each in more files than the
            // index links by a shared anchor).
            let i = rng.range(0, stock.len() - 1);
            dir.file(&format!("{name}.txt"), format!("{}\n", stock[i]).as_bytes());
            stock_files[i].push(name);
            written += 1;
            continue;
        }
        let len = rng.range(20, 58);
        let mut sentence: Vec<char> = (0..len)
            .map(|_| pool[rng.range(0, pool.len() - 1)])
            .collect();
        sentence.insert(len / 2, '，');
        sentence.push('。');
        let copies = rng.range(1, 6).min(FILES - written);
        let mut names = Vec::new();
        for c in 0..copies {
            let name = format!("t{:06}", written);
            let mut text = sentence.clone();
            // Some copies carry one misread character, away from the ends.
            if c > 0 && rng.next() % 3 == 0 {
                let at = rng.range(4, text.len() - 5);
                text[at] = pool[rng.range(0, pool.len() - 1)];
            }
            let mut text: String = text.into_iter().collect();
            text.push('\n');
            dir.file(&format!("{name}.txt"), text.as_bytes());
            names.push(name);
            written += 1;
        }
        groups.push(names);
    }
    eprintln!(
        "wrote {FILES} files in {:.1} s",
        start.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let loaded = reprint::load([&dir.0]);
    eprintln!("loaded in {:.1} s", t.elapsed().as_secs_f64());
    assert!(loaded.errors.is_empty(), "{:?}", &loaded.errors[..1]);
    assert_eq!(loaded.documents.len(), FILES);

    let t = Instant::now();
    let r = Reconciler::new().reconcile(&loaded.documents).unwrap();
    eprintln!(
        "reconciled into {} families in {:.1} s",
        r.families.len(),
        t.elapsed().as_secs_f64()
    );
    check_partition(&loaded.documents, &r);
    common::check_conservation(&loaded.documents, &r);

    // The copies of a random sentence form one family (allowing a few whose
    // misread copies share no anchor with the rest).
    let family_of: std::collections::HashMap<&str, usize> = r
        .families
        .iter()
        .flat_map(|f| f.documents.iter().map(move |d| (d.as_str(), f.id)))
        .collect();
    let multi: Vec<&Vec<String>> = groups.iter().filter(|g| g.len() > 1).collect();
    let whole = multi
        .iter()
        .filter(|g| {
            g.iter()
                .all(|n| family_of[n.as_str()] == family_of[g[0].as_str()])
        })
        .count();
    let merged = r.families.iter().filter(|f| f.documents.len() > 1).count();
    eprintln!(
        "{whole} of {} repeated sentences are whole families; {merged} families of two or more",
        multi.len()
    );
    assert!(
        whole * 100 >= multi.len() * 99,
        "{whole} of {}",
        multi.len()
    );
    let stock_families: std::collections::BTreeSet<usize> = stock_files
        .iter()
        .flatten()
        .map(|n| family_of[n.as_str()])
        .collect();
    eprintln!(
        "{} stock sentences in {} files fall into {} families",
        stock.len(),
        stock_files.iter().map(Vec::len).sum::<usize>(),
        stock_families.len()
    );
    eprintln!(
        "many_tiny_files: {:.1} s in all, peak memory (VmHWM) {}",
        start.elapsed().as_secs_f64(),
        peak_rss()
    );
}

// ---------------------------------------------------------------------------
// 8. One 200 MB file
//
// Run with:
//     cargo test --release --test hostile -- --ignored one_huge_file --nocapture
// (REPRINT_HOSTILE_MB=N sets the size in MB; default 200).
//
// The file is simulated Chinese scans of some 43,000 families concatenated,
// so the one document repeats most of its paragraphs 2 to 5 times. Measured
// on 2 cores: 20 MB reconciles in 23 s (peak RSS 0.75 GB), 50 MB in 150 s
// (1.7 GB); 200 MB had not finished after 5 minutes (peak RSS 4.4 GB in the
// first 30 s, then 2.6 GB on one core in `layout::layout`: one document is one
// family, and `should_join` scans all of a witness's alignment blocks for
// every pair of adjacent lines, which is quadratic in one document's length).

#[test]
#[ignore = "scale: a 200 MB file; run with --ignored one_huge_file"]
fn one_huge_file() {
    use reprint::simulate::{self, SimConfig};
    use std::io::Write;
    let mb: usize = std::env::var("REPRINT_HOSTILE_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let target = mb << 20;
    let sources = vec![include_str!("../data/clean/zh.txt").to_string()];
    let config = |families: usize| {
        let mut c = SimConfig::new();
        c.families(families).distractors(families / 10).seed(2025);
        c
    };
    // Size a family, then simulate enough of them.
    let sample = simulate::simulate(&config(200), &sources);
    let per_family = sample.scans.iter().map(|s| s.text.len() + 2).sum::<usize>() / 200;
    drop(sample);
    let families = target / per_family + 1;

    let t = Instant::now();
    let corpus = simulate::simulate(&config(families), &sources);
    let dir = TempDir::new("huge");
    let path = dir.path("huge.txt");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        for s in &corpus.scans {
            w.write_all(s.text.as_bytes()).unwrap();
            w.write_all(b"\n\n").unwrap();
        }
        w.flush().unwrap();
    }
    let scans = corpus.scans.len();
    drop(corpus);
    let bytes = std::fs::metadata(&path).unwrap().len() as usize;
    eprintln!(
        "simulated {families} families, {scans} scans, {} MB in one file in {:.1} s (peak memory {})",
        bytes >> 20,
        t.elapsed().as_secs_f64(),
        peak_rss()
    );
    assert!(bytes >= target * 9 / 10, "{bytes}");

    reset_peak_rss();
    let t = Instant::now();
    let doc = Document::from_path(&path).unwrap();
    assert_eq!(doc.len(), bytes);
    eprintln!("loaded in {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let docs = vec![doc];
    let r = Reconciler::new().reconcile(&docs).unwrap();
    eprintln!(
        "reconciled in {:.1} s: {} bytes of text, {} variants, {} removed",
        t.elapsed().as_secs_f64(),
        r.families[0].text.len(),
        r.families[0].variants.len(),
        r.families[0].removed.len()
    );
    assert_eq!(r.families.len(), 1);
    assert_eq!(r.families[0].documents, ["huge"]);
    assert!(!r.families[0].text.is_empty());
    common::check_conservation(&docs, &r);
    eprintln!(
        "one_huge_file: peak memory (VmHWM) from loading on: {}",
        peak_rss()
    );
}
