use serde_json::{Value, json};

use crate::both_engines;
use crate::helpers::{Engine, Reply, TestApp, end_user, sme, spawn_app, spawn_app_with};

both_engines!(
    an_end_user_sees_the_smes_whose_offers_answer_its_needs,
    only_complementary_kinds_are_suggested,
    unpublished_and_declined_partners_are_never_suggested,
    near_duplicate_legal_entities_are_never_suggested_to_each_other,
    explanations_add_up_and_come_in_the_asked_language,
    a_need_and_an_offer_get_their_own_suggestions,
    unknown_ids_are_404s_and_contacts_never_appear,
    suggestions_are_the_same_from_stored_analyses_and_from_texts,
);

struct Market {
    owner: String,
    port: String,
    drone_sme: String,
    flood_sme: String,
    seq: i64,
}

async fn create(app: &TestApp, token: &str, body: Value, items: &[Value]) -> (String, i64) {
    app.organisation_with_items(token, body, items).await
}

/// A port that needs drone detection, an SME that detects drones, and an SME that forecasts floods.
async fn market(app: &TestApp) -> Market {
    let owner = app.signed_up("owner@example.org").await;
    let (port, _) = create(app, &owner, end_user("Grand Port de Test"), &[json!({
        "title": "Détection de drones au-dessus du terminal", "language": "fr",
        "description": "Nous voulons détecter et localiser les drones qui survolent le terminal à conteneurs la nuit.",
        "technologies": ["iot_sensors", "ai"], "domains": ["critical_infrastructure"], "sectors": ["port"], "min_trl": 6
    })]).await;
    let mut drone = sme("Vigie Drones SAS");
    drone["technologies"] = json!(["iot_sensors", "ai"]);
    let (drone_sme, _) = create(app, &owner, drone, &[json!({
        "title": "Radar et caméras de détection de drones", "language": "fr",
        "description": "Détection, localisation et classification des drones au-dessus des sites portuaires, de nuit comme de jour.",
        "technologies": ["iot_sensors", "ai"], "domains": ["critical_infrastructure"], "trl": 7
    })]).await;
    let mut flood = sme("Hydra Prévision SAS");
    flood["registration_id"] = json!("FR99887766554");
    flood["technologies"] = json!(["data_analytics"]);
    flood["domains"] = json!(["disaster_resilience"]);
    let (flood_sme, seq) = create(
        app,
        &owner,
        flood,
        &[json!({
            "title": "Prévision des crues", "language": "fr",
            "description": "Modèles hydrologiques et alertes pour les communes riveraines.",
            "technologies": ["data_analytics"], "domains": ["disaster_resilience"], "trl": 8
        })],
    )
    .await;
    // Matching reads the index: wait until it has every write.
    assert_eq!(app.get(&format!("/api/v1/search?min_seq={seq}"), None).await.status, 200);
    Market { owner, port, drone_sme, flood_sme, seq }
}

fn partner_ids(reply: &Reply) -> Vec<String> {
    reply.body["matches"]
        .as_array()
        .expect("matches")
        .iter()
        .map(|m| m["organisation"]["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn an_end_user_sees_the_smes_whose_offers_answer_its_needs(engine: Engine) {
    let app = spawn_app(engine).await;
    let m = market(&app).await;

    let for_port = app.get(&format!("/api/v1/organisations/{}/matches", m.port), Some(&m.owner)).await;
    let for_sme = app.get(&format!("/api/v1/organisations/{}/matches", m.drone_sme), None).await;

    assert_eq!(for_port.status, 200, "{}", for_port.text);
    assert_eq!(partner_ids(&for_port)[0], m.drone_sme, "{}", for_port.text);
    let best = &for_port.body["matches"][0];
    assert!(
        best["matched_terms"]
            .as_array()
            .expect("terms")
            .iter()
            .any(|t| t.as_str().is_some_and(|t| t.starts_with("drone"))),
        "{best}"
    );
    assert_eq!(best["pairs"].as_array().map(Vec::len), Some(1));
    assert_eq!(partner_ids(&for_sme), vec![m.port.clone()]);
    if partner_ids(&for_port).len() == 2 {
        let scores: Vec<f64> =
            for_port.body["matches"].as_array().expect("matches").iter().filter_map(|m| m["score"].as_f64()).collect();
        assert!(scores[0] > scores[1], "the drone SME ranks above the flood SME: {scores:?}");
    }
}

async fn only_complementary_kinds_are_suggested(engine: Engine) {
    let app = spawn_app(engine).await;
    let m = market(&app).await;

    let for_sme = app.get(&format!("/api/v1/organisations/{}/matches", m.drone_sme), None).await;
    let for_port = app.get(&format!("/api/v1/organisations/{}/matches", m.port), None).await;
    let lab = app
        .organisation(&m.owner, json!({"legal_name": "Laboratoire Test", "kind": "research", "country": "FR"}))
        .await;
    let for_lab = app.get(&format!("/api/v1/organisations/{lab}/matches"), None).await;

    for m in for_sme.body["matches"].as_array().expect("matches") {
        assert_eq!(m["organisation"]["kind"], "end_user");
    }
    for m in for_port.body["matches"].as_array().expect("matches") {
        assert_eq!(m["organisation"]["kind"], "sme");
    }
    assert!(!partner_ids(&for_sme).contains(&m.flood_sme), "an SME is never suggested to an SME");
    assert_eq!(for_lab.assert_problem(422), ["kind"]);
}

async fn unpublished_and_declined_partners_are_never_suggested(engine: Engine) {
    let app = spawn_app(engine).await;
    let m = market(&app).await;
    let before = app.get(&format!("/api/v1/organisations/{}/matches", m.port), None).await;
    assert!(partner_ids(&before).contains(&m.drone_sme));
    assert!(partner_ids(&before).contains(&m.flood_sme), "{}", before.text);

    let hidden =
        app.patch(&format!("/api/v1/organisations/{}", m.flood_sme), Some(&m.owner), json!({"published": false})).await;
    let declined = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/organisations/{}/declined/{}", m.port, m.drone_sme),
            Some(&m.owner),
            None,
        )
        .await;
    app.get(&format!("/api/v1/search?min_seq={}", hidden.body["seq"]), None).await;
    let after = app.get(&format!("/api/v1/organisations/{}/matches", m.port), None).await;
    let from_the_other_side = app.get(&format!("/api/v1/organisations/{}/matches", m.drone_sme), None).await;

    assert_eq!(declined.status, 204, "{}", declined.text);
    assert_eq!(after.body["matches"], json!([]), "{}", after.text);
    assert!(!partner_ids(&from_the_other_side).contains(&m.port), "a declined pair is declined both ways");
    let undone =
        app.delete(&format!("/api/v1/organisations/{}/declined/{}", m.port, m.drone_sme), Some(&m.owner)).await;
    assert_eq!(undone.status, 204);
    assert_eq!(
        partner_ids(&app.get(&format!("/api/v1/organisations/{}/matches", m.port), None).await),
        vec![m.drone_sme.clone()]
    );
    assert!(m.seq > 0);
}

async fn near_duplicate_legal_entities_are_never_suggested_to_each_other(engine: Engine) {
    let app = spawn_app(engine).await;
    let m = market(&app).await;
    // The drone SME also registered as an end user, under a near-identical name.
    let mut twin = end_user("VIGIE DRONES");
    twin["registration_id"] = json!("FR12121212121");
    let (twin_id, seq) = create(&app, &m.owner, twin, &[json!({
        "title": "Détection de drones", "description": "Radar de détection de drones au-dessus du terminal portuaire",
        "language": "fr", "technologies": ["iot_sensors"], "min_trl": 5
    })]).await;
    let mut same_id = end_user("Autre Nom SA");
    same_id["registration_id"] = json!(sme("Vigie Drones SAS")["registration_id"].clone());
    let (same_id_org, seq2) = create(
        &app,
        &m.owner,
        same_id,
        &[json!({"title": "Détection de drones radar", "language": "fr", "min_trl": 5})],
    )
    .await;
    app.get(&format!("/api/v1/search?min_seq={}", seq.max(seq2)), None).await;

    let for_sme = app.get(&format!("/api/v1/organisations/{}/matches", m.drone_sme), None).await;

    let ids = partner_ids(&for_sme);
    assert!(ids.contains(&m.port), "{}", for_sme.text);
    assert!(!ids.contains(&twin_id), "same name once legal forms and case are set aside: {}", for_sme.text);
    assert!(!ids.contains(&same_id_org), "same registration id: {}", for_sme.text);
}

async fn explanations_add_up_and_come_in_the_asked_language(engine: Engine) {
    let app = spawn_app(engine).await;
    let m = market(&app).await;
    let path = format!("/api/v1/organisations/{}/matches", m.port);

    let french = app.send(app.client.get(app.url(&path)).header("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")).await;
    let english = app.send(app.client.get(app.url(&path)).header("Accept-Language", "en-GB")).await;

    for reply in [&french, &english] {
        for m in reply.body["matches"].as_array().expect("matches") {
            let total: f64 = m["parts"]
                .as_array()
                .expect("parts")
                .iter()
                .map(|p| p["weight"].as_f64().unwrap_or(f64::NAN) * p["value"].as_f64().unwrap_or(f64::NAN))
                .sum();
            let score = m["score"].as_f64().expect("score");
            assert!((total - score).abs() < 1e-3, "parts add up to {total}, score {score}");
            assert!((0.0..=1.0).contains(&score));
            let names: Vec<&str> =
                m["parts"].as_array().expect("parts").iter().filter_map(|p| p["name"].as_str()).collect();
            for name in [
                "offers_fit_needs",
                "needs_fit_offers",
                "reciprocity",
                "taxonomy",
                "maturity",
                "geography_language",
                "completeness_freshness",
            ] {
                assert!(names.contains(&name), "{name} missing from {names:?}");
            }
        }
    }
    let reason = |reply: &Reply, part: &str| -> String {
        reply.body["matches"][0]["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .find(|p| p["name"] == part)
            .and_then(|p| p["reason"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(reason(&french, "maturity").contains("besoin"), "{}", reason(&french, "maturity"));
    assert!(reason(&english, "maturity").contains("need"), "{}", reason(&english, "maturity"));
    assert!(reason(&french, "taxonomy").contains("en commun"));
    assert!(reason(&english, "taxonomy").contains("in common"));
}

async fn a_need_and_an_offer_get_their_own_suggestions(engine: Engine) {
    let app = spawn_app(engine).await;
    let m = market(&app).await;
    let need = app.get(&format!("/api/v1/organisations/{}/needs", m.port), None).await.body["items"][0]["id"]
        .as_str()
        .expect("need")
        .to_owned();
    let offer = app.get(&format!("/api/v1/organisations/{}/offers", m.drone_sme), None).await.body["items"][0]["id"]
        .as_str()
        .expect("offer")
        .to_owned();

    let offers_for_need = app.get(&format!("/api/v1/needs/{need}/matches"), None).await;
    let needs_for_offer = app.get(&format!("/api/v1/offers/{offer}/matches"), None).await;

    assert_eq!(offers_for_need.status, 200, "{}", offers_for_need.text);
    let first = &offers_for_need.body["matches"][0];
    assert_eq!(first["offer"]["id"], offer.as_str(), "{}", offers_for_need.text);
    assert_eq!(first["organisation"]["id"], m.drone_sme.as_str());
    assert_eq!(first["pairs"][0]["need_id"], need.as_str());
    assert_eq!(needs_for_offer.body["matches"][0]["need"]["id"], need.as_str(), "{}", needs_for_offer.text);
}

async fn unknown_ids_are_404s_and_contacts_never_appear(engine: Engine) {
    let app = spawn_app(engine).await;
    let m = market(&app).await;

    app.get("/api/v1/organisations/0190f0f0-0000-7000-8000-000000000000/matches", None).await.assert_problem(404);
    app.get("/api/v1/needs/nope/matches", None).await.assert_problem(404);
    app.get("/api/v1/offers/nope/matches", None).await.assert_problem(404);
    let bad_limit = app.get(&format!("/api/v1/organisations/{}/matches?limit=1000", m.port), None).await;
    assert_eq!(bad_limit.assert_problem(400), ["limit"]);
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    for token in [None, Some(m.owner.as_str()), Some(broker.as_str())] {
        let reply = app.get(&format!("/api/v1/organisations/{}/matches", m.port), token).await;
        assert!(
            !reply.text.contains("camille@sentinelle.example") && !reply.text.contains("Camille Martin"),
            "{}",
            reply.text
        );
        assert!(!reply.text.contains("\"contact\""), "{}", reply.text);
    }
}

/// Offers and needs are analysed when written, and suggestions read that analysis; rows without one (a database from
/// before it existed) are analysed when read, with the same result, and are given one at start-up.
async fn suggestions_are_the_same_from_stored_analyses_and_from_texts(engine: Engine) {
    // No congestion discount: the same list is asked for several times and must not change.
    let still = [("matching.congestion.weight", json!(0.0))];
    let app = spawn_app_with(engine, &still).await;
    // Each list served counts as an exposure, which the congestion part reports even at weight zero; and concept
    // weights are inverse document frequencies, which move a little when the index merges away deleted versions of
    // re-indexed documents between two requests. So: the same partners, terms and part values to 0.01.
    let same = |a: &Reply, b: &Reply| {
        assert_eq!(partner_ids(a), partner_ids(b));
        for (x, y) in
            a.body["matches"].as_array().expect("matches").iter().zip(b.body["matches"].as_array().expect("m"))
        {
            assert_eq!(x["matched_terms"], y["matched_terms"]);
            assert_eq!(x["pairs"].as_array().map(Vec::len), y["pairs"].as_array().map(Vec::len));
            let parts = |m: &Value| -> Vec<(String, f64)> {
                m["parts"]
                    .as_array()
                    .expect("parts")
                    .iter()
                    .filter(|p| p["name"] != "congestion")
                    .map(|p| (p["name"].as_str().expect("name").to_owned(), p["value"].as_f64().expect("value")))
                    .collect()
            };
            for ((name, u), (other, v)) in parts(x).into_iter().zip(parts(y)) {
                assert_eq!(name, other);
                assert!((u - v).abs() < 0.01, "{name}: {u} against {v}\n{}\n{}", a.text, b.text);
            }
        }
    };
    let m = market(&app).await;
    let stored = "SELECT COUNT(*) FROM offers WHERE analysis LIKE 'tandem-analysis 1 %' AND analysis LIKE '%drone%'";
    assert_eq!(app.sql_number(stored).await, 1, "the drone offer's analysis is stored with it");
    assert_eq!(app.sql_number("SELECT COUNT(*) FROM needs WHERE analysis LIKE '%drone%'").await, 1);
    let path = format!("/api/v1/organisations/{}/matches", m.port);
    let before = app.get(&path, Some(&m.owner)).await;
    assert_eq!(before.status, 200, "{}", before.text);
    assert_eq!(partner_ids(&before)[0], m.drone_sme);

    // Suggestions read the stored analysis: emptied (its first line kept, so still current for these texts), the
    // drone offer's words no longer meet the port's need.
    let terms = |reply: &Reply| -> String {
        let best =
            reply.body["matches"].as_array().expect("matches").iter().find(|x| x["organisation"]["id"] == *m.drone_sme);
        best.map(|x| x["matched_terms"].to_string()).unwrap_or_default()
    };
    assert!(terms(&before).contains("drones"), "{}", before.text);
    let emptied = match engine {
        Engine::Sqlite => {
            "UPDATE offers SET analysis = substr(analysis, 1, instr(analysis, char(10))) WHERE analysis LIKE '%drone%'"
        }
        Engine::Postgres => {
            "UPDATE offers SET analysis = split_part(analysis, E'\\n', 1) || E'\\n' WHERE analysis LIKE '%drone%'"
        }
    };
    assert_eq!(app.sql(emptied).await, 1);
    let reply = app.get(&path, Some(&m.owner)).await;
    assert!(!terms(&reply).contains("drones"), "{}", reply.text);

    assert_eq!(app.sql("UPDATE offers SET analysis = NULL").await, 2);
    assert_eq!(app.sql("UPDATE needs SET analysis = 'tandem-analysis 0\nold\told\n'").await, 1);
    let from_texts = app.get(&path, Some(&m.owner)).await;
    assert_eq!(from_texts.status, 200, "{}", from_texts.text);
    same(&from_texts, &before);

    let app = app.restarted(&still).await;
    let caught_up = app.get(&format!("/api/v1/search?min_seq={}", m.seq), None).await;
    assert_eq!(caught_up.status, 200);
    let mut current = 0;
    for _ in 0..100 {
        current = app.sql_number("SELECT COUNT(*) FROM offers WHERE analysis LIKE 'tandem-analysis 1 %'").await
            + app.sql_number("SELECT COUNT(*) FROM needs WHERE analysis LIKE 'tandem-analysis 1 %'").await;
        if current == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(current, 3, "every offer and need analysed again after a restart");
    let after = app.get(&path, Some(&m.owner)).await;
    assert_eq!(after.status, 200, "{}", after.text);
    same(&after, &before);
}
