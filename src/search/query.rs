//! From what a user types to a tantivy query, and back to hits with snippets and facet counts.
//!
//! Each word of the query may match the French text (stemmed), the English text (stemmed), the name (whole words)
//! or the keywords (taxonomy labels in both languages, free keywords); a word of five letters or more may also match
//! with one typo, scored below exact matches; a word that names a taxonomy term (`hôpital`, `cybersecurty`) also
//! matches documents tagged with it, whatever their language; a small thesaurus adds cross-language equivalents
//! (`drone` and `UAV`). Every word must match, except stop words of either language, which only rank; when fewer
//! than `MIN_STRICT_HITS` documents match them all, the search widens to documents matching half of them (one of
//! two), those matching more words first (each hit says how many: `words_matched`). Quoted phrases must match as
//! phrases. `evaluate.rs` runs the result.
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value as _};
use tantivy::tokenizer::{Language, TextAnalyzer};
use tantivy::{Searcher, TantivyDocument, Term};

use super::evaluate::{Clause, Outcome, Plan, Ranked, evaluate, executor};
use super::facets::Filter;
use super::highlight::{Targets, highlight};
use super::schema::{CachedStemmer, Fields, analyzer, tokens, unstemmed};
use super::{Generation, SearchError};
use crate::domain::taxonomy::{self, Facet};

pub const MAX_QUERY_CHARS: usize = 300;
const SNIPPET_CHARS: usize = 160;

/// Equivalent words across French and English (and jargon), folded. A word found here also searches the others.
const THESAURUS: &[&[&str]] = &[
    &["drone", "drones", "uav", "uavs", "uas", "rpas"],
    &["ransomware", "rancongiciel", "rancongiciels", "ransomwares"],
    &["cctv", "videoprotection", "videosurveillance", "camera", "cameras"],
    &["flood", "floods", "flooding", "inondation", "inondations", "crue", "crues"],
    &["wildfire", "wildfires", "incendie", "incendies", "feux"],
    &["hospital", "hospitals", "hopital", "hopitaux", "chu", "clinique"],
    &["port", "ports", "portuaire", "portuaires", "harbour", "harbor", "maritime"],
    &["intrusion", "intrusions", "breach"],
    &["surveillance", "monitoring", "supervision"],
    &["alert", "alerts", "alerte", "alertes", "warning"],
    &["earthquake", "seisme", "seismes"],
    &["water", "eau", "eaux"],
    &["energy", "energie", "grid", "reseau electrique"],
    &["network", "networks", "reseau", "reseaux"],
    &["sensor", "sensors", "capteur", "capteurs"],
    &["crowd", "crowds", "foule", "foules"],
    &["attack", "attacks", "attaque", "attaques", "cyberattack", "cyberattaque", "cyberattaques"],
    &["threat", "threats", "menace", "menaces"],
    &["anomaly", "anomalies", "anomalie"],
    &["detection", "detect", "detecter", "reperage"],
    &["city", "cities", "ville", "villes", "municipality", "commune", "communes", "metropole"],
    &["emergency", "emergencies", "urgence", "urgences", "secours"],
    &["firefighters", "pompiers", "sdis"],
    &["police", "gendarmerie"],
    &["railway", "rail", "ferroviaire"],
    &["airport", "airports", "aeroport", "aeroports"],
    &["tunnel", "tunnels"],
    &["bridge", "bridges", "pont", "ponts"],
    &["pollution", "pollutions"],
    &["satellite", "satellites", "spatial", "space"],
    &["twin", "jumeau"],
    &["evacuation", "evacuations"],
    &["resilience", "resilient"],
];

#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    pub doc_type: Option<String>,
    pub technology: Option<String>,
    pub domain: Option<String>,
    pub sector: Option<String>,
    pub kind: Option<String>,
    pub country: Option<String>,
    pub trl_min: Option<u64>,
    pub limit: usize,
    pub offset: usize,
    /// Brokers and administrators also find unpublished profiles.
    pub include_unpublished: bool,
}

/// A query string split into words and quoted phrases.
#[derive(Debug, PartialEq, Eq)]
pub struct Parsed {
    pub words: Vec<String>,
    pub phrases: Vec<String>,
}

/// Splits a query; an unbalanced quote or an over-long query is the client's mistake.
pub fn parse(q: &str) -> Result<Parsed, String> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(format!("is longer than {MAX_QUERY_CHARS} characters"));
    }
    if q.chars().filter(|c| *c == '"').count() % 2 == 1 {
        return Err("has an unbalanced double quote".to_owned());
    }
    let mut words = Vec::new();
    let mut phrases = Vec::new();
    for (i, part) in q.split('"').enumerate() {
        if i % 2 == 1 {
            if !part.trim().is_empty() {
                phrases.push(part.trim().to_owned());
            }
        } else {
            words.extend(part.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned));
        }
    }
    if words.len() > 32 {
        return Err("has more than 32 words".to_owned());
    }
    Ok(Parsed { words, phrases })
}

/// The thesaurus group a folded word belongs to, named by its first word.
pub fn thesaurus_group(folded: &str) -> Option<&'static str> {
    THESAURUS.iter().find(|group| group.contains(&folded)).map(|group| group[0])
}

fn equivalents(folded: &str) -> Vec<&'static str> {
    THESAURUS
        .iter()
        .filter(|group| group.contains(&folded))
        .flat_map(|group| group.iter().copied().filter(|w| *w != folded))
        .collect()
}

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn facet_field(fields: &Fields, facet: Facet) -> Option<Field> {
    match facet {
        Facet::Technology => Some(fields.technology),
        Facet::Domain => Some(fields.domain),
        Facet::Sector => Some(fields.sector),
        Facet::Kind => None,
    }
}

struct Analyzers {
    fr: TextAnalyzer,
    en: TextAnalyzer,
    neutral: TextAnalyzer,
    /// The same without their stemmers, and the stemmers (snippets), in the order of `Built::targets`.
    words: [(TextAnalyzer, Option<CachedStemmer>); 3],
}

/// The search, and what snippets should mark in each text field.
struct Built {
    plan: Plan,
    /// French text, English text, names (the order of `Analyzers::words`).
    targets: [(Field, Targets); 3],
}

/// Below this many documents matching every word, the search also accepts documents matching half of them (one of
/// two). A constant, not the page size, so that every page of a search reads the same result set.
const MIN_STRICT_HITS: usize = 20;

fn build(
    generation: &Generation,
    searcher: &Searcher,
    analyzers: &mut Analyzers,
    parsed: &Parsed,
    request: &SearchRequest,
) -> Result<Built, SearchError> {
    let fields = &generation.fields;
    let mut targets =
        [(fields.text_fr, Targets::default()), (fields.text_en, Targets::default()), (fields.name, Targets::default())];
    // Each word's clause, and whether it counts as a word of its own (not a stop word in either language).
    let mut word_clauses: Vec<(Clause, bool)> = Vec::new();
    for word in &parsed.words {
        let folded = taxonomy::fold(word);
        let mut clause = Clause::default();
        let mut forms = vec![(folded.clone(), 1.0)];
        forms.extend(equivalents(&folded).into_iter().map(|w| (w.to_owned(), 0.8)));
        for (form, boost) in &forms {
            for (slot, analyzer, field, weight) in [
                (0, &mut analyzers.fr, fields.text_fr, 1.0),
                (1, &mut analyzers.en, fields.text_en, 1.0),
                (2, &mut analyzers.neutral, fields.name, 1.5),
            ] {
                for token in tokens(analyzer, form) {
                    clause.scored.push((term(field, &token), boost * weight));
                    if slot == 2 {
                        clause.scored.push((term(fields.keywords, &token), boost * 0.7));
                    }
                    targets[slot].1.add_exact([token]);
                }
            }
        }
        // Forms often share a stem (`sensors`, `sensor`; `capteurs`, `capteur`): each term is read once, with the
        // highest boost it was given.
        clause.scored.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        clause.scored.dedup_by(|later, kept| later.0 == kept.0);
        if clause.is_empty() {
            continue; // a stop word in every language
        }
        if folded.chars().count() >= 5 && !folded.contains(' ') {
            // One typo allowed, matched against the words as written and scored below any exact match.
            // A document holding the word itself matches the scored terms: the same base, and typos only below.
            clause.base = 0.3;
            let stems = (tokens(&mut analyzers.fr, &folded), tokens(&mut analyzers.en, &folded));
            for field in [fields.text_all, fields.keywords] {
                let words = generation.fuzzy.expand(searcher, field, &folded)?;
                let mut near = Vec::new();
                for w in words.iter().filter(|w| **w != folded) {
                    // A near word with the word's stems in both languages (`sensors` for `sensor`) adds nothing
                    // in the texts, which the stemmed terms already match: only in the names (not stemmed).
                    let redundant = field == fields.text_all
                        && !stems.0.is_empty()
                        && !stems.1.is_empty()
                        && tokens(&mut analyzers.fr, w) == stems.0
                        && tokens(&mut analyzers.en, w) == stems.1;
                    near.push(term(if redundant { fields.name } else { field }, w));
                }
                if !near.is_empty() {
                    clause.constant.push((near, 0.3));
                }
                if field == fields.text_all {
                    for (_, targets) in &mut targets {
                        targets.add_fuzzy(words.iter().cloned());
                    }
                }
            }
        }
        for facet in [Facet::Technology, Facet::Domain, Facet::Sector] {
            if let (Some(id), Some(field)) = (taxonomy::exact(facet, word), facet_field(fields, facet)) {
                clause.scored.push((term(field, id), 1.0));
            }
        }
        let significant =
            !tokens(&mut analyzers.fr, &folded).is_empty() && !tokens(&mut analyzers.en, &folded).is_empty();
        word_clauses.push((clause, significant));
    }

    // Stop words (`de`, `the`) only rank, unless the query has nothing else.
    let significant = word_clauses.iter().filter(|(_, s)| *s).count();
    let mut plan = Plan {
        words: Vec::new(),
        widened: 1,
        min_strict: MIN_STRICT_HITS,
        required: Vec::new(),
        optional: Vec::new(),
        filter: Filter::default(),
        facets: true,
    };
    for (clause, is_significant) in word_clauses {
        if is_significant || significant == 0 { plan.words.push(clause) } else { plan.optional.push(clause) }
    }
    plan.widened = plan.words.len().div_ceil(2);
    if !plan.words.is_empty() {
        for (facet, id) in taxonomy::mentions(&request.q) {
            if let Some(field) = facet_field(fields, facet) {
                plan.optional.push(Clause { scored: vec![(term(field, id), 0.5)], ..Clause::default() });
            }
        }
    }
    for phrase in &parsed.phrases {
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (slot, analyzer, field) in [
            (0, &mut analyzers.fr, fields.text_fr),
            (1, &mut analyzers.en, fields.text_en),
            (2, &mut analyzers.neutral, fields.name),
        ] {
            let words = tokens(analyzer, phrase);
            targets[slot].1.add_exact(words.iter().cloned());
            let terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(field, w)).collect();
            match terms.len() {
                0 => {}
                1 => alternatives
                    .push((Occur::Should, Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs)))),
                _ => alternatives.push((Occur::Should, Box::new(PhraseQuery::new(terms)))),
            }
        }
        if !alternatives.is_empty() {
            plan.required.push(Box::new(BooleanQuery::new(alternatives)));
        }
    }
    let filter = &mut plan.filter;
    for (facet, value) in [
        (Facet::Technology, &request.technology),
        (Facet::Domain, &request.domain),
        (Facet::Sector, &request.sector),
        (Facet::Kind, &request.kind),
    ] {
        if let Some(value) = value {
            filter.tag(facet, value);
        }
    }
    if let Some(doc_type) = &request.doc_type {
        filter.doc_type(doc_type);
    }
    if let Some(country) = &request.country {
        filter.country(country);
    }
    if let Some(trl) = request.trl_min {
        filter.trl_min(trl);
    }
    if !request.include_unpublished {
        filter.published();
    }
    Ok(Built { plan, targets })
}

fn first_text(doc: &TantivyDocument, field: Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

thread_local! {
    /// Building the stemmers is not free: each thread keeps its own analyzers.
    static ANALYZERS: std::cell::Cell<Option<Box<Analyzers>>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with this thread's analyzers, taken out meanwhile. A search thread that waits for the parts of its
/// search (typo expansions, say) may run another search's task in the meantime, on the same thread: that task finds
/// none and builds its own, where a borrow held across the wait would have panicked.
fn with_analyzers<R>(f: impl FnOnce(&mut Analyzers) -> R) -> R {
    let mut analyzers = ANALYZERS.take().unwrap_or_else(|| {
        Box::new(Analyzers {
            fr: analyzer(Some(Language::French)),
            en: analyzer(Some(Language::English)),
            neutral: analyzer(None),
            words: [unstemmed(Some(Language::French)), unstemmed(Some(Language::English)), unstemmed(None)],
        })
    });
    let out = f(&mut analyzers);
    ANALYZERS.set(Some(analyzers));
    out
}

/// A search's answer (the API adds the sequence number the index has applied).
#[derive(Debug, serde::Serialize)]
pub struct Answer {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: super::facets::Counts,
    pub next_cursor: Option<String>,
}

/// One hit, as its stored document says, with snippets: `name` for an organisation, `title` for an offer or a need.
#[derive(Debug, serde::Serialize)]
pub struct Hit {
    id: Option<String>,
    #[serde(rename = "type")]
    doc_type: String,
    score: f32,
    words_matched: u32,
    organisation_id: Option<String>,
    /// Stored as JSON when the document was indexed, and passed on as it is.
    summary: Option<Box<serde_json::value::RawValue>>,
    highlights: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
}

/// Runs a search on one generation; CPU-bound, so callers run it off the async executor.
pub fn search(generation: &Generation, request: &SearchRequest) -> Result<Answer, SearchError> {
    let parsed = parse(&request.q).unwrap_or(Parsed { words: Vec::new(), phrases: Vec::new() });
    let searcher = generation.reader.searcher();
    let started = std::time::Instant::now();
    let built = with_analyzers(|analyzers| build(generation, &searcher, analyzers, &parsed, request))?;
    let planned = started.elapsed();
    let Outcome { tally, top, scored, postings } =
        evaluate(&searcher, &generation.caches, &built.plan, request.offset, request.limit)?;
    let evaluated = started.elapsed();
    // Each hit reads its stored document and marks its snippets: the hits are shared among the search threads.
    let hits = executor(top.len()).map(
        |ranked| with_analyzers(|analyzers| hit(generation, &searcher, &built, analyzers, ranked)),
        top.into_iter(),
    )?;
    let hits = hits.into_iter().collect::<Result<Vec<_>, SearchError>>()?;
    let total = tally.total;
    let next = request.offset + request.limit;
    tracing::debug!(
        plan_us = planned.as_micros() as u64,
        evaluate_us = (evaluated - planned).as_micros() as u64,
        hits_us = (started.elapsed() - evaluated).as_micros() as u64,
        total,
        scored,
        postings,
        "search timed"
    );
    Ok(Answer { total, hits, facets: tally.counts(), next_cursor: (next < total).then(|| next.to_string()) })
}

/// One hit: what the stored document says, with snippets.
fn hit(
    generation: &Generation,
    searcher: &Searcher,
    built: &Built,
    analyzers: &mut Analyzers,
    Ranked { matched, score, address }: Ranked,
) -> tantivy::Result<Result<Hit, SearchError>> {
    let fields = &generation.fields;
    let doc: TantivyDocument = match searcher.doc(address) {
        Ok(doc) => doc,
        Err(e) => return Ok(Err(e.into())),
    };
    let doc_type = first_text(&doc, fields.doc_type).unwrap_or_default().to_owned();
    let name = first_text(&doc, fields.name).unwrap_or_default().to_owned();
    let summary = first_text(&doc, fields.summary).and_then(|s| serde_json::from_str(s).ok());
    let mut highlights = Vec::new();
    for ((field, targets), (words, stemmer)) in built.targets.iter().zip(&mut analyzers.words) {
        for value in doc.get_all(*field).filter_map(|v| v.as_str()) {
            if highlights.len() < 3
                && let Some(snippet) = highlight(value, words, stemmer.as_ref(), targets, SNIPPET_CHARS)
                && !highlights.contains(&snippet)
            {
                highlights.push(snippet);
            }
        }
    }
    let (name, title) = if doc_type == "organisation" { (Some(name), None) } else { (None, Some(name)) };
    Ok(Ok(Hit {
        id: first_text(&doc, fields.id).map(str::to_owned),
        score,
        words_matched: matched,
        organisation_id: first_text(&doc, fields.organisation_id).map(str::to_owned),
        summary,
        highlights,
        name,
        title,
        doc_type,
    }))
}

/// Completions for search-as-you-type: words of the index's names and the taxonomy's labels that start with what
/// was typed, the most frequent first.
pub fn suggest(
    generation: &Generation,
    prefix: &str,
    language: taxonomy::Lang,
    limit: usize,
) -> Result<Vec<String>, SearchError> {
    let folded = taxonomy::fold(prefix);
    let Some(last) = folded.split(' ').next_back().filter(|w| !w.is_empty()) else { return Ok(Vec::new()) };
    let mut upper = last.as_bytes().to_vec();
    upper.push(0xff);
    let mut counts: std::collections::BTreeMap<String, u64> = Default::default();
    let searcher = generation.reader.searcher();
    for field in [generation.fields.name, generation.fields.keywords] {
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().range().ge(last.as_bytes()).lt(&upper).into_stream()?;
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    *counts.entry(term.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    let mut words: Vec<(String, u64)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<String> = words.into_iter().map(|(w, _)| w).take(limit).collect();
    for facet in [Facet::Technology, Facet::Domain, Facet::Sector] {
        for term in facet.terms() {
            let label = term.label(language);
            let starts = taxonomy::fold(label).split(' ').any(|w| w.starts_with(last))
                || term.synonyms.iter().any(|s| taxonomy::fold(s).starts_with(&folded));
            if starts && out.len() < limit && !out.iter().any(|o| o == label) {
                out.push(label.to_owned());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_search_thread_can_run_another_searchs_task_while_it_holds_its_analyzers() {
        // What happens when a thread waiting for its own parts takes over another search's: both use the analyzers.
        let nested = crate::search::evaluate::run(|| {
            with_analyzers(|outer| {
                let inner = with_analyzers(|inner| inner.fr.token_stream("hôpitaux").next().map(|t| t.text.clone()));
                (inner, outer.fr.token_stream("ports").next().map(|t| t.text.clone()))
            })
        });
        let (inner, outer) = nested.await.expect("no panic");
        assert_eq!(inner.as_deref(), Some("hopital"));
        assert_eq!(outer.as_deref(), Some("port"));
    }

    #[test]
    fn quoted_phrases_are_kept_apart_from_words() {
        let parsed = parse(r#"ransomware "centre hospitalier" Brest"#).expect("valid");
        assert_eq!(parsed.words, ["ransomware", "Brest"]);
        assert_eq!(parsed.phrases, ["centre hospitalier"]);
    }

    #[test]
    fn an_unbalanced_quote_is_refused() {
        assert!(parse(r#"drone "port"#).is_err());
        assert!(parse(&"a ".repeat(200)).is_err());
    }

    #[test]
    fn the_thesaurus_crosses_languages() {
        assert!(equivalents("drone").contains(&"uav"));
        assert!(equivalents("uav").contains(&"drone"));
        assert!(equivalents("hopitaux").contains(&"hospital"));
        assert!(equivalents("zebra").is_empty());
    }
}
