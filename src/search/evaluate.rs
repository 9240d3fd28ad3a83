//! Runs a search term-at-a-time, straight on the postings: each term of each word is decoded a block of 128
//! documents at a time and its BM25 score added to a per-document array, with the word's bit in a per-document
//! mask. Documents matching every word, or half of them when too few do, then pass the filters (one read of the
//! packed facet column) and are counted (facets) and ranked (top k) in one sweep. One walk of the postings serves
//! both the strict and the widened result set, and no per-document call goes through a boxed scorer.
use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::query::{Bm25Weight, EnableScoring, Query, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, Term};

use super::facets::{self, Filter, Tally};

/// The most words a search may require (one bit each in a document's mask).
pub const MAX_WORDS: usize = 32;

/// One word of a search, or a clause that only ranks: a document matches it when it holds any of its terms.
#[derive(Default)]
pub struct Clause {
    /// BM25-scored terms, each with its boost; a document's score is the sum over the terms it holds.
    pub scored: Vec<(Term, Score)>,
    /// Groups of terms adding a constant once to each document holding any of them (one-typo expansions).
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
}

pub struct Outcome {
    pub tally: Tally,
    /// The page: `limit` hits after `offset`, best first.
    pub top: Vec<(Score, DocAddress)>,
}

/// A hit ranked by score, then by address (as tantivy's `TopDocs` breaks ties).
#[derive(PartialEq)]
struct Ranked(Score, DocAddress);

impl Eq for Ranked {}

impl Ord for Ranked {
    /// Better hits are smaller, so that the heap's top is the worst hit kept.
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then_with(|| self.1.cmp(&other.1))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A clause with its terms' BM25 weights, computed once over the whole index.
struct Weighted {
    scored: Vec<(Term, Bm25Weight)>,
    constant: Vec<(Vec<Term>, Score)>,
}

fn weigh(searcher: &Searcher, clause: &Clause) -> tantivy::Result<Weighted> {
    let scored = clause
        .scored
        .iter()
        .map(|(term, boost)| {
            Ok((term.clone(), Bm25Weight::for_terms(searcher, std::slice::from_ref(term))?.boost_by(*boost)))
        })
        .collect::<tantivy::Result<_>>()?;
    Ok(Weighted { scored, constant: clause.constant.clone() })
}

/// Per-document accumulators of one segment.
struct Accumulator {
    scores: Vec<Score>,
    masks: Vec<u32>,
    /// Scratch: documents already given a constant group's score.
    seen: Vec<u64>,
}

impl Accumulator {
    fn new(size: usize) -> Self {
        Self { scores: vec![0.0; size], masks: vec![0; size], seen: vec![0; size.div_ceil(64)] }
    }

    /// Adds a clause's scores; `bit` (0 for a clause that only ranks) marks the documents that match it.
    fn add(&mut self, reader: &SegmentReader, clause: &Weighted, bit: u32) -> tantivy::Result<()> {
        for (term, weight) in &clause.scored {
            let inverted = reader.inverted_index(term.field())?;
            let Some(mut block) = inverted.read_block_postings(term, IndexRecordOption::WithFreqs)? else { continue };
            let norms = reader.fieldnorms_readers().get_field(term.field())?;
            loop {
                let docs = block.docs();
                if docs.is_empty() {
                    break;
                }
                let freqs = block.freqs();
                for (i, &doc) in docs.iter().enumerate() {
                    let d = doc as usize;
                    let norm = norms.as_ref().map_or(1, |n| n.fieldnorm_id(doc));
                    let freq = freqs.get(i).copied().unwrap_or(1);
                    self.scores[d] += weight.score(norm, freq);
                    self.masks[d] |= bit;
                }
                block.advance();
            }
        }
        for (terms, constant) in &clause.constant {
            self.seen.fill(0);
            for term in terms {
                let inverted = reader.inverted_index(term.field())?;
                let Some(mut block) = inverted.read_block_postings(term, IndexRecordOption::Basic)? else { continue };
                loop {
                    let docs = block.docs();
                    if docs.is_empty() {
                        break;
                    }
                    for &doc in docs {
                        let (d, word, flag) = (doc as usize, doc as usize / 64, 1u64 << (doc % 64));
                        if self.seen[word] & flag == 0 {
                            self.seen[word] |= flag;
                            self.scores[d] += constant;
                            self.masks[d] |= bit;
                        }
                    }
                    block.advance();
                }
            }
        }
        Ok(())
    }
}

/// Documents of one segment that match enough words and pass the filters: (doc, words matched, score, packed).
struct Candidates {
    segment: u32,
    docs: Vec<(DocId, u8, Score, u64)>,
}

pub fn evaluate(searcher: &Searcher, plan: &Plan, offset: usize, limit: usize) -> tantivy::Result<Outcome> {
    if plan.words.len() > MAX_WORDS {
        return Err(tantivy::TantivyError::InvalidArgument(format!("more than {MAX_WORDS} words")));
    }
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let words = plan.words.iter().map(|c| weigh(searcher, c)).collect::<tantivy::Result<Vec<_>>>()?;
    let optional = plan.optional.iter().map(|c| weigh(searcher, c)).collect::<tantivy::Result<Vec<_>>>()?;
    let required: Vec<Box<dyn Weight>> =
        plan.required.iter().map(|q| q.weight(scoring)).collect::<tantivy::Result<_>>()?;
    let all = plan.words.len() as u32;
    let least = if words.is_empty() { 0 } else { plan.widened.clamp(1, words.len()) as u32 };
    let browsing = words.is_empty() && required.is_empty();

    let mut segments = Vec::with_capacity(searcher.segment_readers().len());
    let mut strict = 0;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        if !plan.filter.possible() {
            break;
        }
        let size = reader.max_doc() as usize;
        let mut acc = Accumulator::new(size);
        for (w, clause) in words.iter().enumerate() {
            acc.add(reader, clause, 1 << w)?;
        }
        let mut phrases = vec![0u8; if required.is_empty() { 0 } else { size }];
        for weight in &required {
            weight.for_each(reader, &mut |doc, score| {
                acc.scores[doc as usize] += score;
                phrases[doc as usize] = phrases[doc as usize].saturating_add(1);
            })?;
        }
        for clause in &optional {
            acc.add(reader, clause, 0)?;
        }
        let column = facets::column(reader)?;
        let alive = reader.alive_bitset();
        let mut docs = Vec::new();
        for (i, (&mask, &score)) in acc.masks.iter().zip(&acc.scores).enumerate() {
            let matched = mask.count_ones();
            if matched < least || (!required.is_empty() && usize::from(phrases[i]) < required.len()) {
                continue;
            }
            let doc = i as DocId;
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let packed = column.get_val(doc);
            if !plan.filter.accepts(packed) {
                continue;
            }
            strict += usize::from(matched == all);
            // Browsing (no words) ranks every document alike, in index order.
            let score = if browsing { 1.0 } else { score };
            docs.push((doc, matched as u8, score, packed));
        }
        segments.push(Candidates { segment: ord as u32, docs });
    }

    let needed = if strict >= plan.min_strict { all } else { least } as u8;
    let keep = offset + limit;
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(keep + 1);
    let mut tally = Tally::default();
    for candidates in &segments {
        for &(doc, matched, score, packed) in &candidates.docs {
            if matched < needed {
                continue;
            }
            tally.add(packed);
            let hit = Ranked(score, DocAddress::new(candidates.segment, doc));
            if heap.len() < keep {
                heap.push(hit);
            } else if heap.peek().is_some_and(|worst| hit < *worst) {
                heap.pop();
                heap.push(hit);
            }
        }
    }
    let top = heap.into_sorted_vec().into_iter().skip(offset).map(|Ranked(score, address)| (score, address)).collect();
    Ok(Outcome { tally, top })
}
