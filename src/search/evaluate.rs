//! Runs a search term-at-a-time: each word's clause walks its postings once, adding its score and one match to
//! per-document arrays. Documents matching every word, or half of them when too few do, then pass the filters
//! and are counted (facets) and ranked (top k) in one sweep. One walk of the postings serves both the strict and
//! the widened result set, where a minimum-should-match disjunction would cost a heap operation per posting.
use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::query::{BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, TERMINATED};

use super::facets::{FacetCounts, Tally};

/// A search, clause by clause.
pub struct Plan {
    /// Significant words: a document must match all of them, or `widened` of them when fewer than `min_strict`
    /// documents match all.
    pub words: Vec<Box<dyn Query>>,
    pub widened: usize,
    pub min_strict: usize,
    /// Scored, required: quoted phrases.
    pub required: Vec<Box<dyn Query>>,
    /// Scored, not required: stop words, taxonomy terms the query mentions.
    pub optional: Vec<Box<dyn Query>>,
    /// Required, not scored.
    pub filters: Vec<Box<dyn Query>>,
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

/// Documents of one segment that match enough words and pass the filters: (doc, words matched, score).
struct Candidates {
    segment: u32,
    docs: Vec<(DocId, u8, Score)>,
}

pub fn evaluate(searcher: &Searcher, plan: &Plan, offset: usize, limit: usize) -> tantivy::Result<Outcome> {
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let weights = |queries: &[Box<dyn Query>]| -> tantivy::Result<Vec<Box<dyn Weight>>> {
        queries.iter().map(|q| q.weight(scoring)).collect()
    };
    let (words, required, optional) = (weights(&plan.words)?, weights(&plan.required)?, weights(&plan.optional)?);
    let filters: Vec<(Occur, Box<dyn Query>)> = plan
        .filters
        .iter()
        .map(|q| (Occur::Must, Box::new(ConstScoreQuery::new(q.box_clone(), 0.0)) as Box<dyn Query>))
        .collect();
    let filter = if filters.is_empty() {
        None
    } else {
        Some(BooleanQuery::new(filters).weight(EnableScoring::disabled_from_searcher(searcher))?)
    };
    let all = plan.words.len() as u8;
    let least = if words.is_empty() { 0 } else { plan.widened.clamp(1, words.len()) as u8 };

    let mut segments = Vec::with_capacity(searcher.segment_readers().len());
    let mut strict = 0;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let size = reader.max_doc() as usize;
        let mut scores = vec![0.0f32; size];
        let mut matched = vec![0u8; size];
        for weight in &words {
            weight.for_each(reader, &mut |doc, score| {
                scores[doc as usize] += score;
                matched[doc as usize] += 1;
            })?;
        }
        let mut phrases = vec![0u8; if required.is_empty() { 0 } else { size }];
        for weight in &required {
            weight.for_each(reader, &mut |doc, score| {
                scores[doc as usize] += score;
                phrases[doc as usize] += 1;
            })?;
        }
        let mut filter = filter.as_ref().map(|w| w.scorer(reader, 1.0)).transpose()?;
        let alive = reader.alive_bitset();
        let mut docs = Vec::new();
        for doc in 0..size as DocId {
            let i = doc as usize;
            if matched[i] < least
                || (!required.is_empty() && phrases[i] < required.len() as u8)
                || alive.is_some_and(|a| !a.is_alive(doc))
            {
                continue;
            }
            if let Some(filter) = filter.as_mut() {
                if filter.doc() < doc {
                    filter.seek(doc);
                }
                if filter.doc() == TERMINATED {
                    break;
                }
                if filter.doc() != doc {
                    continue;
                }
            }
            strict += usize::from(matched[i] == all);
            docs.push((doc, matched[i], scores[i]));
        }
        if !optional.is_empty() && !docs.is_empty() {
            let mut extra = vec![0.0f32; size];
            for weight in &optional {
                weight.for_each(reader, &mut |doc, score| extra[doc as usize] += score)?;
            }
            for (doc, _, score) in &mut docs {
                *score += extra[*doc as usize];
            }
        }
        segments.push(Candidates { segment: ord as u32, docs });
    }

    let needed = if strict >= plan.min_strict { all } else { least };
    let keep = offset + limit;
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(keep + 1);
    let mut tally = Tally::default();
    for candidates in &segments {
        let reader = &searcher.segment_readers()[candidates.segment as usize];
        let mut counter = FacetCounts::for_reader(reader)?;
        for &(doc, matched, score) in &candidates.docs {
            if matched < needed {
                continue;
            }
            counter.add(doc);
            // Browsing (no words) ranks every document alike, in index order.
            let score = if words.is_empty() && required.is_empty() { 1.0 } else { score };
            let hit = Ranked(score, DocAddress::new(candidates.segment, doc));
            if heap.len() < keep {
                heap.push(hit);
            } else if heap.peek().is_some_and(|worst| hit < *worst) {
                heap.pop();
                heap.push(hit);
            }
        }
        tally.merge(counter.finish());
    }
    let top = heap.into_sorted_vec().into_iter().skip(offset).map(|Ranked(score, address)| (score, address)).collect();
    Ok(Outcome { tally, top })
}
