//! Calls as data: the seeded calls, writing calls, opting in and out, and eligibility against a call's rules.
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_engines;
use crate::helpers::{Engine, TestApp, end_user, sme, spawn_app};

/// A call with CITADEL's rules, open from an hour ago until `closes_in` from now; returns its id.
pub async fn open_call(app: &TestApp, broker: &str, slug: &str, closes_in: Duration) -> String {
    let citadel = app.get("/api/v1/calls/citadel-oc1", None).await.body;
    let now = Utc::now();
    let body = json!({
        "slug": slug, "name": {"fr": format!("Appel {slug}"), "en": format!("Call {slug}")}, "programme": "Test",
        "opens_at": now - Duration::hours(1), "closes_at": now + closes_in, "time_zone": "Europe/Brussels",
        "funding": {"max_per_project_eur": 60000, "max_projects": 17}, "duration_months": 9,
        "roles": citadel["roles"], "independent_partners": true, "technologies": citadel["technologies"],
        "domains": citadel["domains"], "languages": ["en", "fr"],
    });
    let reply = app.post("/api/v1/calls", Some(broker), body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.body["id"].as_str().expect("id").to_owned()
}

pub async fn opt_in(app: &TestApp, token: &str, call: &str, organisation: &str) {
    let reply = app
        .call(reqwest::Method::PUT, &format!("/api/v1/calls/{call}/participants/{organisation}"), Some(token), None)
        .await;
    assert!(reply.status == StatusCode::CREATED || reply.status == StatusCode::OK, "{}", reply.text);
}

fn with(mut body: Value, changes: Value) -> Value {
    for (key, value) in changes.as_object().expect("object") {
        body[key] = value.clone();
    }
    body
}

async fn seeded_calls_come_from_their_public_texts(engine: Engine) {
    let app = spawn_app(engine).await;
    let list = app.get("/api/v1/calls", None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let slugs: Vec<&str> = list.body["items"].as_array().unwrap().iter().filter_map(|c| c["slug"].as_str()).collect();
    assert!(slugs.contains(&"citadel-oc1") && slugs.contains(&"france-relance-cyber-territoires"), "{slugs:?}");

    let citadel = app.get("/api/v1/calls/citadel-oc1", None).await.body;
    assert_eq!(citadel["closes_at"], "2026-05-05T15:00:00Z", "17:00 Brussels summer time is 15:00 UTC");
    assert_eq!(citadel["time_zone"], "Europe/Brussels");
    assert_eq!(citadel["funding"]["max_per_project_eur"], 60000);
    assert_eq!(citadel["funding"]["max_projects"], 17);
    assert_eq!(citadel["duration_months"], 9);
    assert_eq!(citadel["independent_partners"], true);
    assert_eq!(citadel["technologies"].as_array().unwrap().len(), 6);
    let roles = citadel["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 2);
    let sme_role = roles.iter().find(|r| r["kinds"] == json!(["sme"])).expect("an SME role");
    assert_eq!((sme_role["min"].clone(), sme_role["max"].clone()), (json!(1), json!(1)));
    assert_eq!(sme_role["sme_required"], true);
    let countries: Vec<&str> = sme_role["countries"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(countries.len(), 37, "EU-27 and the ten COSME participants");
    for code in ["FR", "DE", "GR", "IS", "UA", "TR", "BA"] {
        assert!(countries.contains(&code), "{code}");
    }
    assert!(!countries.contains(&"CH") && !countries.contains(&"XK"));
    assert_eq!(roles.iter().find(|r| r["kinds"] == json!(["end_user"])).unwrap()["countries"], Value::Null);
    assert_eq!(citadel["open"], false, "closed since May 2026");

    let by_id = app.get(&format!("/api/v1/calls/{}", citadel["id"].as_str().unwrap()), None).await;
    assert_eq!(by_id.body["slug"], "citadel-oc1");

    let relance = app.get("/api/v1/calls/france-relance-cyber-territoires", None).await.body;
    assert_eq!(relance["closes_at"], Value::Null);
    assert_eq!(relance["archived"], true);
    assert_eq!(relance["funding"]["max_rate"], 0.5);
    let end_user_role = &relance["roles"].as_array().unwrap()[0];
    assert_eq!(end_user_role["sectors"], json!(["local_authority", "health", "port"]));

    app.get("/api/v1/calls/no-such-call", None).await.assert_problem(404);
}

async fn only_staff_write_calls_and_bad_calls_are_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let user = app.signed_up("someone@example.org").await;
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    let admin = app.signed_up_as("admin@cluster.example", "admin").await;
    let citadel = app.get("/api/v1/calls/citadel-oc1", None).await.body;
    let valid = json!({
        "slug": "demo-day-2027", "name": {"fr": "Journée", "en": "Day"}, "programme": "Cluster",
        "opens_at": "2027-01-01T00:00:00Z", "closes_at": "2027-03-01T16:00:00Z", "time_zone": "Europe/Paris",
        "roles": citadel["roles"],
    });
    app.post("/api/v1/calls", Some(&user), valid.clone()).await.assert_problem(403);
    app.post("/api/v1/calls", None, valid.clone()).await.assert_problem(401);
    let created = app.post("/api/v1/calls", Some(&broker), valid.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["independent_partners"], true, "the default");
    assert!(app.post("/api/v1/calls", Some(&broker), valid.clone()).await.assert_problem(409).is_empty());

    let bad = [
        (with(valid.clone(), json!({"slug": "Bad Slug"})), "slug"),
        (with(valid.clone(), json!({"slug": "tz", "time_zone": "Mars/Olympus"})), "time_zone"),
        (with(valid.clone(), json!({"slug": "early", "closes_at": "2026-12-01T00:00:00Z"})), "closes_at"),
        (
            with(valid.clone(), json!({"slug": "kinds", "roles": [{"role": "x", "kinds": ["dragon"], "min": 1}]})),
            "roles[0].kinds[0]",
        ),
        (
            with(
                valid.clone(),
                json!({"slug": "countries", "roles": [{"role": "x", "kinds": ["sme"], "min": 1, "countries": ["ZZ"]}]}),
            ),
            "roles[0].countries[0]",
        ),
        (with(valid.clone(), json!({"slug": "rate", "funding": {"max_rate": 50}})), "funding.max_rate"),
        (
            with(
                valid.clone(),
                json!({"slug": "minmax", "roles": [{"role": "x", "kinds": ["sme"], "min": 2, "max": 1}]}),
            ),
            "roles[0].max",
        ),
    ];
    for (body, field) in bad {
        let fields = app.post("/api/v1/calls", Some(&broker), body).await.assert_problem(422);
        assert!(fields.contains(&field.to_owned()), "{field} not in {fields:?}");
    }
    let listed = app.get("/api/v1/calls?limit=100", None).await.body;
    assert_eq!(listed["items"].as_array().unwrap().len(), 3, "the two seeded calls and the one created");

    // The associated countries are data an administrator edits.
    let mut roles = citadel["roles"].clone();
    roles[0]["countries"].as_array_mut().unwrap().push(json!("CH"));
    let patched = app.patch("/api/v1/calls/citadel-oc1", Some(&admin), json!({"roles": roles})).await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    let again = app.get("/api/v1/calls/citadel-oc1", None).await.body;
    assert!(again["roles"][0]["countries"].as_array().unwrap().contains(&json!("CH")));
    assert_eq!(again["closes_at"], "2026-05-05T15:00:00Z", "untouched fields stay");
    app.patch("/api/v1/calls/citadel-oc1", Some(&user), json!({"programme": "x"})).await.assert_problem(403);
}

async fn organisations_opt_in_until_the_deadline(engine: Engine) {
    let app = spawn_app(engine).await;
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    let owner = app.signed_up("owner@sentinelle.example").await;
    let stranger = app.signed_up("stranger@example.org").await;
    let org = app.organisation(&owner, sme("Sentinelle SAS")).await;
    let mut hidden = sme("Discrète SAS");
    hidden["published"] = json!(false);
    let hidden = app.organisation(&owner, hidden).await;
    let call = open_call(&app, &broker, "open-call", Duration::days(30)).await;

    let path = format!("/api/v1/calls/{call}/participants/{org}");
    app.call(reqwest::Method::PUT, &path, Some(&stranger), None).await.assert_problem(403);
    let first = app.call(reqwest::Method::PUT, &path, Some(&owner), None).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let again = app.call(reqwest::Method::PUT, &path, Some(&owner), None).await;
    assert_eq!(again.status, StatusCode::OK, "opting in twice changes nothing");
    opt_in(&app, &broker, &call, &hidden).await;

    let public = app.get(&format!("/api/v1/calls/{call}/participants"), None).await;
    let ids: Vec<&str> = public.body["items"].as_array().unwrap().iter().filter_map(|p| p["id"].as_str()).collect();
    assert_eq!(ids, vec![org.as_str()], "unpublished participants stay hidden");
    assert!(public.body["items"][0].get("contact").is_none());
    let staff = app.get(&format!("/api/v1/calls/{call}/participants"), Some(&broker)).await;
    assert_eq!(staff.body["items"].as_array().unwrap().len(), 2, "brokers see every participant");

    // A call that closed a second ago, and an archived one, take no opt-in.
    let closed = open_call(&app, &broker, "closed-call", Duration::seconds(-1)).await;
    let refused =
        app.call(reqwest::Method::PUT, &format!("/api/v1/calls/{closed}/participants/{org}"), Some(&owner), None).await;
    refused.assert_problem(409);
    assert!(refused.body["detail"].as_str().unwrap().contains("(Europe/Brussels)"), "{}", refused.text);
    let archived = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/calls/france-relance-cyber-territoires/participants/{org}"),
            Some(&owner),
            None,
        )
        .await;
    archived.assert_problem(409);
    // Reading a closed call and its participants still works.
    assert_eq!(app.get(&format!("/api/v1/calls/{closed}/participants"), None).await.status, StatusCode::OK);

    assert_eq!(app.delete(&path, Some(&owner)).await.status, StatusCode::NO_CONTENT);
    app.delete(&path, Some(&owner)).await.assert_problem(404);
    app.call(reqwest::Method::PUT, &format!("/api/v1/calls/{call}/participants/no-such-org"), Some(&broker), None)
        .await
        .assert_problem(404);
}

async fn check(app: &TestApp, call: &str, ids: Vec<&String>, lang: &str) -> Value {
    let reply = app
        .send(
            app.client
                .post(app.url(&format!("/api/v1/calls/{call}/eligibility")))
                .header("Accept-Language", lang)
                .json(&json!({ "organisations": ids })),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body
}

async fn eligibility_answers_each_rule_in_both_languages(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.signed_up("owner@example.org").await;
    let digital = app.organisation(&owner, sme("Vigie Numérique SAS")).await;
    let swiss = app.organisation(&owner, with(sme("Helvetic Cyber AG"), json!({"country": "CH"}))).await;
    let other_sme = app.organisation(&owner, sme("Cyberdéfense SARL")).await;
    let port = app.organisation(&owner, end_user("Port de Sète")).await;
    let city = app.organisation(&owner, with(end_user("Ville de Lyon"), json!({"sectors": ["local_authority"]}))).await;
    let twin = app.organisation(&owner, with(end_user("Vigie Numérique"), json!({"sectors": ["energy"]}))).await;
    let large =
        app.organisation(&owner, with(sme("Grand Groupe SA"), json!({"kind": "large_company", "is_sme": false}))).await;

    let failed = |body: &Value| -> Vec<String> {
        body["rules"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["passed"] == false)
            .map(|r| r["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    let reasons = |body: &Value| {
        body["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["reason"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
            .join(" | ")
    };

    let ok = check(&app, "citadel-oc1", vec![&digital, &port], "en").await;
    assert_eq!(ok["eligible"], true, "{ok}");
    assert!(ok["rules"].as_array().unwrap().iter().all(|r| r["passed"] == true));

    let outside = check(&app, "citadel-oc1", vec![&swiss, &port], "en").await;
    assert_eq!((outside["eligible"].clone(), failed(&outside)), (json!(false), vec!["countries".to_owned()]));
    assert!(reasons(&outside).contains("Helvetic Cyber AG (CH) outside the countries eligible"), "{outside}");
    let outside_fr = check(&app, "citadel-oc1", vec![&swiss, &port], "fr-FR,fr;q=0.9").await;
    assert!(reasons(&outside_fr).contains("hors des pays éligibles"), "{outside_fr}");

    let two_smes = check(&app, "citadel-oc1", vec![&digital, &other_sme], "en").await;
    assert!(failed(&two_smes).contains(&"role_count".to_owned()), "{two_smes}");
    assert!(reasons(&two_smes).contains("exactly 1 required"));
    let two_smes_fr = check(&app, "citadel-oc1", vec![&digital, &other_sme], "fr").await;
    assert!(reasons(&two_smes_fr).contains("il en faut exactement 1"), "{two_smes_fr}");

    let two_end_users = check(&app, "citadel-oc1", vec![&port, &city], "en").await;
    assert_eq!(two_end_users["eligible"], false);
    assert!(failed(&two_end_users).contains(&"role_count".to_owned()));

    let same_entity = check(&app, "citadel-oc1", vec![&digital, &twin], "en").await;
    assert_eq!(failed(&same_entity), vec!["independence".to_owned()], "{same_entity}");
    assert!(reasons(&same_entity).contains("the same name in the same country"));
    let same_entity_fr = check(&app, "citadel-oc1", vec![&digital, &twin], "fr").await;
    assert!(reasons(&same_entity_fr).contains("même nom et même pays"));
    let twice = check(&app, "citadel-oc1", vec![&digital, &digital], "en").await;
    assert!(failed(&twice).contains(&"independence".to_owned()));

    // France Relance: one end user that is a local authority, a health establishment or a port, with companies.
    let relance = check(&app, "france-relance-cyber-territoires", vec![&city, &digital, &large], "fr").await;
    assert_eq!(relance["eligible"], true, "{relance}");
    let energy = check(&app, "france-relance-cyber-territoires", vec![&twin, &other_sme], "en").await;
    assert_eq!(failed(&energy), vec!["sectors".to_owned()], "{energy}");

    let unknown = app
        .post(
            "/api/v1/calls/citadel-oc1/eligibility",
            None,
            json!({"organisations": [digital, "0190aaaa-0000-7000-8000-000000000000"]}),
        )
        .await;
    assert_eq!(unknown.assert_problem(422), vec!["organisations[1]".to_owned()]);
    let empty = app.post("/api/v1/calls/citadel-oc1/eligibility", None, json!({"organisations": []})).await;
    assert_eq!(empty.assert_problem(422), vec!["organisations".to_owned()]);
}

both_engines!(
    seeded_calls_come_from_their_public_texts,
    only_staff_write_calls_and_bad_calls_are_refused,
    organisations_opt_in_until_the_deadline,
    eligibility_answers_each_rule_in_both_languages,
);
