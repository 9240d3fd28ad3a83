//! Broker tools over a whole call: pairings, the brokerage day, statistics.
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_engines;
use crate::calls::{open_call, opt_in};
use crate::helpers::{Engine, TestApp, end_user, sme, spawn_app};

struct Market {
    broker: String,
    owner: String,
    call: String,
    /// Drones and floods.
    both: String,
    /// Floods only.
    floods: String,
    /// Swiss: outside CITADEL's SME countries.
    swiss: String,
    /// Needs drones and floods.
    port: String,
    /// Needs drones only.
    airport: String,
    /// Needs something no SME offers.
    museum: String,
}

fn offer(title: &str, description: &str, technologies: &[&str]) -> Value {
    json!({"title": title, "language": "fr", "description": description, "technologies": technologies, "domains": ["critical_infrastructure"], "trl": 7})
}

fn need(title: &str, description: &str, technologies: &[&str]) -> Value {
    json!({"title": title, "language": "fr", "description": description, "technologies": technologies, "domains": ["critical_infrastructure"], "min_trl": 5})
}

async fn market(app: &TestApp) -> Market {
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    let owner = app.signed_up("owner@example.org").await;
    let call = open_call(app, &broker, "brokerage-call", chrono::Duration::days(30)).await;
    let mut made = Vec::new();
    let orgs: Vec<(Value, Value)> = vec![
        (
            sme("Vigie Drones et Crues SAS"),
            offer(
                "Détection de drones et prévision des crues",
                "Radar de détection de drones au-dessus des sites et modèles de prévision des crues et des inondations.",
                &["iot_sensors", "data_analytics"],
            ),
        ),
        (
            sme("Hydra Crues SARL"),
            offer(
                "Prévision des crues",
                "Modèles de prévision des crues et alertes aux inondations pour les sites riverains.",
                &["data_analytics"],
            ),
        ),
        (
            {
                let mut swiss = sme("Helvetic Drones AG");
                swiss["country"] = json!("CH");
                swiss
            },
            offer("Radar anti-drones", "Détection de drones au-dessus des sites sensibles.", &["iot_sensors"]),
        ),
        (
            end_user("Port de Sète"),
            need(
                "Drones et crues sur le port",
                "Détecter les drones au-dessus des quais et prévoir les crues et inondations du port.",
                &["iot_sensors", "data_analytics"],
            ),
        ),
        (
            end_user("Aéroport de Nîmes"),
            need("Drones au-dessus des pistes", "Détecter les drones qui survolent les pistes.", &["iot_sensors"]),
        ),
        (
            {
                let mut museum = end_user("Museo di Belle Arti");
                museum["country"] = json!("IT");
                museum["languages"] = json!(["it"]);
                museum["technologies"] = json!(["crisis_management"]);
                museum["domains"] = json!(["digital_green_transition"]);
                museum["sectors"] = json!(["public_administration"]);
                museum["description"] = json!({"en": "Museum of fine arts"});
                museum
            },
            json!({
                "title": "Restauro dei dipinti", "language": "en",
                "description": "Preventive conservation of old paintings and climate control of the galleries.",
                "technologies": ["crisis_management"], "domains": ["digital_green_transition"], "min_trl": 5
            }),
        ),
    ];
    let mut seq = 0;
    for (body, item) in orgs {
        let (id, s) = app.organisation_with_items(&owner, body, &[item]).await;
        opt_in(app, &owner, &call, &id).await;
        seq = seq.max(s);
        made.push(id);
    }
    assert_eq!(app.get(&format!("/api/v1/search?min_seq={seq}"), None).await.status, StatusCode::OK);
    let [both, floods, swiss, port, airport, museum] = made.try_into().unwrap();
    Market { broker, owner, call, both, floods, swiss, port, airport, museum }
}

fn pairs_of(body: &Value) -> Vec<(String, String)> {
    body["pairings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (p["organisations"][0].as_str().unwrap().to_owned(), p["organisations"][1].as_str().unwrap().to_owned())
        })
        .collect()
}

async fn pairings_are_optimal_eligible_and_within_capacity(engine: Engine) {
    let app = spawn_app(engine).await;
    let m = market(&app).await;
    let path = format!("/api/v1/calls/{}/pairings", m.call);
    app.get(&path, Some(&m.owner)).await.assert_problem(403);

    let reply = app.get(&path, Some(&m.broker)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let body = &reply.body;
    let pairs = pairs_of(body);
    // The greedy choice pairs the drones-and-floods SME with the port and leaves the floods SME alone; the
    // optimum sends it to the airport (drones) and the floods SME to the port.
    assert!(pairs.contains(&(m.both.clone(), m.airport.clone())), "{}", reply.text);
    assert!(pairs.contains(&(m.floods.clone(), m.port.clone())), "{}", reply.text);
    let total = body["total_score"].as_f64().unwrap();
    let greedy = body["greedy_total_score"].as_f64().unwrap();
    assert!(total > greedy, "the optimum gains over greedy: {total} vs {greedy}");
    let sum: f64 = body["pairings"].as_array().unwrap().iter().map(|p| p["score"].as_f64().unwrap()).sum();
    assert!((sum - total).abs() < 1e-3);
    for p in body["pairings"].as_array().unwrap() {
        let parts: f64 = p["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["weight"].as_f64().unwrap() * x["value"].as_f64().unwrap())
            .sum();
        assert!(p["score"].as_f64().unwrap() > 0.0 && (parts - p["score"].as_f64().unwrap()).abs() < 0.01);
    }
    // Never an ineligible pair; each left-out organisation says why.
    assert!(!pairs.iter().any(|(a, _)| *a == m.swiss));
    let reason = |id: &str| {
        body["unpaired"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["organisation"] == id)
            .map(|u| u["reason"].as_str().unwrap().to_owned())
    };
    assert_eq!(reason(&m.swiss).as_deref(), Some("not_eligible"), "{}", reply.text);
    assert!(reason(&m.museum).is_some());

    // Capacity 2 lets one organisation take two partners; never more.
    let two = app.get(&format!("{path}?capacity=2"), Some(&m.broker)).await.body;
    let mut count = std::collections::HashMap::new();
    for (a, b) in pairs_of(&two) {
        *count.entry(a).or_insert(0) += 1;
        *count.entry(b).or_insert(0) += 1;
    }
    assert!(count.values().all(|&c| c <= 2));
    assert!(count.values().any(|&c| c == 2), "{two}");
    assert!(two["total_score"].as_f64().unwrap() >= total);

    // min_score drops weaker pairs; a declined pair is never proposed.
    let strict = app.get(&format!("{path}?min_score=0.99"), Some(&m.broker)).await.body;
    assert!(strict["pairings"].as_array().unwrap().is_empty());
    let intro = app
        .post("/api/v1/introductions", Some(&m.broker), json!({"from": m.both, "to": m.airport, "call": m.call}))
        .await;
    let id = intro.body["id"].as_str().unwrap();
    app.post(&format!("/api/v1/introductions/{id}/decline"), Some(&m.owner), json!({"reason": "not_relevant"})).await;
    let after = app.get(&path, Some(&m.broker)).await.body;
    assert!(!pairs_of(&after).contains(&(m.both.clone(), m.airport.clone())), "{after}");
    app.get(&format!("{path}?capacity=0"), Some(&m.broker)).await.assert_problem(400);
    app.get(&format!("{path}?min_score=2"), Some(&m.broker)).await.assert_problem(400);
}

async fn the_brokerage_day_never_double_books(engine: Engine) {
    let app = spawn_app(engine).await;
    let m = market(&app).await;
    let event = app
        .post(&format!("/api/v1/calls/{}/events", m.call), Some(&m.broker), json!({"name": "Journée d'affaires", "starts_at": "2027-03-10T09:00:00Z", "slot_minutes": 20, "slots": 2, "location": "Marseille"}))
        .await;
    assert_eq!(event.status, StatusCode::CREATED, "{}", event.text);
    let event = event.body["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/calls/{}/events", m.call),
        Some(&m.owner),
        json!({"name": "x", "starts_at": "2027-03-10T09:00:00Z", "slot_minutes": 20, "slots": 2}),
    )
    .await
    .assert_problem(403);

    // A connected introduction becomes a meeting; the broker adds three more.
    let intro = app
        .post("/api/v1/introductions", Some(&m.broker), json!({"from": m.floods, "to": m.port, "call": m.call}))
        .await;
    let id = intro.body["id"].as_str().unwrap();
    app.post(&format!("/api/v1/introductions/{id}/accept"), Some(&m.owner), json!({})).await;
    let accepted = app.post(&format!("/api/v1/introductions/{id}/accept"), Some(&m.owner), json!({})).await;
    assert_eq!(accepted.body["state"], "connected", "{}", accepted.text);
    for pair in [[&m.both, &m.port], [&m.both, &m.airport], [&m.both, &m.museum]] {
        let added = app
            .post(&format!("/api/v1/events/{event}/meetings"), Some(&m.broker), json!({"organisations": pair}))
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
    }
    // The airport is only free in slot 1; the museum in no slot the SME is free in.
    let put = |org: &String, slots: Value| {
        let (app, owner) = (&app, m.owner.clone());
        let path = format!("/api/v1/events/{event}/availability/{org}");
        async move { app.call(reqwest::Method::PUT, &path, Some(&owner), Some(json!({"slots": slots}))).await }
    };
    assert_eq!(put(&m.airport, json!([1])).await.status, StatusCode::OK);
    assert_eq!(put(&m.museum, json!([])).await.status, StatusCode::OK);
    assert_eq!(put(&m.port, json!([5])).await.assert_problem(422), vec!["slots[0]".to_owned()]);

    let scheduled = app.post(&format!("/api/v1/events/{event}/schedule"), Some(&m.broker), json!({})).await;
    assert_eq!(scheduled.status, StatusCode::OK, "{}", scheduled.text);
    let meetings = scheduled.body["meetings"].as_array().unwrap();
    let mut busy = std::collections::HashSet::new();
    for meeting in meetings {
        let slot = meeting["slot"].as_i64().unwrap();
        for org in meeting["organisations"].as_array().unwrap() {
            assert!(busy.insert((org.as_str().unwrap().to_owned(), slot)), "double-booked: {}", scheduled.text);
            if org == &json!(m.airport) {
                assert_eq!(slot, 1, "the airport is only free in slot 1");
            }
        }
        assert!(meeting["starts_at"].is_string() && meeting["ends_at"].is_string());
    }
    assert_eq!(meetings.len(), 3, "{}", scheduled.text);
    let unscheduled = scheduled.body["unscheduled"].as_array().unwrap();
    assert_eq!(unscheduled.len(), 1);
    assert_eq!(unscheduled[0]["reason"], "no_common_slot");

    // Each organisation sees its own agenda; the whole one is for brokers.
    let own = app.get(&format!("/api/v1/events/{event}/agenda?org={}", m.both), Some(&m.owner)).await;
    assert_eq!(own.body["meetings"].as_array().unwrap().len(), 2, "{}", own.text);
    let stranger = app.signed_up("stranger@example.org").await;
    app.get(&format!("/api/v1/events/{event}/agenda?org={}", m.both), Some(&stranger)).await.assert_problem(403);
    app.get(&format!("/api/v1/events/{event}/agenda"), Some(&m.owner)).await.assert_problem(400);
    let ics = app.get(&format!("/api/v1/events/{event}/agenda.ics?org={}", m.both), Some(&m.owner)).await;
    assert!(ics.header("content-type").unwrap().starts_with("text/calendar"));
    assert!(ics.text.contains("BEGIN:VCALENDAR") && ics.text.matches("BEGIN:VEVENT").count() == 2, "{}", ics.text);
    assert!(ics.text.contains("Vigie Drones et Crues SAS"));
    let uids = |text: &str| text.lines().filter(|l| l.starts_with("UID:")).map(str::to_owned).collect::<Vec<_>>();
    let again = app.get(&format!("/api/v1/events/{event}/agenda.ics?org={}", m.both), Some(&m.owner)).await;
    assert_eq!(uids(&ics.text), uids(&again.text), "UIDs are stable across exports");
    app.post(&format!("/api/v1/events/{event}/schedule"), Some(&m.owner), json!({})).await.assert_problem(403);

    // Brokers edit the agenda by hand, and cannot double-book while doing so.
    let first = &meetings[0];
    let other_slot = 1 - first["slot"].as_i64().unwrap();
    let moved = app
        .patch(
            &format!("/api/v1/events/{event}/meetings/{}", first["id"].as_str().unwrap()),
            Some(&m.broker),
            json!({"slot": other_slot}),
        )
        .await;
    moved.assert_problem(409);
    let out = app
        .patch(
            &format!("/api/v1/events/{event}/meetings/{}", first["id"].as_str().unwrap()),
            Some(&m.broker),
            json!({"slot": null}),
        )
        .await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.text);
    assert_eq!(out.body["meetings"].as_array().unwrap().len(), 2);
    app.patch(
        &format!("/api/v1/events/{event}/meetings/{}", first["id"].as_str().unwrap()),
        Some(&m.owner),
        json!({"slot": 0}),
    )
    .await
    .assert_problem(403);
}

async fn statistics_show_how_the_call_is_doing(engine: Engine) {
    let app = spawn_app(engine).await;
    let m = market(&app).await;
    let path = format!("/api/v1/calls/{}/stats", m.call);
    app.get(&path, Some(&m.owner)).await.assert_problem(403);
    let declined =
        app.post("/api/v1/introductions", Some(&m.broker), json!({"from": m.both, "to": m.port, "call": m.call})).await;
    let connected = app
        .post("/api/v1/introductions", Some(&m.broker), json!({"from": m.floods, "to": m.port, "call": m.call}))
        .await;
    app.post(
        &format!("/api/v1/introductions/{}/decline", declined.body["id"].as_str().unwrap()),
        Some(&m.owner),
        json!({"reason": "no_capacity"}),
    )
    .await;
    let c = connected.body["id"].as_str().unwrap();
    app.post(&format!("/api/v1/introductions/{c}/accept"), Some(&m.owner), json!({})).await;
    app.post(&format!("/api/v1/introductions/{c}/accept"), Some(&m.owner), json!({})).await;
    app.post("/api/v1/consortia", Some(&m.broker), json!({"call": m.call, "name": "ok", "partners": [{"organisation": m.floods, "role": "digital_sme"}, {"organisation": m.port, "role": "security_end_user"}]})).await;
    app.post("/api/v1/consortia", Some(&m.broker), json!({"call": m.call, "name": "bad", "partners": [{"organisation": m.swiss, "role": "digital_sme"}, {"organisation": m.port, "role": "security_end_user"}]})).await;

    let stats = app.get(&path, Some(&m.broker)).await;
    assert_eq!(stats.status, StatusCode::OK, "{}", stats.text);
    let s = &stats.body;
    assert_eq!(s["participants"]["by_kind"], json!({"end_user": 3, "sme": 3}));
    assert_eq!(s["participants"]["by_country"]["CH"], 1);
    assert!(s["participants"]["by_technology"]["iot_sensors"].as_u64().unwrap() >= 1);
    assert_eq!(s["introductions"]["by_state"]["connected"], 1);
    assert_eq!(s["introductions"]["by_state"]["declined"], 1);
    assert_eq!(s["introductions"]["acceptance_rate"], 0.5);
    assert!(s["introductions"]["median_hours_to_answer"].as_f64().unwrap() >= 0.0);
    let without: Vec<&str> =
        s["coverage"]["without_suggestion"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert!(without.contains(&m.museum.as_str()), "{}", stats.text);
    assert!(!without.contains(&m.airport.as_str()));
    let share = s["coverage"]["share"].as_f64().unwrap();
    assert!(share > 0.0 && share < 1.0);
    assert_eq!(s["consortia"], json!({"eligible": 1, "not_eligible": 1}));
}

both_engines!(
    pairings_are_optimal_eligible_and_within_capacity,
    the_brokerage_day_never_double_books,
    statistics_show_how_the_call_is_doing,
);
