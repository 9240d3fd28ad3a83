//! Texts turned into weighted concepts that can meet across languages: stems (French and English stems of
//! cognates often coincide once accents are folded), thesaurus groups (`drone` and `UAV`), and the taxonomy terms a
//! text mentions. Weights are inverse document frequencies read from the index.
use std::collections::HashMap;

use rustc_hash::FxHashMap;

use tantivy::Searcher;
use tantivy::tokenizer::{Language, TextAnalyzer};

use crate::domain::taxonomy;
use crate::search::query::thesaurus_group;
use crate::search::schema::analyzer;
use crate::search::{Fields, Generation};

/// The weight given to a thesaurus group or a taxonomy term: as informative as a fairly rare word.
const CONCEPT_IDF: f32 = 3.0;
/// From this many documents on, inverse document frequencies are cached for the generation's lifetime.
const SHARED_IDF_FROM_DOCS: f32 = 20_000.0;
/// Only the most informative concepts of a long text count.
const MAX_CONCEPTS: usize = 150;

#[derive(Debug, Clone, Default)]
pub struct Concepts {
    /// Concept key → (weight, a word as people wrote it, for explanations).
    /// A fast hasher: matching looks these up millions of times per call (SipHash was a quarter of the time).
    pub terms: FxHashMap<String, (f32, String)>,
    pub total: f32,
}

impl Concepts {
    /// The share of this text's weight that `other` also carries: how well `other` covers it, in [0, 1].
    pub fn covered_by(&self, other: &Concepts) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let shared: f32 = self.terms.iter().filter(|(k, _)| other.terms.contains_key(*k)).map(|(_, (w, _))| *w).sum();
        f64::from(shared / self.total)
    }

    /// The words both texts share, the weightiest first.
    pub fn shared_words(&self, other: &Concepts, limit: usize) -> Vec<String> {
        let mut shared: Vec<(&f32, &String)> = self
            .terms
            .iter()
            .filter(|(k, _)| other.terms.contains_key(*k) && !k.starts_with("tax:"))
            .map(|(_, (w, word))| (w, word))
            .collect();
        shared.sort_by(|a, b| b.0.total_cmp(a.0).then_with(|| a.1.cmp(b.1)));
        let mut out: Vec<String> = Vec::new();
        for (_, word) in shared {
            if !out.contains(word) {
                out.push(word.clone());
            }
            if out.len() == limit {
                break;
            }
        }
        out
    }
}

/// Analyses texts against one index snapshot; caches inverse document frequencies.
pub struct Analyser<'a> {
    searcher: &'a Searcher,
    fields: Fields,
    shared: &'a std::sync::Mutex<HashMap<String, f32>>,
    fr: TextAnalyzer,
    en: TextAnalyzer,
    idf: FxHashMap<String, f32>,
    docs: f32,
}

impl<'a> Analyser<'a> {
    pub fn new(searcher: &'a Searcher, generation: &'a Generation) -> Self {
        Self {
            searcher,
            fields: generation.fields,
            shared: &generation.idf_cache,
            fr: analyzer(Some(Language::French)),
            en: analyzer(Some(Language::English)),
            idf: FxHashMap::default(),
            docs: searcher.num_docs().max(1) as f32,
        }
    }

    fn idf(&mut self, stem: &str) -> f32 {
        if let Some(idf) = self.idf.get(stem) {
            return *idf;
        }
        // Only large indexes share their IDFs across requests: there a few documents more or less change
        // nothing, while a young index's frequencies still move.
        let share = self.docs >= SHARED_IDF_FROM_DOCS;
        let cached = if share {
            match self.shared.lock() {
                Ok(cache) => cache.get(stem).copied(),
                Err(poisoned) => poisoned.into_inner().get(stem).copied(),
            }
        } else {
            None
        };
        if let Some(idf) = cached {
            self.idf.insert(stem.to_owned(), idf);
            return idf;
        }
        let df = [self.fields.text_fr, self.fields.text_en]
            .into_iter()
            .map(|field| self.searcher.doc_freq(&tantivy::Term::from_field_text(field, stem)).unwrap_or(0))
            .max()
            .unwrap_or(0) as f32;
        let idf = (1.0 + (self.docs - df + 0.5) / (df + 0.5)).ln();
        self.idf.insert(stem.to_owned(), idf);
        if share
            && let Ok(mut cache) = self.shared.lock()
            && cache.len() < 1_000_000
        {
            cache.insert(stem.to_owned(), idf);
        }
        idf
    }

    /// The concepts of `texts` written in `language` (`fr`, `en`, or unknown: both analyses), plus tags.
    pub fn concepts(&mut self, texts: &[&str], language: Option<&str>, tags: &[(&str, &[String])]) -> Concepts {
        let mut concepts = Concepts::default();
        for text in texts.iter().filter(|t| !t.is_empty()) {
            let mut analyzers: Vec<&mut TextAnalyzer> = Vec::with_capacity(2);
            match language {
                Some("fr") => analyzers.push(&mut self.fr),
                Some("en") => analyzers.push(&mut self.en),
                _ => {
                    analyzers.push(&mut self.fr);
                    analyzers.push(&mut self.en);
                }
            }
            let mut stems: Vec<(String, String)> = Vec::new();
            for analyzer in analyzers {
                let mut stream = analyzer.token_stream(text);
                while let Some(token) = stream.next() {
                    if token.text.len() >= 3 {
                        stems.push((token.text.clone(), text[token.offset_from..token.offset_to].to_lowercase()));
                    }
                }
            }
            for (stem, word) in stems {
                let folded = taxonomy::fold(&word);
                if let Some(group) = thesaurus_group(&folded) {
                    concepts.terms.entry(format!("g:{group}")).or_insert((CONCEPT_IDF, word.clone()));
                }
                if let std::collections::hash_map::Entry::Vacant(slot) = concepts.terms.entry(stem) {
                    let idf = self.idf(slot.key());
                    slot.insert((idf, word));
                }
            }
            for (facet, id) in taxonomy::mentions(text) {
                concepts.terms.entry(format!("tax:{}:{id}", facet.as_str())).or_insert((CONCEPT_IDF, id.to_owned()));
            }
        }
        for (facet, ids) in tags {
            for id in *ids {
                concepts.terms.entry(format!("tax:{facet}:{id}")).or_insert((CONCEPT_IDF, id.clone()));
            }
        }
        if concepts.terms.len() > MAX_CONCEPTS {
            let mut weights: Vec<f32> = concepts.terms.values().map(|(w, _)| *w).collect();
            weights.sort_by(|a, b| b.total_cmp(a));
            let floor = weights[MAX_CONCEPTS - 1];
            concepts.terms.retain(|_, (w, _)| *w >= floor);
        }
        concepts.total = concepts.terms.values().map(|(w, _)| *w).sum();
        concepts
    }
}
