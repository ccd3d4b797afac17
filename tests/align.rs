//! The aligner against a naive full dynamic-programming oracle.

use proptest::prelude::*;
use reprint::align::{self, Alignment, Op};

/// Edit distance and one optimal alignment by the full O(n·m) table.
fn naive(a: &[char], b: &[char]) -> (u32, Vec<(usize, usize)>) {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0u32; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i as u32;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j as u32;
    }
    for i in 1..=n {
        for j in 1..=m {
            d[i][j] = (d[i - 1][j - 1] + u32::from(a[i - 1] != b[j - 1]))
                .min(d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1);
        }
    }
    // Equal pairs of one optimal path.
    let (mut i, mut j) = (n, m);
    let mut eq = Vec::new();
    while i > 0 && j > 0 {
        if d[i][j] == d[i - 1][j - 1] + u32::from(a[i - 1] != b[j - 1]) {
            if a[i - 1] == b[j - 1] {
                eq.push((i - 1, j - 1));
            }
            i -= 1;
            j -= 1;
        } else if d[i][j] == d[i - 1][j] + 1 {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    eq.reverse();
    (d[n][m], eq)
}

/// Checks that `al` is a valid alignment of `a[al.a()]` to `b[al.b()]`.
fn valid(al: &Alignment, a: &[char], b: &[char]) -> bool {
    let (mut i, mut j) = (al.a().start, al.b().start);
    for &(op, n) in al.ops() {
        for _ in 0..n {
            match op {
                Op::Eq if a[i] != b[j] => return false,
                Op::Sub if a[i] == b[j] => return false,
                Op::Eq | Op::Sub => {
                    i += 1;
                    j += 1;
                }
                Op::Del => i += 1,
                Op::Ins => j += 1,
            }
        }
    }
    (i, j) == (al.a().end, al.b().end)
}

#[derive(Debug, Clone)]
enum Edit {
    Sub(usize, usize),
    Ins(usize, usize),
    Del(usize),
}

fn text(alphabet: &'static str, len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<char>> {
    let letters: Vec<char> = alphabet.chars().collect();
    prop::collection::vec(prop::sample::select(letters), len)
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), any::<usize>()).prop_map(|(p, c)| Edit::Sub(p, c)),
            (any::<usize>(), any::<usize>()).prop_map(|(p, c)| Edit::Ins(p, c)),
            any::<usize>().prop_map(Edit::Del),
        ],
        0..12,
    )
}

fn apply(a: &[char], edits: &[Edit], alphabet: &[char]) -> Vec<char> {
    let mut b = a.to_vec();
    for e in edits {
        if b.is_empty() {
            break;
        }
        match *e {
            Edit::Sub(p, c) => {
                let p = p % b.len();
                b[p] = alphabet[c % alphabet.len()];
            }
            Edit::Ins(p, c) => b.insert(p % (b.len() + 1), alphabet[c % alphabet.len()]),
            Edit::Del(p) => {
                let p = p % b.len();
                b.remove(p);
            }
        }
    }
    b
}

const CJK: &str = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坐集编宝谈府拉黑且随格尽剑讲布杀微怕母调局根曾准团段终乐切级克精哪官示冷";
const LATIN: &str = "abcdefghijklmnopqrstuvwxyz ";

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Without moves, the aligner's edit cost is the optimum.
    #[test]
    fn cost_is_optimal_cjk(a in text(CJK, 20..300), e in edits()) {
        let alphabet: Vec<char> = CJK.chars().collect();
        let b = apply(&a, &e, &alphabet);
        let al = align::global(&a, &b);
        prop_assert!(valid(&al, &a, &b));
        prop_assert_eq!((al.a(), al.b()), (0..a.len(), 0..b.len()));
        prop_assert_eq!(al.cost(), naive(&a, &b).0);
    }

    #[test]
    fn cost_is_optimal_latin(a in text(LATIN, 20..300), e in edits()) {
        let alphabet: Vec<char> = LATIN.chars().collect();
        let b = apply(&a, &e, &alphabet);
        let al = align::global(&a, &b);
        prop_assert!(valid(&al, &a, &b));
        prop_assert_eq!(al.cost(), naive(&a, &b).0);
    }

    /// With a block moved or repeated, every long run of equal characters
    /// the oracle aligns is also aligned by some local block. (Blocks are
    /// reported from 12 matched characters, twice the seed length; a run of
    /// 12 to 15 at the edge of a moved block can be cut by an edit into
    /// pieces below that, so runs of 16 and more are checked.)
    #[test]
    fn no_block_lost(a in text(CJK, 60..300), e in edits(), from in any::<usize>(), len in 15usize..40, to in any::<usize>(), repeat in any::<bool>()) {
        let alphabet: Vec<char> = CJK.chars().collect();
        let mut b = apply(&a, &e, &alphabet);
        let len = len.min(b.len() / 2);
        let from = from % (b.len() - len);
        let block: Vec<char> = b[from..from + len].to_vec();
        if !repeat {
            b.drain(from..from + len);
        }
        let to = to % (b.len() + 1);
        b.splice(to..to, block);
        let blocks = align::local(&a, &b);
        for al in &blocks {
            prop_assert!(valid(al, &a, &b));
        }
        let (_, eq) = naive(&a, &b);
        // Runs of at least 16 consecutive equal pairs in the oracle's alignment.
        let mut runs: Vec<Vec<(usize, usize)>> = Vec::new();
        for &(i, j) in &eq {
            match runs.last_mut() {
                Some(r) if r.last() == Some(&(i - 1, j.wrapping_sub(1))) => r.push((i, j)),
                _ => runs.push(vec![(i, j)]),
            }
        }
        for run in runs.iter().filter(|r| r.len() >= 16) {
            let covered = run
                .iter()
                .filter(|&&(i, _)| blocks.iter().any(|al| al.a().contains(&i)))
                .count();
            prop_assert!(covered * 10 >= run.len() * 9, "run at a[{}..] of {} not aligned", run[0].0, run.len());
        }
    }
}
