//! Folding with its offset map: every folded character maps to a character
//! boundary of the source, the map is increasing (no two folded characters
//! share a source character), the owned ranges partition the text, and any
//! run of folded characters reads (folded independently) as the source
//! bytes it owns. The library keeps a character that folds to several (㎏,
//! ﬁ) as itself, so the folded characters are compared folded again.

use crate::check;
use crate::fold;

/// One fuzz input.
pub fn run(data: &[u8]) {
    // The longest valid UTF-8 prefix: the fuzzer soon learns to stay valid.
    let s = match std::str::from_utf8(data) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&data[..e.valid_up_to()]).unwrap(),
    };
    let f = fold::fold(s);
    let n = f.n();
    assert_eq!(f.len as usize, s.len());
    let src: Vec<u32> = (0..f.n()).map(|i| f.src(i)).collect();
    for &x in &src {
        assert!((x as usize) < s.len(), "src {x} past the end");
        assert!(s.is_char_boundary(x as usize), "src {x} inside a character");
    }
    assert!(src.windows(2).all(|w| w[0] < w[1]), "src not increasing");
    // Owned ranges partition the text (a text that folds to nothing is
    // never a document, and own(0) = 0 = own(n) there).
    assert_eq!(f.own(0), 0);
    if n == 0 {
        assert!(fold::folds_to_nothing(s));
        return;
    }
    assert_eq!(f.own(n), s.len() as u32);
    for i in 0..n {
        assert!(f.own(i) <= f.own(i + 1));
    }
    assert!(f.chars.iter().all(|&c| !fold::is_dropped(c)));
    assert_eq!(fold::folds_to_nothing(s), n == 0);
    // position_at is the inverse of src.
    for i in 0..n {
        assert_eq!(f.position_at(src[i]), i);
        assert_eq!(f.position_at(src[i] + 1), i + 1);
    }
    // Every folded character on its own reads as the bytes it owns.
    let cuts: Vec<usize> = (0..=n).collect();
    let folded: String = f.chars.iter().collect();
    for i in 0..n {
        let owned = &s[f.own(i) as usize..f.own(i + 1) as usize];
        let mine = check::fold(&f.chars[i].to_string());
        assert_eq!(check::fold(owned), mine, "cluster {owned:?} at {i}");
    }
    // Ranges of several clusters (first, middle, last thirds and the whole).
    // NFKC composes some characters across clusters (Hangul conjoining
    // jamo, Indic two-part vowel signs: a base followed by a non-mark), which
    // the library folds one cluster at a time; comparing up to canonical
    // equivalence (NFD) forgives exactly that (README, Fuzzing: finding F1).
    let pick = |t: usize| cuts[t * (cuts.len() - 1) / 3];
    for (i, j) in [(pick(0), pick(1)), (pick(1), pick(3)), (pick(0), pick(3))] {
        let owned = &s[f.own(i) as usize..f.own(j) as usize];
        let mine: String = f.chars[i..j].iter().collect();
        assert_eq!(
            check::nfd(&check::fold(owned)),
            check::nfd(&check::fold(&mine)),
            "range {owned:?}"
        );
    }
    assert_eq!(
        check::nfd(&check::fold(s)),
        check::nfd(&check::fold(&folded))
    );
}
