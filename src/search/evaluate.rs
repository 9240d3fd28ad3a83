//! Runs a search straight on the postings. Words without quoted phrases take two passes (`first_pass`, `second_pass`):
//! the first sets one bit per document and word (document ids only, the rarest word first, a far more frequent word
//! checked by seeking to the documents left) and finds the documents matching every word; between the passes, whether
//! the search widens to documents matching half of the words is decided over the whole index; the second counts the
//! words each document matched (bit-sliced) when widening, then scores the documents answered, clause by clause in the
//! plan's order, each clause's score summed term by term (the same sums as the accumulating pass, to the last bit; a
//! frequent clause from the scores the bitset cache keeps for it over the part, not its terms' postings). Hits matching
//! more words rank first, then by score: when widening, a part scores only the tiers of words matched that hold its
//! best (the others are only counted). A search with phrases takes the accumulating pass (`part_candidates`): each
//! term's BM25 score is added to a per-document array, with the word's bit in a per-document mask. Either way the
//! answered documents pass the filters (one read of the packed facet values, decoded once per segment) and are counted
//! (facets) and ranked (top k). Segments, cut into parts, are searched side by side on the search threads (one per
//! core) when a core is free, and the per-document arrays are pooled and only the entries a search touched are cleared,
//! so that a selective search does not pay for the whole index.
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Arc, LazyLock, Mutex};

use tantivy::index::SegmentId;
use tantivy::postings::{BlockSegmentPostings, TermInfo};
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight, EnableScoring, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Executor, Score, Searcher, SegmentReader, Term};

use super::facets::{Columns, Filter, Tally};

/// The most words a search may require (one bit each in a document's mask).
pub const MAX_WORDS: usize = 32;

/// One word of a search, or a clause that only ranks: a document matches it when it holds any of its terms.
#[derive(Default)]
pub struct Clause {
    /// BM25-scored terms, each with its boost; a document's score is the sum over the terms it holds.
    pub scored: Vec<(Term, Score)>,
    /// Added once to each document holding a scored term (a word's clause only, not a clause that only ranks).
    pub base: Score,
    /// Groups of terms adding a constant once to each document holding any of them and no scored term, the group
    /// before it first (one-typo expansions).
    pub constant: Vec<(Vec<Term>, Score)>,
}

impl Clause {
    pub fn is_empty(&self) -> bool {
        self.scored.is_empty() && self.constant.iter().all(|(terms, _)| terms.is_empty())
    }
}
/// A search, clause by clause.
pub struct Plan {
    /// Significant words: a document must match all of them, or `widened` of them when fewer than `min_strict`
    /// documents match all. At most `MAX_WORDS`.
    pub words: Vec<Clause>,
    pub widened: usize,
    pub min_strict: usize,
    /// Scored, required: quoted phrases.
    pub required: Vec<Box<dyn Query>>,
    /// Scored, not required: stop words, taxonomy terms the query mentions.
    pub optional: Vec<Clause>,
    /// Required, not scored: read from the packed facet column.
    pub filter: Filter,
    /// Whether to count the hits' facet values (the total is always counted).
    pub facets: bool,
}

pub struct Outcome {
    pub tally: Tally,
    /// The page: `limit` hits after `offset`, best first.
    pub top: Vec<Ranked>,
    /// Documents whose scores were computed by the second pass (the debug log, tests; zero with the accumulating
    /// pass, which scores every document holding a term).
    pub scored: usize,
    /// Postings read to mark words (their whole length; words taken from the bitset cache read none).
    pub postings: u64,
}

/// A hit: the words it matched (of the plan's `words`), its score and where it is. Hits matching more words come
/// first (it only tells hits apart when a search widens: every strict hit matches them all), then higher scores,
/// then lower addresses (as tantivy's `TopDocs` breaks ties).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    pub matched: u32,
    pub score: Score,
    pub address: DocAddress,
}

impl Ranked {
    fn new(matched: u32, score: Score, segment: u32, doc: DocId) -> Self {
        Self { matched, score, address: DocAddress::new(segment, doc) }
    }
}

impl Eq for Ranked {}

impl Ord for Ranked {
    /// Better hits are smaller, so that the heap's top is the worst hit kept.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .matched
            .cmp(&self.matched)
            .then_with(|| other.score.total_cmp(&self.score))
            .then_with(|| self.address.cmp(&other.address))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// What searches keep from one another: packed facet values per segment, BM25 weights per term, the bitsets of
/// frequent words and of filters.
#[derive(Default)]
pub struct Caches {
    columns: Columns,
    /// For one searcher generation (document frequencies change with it).
    weights: Mutex<(u64, HashMap<Term, Arc<TermWeight>>)>,
    bitsets: BitsetCache,
}

/// How much memory the bitset cache may take (`[index] search_cache_mb`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CacheBudget {
    /// Room for `BITSETS_KEPT` bitsets of the whole index, within 16–256 MiB: it follows the index's size.
    #[default]
    Automatic,
    /// This many bytes, whatever the index's size.
    Bytes(u64),
}

impl CacheBudget {
    /// The setting's reading: 0 is automatic, any other number a fixed budget in MiB.
    pub fn from_megabytes(megabytes: u64) -> Self {
        if megabytes == 0 { Self::Automatic } else { Self::Bytes(megabytes << 20) }
    }
}

/// What the bitset cache holds and how often it answered, since its generation was opened (`/health/ready`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CacheStats {
    pub capacity_bytes: u64,
    pub used_bytes: u64,
    pub entries: usize,
    /// Lookups of a word's bitset (one per word and part searched) that found it, and that did not.
    pub word_hits: u64,
    pub word_misses: u64,
    /// Lookups of a filter's live documents that found them, and that did not.
    pub filter_hits: u64,
    pub filter_misses: u64,
    /// Lookups of a frequent clause's scores (one per such clause and part with hits to score) that found them, and
    /// that did not (a clause's scores are kept the second time a generation asks for them).
    pub clause_hits: u64,
    pub clause_misses: u64,
}

/// What an entry of the bitset cache holds, over a range of documents of a segment: the documents holding any of a
/// word's terms (scored, then each constant group's, as `Weighted::terms` lists them), the live documents that
/// pass a filter (a segment's deletions only grow: their number tells its sets of live documents apart), or a
/// frequent clause's scores (`ClauseScores`: they follow the searcher's generation, whose statistics weigh the terms,
/// and the clause's boosts, base and groups, its `shape`).
#[derive(Clone, PartialEq, Eq, Hash)]
enum BitsKey {
    Word { segment: SegmentId, range: (DocId, DocId), terms: Arc<[Term]> },
    Filter { segment: SegmentId, range: (DocId, DocId), deleted: DocId, filter: Filter },
    Clause { generation: u64, segment: SegmentId, range: (DocId, DocId), terms: Arc<[Term]>, shape: Arc<[u32]> },
}

/// An entry's weight: its bitset's bytes and its key's, roughly.
#[derive(Clone)]
struct Bytes;

impl quick_cache::Weighter<BitsKey, Arc<[u64]>> for Bytes {
    fn weight(&self, key: &BitsKey, bits: &Arc<[u64]>) -> u64 {
        let terms = |terms: &[Term]| terms.iter().map(|t| 32 + t.len_bytes()).sum::<usize>();
        let key = match key {
            BitsKey::Word { terms: words, .. } => terms(words),
            BitsKey::Filter { .. } => 64,
            BitsKey::Clause { terms: words, shape, .. } => terms(words) + 4 * shape.len(),
        };
        (size_of_val(&**bits) + key) as u64
    }
}

/// Bitsets over the parts of segments, kept for the searches that need them again, as a search engine's filter
/// cache keeps its frequent clauses: the words marked whole (one bit per document holding any of the word's terms),
/// the filters' live documents, and the frequent clauses scored (`ClauseScores`: each document's score for the
/// clause). A segment never changes once written, so a word's entry stays true while its segment lives (its deleted
/// documents are told apart by the filters, as when the postings are read), a filter's while no document of it is
/// deleted, and a clause's while the searcher's generation is the same (a commit changes the terms' weights);
/// entries of merged-away segments and of past generations age out. Only words and clauses holding at least one
/// document in 64 are kept (`worth_keeping`: their bitset is no bigger than their postings); all within a budget
/// that follows the index's size (`fit`; quick_cache's policy: an entry used once leaves before those used again),
/// in `CACHE_SHARDS` shards. With the
/// capacity it was last given, set under the lock: two searches on searchers of different sizes cannot leave the
/// cache with another capacity than the one recorded.
struct BitsetCache {
    cache: quick_cache::sync::Cache<BitsKey, Arc<[u64]>, Bytes>,
    capacity: Mutex<u64>,
    budget: CacheBudget,
    /// Word hits and misses, filter hits and misses, clause hits and misses.
    counts: [AtomicU64; 6],
}

/// Memory the bitsets may take: room for `BITSETS_KEPT` bitsets of the whole index (a word marked both whole and in
/// parts takes two; a clause's scores take its bitset and about one and a half more, besides four bytes for each
/// document holding it), within these bounds: 60.4 MiB at 100,000 profiles (247,457 documents; the bench's 1,000
/// queries keep 37 MiB), 256 MiB (the ceiling) at 1,000,000.
const BITSETS_KEPT: u64 = 2048;
const MIN_BITSET_CACHE_BYTES: u64 = 16 << 20;
const MAX_BITSET_CACHE_BYTES: u64 = 256 << 20;
/// The cache's shards, whatever the cores: each holds its share of the budget, and quick_cache does not keep an
/// entry larger than its shard's share (`fits`).
const CACHE_SHARDS: usize = 8;

impl Default for BitsetCache {
    fn default() -> Self {
        Self::new(CacheBudget::Automatic)
    }
}

const WORD_HITS: usize = 0;
const FILTER_HITS: usize = 2;
const CLAUSE_HITS: usize = 4;

impl BitsetCache {
    fn new(budget: CacheBudget) -> Self {
        let capacity = match budget {
            CacheBudget::Automatic => MIN_BITSET_CACHE_BYTES,
            CacheBudget::Bytes(bytes) => bytes,
        };
        let options = quick_cache::OptionsBuilder::new()
            .estimated_items_capacity(4096)
            .weight_capacity(capacity)
            .shards(CACHE_SHARDS)
            .build()
            .expect("the bitset cache's options are complete");
        let cache = quick_cache::sync::Cache::with_options(options, Bytes, Default::default(), Default::default());
        Self { cache, capacity: Mutex::new(capacity), budget, counts: Default::default() }
    }

    /// Whether an entry of about `bytes` would be kept: within half of a shard's share of the budget.
    fn fits(&self, bytes: u64) -> bool {
        bytes * 2 * CACHE_SHARDS as u64 <= *self.capacity.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sizes the cache for an index of `docs` documents (a fixed budget stays as it is).
    fn fit(&self, docs: u64) {
        let capacity = match self.budget {
            CacheBudget::Automatic => {
                (docs.div_ceil(8) * BITSETS_KEPT).clamp(MIN_BITSET_CACHE_BYTES, MAX_BITSET_CACHE_BYTES)
            }
            CacheBudget::Bytes(bytes) => bytes,
        };
        let mut current = self.capacity.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if *current != capacity {
            self.cache.set_capacity(capacity);
            *current = capacity;
        }
    }

    /// Counts a lookup of a word's (`WORD_HITS`) or a filter's (`FILTER_HITS`) bitset, as found or not.
    fn looked_up<T>(&self, kind: usize, found: Option<T>) -> Option<T> {
        let slot = kind + usize::from(found.is_none());
        self.counts[slot].fetch_add(1, AtomicOrdering::Relaxed);
        found
    }

    fn stats(&self) -> CacheStats {
        let count = |slot: usize| self.counts[slot].load(AtomicOrdering::Relaxed);
        CacheStats {
            capacity_bytes: *self.capacity.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
            used_bytes: self.cache.weight(),
            entries: self.cache.len(),
            word_hits: count(WORD_HITS),
            word_misses: count(WORD_HITS + 1),
            filter_hits: count(FILTER_HITS),
            filter_misses: count(FILTER_HITS + 1),
            clause_hits: count(CLAUSE_HITS),
            clause_misses: count(CLAUSE_HITS + 1),
        }
    }

    fn word_key(reader: &SegmentReader, range: &Range<DocId>, clause: &Weighted) -> BitsKey {
        BitsKey::Word { segment: reader.segment_id(), range: (range.start, range.end), terms: clause.key.clone() }
    }

    fn word(&self, reader: &SegmentReader, range: &Range<DocId>, clause: &Weighted) -> Option<Arc<[u64]>> {
        self.looked_up(WORD_HITS, self.cache.get(&Self::word_key(reader, range, clause)))
    }

    /// Whether a word or a clause with this many postings in the segment is frequent enough to keep: one document in
    /// 64 at least.
    fn worth_keeping(reader: &SegmentReader, postings: u64) -> bool {
        postings * 64 >= u64::from(reader.max_doc())
    }

    /// Keeps a word's bitset if the word is frequent enough: `postings` over the whole segment.
    fn keep_word(&self, reader: &SegmentReader, range: &Range<DocId>, clause: &Weighted, bits: &[u64], postings: u64) {
        if Self::worth_keeping(reader, postings) {
            self.cache.insert(Self::word_key(reader, range, clause), Arc::from(bits));
        }
    }

    fn clause_key(generation: u64, reader: &SegmentReader, range: &Range<DocId>, clause: &Weighted) -> BitsKey {
        BitsKey::Clause {
            generation,
            segment: reader.segment_id(),
            range: (range.start, range.end),
            terms: clause.key.clone(),
            shape: clause.shape.clone(),
        }
    }

    fn filter_key(part: &Part<'_>, filter: &Filter) -> BitsKey {
        let Part { reader, range, .. } = part;
        let deleted = reader.num_deleted_docs();
        BitsKey::Filter {
            segment: reader.segment_id(),
            range: (range.start, range.end),
            deleted,
            filter: filter.clone(),
        }
    }

    /// The live documents of the part that pass the filter, if kept.
    fn filtered(&self, part: &Part<'_>, filter: &Filter) -> Option<Arc<[u64]>> {
        self.looked_up(FILTER_HITS, self.cache.get(&Self::filter_key(part, filter)).filter(|bits| !bits.is_empty()))
    }

    /// The live documents of the part that pass the filter, if kept, or read from the packed values (and kept) the
    /// second time the filter is asked for: reading them costs a pass over the whole part, which a filter used once
    /// does not repay (the first time leaves an empty entry, and its search checks its documents one by one).
    fn filter(&self, part: &Part<'_>, filter: &Filter) -> Option<Arc<[u64]>> {
        let Ok(bits) = self.second_time(FILTER_HITS, Self::filter_key(part, filter), || {
            let mut bits = vec![0u64; part.range.len().div_ceil(64)];
            for (d, doc) in part.range.clone().enumerate() {
                if accepts(filter, part, doc).is_some() {
                    bits[d >> 6] |= 1 << (d & 63);
                }
            }
            Ok::<_, std::convert::Infallible>(Some(bits))
        });
        bits
    }

    /// The entry under `key` if kept (a lookup counted under `kind`); otherwise nothing the first time it is asked
    /// for (an empty entry is left), and the second what `make` makes, kept (`None` if it makes nothing).
    fn second_time<E>(
        &self,
        kind: usize,
        key: BitsKey,
        make: impl FnOnce() -> Result<Option<Vec<u64>>, E>,
    ) -> Result<Option<Arc<[u64]>>, E> {
        let found = self.cache.get(&key);
        if let Some(kept) = self.looked_up(kind, found.clone().filter(|kept| !kept.is_empty())) {
            return Ok(Some(kept));
        }
        if found.is_none() {
            self.cache.insert(key, Arc::from([]));
            return Ok(None);
        }
        let Some(made) = make()? else { return Ok(None) };
        let made: Arc<[u64]> = made.into();
        self.cache.insert(key, made.clone());
        Ok(Some(made))
    }

    /// How many entries of each kind it holds: words, filters, clauses.
    #[cfg(test)]
    fn entries(&self) -> [usize; 3] {
        let mut entries = [0; 3];
        for (key, _) in self.cache.iter() {
            entries[match key {
                BitsKey::Word { .. } => 0,
                BitsKey::Filter { .. } => 1,
                BitsKey::Clause { .. } => 2,
            }] += 1;
        }
        entries
    }
}

/// Weights kept before the cache starts afresh.
const MAX_WEIGHTS: usize = 20_000;

impl Caches {
    pub fn new(budget: CacheBudget) -> Self {
        Self { bitsets: BitsetCache::new(budget), ..Self::default() }
    }

    /// The bitset cache's figures.
    pub fn stats(&self) -> CacheStats {
        self.bitsets.stats()
    }

    fn weight(&self, searcher: &Searcher, term: &Term) -> tantivy::Result<Arc<TermWeight>> {
        let generation = searcher.generation().generation_id();
        let lock = || self.weights.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        {
            let cached = lock();
            if let (true, Some(weight)) = (cached.0 == generation, cached.1.get(term)) {
                return Ok(weight.clone());
            }
        }
        // As `Bm25Weight::for_terms` computes it, with the document frequency looked up once for both, and where
        // each segment keeps the term's postings.
        let infos = searcher
            .segment_readers()
            .iter()
            .map(|reader| Ok((reader.segment_id(), reader.inverted_index(term.field())?.get_term_info(term)?)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let doc_freq = infos.iter().filter_map(|(_, info)| info.as_ref()).map(|info| u64::from(info.doc_freq)).sum();
        let docs = Bm25StatisticsProvider::total_num_docs(searcher)?;
        let tokens = Bm25StatisticsProvider::total_num_tokens(searcher, term.field())?;
        let bm25 = Bm25Weight::for_one_term(doc_freq, docs, tokens as Score / docs as Score);
        let weight = Arc::new(TermWeight::new(bm25, doc_freq, term.clone(), infos));
        let mut cached = lock();
        if cached.0 != generation || cached.1.len() >= MAX_WEIGHTS {
            *cached = (generation, HashMap::new());
        }
        cached.1.insert(term.clone(), weight.clone());
        Ok(weight)
    }

    /// How many documents of the searcher hold the term (its postings' length), from the same cache.
    pub fn doc_freq(&self, searcher: &Searcher, term: &Term) -> tantivy::Result<u64> {
        Ok(self.weight(searcher, term)?.doc_freq)
    }
}

/// A clause with its terms' BM25 weights (over the whole index) and boosts.
struct Weighted {
    /// The terms, as `terms` lists them (the key of the word's bitsets).
    key: Arc<[Term]>,
    /// With `key`, what a document's score for the clause follows besides the terms' weights: whether it is a word's
    /// (scored with its base), the base, the boosts, each constant group's length and score (as `f32` bits).
    shape: Arc<[u32]>,
    scored: Vec<Scored>,
    base: Score,
    constant: Vec<(Vec<Arc<TermWeight>>, Score)>,
}

impl Weighted {
    /// Every term a document may match the clause by: scored, then each constant group's.
    fn terms(&self) -> impl Iterator<Item = &Arc<TermWeight>> {
        self.scored.iter().map(|s| &s.weight).chain(self.constant.iter().flat_map(|(terms, _)| terms))
    }

    /// The length of its terms' postings in segment `ord` of the searcher it was weighed for.
    fn postings(&self, ord: usize) -> u64 {
        self.terms()
            .filter_map(|w| w.infos.get(ord).and_then(|(_, info)| info.as_ref()))
            .map(|info| u64::from(info.doc_freq))
            .sum()
    }
}

/// A term with its BM25 weight, its scores for low term frequencies and its boost.
struct Scored {
    weight: Arc<TermWeight>,
    low_tf: Arc<[Score; 512]>,
    boost: Score,
}

impl Scored {
    #[inline]
    fn score(&self, norm: u8, tf: u32) -> Score {
        let unboosted = match tf {
            1 | 2 => self.low_tf[(tf as usize - 1) * 256 + usize::from(norm)],
            _ => self.weight.bm25.score(norm, tf),
        };
        unboosted * self.boost
    }
}

/// A term's BM25 weight, with its scores for a term frequency of 1 or 2 computed ahead for each of the 256
/// field-length codes (most postings, in short texts: a division saved on each) once the term is scored (a typo's
/// expansions are only located: 2 KiB saved on each).
pub struct TermWeight {
    bm25: Bm25Weight,
    low_tf: std::sync::OnceLock<Arc<[Score; 512]>>,
    doc_freq: u64,
    term: Term,
    /// Where each segment of the searcher keeps the term's postings, if it holds the term.
    infos: Vec<(SegmentId, Option<TermInfo>)>,
}

impl TermWeight {
    fn new(bm25: Bm25Weight, doc_freq: u64, term: Term, infos: Vec<(SegmentId, Option<TermInfo>)>) -> Self {
        Self { bm25, low_tf: std::sync::OnceLock::new(), doc_freq, term, infos }
    }

    /// Where segment `ord` keeps the term's postings (looked up again if the segment is not the one weighed).
    fn info(&self, reader: &SegmentReader, ord: usize) -> tantivy::Result<Option<TermInfo>> {
        match self.infos.get(ord) {
            Some((id, info)) if *id == reader.segment_id() => Ok(info.clone()),
            _ => Ok(reader.inverted_index(self.term.field())?.get_term_info(&self.term)?),
        }
    }

    fn low_tf(&self) -> Arc<[Score; 512]> {
        self.low_tf
            .get_or_init(|| {
                let mut low_tf = [0.0; 512];
                for (i, slot) in low_tf.iter_mut().enumerate() {
                    *slot = self.bm25.score((i % 256) as u8, (i / 256) as u32 + 1);
                }
                Arc::new(low_tf)
            })
            .clone()
    }

    /// The term's postings in segment `ord` of the searcher it was weighed for.
    fn postings(
        &self,
        reader: &SegmentReader,
        ord: usize,
        option: IndexRecordOption,
    ) -> tantivy::Result<Option<BlockSegmentPostings>> {
        let Some(info) = self.info(reader, ord)? else { return Ok(None) };
        Ok(Some(reader.inverted_index(self.term.field())?.read_block_postings_from_terminfo(&info, option)?))
    }
}

fn weigh(searcher: &Searcher, caches: &Caches, clause: &Clause, word: bool) -> tantivy::Result<Weighted> {
    let scored = clause
        .scored
        .iter()
        .map(|(term, boost)| {
            let weight = caches.weight(searcher, term)?;
            Ok(Scored { low_tf: weight.low_tf(), weight, boost: *boost })
        })
        .collect::<tantivy::Result<_>>()?;
    let constant = clause
        .constant
        .iter()
        .map(|(terms, score)| {
            let weights = terms.iter().map(|term| caches.weight(searcher, term)).collect::<tantivy::Result<_>>()?;
            Ok((weights, *score))
        })
        .collect::<tantivy::Result<_>>()?;
    let key = clause.scored.iter().map(|(term, _)| term).chain(clause.constant.iter().flat_map(|(terms, _)| terms));
    let boosts = clause.scored.iter().map(|(_, boost)| boost.to_bits());
    let groups = clause.constant.iter().flat_map(|(terms, score)| [terms.len() as u32, score.to_bits()]);
    let shape = [u32::from(word), clause.base.to_bits()].into_iter().chain(boosts).chain(groups).collect();
    Ok(Weighted { key: key.cloned().collect(), shape, scored, base: clause.base, constant })
}

/// Per-document accumulators of one segment, kept between searches (a pool, one per concurrent search) and all
/// zero between them: only the blocks of 64 documents a search touched are read back and cleared.
#[derive(Default)]
struct Accumulator {
    scores: Vec<Score>,
    /// Scratch: each document's score for the clause being added, added to `scores` once the clause is done (a
    /// document's score is the sum of its clauses' scores, each summed term by term: the same sums whether a clause is
    /// scored from its terms or from the scores the bitset cache keeps for it).
    word: Vec<Score>,
    /// Scratch of `add`, one bit a document: those the clause being added touched.
    held: Vec<u64>,
    masks: Vec<u32>,
    /// One bit per block of 64 documents holding a non-zero score or mask.
    dirty: Vec<u64>,
    /// Scratch: documents already given a constant group's score (clauses that only rank).
    seen: Vec<u64>,
    /// Scratch of the second pass, one bit a document: those it scores (the terms' postings are read for them).
    matched: Vec<u64>,
    /// Scratch of the second pass when widening: how many words each document matched, bit-sliced (one bitset per
    /// bit of the count).
    planes: Vec<u64>,
    /// False while a search may have left values behind (it failed half-way).
    clean: bool,
}

/// Adds a scored term's `score` to document `d`, with the clause's `base` the first time the document matches its
/// word (`bit`; 0 for a clause that only ranks, whose base is 0).
#[inline]
fn add_scored(masks: &mut [u32], scores: &mut [Score], d: usize, score: Score, bit: u32, base: Score) {
    let first = masks[d] & bit == 0;
    scores[d] += score + if first { base } else { 0.0 };
    masks[d] |= bit;
}

/// Adds a constant group's score to document `d` once: for a word's clause (`bit`), unless the document already
/// matched the word; for a clause that only ranks, unless the group already gave it (`seen`). Whether it did.
#[inline]
fn add_constant(
    seen: &mut [u64],
    masks: &mut [u32],
    scores: &mut [Score],
    d: usize,
    bit: u32,
    constant: Score,
) -> bool {
    let fresh = if bit == 0 {
        let fresh = !has(seen, d);
        seen[d >> 6] |= 1 << (d & 63);
        fresh
    } else {
        masks[d] & bit == 0
    };
    if fresh {
        scores[d] += constant;
        masks[d] |= bit;
    }
    fresh
}

/// Accumulators kept for the next searches.
static POOL: Mutex<Vec<Accumulator>> = Mutex::new(Vec::new());
const POOL_SIZE: usize = 4;

impl Accumulator {
    fn take() -> Self {
        POOL.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop().unwrap_or_default()
    }

    fn give_back(self) {
        let mut pool = POOL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.clean && pool.len() < POOL_SIZE {
            pool.push(self);
        }
    }

    /// Makes room for a segment of `size` documents, all zero.
    fn prepare(&mut self, size: usize) {
        if !self.clean {
            self.scores.fill(0.0);
            self.word.fill(0.0);
            self.held.fill(0);
            self.masks.fill(0);
            self.dirty.fill(0);
        }
        if self.scores.len() < size {
            self.scores.resize(size, 0.0);
            self.word.resize(size, 0.0);
            self.held.resize(size.div_ceil(64), 0);
            self.masks.resize(size, 0);
            self.dirty.resize(size.div_ceil(64 * 64), 0);
            self.seen.resize(size.div_ceil(64), 0);
            self.matched.resize(size.div_ceil(64), 0);
        }
        self.clean = false;
    }

    #[inline]
    fn touch(&mut self, doc: usize) {
        self.dirty[doc >> 12] |= 1 << ((doc >> 6) & 63);
    }

    /// Adds a clause's scores for the documents of `range` (at their offset from its start); `bit` (0 for a
    /// clause that only ranks) marks the documents that match it.
    fn add(
        &mut self,
        reader: &SegmentReader,
        ord: usize,
        range: &Range<DocId>,
        clause: &Weighted,
        bit: u32,
    ) -> tantivy::Result<()> {
        self.sum_clause(reader, ord, range, clause, bit)?;
        for w in 0..range.len().div_ceil(64) {
            for one in ones(std::mem::take(&mut self.held[w])) {
                let d = w * 64 + one;
                self.scores[d] += std::mem::take(&mut self.word[d]);
                self.touch(d);
            }
        }
        Ok(())
    }

    /// Sums a clause's score for each document of `range` holding any of its terms into `word`, term by term, and
    /// sets their bits in `held`.
    fn sum_clause(
        &mut self,
        reader: &SegmentReader,
        ord: usize,
        range: &Range<DocId>,
        clause: &Weighted,
        bit: u32,
    ) -> tantivy::Result<()> {
        let base = if bit == 0 { 0.0 } else { clause.base };
        let Self { word, held, masks, seen, .. } = self;
        for scored in &clause.scored {
            let Some(mut block) = scored.weight.postings(reader, ord, IndexRecordOption::WithFreqs)? else { continue };
            let norms = reader.fieldnorms_readers().get_field(scored.weight.term.field())?;
            each_posting(&mut block, range, |block, doc, at| {
                let d = (doc - range.start) as usize;
                let norm = norms.as_ref().map_or(1, |n| n.fieldnorm_id(doc));
                let freq = block.freqs().get(at).copied().unwrap_or(1);
                add_scored(masks, word, d, scored.score(norm, freq), bit, base);
                held[d >> 6] |= 1 << (d & 63);
            });
        }
        for (terms, constant) in &clause.constant {
            if bit == 0 {
                seen.fill(0);
            }
            for weight in terms {
                let Some(mut block) = weight.postings(reader, ord, IndexRecordOption::Basic)? else { continue };
                each_posting(&mut block, range, |_, doc, _| {
                    let d = (doc - range.start) as usize;
                    if add_constant(seen, masks, word, d, bit, *constant) {
                        held[d >> 6] |= 1 << (d & 63);
                    }
                });
            }
        }
        Ok(())
    }

    /// Calls `f(doc, mask, score)` for each touched document of the first `size`, in order, and clears them.
    fn drain(&mut self, size: usize, mut f: impl FnMut(DocId, u32, Score)) {
        for w in 0..size.div_ceil(64 * 64) {
            for one in ones(std::mem::take(&mut self.dirty[w])) {
                let block = w * 64 + one;
                let range = block * 64..(block * 64 + 64).min(size);
                for (d, (mask, score)) in
                    range.clone().zip(self.masks[range.clone()].iter_mut().zip(&mut self.scores[range]))
                {
                    f(d as DocId, std::mem::take(mask), std::mem::take(score));
                }
            }
        }
    }
}

/// What one part found among the documents that pass the filters: those matching every word counted (facets) and
/// ranked (its best), and those matching fewer but enough words kept aside in case the search widens, until the part
/// alone holds enough strict hits to rule widening out.
struct Candidates {
    segment: u32,
    /// How many match every word.
    strict: usize,
    tally: Tally,
    best: Vec<Ranked>,
    /// (doc, words matched, score, packed).
    wide: Vec<(DocId, u32, Score, u64)>,
    /// With two passes, postings read to mark words (their whole length, for the debug log) and documents scored;
    /// zero with the accumulating pass.
    postings: u64,
    scored: usize,
}

/// A search's weights, shared by the segments' tasks.
struct Weights<'p> {
    words: Vec<Weighted>,
    optional: Vec<Weighted>,
    required: Vec<Box<dyn Weight>>,
    filter: &'p Filter,
    cache: &'p BitsetCache,
    /// The searcher's generation (its statistics weigh the terms: the key of the clauses' kept scores).
    generation: u64,
    /// Words a document must match (before widening), and at least.
    all: u32,
    least: u32,
    /// Below this many strict hits, the search widens.
    min_strict: usize,
    /// Hits ranked: the page and those before it.
    keep: usize,
    facets: bool,
}

/// Keeps `hit` if it is among the `keep` best seen.
fn push(heap: &mut BinaryHeap<Ranked>, hit: Ranked, keep: usize) {
    if heap.len() < keep {
        heap.push(hit);
    } else if heap.peek().is_some_and(|worst| hit < *worst) {
        heap.pop();
        heap.push(hit);
    }
}

/// The search threads, one per core. Searches run on them (`run`), and the parts of a search (and its hits) are
/// spawned on them too when the other threads are free (`executor`): the thread that runs the search works through
/// its own parts, and the others take some over.
static THREADS: LazyLock<Option<Arc<rayon::ThreadPool>>> = LazyLock::new(|| {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(cores()).thread_name(|n| format!("search-{n}")).build();
    pool.ok().map(Arc::new)
});

/// The search threads as tantivy's executor.
static EXECUTOR: LazyLock<Executor> = LazyLock::new(|| match &*THREADS {
    Some(pool) if cores() > 1 => Executor::ThreadPool(pool.clone()),
    _ => Executor::single_thread(),
});

/// One search per search thread at a time (`run`).
static SLOTS: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| tokio::sync::Semaphore::new(cores()));

/// Runs `f` on a search thread, off the async executor; `None` if it panicked. At most one search per search thread
/// runs at once; the others wait here, in turn. Queued in the pool instead, they would be started by a thread that
/// waits for the parts of its own search, nested on its stack: that search would finish only after them. A search
/// keeps its slot until it ends, even when its caller stops waiting (a client that went away).
pub async fn run<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> Option<R> {
    run_on(&SLOTS, f).await
}

/// `run`, with its slot taken from `slots`.
async fn run_on<R: Send + 'static>(
    slots: &'static tokio::sync::Semaphore,
    f: impl FnOnce() -> R + Send + 'static,
) -> Option<R> {
    let Some(pool) = &*THREADS else { return tokio::task::spawn_blocking(f).await.ok() };
    let slot = slots.acquire().await.ok();
    let (sender, receiver) = tokio::sync::oneshot::channel();
    pool.spawn(move || {
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
        drop(slot);
        let _ = sender.send(answer);
    });
    receiver.await.ok().flatten()
}

/// Whether the calling thread is a search thread.
fn on_search_thread() -> bool {
    THREADS.as_ref().is_some_and(|pool| pool.current_thread_index().is_some())
}

/// Searches and suggestions running now (`Running` guards).
static RUNNING: AtomicUsize = AtomicUsize::new(0);

fn cores() -> usize {
    static CORES: LazyLock<usize> = LazyLock::new(|| std::thread::available_parallelism().map_or(1, usize::from));
    *CORES
}

/// Counts a search or a suggestion as running while it lives: work started elsewhere than on a search thread
/// (matching) hands its parts to the search threads only when cores would otherwise idle.
pub struct Running(());

impl Running {
    pub fn start() -> Self {
        RUNNING.fetch_add(1, AtomicOrdering::Relaxed);
        Self(())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, AtomicOrdering::Relaxed);
    }
}

/// Whether as many searches run as there are cores.
fn busy() -> bool {
    RUNNING.load(AtomicOrdering::Relaxed) >= cores()
}

/// Where the tasks of a search run (`executor`); it dereferences to tantivy's executor.
pub struct Spread {
    executor: &'static Executor,
    /// The other search threads' slots, held while their threads may run these tasks.
    _slots: Option<tokio::sync::SemaphorePermit<'static>>,
}

impl std::ops::Deref for Spread {
    type Target = Executor;

    fn deref(&self) -> &Executor {
        self.executor
    }
}

/// The search threads, or the calling thread alone when there are fewer than two `tasks` (a single task is not
/// worth the hand-over). The tasks go to the search threads only when fewer searches and matchings run than there
/// are cores, and when the caller can take the slots of the threads it does not hold (every thread's, called from
/// elsewhere than a search thread: matching), which it holds meanwhile. A thread that waits for the tasks of its
/// search takes work queued in the pool: a new search, or another caller's tasks, would run there nested on its stack,
/// and its own search would finish only after them.
pub fn executor(tasks: usize) -> Spread {
    static SINGLE: Executor = Executor::SingleThread;
    let spread = if tasks < 2 { None } else { slots_to_spread() };
    match spread.map(|slots| SLOTS.try_acquire_many(slots)) {
        Some(Ok(slots)) => Spread { executor: &EXECUTOR, _slots: Some(slots) },
        _ => Spread { executor: &SINGLE, _slots: None },
    }
}

/// How many slots the caller must take to spread its tasks over the search threads (those of the threads it does
/// not hold), or `None` when it must not: one core, or as many searches and matchings running as cores.
fn slots_to_spread() -> Option<u32> {
    if cores() < 2 || busy() {
        return None;
    }
    Some(u32::try_from(cores() - usize::from(on_search_thread())).unwrap_or(u32::MAX))
}

/// One task of a search: a range of documents of one segment.
struct Part<'s> {
    ord: usize,
    reader: &'s SegmentReader,
    packed: &'s [u64],
    range: Range<DocId>,
}

/// Cuts the segments into parts of similar sizes, about two per search thread, so that one large segment does not
/// leave the other threads idle; a segment smaller than a part stays whole.
fn parts<'s>(searcher: &'s Searcher, columns: &'s [Arc<[u64]>], min_part: u64) -> Vec<Part<'s>> {
    let readers = searcher.segment_readers();
    let total: u64 = readers.iter().map(|r| u64::from(r.max_doc())).sum();
    let threads = cores() as u64;
    let part = (total / (2 * threads)).clamp(min_part, MAX_PART.max(min_part));
    let mut out = Vec::new();
    for (ord, (reader, packed)) in readers.iter().zip(columns).enumerate() {
        let size = u64::from(reader.max_doc());
        let pieces = size.div_ceil(part).max(1);
        for piece in 0..pieces {
            let range = (size * piece / pieces) as DocId..(size * (piece + 1) / pieces) as DocId;
            out.push(Part { ord, reader, packed, range });
        }
    }
    out
}

/// Documents below which a segment is not cut.
const MIN_PART: u64 = 50_000;
/// Documents above which a part is cut again, so that its per-document arrays (8 bytes a document) stay in the
/// core's cache.
const MAX_PART: u64 = 131_072;

/// Sets the bit of each document of `range` in the postings.
fn mark(block: &mut BlockSegmentPostings, range: &Range<DocId>, bits: &mut [u64]) {
    let mut from = if range.start > 0 { block.seek(range.start) } else { 0 };
    loop {
        let docs = block.docs();
        let Some(&last) = docs.last() else { return };
        if docs.len() <= from {
            return;
        }
        let whole = last < range.end;
        for &doc in &docs[from..] {
            if !whole && doc >= range.end {
                return;
            }
            let d = (doc - range.start) as usize;
            bits[d >> 6] |= 1 << (d & 63);
        }
        from = 0;
        block.advance();
    }
}

#[inline]
fn has(bits: &[u64], d: usize) -> bool {
    bits[d >> 6] & (1 << (d & 63)) != 0
}

/// Below this many hits per posting, a term's postings are read by seeking to each hit (skipping the blocks that
/// hold none) rather than block after block.
const SEEK_RATIO: usize = 16;

/// Calls `f(block, doc, at)` for each of `hits` (offsets in `range`, ascending, their bits set in `matched`) that
/// the postings hold, `at` its position in the block loaded.
#[inline]
fn intersect(
    block: &mut BlockSegmentPostings,
    range: &Range<DocId>,
    hits: &[(u32, u64)],
    matched: &[u64],
    in_range: usize,
    mut f: impl FnMut(&BlockSegmentPostings, DocId, usize),
) {
    if hits.len() * SEEK_RATIO < in_range {
        seek_each(block, range, hits.iter().map(|&(d, _)| d), |block, d, at| f(block, range.start + d, at));
        return;
    }
    each_posting(block, range, |block, doc, at| {
        if has(matched, (doc - range.start) as usize) {
            f(block, doc, at);
        }
    });
}

/// Calls `f(block, doc, at)` for each document of `range` in the postings, `at` its position in the block loaded.
#[inline]
fn each_posting(
    block: &mut BlockSegmentPostings,
    range: &Range<DocId>,
    mut f: impl FnMut(&BlockSegmentPostings, DocId, usize),
) {
    let mut from = if range.start > 0 { block.seek(range.start) } else { 0 };
    loop {
        let docs = block.docs();
        if docs.len() <= from {
            return;
        }
        for at in from..docs.len() {
            let doc = block.docs()[at];
            if doc >= range.end {
                return;
            }
            f(block, doc, at);
        }
        from = 0;
        block.advance();
    }
}

impl Accumulator {
    /// Adds a clause's scores to the documents of `hits` (offsets in `range`, ascending, their bits set in
    /// `matched`), each summed term by term in the order `add` sums them, so that each document's score is the same
    /// to the last bit. A frequent clause is scored from the scores the bitset cache keeps for it over the part
    /// (`ClauseScores`: computed by `add` the second time a searcher's generation asks for it); otherwise its terms'
    /// postings are read for the hits.
    fn score(
        &mut self,
        weights: &Weights<'_>,
        part: &Part<'_>,
        clause: &Weighted,
        bit: u32,
        hits: &[(u32, u64)],
    ) -> tantivy::Result<()> {
        let Part { ord, reader, range, .. } = part;
        let ord = *ord;
        if hits.is_empty() {
            return Ok(());
        }
        let max_doc = reader.max_doc().max(1) as usize;
        let postings = clause.postings(ord);
        if BitsetCache::worth_keeping(reader, postings) {
            let cache = weights.cache;
            let key = BitsetCache::clause_key(weights.generation, reader, range, clause);
            // The first time in this generation (a commit starts a new one, and writes may come every second), the
            // postings are read for the hits; the second, the scores are computed and kept if the entry fits (about
            // 12 bytes per 64 documents, and 4 per document holding the clause).
            let kept = cache.second_time(CLAUSE_HITS, key, || {
                let fits = cache.fits(range.len() as u64 * 12 / 64 + postings * 4);
                fits.then(|| ClauseScores::build(reader, ord, range, clause, bit)).transpose()
            })?;
            if let Some(kept) = kept.as_deref().and_then(|kept| ClauseScores::new(kept, range)) {
                for &(d, _) in hits {
                    if let Some(score) = kept.get(d as usize) {
                        self.scores[d as usize] += score;
                    }
                }
                return Ok(());
            }
        }
        let base = if bit == 0 { 0.0 } else { clause.base };
        let Self { masks, word, matched, seen, .. } = self;
        for scored in &clause.scored {
            let norms = reader.fieldnorms_readers().get_field(scored.weight.term.field())?;
            let Some(mut block) = scored.weight.postings(reader, ord, IndexRecordOption::WithFreqs)? else { continue };
            let in_range = block.doc_freq() as usize * range.len() / max_doc;
            intersect(&mut block, range, hits, matched, in_range, |block, doc, at| {
                let norm = norms.as_ref().map_or(1, |n| n.fieldnorm_id(doc));
                let freq = block.freqs().get(at).copied().unwrap_or(1);
                add_scored(masks, word, (doc - range.start) as usize, scored.score(norm, freq), bit, base);
            });
        }
        for (terms, constant) in &clause.constant {
            if bit == 0 {
                for &(d, _) in hits {
                    seen[d as usize >> 6] = 0;
                }
            }
            for weight in terms {
                let Some(mut block) = weight.postings(reader, ord, IndexRecordOption::Basic)? else { continue };
                let in_range = block.doc_freq() as usize * range.len() / max_doc;
                intersect(&mut block, range, hits, matched, in_range, |_, doc, _| {
                    let d = (doc - range.start) as usize;
                    add_constant(seen, masks, word, d, bit, *constant);
                });
            }
        }
        for &(d, _) in hits {
            self.scores[d as usize] += std::mem::take(&mut self.word[d as usize]);
        }
        Ok(())
    }
}

/// A frequent clause's scores over a part, as the bitset cache keeps them: one bit per document holding any of its
/// terms, the number of such documents before each 64 (`u32`s, two a word), then each one's score for the clause
/// (`f32` bits, two a word), in document order. Scoring a hit from them reads neither the postings nor the field
/// lengths: it costs a lookup, whatever the number of terms the clause has (a word has one per field and equivalent).
struct ClauseScores<'k> {
    bits: &'k [u64],
    before: &'k [u64],
    scores: &'k [u64],
}

/// The `i`th of the `u32`s packed two a word in `words`.
#[inline]
fn half(words: &[u64], i: usize) -> u32 {
    (words[i >> 1] >> ((i & 1) * 32)) as u32
}

impl<'k> ClauseScores<'k> {
    /// The kept entry of a part over `range` (`None` if it is not one, or the empty entry left the first time).
    fn new(kept: &'k [u64], range: &Range<DocId>) -> Option<Self> {
        if kept.is_empty() {
            return None;
        }
        let n = range.len().div_ceil(64);
        let (bits, rest) = kept.split_at_checked(n)?;
        let (before, scores) = rest.split_at_checked(n.div_ceil(2))?;
        Some(Self { bits, before, scores })
    }

    /// The score of document `d` (its offset in the part), if it holds any of the clause's terms.
    #[inline]
    fn get(&self, d: usize) -> Option<Score> {
        let word = self.bits[d >> 6];
        if word >> (d & 63) & 1 == 0 {
            return None;
        }
        let rank = half(self.before, d >> 6) as usize + (word & ((1u64 << (d & 63)) - 1)).count_ones() as usize;
        let pair = self.scores.get(rank >> 1)?;
        Some(Score::from_bits((pair >> ((rank & 1) * 32)) as u32))
    }

    /// The entry of `clause` over the part: its documents' scores summed as `add` sums them (as a search without the
    /// entry does), with `bit` (0 for a clause that only ranks).
    fn build(
        reader: &SegmentReader,
        ord: usize,
        range: &Range<DocId>,
        clause: &Weighted,
        bit: u32,
    ) -> tantivy::Result<Vec<u64>> {
        let size = range.len();
        let mut acc = Accumulator::take();
        acc.prepare(size);
        acc.sum_clause(reader, ord, range, clause, bit)?;
        let bits = acc.held[..size.div_ceil(64)].to_vec();
        let packed = Self::packed(bits, |d| acc.word[d]);
        for w in 0..size.div_ceil(64) {
            for one in ones(std::mem::take(&mut acc.held[w])) {
                acc.word[w * 64 + one] = 0.0;
                acc.masks[w * 64 + one] = 0;
            }
        }
        acc.clean = true;
        acc.give_back();
        Ok(packed)
    }

    /// Packs `bits` with each of its documents' `score`.
    fn packed(bits: Vec<u64>, score: impl Fn(usize) -> Score) -> Vec<u64> {
        let n = bits.len();
        let held: usize = bits.iter().map(|b| b.count_ones() as usize).sum();
        let mut packed = Vec::with_capacity(n + n.div_ceil(2) + held.div_ceil(2));
        packed.extend_from_slice(&bits);
        let mut before = 0u64;
        for pair in bits.chunks(2) {
            let low = before;
            before += u64::from(pair[0].count_ones());
            packed.push(low | before << 32);
            before += pair.get(1).map_or(0, |b| u64::from(b.count_ones()));
        }
        let mut scores = bits.iter().enumerate().flat_map(|(w, &b)| ones(b).map(move |one| w * 64 + one)).map(score);
        while let Some(first) = scores.next() {
            let second = scores.next().unwrap_or(0.0);
            packed.push(u64::from(first.to_bits()) | u64::from(second.to_bits()) << 32);
        }
        packed
    }
}

/// The documents whose count, kept bit-sliced in `planes` (least significant first, `bits` words each), is at
/// least `least`, at word `w`.
#[inline]
fn at_least(planes: &[u64], bits: usize, used: usize, least: u32, w: usize) -> u64 {
    debug_assert!(least >= 1 && least >> used == 0, "least {least} of a count on {used} bits");
    let (mut greater, mut equal) = (0u64, u64::MAX);
    for p in (0..used).rev() {
        let plane = planes[p * bits + w];
        if least >> p & 1 == 1 {
            equal &= plane;
        } else {
            greater |= equal & plane;
            equal &= !plane;
        }
    }
    if least >> used != 0 { greater } else { greater | equal }
}

/// The documents whose count, kept bit-sliced in `planes` as in `at_least`, is exactly `count`, at word `w`.
#[inline]
fn exactly(planes: &[u64], bits: usize, used: usize, count: u32, w: usize) -> u64 {
    debug_assert!(count >> used == 0, "count {count} on {used} bits");
    (0..used).fold(u64::MAX, |equal, p| {
        let plane = planes[p * bits + w];
        equal & if count >> p & 1 == 1 { plane } else { !plane }
    })
}

/// What the first pass over a part leaves for the second (bitsets only: the per-document scores are taken from the
/// pool by the second pass): the documents matching every word that pass the filters (offsets in the part, packed
/// facet values), which words' bitsets hold all their documents.
struct FirstPass<'p, 's> {
    part: &'p Part<'s>,
    /// The documents matching every word that pass the filters, one bit each, and the bitsets of the words read
    /// from the postings (`bits` words each, a slot per word; empty when the cache held every word).
    matched: Vec<u64>,
    word_bits: Vec<u64>,
    hits: Vec<(u32, u64)>,
    full: Vec<bool>,
    /// The bitsets the cache held, read where they are (it looks each word up once).
    cached: Vec<Option<Arc<[u64]>>>,
    postings: u64,
}

/// Word `w`'s bitset (`bits` words): the cache's, or the word's slot in `word_bits`.
#[inline]
fn word_bitset<'a>(cached: &'a [Option<Arc<[u64]>>], word_bits: &'a [u64], w: usize, bits: usize) -> &'a [u64] {
    cached[w].as_deref().unwrap_or_else(|| &word_bits[w * bits..(w + 1) * bits])
}

/// Sets in `slot` the bit of each document of `range` holding any of the clause's terms, read from the postings (and
/// kept in the bitset cache if the word is frequent); how many postings that read (their whole length, for the debug
/// log).
fn mark_word(
    cache: &BitsetCache,
    clause: &Weighted,
    reader: &SegmentReader,
    ord: usize,
    range: &Range<DocId>,
    slot: &mut [u64],
) -> tantivy::Result<u64> {
    slot.fill(0);
    let mut postings = 0;
    for weight in clause.terms() {
        if let Some(mut block) = weight.postings(reader, ord, IndexRecordOption::Basic)? {
            postings += u64::from(block.doc_freq());
            mark(&mut block, range, slot);
        }
    }
    cache.keep_word(reader, range, clause, slot, postings);
    Ok(postings)
}

/// The bits set in `bits`, lowest first.
#[inline]
fn ones(mut bits: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let one = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            one
        })
    })
}

/// Calls `f(block, d, at)` for each document offset `d` of `offsets` (in `range`, ascending) that the postings hold,
/// `at` its position in the block loaded, seeking to each through the skip list (blocks holding none are not
/// decoded).
#[inline]
fn seek_each(
    block: &mut BlockSegmentPostings,
    range: &Range<DocId>,
    offsets: impl IntoIterator<Item = u32>,
    mut f: impl FnMut(&BlockSegmentPostings, u32, usize),
) {
    for d in offsets {
        let at = block.seek(range.start + d);
        match block.docs().get(at) {
            Some(&found) if found == range.start + d => f(block, d, at),
            Some(_) => {}
            None => return,
        }
    }
}

/// The document's packed facet values if it is alive and passes the filters.
#[inline(always)]
fn accepts(filter: &Filter, part: &Part<'_>, doc: DocId) -> Option<u64> {
    let value = part.packed[doc as usize];
    (filter.accepts(value) && part.reader.alive_bitset().is_none_or(|a| a.is_alive(doc))).then_some(value)
}

/// The first pass over a part: which documents match every word (one bit a document), the rarest word first; a
/// word whose postings are far longer than the documents still in the running is checked by seeking to each of
/// them. Whether the search widens is decided over all parts (`second_pass`).
fn first_pass<'p, 's>(weights: &Weights<'_>, part: &'p Part<'s>) -> tantivy::Result<FirstPass<'p, 's>> {
    let Weights { words, min_strict, .. } = weights;
    let Part { ord, reader, range, .. } = part;
    let bits = range.len().div_ceil(64);
    // Each word's postings in the part, estimated from their lengths in the segment; nothing for the words whose
    // bitsets the bitset cache holds (taken first).
    let max_doc = u64::from(reader.max_doc().max(1));
    let cached: Vec<Option<Arc<[u64]>>> =
        words.iter().map(|clause| weights.cache.word(reader, range, clause)).collect();
    let costs: Vec<usize> = words
        .iter()
        .zip(&cached)
        .map(|(clause, cached)| {
            if cached.is_some() {
                return 0;
            }
            (clause.postings(*ord) * range.len() as u64 / max_doc) as usize
        })
        .collect();
    let mut order: Vec<usize> = (0..words.len()).collect();
    order.sort_by_key(|&w| costs[w]);
    // One bitset per word: the documents holding it, all of them once `full`, or only among those the words before
    // it left (found by seeking). The cache's bitsets are read where they are: slots only for the others.
    let mut word_bits = if cached.iter().all(Option::is_some) { Vec::new() } else { vec![0u64; words.len() * bits] };
    let mut matched = vec![0u64; bits];
    let mut full = vec![false; words.len()];
    let mut postings = 0;
    // 1. The documents matching every word, the cached and the rarest words first; a word whose postings are far
    //    longer than the documents still in the running is checked by seeking to each of them.
    let mut strict_possible = true;
    // The documents left in `matched`, counted as each word is taken in.
    let mut count = 0;
    for (rank, &w) in order.iter().enumerate() {
        let slot = w * bits..(w + 1) * bits;
        let mut seek = false;
        if rank > 0 {
            if count == 0 {
                strict_possible = false;
                break;
            }
            // Seeking pays when the search will not widen (a widening search reads every word whole): not when
            // the documents left, over the whole segment, are already fewer than the search needs.
            let enough = count as u64 * max_doc >= (*min_strict * range.len()) as u64;
            seek = count * SEEK_RATIO < costs[w] && enough;
        }
        if cached[w].is_some() {
            full[w] = true;
        } else if seek {
            let word = &mut word_bits[slot.clone()];
            for weight in words[w].terms() {
                let Some(mut block) = weight.postings(reader, *ord, IndexRecordOption::Basic)? else { continue };
                let candidates =
                    matched.iter().enumerate().flat_map(|(i, &b)| ones(b).map(move |one| (i * 64 + one) as u32));
                seek_each(&mut block, range, candidates, |_, d, _| word[d as usize >> 6] |= 1 << (d & 63));
            }
        } else {
            postings += mark_word(weights.cache, &words[w], reader, *ord, range, &mut word_bits[slot.clone()])?;
            full[w] = true;
        }
        let word = word_bitset(&cached, &word_bits, w, bits);
        debug_assert_eq!(word.len(), bits, "a word's bitset covers the part");
        count = 0;
        for (strict, &word) in matched.iter_mut().zip(word) {
            *strict = if rank == 0 { word } else { *strict & word };
            count += strict.count_ones() as usize;
        }
    }
    // The documents matching every word that pass the filters, with their packed facet values.
    let mut hits: Vec<(u32, u64)> = Vec::new();
    if strict_possible {
        hits.reserve(count);
        // Many hits: the filter's bitset is worth reading (or making, the second time); few: each is checked.
        let filtered = if count * 16 > range.len() {
            weights.cache.filter(part, weights.filter)
        } else {
            weights.cache.filtered(part, weights.filter)
        };
        for (w, bits_of_word) in matched.iter_mut().enumerate() {
            if let Some(filtered) = &filtered {
                *bits_of_word &= filtered[w];
            } else {
                for one in ones(*bits_of_word) {
                    if accepts(weights.filter, part, range.start + (w * 64 + one) as DocId).is_none() {
                        *bits_of_word &= !(1 << one);
                    }
                }
            }
            for one in ones(*bits_of_word) {
                let d = w * 64 + one;
                hits.push((d as u32, part.packed[range.start as usize + d]));
            }
        }
    }
    Ok(FirstPass { part, matched, word_bits, hits, full, cached, postings })
}

/// The second pass of a part: the documents it answers with, counted, and those that may rank among its best scored
/// and ranked. `widen` (too few documents of the whole index match every word) adds those matching at least `least`
/// words: all are counted, but as hits matching more words rank first, only the tiers of words matched that hold the
/// part's `keep` best are scored.
fn second_pass(weights: &Weights<'_>, first: FirstPass<'_, '_>, widen: bool) -> tantivy::Result<Candidates> {
    let Weights { words, optional, all, least, keep: kept, facets, .. } = weights;
    let FirstPass { part, matched, mut word_bits, mut hits, full, cached, mut postings } = first;
    let Part { ord, reader, packed, range } = part;
    let bits = range.len().div_ceil(64);
    let mut acc = Accumulator::take();
    acc.prepare(range.len());
    let mut found = Candidates {
        segment: *ord as u32,
        strict: hits.len(),
        tally: Tally::default(),
        best: Vec::new(),
        wide: Vec::new(),
        postings: 0,
        scored: 0,
    };
    // How many words each of `hits` matched, when widening (every strict hit matches them all).
    let mut words_of_hit: Vec<u32> = Vec::new();
    if widen {
        // Every word's postings are read whole (those the first pass sought in are read again), and the count of
        // words each document matched kept bit-sliced.
        for (w, clause) in words.iter().enumerate().filter(|(w, _)| !full[*w] && cached[*w].is_none()) {
            let slot = &mut word_bits[w * bits..(w + 1) * bits];
            postings += mark_word(weights.cache, clause, reader, *ord, range, slot)?;
        }
        let used = (usize::BITS - words.len().leading_zeros()) as usize;
        acc.planes.clear();
        acc.planes.resize(used * bits, 0);
        for w in 0..words.len() {
            let word = word_bitset(&cached, &word_bits, w, bits);
            for (i, &bits_of_word) in word.iter().enumerate() {
                let mut carry = bits_of_word;
                for p in 0..used {
                    if carry == 0 {
                        break;
                    }
                    let plane = &mut acc.planes[p * bits + i];
                    let next = *plane & carry;
                    *plane ^= carry;
                    carry = next;
                }
            }
        }
        // Every document answered is counted, and how many documents match each number of words, 64 documents at a
        // time. The words' bitsets are spent: the first slot keeps the documents answered.
        word_bits.resize(bits.max(word_bits.len()), 0);
        let answered = &mut word_bits[..bits];
        let mut tiers = [0usize; MAX_WORDS + 1];
        // The documents passing the filters, 64 at a time (a widening search answers many), or one by one for a
        // filter seen for the first time; `matched` (the first pass's) holds the strict hits, which passed already.
        let filtered = weights.cache.filter(part, weights.filter);
        for w in 0..bits {
            let candidates = at_least(&acc.planes, bits, used, *least, w);
            let accepted = match &filtered {
                Some(filtered) => candidates & filtered[w],
                None => {
                    let mut accepted = candidates & matched[w];
                    for one in ones(candidates & !matched[w]) {
                        if accepts(weights.filter, part, range.start + (w * 64 + one) as DocId).is_some() {
                            accepted |= 1 << one;
                        }
                    }
                    accepted
                }
            };
            answered[w] = accepted;
            if accepted == 0 {
                continue;
            }
            for one in ones(accepted) {
                found.tally.count(packed[range.start as usize + w * 64 + one], *facets);
            }
            for tier in *least..=*all {
                tiers[tier as usize] += (accepted & exactly(&acc.planes, bits, used, tier, w)).count_ones() as usize;
            }
        }
        // Only the tiers holding the part's `kept` best are scored: the documents matching the most words, down to
        // the fewest that `kept` of them reach. They become `hits`, and `acc.matched`.
        let mut floor = *least;
        let mut above = 0;
        for tier in (*least..=*all).rev() {
            above += tiers[tier as usize];
            if above >= *kept {
                floor = tier;
                break;
            }
        }
        hits.clear();
        for (w, &answered) in answered.iter().enumerate() {
            let scored = answered & at_least(&acc.planes, bits, used, floor, w);
            acc.matched[w] = scored;
            for one in ones(scored) {
                let d = w * 64 + one;
                hits.push((d as u32, packed[range.start as usize + d]));
                words_of_hit.push((0..used).map(|p| (acc.planes[p * bits + w] >> one & 1) << p).sum::<u64>() as u32);
            }
        }
    } else {
        // The strict hits are scored: `acc.matched` becomes them (the widening branch sets it to the tiers scored).
        acc.matched[..bits].copy_from_slice(&matched);
        for &(_, value) in &hits {
            found.tally.count(value, *facets);
        }
    }
    for (w, clause) in words.iter().enumerate() {
        acc.score(weights, part, clause, 1 << w, &hits)?;
    }
    for clause in optional {
        acc.score(weights, part, clause, 0, &hits)?;
    }
    found.postings = postings;
    found.scored = hits.len();
    // Widening is decided for the whole index before this pass: the part ranks every document it scored (nothing is
    // kept aside for the merge).
    let mut heap = BinaryHeap::with_capacity(kept + 1);
    for (i, &(d, _)) in hits.iter().enumerate() {
        let d = d as usize;
        let score = std::mem::take(&mut acc.scores[d]);
        acc.masks[d] = 0;
        let n = words_of_hit.get(i).copied().unwrap_or(*all);
        push(&mut heap, Ranked::new(n, score, *ord as u32, range.start + d as DocId), *kept);
    }
    found.best = heap.into_vec();
    acc.clean = true;
    acc.give_back();
    Ok(found)
}

fn part_candidates(weights: &Weights<'_>, part: &Part<'_>) -> tantivy::Result<Candidates> {
    let Weights { words, optional, required, filter, all, least, min_strict, keep: kept, facets, .. } = weights;
    let Part { ord, reader, range, .. } = part;
    let size = range.len();
    let mut found = Candidates {
        segment: *ord as u32,
        strict: 0,
        tally: Tally::default(),
        best: Vec::new(),
        wide: Vec::new(),
        postings: 0,
        scored: 0,
    };
    let mut heap = BinaryHeap::with_capacity(kept + 1);
    let mut keep = |doc: DocId, matched: u32, score: Score| {
        let Some(value) = accepts(filter, part, doc) else { return };
        if matched == *all {
            found.strict += 1;
            found.tally.count(value, *facets);
            push(&mut heap, Ranked::new(matched, score, *ord as u32, doc), *kept);
        } else if found.strict < *min_strict {
            found.wide.push((doc, matched, score, value));
        }
    };
    if words.is_empty() && required.is_empty() {
        // Browsing (no words): every document, ranked alike, in index order.
        range.clone().for_each(|doc| keep(doc, 0, 1.0));
    } else {
        let mut acc = Accumulator::take();
        acc.prepare(size);
        for (w, clause) in words.iter().enumerate() {
            acc.add(reader, *ord, range, clause, 1 << w)?;
        }
        let mut phrases = vec![0u8; if required.is_empty() { 0 } else { size }];
        // The phrases' matches within the part only, as `Weight::for_each` scores them.
        for weight in required {
            let mut scorer = weight.scorer(reader, 1.0)?;
            let mut doc = if scorer.doc() < range.start { scorer.seek(range.start) } else { scorer.doc() };
            while doc < range.end {
                let d = (doc - range.start) as usize;
                acc.scores[d] += scorer.score();
                acc.touch(d);
                phrases[d] = phrases[d].saturating_add(1);
                doc = scorer.advance();
            }
        }
        for clause in optional {
            acc.add(reader, *ord, range, clause, 0)?;
        }
        acc.drain(size, |d, mask, score| {
            let matched = mask.count_ones();
            if matched >= *least && (required.is_empty() || usize::from(phrases[d as usize]) >= required.len()) {
                keep(range.start + d, matched, score);
            }
        });
        acc.clean = true;
        acc.give_back();
    }
    found.best = heap.into_vec();
    Ok(found)
}

pub fn evaluate(
    searcher: &Searcher,
    caches: &Caches,
    plan: &Plan,
    offset: usize,
    limit: usize,
) -> tantivy::Result<Outcome> {
    // The parts are the same whether the search spreads them or runs them one after another (under load), so that
    // the bitsets kept for them serve both; on one core a segment is searched whole.
    let min_part = if cores() > 1 { MIN_PART } else { u64::MAX };
    evaluate_in_parts(searcher, caches, plan, offset, limit, min_part, true)
}

fn evaluate_in_parts(
    searcher: &Searcher,
    caches: &Caches,
    plan: &Plan,
    offset: usize,
    limit: usize,
    min_part: u64,
    two_pass: bool,
) -> tantivy::Result<Outcome> {
    if plan.words.len() > MAX_WORDS {
        return Err(tantivy::TantivyError::InvalidArgument(format!("more than {MAX_WORDS} words")));
    }
    let t0 = std::time::Instant::now();
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let words = plan.words.iter().map(|c| weigh(searcher, caches, c, true)).collect::<tantivy::Result<Vec<_>>>()?;
    let optional =
        plan.optional.iter().map(|c| weigh(searcher, caches, c, false)).collect::<tantivy::Result<Vec<_>>>()?;
    let required: Vec<Box<dyn Weight>> =
        plan.required.iter().map(|q| q.weight(scoring)).collect::<tantivy::Result<_>>()?;
    let all = plan.words.len() as u32;
    let least = if words.is_empty() { 0 } else { plan.widened.clamp(1, words.len()) as u32 };
    let keep = offset + limit;
    let weights = Weights {
        words,
        optional,
        required,
        filter: &plan.filter,
        cache: &caches.bitsets,
        generation: searcher.generation().generation_id(),
        all,
        least,
        min_strict: plan.min_strict,
        keep,
        facets: plan.facets,
    };

    let t1 = t0.elapsed();
    let segments = if plan.filter.possible() {
        caches.bitsets.fit(searcher.segment_readers().iter().map(|r| u64::from(r.max_doc())).sum());
        let columns = caches.columns.of(searcher)?;
        let parts = parts(searcher, &columns, min_part);
        let executor = executor(parts.len());
        if two_pass && plan.required.is_empty() && !plan.words.is_empty() {
            // Both passes part by part, side by side; between them, whether the whole index has too few documents
            // matching every word.
            let firsts = executor.map(|part| first_pass(&weights, part), parts.iter())?;
            let strict: usize = firsts.iter().map(|first| first.hits.len()).sum();
            let widen = least < all && strict < plan.min_strict;
            executor.map(|first| second_pass(&weights, first, widen), firsts.into_iter())?
        } else {
            executor.map(|part| part_candidates(&weights, part), parts.iter())?
        }
    } else {
        Vec::new()
    };
    let t2 = t0.elapsed();
    let strict: usize = segments.iter().map(|c| c.strict).sum();
    let widened = strict < plan.min_strict;
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(keep + 1);
    let mut tally = Tally::default();
    for part in &segments {
        tally.merge(&part.tally);
        for hit in &part.best {
            push(&mut heap, *hit, keep);
        }
        if widened {
            // No part reached `min_strict` alone: each kept all its wide candidates.
            for &(doc, matched, score, packed) in &part.wide {
                tally.count(packed, plan.facets);
                push(&mut heap, Ranked::new(matched, score, part.segment, doc), keep);
            }
        }
    }
    let top = heap.into_sorted_vec().into_iter().skip(offset).collect();
    let scored = segments.iter().map(|c| c.scored).sum::<usize>();
    let postings = segments.iter().map(|c| c.postings).sum::<u64>();
    tracing::debug!(
        weigh_us = t1.as_micros() as u64,
        segments_us = (t2 - t1).as_micros() as u64,
        rank_us = (t0.elapsed() - t2).as_micros() as u64,
        strict,
        widened,
        postings,
        scored,
        "evaluate timed"
    );
    Ok(Outcome { tally, top, scored, postings })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A search that waits for three parts of its own, counting in `inside` the searches running, and in `most` the
    /// most that ran at once.
    fn waiting_search(inside: &AtomicUsize, most: &AtomicUsize) -> bool {
        let now = inside.fetch_add(1, AtomicOrdering::SeqCst) + 1;
        most.fetch_max(now, AtomicOrdering::SeqCst);
        let slept = executor(3).map(
            |_| {
                std::thread::sleep(std::time::Duration::from_millis(15));
                Ok(())
            },
            0..3,
        );
        inside.fetch_sub(1, AtomicOrdering::SeqCst);
        slept.is_ok()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_searches_run_at_once_than_there_are_search_threads() {
        // Each search waits for parts of its own: a search thread waiting so may start work queued in the pool.
        static INSIDE: AtomicUsize = AtomicUsize::new(0);
        static MOST: AtomicUsize = AtomicUsize::new(0);
        let search = || waiting_search(&INSIDE, &MOST);
        let searches: Vec<_> = (0..12).map(|_| tokio::spawn(run(search))).collect();
        for search in searches {
            assert_eq!(search.await.expect("joined"), Some(true));
        }
        assert!(MOST.load(AtomicOrdering::SeqCst) <= cores(), "{} at once", MOST.load(AtomicOrdering::SeqCst));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_search_whose_caller_stopped_waiting_keeps_its_slot_until_it_ends() {
        use std::sync::atomic::AtomicBool;
        use std::time::Duration;
        // Its own slots, so that the other tests' searches do not change the count.
        static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
        static STARTED: AtomicBool = AtomicBool::new(false);
        static ENDED: AtomicBool = AtomicBool::new(false);
        let caller = tokio::spawn(run_on(&SLOTS, || {
            STARTED.store(true, AtomicOrdering::SeqCst);
            std::thread::sleep(Duration::from_millis(300));
            ENDED.store(true, AtomicOrdering::SeqCst);
        }));
        while !STARTED.load(AtomicOrdering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        // The client went away: the handler, and with it the caller, is dropped.
        caller.abort();
        assert!(caller.await.is_err_and(|e| e.is_cancelled()));
        assert!(!ENDED.load(AtomicOrdering::SeqCst));
        assert_eq!(SLOTS.available_permits(), 0, "the search still runs: its slot is taken");
        let _next = tokio::time::timeout(Duration::from_secs(10), SLOTS.acquire()).await.expect("freed at the end");
        assert!(ENDED.load(AtomicOrdering::SeqCst), "the slot came back only when the search ended");
    }

    /// How long a search whose thread waits for a slow part takes, with `beside` started 30 ms into it; `None` when
    /// its thread did not wait (it could not spread its parts, or ran both: other tests' searches use the threads).
    async fn waiting_search_beside<F: std::future::Future + Send + 'static>(
        beside: impl FnOnce() -> F,
    ) -> Option<std::time::Duration>
    where
        F::Output: Send,
    {
        use std::time::{Duration, Instant};
        // One part is slow, the other quick: the search's own thread takes the last one spawned (the quick one), the
        // other thread the first; done, the search's thread waits for the slow one and takes queued work meanwhile.
        let first = tokio::spawn(run(|| {
            let started = Instant::now();
            let slow_on = executor(2).map(
                |n| {
                    std::thread::sleep(Duration::from_millis(if n == 0 { 100 } else { 5 }));
                    Ok((n == 0).then(|| std::thread::current().id()))
                },
                0..2,
            );
            let slow_on = slow_on.expect("parts").into_iter().flatten().next();
            // Only when another thread took the slow part did this one wait.
            (slow_on != Some(std::thread::current().id())).then(|| started.elapsed())
        }));
        tokio::time::sleep(Duration::from_millis(30)).await;
        let second = tokio::spawn(beside());
        let took = first.await.expect("joined").expect("answered");
        second.await.expect("joined");
        took
    }

    /// Runs `waiting_search_beside` until its search's thread waits, and checks that it was not held up.
    async fn not_held_up_by<F: std::future::Future + Send + 'static>(beside: impl Fn() -> F)
    where
        F::Output: Send,
    {
        // On one core a search never spreads its parts, so its thread never waits for them (the test of the search
        // threads checks that it does not spread).
        if cores() < 2 {
            return;
        }
        for _ in 0..50 {
            if let Some(took) = waiting_search_beside(&beside).await {
                assert!(
                    took < std::time::Duration::from_millis(300),
                    "the search took {took:?}: it ran the other work"
                );
                return;
            }
        }
        panic!("the search's thread never waited for its parts");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_search_waiting_for_its_parts_does_not_start_another_on_its_stack() {
        not_held_up_by(|| run(|| std::thread::sleep(std::time::Duration::from_millis(400)))).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_search_waiting_for_its_parts_does_not_run_another_callers_tasks_on_its_stack() {
        // Matching hands its tasks to the search threads from a blocking thread of its own.
        let matching = || {
            tokio::task::spawn_blocking(|| {
                executor(2).map(
                    |_| {
                        std::thread::sleep(std::time::Duration::from_millis(400));
                        Ok(())
                    },
                    0..2,
                )
            })
        };
        not_held_up_by(matching).await;
    }

    #[tokio::test]
    async fn searches_run_on_the_search_threads_and_a_panic_there_is_an_answer_not_an_abort() {
        assert_eq!(run(on_search_thread).await, Some(true));
        assert!(!on_search_thread());
        assert_eq!(run(|| -> u32 { panic!("a search that panics") }).await, None);
        // The threads are still there for the next search, and its parts go to them.
        let parts = run(|| executor(4).map(|n| Ok(n * 2), 0..4)).await.expect("answered").expect("mapped");
        assert_eq!(parts, [0, 2, 4, 6]);
        // They spread over the threads when the other threads' slots are free (other tests' searches hold some); on
        // one core, never.
        let spreads = || async { run(|| std::ptr::eq(executor(4).executor, &*EXECUTOR)).await == Some(true) };
        if cores() < 2 {
            assert!(!spreads().await, "on one core a search runs its parts itself");
            return;
        }
        let mut spread = false;
        for _ in 0..500 {
            spread = spreads().await;
            if spread {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(spread, "a search alone spreads its parts over the search threads");
    }

    #[test]
    fn precomputed_scores_are_bm25s() {
        let bm25 = Bm25Weight::for_one_term(12, 1000, 7.5);
        let weight = TermWeight::new(
            bm25.clone(),
            12,
            Term::from_field_text(tantivy::schema::Field::from_field_id(0), "x"),
            Vec::new(),
        );
        let scored = Scored { low_tf: weight.low_tf(), weight: Arc::new(weight), boost: 0.5 };
        for norm in [0u8, 3, 17, 200, 255] {
            for tf in [1, 2, 3, 9] {
                let expected = bm25.score(norm, tf) * 0.5;
                assert!((scored.score(norm, tf) - expected).abs() < 1e-6, "norm {norm}, tf {tf}");
            }
        }
    }

    /// An index of 3,000 short English texts in two segments (2,000 and 1,000), a tenth of them deleted, with packed
    /// facets; its `text_en` field.
    fn small_index() -> (tantivy::Searcher, tantivy::schema::Field) {
        use crate::domain::taxonomy::Facet;
        use crate::search::facets::{Packed, pack};
        let (index, fields, mut writer) = crate::search::schema::in_ram();
        let words =
            ["drone detection", "port sensors", "drone port", "flood sensors drone", "hospital", "sensor drones"];
        for i in 0..3000u32 {
            let mut doc = tantivy::TantivyDocument::default();
            let mut text =
                format!("{} {} {}", words[i as usize % 6], words[(i as usize / 6) % 6], words[(i as usize / 7) % 6]);
            if i % 97 == 5 {
                text.push_str(" zeppelin"); // a rare word: the words after it are checked by seeking
            }
            doc.add_text(fields.text_en, text);
            doc.add_text(fields.id, format!("d{i}"));
            let country = if i % 3 == 0 { "FR" } else { "DE" };
            let what = Packed { country, doc_type: "offer", published: i % 7 != 0, trl: Some((i % 9) as u8 + 1) };
            let technology = if i % 4 == 0 { "ai" } else { "cybersecurity" };
            doc.add_u64(fields.facets, pack([(Facet::Technology, technology)], what));
            writer.add_document(doc).expect("add");
            if i == 1999 {
                writer.commit().expect("commit the first segment");
            }
        }
        writer.commit().expect("commit");
        for i in (0..3000u32).step_by(10) {
            writer.delete_term(Term::from_field_text(fields.id, &format!("d{i}")));
        }
        writer.commit().expect("commit deletes");
        let reader = index.reader().expect("reader");
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        (searcher, fields.text_en)
    }

    fn plan(text: tantivy::schema::Field, words: &[&str], min_strict: usize) -> Plan {
        let word = |w: &str| Clause { scored: vec![(Term::from_field_text(text, w), 1.0)], ..Clause::default() };
        let mut filter = Filter::default();
        filter.published();
        Plan {
            words: words.iter().map(|w| word(w)).collect(),
            widened: words.len().div_ceil(2),
            min_strict,
            required: Vec::new(),
            optional: Vec::new(),
            filter,
            facets: true,
        }
    }

    #[test]
    fn a_segment_cut_into_parts_gives_the_same_result() {
        let (searcher, text) = small_index();
        let words = plan(text, &["drone", "sensor", "port"], 20);
        // A quoted phrase: each part scores the phrase's matches within its own documents.
        let mut phrase = plan(text, &["sensor"], 20);
        let terms = ["drone", "port"].map(|w| Term::from_field_text(text, w)).to_vec();
        phrase.required = vec![Box::new(tantivy::query::PhraseQuery::new(terms))];
        let caches = Caches::default();
        for (plan, least) in [(&words, 100), (&phrase, 20)] {
            for two_pass in [false, true] {
                let whole = evaluate_in_parts(&searcher, &caches, plan, 0, 30, u64::MAX, two_pass).expect("whole");
                let cut = evaluate_in_parts(&searcher, &caches, plan, 0, 30, 7, two_pass).expect("cut");
                assert!(whole.tally.total > least, "{}", whole.tally.total);
                assert_eq!(cut.tally.total, whole.tally.total);
                assert_eq!(cut.tally.counts(), whole.tally.counts());
                assert_eq!(cut.top, whole.top);
            }
        }
        // Fewer documents hold the phrase than its two words.
        let both = plan(text, &["sensor", "drone", "port"], 20);
        let count = |plan: &Plan| evaluate(&searcher, &caches, plan, 0, 10).expect("search").tally.total;
        assert!(count(&phrase) < count(&both), "{} {}", count(&phrase), count(&both));
    }

    #[test]
    fn two_passes_give_the_accumulating_pass_s_hits_scores_and_counts() {
        use crate::domain::taxonomy::Facet;
        let (searcher, text) = small_index();
        let t = |w: &str| Term::from_field_text(text, w);
        let mut cases = vec![
            ("strict", plan(text, &["drone", "sensor", "port"], 20)),
            ("widened: no document holds them all", plan(text, &["detect", "flood", "hospit", "port"], 20)),
            ("widened: a word no document holds", plan(text, &["drone", "zebra"], 20)),
            ("widened: a high threshold", plan(text, &["flood", "port", "detect"], 5000)),
            ("one word", plan(text, &["hospit"], 20)),
            ("a rare word, then frequent ones found by seeking", plan(text, &["drone", "zeppelin", "sensor"], 3)),
            ("a rare word, widened after seeking", plan(text, &["drone", "zeppelin", "sensor", "hospit"], 20)),
            // About 25 documents match every word: enough in all, too few in any part (of 500 to 667 documents).
            ("strict over the parts, too few in each", plan(text, &["drone", "zeppelin", "sensor"], 20)),
        ];
        // Typo-like constant groups, a base, and a clause that only ranks (with its own constant group).
        let mut fuzzy = plan(text, &["drone", "port"], 20);
        fuzzy.words[0].base = 0.3;
        fuzzy.words[0].constant = vec![(vec![t("drones"), t("flood")], 0.3), (vec![t("hospit")], 0.2)];
        fuzzy.optional = vec![Clause {
            scored: vec![(t("sensor"), 0.5), (t("detect"), 0.7)],
            base: 0.0,
            constant: vec![(vec![t("flood"), t("hospit")], 0.1)],
        }];
        cases.push(("constant groups and a ranking clause", fuzzy));
        let mut filtered = plan(text, &["drone", "sensor"], 20);
        filtered.filter.tag(Facet::Technology, "ai");
        filtered.filter.country("FR");
        filtered.facets = false;
        cases.push(("filters, no facet counts", filtered));
        let mut widened_filtered = plan(text, &["drone", "flood", "port", "detect"], 5000);
        widened_filtered.filter.tag(Facet::Technology, "ai");
        widened_filtered.filter.country("FR");
        cases.push(("filters, widened", widened_filtered));
        // A word weighing far more than the others: documents matching it and one other outscore those matching
        // three others, and rank below them.
        let mut heavy = plan(text, &["hospit", "flood", "port", "detect"], 5000);
        heavy.words[0].scored[0].1 = 20.0;
        cases.push(("a heavy word", heavy));
        let caches = Caches::default();
        // Widened searches whose best are found without scoring every document answered (the tiers of fewer words
        // matched are only counted).
        let mut pruned = Vec::new();
        for (name, plan) in &cases {
            for (offset, limit, min_part) in [(0, 40, u64::MAX), (0, 40, 7), (25, 40, 500), (0, 3, u64::MAX), (2, 3, 7)]
            {
                let one = evaluate_in_parts(&searcher, &caches, plan, offset, limit, min_part, false).expect("one");
                let two = evaluate_in_parts(&searcher, &caches, plan, offset, limit, min_part, true).expect("two");
                let at = format!("{name} (offset {offset}, limit {limit}, parts of {min_part})");
                assert_eq!(two.tally.total, one.tally.total, "{at}: total");
                assert_eq!(two.tally.counts(), one.tally.counts(), "{at}: counts");
                assert_eq!(two.top, one.top, "{at}: hits");
                assert!(two.top.windows(2).all(|w| w[0].matched >= w[1].matched), "{at}: more words matched first");
                if two.scored < two.tally.total {
                    pruned.push(at);
                }
            }
        }
        assert!(pruned.len() >= 4, "pruned: {pruned:?}");
        // Frequent clauses scored from their kept scores (the others and those of few hits from their terms): both
        // give the accumulating pass's sums.
        assert!(caches.stats().clause_hits > 0, "{:?}", caches.stats());
        // Within the tier of the words matched, hits are ranked by score.
        let widened = evaluate(&searcher, &caches, &cases[3].1, 0, 200).expect("search");
        let tiers: std::collections::BTreeSet<u32> = widened.top.iter().map(|hit| hit.matched).collect();
        assert!(tiers.len() >= 2, "{tiers:?}");
        assert!(widened.top.windows(2).all(|w| w[0].matched > w[1].matched || w[0].score >= w[1].score));
        // Across tiers, by words matched, whatever the scores.
        let heavy = evaluate(&searcher, &caches, &cases.last().expect("cases").1, 0, 3000).expect("search");
        let best_of =
            |n: u32| heavy.top.iter().filter(|hit| hit.matched == n).map(|hit| hit.score).fold(0.0, Score::max);
        assert!(heavy.top.iter().any(|hit| hit.matched == 3), "a tier of three words");
        assert!(best_of(2) > best_of(3), "two words outscore three: {} against {}", best_of(2), best_of(3));
        // The cases search what they are named for.
        let total = |plan: &Plan| evaluate(&searcher, &caches, plan, 0, 10).expect("search").tally.total;
        assert!(total(&cases[0].1) >= 20 && total(&cases[1].1) > 0 && total(&cases[2].1) > 0);
        // Each text joins three of six phrases: none holds the four words, each from a different phrase.
        assert_eq!(total(&plan(text, &["detect", "flood", "hospit", "port"], 0)), 0);
        let rare = total(&cases[5].1);
        assert!((20..=31).contains(&rare), "{rare} strict hits with the rare word");
        assert_eq!(total(&cases[7].1), rare, "not widened");
        assert!(total(&plan(text, &["drone", "zeppelin", "sensor", "hospit"], 0)) < 20, "the seventh case widens");
    }

    #[test]
    fn words_marked_again_come_from_the_bitset_cache_with_the_same_results() {
        let (searcher, text) = small_index();
        let widened = plan(text, &["detect", "flood", "hospit", "port"], 20);
        let strict = plan(text, &["drone", "sensor"], 3);
        let rare = plan(text, &["drone", "zeppelin", "sensor"], 3);
        let caches = Caches::default();
        for min_part in [u64::MAX, 7] {
            let cold = evaluate_in_parts(&searcher, &caches, &widened, 0, 30, min_part, true).expect("cold");
            assert!(cold.postings > 0, "the first search reads the postings");
            let warm = evaluate_in_parts(&searcher, &caches, &widened, 0, 30, min_part, true).expect("warm");
            assert_eq!(warm.postings, 0, "every word of the widened search is frequent: all come from the cache");
            let fresh =
                evaluate_in_parts(&searcher, &Caches::default(), &widened, 0, 30, min_part, true).expect("fresh");
            assert_eq!(warm.tally.total, fresh.tally.total);
            assert_eq!(warm.tally.counts(), fresh.tally.counts());
            assert_eq!(warm.top, fresh.top);
            // A strict search of frequent words marks them whole once, then takes them from the cache.
            let first = evaluate_in_parts(&searcher, &caches, &strict, 0, 30, min_part, true).expect("first");
            let again = evaluate_in_parts(&searcher, &caches, &strict, 0, 30, min_part, true).expect("again");
            let fresh =
                evaluate_in_parts(&searcher, &Caches::default(), &strict, 0, 30, min_part, true).expect("fresh");
            assert!(first.postings > 0 && again.postings == 0, "{} then {}", first.postings, again.postings);
            assert_eq!(again.tally.total, fresh.tally.total);
            assert_eq!(again.top, fresh.top);
            // `zeppelin` (31 documents in 3,000) is too rare to keep: its postings are read every time.
            let seen = evaluate_in_parts(&searcher, &caches, &rare, 0, 30, min_part, true).expect("rare");
            let fresh = evaluate_in_parts(&searcher, &Caches::default(), &rare, 0, 30, min_part, true).expect("");
            assert!(seen.postings > 0 && seen.postings == fresh.postings, "{} {}", seen.postings, fresh.postings);
            assert_eq!(seen.top, fresh.top);
        }
        // One entry per frequent word and range searched: the widened search's four, and `drone` and `sensor`, over
        // the two segments whole and over their parts (as many as the machine's cores ask for; a segment that stays
        // whole is one range); and the live published documents of each.
        let columns = caches.columns.of(&searcher).expect("columns");
        let ranges: std::collections::HashSet<(usize, Range<DocId>)> = parts(&searcher, &columns, u64::MAX)
            .into_iter()
            .chain(parts(&searcher, &columns, 7))
            .map(|part| (part.ord, part.range))
            .collect();
        assert!(ranges.len() > 3, "the segments are cut into parts");
        let [words, filters, _] = caches.bitsets.entries();
        assert_eq!((words, filters), (6 * ranges.len(), ranges.len()), "zeppelin is not kept");
    }

    #[test]
    fn clauses_scored_again_come_from_the_bitset_cache_with_the_same_scores() {
        let (searcher, text) = small_index();
        // Strict: every document holding both words is scored, reading both words whole. Widened: the tiers holding
        // the best. `drone` is in some texts twice: its frequencies count.
        let strict = plan(text, &["drone", "sensor"], 3);
        let widened = plan(text, &["detect", "flood", "hospit", "port"], 20);
        let caches = Caches::default();
        for min_part in [u64::MAX, 7] {
            for plan in [&strict, &widened] {
                let before = caches.stats();
                let cold = evaluate_in_parts(&searcher, &caches, plan, 0, 30, min_part, true).expect("cold");
                let read = caches.stats();
                let second = evaluate_in_parts(&searcher, &caches, plan, 0, 30, min_part, true).expect("second");
                let kept = caches.stats();
                let warm = evaluate_in_parts(&searcher, &caches, plan, 0, 30, min_part, true).expect("warm");
                let after = caches.stats();
                assert!(read.clause_misses > before.clause_misses, "the first search reads its terms' postings");
                assert_eq!(read.clause_hits, before.clause_hits);
                assert_eq!(kept.clause_hits, read.clause_hits, "the second computes the clauses' scores");
                assert_eq!(after.clause_misses, kept.clause_misses, "the third finds every clause kept");
                assert!(after.clause_hits > kept.clause_hits);
                let fresh = evaluate_in_parts(&searcher, &Caches::default(), plan, 0, 30, min_part, true).expect("");
                assert!(warm.scored > 0 && warm.scored == cold.scored);
                assert_eq!(warm.tally.counts(), fresh.tally.counts());
                // The same hits with the same scores, to the last bit, read from the postings, computed or kept.
                assert_eq!(warm.top, fresh.top);
                assert_eq!(second.top, fresh.top);
                assert_eq!(cold.top, fresh.top);
            }
        }
        // `drone`'s entries: a score for each document of the part holding it, none for the others.
        let drone = Term::from_field_text(text, "drone");
        let mut entries = 0;
        for (key, kept) in caches.bitsets.cache.iter() {
            let BitsKey::Clause { terms, range, .. } = key else { continue };
            if terms[..] != [drone.clone()] {
                continue;
            }
            let range = range.0..range.1;
            let scores = ClauseScores::new(&kept, &range).expect("an entry over its part");
            let held: u32 = scores.bits.iter().map(|b| b.count_ones()).sum();
            let found = (0..range.len()).filter_map(|d| scores.get(d)).filter(|score| *score > 0.0).count();
            assert_eq!(found, held as usize, "a positive score for each document holding the word");
            assert!(held as usize * 3 > range.len(), "{held} of {}", range.len());
            entries += 1;
        }
        assert!(entries >= 2, "one entry per part scored: {entries}");
    }

    #[test]
    fn kept_scores_follow_the_clause_s_boosts_and_the_searcher_s_generation() {
        use crate::search::facets::{Packed, pack};
        let (index, fields, mut writer) = crate::search::schema::in_ram();
        let add = |writer: &mut tantivy::IndexWriter, i: u32, text: &str| {
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(fields.text_en, text);
            doc.add_text(fields.id, format!("d{i}"));
            let what = Packed { country: "FR", doc_type: "offer", published: true, trl: Some(5) };
            doc.add_u64(fields.facets, pack([], what));
            writer.add_document(doc).expect("add");
        };
        for i in 0..1500u32 {
            let text = ["drone sensor", "drone port", "sensor port hospital", "drone drone sensor"][i as usize % 4];
            add(&mut writer, i, text);
        }
        writer.commit().expect("commit");
        let reader = index.reader().expect("reader");
        let text = fields.text_en;
        let light = plan(text, &["drone", "sensor"], 3);
        let mut heavy = plan(text, &["drone", "sensor"], 3);
        heavy.words[0].scored[0].1 = 3.0;
        let caches = Caches::default();
        let top = |searcher: &Searcher, caches: &Caches, plan: &Plan| {
            // Segments whole: the first keeps its one range in the next generation.
            evaluate_in_parts(searcher, caches, plan, 0, 30, u64::MAX, true).expect("search").top
        };
        // Kept for both (the second search computes them): the same terms with another boost share no entry.
        let searcher = reader.searcher();
        for plan in [&light, &heavy, &light, &heavy] {
            top(&searcher, &caches, plan);
        }
        let hits = caches.stats().clause_hits;
        for plan in [&light, &heavy] {
            assert_eq!(top(&searcher, &caches, plan), top(&searcher, &Caches::default(), plan));
        }
        assert!(caches.stats().clause_hits > hits, "the scores were kept");
        assert_ne!(top(&searcher, &caches, &light)[0].score, top(&searcher, &caches, &heavy)[0].score);
        // Documents added weigh the terms anew: the next generation's searches do not take the scores kept before,
        // though the first segment and its parts are the same.
        for i in 1500..2500u32 {
            add(&mut writer, i, "sensor hospital");
        }
        writer.commit().expect("commit more");
        reader.reload().expect("reload");
        let next = reader.searcher();
        assert_ne!(next.generation().generation_id(), searcher.generation().generation_id());
        for plan in [&light, &heavy] {
            for _ in 0..3 {
                assert_eq!(top(&next, &caches, plan), top(&next, &Caches::default(), plan));
            }
            assert_ne!(top(&next, &caches, plan), top(&searcher, &caches, plan), "the weights changed");
        }
    }

    #[test]
    fn the_cache_counts_its_hits_and_keeps_a_fixed_budget() {
        let (searcher, text) = small_index();
        let strict = plan(text, &["drone", "sensor"], 3);
        let caches = Caches::new(CacheBudget::from_megabytes(1));
        let empty = caches.stats();
        assert_eq!((empty.capacity_bytes, empty.entries, empty.word_hits, empty.word_misses), (1 << 20, 0, 0, 0));
        evaluate_in_parts(&searcher, &caches, &strict, 0, 30, u64::MAX, true).expect("first");
        let first = caches.stats();
        // Two words over two segments, none kept yet.
        assert_eq!((first.word_hits, first.word_misses), (0, 4), "{first:?}");
        assert!(first.entries >= 4 && first.used_bytes > 0, "{first:?}");
        evaluate_in_parts(&searcher, &caches, &strict, 0, 30, u64::MAX, true).expect("again");
        let again = caches.stats();
        assert_eq!((again.word_hits, again.word_misses), (4, 4), "{again:?}");
        // A fixed budget stays whatever the index's size; the automatic one follows it.
        caches.bitsets.fit(100_000_000);
        assert_eq!(caches.stats().capacity_bytes, 1 << 20);
        let automatic = Caches::default();
        automatic.bitsets.fit(100_000_000);
        assert_eq!(automatic.stats().capacity_bytes, MAX_BITSET_CACHE_BYTES);
        automatic.bitsets.fit(1_000);
        assert_eq!(automatic.stats().capacity_bytes, MIN_BITSET_CACHE_BYTES);
    }

    #[test]
    fn a_filter_s_kept_live_documents_follow_deletions() {
        use crate::search::facets::{Packed, pack};
        let (index, fields, mut writer) = crate::search::schema::in_ram();
        for i in 0..200u32 {
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(fields.text_en, if i % 2 == 0 { "drone port" } else { "drone" });
            doc.add_text(fields.id, format!("d{i}"));
            let what = Packed { country: "FR", doc_type: "offer", published: true, trl: Some(5) };
            doc.add_u64(fields.facets, pack([], what));
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let reader = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into().expect("reader");
        let caches = Caches::default();
        // Widened (no document holds both words): every document is answered, through the filter's bitset.
        let plan = plan(fields.text_en, &["drone", "zebra"], 20);
        // Twice: the second search keeps the filter's bitset.
        for _ in 0..2 {
            let before = evaluate(&reader.searcher(), &caches, &plan, 0, 10).expect("search");
            assert_eq!(before.tally.total, 200);
        }
        assert!(caches.bitsets.entries().iter().sum::<usize>() > 1, "the word's and the filter's bitsets are kept");
        for i in 0..50u32 {
            writer.delete_term(Term::from_field_text(fields.id, &format!("d{i}")));
        }
        writer.commit().expect("commit deletes");
        reader.reload().expect("reload");
        let after = evaluate(&reader.searcher(), &caches, &plan, 0, 10).expect("search");
        assert_eq!(after.tally.total, 150, "the deleted documents are not answered");
        assert!(after.top.iter().all(|hit| hit.address.doc_id >= 50), "{:?}", after.top);
    }

    #[test]
    fn a_clause_s_kept_scores_are_found_by_document() {
        // Documents of a part of 1,000 holding the clause: every third, and a run of 130 across two 64-document
        // words (the first and last bits of a word, a full word); each with a score of its own.
        for size in [1000u32, 1024, 1] {
            let holds = |d: u32| d.is_multiple_of(3) || (300..430).contains(&d);
            let mut bits = vec![0u64; (size as usize).div_ceil(64)];
            for d in (0..size).filter(|&d| holds(d)) {
                bits[d as usize >> 6] |= 1 << (d & 63);
            }
            let score = |d: usize| 0.5 + d as Score / 7.0;
            let kept = ClauseScores::packed(bits, score);
            let range = 0..size;
            let scores = ClauseScores::new(&kept, &range).expect("an entry over the part");
            for d in 0..size {
                let expected = holds(d).then(|| score(d as usize));
                assert_eq!(scores.get(d as usize), expected, "document {d} of {size}");
            }
            // Not an entry of a larger part.
            assert!(ClauseScores::new(&kept, &(0..size * 200)).is_none());
        }
    }
}
