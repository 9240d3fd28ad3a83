//! One-typo expansions: the words of a field within one edit of a query word (a swap of two letters counts as one),
//! found by running a Levenshtein automaton over each segment's term dictionary. A query then matches those words
//! exactly, however many passes it takes (counting, then ranking). Segments never change once written, so the
//! expansions are kept per segment: after a commit only the new segments are searched again.
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};
use tantivy::Searcher;

use super::evaluate::executor;
use tantivy::index::SegmentId;
use tantivy::schema::Field;

/// Building the builder's tables is costly: once per process.
static BUILDER: LazyLock<LevenshteinAutomatonBuilder> = LazyLock::new(|| LevenshteinAutomatonBuilder::new(1, true));
/// Entries kept before the cache starts afresh (those of merged-away segments go with them).
const MAX_ENTRIES: usize = 50_000;

struct Automaton<'a>(&'a DFA);

impl tantivy_fst::Automaton for Automaton<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

type Key = (SegmentId, Field, String);

#[derive(Default)]
pub struct FuzzyCache {
    entries: Mutex<HashMap<Key, Arc<[String]>>>,
}

impl FuzzyCache {
    fn lock(&self) -> MutexGuard<'_, HashMap<Key, Arc<[String]>>> {
        match self.entries.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The indexed words of `field` within one edit of `word` (itself included), in any segment of `searcher`.
    /// Segments not seen before are searched side by side on the search threads.
    pub fn expand(&self, searcher: &Searcher, field: Field, word: &str) -> tantivy::Result<BTreeSet<String>> {
        let segments = searcher.segment_readers();
        let mut out = BTreeSet::new();
        let mut missing = Vec::new();
        {
            let entries = self.lock();
            for segment in segments {
                match entries.get(&(segment.segment_id(), field, word.to_owned())) {
                    Some(terms) => out.extend(terms.iter().cloned()),
                    None => missing.push(segment),
                }
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let dfa = BUILDER.build_dfa(word);
        let found = executor(missing.len()).map(
            |segment| {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted.terms().search(Automaton(&dfa)).into_stream()?;
                let mut terms = Vec::new();
                while stream.advance() {
                    if let Ok(term) = std::str::from_utf8(stream.key()) {
                        terms.push(term.to_owned());
                    }
                }
                Ok((segment.segment_id(), Arc::<[String]>::from(terms)))
            },
            missing.into_iter(),
        )?;
        let mut entries = self.lock();
        if entries.len() + found.len() > MAX_ENTRIES {
            entries.clear();
        }
        for (segment, terms) in found {
            out.extend(terms.iter().cloned());
            entries.insert((segment, field, word.to_owned()), terms);
        }
        Ok(out)
    }
}
