use reqwest::Method;
use serde_json::json;

use crate::both_engines;
use crate::helpers::{Engine, end_user, sme, spawn_app};

both_engines!(
    an_sme_registers_its_organisation_with_forgiving_tags,
    anonymous_readers_and_other_organisations_never_see_a_contact,
    brokers_and_members_see_the_contact,
    an_unpublished_profile_is_invisible_to_everyone_but_its_members_and_brokers,
    lists_filter_by_kind_country_and_tags_and_paginate,
    a_member_of_one_organisation_cannot_change_another,
    a_patch_with_a_stale_etag_is_refused_and_changes_nothing,
    the_owner_adds_a_member_who_can_then_edit,
    the_owner_deletes_the_organisation_and_it_is_gone,
    a_member_leaves_or_is_removed_but_the_owner_stays,
);

async fn an_sme_registers_its_organisation_with_forgiving_tags(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@sentinelle.example").await;
    let mut body = sme("Sentinelle Numérique SAS");
    body["technologies"] = json!(["Cyber-sécurité", "intelligence artificielle", "IoT sensors", "cybersecurty"]);
    body["domains"] = json!(["Infrastructures critiques"]);

    let created = app.post("/api/v1/organisations", Some(&token), body).await;

    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_str().expect("id");
    assert_eq!(created.header("location"), Some(format!("/api/v1/organisations/{id}").as_str()));
    assert_eq!(created.body["technologies"], json!(["cybersecurity", "ai", "iot_sensors"]));
    assert_eq!(created.body["domains"], json!(["critical_infrastructure"]));
    assert_eq!(created.body["contact"]["email"], "camille@sentinelle.example");
    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.body["organisations"][0]["id"], id);
    assert_eq!(me.body["organisations"][0]["role"], "owner");
}

async fn anonymous_readers_and_other_organisations_never_see_a_contact(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.signed_up("owner@example.org").await;
    let other = app.signed_up("other@example.org").await;
    let id = app.organisation(&owner, sme("Sentinelle SAS")).await;
    app.organisation(&other, end_user("Port de Toulon")).await;

    let anonymous = app.get(&format!("/api/v1/organisations/{id}"), None).await;
    let stranger = app.get(&format!("/api/v1/organisations/{id}"), Some(&other)).await;
    let listed = app.get("/api/v1/organisations", Some(&other)).await;

    for reply in [&anonymous, &stranger, &listed] {
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert!(!reply.text.contains("camille@sentinelle.example"), "contact leaked: {}", reply.text);
        assert!(!reply.text.contains("Camille Martin"), "contact leaked: {}", reply.text);
    }
    assert_eq!(anonymous.body["legal_name"], "Sentinelle SAS");
    assert!(anonymous.body.get("contact").is_none());
    // The other organisation's own contact is shown to its member in the same list.
    assert!(listed.text.contains("securite@port.example"));
}

async fn brokers_and_members_see_the_contact(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.signed_up("owner@example.org").await;
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    let id = app.organisation(&owner, sme("Sentinelle SAS")).await;

    let by_owner = app.get(&format!("/api/v1/organisations/{id}"), Some(&owner)).await;
    let by_broker = app.get(&format!("/api/v1/organisations/{id}"), Some(&broker)).await;
    let broker_list = app.get("/api/v1/organisations", Some(&broker)).await;

    assert_eq!(by_owner.body["contact"]["email"], "camille@sentinelle.example");
    assert_eq!(by_broker.body["contact"]["email"], "camille@sentinelle.example");
    assert_eq!(broker_list.body["items"][0]["contact"]["name"], "Camille Martin");
}

async fn an_unpublished_profile_is_invisible_to_everyone_but_its_members_and_brokers(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.signed_up("owner@example.org").await;
    let other = app.signed_up("other@example.org").await;
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    let mut draft = sme("Brouillon SAS");
    draft["published"] = json!(false);
    let id = app.organisation(&owner, draft).await;
    let path = format!("/api/v1/organisations/{id}");

    app.get(&path, None).await.assert_problem(404);
    app.get(&path, Some(&other)).await.assert_problem(404);
    assert_eq!(app.get("/api/v1/organisations", None).await.body["items"], json!([]));
    assert_eq!(app.get("/api/v1/organisations", Some(&other)).await.body["items"], json!([]));
    assert_eq!(app.get(&path, Some(&owner)).await.status, 200);
    assert_eq!(app.get(&path, Some(&broker)).await.status, 200);
    assert_eq!(app.get("/api/v1/organisations", Some(&broker)).await.body["items"][0]["id"], id.as_str());
    app.get(&format!("{path}/offers"), None).await.assert_problem(404);
}

async fn lists_filter_by_kind_country_and_tags_and_paginate(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(app.organisation(&token, sme(&format!("SME {i}"))).await);
    }
    let mut german = end_user("Stadtwerke Beispiel");
    german["country"] = json!("de");
    german["sectors"] = json!(["énergie"]);
    let german_id = app.organisation(&token, german).await;

    let page1 = app.get("/api/v1/organisations?limit=2", None).await;
    let cursor = page1.body["next_cursor"].as_str().expect("a second page").to_owned();
    let page2 = app.get(&format!("/api/v1/organisations?limit=2&cursor={cursor}"), None).await;
    let only_german = vec![german_id.clone()];
    let by_kind = app.get("/api/v1/organisations?kind=end_user", None).await;
    let by_country = app.get("/api/v1/organisations?country=DE", None).await;
    let by_technology = app.get("/api/v1/organisations?technology=IA", None).await;
    let by_sector = app.get("/api/v1/organisations?sector=energy", None).await;
    let by_domain = app.get("/api/v1/organisations?domain=urban_security", None).await;

    let ids_of = |reply: &crate::helpers::Reply| -> Vec<String> {
        reply.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert_eq!(ids_of(&page1).len(), 2);
    assert_eq!(ids_of(&page2).len(), 2);
    assert_eq!(page2.body["next_cursor"], json!(null));
    let mut all = ids_of(&page1);
    all.extend(ids_of(&page2));
    let mut expected = ids.clone();
    expected.push(german_id.clone());
    assert_eq!(all, expected, "pages cover every organisation once, oldest first");
    assert_eq!(ids_of(&by_kind), only_german);
    assert_eq!(ids_of(&by_country), only_german);
    assert_eq!(ids_of(&by_technology), ids);
    assert_eq!(ids_of(&by_sector), only_german);
    assert_eq!(ids_of(&by_domain), [german_id]);
}

async fn a_member_of_one_organisation_cannot_change_another(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.signed_up("owner@example.org").await;
    let other = app.signed_up("other@example.org").await;
    let id = app.organisation(&owner, sme("Sentinelle SAS")).await;
    app.organisation(&other, end_user("Port de Brest")).await;
    let path = format!("/api/v1/organisations/{id}");
    let before = app.get(&path, Some(&owner)).await;

    let patched = app.patch(&path, Some(&other), json!({"legal_name": "Hijacked"})).await;
    let deleted = app.delete(&path, Some(&other)).await;
    let offer = app.post(&format!("{path}/offers"), Some(&other), json!({"title": "x", "trl": 5})).await;
    let member = app.post(&format!("{path}/members"), Some(&other), json!({"email": "other@example.org"})).await;
    let anonymous = app.patch(&path, None, json!({"legal_name": "Hijacked"})).await;

    patched.assert_problem(403);
    deleted.assert_problem(403);
    offer.assert_problem(403);
    member.assert_problem(403);
    anonymous.assert_problem(401);
    assert_eq!(app.get(&path, Some(&owner)).await.body, before.body);
}

async fn a_patch_with_a_stale_etag_is_refused_and_changes_nothing(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    let id = app.organisation(&token, sme("Sentinelle SAS")).await;
    let path = format!("/api/v1/organisations/{id}");
    let read = app.get(&path, Some(&token)).await;
    let etag = read.header("etag").expect("etag").to_owned();

    let first = app
        .send(
            app.client
                .patch(app.url(&path))
                .bearer_auth(&token)
                .header("If-Match", &etag)
                .json(&json!({"region": "Normandie", "technologies": ["data analytics"]})),
        )
        .await;
    let second = app
        .send(
            app.client
                .patch(app.url(&path))
                .bearer_auth(&token)
                .header("If-Match", &etag)
                .json(&json!({"region": "Occitanie"})),
        )
        .await;
    let after = app.get(&path, Some(&token)).await;

    assert_eq!(first.status, 200, "{}", first.text);
    assert_ne!(first.header("etag"), Some(etag.as_str()));
    assert_eq!(first.body["technologies"], json!(["data_analytics"]));
    assert_eq!(first.body["legal_name"], "Sentinelle SAS", "fields absent from the patch are kept");
    second.assert_problem(412);
    assert_eq!(after.body["region"], "Normandie");
    assert_eq!(after.header("etag"), first.header("etag"));
}

async fn the_owner_adds_a_member_who_can_then_edit(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.signed_up("owner@example.org").await;
    let colleague = app.signed_up("colleague@example.org").await;
    let id = app.organisation(&owner, sme("Sentinelle SAS")).await;
    let path = format!("/api/v1/organisations/{id}");

    let unknown = app.post(&format!("{path}/members"), Some(&owner), json!({"email": "ghost@example.org"})).await;
    let added = app.post(&format!("{path}/members"), Some(&owner), json!({"email": "Colleague@example.org"})).await;
    let again = app.post(&format!("{path}/members"), Some(&owner), json!({"email": "colleague@example.org"})).await;
    let edited = app.patch(&path, Some(&colleague), json!({"website": "https://new.example"})).await;
    let members = app.get(&format!("{path}/members"), Some(&colleague)).await;
    let seen = app.get(&path, Some(&colleague)).await;

    assert_eq!(unknown.assert_problem(422), ["email"]);
    assert_eq!(added.status, 201, "{}", added.text);
    again.assert_problem(409);
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_eq!(edited.body["website"], "https://new.example");
    assert_eq!(members.body["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(seen.body["contact"]["email"], "camille@sentinelle.example");
}

async fn the_owner_deletes_the_organisation_and_it_is_gone(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    let id = app.organisation(&token, sme("Sentinelle SAS")).await;
    let path = format!("/api/v1/organisations/{id}");
    let offer = app.post(&format!("{path}/offers"), Some(&token), json!({"title": "Radar", "trl": 7})).await;
    assert_eq!(offer.status, 201);

    let deleted = app.call(Method::DELETE, &path, Some(&token), None).await;

    assert_eq!(deleted.status, 204);
    app.get(&path, Some(&token)).await.assert_problem(404);
    app.get(&format!("{path}/offers"), Some(&token)).await.assert_problem(404);
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.body["organisations"], json!([]));
}

async fn a_member_leaves_or_is_removed_but_the_owner_stays(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.signed_up("owner@example.org").await;
    let first = app.signed_up("first@example.org").await;
    let second = app.signed_up("second@example.org").await;
    let id = app.organisation(&owner, sme("Sentinelle SAS")).await;
    let path = format!("/api/v1/organisations/{id}");
    for email in ["first@example.org", "second@example.org"] {
        assert_eq!(app.post(&format!("{path}/members"), Some(&owner), json!({"email": email})).await.status, 201);
    }
    let member_id = |token: String| {
        let app = &app;
        async move { app.get("/api/v1/me", Some(&token)).await.body["id"].as_str().expect("id").to_owned() }
    };
    let (owner_id, first_id, second_id) =
        (member_id(owner.clone()).await, member_id(first.clone()).await, member_id(second.clone()).await);

    let removed_by_peer = app.delete(&format!("{path}/members/{second_id}"), Some(&first)).await;
    let left = app.delete(&format!("{path}/members/{first_id}"), Some(&first)).await;
    let removed_by_owner = app.delete(&format!("{path}/members/{second_id}"), Some(&owner)).await;
    let owner_removed = app.delete(&format!("{path}/members/{owner_id}"), Some(&owner)).await;
    let members = app.get(&format!("{path}/members"), Some(&owner)).await;

    removed_by_peer.assert_problem(403);
    assert_eq!(left.status, 204);
    assert_eq!(removed_by_owner.status, 204);
    owner_removed.assert_problem(409);
    assert_eq!(members.body["items"].as_array().map(Vec::len), Some(1));
    app.patch(&path, Some(&first), json!({"region": "x"})).await.assert_problem(403);
}
