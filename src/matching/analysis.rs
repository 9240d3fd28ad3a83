//! Texts turned into weighted concepts that can meet across languages: stems (French and English stems of
//! cognates often coincide once accents are folded), thesaurus groups (`drone` and `UAV`), and the taxonomy terms a
//! text mentions. Weights are inverse document frequencies read from the index.
use std::collections::HashMap;

use rustc_hash::FxHashMap;

use tantivy::Searcher;
use tantivy::schema::IndexRecordOption;
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

/// Analyses texts, or weighs analyses stored earlier, against one index snapshot; caches inverse document
/// frequencies.
pub struct Analyser<'a> {
    searcher: &'a Searcher,
    fields: Fields,
    shared: &'a std::sync::Mutex<HashMap<String, f32>>,
    analyzers: Analyzers,
    idf: FxHashMap<String, f32>,
    docs: f32,
}

impl<'a> Analyser<'a> {
    pub fn new(searcher: &'a Searcher, generation: &'a Generation) -> Self {
        Self {
            searcher,
            fields: generation.fields,
            shared: &generation.idf_cache,
            analyzers: Analyzers::default(),
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
            .map(|field| self.doc_freq(&tantivy::Term::from_field_text(field, stem), !share))
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

    /// How many documents hold `term`. With `alive_only` (a small index, where a few documents count), documents
    /// deleted but not yet merged away (earlier versions of re-indexed ones) are left out, as they are from
    /// `docs`: otherwise a background merge would change the weights between two requests on the same data.
    fn doc_freq(&self, term: &tantivy::Term, alive_only: bool) -> u64 {
        if !alive_only {
            return self.searcher.doc_freq(term).unwrap_or(0);
        }
        let segment = |reader: &tantivy::SegmentReader| -> Option<u64> {
            let postings =
                reader.inverted_index(term.field()).ok()?.read_postings(term, IndexRecordOption::Basic).ok()??;
            Some(u64::from(match reader.alive_bitset() {
                Some(alive) => postings.doc_freq_given_deletes(alive),
                None => postings.doc_freq(),
            }))
        };
        self.searcher.segment_readers().iter().filter_map(segment).sum()
    }

    /// The concepts of `texts` written in `language` (`fr`, `en`, or unknown: both analyses), plus tags.
    pub fn concepts(&mut self, texts: &[&str], language: Option<&str>, tags: &[(&str, &[String])]) -> Concepts {
        let entries = analyse(texts, language, &mut self.analyzers);
        self.weigh(&entries.iter().map(|(k, w)| (k.as_str(), w.as_str())).collect::<Vec<_>>(), tags)
    }

    /// Concepts from texts analysed earlier (`Analysed`, kept with each offer and need), plus tags: only the weights
    /// are looked up.
    pub fn weigh(&mut self, analysed: &[(&str, &str)], tags: &[(&str, &[String])]) -> Concepts {
        let mut concepts = Concepts::default();
        concepts.terms.reserve(analysed.len() + tags.iter().map(|(_, ids)| ids.len()).sum::<usize>());
        for &(key, word) in analysed {
            let weight = if key.starts_with("g:") || key.starts_with("tax:") { CONCEPT_IDF } else { self.idf(key) };
            concepts.terms.entry(key.to_owned()).or_insert_with(|| (weight, word.to_owned()));
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

/// Texts analysed into concept keys, each with a word as people wrote it, in order of first appearance: stems,
/// thesaurus groups (`g:`) and the taxonomy terms the texts mention (`tax:`). It depends only on the texts and their
/// language, so it is computed when an offer or a need is written and kept with it (`Analysed::encode`); weights
/// are looked up when it is used.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysed {
    entries: Vec<(String, String)>,
    /// `fingerprint` of the texts analysed.
    texts: u32,
}

/// The start of an encoded analysis's first line, followed by the texts' fingerprint. Bump it whenever the analysis
/// changes (analyzers, thesaurus, taxonomy mentions; the golden test below fails until then): older encodings are
/// then ignored when read and rewritten at start-up (`Store::refresh_analyses`).
pub const ANALYSIS_VERSION: &str = "tandem-analysis 1";

/// A checksum of an item's title, description and language: a stored analysis is only used for the texts it was
/// made from (a body changed by other means, such as an older version of the service, is analysed when read).
pub fn fingerprint(title: &str, description: &str, language: Option<&str>) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    for part in [title, description, language.unwrap_or_default()] {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    hasher.finalize()
}

impl Analysed {
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, w)| (k.as_str(), w.as_str()))
    }

    /// The version line with the texts' fingerprint, then one line a concept, `key<TAB>word`. Keys and words hold no
    /// tabs or line breaks (tokens are alphanumeric, taxonomy ids are slugs).
    pub fn encode(&self) -> String {
        let size = self.entries.iter().map(|(k, w)| k.len() + w.len() + 2).sum::<usize>();
        let mut out = String::with_capacity(ANALYSIS_VERSION.len() + 10 + size);
        out.push_str(&format!("{ANALYSIS_VERSION} {:08x}\n", self.texts));
        for (key, word) in &self.entries {
            out.push_str(key);
            out.push('\t');
            out.push_str(word);
            out.push('\n');
        }
        out
    }

    /// The entries `encode` wrote for texts with this `fingerprint`, borrowed from the text; `None` for another
    /// version, other texts or a damaged encoding.
    pub fn decode(text: &str, fingerprint: u32) -> Option<Vec<(&str, &str)>> {
        let (first, rest) = text.split_once('\n')?;
        let made_from = first.strip_prefix(ANALYSIS_VERSION)?.strip_prefix(' ')?;
        if u32::from_str_radix(made_from, 16).ok()? != fingerprint {
            return None;
        }
        rest.split_terminator('\n').map(|line| line.split_once('\t')).collect()
    }
}

/// The French and English analyzers, built once and reused for many texts.
#[derive(Clone)]
pub struct Analyzers {
    fr: TextAnalyzer,
    en: TextAnalyzer,
}

impl Default for Analyzers {
    fn default() -> Self {
        Self { fr: analyzer(Some(Language::French)), en: analyzer(Some(Language::English)) }
    }
}

impl Analyzers {
    /// The analysis of an offer's or a need's title and description, in its language.
    pub fn item(&mut self, title: &str, description: &str, language: Option<&str>) -> Analysed {
        let entries = analyse(&[title, description], language, self);
        Analysed { entries, texts: fingerprint(title, description, language) }
    }

    /// The analysis of an offer's or a need's JSON body, encoded as the database keeps it.
    pub fn encoded(&mut self, body: &serde_json::Value) -> String {
        let text = |key: &str| body.get(key).and_then(serde_json::Value::as_str).unwrap_or_default();
        let language = body.get("language").and_then(serde_json::Value::as_str);
        self.item(text("title"), text("description"), language).encode()
    }
}

/// The concept keys of `texts` in `language` (`fr`, `en`, or unknown: both analyses), each with its word, first
/// appearance first.
fn analyse(texts: &[&str], language: Option<&str>, analyzers: &mut Analyzers) -> Vec<(String, String)> {
    let mut seen: rustc_hash::FxHashSet<String> = rustc_hash::FxHashSet::default();
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut push = |key: String, word: &str| {
        debug_assert!(!key.contains(['\t', '\n']) && !word.contains(['\t', '\n']), "{key:?} {word:?}");
        if !seen.contains(&key) {
            seen.insert(key.clone());
            entries.push((key, word.to_owned()));
        }
    };
    for text in texts.iter().filter(|t| !t.is_empty()) {
        let mut chosen: Vec<&mut TextAnalyzer> = Vec::with_capacity(2);
        match language {
            Some("fr") => chosen.push(&mut analyzers.fr),
            Some("en") => chosen.push(&mut analyzers.en),
            _ => {
                chosen.push(&mut analyzers.fr);
                chosen.push(&mut analyzers.en);
            }
        }
        let mut stems: Vec<(String, String)> = Vec::new();
        for analyzer in chosen {
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
                push(format!("g:{group}"), &word);
            }
            push(stem, &word);
        }
        for (facet, id) in taxonomy::mentions(text) {
            push(format!("tax:{}:{id}", facet.as_str()), id);
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLE: &str = "Détection de drones pour les ports";
    const DESCRIPTION: &str = "Des capteurs IoT et une IA repèrent les UAV ; cybersécurité des hôpitaux.";

    #[test]
    fn an_analysis_survives_encoding_and_is_refused_for_other_texts_or_versions() {
        let analysed = Analyzers::default().item(TITLE, DESCRIPTION, None);
        let keys: Vec<&str> = analysed.entries().map(|(k, _)| k).collect();
        assert!(keys.contains(&"g:drone"), "{keys:?}");
        assert!(keys.iter().any(|k| k.starts_with("tax:")), "{keys:?}");
        let encoded = analysed.encode();
        let made_from = fingerprint(TITLE, DESCRIPTION, None);
        assert_eq!(Analysed::decode(&encoded, made_from).expect("decoded"), analysed.entries().collect::<Vec<_>>());
        assert_eq!(Analysed::decode(&encoded, fingerprint(TITLE, "Autre texte", None)), None);
        assert_eq!(Analysed::decode(&encoded, fingerprint(TITLE, DESCRIPTION, Some("fr"))), None);
        assert_eq!(Analysed::decode(&encoded.replacen(ANALYSIS_VERSION, "tandem-analysis 0", 1), made_from), None);
        assert_eq!(Analysed::decode(&format!("{encoded}no tab here\n"), made_from), None);
        let empty = Analyzers::default().encoded(&serde_json::json!({"trl": 3}));
        assert_eq!(Analysed::decode(&empty, fingerprint("", "", None)), Some(Vec::new()));
    }

    /// The analysis of a fixed text, as stored. When this changes (a stemmer, the thesaurus or the taxonomy did),
    /// bump `ANALYSIS_VERSION` so that stored analyses are made again, then update the expected text.
    #[test]
    fn the_stored_analysis_of_a_known_text_is_unchanged() {
        let encoded = Analyzers::default().item(TITLE, DESCRIPTION, Some("fr")).encode();
        assert_eq!(encoded, GOLDEN);
    }

    const GOLDEN: &str = concat!(
        "tandem-analysis 1 68b81f96\n",
        "g:detection\tdétection\n",
        "detect\tdétection\n",
        "g:drone\tdrones\n",
        "dron\tdrones\n",
        "g:port\tports\n",
        "port\tports\n",
        "tax:sector:port\tport\n",
        "g:sensor\tcapteurs\n",
        "capteur\tcapteurs\n",
        "iot\tiot\n",
        "reperent\trepèrent\n",
        "uav\tuav\n",
        "cybersecurit\tcybersécurité\n",
        "g:hospital\thôpitaux\n",
        "hopital\thôpitaux\n",
        "tax:technology:ai\tai\n",
        "tax:technology:cybersecurity\tcybersecurity\n",
        "tax:technology:iot_sensors\tiot_sensors\n",
        "tax:sector:health\thealth\n",
    );

    #[test]
    fn concepts_weighed_from_a_stored_analysis_equal_those_of_the_texts() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let (generation, _) = Generation::open(dir.path(), "g", Default::default()).expect("index");
        let searcher = generation.reader.searcher();
        let mut analyser = Analyser::new(&searcher, &generation);
        let tags = ["ai".to_owned()];
        let tags: [(&str, &[String]); 1] = [("technology", &tags)];
        for language in [None, Some("fr"), Some("en")] {
            let stored = Analyzers::default().item(TITLE, DESCRIPTION, language).encode();
            let made_from = fingerprint(TITLE, DESCRIPTION, language);
            let weighed = analyser.weigh(&Analysed::decode(&stored, made_from).expect("decoded"), &tags);
            let direct = analyser.concepts(&[TITLE, DESCRIPTION], language, &tags);
            let mut a: Vec<_> = weighed.terms.iter().collect();
            let mut b: Vec<_> = direct.terms.iter().collect();
            a.sort_by(|x, y| x.0.cmp(y.0));
            b.sort_by(|x, y| x.0.cmp(y.0));
            assert_eq!(a, b, "{language:?}");
            assert!(a.len() > 5);
            assert_eq!(weighed.total, direct.total);
        }
    }
}
