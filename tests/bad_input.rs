//! Bad input: a clear error naming the file, or correct handling; never a panic.

mod common;

use std::path::Path;

use reprint::{Encoding, ErrorKind, Reconciler};

use common::{TempDir, corpus_file, run_example as run};

#[test]
fn nonexistent_path() {
    let missing = Path::new("/no/such/scans");
    let loaded = reprint::load([missing]);
    assert_eq!(loaded.errors.len(), 1);
    assert!(matches!(loaded.errors[0].kind(), ErrorKind::Io(_)));
    assert!(loaded.errors[0].to_string().contains("/no/such/scans"));
    let (code, _, err) = run(&[missing]);
    assert_ne!(code, 0);
    assert!(err.contains("/no/such/scans"), "{err}");
}

#[test]
fn empty_file() {
    let dir = TempDir::new("empty-file");
    let p = dir.file("empty.txt", b"");
    let err = reprint::Document::from_path(&p).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Empty));
    assert!(err.to_string().contains("empty.txt"));
    let blank = dir.file("blank.txt", b" \n\n\t \n");
    assert!(matches!(
        reprint::Document::from_path(&blank).unwrap_err().kind(),
        ErrorKind::Empty
    ));
    let (code, _, err) = run(&[&p]);
    assert_eq!(code, 1);
    assert!(
        err.contains("empty.txt") && err.lines().count() <= 2,
        "{err}"
    );
}

#[test]
fn empty_directory() {
    let dir = TempDir::new("empty-dir");
    let loaded = reprint::load([&dir.0]);
    assert!(loaded.documents.is_empty());
    assert!(matches!(loaded.errors[0].kind(), ErrorKind::NoDocuments));
    let (code, _, err) = run(&[&dir.0]);
    assert_eq!(code, 1);
    assert!(err.contains(&*dir.0.to_string_lossy()), "{err}");
    assert!(Reconciler::new().reconcile(&[]).is_err());
}

#[test]
fn binary_file() {
    let dir = TempDir::new("binary");
    let png = dir.file(
        "image.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    );
    let err = reprint::Document::from_path(&png).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Binary { .. }));
    // One bad file does not sink the others.
    std::fs::copy(corpus_file("001"), dir.0.join("001.txt")).unwrap();
    let (code, out, err) = run(&[&dir.0]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("image.txt"));
    assert!(out.contains("# family 0: 001"));
}

#[test]
fn gb18030_file_reconciles_like_utf8() {
    let dir = TempDir::new("gb18030");
    for prefix in ["000", "004"] {
        std::fs::copy(corpus_file(prefix), dir.0.join(format!("{prefix}.txt"))).unwrap();
    }
    let utf8 = std::fs::read_to_string(corpus_file("003")).unwrap();
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&utf8);
    assert!(!unmappable);
    dir.file("003.txt", &gb);
    let loaded = reprint::load([&dir.0]);
    assert!(loaded.errors.is_empty());
    let gb_doc = loaded.documents.iter().find(|d| d.id() == "003").unwrap();
    assert_eq!(gb_doc.encoding(), Encoding::Gb18030);
    assert_eq!(gb_doc.text(), utf8);
    let r = Reconciler::new().reconcile(&loaded.documents).unwrap();
    assert_eq!(r.families.len(), 1);
    // Same text as with the UTF-8 file.
    let reference_docs: Vec<_> = ["000", "003", "004"]
        .iter()
        .map(|p| {
            reprint::Document::from_path(corpus_file(p))
                .unwrap()
                .with_id(*p)
        })
        .collect();
    let reference = Reconciler::new().reconcile(&reference_docs).unwrap();
    assert_eq!(r.families[0].text, reference.families[0].text);
    // Provenance points into the GB18030 bytes.
    common::check_provenance(&loaded.documents, &r);
    common::check_conservation(&loaded.documents, &r);
}

#[test]
fn invalid_utf8_in_the_middle() {
    let dir = TempDir::new("invalid-utf8");
    let mut bytes = std::fs::read(corpus_file("001")).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] = 0xFF;
    let p = dir.file("001.txt", &bytes);
    let doc = reprint::Document::from_path(&p).unwrap();
    assert!(matches!(doc.encoding(), Encoding::Utf8Lossy { .. }));
    let r = Reconciler::new()
        .reconcile(std::slice::from_ref(&doc))
        .unwrap();
    // Every byte, the damaged ones included, is still accounted for.
    common::check_conservation(std::slice::from_ref(&doc), &r);
    let (code, _, err) = run(&[&p]);
    assert_eq!(code, 0);
    assert!(err.contains("001.txt") && err.contains("U+FFFD"), "{err}");
    // Not UTF-8 and not GB18030 either: a clear error.
    let latin1 = dir.file(
        "latin1.txt",
        b"caf\xe9 au lait, cr\xe8me br\xfbl\xe9e, \xe0 la carte \xa9 \xae \xb5",
    );
    let err = reprint::Document::from_path(&latin1).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Encoding { .. }), "{err}");
    assert!(err.to_string().contains("latin1.txt"));
}
