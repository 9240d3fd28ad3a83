use serde_json::json;

use crate::both_engines;
use crate::helpers::{Engine, end_user, sme, spawn_app};

both_engines!(
    an_sme_describes_its_offers_and_anyone_reads_them,
    an_end_user_posts_needs_with_pilot_site_and_deadline,
    offers_and_needs_go_to_the_right_kind_of_organisation,
    an_offer_patch_with_a_stale_etag_is_refused,
);

async fn an_sme_describes_its_offers_and_anyone_reads_them(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    let org = app.organisation(&token, sme("Sentinelle SAS")).await;
    let offers = format!("/api/v1/organisations/{org}/offers");

    let created = app
        .post(&offers, Some(&token), json!({
            "title": "Détection d'intrusions OT par IA", "description": "Sonde passive pour réseaux SCADA portuaires",
            "technologies": ["cybersécurité", "AI"], "domains": ["critical_infrastructure"], "trl": 7
        }))
        .await;
    let id = created.body["id"].as_str().expect("id").to_owned();
    let listed = app.get(&offers, None).await;
    let read = app.get(&format!("{offers}/{id}"), None).await;
    let updated = app.patch(&format!("{offers}/{id}"), Some(&token), json!({"trl": 8})).await;
    let deleted = app.delete(&format!("{offers}/{id}"), Some(&token)).await;
    let gone = app.get(&format!("{offers}/{id}"), None).await;

    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["technologies"], json!(["cybersecurity", "ai"]));
    assert!(created.header("location").is_some_and(|l| l.ends_with(&id)));
    assert_eq!(listed.body["items"][0]["id"], id.as_str());
    assert_eq!(listed.body["next_cursor"], json!(null));
    assert_eq!(read.body["title"], "Détection d'intrusions OT par IA");
    assert_eq!(read.body["organisation_id"], org.as_str());
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["trl"], 8);
    assert_eq!(updated.body["title"], "Détection d'intrusions OT par IA");
    assert_eq!(deleted.status, 204);
    gone.assert_problem(404);
}

async fn an_end_user_posts_needs_with_pilot_site_and_deadline(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("port@example.org").await;
    let org = app.organisation(&token, end_user("Grand Port Maritime de Marseille")).await;
    let needs = format!("/api/v1/organisations/{org}/needs");

    let created = app
        .post(
            &needs,
            Some(&token),
            json!({
                "title": "Détection de drones au-dessus du terminal", "description": "Survols non autorisés de nuit",
                "technologies": ["capteurs IoT"], "domains": ["sécurité urbaine"], "sectors": ["ports"],
                "min_trl": 6, "pilot_site": "Terminal à conteneurs de Fos", "deadline": "2027-03-31"
            }),
        )
        .await;
    let id = created.body["id"].as_str().expect("id");
    let read = app.get(&format!("{needs}/{id}"), None).await;

    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(read.body["sectors"], json!(["port"]));
    assert_eq!(read.body["technologies"], json!(["iot_sensors"]));
    assert_eq!(read.body["min_trl"], 6);
    assert_eq!(read.body["pilot_site"], "Terminal à conteneurs de Fos");
    assert_eq!(read.body["deadline"], "2027-03-31");
}

async fn offers_and_needs_go_to_the_right_kind_of_organisation(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    let sme_id = app.organisation(&token, sme("Sentinelle SAS")).await;
    let user_id = app.organisation(&token, end_user("Ville de Brest")).await;

    let need_on_sme =
        app.post(&format!("/api/v1/organisations/{sme_id}/needs"), Some(&token), json!({"title": "x"})).await;
    let offer_on_user = app
        .post(&format!("/api/v1/organisations/{user_id}/offers"), Some(&token), json!({"title": "x", "trl": 5}))
        .await;

    assert_eq!(need_on_sme.assert_problem(422), ["kind"]);
    assert_eq!(offer_on_user.assert_problem(422), ["kind"]);
    assert_eq!(app.get(&format!("/api/v1/organisations/{sme_id}/needs"), None).await.body["items"], json!([]));
}

async fn an_offer_patch_with_a_stale_etag_is_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("owner@example.org").await;
    let org = app.organisation(&token, sme("Sentinelle SAS")).await;
    let created = app
        .post(&format!("/api/v1/organisations/{org}/offers"), Some(&token), json!({"title": "Radar", "trl": 6}))
        .await;
    let path = format!("/api/v1/organisations/{org}/offers/{}", created.body["id"].as_str().expect("id"));
    let etag = created.header("etag").expect("etag").to_owned();
    app.patch(&path, Some(&token), json!({"trl": 7})).await;

    let stale = app
        .send(app.client.patch(app.url(&path)).bearer_auth(&token).header("If-Match", etag).json(&json!({"trl": 9})))
        .await;

    stale.assert_problem(412);
    assert_eq!(app.get(&path, None).await.body["trl"], 7);
}
