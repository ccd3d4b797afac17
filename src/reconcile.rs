//! The pipeline: documents in, families with canonical texts out.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::align;
use crate::collate;
use crate::decide::{self, Counts};
use crate::document::Document;
use crate::error::{Error, ErrorKind, Result};
use crate::family::{self, PairBlocks};
use crate::fold::{self, Folded};
use crate::index;
use crate::layout::{self, Pair, Witness};
use crate::output::{DocumentInfo, Family, Overlap, PunctuationStyle, Reconciliation, Support};
use crate::render;
use crate::segment::{self, Block, DebrisKind};

/// Settings of a reconciliation.
///
/// # Quick advice
/// The defaults suit newspaper scans in Chinese and in alphabetic scripts.
/// Raise [`Config::link_fraction`] if unrelated articles that quote each
/// other end up in one family; lower it if heavily abridged reprints are
/// split off. Raise [`Config::bridge_chars`] if texts that share a long
/// letterhead or standing notice still merge; lower
/// [`Config::bridge_ratio`] if a reprint of one short part of a text is
/// split off. Set [`Config::punctuation`] to [`PunctuationStyle::Fullwidth`]
/// for standard Chinese typesetting whatever the scans print.
///
/// ```
/// use reprint::{Config, PunctuationStyle, Reconciler};
/// let mut config = Config::new();
/// config.link_fraction(0.4).punctuation(PunctuationStyle::Fullwidth);
/// let reconciler = Reconciler::with_config(config);
/// # let _ = reconciler;
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    seed_length: Option<usize>,
    link_fraction: f64,
    link_min_chars: u32,
    bridge_ratio: f64,
    bridge_chars: u32,
    max_neighbours: usize,
    punctuation: PunctuationStyle,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            seed_length: None,
            link_fraction: 0.3,
            link_min_chars: 8,
            bridge_ratio: 0.5,
            bridge_chars: 300,
            max_neighbours: 12,
            punctuation: PunctuationStyle::Majority,
        }
    }
}

impl Config {
    /// The defaults.
    pub fn new() -> Config {
        Config::default()
    }

    /// Length in characters of the exact matches that seed alignment. Default:
    /// 6 when most text is Chinese or Japanese, 12 otherwise.
    pub fn seed_length(&mut self, k: usize) -> &mut Config {
        self.seed_length = Some(k.max(2));
        self
    }

    /// Share of the shorter document that must align for two documents to be
    /// reprints of one text (default 0.3). Below it, what they share is
    /// reported as an overlap.
    pub fn link_fraction(&mut self, fraction: f64) -> &mut Config {
        self.link_fraction = fraction.clamp(0.0, 1.0);
        self
    }

    /// A link between two documents weaker than this share of the strongest
    /// link of either (each link measured as the share of the shorter
    /// document that aligns), on at most [`Config::bridge_chars`]
    /// characters, is a bridge between two texts, such as a letterhead, an
    /// address block or a standing notice they both print, and does not join
    /// their families (default 0.5; 0 turns it off). Lower it if a short
    /// reprint of one part of a text is split off.
    pub fn bridge_ratio(&mut self, ratio: f64) -> &mut Config {
        self.bridge_ratio = ratio.clamp(0.0, 1.0);
        self
    }

    /// The most characters (folded: no spaces) a bridge may share (default
    /// 300, an address block of a few lines or a standing notice of a few
    /// sentences in Latin script;
    /// see [`Config::bridge_ratio`]). Raise it if longer boilerplate merges
    /// unrelated texts.
    pub fn bridge_chars(&mut self, chars: usize) -> &mut Config {
        self.bridge_chars = u32::try_from(chars).unwrap_or(u32::MAX);
        self
    }

    /// How many of its strongest candidates (by shared anchors) a document
    /// in a crowd keeps for alignment (default 12; 0 keeps every candidate
    /// pair). A document is in a crowd when more than this many candidates
    /// share at least half its anchors, as the reprints of a much-reprinted
    /// text do; a pair is aligned if either document keeps it. A text
    /// reprinted `n` times then costs about `12 n` alignments instead of
    /// `n² / 2`: a document's closest reprints are enough to tie it into
    /// its family and to place its characters. Documents outside a crowd
    /// (every document of a family of at most 13) keep all their
    /// candidates, so smaller families are reconciled as before. Raise it
    /// if reprints of a much-reprinted text come out as several families.
    pub fn max_neighbours(&mut self, k: usize) -> &mut Config {
        self.max_neighbours = k;
        self
    }

    /// How width-variant punctuation is printed (default: the family's majority style).
    pub fn punctuation(&mut self, style: PunctuationStyle) -> &mut Config {
        self.punctuation = style;
        self
    }
}

/// Progress of a reconciliation, reported to a callback.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Progress {
    /// What is being done: `"index"`, `"align"` or `"collate"`.
    pub stage: &'static str,
    /// Units done.
    pub done: usize,
    /// Units in all.
    pub total: usize,
}

type Callback = Arc<dyn Fn(Progress) + Send + Sync>;

/// Reconciles scans into canonical texts.
///
/// ```
/// use reprint::{Document, Reconciler};
/// let docs = [
///     Document::from_text("a", "但哪里有封锁，哪里就有突围。\n"),
///     Document::from_text("b", "但哪里有封锁，哪里就有突围。\n"),
/// ];
/// let result = Reconciler::new().reconcile(&docs)?;
/// assert_eq!(result.families[0].text, "但哪里有封锁，哪里就有突围。");
/// # Ok::<(), reprint::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Reconciler {
    config: Config,
    progress: Option<Callback>,
}

impl std::fmt::Debug for Reconciler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reconciler")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Reconciler {
    /// A reconciler with the default [`Config`].
    pub fn new() -> Reconciler {
        Reconciler::default()
    }

    /// A reconciler with the given settings.
    pub fn with_config(config: Config) -> Reconciler {
        Reconciler {
            config,
            progress: None,
        }
    }

    /// Report progress to `callback` (called from worker threads).
    pub fn on_progress(
        mut self,
        callback: impl Fn(Progress) + Send + Sync + 'static,
    ) -> Reconciler {
        self.progress = Some(Arc::new(callback));
        self
    }

    fn report(&self, stage: &'static str, done: usize, total: usize) {
        if let Some(cb) = &self.progress {
            cb(Progress { stage, done, total });
        }
    }

    /// Which documents are reprints of one text: the families, as lists of
    /// document ids (each list sorted, lists ordered by their first id).
    ///
    /// This is the first half of [`Reconciler::reconcile`] (candidate pairs
    /// from shared rare anchors, alignment, links), for when only the
    /// grouping is wanted; it is much cheaper than reconciling.
    ///
    /// # Errors
    /// As [`Reconciler::reconcile`].
    pub fn families(&self, documents: &[Document]) -> Result<Vec<Vec<String>>> {
        let linked = self.link(documents, false)?;
        Ok(linked
            .families
            .iter()
            .map(|members| {
                members
                    .iter()
                    .map(|&d| linked.docs[d as usize].id().to_owned())
                    .collect()
            })
            .collect())
    }

    /// Fold, segment, find candidate pairs, align them, link families; and,
    /// if `count` is set, count the n-grams of all body text meanwhile (for
    /// the language model of the decisions).
    fn link<'d>(&self, documents: &'d [Document], count: bool) -> Result<Linked<'d>> {
        if documents.is_empty() {
            return Err(Error::new(ErrorKind::NothingToReconcile, None));
        }
        let mut docs: Vec<&Document> = documents.iter().collect();
        docs.sort_by(|a, b| a.id().cmp(b.id()));
        for w in docs.windows(2) {
            if w[0].id() == w[1].id() {
                return Err(Error::new(
                    ErrorKind::DuplicateId(w[0].id().to_owned()),
                    w[1].path(),
                ));
            }
        }
        let n = docs.len();
        self.report("index", 0, n);
        let folded: Vec<Folded> = docs.par_iter().map(|d| fold::fold(d.text())).collect();
        let blocks: Vec<Vec<Block>> = docs
            .par_iter()
            .zip(&folded)
            .map(|(d, f)| segment::segment(d.text(), f))
            .collect();
        let texts: Vec<&[char]> = folded.iter().map(|f| f.chars.as_slice()).collect();
        let k = self
            .config
            .seed_length
            .unwrap_or_else(|| align::auto_seed_length(&texts));
        // Counting runs beside indexing and alignment, on whichever thread is free.
        let (counts, aligned) = rayon::join(
            || {
                let mut counts = Counts::default();
                if count {
                    for (bs, f) in blocks.iter().zip(&folded) {
                        for b in bs.iter().filter(|b| b.is_body()) {
                            counts.add(&f.chars[b.range.start as usize..b.range.end as usize]);
                        }
                    }
                }
                counts
            },
            || self.align(&texts, k),
        );

        let body: Vec<family::Body> = blocks
            .iter()
            .map(|bs| {
                let ranges: Vec<std::ops::Range<u32>> = bs
                    .iter()
                    .filter(|b| b.is_body())
                    .map(|b| b.range.clone())
                    .collect();
                let len = ranges.iter().map(|r| r.end - r.start).sum();
                family::Body { ranges, len }
            })
            .collect();
        let families = family::families(
            n,
            &body,
            &aligned,
            self.config.link_fraction,
            self.config.link_min_chars,
            self.config.bridge_ratio,
            self.config.bridge_chars,
        );
        let mut family_of = vec![0usize; n];
        for (f, members) in families.iter().enumerate() {
            for &d in members {
                family_of[d as usize] = f;
            }
        }
        Ok(Linked {
            docs,
            folded,
            blocks,
            aligned,
            families,
            family_of,
            counts,
        })
    }

    /// Find the families among `documents` and reconcile each into one text.
    ///
    /// The result does not depend on the order of `documents` or on the
    /// number of threads.
    ///
    /// # Errors
    /// [`ErrorKind::NothingToReconcile`] for an empty slice,
    /// [`ErrorKind::DuplicateId`] if two documents share an id.
    pub fn reconcile(&self, documents: &[Document]) -> Result<Reconciliation> {
        let mut info = Vec::new();
        let mut families = Vec::new();
        self.run(
            documents,
            |d| {
                info = d.to_vec();
                Ok(())
            },
            |f| f,
            |f| {
                families.push(f);
                Ok(())
            },
        )?;
        Ok(Reconciliation {
            documents: info,
            families,
        })
    }

    /// Reconcile `documents` straight into the `reprint/1` JSON contract,
    /// byte for byte what [`Reconciliation::write_json`] writes, holding only
    /// a few families in memory at a time: for runs whose output would not
    /// fit beside its input.
    ///
    /// ```
    /// use reprint::{Document, Reconciler};
    /// let docs = [Document::from_text("a", "暴风雨最猛烈的地方。\n"), Document::from_text("b", "暴风雨最猛烈的地方。\n")];
    /// let mut json = Vec::new();
    /// Reconciler::new().reconcile_to_json(&docs, &mut json)?;
    /// assert_eq!(json, Reconciler::new().reconcile(&docs)?.to_json().into_bytes());
    /// # Ok::<(), reprint::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Reconciler::reconcile`], and [`ErrorKind::Io`] if writing fails.
    pub fn reconcile_to_json(
        &self,
        documents: &[Document],
        out: impl std::io::Write,
    ) -> Result<()> {
        // One writer for both callbacks.
        let out = std::cell::RefCell::new(render::JsonWriter::new(out));
        let io = |e| Error::new(ErrorKind::Io(e), None);
        // Families are serialized on the worker threads, written in order.
        self.run(
            documents,
            |d| out.borrow_mut().documents(d).map_err(io),
            |f| serde_json::to_vec(&f).expect("a family serializes"),
            |json| out.borrow_mut().family(&json).map_err(io),
        )?;
        out.into_inner().finish().map_err(io)
    }

    /// The whole reconciliation: the documents are handed to `on_documents`
    /// first; then each family is turned by `prepare` (on the worker
    /// threads) into what `on_family` takes, in id order, as soon as its
    /// batch is done.
    fn run<T: Send>(
        &self,
        documents: &[Document],
        on_documents: impl FnOnce(&[DocumentInfo]) -> Result<()>,
        prepare: impl Fn(Family) -> T + Sync,
        mut on_family: impl FnMut(T) -> Result<()>,
    ) -> Result<()> {
        let Linked {
            docs,
            folded,
            mut blocks,
            aligned,
            families,
            family_of,
            mut counts,
        } = self.link(documents, true)?;
        let info: Vec<DocumentInfo> = docs
            .iter()
            .map(|d| DocumentInfo {
                id: d.id().to_owned(),
                path: d.path().map(|p| p.display().to_string()),
                bytes: d.len(),
                encoding: d.encoding().name(),
            })
            .collect();
        on_documents(&info)?;
        drop(info);
        let texts: Vec<&[char]> = folded.iter().map(|f| f.chars.as_slice()).collect();
        // Furniture is no text of any family: out of the language model too.
        for (d, b) in mark_furniture(&mut blocks, &folded, &family_of) {
            let r = blocks[d][b].range.clone();
            counts.remove(&folded[d].chars[r.start as usize..r.end as usize]);
        }
        let model = counts.finish();
        // Each family's pairs, in one pass over all of them.
        let mut pairs_of: Vec<Vec<usize>> = vec![Vec::new(); families.len()];
        for (k, p) in aligned.iter().enumerate() {
            if family_of[p.a as usize] == family_of[p.b as usize] {
                pairs_of[family_of[p.a as usize]].push(k);
            }
        }
        let mut overlaps_of = overlaps_by_family(
            families.len(),
            &family::overlaps(&aligned, &family_of),
            &family_of,
            &docs,
            &folded,
        );

        let collate_params = collate::Params::default();
        let layout_params = layout::Params::default();
        let decide_params = decide::Params::default();
        let nf = families.len();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let one = |id: usize, members: &Vec<u32>| {
            let local: FxHashMap<u32, usize> =
                members.iter().enumerate().map(|(i, &d)| (d, i)).collect();
            let witnesses: Vec<Witness<'_>> = members
                .iter()
                .map(|&d| Witness {
                    folded: &folded[d as usize],
                    text: docs[d as usize].text(),
                    blocks: blocks[d as usize].clone(),
                })
                .collect();
            let family_pairs: Vec<Pair<'_>> = pairs_of[id]
                .iter()
                .map(|&k| &aligned[k])
                .map(|p| Pair {
                    a: local[&p.a],
                    b: local[&p.b],
                    blocks: &p.blocks,
                })
                .collect();
            let layout = layout::layout(&witnesses, &family_pairs, &layout_params);
            let collation = collate::collate(&witnesses, &family_pairs, &layout, &collate_params);
            let chars: Vec<&[char]> = members.iter().map(|&d| texts[d as usize]).collect();
            let decision = decide::decide(&collation, &chars, &model, &decide_params);
            let rw: Vec<decide::Witness<'_>> = members
                .iter()
                .map(|&d| decide::Witness {
                    doc: docs[d as usize],
                    folded: &folded[d as usize],
                })
                .collect();
            let fam = decide::family(id, &rw, &collation, &decision, self.config.punctuation);
            let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            self.report("collate", d, nf);
            fam
        };
        // Families in batches, each batch on all threads, handed on in id
        // order: only a batch of results is held at a time.
        let batch = 64 * rayon::current_num_threads();
        for start in (0..nf).step_by(batch.max(1)) {
            let end = (start + batch).min(nf);
            let overlaps: Vec<Vec<Overlap>> = overlaps_of[start..end]
                .iter_mut()
                .map(std::mem::take)
                .collect();
            let done: Vec<T> = (start..end)
                .into_par_iter()
                .zip(overlaps)
                .map(|(id, overlaps)| {
                    let mut fam = one(id, &families[id]);
                    fam.overlaps = overlaps;
                    prepare(fam)
                })
                .collect();
            for item in done {
                on_family(item)?;
            }
        }
        Ok(())
    }
}

impl Reconciler {
    /// Candidate pairs from shared anchors, each aligned, and every document
    /// with repeats aligned with itself; sorted by pair.
    fn align(&self, texts: &[&[char]], k: usize) -> Vec<PairBlocks> {
        let n = texts.len();
        let params = align::Params::for_k(k);
        let (pairs, selfs) = index::candidates(texts, k, k + 2, 16, 1, self.config.max_neighbours);
        self.report("index", n, n);
        let jobs: Vec<(u32, u32)> = pairs
            .iter()
            .copied()
            .chain(selfs.iter().map(|&d| (d, d)))
            .collect();
        drop(pairs);
        let total = jobs.len();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let mut aligned: Vec<PairBlocks> = jobs
            .par_iter()
            .map(|&(a, b)| {
                let blocks = if a == b {
                    align::align_self(texts[a as usize], &params)
                } else {
                    align::local_with(texts[a as usize], texts[b as usize], &params)
                };
                let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if d % 64 == 0 || d == total {
                    self.report("align", d, total);
                }
                PairBlocks { a, b, blocks }
            })
            .filter(|p| !p.blocks.is_empty())
            .collect();
        aligned.sort_by_key(|p| (p.a, p.b));
        aligned
    }
}

/// What linking found: the documents (sorted by id) with their folded text,
/// blocks and alignments, and the families.
struct Linked<'d> {
    docs: Vec<&'d Document>,
    folded: Vec<Folded>,
    blocks: Vec<Vec<Block>>,
    aligned: Vec<PairBlocks>,
    families: Vec<Vec<u32>>,
    family_of: Vec<usize>,
    /// N-gram counts of the body text, if asked for.
    counts: Counts,
}

/// A short line printed in documents of two or more families is page
/// furniture (a running head, a section label), not text of either; so is
/// a longer line printed in three or more (a masthead, a standing notice to
/// readers): a passage two texts quote is seldom a line of its own in a
/// third. Where every scan of a family prints the line, layout keeps it as
/// the text's own (a letterhead).
/// Returns the blocks so marked, as `(document, block)`.
fn mark_furniture(
    blocks: &mut [Vec<Block>],
    folded: &[Folded],
    family_of: &[usize],
) -> Vec<(usize, usize)> {
    const SHORT: usize = 24;
    let families_needed = |len: usize| if len <= SHORT { 2 } else { 3 };
    // Lines by hash (a paragraph per line is common: keep no copies), with
    // the first families seen printing each.
    let hash = |k: &[char]| {
        use std::hash::{BuildHasher, BuildHasherDefault};
        BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(k)
    };
    let mut seen: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (d, bs) in blocks.iter().enumerate() {
        for b in bs.iter().filter(|b| b.is_body() && b.len() > 0) {
            let key = hash(&folded[d].chars[b.range.start as usize..b.range.end as usize]);
            let fams = seen.entry(key).or_default();
            if fams.len() < families_needed(b.len()) && !fams.contains(&family_of[d]) {
                fams.push(family_of[d]);
            }
        }
    }
    let mut marked = Vec::new();
    for (d, bs) in blocks.iter_mut().enumerate() {
        for (i, b) in bs.iter_mut().enumerate() {
            if !b.is_body() || b.len() == 0 {
                continue;
            }
            let key = hash(&folded[d].chars[b.range.start as usize..b.range.end as usize]);
            if seen[&key].len() >= families_needed(b.len()) {
                b.debris = Some(DebrisKind::Furniture);
                marked.push((d, i));
            }
        }
    }
    marked
}

/// The passages each family shares with other families, on both sides,
/// by family.
fn overlaps_by_family(
    nf: usize,
    shared: &[family::SharedPassage],
    family_of: &[usize],
    docs: &[&Document],
    folded: &[Folded],
) -> Vec<Vec<Overlap>> {
    let support = |d: u32, r: &std::ops::Range<u32>| {
        let f = &folded[d as usize];
        let doc = docs[d as usize];
        Support {
            document: doc.id().to_owned(),
            start: doc.file_offset(f.own(r.start as usize)) as usize,
            end: doc.file_offset(f.own(r.end as usize)) as usize,
        }
    };
    let mut out: Vec<Vec<Overlap>> = vec![Vec::new(); nf];
    for s in shared {
        let (a, b) = (support(s.a, &s.a_range), support(s.b, &s.b_range));
        let (fa, fb) = (family_of[s.a as usize], family_of[s.b as usize]);
        out[fa].push(Overlap {
            document: a.document.clone(),
            start: a.start,
            end: a.end,
            with: b.clone(),
            family: fb,
        });
        out[fb].push(Overlap {
            document: b.document.clone(),
            start: b.start,
            end: b.end,
            with: a,
            family: fa,
        });
    }
    for overlaps in out.iter_mut() {
        overlaps
            .sort_by(|a, b| (&a.document, a.start, &a.with).cmp(&(&b.document, b.start, &b.with)));
    }
    out
}
