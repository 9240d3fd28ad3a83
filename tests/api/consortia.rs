//! Consortia checked against their call's rules, and their one-page summaries.
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_engines;
use crate::calls::{open_call, opt_in};
use crate::helpers::{Engine, TestApp, end_user, sme, spawn_app};

fn failed(body: &Value) -> Vec<String> {
    body["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["passed"] == false)
        .map(|r| r["rule"].as_str().unwrap().to_owned())
        .collect()
}

async fn consortium(app: &TestApp, token: &str, call: &str, partners: &[(&str, &str)]) -> crate::helpers::Reply {
    let partners: Vec<Value> = partners.iter().map(|(o, r)| json!({"organisation": o, "role": r})).collect();
    app.post("/api/v1/consortia", Some(token), json!({"call": call, "name": "Pilote portuaire", "partners": partners}))
        .await
}

async fn citadel_consortia_are_checked_and_rechecked(engine: Engine) {
    let app = spawn_app(engine).await;
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    let owner = app.signed_up("owner@sentinelle.example").await;
    let port_owner = app.signed_up("owner@port.example").await;
    let stranger = app.signed_up("stranger@example.org").await;
    let vendor = app.organisation(&owner, sme("Sentinelle SAS")).await;
    let other_vendor = app.organisation(&owner, sme("Cyberdéfense SARL")).await;
    let port = app.organisation(&port_owner, end_user("Port de Sète")).await;
    let call = open_call(&app, &broker, "consortia-call", chrono::Duration::days(30)).await;
    for (token, org) in [(&owner, &vendor), (&port_owner, &port)] {
        opt_in(&app, token, &call, org).await;
    }

    // A partner's member needs connected introductions with every other partner; a broker does not.
    consortium(&app, &owner, &call, &[(&vendor, "digital_sme"), (&port, "security_end_user")])
        .await
        .assert_problem(403);
    let created = consortium(&app, &broker, &call, &[(&vendor, "digital_sme"), (&port, "security_end_user")]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["eligible"], true, "{}", created.text);
    let id = created.body["id"].as_str().unwrap().to_owned();

    let intro =
        app.post("/api/v1/introductions", Some(&owner), json!({"from": vendor, "to": port, "call": call})).await;
    let intro_id = intro.body["id"].as_str().unwrap();
    app.post(&format!("/api/v1/introductions/{intro_id}/accept"), Some(&port_owner), json!({})).await;
    let by_member = consortium(&app, &owner, &call, &[(&vendor, "digital_sme"), (&port, "security_end_user")]).await;
    assert_eq!(by_member.status, StatusCode::CREATED, "{}", by_member.text);

    // Two SMEs fail CITADEL's shape but are kept, with the failing rules.
    let two = consortium(&app, &broker, &call, &[(&vendor, "digital_sme"), (&other_vendor, "digital_sme")]).await;
    assert_eq!(two.status, StatusCode::CREATED);
    assert_eq!(two.body["eligible"], false);
    assert!(failed(&two.body).contains(&"role_count".to_owned()), "{}", two.text);

    // A partner that moves outside the eligible countries makes the consortium fail at once.
    let moved = app.patch(&format!("/api/v1/organisations/{vendor}"), Some(&owner), json!({"country": "CH"})).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    let again = app.get(&format!("/api/v1/consortia/{id}"), Some(&broker)).await;
    assert_eq!(again.body["eligible"], false);
    assert_eq!(failed(&again.body), vec!["countries".to_owned()], "{}", again.text);

    // Partners' members and brokers read it; others do not.
    assert_eq!(app.get(&format!("/api/v1/consortia/{id}"), Some(&port_owner)).await.status, StatusCode::OK);
    app.get(&format!("/api/v1/consortia/{id}"), Some(&stranger)).await.assert_problem(404);
    let listed = app.get(&format!("/api/v1/consortia?call={call}"), Some(&broker)).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 3);

    // Changing partners is checked like creating.
    let patched = app
        .patch(&format!("/api/v1/consortia/{id}"), Some(&broker), json!({"partners": [{"organisation": other_vendor, "role": "digital_sme"}, {"organisation": port, "role": "security_end_user"}]}))
        .await;
    assert_eq!(patched.body["eligible"], true, "{}", patched.text);
    let bad_role = app
        .patch(
            &format!("/api/v1/consortia/{id}"),
            Some(&broker),
            json!({"partners": [{"organisation": port, "role": "pilot"}]}),
        )
        .await;
    assert_eq!(bad_role.assert_problem(422), vec!["partners[0].role".to_owned()]);
    let unknown = app
        .patch(
            &format!("/api/v1/consortia/{id}"),
            Some(&broker),
            json!({"partners": [{"organisation": "0190aaaa-0000-7000-8000-000000000000", "role": "digital_sme"}]}),
        )
        .await;
    assert_eq!(unknown.assert_problem(422), vec!["partners[0].organisation".to_owned()]);
    assert_eq!(
        app.get(&format!("/api/v1/consortia/{id}"), Some(&broker)).await.body["eligible"],
        true,
        "refused changes change nothing"
    );
}

async fn france_relance_takes_one_end_user_and_several_companies(engine: Engine) {
    let app = spawn_app(engine).await;
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    let owner = app.signed_up("owner@example.org").await;
    let relance = app.get("/api/v1/calls/france-relance-cyber-territoires", None).await.body;
    let now = chrono::Utc::now();
    let call = app
        .post("/api/v1/calls", Some(&broker), json!({
            "slug": "relance-bis", "name": relance["name"], "programme": relance["programme"], "opens_at": now,
            "closes_at": now + chrono::Duration::days(10), "time_zone": "Europe/Paris", "funding": relance["funding"],
            "roles": relance["roles"],
        }))
        .await;
    assert_eq!(call.status, StatusCode::CREATED, "{}", call.text);
    let mut hospital = end_user("Centre hospitalier de Nîmes");
    hospital["sectors"] = json!(["health"]);
    let hospital = app.organisation(&owner, hospital).await;
    let mut utility = end_user("Régie d'énergie");
    utility["sectors"] = json!(["energy"]);
    let utility = app.organisation(&owner, utility).await;
    let first = app.organisation(&owner, sme("Sentinelle SAS")).await;
    let mut large = sme("Grand Intégrateur SA");
    large["kind"] = json!("large_company");
    large["is_sme"] = json!(false);
    let large = app.organisation(&owner, large).await;

    let ok =
        consortium(&app, &broker, "relance-bis", &[(&hospital, "end_user"), (&first, "company"), (&large, "company")])
            .await;
    assert_eq!(ok.body["eligible"], true, "{}", ok.text);
    let wrong_sector = consortium(&app, &broker, "relance-bis", &[(&utility, "end_user"), (&first, "company")]).await;
    assert_eq!(failed(&wrong_sector.body), vec!["sectors".to_owned()], "{}", wrong_sector.text);
    let no_company = consortium(&app, &broker, "relance-bis", &[(&hospital, "end_user")]).await;
    assert!(failed(&no_company.body).contains(&"role_count".to_owned()));
    let misplaced = consortium(&app, &broker, "relance-bis", &[(&hospital, "company"), (&first, "company")]).await;
    assert!(failed(&misplaced.body).contains(&"kinds".to_owned()), "{}", misplaced.text);
}

async fn summaries_come_in_two_languages_and_three_formats(engine: Engine) {
    let app = spawn_app(engine).await;
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    let owner = app.signed_up("owner@example.org").await;
    let stranger = app.signed_up("stranger@example.org").await;
    let (vendor, _) = app
        .organisation_with_items(&owner, sme("Vigie Drones SAS"), &[json!({"title": "Radar de détection de drones", "language": "fr", "description": "Détection des drones au-dessus des ports.", "technologies": ["iot_sensors"], "domains": ["critical_infrastructure"], "trl": 7})])
        .await;
    let (port, seq) = app
        .organisation_with_items(&owner, end_user("Port de Sète"), &[json!({"title": "Détecter les drones au-dessus du port", "language": "fr", "description": "Les drones survolent les quais la nuit.", "technologies": ["iot_sensors"], "domains": ["critical_infrastructure"], "sectors": ["port"], "min_trl": 6})])
        .await;
    app.get(&format!("/api/v1/search?min_seq={seq}"), None).await;
    let call = open_call(&app, &broker, "summary-call", chrono::Duration::days(30)).await;
    let id =
        consortium(&app, &broker, &call, &[(&vendor, "digital_sme"), (&port, "security_end_user")]).await.body["id"]
            .as_str()
            .unwrap()
            .to_owned();

    let json_en = app.get(&format!("/api/v1/consortia/{id}/summary?lang=en"), Some(&owner)).await;
    assert_eq!(json_en.status, StatusCode::OK, "{}", json_en.text);
    assert_eq!(json_en.body["eligible"], true);
    assert_eq!(json_en.body["partners"][0]["name"], "Vigie Drones SAS");
    assert_eq!(json_en.body["partners"][0]["sme_declaration"], true);
    assert_eq!(json_en.body["funding"]["max_per_project_eur"], 60000);
    assert!(json_en.body["call"]["closes_at"].as_str().unwrap().contains("(Europe/Brussels)"));
    let fit = &json_en.body["fit"][0];
    assert_eq!(fit["pairs"][0]["offer"], "Radar de détection de drones", "{}", json_en.text);
    assert!(fit["matched_terms"].as_array().unwrap().iter().any(|t| t.as_str().unwrap().contains("drone")), "{fit}");
    assert!(json_en.body["rules"].as_array().unwrap().iter().all(|r| r["passed"] == true));

    let md_fr = app.get(&format!("/api/v1/consortia/{id}/summary?lang=fr&format=md"), Some(&owner)).await;
    assert!(md_fr.header("content-type").unwrap().starts_with("text/markdown"));
    assert!(md_fr.text.contains("## Partenaires") && md_fr.text.contains("| Vigie Drones SAS |"), "{}", md_fr.text);
    assert!(md_fr.text.contains("respecte toutes les règles"));
    let md_en = app.get(&format!("/api/v1/consortia/{id}/summary?lang=en&format=md"), Some(&owner)).await;
    assert!(md_en.text.contains("## Partners") && md_en.text.contains("passes every rule"));

    let html_fr = app.get(&format!("/api/v1/consortia/{id}/summary?lang=fr&format=html"), Some(&broker)).await;
    assert!(html_fr.header("content-type").unwrap().starts_with("text/html"));
    assert!(html_fr.text.starts_with("<!DOCTYPE html>") && html_fr.text.contains("<html lang=\"fr\">"));
    assert!(
        html_fr.text.contains("<style>") && !html_fr.text.contains("<script") && !html_fr.text.contains("http"),
        "self-contained"
    );
    assert!(html_fr.text.contains("Port de S&#232;te") || html_fr.text.contains("Port de Sète"));
    let html_en = app.get(&format!("/api/v1/consortia/{id}/summary?format=html&lang=en"), Some(&broker)).await;
    assert!(html_en.text.contains("<h2>Call rules</h2>"));

    app.get(&format!("/api/v1/consortia/{id}/summary?format=pdf"), Some(&owner)).await.assert_problem(400);
    app.get(&format!("/api/v1/consortia/{id}/summary?lang=de"), Some(&owner)).await.assert_problem(400);
    app.get(&format!("/api/v1/consortia/{id}/summary"), Some(&stranger)).await.assert_problem(404);
}

async fn consortia_freeze_at_the_deadline(engine: Engine) {
    let app = spawn_app(engine).await;
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    let owner = app.signed_up("owner@example.org").await;
    let vendor = app.organisation(&owner, sme("Sentinelle SAS")).await;
    let port = app.organisation(&owner, end_user("Port de Sète")).await;
    let call = open_call(&app, &broker, "closing-call", chrono::Duration::seconds(2)).await;
    let id =
        consortium(&app, &broker, &call, &[(&vendor, "digital_sme"), (&port, "security_end_user")]).await.body["id"]
            .as_str()
            .unwrap()
            .to_owned();
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let refused = app.patch(&format!("/api/v1/consortia/{id}"), Some(&broker), json!({"name": "Renamed"})).await;
    refused.assert_problem(409);
    assert!(refused.body["detail"].as_str().unwrap().contains("closed on"), "{}", refused.text);
    app.delete(&format!("/api/v1/consortia/{id}"), Some(&broker)).await.assert_problem(409);
    consortium(&app, &broker, &call, &[(&vendor, "digital_sme"), (&port, "security_end_user")])
        .await
        .assert_problem(409);
    let kept = app.get(&format!("/api/v1/consortia/{id}"), Some(&broker)).await;
    assert_eq!(kept.body["name"], "Pilote portuaire", "reading still works and nothing changed");
}

both_engines!(
    citadel_consortia_are_checked_and_rechecked,
    france_relance_takes_one_end_user_and_several_companies,
    summaries_come_in_two_languages_and_three_formats,
    consortia_freeze_at_the_deadline,
);
