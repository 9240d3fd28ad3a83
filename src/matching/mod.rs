//! Partner suggestions: candidates from the index, hard rules, then an explained, reciprocal score.
//!
//! For a digital SME the partners are end users, and the other way round. Candidates come from one index query
//! built from the subject's offers (or needs) and tags, so a suggestion never scans the marketplace; each candidate
//! is then loaded from the database, checked against the hard rules (complementary kinds, both published, not the
//! same legal entity, not a declined pair) and scored (`score.rs`).
pub mod analysis;
pub mod congestion;
pub mod score;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Utc;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery, TermSetQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use serde::Deserialize;

use self::analysis::{Analysed, Analyser, Concepts};
use self::congestion::Congestion;
use self::score::{Item, Part, Scored, Side};
use crate::config::MatchingSettings;
use crate::domain::catalog::{Need, Offer};
use crate::domain::entity::{Entity, same_legal_entity};
use crate::domain::organisation::Kind;
use crate::domain::taxonomy::{Facet, Lang};
use crate::search::document::Bundle;
use crate::search::evaluate::{Caches, Clause, Plan, Running, evaluate, executor};
use crate::search::facets::Filter;
use crate::search::indexer::load_bundles;
use crate::search::{Fields, Generation, SearchError};
use crate::store::{ItemRecord, OrganisationRecord, Store};

/// What a suggestion is for: a whole organisation, or one of its needs or offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Organisation,
    Need(String),
    Offer(String),
}

pub struct Suggestion {
    pub partner: OrganisationRecord,
    /// For a need's or an offer's suggestions: the partner's offer or need proposed.
    pub item: Option<ItemRecord>,
    pub scored: Scored,
}

/// The kind a partner must have, if this kind takes part in matching at all.
pub fn partner_kind(kind: Kind) -> Option<Kind> {
    match kind {
        Kind::Sme => Some(Kind::EndUser),
        Kind::EndUser => Some(Kind::Sme),
        _ => None,
    }
}

/// An offer's or a need's concepts: from the analysis stored with it when it is current and was made from these
/// texts, otherwise from the texts.
fn item_concepts(
    analyser: &mut Analyser<'_>,
    record: &ItemRecord,
    texts: [&str; 2],
    language: Option<&str>,
    tags: &[(&str, &[String])],
) -> Concepts {
    let made_from = analysis::fingerprint(texts[0], texts[1], language);
    match record.analysis.as_deref().and_then(|text| Analysed::decode(text, made_from)) {
        Some(analysed) => analyser.weigh(&analysed, tags),
        None => analyser.concepts(&texts, language, tags),
    }
}

/// Analyses one organisation. Its description is only analysed when it is needed: for the subject (its query) or
/// when it has neither offers nor needs (scores then fall back on it). Descriptions are the longest texts.
fn analyse_side<'a>(analyser: &mut Analyser<'_>, bundle: &'a Bundle, with_description: bool) -> Side<'a> {
    let p = &bundle.organisation.profile.0;
    let offers: Vec<Item<Offer>> = bundle
        .offers
        .iter()
        .filter_map(|r| {
            let body = Offer::deserialize(&r.body.0).ok()?;
            let tags: [(&str, &[String]); 2] = [("technology", &body.technologies), ("domain", &body.domains)];
            let concepts =
                item_concepts(analyser, r, [&body.title, &body.description], body.language.as_deref(), &tags);
            Some(Item { id: r.id.clone(), body, concepts })
        })
        .collect();
    let needs: Vec<Item<Need>> = bundle
        .needs
        .iter()
        .filter_map(|r| {
            let body = Need::deserialize(&r.body.0).ok()?;
            let tags: [(&str, &[String]); 3] =
                [("technology", &body.technologies), ("domain", &body.domains), ("sector", &body.sectors)];
            let concepts =
                item_concepts(analyser, r, [&body.title, &body.description], body.language.as_deref(), &tags);
            Some(Item { id: r.id.clone(), body, concepts })
        })
        .collect();
    if !(with_description || offers.is_empty() && needs.is_empty()) {
        return Side { record: &bundle.organisation, offers, needs, description: Concepts::default() };
    }
    let mut description = analyser.concepts(&[p.description.fr.as_deref().unwrap_or_default()], Some("fr"), &[]);
    let english = analyser.concepts(&[p.description.en.as_deref().unwrap_or_default()], Some("en"), &[]);
    description.terms.extend(english.terms);
    let tags: [(&str, &[String]); 3] =
        [("technology", &p.technologies), ("domain", &p.domains), ("sector", &p.sectors)];
    description.terms.extend(analyser.concepts(&[], None, &tags).terms);
    description.total = description.terms.values().map(|(w, _)| *w).sum();
    Side { record: &bundle.organisation, offers, needs, description }
}

/// The candidate terms: the subject's weightiest concepts against the partner side's text and tags, with boosts.
fn candidate_terms(fields: &Fields, concepts: &[&Concepts], limit: usize) -> Vec<(Term, f32)> {
    let mut weighted: Vec<(&String, f32)> = Vec::new();
    for c in concepts {
        for (key, (weight, _)) in &c.terms {
            weighted.push((key, *weight));
        }
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut seen = HashSet::new();
    let mut terms = Vec::new();
    for (key, weight) in weighted {
        if !seen.insert(key.clone()) || seen.len() > limit {
            continue;
        }
        if let Some(rest) = key.strip_prefix("tax:") {
            let mut parts = rest.splitn(2, ':');
            let (facet, id) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
            let field = match facet {
                "technology" => fields.technology,
                "domain" => fields.domain,
                "sector" => fields.sector,
                _ => continue,
            };
            terms.push((Term::from_field_text(field, id), 1.5));
        } else if !key.starts_with("g:") {
            // Rarer concepts weigh more than BM25 alone would make them.
            for field in [fields.text_fr, fields.text_en] {
                terms.push((Term::from_field_text(field, key), weight / 3.0));
            }
        }
    }
    terms
}

/// The candidate search, run by the search module's evaluator: any candidate term, scored by the sum of its terms'
/// boosted BM25, among the published documents of the partner kind (and type).
fn candidate_plan(terms: Vec<(Term, f32)>, partner: Kind, doc_type: Option<&str>) -> Plan {
    let mut filter = Filter::default();
    filter.tag(Facet::Kind, partner.as_str());
    filter.published();
    if let Some(doc_type) = doc_type {
        filter.doc_type(doc_type);
    }
    let clause = Clause { scored: terms, ..Clause::default() };
    let (required, optional) = (Vec::new(), Vec::new());
    Plan { words: vec![clause], widened: 1, min_strict: 0, required, optional, filter, facets: false }
}

/// The same search as a tantivy query, restricted to some organisations (a call's participants).
fn candidate_query(
    fields: &Fields,
    terms: Vec<(Term, f32)>,
    partner: Kind,
    doc_type: Option<&str>,
    only: &HashSet<String>,
) -> Box<dyn Query> {
    let should: Vec<(Occur, Box<dyn Query>)> = terms
        .into_iter()
        .map(|(term, boost)| {
            let tagged = [fields.technology, fields.domain, fields.sector].contains(&term.field());
            let option = if tagged { IndexRecordOption::Basic } else { IndexRecordOption::WithFreqs };
            let query: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(TermQuery::new(term, option)), boost));
            (Occur::Should, query)
        })
        .collect();
    let filter = |query: Box<dyn Query>| (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)) as Box<dyn Query>);
    let term = |field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
    };
    let mut clauses = vec![
        (Occur::Must, Box::new(BooleanQuery::new(should)) as Box<dyn Query>),
        filter(term(fields.kind, partner.as_str())),
        filter(Box::new(TermQuery::new(Term::from_field_bool(fields.published, true), IndexRecordOption::Basic))),
    ];
    if let Some(doc_type) = doc_type {
        clauses.push(filter(term(fields.doc_type, doc_type)));
    }
    let terms = only.iter().map(|id| Term::from_field_text(fields.organisation_id, id));
    clauses.push(filter(Box::new(TermSetQuery::new(terms))));
    Box::new(BooleanQuery::new(clauses))
}

/// The candidate terms, in their order (rarest concepts first), while their postings stay within `budget` documents;
/// the first term is always kept.
fn within_budget(
    caches: &Caches,
    searcher: &Searcher,
    terms: Vec<(Term, f32)>,
    budget: u64,
) -> Result<Vec<(Term, f32)>, SearchError> {
    let mut spent = 0u64;
    let mut kept = Vec::with_capacity(terms.len());
    for (term, boost) in terms {
        let postings = caches.doc_freq(searcher, &term)?;
        if postings == 0 {
            continue;
        }
        if spent + postings > budget && !kept.is_empty() {
            continue;
        }
        spent += postings;
        kept.push((term, boost));
    }
    tracing::debug!(terms = kept.len(), postings = spent, "candidate terms");
    Ok(kept)
}

/// The organisations of the best candidate documents, best first, read from the fast field (no stored document is
/// decompressed).
fn candidates(
    generation: &Generation,
    searcher: &Searcher,
    terms: Vec<(Term, f32)>,
    (partner, doc_type, only): (Kind, Option<&str>, Option<&HashSet<String>>),
    (limit, budget): (usize, u64),
) -> Result<Vec<String>, SearchError> {
    let terms = within_budget(&generation.caches, searcher, terms, budget)?;
    let top: Vec<(f32, DocAddress)> = match only {
        None => evaluate(searcher, &generation.caches, &candidate_plan(terms, partner, doc_type), 0, limit)?
            .top
            .into_iter()
            .map(|hit| (hit.score, hit.address))
            .collect(),
        Some(only) => {
            let query = candidate_query(&generation.fields, terms, partner, doc_type, only);
            searcher.search(query.as_ref(), &TopDocs::with_limit(limit).order_by_score())?
        }
    };
    let mut columns = Vec::with_capacity(searcher.segment_readers().len());
    for segment in searcher.segment_readers() {
        columns.push(segment.fast_fields().str("organisation_id")?);
    }
    let mut out = Vec::with_capacity(top.len());
    let mut text = String::new();
    for (_, address) in top {
        let Some(Some(column)) = columns.get(address.segment_ord as usize) else { continue };
        if let Some(ord) = column.term_ords(address.doc_id).next() {
            text.clear();
            if column.ord_to_str(ord, &mut text)? {
                out.push(text.clone());
            }
        }
    }
    Ok(out)
}

pub struct Matcher<'a> {
    pub store: &'a Store,
    pub generation: Arc<Generation>,
    pub settings: &'a MatchingSettings,
    pub congestion: &'a Congestion,
    /// When set, only these organisations may be suggested (a call's participants).
    pub only: Option<Arc<HashSet<String>>>,
}

fn subject_texts<'s>(mine: &'s Side<'_>, subject: &Subject) -> Vec<&'s Concepts> {
    match subject {
        Subject::Organisation if mine.record.profile.0.kind == Kind::Sme => {
            mine.offers.iter().map(|o| &o.concepts).chain([&mine.description]).collect()
        }
        Subject::Organisation => mine.needs.iter().map(|n| &n.concepts).chain([&mine.description]).collect(),
        Subject::Need(id) => mine.needs.iter().filter(|n| &n.id == id).map(|n| &n.concepts).collect(),
        Subject::Offer(id) => mine.offers.iter().filter(|o| &o.id == id).map(|o| &o.concepts).collect(),
    }
}

/// Scores every candidate partner for the subject (CPU-bound: runs on a blocking thread). The partners are split in
/// two halves analysed and scored side by side on the search threads.
fn score_partners(
    (searcher, generation): (&Searcher, &Generation),
    settings: &MatchingSettings,
    (bundle, mine): (&Bundle, &Side<'_>),
    subject: &Subject,
    partners: &[Bundle],
    lang: Lang,
) -> Result<Vec<Suggestion>, SearchError> {
    let me = &bundle.organisation;
    let Some(partner) = partner_kind(me.profile.0.kind) else { return Ok(Vec::new()) };
    let mine_entity = entity(me);
    let now = Utc::now();
    let score_chunk = |chunk: &[Bundle]| -> tantivy::Result<Vec<Suggestion>> {
        let mut analyser = Analyser::new(searcher, generation);
        let mut out = Vec::new();
        for other in chunk {
            let p = &other.organisation.profile.0;
            if p.kind != partner
                || !p.published
                || same_legal_entity(&mine_entity, &entity(&other.organisation)).is_some()
            {
                continue;
            }
            let theirs = analyse_side(&mut analyser, other, false);
            let (mine_id, proposed): (&str, Vec<&ItemRecord>) = match subject {
                Subject::Organisation => {
                    let scored = pair_score(mine, &theirs, settings, lang, now);
                    out.push(Suggestion { partner: other.organisation.clone(), item: None, scored });
                    continue;
                }
                Subject::Need(id) => (id, other.offers.iter().collect()),
                Subject::Offer(id) => (id, other.needs.iter().collect()),
            };
            let mine_one = restrict(mine, Some(mine_id));
            for record in proposed {
                let theirs_one = restrict(&theirs, Some(&record.id));
                let scored = pair_score(&mine_one, &theirs_one, settings, lang, now);
                out.push(Suggestion { partner: other.organisation.clone(), item: Some(record.clone()), scored });
            }
        }
        Ok(out)
    };
    let chunks: Vec<&[Bundle]> = partners.chunks(partners.len().div_ceil(2).max(1)).collect();
    let scored = executor(chunks.len()).map(score_chunk, chunks.into_iter())?;
    Ok(scored.into_iter().flatten().collect())
}

impl Matcher<'_> {
    /// Suggestions for `subject` of the organisation in `bundle`, best first. `excluded` are partners never to
    /// suggest (declined pairs).
    pub async fn suggest(
        &self,
        bundle: Bundle,
        subject: Subject,
        excluded: &HashSet<String>,
        lang: Lang,
        limit: usize,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let me = &bundle.organisation;
        let Some(partner) = partner_kind(me.profile.0.kind) else { return Ok(Vec::new()) };
        if !me.profile.0.published {
            return Ok(Vec::new());
        }
        let (generation, settings, only) = (self.generation.clone(), self.settings.clone(), self.only.clone());
        let (store, excluded, runtime) = (self.store.clone(), excluded.clone(), tokio::runtime::Handle::current());
        // One blocking task analyses the subject once for both the candidate search and the scoring; it waits for
        // the partners' rows from the database on the runtime.
        let mut suggestions = tokio::task::spawn_blocking(move || -> Result<_, SearchError> {
            // Counted as running while it computes, not while it waits for the database.
            let running = Running::start();
            let started = std::time::Instant::now();
            let searcher = generation.reader.searcher();
            let mut analyser = Analyser::new(&searcher, &generation);
            let mine = analyse_side(&mut analyser, &bundle, true);
            let analysed = started.elapsed();
            let doc_type = match subject {
                Subject::Organisation => None,
                Subject::Need(_) => Some("offer"),
                Subject::Offer(_) => Some("need"),
            };
            let terms =
                candidate_terms(&generation.fields, &subject_texts(&mine, &subject), settings.candidate_concepts);
            let found = candidates(
                &generation,
                &searcher,
                terms,
                (partner, doc_type, only.as_deref()),
                (settings.candidates, settings.candidate_postings),
            )?;
            let searched = started.elapsed();
            let me_id = &bundle.organisation.id;
            let mut partner_ids: Vec<String> = Vec::new();
            for org in found {
                if &org != me_id && !excluded.contains(&org) && !partner_ids.contains(&org) {
                    partner_ids.push(org);
                }
                if partner_ids.len() >= settings.max_partners {
                    break;
                }
            }
            drop(running);
            let partners = runtime.block_on(load_bundles(&store, &partner_ids))?;
            let _running = Running::start();
            let loaded = started.elapsed();
            let scored =
                score_partners((&searcher, &generation), &settings, (&bundle, &mine), &subject, &partners, lang);
            let micros = |d: std::time::Duration| d.as_micros() as u64;
            tracing::debug!(
                analyse = micros(analysed),
                candidates = micros(searched - analysed),
                load = micros(loaded - searched),
                score = micros(started.elapsed() - loaded),
                partners = partners.len(),
                "suggest timed (µs)"
            );
            scored
        })
        .await
        .map_err(|e| SearchError::Io(std::io::Error::other(e)))??;
        for suggestion in &mut suggestions {
            self.congestion.discount(&mut suggestion.scored, &suggestion.partner.id, &self.settings.congestion, lang);
        }
        suggestions
            .sort_by(|a, b| b.scored.score.total_cmp(&a.scored.score).then_with(|| a.partner.id.cmp(&b.partner.id)));
        suggestions.truncate(limit);
        let top = self.settings.congestion.top;
        self.congestion.expose(suggestions.iter().take(top).map(|s| s.partner.id.as_str()));
        Ok(suggestions)
    }
}

fn entity(record: &OrganisationRecord) -> Entity<'_> {
    let p = &record.profile.0;
    Entity { legal_name: &p.legal_name, country: &p.country, registration_id: p.registration_id.as_deref() }
}

/// The same side with only one of its offers or needs, for item-level suggestions.
fn restrict<'a>(side: &Side<'a>, item: Option<&str>) -> Side<'a> {
    let keep = |id: &str| item.is_none_or(|wanted| wanted == id);
    Side {
        record: side.record,
        offers: side
            .offers
            .iter()
            .filter(|o| keep(&o.id))
            .map(|o| Item { id: o.id.clone(), body: o.body.clone(), concepts: o.concepts.clone() })
            .collect(),
        needs: side
            .needs
            .iter()
            .filter(|n| keep(&n.id))
            .map(|n| Item { id: n.id.clone(), body: n.body.clone(), concepts: n.concepts.clone() })
            .collect(),
        description: side.description.clone(),
    }
}

/// Scores a pair with the SME first, whichever side asked.
pub fn pair_score(
    a: &Side<'_>,
    b: &Side<'_>,
    settings: &MatchingSettings,
    lang: Lang,
    now: chrono::DateTime<Utc>,
) -> Scored {
    if a.record.profile.0.kind == Kind::Sme {
        score::score(a, b, &settings.weights, lang, now)
    } else {
        score::score(b, a, &settings.weights, lang, now)
    }
}

/// A part's contribution to the total, for checks and explanations.
pub fn contribution(part: &Part) -> f64 {
    part.weight * part.value
}

/// Analyses bundles on `threads` threads, each with its own analyser; the order is kept.
fn analyse_all<'b>(generation: &Generation, bundles: &'b [Bundle], threads: usize) -> Vec<Side<'b>> {
    let chunk = bundles.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = bundles
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let searcher = generation.reader.searcher();
                    let mut analyser = Analyser::new(&searcher, generation);
                    part.iter().map(|b| analyse_side(&mut analyser, b, true)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// Each concept of a side's offers, needs and description, weighted by its share of its text.
fn concept_weights<'s>(side: &'s Side<'_>) -> rustc_hash::FxHashMap<&'s str, f32> {
    let mut all: rustc_hash::FxHashMap<&str, f32> = rustc_hash::FxHashMap::default();
    let concepts = side
        .offers
        .iter()
        .map(|o| &o.concepts)
        .chain(side.needs.iter().map(|n| &n.concepts))
        .chain([&side.description]);
    for c in concepts {
        let total = c.total.max(1e-6);
        for (key, (weight, _)) in &c.terms {
            *all.entry(key.as_str()).or_default() += weight / total;
        }
    }
    all
}

/// Scores the pairs of a whole call, offering side (`smes`: SMEs, or any company) against end users, without scoring
/// every pair: each organisation is analysed once,
/// each SME's candidates are the `per_sme` end users whose offers, needs and tags share the most weighted concepts
/// with it (an in-memory inverted index over the call's participants), and only those pairs are scored with the
/// same scorer as suggestions (both descriptions count, as neither side is the reader). Returns
/// `(sme index, end-user index, score)` for every candidate pair.
pub fn score_call_graph(
    generation: &Generation,
    settings: &MatchingSettings,
    smes: &[Bundle],
    end_users: &[Bundle],
    per_sme: usize,
    lang: Lang,
) -> Vec<(usize, usize, Scored)> {
    // Both steps split the work over the machine's cores; each thread has its own analyser.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let started = std::time::Instant::now();
    let left = analyse_all(generation, smes, threads);
    let right = analyse_all(generation, end_users, threads);
    tracing::info!(analysis_ms = started.elapsed().as_millis() as u64, "call graph analysed");
    let mut postings: rustc_hash::FxHashMap<&str, Vec<(usize, f32)>> = rustc_hash::FxHashMap::default();
    for (r, side) in right.iter().enumerate() {
        for (key, weight) in concept_weights(side) {
            postings.entry(key).or_default().push((r, weight));
        }
    }
    let now = Utc::now();
    let score_part = |range: std::ops::Range<usize>| {
        let mut out = Vec::new();
        let mut overlap = vec![0f32; right.len()];
        let mut touched: Vec<usize> = Vec::new();
        for l in range {
            let side = &left[l];
            for (key, weight) in concept_weights(side) {
                for &(r, w) in postings.get(key).map(Vec::as_slice).unwrap_or_default() {
                    if overlap[r] == 0.0 {
                        touched.push(r);
                    }
                    overlap[r] += weight * w;
                }
            }
            touched.sort_by(|a, b| overlap[*b].total_cmp(&overlap[*a]).then(a.cmp(b)));
            for &r in touched.iter().take(per_sme) {
                out.push((l, r, score::score(side, &right[r], &settings.weights, lang, now)));
            }
            for &r in &touched {
                overlap[r] = 0.0;
            }
            touched.clear();
        }
        out
    };
    let count = left.len();
    let chunk = count.div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..count)
            .step_by(chunk)
            .map(|start| {
                let score_part = &score_part;
                scope.spawn(move || score_part(start..(start + chunk).min(count)))
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_candidate_query_keeps_terms_in_order_within_the_postings_budget() {
        let (index, fields, mut writer) = crate::search::schema::in_ram();
        for i in 0..100u32 {
            let mut words = vec!["common"];
            if i < 5 {
                words.push("rare");
            }
            if i < 40 {
                words.push("port");
            }
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(fields.text_en, words.join(" "));
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let term = |w: &str| (Term::from_field_text(fields.text_en, w), 1.0);
        let caches = Caches::default();
        let words = |kept: Vec<(Term, f32)>| -> Vec<String> {
            kept.iter().filter_map(|(t, _)| t.value().as_str().map(str::to_owned)).collect()
        };
        let order = || vec![term("rare"), term("absent"), term("common"), term("port")];
        // 5 + 40 postings fit in 50; "common" (100) does not, and a term no document holds is dropped.
        assert_eq!(words(within_budget(&caches, &searcher, order(), 50).expect("kept")), ["rare", "port"]);
        assert_eq!(words(within_budget(&caches, &searcher, order(), 1_000).expect("kept")), ["rare", "common", "port"]);
        // The first term is kept even alone over the budget.
        let first = vec![term("common"), term("rare")];
        assert_eq!(words(within_budget(&caches, &searcher, first, 10).expect("kept")), ["common"]);
    }
}
