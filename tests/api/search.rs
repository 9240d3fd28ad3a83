use serde_json::{Value, json};

use crate::both_engines;
use crate::helpers::{Engine, Reply, TestApp, end_user, sme, spawn_app, spawn_app_with};

both_engines!(
    accents_case_and_plurals_match_in_both_languages,
    a_quoted_phrase_must_match_as_a_phrase,
    a_typo_is_forgiven_and_ranked_below_exact_matches,
    a_search_too_narrow_widens_to_half_its_words_those_matching_more_first,
    taxonomy_labels_and_synonyms_cross_languages,
    facets_count_the_whole_result_set_and_filters_narrow_it,
    unpublishing_or_deleting_removes_documents_from_results,
    matched_words_are_highlighted_and_contacts_never_appear,
    suggest_completes_prefixes,
    bad_search_parameters_are_400s,
    segments_are_merged_after_a_large_catch_up,
    readiness_reports_the_search_cache_within_its_configured_budget,
);

/// Creates a published organisation with offers or needs; returns its id and the last write's sequence number.
async fn publish(app: &TestApp, token: &str, mut body: Value, items: &[Value]) -> (String, i64) {
    body["published"] = json!(true);
    app.organisation_with_items(token, body, items).await
}

async fn find(app: &TestApp, query: &str, seq: i64) -> Reply {
    let separator = if query.contains('?') { '&' } else { '?' };
    let reply = app.get(&format!("/api/v1/search{query}{separator}min_seq={seq}"), None).await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.text);
    reply
}

fn ids(reply: &Reply) -> Vec<String> {
    reply.body["hits"].as_array().expect("hits").iter().map(|h| h["id"].as_str().expect("id").to_owned()).collect()
}

fn offer(title: &str, description: &str, language: &str) -> Value {
    json!({"title": title, "description": description, "language": language, "technologies": ["ai"], "trl": 7})
}

async fn accents_case_and_plurals_match_in_both_languages(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    let (_, _) = publish(
        &app,
        &token,
        sme("Vigie SAS"),
        &[offer("Sécurité des hôpitaux", "Détection d'intrusions à l'hôpital", "fr")],
    )
    .await;
    let (_, seq) = publish(
        &app,
        &token,
        sme("Harbour Watch Ltd"),
        &[offer("Perimeter monitoring", "Sensors for the port of Antwerp", "en")],
    )
    .await;

    let securite = find(&app, "?q=securite&type=offer", seq).await;
    let hopitaux = find(&app, "?q=HOPITAUX&type=offer", seq).await;
    let hopital = find(&app, "?q=hôpital&type=offer", seq).await;
    let ports = find(&app, "?q=ports&type=offer", seq).await;

    for reply in [&securite, &hopitaux, &hopital] {
        assert_eq!(reply.body["total"], 1, "{}", reply.text);
        assert_eq!(reply.body["hits"][0]["title"], "Sécurité des hôpitaux");
    }
    assert_eq!(ports.body["hits"][0]["title"], "Perimeter monitoring", "{}", ports.text);
}

async fn a_quoted_phrase_must_match_as_a_phrase(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    publish(&app, &token, sme("Alpha SAS"), &[offer("Audit du centre hospitalier", "Cartographie des risques", "fr")])
        .await;
    let (_, seq) = publish(
        &app,
        &token,
        sme("Beta SAS"),
        &[offer("Centre de supervision", "Pour tout établissement hospitalier", "fr")],
    )
    .await;

    let words = find(&app, "?q=centre%20hospitalier&type=offer", seq).await;
    let phrase = find(&app, "?q=%22centre%20hospitalier%22&type=offer", seq).await;

    assert_eq!(words.body["total"], 2, "{}", words.text);
    assert_eq!(phrase.body["total"], 1, "{}", phrase.text);
    assert_eq!(phrase.body["hits"][0]["title"], "Audit du centre hospitalier");
}

async fn a_typo_is_forgiven_and_ranked_below_exact_matches(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    publish(&app, &token, sme("Alpha SAS"), &[offer("Rader maritime", "Surveillance côtière", "fr")]).await;
    let (_, seq) =
        publish(&app, &token, sme("Beta SAS"), &[offer("Radar maritime", "Surveillance côtière", "fr")]).await;

    let exact = find(&app, "?q=radar&type=offer", seq).await;
    let typo = find(&app, "?q=survaillance&type=offer", seq).await;
    let short = find(&app, "?q=rdar&type=offer", seq).await;

    assert_eq!(exact.body["total"], 2, "{}", exact.text);
    assert_eq!(exact.body["hits"][0]["title"], "Radar maritime", "the exact match ranks first: {}", exact.text);
    assert_eq!(exact.body["hits"][1]["title"], "Rader maritime");
    assert!(exact.body["hits"][0]["score"].as_f64() > exact.body["hits"][1]["score"].as_f64());
    assert_eq!(typo.body["total"], 2, "one edit is forgiven: {}", typo.text);
    assert_eq!(short.body["total"], 0, "words under five letters get no typo allowance: {}", short.text);
}

async fn a_search_too_narrow_widens_to_half_its_words_those_matching_more_first(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    publish(&app, &token, sme("Alpha SAS"), &[offer("Flood sensors", "Flood sensor kits, flood sensors", "en")]).await;
    publish(
        &app,
        &token,
        sme("Beta SAS"),
        &[offer(
            "Operations platform",
            "A platform for operators of critical sites, from stations to car parks, with a sensor layer, reports on \
             flood risk for each site and a tunnel inventory kept up to date by the teams on the ground every week",
            "en",
        )],
    )
    .await;
    let (_, seq) = publish(&app, &token, sme("Gamma SAS"), &[offer("Wildfire watch", "Forest monitoring", "en")]).await;

    // No offer holds the four words: those holding two or more are answered, the most words matched first, even
    // where their score is lower.
    let reply = find(&app, "?q=flood%20sensor%20tunnel%20earthquake&type=offer", seq).await;

    assert_eq!(reply.body["total"], 2, "{}", reply.text);
    let hits = &reply.body["hits"];
    assert_eq!(hits[0]["title"], "Operations platform", "{}", reply.text);
    assert_eq!(hits[0]["words_matched"], 3);
    assert_eq!(hits[1]["title"], "Flood sensors");
    assert_eq!(hits[1]["words_matched"], 2);
    assert!(hits[1]["score"].as_f64() > hits[0]["score"].as_f64(), "{}", reply.text);
    // A search matched in full says so.
    let strict = find(&app, "?q=flood%20sensor&type=offer", seq).await;
    assert_eq!(strict.body["total"], 2, "{}", strict.text);
    assert_eq!(strict.body["hits"][0]["title"], "Flood sensors", "{}", strict.text);
    assert_eq!(strict.body["hits"][0]["words_matched"], 2);
}

async fn taxonomy_labels_and_synonyms_cross_languages(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    let mut english = sme("Shield Systems Ltd");
    english["country"] = json!("IE");
    english["description"] = json!({"en": "We protect industrial control systems"});
    english["technologies"] = json!(["cybersecurity"]);
    let (shield, _) = publish(&app, &token, english, &[]).await;
    let (_, seq) = publish(
        &app,
        &token,
        sme("Skyguard BV"),
        &[json!({
            "title": "UAV interception", "description": "Counter-UAV radar for airports", "language": "en",
            "technologies": ["iot_sensors"], "trl": 8
        })],
    )
    .await;

    let cyber = find(&app, "?q=cybersécurité&type=organisation", seq).await;
    let drone = find(&app, "?q=drone", seq).await;

    assert!(ids(&cyber).contains(&shield), "{}", cyber.text);
    assert_eq!(drone.body["hits"][0]["title"], "UAV interception", "{}", drone.text);
}

async fn facets_count_the_whole_result_set_and_filters_narrow_it(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    for i in 0..3 {
        publish(&app, &token, sme(&format!("SME {i}")), &[]).await;
    }
    let mut german = end_user("Stadtwerke Beispiel");
    german["country"] = json!("DE");
    german["sectors"] = json!(["energy"]);
    let (_, seq) = publish(
        &app,
        &token,
        german,
        &[json!({"title": "Anomaly detection on the grid", "sectors": ["energy"], "min_trl": 6})],
    )
    .await;

    let browse = find(&app, "?limit=2", seq).await;
    let organisations = find(&app, "?type=organisation&limit=1", seq).await;
    let filtered = find(&app, "?technology=IA&type=organisation", seq).await;
    let by_country = find(&app, "?country=de", seq).await;
    let by_sector_and_kind = find(&app, "?sector=énergie&kind=end_user&type=need", seq).await;

    assert_eq!(browse.body["total"], 5, "an empty query browses everything: {}", browse.text);
    assert_eq!(browse.body["hits"].as_array().map(Vec::len), Some(2));
    assert_eq!(browse.body["next_cursor"], "2");
    assert_eq!(browse.body["facets"]["kind"], json!({"sme": 3, "end_user": 2}));
    assert_eq!(browse.body["facets"]["country"], json!({"FR": 3, "DE": 2}));
    assert_eq!(browse.body["facets"]["technology"]["ai"], 3);
    assert_eq!(organisations.body["total"], 4);
    assert_eq!(
        organisations.body["facets"]["kind"],
        json!({"sme": 3, "end_user": 1}),
        "facets cover every hit, not just the page"
    );
    assert_eq!(filtered.body["total"], 3);
    assert_eq!(by_country.body["total"], 2);
    assert_eq!(by_sector_and_kind.body["total"], 1);
    assert_eq!(by_sector_and_kind.body["hits"][0]["title"], "Anomaly detection on the grid");
    let next = find(&app, "?limit=2&cursor=4", seq).await;
    assert_eq!(next.body["hits"].as_array().map(Vec::len), Some(1));
    assert_eq!(next.body["next_cursor"], Value::Null);
}

async fn unpublishing_or_deleting_removes_documents_from_results(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    let (first, _) = publish(&app, &token, sme("Ephemeral SAS"), &[offer("Drone radar", "", "en")]).await;
    let (second, seq) = publish(&app, &token, sme("Transient SAS"), &[offer("Drone jammer", "", "en")]).await;
    assert_eq!(find(&app, "?q=drone", seq).await.body["total"], 2);

    let unpublished =
        app.patch(&format!("/api/v1/organisations/{first}"), Some(&token), json!({"published": false})).await;
    let after_unpublish = find(&app, "?q=drone", unpublished.body["seq"].as_i64().expect("seq")).await;
    let deleted = app.delete(&format!("/api/v1/organisations/{second}"), Some(&token)).await;
    let seq: i64 = deleted.header("tandem-seq").and_then(|s| s.parse().ok()).expect("seq header");
    let after_delete = find(&app, "?q=drone", seq).await;
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    let broker_view = app.get(&format!("/api/v1/search?q=drone&min_seq={seq}"), Some(&broker)).await;

    assert_eq!(after_unpublish.body["total"], 1, "{}", after_unpublish.text);
    assert!(!ids(&after_unpublish).contains(&first));
    assert_eq!(after_delete.body["total"], 0, "{}", after_delete.text);
    assert_eq!(broker_view.body["total"], 1, "brokers still find the unpublished profile: {}", broker_view.text);
}

async fn matched_words_are_highlighted_and_contacts_never_appear(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    let (_, seq) = publish(
        &app,
        &token,
        end_user("CHU de Rennes"),
        &[json!({
            "title": "Protection contre les rançongiciels",
            "description": "Le centre hospitalier a subi une attaque par ransomware en 2024 <script>",
            "language": "fr", "sectors": ["health"], "min_trl": 7
        })],
    )
    .await;

    let reply = find(&app, "?q=ransomware%20hospital", seq).await;

    let hit = &reply.body["hits"][0];
    assert_eq!(hit["type"], "need", "{}", reply.text);
    assert_eq!(hit["title"], "Protection contre les rançongiciels");
    assert!(hit.get("name").is_none(), "a need has a title, not a name: {hit}");
    assert_eq!(hit["words_matched"], 2);
    assert!(hit["organisation_id"].is_string() && hit["id"].is_string(), "{hit}");
    // The summary the index stored, passed on as JSON.
    assert_eq!(hit["summary"]["organisation_name"], "CHU de Rennes", "{hit}");
    assert_eq!(hit["summary"]["sectors"], json!(["health"]));
    assert_eq!(hit["summary"]["min_trl"], 7);
    assert!(reply.body["applied_seq"].as_i64() >= Some(seq), "{}", reply.text);
    assert_eq!(reply.body["next_cursor"], Value::Null);
    let highlights: Vec<&str> =
        hit["highlights"].as_array().expect("highlights").iter().filter_map(Value::as_str).collect();
    assert!(highlights.iter().any(|h| h.contains("<mark>ransomware</mark>")), "{highlights:?}");
    assert!(highlights.iter().all(|h| !h.contains("<script>")), "snippets are HTML-escaped: {highlights:?}");
    assert!(!reply.text.contains("securite@port.example") && !reply.text.contains("Jean Dupont"), "{}", reply.text);
}

async fn suggest_completes_prefixes(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    let (_, seq) = publish(&app, &token, sme("Cyberwatch SAS"), &[]).await;
    find(&app, "?q=x", seq).await;

    let reply = app.get("/api/v1/search/suggest?q=cyb", None).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    let suggestions: Vec<&str> =
        reply.body["suggestions"].as_array().expect("list").iter().filter_map(Value::as_str).collect();
    assert!(suggestions.contains(&"cyberwatch"), "{suggestions:?}");
    assert!(suggestions.iter().any(|s| s.to_lowercase().starts_with("cybersecurity")), "{suggestions:?}");
}

async fn bad_search_parameters_are_400s(engine: Engine) {
    let app = spawn_app(engine).await;

    for (query, field) in [
        ("?q=%22drone", "q"),
        ("?technology=blockchain", "technology"),
        ("?sector=aerospace%20manufacturing", "sector"),
        ("?kind=zzzz", "kind"),
        ("?country=XX", "country"),
        ("?type=company", "type"),
        ("?limit=1000", "limit"),
        ("?trl_min=12", "trl_min"),
        ("?trl_min=high", "trl_min"),
        ("?cursor=abc", "cursor"),
        ("?colour=blue", "colour"),
    ] {
        let reply = app.get(&format!("/api/v1/search{query}"), None).await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text);
        let fields = reply.assert_problem(400);
        assert!(fields.iter().any(|f| f == field), "{query}: {}", reply.text);
    }
}

/// Each indexer pass commits a segment; once `index.merge_after_changes` changes are applied (here one) and the
/// indexer has caught up, the segments are merged into one, and every document is still found.
async fn segments_are_merged_after_a_large_catch_up(engine: Engine) {
    let app = spawn_app_with(engine, &[("index.merge_after_changes", json!(1))]).await;
    let owner = app.signed_up("owner@example.org").await;
    let mut seq = 0;
    let mut organisations = Vec::new();
    for i in 0..6 {
        let (id, last) = publish(&app, &owner, sme(&format!("Balise Maritime {i}")), &[json!({
            "title": format!("Balises AIS numéro {i}"), "language": "fr", "description": "Suivi des navires au port.",
            "technologies": ["iot_sensors"], "domains": ["critical_infrastructure"], "trl": 7
        })]).await;
        organisations.push(id);
        seq = last;
    }
    let mut segments = None;
    for _ in 0..100 {
        let health = app.get("/health/ready", None).await;
        assert_eq!(health.status, 200, "{}", health.text);
        segments = health.body["index"]["segments"].as_u64();
        if health.body["index"]["applied_seq"].as_i64() >= Some(seq) && segments == Some(1) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(segments, Some(1), "one segment once the indexer has caught up and merged");
    let found = find(&app, "?q=balises&type=organisation", seq).await;
    let first = &found.body["hits"][0];
    assert!(first["name"].as_str().is_some_and(|n| n.starts_with("Balise Maritime")), "{first}");
    assert!(first.get("title").is_none(), "an organisation has a name, not a title: {first}");
    assert_eq!(first["summary"]["kind"], "sme", "{first}");
    let mut found = ids(&found);
    found.sort();
    organisations.sort();
    assert_eq!(found, organisations);
}

/// `/health/ready` shows the bitset cache: the budget set by `index.search_cache_mb`, and a word searched again found
/// in it.
async fn readiness_reports_the_search_cache_within_its_configured_budget(engine: Engine) {
    let app = spawn_app_with(engine, &[("index.search_cache_mb", json!(3))]).await;
    let owner = app.signed_up("owner@example.org").await;
    let mut seq = 0;
    for i in 0..3 {
        let item = offer(&format!("Drone detection {i}"), "Radar and cameras for ports", "en");
        seq = publish(&app, &owner, sme(&format!("Skywatch {i}")), &[item]).await.1;
    }
    let cache = |reply: &Reply| reply.body["index"]["cache"].clone();
    let count = |cache: &Value, key: &str| cache[key].as_u64().unwrap_or_else(|| panic!("{key} in {cache}"));

    let before = cache(&app.get("/health/ready", None).await);
    assert_eq!(before["capacity_bytes"], 3 << 20, "{before}");
    let first = find(&app, "?q=drone", seq).await;
    let after_first = cache(&app.get("/health/ready", None).await);
    let second = find(&app, "?q=drone", seq).await;
    let after_second = cache(&app.get("/health/ready", None).await);
    let again = find(&app, "?q=drone", seq).await;
    let after_again = cache(&app.get("/health/ready", None).await);

    assert_eq!(first.body["total"], 3, "{}", first.text);
    assert_eq!(second.body["hits"], first.body["hits"]);
    assert_eq!(again.body["hits"], first.body["hits"]);
    assert!(count(&after_first, "word_misses") > count(&before, "word_misses"), "{after_first}");
    assert!(count(&after_first, "entries") > 0 && count(&after_first, "used_bytes") > 0, "{after_first}");
    assert!(count(&after_again, "word_hits") > count(&after_first, "word_hits"), "{after_again}");
    // The scored clauses too: read from the postings the first time, computed and kept the second, found the third.
    assert!(count(&after_first, "clause_misses") > count(&before, "clause_misses"), "{after_first}");
    assert!(count(&after_second, "clause_misses") > count(&after_first, "clause_misses"), "{after_second}");
    assert!(count(&after_again, "clause_hits") > count(&after_second, "clause_hits"), "{after_again}");
    assert_eq!(count(&after_again, "clause_misses"), count(&after_second, "clause_misses"), "{after_again}");
    assert_eq!(after_again["capacity_bytes"], 3 << 20);
}
