//! Matching quality: how high the true partners rank, for the full scorer and two baselines, on two labelled sets.
//!
//! - `synthetic`: the generator's planted pairs (an SME offer written to answer an end user's need, in other
//!   words and often the other language); the truth comes from how the data was built, never from a scorer.
//! - `cordis`: real EU FP7 security projects (../shared/reference/raw/, CORDIS, CC BY 4.0). Projects are split in
//!   two halves; each company (PRC) and public body (PUB) is described by the objectives of the projects it joined
//!   in the first half; a company–public-body pair is true when both joined one project of the second half.
//!
//! For each end user (or public body) with at least one true partner, every ranker orders the SMEs (companies):
//! the full scorer (`tandem::matching`), a plain BM25 text baseline (the end user's needs as one OR query over the
//! SMEs' documents), and a taxonomy-overlap-only baseline (technologies, domains and sectors in common).
//!
//! `cargo bench --bench matching` (options: `--synthetic N` organisations, default 2000; `--seed S`; `--skip-cordis`;
//! `--cordis-dir DIR`, default ../shared/reference/raw).
//!
//! `cargo bench --bench matching -- --latency 100000` measures instead the latency of
//! `GET /api/v1/organisations/{id}/matches` through the HTTP API on a marketplace of that many profiles.
/// The service's allocator (`src/main.rs`): the latency measured here is the service's.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value, json};
use tandem::config::Settings;
use tandem::domain::taxonomy::{self, Facet, Lang};
use tandem::matching::congestion::Congestion;
use tandem::matching::{Matcher, Subject};
use tandem::search::indexer::{load_bundles, rebuild};
use tandem::search::{Generation, SearchIndex};
use tandem::store::Store;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{IndexRecordOption, Value as _};
use tantivy::{TantivyDocument, Term};

/// A labelled set: import lines, and for each query organisation (by registration id) its true partners.
struct Dataset {
    name: &'static str,
    lines: Vec<String>,
    truth: HashMap<String, HashSet<String>>,
}

#[derive(Default, Clone, Copy)]
struct Metrics {
    precision_at_5: f64,
    recall_at_10: f64,
    ndcg_at_10: f64,
    mrr: f64,
}

fn metrics(ranked: &[String], truth: &HashSet<String>) -> Metrics {
    let hits = |k: usize| ranked.iter().take(k).filter(|r| truth.contains(*r)).count() as f64;
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .filter(|(_, r)| truth.contains(*r))
        .map(|(i, _)| 1.0 / (i as f64 + 2.0).log2())
        .sum();
    let ideal: f64 = (0..truth.len().min(10)).map(|i| 1.0 / (i as f64 + 2.0).log2()).sum();
    let first = ranked.iter().position(|r| truth.contains(r));
    Metrics {
        precision_at_5: hits(5) / 5.0,
        recall_at_10: hits(10) / truth.len() as f64,
        ndcg_at_10: if ideal > 0.0 { dcg / ideal } else { 0.0 },
        mrr: first.map_or(0.0, |i| 1.0 / (i as f64 + 1.0)),
    }
}

fn mean(all: &[Metrics]) -> Metrics {
    let n = all.len().max(1) as f64;
    Metrics {
        precision_at_5: all.iter().map(|m| m.precision_at_5).sum::<f64>() / n,
        recall_at_10: all.iter().map(|m| m.recall_at_10).sum::<f64>() / n,
        ndcg_at_10: all.iter().map(|m| m.ndcg_at_10).sum::<f64>() / n,
        mrr: all.iter().map(|m| m.mrr).sum::<f64>() / n,
    }
}

fn synthetic(organisations: usize, seed: u64) -> Dataset {
    let spec = tandem::demo::generate::DemoSpec { organisations, seed };
    let (lines, pairs) = tandem::demo::generate::generate(&spec);
    let mut truth: HashMap<String, HashSet<String>> = HashMap::new();
    for pair in pairs {
        truth.entry(pair.end_user).or_default().insert(pair.sme);
    }
    Dataset { name: "synthetic (planted pairs)", lines: lines.iter().map(Value::to_string).collect(), truth }
}

fn clean(text: &str, max: usize) -> String {
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.chars().take(max).collect()
}

fn tags(text: &str, facet: Facet) -> Vec<String> {
    taxonomy::mentions(text).into_iter().filter(|(f, _)| *f == facet).map(|(_, id)| id.to_owned()).collect()
}

fn cordis(dir: &Path) -> Dataset {
    let mut projects: Vec<(String, String, String)> = Vec::new();
    let mut reader = csv::Reader::from_path(dir.join("cordis_fp7_security_projects.csv")).expect("projects CSV");
    for row in reader.deserialize::<HashMap<String, String>>() {
        let row = row.expect("project row");
        projects.push((row["id"].clone(), row["title"].clone(), row["objective"].clone()));
    }
    projects.sort();
    let first_half: HashSet<String> = projects.iter().step_by(2).map(|p| p.0.clone()).collect();
    let objective: HashMap<String, (String, String)> =
        projects.iter().map(|(id, title, text)| (id.clone(), (title.clone(), text.clone()))).collect();

    struct Org {
        name: String,
        kind: String,
        country: String,
        projects_a: Vec<String>,
        projects_b: Vec<String>,
    }
    let mut orgs: HashMap<String, Org> = HashMap::new();
    let mut reader = csv::Reader::from_path(dir.join("cordis_fp7_security_orgs.csv")).expect("organisations CSV");
    for row in reader.deserialize::<HashMap<String, String>>() {
        let row = row.expect("organisation row");
        let kind = match row["activityType"].as_str() {
            "PRC" => "sme",
            "PUB" => "end_user",
            _ => continue,
        };
        let org = orgs.entry(row["id"].clone()).or_insert_with(|| Org {
            name: row["name"].clone(),
            kind: kind.to_owned(),
            country: row["country"].clone(),
            projects_a: Vec::new(),
            projects_b: Vec::new(),
        });
        let project = row["projectID"].clone();
        if first_half.contains(&project) { org.projects_a.push(project) } else { org.projects_b.push(project) }
    }
    let mut lines = Vec::new();
    let mut described: HashSet<String> = HashSet::new();
    let mut ids: Vec<&String> = orgs.keys().collect();
    ids.sort();
    for id in ids {
        let org = &orgs[id];
        if org.projects_a.is_empty() || org.country.len() != 2 {
            continue;
        }
        let titles: Vec<&str> =
            org.projects_a.iter().filter_map(|p| objective.get(p)).map(|(t, _)| t.as_str()).collect();
        let text = clean(
            &org.projects_a
                .iter()
                .filter_map(|p| objective.get(p))
                .map(|(_, o)| o.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            4800,
        );
        let title = clean(&titles.join("; "), 190);
        let registration = format!("PIC{id}");
        let technologies = tags(&text, Facet::Technology);
        let domains = tags(&text, Facet::Domain);
        let mut line = json!({
            "legal_name": clean(&org.name, 190), "kind": org.kind, "country": org.country, "is_sme": org.kind == "sme",
            "registration_id": registration, "languages": ["en"], "description": {"en": text},
            "technologies": technologies, "domains": domains, "published": true,
        });
        if org.kind == "sme" {
            line["offers"] = json!([{"title": title, "description": text, "language": "en", "technologies": technologies, "domains": domains, "trl": 6}]);
        } else {
            let sectors = tags(&text, Facet::Sector);
            line["sectors"] = json!(sectors);
            line["needs"] = json!([{"title": title, "description": text, "language": "en", "technologies": technologies, "domains": domains, "sectors": sectors}]);
        }
        lines.push(line.to_string());
        described.insert(id.clone());
    }
    let mut by_project: HashMap<&String, Vec<&String>> = HashMap::new();
    for (id, org) in &orgs {
        for project in &org.projects_b {
            by_project.entry(project).or_default().push(id);
        }
    }
    let mut truth: HashMap<String, HashSet<String>> = HashMap::new();
    for members in by_project.values() {
        for company in members.iter().filter(|m| orgs[**m].kind == "sme" && described.contains(**m)) {
            for body in members.iter().filter(|m| orgs[**m].kind == "end_user" && described.contains(**m)) {
                truth.entry(format!("PIC{body}")).or_default().insert(format!("PIC{company}"));
            }
        }
    }
    Dataset { name: "CORDIS FP7 security (held-out projects)", lines, truth }
}

struct Loaded {
    store: Store,
    generation: Arc<Generation>,
    /// registration id → organisation id, and back.
    ids: HashMap<String, String>,
    registrations: HashMap<String, String>,
    _dir: tempfile::TempDir,
}

async fn load(dataset: &Dataset) -> Loaded {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("bench.db").display()), 4).await.expect("store");
    let text = dataset.lines.join("\n");
    let report = tandem::import::import(&store, text.as_bytes(), false, None, |_| {}).await.expect("import");
    if !report.rejected.is_empty() {
        eprintln!("{}: {} line(s) rejected, first: {}", dataset.name, report.rejected.len(), report.rejected[0]);
    }
    let index_dir = dir.path().join("index");
    rebuild(&store, &index_dir, 64 << 20, |_| {}).await.expect("index built");
    let generation = SearchIndex::open(&index_dir, Default::default()).expect("index opened").generation();
    let mut ids = HashMap::new();
    let mut registrations = HashMap::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.organisation_ids(after.as_deref(), 500).await.expect("ids");
        let Some(last) = page.last().cloned() else { break };
        for record in store.organisations_by_ids(&page).await.expect("organisations") {
            if let Some(registration) = &record.profile.0.registration_id {
                ids.insert(registration.clone(), record.id.clone());
                registrations.insert(record.id.clone(), registration.clone());
            }
        }
        after = Some(last);
    }
    Loaded { store, generation, ids, registrations, _dir: dir }
}

/// Plain BM25: the end user's needs (or description) as one OR query over the SMEs' documents.
fn bm25_rank(loaded: &Loaded, text: &str) -> Vec<String> {
    let generation = &loaded.generation;
    let fields = generation.fields;
    let words: String = text.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let words: String = words.split_whitespace().take(400).collect::<Vec<_>>().join(" ");
    let parser = QueryParser::for_index(&generation.index, vec![fields.text_fr, fields.text_en]);
    let (text_query, _) = parser.parse_query_lenient(&words);
    let kind = TermQuery::new(Term::from_field_text(fields.kind, "sme"), IndexRecordOption::Basic);
    let published = TermQuery::new(Term::from_field_bool(fields.published, true), IndexRecordOption::Basic);
    let query = BooleanQuery::new(vec![
        (Occur::Must, text_query),
        (Occur::Must, Box::new(kind) as Box<dyn Query>),
        (Occur::Must, Box::new(published) as Box<dyn Query>),
    ]);
    let searcher = generation.reader.searcher();
    let top = searcher.search(&query, &TopDocs::with_limit(300).order_by_score()).expect("search");
    let mut out: Vec<String> = Vec::new();
    for (_, address) in top {
        let doc: TantivyDocument = searcher.doc(address).expect("doc");
        if let Some(org) = doc.get_first(fields.organisation_id).and_then(|v| v.as_str()) {
            let org = org.to_owned();
            if !out.contains(&org) {
                out.push(org);
            }
        }
    }
    out
}

/// Taxonomy overlap only: technologies wanted and offered, domains and sectors in common.
fn taxonomy_rank(user: &tandem::search::document::Bundle, smes: &[tandem::search::document::Bundle]) -> Vec<String> {
    let set = |values: Vec<&String>| values.into_iter().cloned().collect::<HashSet<String>>();
    let needs: Vec<tandem::domain::catalog::Need> =
        user.needs.iter().filter_map(|n| serde_json::from_value(n.body.0.clone()).ok()).collect();
    let p = &user.organisation.profile.0;
    let wanted = set(p.technologies.iter().chain(needs.iter().flat_map(|n| &n.technologies)).collect());
    let domains = set(p.domains.iter().chain(needs.iter().flat_map(|n| &n.domains)).collect());
    let sectors = set(p.sectors.iter().chain(needs.iter().flat_map(|n| &n.sectors)).collect());
    let overlap = |a: &HashSet<String>, b: &HashSet<String>| {
        if a.is_empty() || b.is_empty() { 0.0 } else { a.intersection(b).count() as f64 / a.len() as f64 }
    };
    let mut scored: Vec<(f64, String)> = smes
        .iter()
        .map(|s| {
            let offers: Vec<tandem::domain::catalog::Offer> =
                s.offers.iter().filter_map(|o| serde_json::from_value(o.body.0.clone()).ok()).collect();
            let q = &s.organisation.profile.0;
            let offered = set(q.technologies.iter().chain(offers.iter().flat_map(|o| &o.technologies)).collect());
            let their_domains = set(q.domains.iter().chain(offers.iter().flat_map(|o| &o.domains)).collect());
            let their_sectors = set(q.sectors.iter().collect());
            let score = 0.5 * overlap(&wanted, &offered)
                + 0.3 * overlap(&domains, &their_domains)
                + 0.2 * overlap(&sectors, &their_sectors);
            (score, s.organisation.id.clone())
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, id)| id).collect()
}

async fn evaluate(dataset: &Dataset, settings: &Settings) -> [(&'static str, Metrics); 3] {
    let loaded = load(dataset).await;
    let mut sme_ids = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = loaded.store.organisation_ids(after.as_deref(), 500).await.expect("ids");
        let Some(last) = page.last().cloned() else { break };
        sme_ids.extend(page);
        after = Some(last);
    }
    let all = load_bundles(&loaded.store, &sme_ids).await.expect("bundles");
    let smes: Vec<_> = all
        .iter()
        .filter(|b| b.organisation.profile.0.kind.as_str() == "sme" && b.organisation.profile.0.published)
        .cloned()
        .collect();
    let congestion = Congestion::new(&settings.matching.congestion);
    let matcher = Matcher {
        store: &loaded.store,
        generation: loaded.generation.clone(),
        settings: &settings.matching,
        congestion: &congestion,
        only: None,
    };
    let (mut full, mut bm25, mut tax) = (Vec::new(), Vec::new(), Vec::new());
    let mut queries: Vec<(&String, &HashSet<String>)> = dataset.truth.iter().collect();
    queries.sort_by(|a, b| a.0.cmp(b.0));
    for (user, partners) in queries {
        let Some(user_id) = loaded.ids.get(user) else { continue };
        let truth: HashSet<String> = partners.iter().filter_map(|p| loaded.ids.get(p).cloned()).collect();
        let Some(bundle) = all.iter().find(|b| &b.organisation.id == user_id).cloned() else { continue };
        if truth.is_empty() || !bundle.organisation.profile.0.published {
            continue;
        }
        let suggestions = matcher
            .suggest(bundle.clone(), Subject::Organisation, &HashSet::new(), Lang::En, 50)
            .await
            .expect("suggestions");
        let ranked: Vec<String> = suggestions.iter().map(|s| s.partner.id.clone()).collect();
        full.push(metrics(&ranked, &truth));
        let needs: Vec<String> = bundle
            .needs
            .iter()
            .map(|n| {
                format!(
                    "{} {}",
                    n.body.0["title"].as_str().unwrap_or_default(),
                    n.body.0["description"].as_str().unwrap_or_default()
                )
            })
            .collect();
        let text = if needs.is_empty() {
            let p = &bundle.organisation.profile.0;
            format!("{} {}", p.description.fr.clone().unwrap_or_default(), p.description.en.clone().unwrap_or_default())
        } else {
            needs.join(" ")
        };
        bm25.push(metrics(&bm25_rank(&loaded, &text), &truth));
        tax.push(metrics(&taxonomy_rank(&bundle, &smes), &truth));
    }
    println!(
        "{}: {} organisations, {} queries with at least one true partner, {} true pairs",
        dataset.name,
        loaded.registrations.len(),
        full.len(),
        dataset.truth.values().map(HashSet::len).sum::<usize>()
    );
    [("full scorer", mean(&full)), ("BM25 text baseline", mean(&bm25)), ("taxonomy-overlap baseline", mean(&tax))]
}

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok())
}

/// Suggestion latency at the HTTP API, on `profiles` synthetic organisations (SQLite, release build).
async fn latency(profiles: usize, seed: u64, compare_postings: Option<u64>, compare_analyses: bool) {
    // `RUST_LOG=tandem::matching=debug` prints each suggestion's phases.
    if std::env::var_os("RUST_LOG").is_some() {
        let format = tandem::config::LogFormat::Pretty;
        tandem::telemetry::init(&tandem::config::LogSettings { format, level: "warn".into() });
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let figment = Settings::figment(Path::new("config"), None)
        .expect("config")
        .merge(figment::providers::Serialized::default(
            "database.url",
            format!("sqlite://{}", dir.path().join("db.sqlite").display()),
        ))
        .merge(figment::providers::Serialized::default("index.dir", dir.path().join("index")))
        .merge(figment::providers::Serialized::default("data.dir", dir.path().join("data")))
        .merge(figment::providers::Serialized::default("server.port", 0))
        .merge(figment::providers::Serialized::default("log.level", "warn"));
    let settings = Settings::extract(figment).expect("settings");
    let store = Store::connect(&settings.database.url, 8).await.expect("store");
    let started = std::time::Instant::now();
    let mut text = Vec::new();
    tandem::demo::generate::stream(&tandem::demo::generate::DemoSpec { organisations: profiles, seed }, |line| {
        text.extend_from_slice(line.to_string().as_bytes());
        text.push(b'\n');
    });
    let report = tandem::import::import(&store, text.as_slice(), false, None, |_| {}).await.expect("import");
    drop(text);
    let last = store.last_seq().await.expect("seq");
    let matching = settings.matching.clone();
    let app = tandem::startup::Application::with_store(settings, store.clone()).expect("application");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    while state.search.applied_seq() < last {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    println!("{} profiles imported and indexed in {:.1} s", report.imported, started.elapsed().as_secs_f64());
    // The indexer merges the segments after a large catch-up: suggestions are timed on the merged index.
    let merging = std::time::Instant::now();
    while state.search.generation().reader.searcher().segment_readers().len() > 1
        && merging.elapsed() < std::time::Duration::from_secs(600)
    {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    println!("segments merged in {:.1} s", merging.elapsed().as_secs_f64());
    let mut subjects = Vec::new();
    let mut after: Option<String> = None;
    while subjects.len() < 400 {
        let page = store.organisation_ids(after.as_deref(), 500).await.expect("ids");
        let Some(last) = page.last().cloned() else { break };
        for record in store.organisations_by_ids(&page).await.expect("organisations") {
            let kind = record.profile.0.kind.as_str();
            if record.profile.0.published && (kind == "sme" || kind == "end_user") && subjects.len() < 400 {
                subjects.push(record.id);
            }
        }
        after = Some(last);
    }
    let client = reqwest::Client::new();
    let mut times = time_requests(&client, &base, &subjects).await;
    let (p50, p90, p99, max) = percentiles(&mut times);
    println!("| profiles | requests | p50 ms | p90 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- |");
    println!("| {profiles} | {} | {p50:.1} | {p90:.1} | {p99:.1} | {max:.1} |", times.len());
    if let Some(budget) = compare_postings {
        compare(&store, &state.search.generation(), &matching, &subjects, budget).await;
    }
    if compare_analyses {
        // The same requests with the offers' and needs' stored analyses, then without them (each text analysed
        // when read, as before they were stored), twice in alternation.
        let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
        let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.expect("database");
        println!(
            "| partners' analyses | requests | p50 ms | p90 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- |"
        );
        for stored in [true, false, true, false] {
            if stored {
                store.refresh_analyses().await.expect("analyses");
            } else {
                for table in ["offers", "needs"] {
                    sqlx::query(&format!("UPDATE {table} SET analysis = NULL"))
                        .execute(&mut db)
                        .await
                        .expect("cleared");
                }
            }
            let mut times = time_requests(&client, &base, &subjects).await;
            let (p50, p90, p99, max) = percentiles(&mut times);
            let mode = if stored { "stored" } else { "analysed when read" };
            println!("| {mode} | {} | {p50:.1} | {p90:.1} | {p99:.1} | {max:.1} |", times.len());
        }
    }
}

/// Each subject's suggestions at the HTTP API, one request at a time; the times after the first 50 (warm-up), in ms.
async fn time_requests(client: &reqwest::Client, base: &str, subjects: &[String]) -> Vec<f64> {
    let mut times = Vec::new();
    for (i, id) in subjects.iter().enumerate() {
        let start = std::time::Instant::now();
        let reply =
            client.get(format!("{base}/api/v1/organisations/{id}/matches?limit=20")).send().await.expect("request");
        assert_eq!(reply.status(), 200);
        let _ = reply.bytes().await.expect("body");
        if i >= 50 {
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times
}

fn percentiles(times: &mut [f64]) -> (f64, f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.9), at(0.99), at(1.0))
}

/// In-process A/B of the candidate postings budget: the configured one against `budget`, subject by subject in
/// alternation (so that both see the same machine), three rounds; suggestion time without HTTP.
async fn compare(
    store: &Store,
    generation: &Arc<Generation>,
    configured: &tandem::config::MatchingSettings,
    subjects: &[String],
    budget: u64,
) {
    let other = tandem::config::MatchingSettings { candidate_postings: budget, ..configured.clone() };
    let congestion = Congestion::new(&configured.congestion);
    let matchers = [configured, &other].map(|settings| Matcher {
        store,
        generation: generation.clone(),
        settings,
        congestion: &congestion,
        only: None,
    });
    let bundles = load_bundles(store, subjects).await.expect("bundles");
    let mut times = [Vec::new(), Vec::new()];
    let mut overlap = (0usize, 0usize);
    for round in 0..3 {
        for bundle in &bundles {
            let mut tops = Vec::new();
            for (i, matcher) in matchers.iter().enumerate() {
                let start = std::time::Instant::now();
                let found = matcher
                    .suggest(bundle.clone(), Subject::Organisation, &HashSet::new(), Lang::En, 20)
                    .await
                    .expect("suggestions");
                times[i].push(start.elapsed().as_secs_f64() * 1000.0);
                tops.push(found.into_iter().map(|s| s.partner.id).collect::<Vec<_>>());
            }
            if round == 0 {
                overlap.0 += tops[1].iter().filter(|id| tops[0].contains(id)).count();
                overlap.1 += tops[0].len();
            }
        }
    }
    println!(
        "| candidate_postings | suggestions | p50 ms | p90 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- |"
    );
    for (settings, times) in [configured, &other].iter().zip(times.iter_mut()) {
        let (p50, p90, p99, max) = percentiles(times);
        println!("| {} | {} | {p50:.1} | {p90:.1} | {p99:.1} | {max:.1} |", settings.candidate_postings, times.len());
    }
    println!("top-20 partners in common: {} of {}", overlap.0, overlap.1);
}

fn main() {
    // reqwest uses rustls with the ring provider, installed once per process (as `tandem serve` does).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args: Vec<String> = std::env::args().collect();
    if let Some(profiles) = arg::<usize>(&args, "--latency") {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
        let compare_analyses = args.iter().any(|a| a == "--compare-analyses");
        let seed = arg(&args, "--seed").unwrap_or(7);
        runtime.block_on(latency(profiles, seed, arg(&args, "--compare-postings"), compare_analyses));
        return;
    }
    let organisations = arg(&args, "--synthetic").unwrap_or(2000);
    let seed = arg(&args, "--seed").unwrap_or(11);
    let cordis_dir: PathBuf = arg(&args, "--cordis-dir").unwrap_or_else(|| PathBuf::from("../shared/reference/raw"));
    let settings = Settings::extract(Settings::figment(Path::new("config"), None).expect("config")).expect("settings");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let mut datasets = vec![synthetic(organisations, seed)];
    if !args.iter().any(|a| a == "--skip-cordis") {
        datasets.push(cordis(&cordis_dir));
    }
    let mut failures = 0;
    println!("| set | ranker | P@5 | R@10 | nDCG@10 | MRR |\n| --- | --- | --- | --- | --- | --- |");
    let mut table = Vec::new();
    for dataset in &datasets {
        let results = runtime.block_on(evaluate(dataset, &settings));
        for (ranker, m) in &results {
            table.push(format!(
                "| {} | {ranker} | {:.3} | {:.3} | {:.3} | {:.3} |",
                dataset.name, m.precision_at_5, m.recall_at_10, m.ndcg_at_10, m.mrr
            ));
        }
        let (full, baselines) = (results[0].1, &results[1..]);
        for (name, b) in baselines {
            for (metric, f, v) in [
                ("P@5", full.precision_at_5, b.precision_at_5),
                ("R@10", full.recall_at_10, b.recall_at_10),
                ("nDCG@10", full.ndcg_at_10, b.ndcg_at_10),
                ("MRR", full.mrr, b.mrr),
            ] {
                if f <= v {
                    failures += 1;
                    eprintln!(
                        "{}: the full scorer does not beat the {name} on {metric} ({f:.3} vs {v:.3})",
                        dataset.name
                    );
                }
            }
        }
    }
    for row in table {
        println!("{row}");
    }
    if failures > 0 {
        std::process::exit(1);
    }
}
