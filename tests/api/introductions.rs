//! Double-opt-in introductions and what they tell people: in-app notifications, e-mail files and signed webhooks.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::both_engines;
use crate::calls::{open_call, opt_in};
use crate::helpers::{Engine, TestApp, end_user, sme, spawn_app, spawn_app_with};

/// Two organisations opted in to an open call, with their owners' tokens, and a broker.
struct Scene {
    app: TestApp,
    broker: String,
    sme_owner: String,
    user_owner: String,
    stranger: String,
    sme: String,
    end_user: String,
    call: String,
}

async fn scene(app: TestApp) -> Scene {
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    let sme_owner = registered(&app, "direction@sentinelle.example", "fr").await;
    let user_owner = registered(&app, "jean@port.example", "en").await;
    let stranger = app.signed_up("stranger@example.org").await;
    let mut drones = sme("Sentinelle SAS");
    drones["technologies"] = json!(["iot_sensors", "ai"]);
    let (sme, _) = app
        .organisation_with_items(&sme_owner, drones, &[json!({
            "title": "Radar et caméras de détection de drones", "language": "fr",
            "description": "Détection et localisation des drones au-dessus des sites portuaires, de nuit comme de jour.",
            "technologies": ["iot_sensors", "ai"], "domains": ["critical_infrastructure"], "trl": 7
        })])
        .await;
    let (end_user, seq) = app
        .organisation_with_items(&user_owner, end_user("Port de Sète"), &[json!({
            "title": "Détection de drones au-dessus du terminal", "language": "fr",
            "description": "Détecter et localiser les drones qui survolent le terminal à conteneurs la nuit.",
            "technologies": ["iot_sensors", "ai"], "domains": ["critical_infrastructure"], "sectors": ["port"], "min_trl": 6
        })])
        .await;
    // Suggestions read the index: wait until it has every write.
    assert_eq!(app.get(&format!("/api/v1/search?min_seq={seq}"), None).await.status, StatusCode::OK);
    let call = open_call(&app, &broker, "pilot-call", chrono::Duration::days(30)).await;
    opt_in(&app, &sme_owner, &call, &sme).await;
    opt_in(&app, &user_owner, &call, &end_user).await;
    Scene { app, broker, sme_owner, user_owner, stranger, sme, end_user, call }
}

async fn registered(app: &TestApp, email: &str, language: &str) -> String {
    let reply = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": email, "password": crate::helpers::PASSWORD, "name": email, "language": language}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    app.login(email).await
}

impl Scene {
    async fn propose(&self, token: &str, from: &str, to: &str, call: Option<&str>) -> crate::helpers::Reply {
        self.app
            .post(
                "/api/v1/introductions",
                Some(token),
                json!({"from": from, "to": to, "call": call, "message": "Pilot at the port?"}),
            )
            .await
    }

    async fn act(&self, token: &str, id: &str, action: &str, body: Option<Value>) -> crate::helpers::Reply {
        self.app.call(reqwest::Method::POST, &format!("/api/v1/introductions/{id}/{action}"), Some(token), body).await
    }
}

/// Polls until `done` holds (or fails after `within`), for what a background task does.
async fn eventually<F, Fut>(within: Duration, what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + within;
    while !done().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn notification_types(app: &TestApp, token: &str) -> Vec<String> {
    let reply = app.get("/api/v1/me/notifications?limit=100", Some(token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body["items"].as_array().unwrap().iter().map(|n| n["type"].as_str().unwrap().to_owned()).collect()
}

fn contacts_in(text: &str) -> bool {
    text.contains("camille@sentinelle.example") || text.contains("securite@port.example")
}

async fn an_introduction_goes_from_proposal_to_connected(engine: Engine) {
    let s = scene(spawn_app(engine).await).await;
    let app = &s.app;
    let proposed = s.propose(&s.sme_owner, &s.sme, &s.end_user, Some(&s.call)).await;
    assert_eq!(proposed.status, StatusCode::CREATED, "{}", proposed.text);
    let id = proposed.body["id"].as_str().unwrap().to_owned();
    assert_eq!(proposed.body["state"], "proposed");
    assert_eq!(proposed.body["accepted_by"], json!([s.sme]), "the proposing side accepts by proposing");
    assert_eq!(proposed.body["call"], json!(s.call));
    assert!(proposed.body["expires_at"].is_string());
    assert!(!contacts_in(&proposed.text) && proposed.body.get("contacts").is_none());

    // Before both accept, no contact anywhere: the introduction, the list, the feed, the other side's profile.
    let seen = app.get(&format!("/api/v1/introductions/{id}"), Some(&s.user_owner)).await;
    assert!(!contacts_in(&seen.text), "{}", seen.text);
    let listed = app.get("/api/v1/introductions?state=proposed", Some(&s.user_owner)).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert!(!contacts_in(&listed.text));
    let profile = app.get(&format!("/api/v1/organisations/{}", s.sme), Some(&s.user_owner)).await;
    assert!(!contacts_in(&profile.text) && profile.body.get("contact").is_none(), "{}", profile.text);
    eventually(Duration::from_secs(5), "the proposal in the end user's feed", || async {
        notification_types(app, &s.user_owner).await.contains(&"introduction.proposed".to_owned())
    })
    .await;
    let feed = app.get("/api/v1/me/notifications", Some(&s.user_owner)).await;
    assert!(!contacts_in(&feed.text));
    app.get(&format!("/api/v1/introductions/{id}"), Some(&s.stranger)).await.assert_problem(404);

    let connected = s.act(&s.user_owner, &id, "accept", None).await;
    assert_eq!(connected.status, StatusCode::OK, "{}", connected.text);
    assert_eq!(connected.body["state"], "connected");
    assert_eq!(connected.body["contacts"][&s.sme]["email"], "camille@sentinelle.example");
    assert_eq!(connected.body["contacts"][&s.end_user]["email"], "securite@port.example");
    let actions: Vec<&str> =
        connected.body["history"].as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["proposed", "accepted", "connected"]);
    assert!(connected.body["history"].as_array().unwrap().iter().all(|h| h["at"].is_string() && h["by"].is_string()));

    // Once connected, each side's members see the other's contact on its profile; strangers still do not.
    let profile = app.get(&format!("/api/v1/organisations/{}", s.sme), Some(&s.user_owner)).await;
    assert_eq!(profile.body["contact"]["email"], "camille@sentinelle.example");
    let profile = app.get(&format!("/api/v1/organisations/{}", s.end_user), Some(&s.sme_owner)).await;
    assert_eq!(profile.body["contact"]["email"], "securite@port.example");
    let profile = app.get(&format!("/api/v1/organisations/{}", s.sme), Some(&s.stranger)).await;
    assert!(profile.body.get("contact").is_none());

    eventually(Duration::from_secs(5), "the connection in the SME's feed", || async {
        let types = notification_types(app, &s.sme_owner).await;
        ["introduction.proposed", "introduction.accepted", "introduction.connected"]
            .iter()
            .all(|t| types.contains(&t.to_string()))
    })
    .await;
    let feed = app.get("/api/v1/me/notifications", Some(&s.sme_owner)).await.body;
    assert_eq!(feed["items"][0]["type"], "introduction.connected", "newest first");
    assert_eq!(feed["items"][0]["read"], false);
    assert_eq!(feed["items"][0]["data"]["contacts"][&s.end_user]["email"], "securite@port.example");
    let read = app.post("/api/v1/me/notifications/read", Some(&s.sme_owner), json!({})).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    let feed = app.get("/api/v1/me/notifications", Some(&s.sme_owner)).await.body;
    assert!(feed["items"].as_array().unwrap().iter().all(|n| n["read"] == true));

    // Closed introductions do not move.
    s.act(&s.sme_owner, &id, "withdraw", None).await.assert_problem(409);
}

async fn a_decline_hides_its_text_and_the_pair_is_not_proposed_again(engine: Engine) {
    let s = scene(spawn_app(engine).await).await;
    let app = &s.app;
    let before = app.get(&format!("/api/v1/organisations/{}/matches", s.sme), Some(&s.sme_owner)).await;
    assert!(before.text.contains(&s.end_user), "suggested before the decline: {}", before.text);
    let id = s.propose(&s.sme_owner, &s.sme, &s.end_user, None).await.body["id"].as_str().unwrap().to_owned();
    let bad = s.act(&s.user_owner, &id, "decline", Some(json!({"reason": "too_busy"}))).await;
    assert_eq!(bad.assert_problem(422), vec!["reason".to_owned()]);
    s.act(&s.stranger, &id, "decline", Some(json!({"reason": "other"}))).await.assert_problem(403);
    let declined = s
        .act(&s.user_owner, &id, "decline", Some(json!({"reason": "no_capacity", "text": "our budget went to drones"})))
        .await;
    assert_eq!(declined.status, StatusCode::OK, "{}", declined.text);
    assert_eq!(declined.body["state"], "declined");
    assert_eq!(declined.body["decline_text"], "our budget went to drones", "the declining side sees its own words");

    let proposer_view = app.get(&format!("/api/v1/introductions/{id}"), Some(&s.sme_owner)).await;
    assert_eq!(proposer_view.body["decline_reason"], "no_capacity");
    assert!(!proposer_view.text.contains("budget"), "{}", proposer_view.text);
    assert!(!contacts_in(&proposer_view.text));
    eventually(Duration::from_secs(5), "the decline in the SME's feed", || async {
        notification_types(app, &s.sme_owner).await.contains(&"introduction.declined".to_owned())
    })
    .await;
    let feed = app.get("/api/v1/me/notifications", Some(&s.sme_owner)).await;
    assert!(!feed.text.contains("budget") && !contacts_in(&feed.text));

    let again = s.propose(&s.sme_owner, &s.sme, &s.end_user, None).await;
    again.assert_problem(409);
    let reverse = s.propose(&s.user_owner, &s.end_user, &s.sme, None).await;
    reverse.assert_problem(409);
    let by_broker = s.propose(&s.broker, &s.sme, &s.end_user, None).await;
    by_broker.assert_problem(409);

    // Nor does matching suggest the pair again.
    let matches = app.get(&format!("/api/v1/organisations/{}/matches", s.sme), Some(&s.sme_owner)).await;
    assert_eq!(matches.status, StatusCode::OK, "{}", matches.text);
    assert!(!matches.text.contains(&s.end_user));
}

async fn a_broker_proposal_needs_both_sides(engine: Engine) {
    let s = scene(spawn_app(engine).await).await;
    let proposed = s.propose(&s.broker, &s.sme, &s.end_user, Some(&s.call)).await;
    assert_eq!(proposed.status, StatusCode::CREATED, "{}", proposed.text);
    assert_eq!(proposed.body["accepted_by"], json!([]));
    assert_eq!(proposed.body["by_broker"], true);
    let id = proposed.body["id"].as_str().unwrap().to_owned();

    s.act(&s.stranger, &id, "accept", None).await.assert_problem(403);
    s.act(&s.broker, &id, "accept", Some(json!({}))).await.assert_problem(403);
    let half = s.act(&s.sme_owner, &id, "accept", Some(json!({}))).await;
    assert_eq!(half.status, StatusCode::OK, "{}", half.text);
    assert_eq!((half.body["state"].clone(), half.body["accepted_by"].clone()), (json!("proposed"), json!([s.sme])));
    assert!(!contacts_in(&half.text));
    s.act(&s.sme_owner, &id, "accept", None).await.assert_problem(409);
    let bad_body = s.act(&s.user_owner, &id, "accept", Some(json!({"force": true}))).await;
    bad_body.assert_problem(422);
    let done = s.act(&s.user_owner, &id, "accept", None).await;
    assert_eq!(done.body["state"], "connected", "{}", done.text);
    let broker_view = s.app.get(&format!("/api/v1/introductions/{id}"), Some(&s.broker)).await;
    assert_eq!(broker_view.body["state"], "connected");
    let all = s.app.get(&format!("/api/v1/introductions?call={}", s.call), Some(&s.broker)).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 1);
}

async fn duplicates_the_pending_cap_and_call_rules_are_enforced(engine: Engine) {
    let app = spawn_app_with(engine, &[("introductions.max_pending", json!(2))]).await;
    let s = scene(app).await;
    let app = &s.app;
    let first = s.propose(&s.sme_owner, &s.sme, &s.end_user, Some(&s.call)).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let id = first.body["id"].as_str().unwrap().to_owned();
    s.propose(&s.sme_owner, &s.sme, &s.end_user, Some(&s.call)).await.assert_problem(409);
    s.propose(&s.user_owner, &s.end_user, &s.sme, Some(&s.call)).await.assert_problem(409);
    s.propose(&s.stranger, &s.sme, &s.end_user, None).await.assert_problem(403);

    // Not opted in to the call: a 422 naming the side.
    let outsider = app.organisation(&s.user_owner, end_user("Hôpital Nord")).await;
    let refused = s.propose(&s.sme_owner, &s.sme, &outsider, Some(&s.call)).await;
    assert_eq!(refused.assert_problem(422), vec!["to".to_owned()]);
    assert!(refused.body["detail"].as_str().unwrap().contains(&outsider));

    // At most `max_pending` open proposals.
    let second = s.propose(&s.sme_owner, &s.sme, &outsider, None).await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text);
    let third_party = app.organisation(&s.user_owner, end_user("Métropole Sud")).await;
    let capped = s.propose(&s.sme_owner, &s.sme, &third_party, None).await;
    capped.assert_problem(409);
    assert!(capped.body["detail"].as_str().unwrap().contains("max_pending"), "{}", capped.text);

    s.act(&s.user_owner, &id, "withdraw", None).await.assert_problem(403);
    let withdrawn = s.act(&s.sme_owner, &id, "withdraw", Some(json!({}))).await;
    assert_eq!(withdrawn.body["state"], "withdrawn", "{}", withdrawn.text);
    let now_allowed = s.propose(&s.sme_owner, &s.sme, &third_party, None).await;
    assert_eq!(now_allowed.status, StatusCode::CREATED, "{}", now_allowed.text);

    // Bad input.
    let fields = app
        .post("/api/v1/introductions", Some(&s.sme_owner), json!({"from": s.sme, "to": s.sme}))
        .await
        .assert_problem(422);
    assert_eq!(fields, vec!["to".to_owned()]);
    let fields = app
        .post(
            "/api/v1/introductions",
            Some(&s.sme_owner),
            json!({"from": s.sme, "to": "0190aaaa-0000-7000-8000-000000000000"}),
        )
        .await
        .assert_problem(422);
    assert_eq!(fields, vec!["to".to_owned()]);
    app.get("/api/v1/introductions?state=pending", Some(&s.sme_owner)).await.assert_problem(400);
    app.get("/api/v1/introductions/0190aaaa-0000-7000-8000-000000000000", Some(&s.sme_owner)).await.assert_problem(404);
}

async fn unanswered_proposals_are_reminded_then_expire(engine: Engine) {
    let app = spawn_app_with(engine, &[("introductions.expire_after", json!("3s"))]).await;
    let s = scene(app).await;
    let app = &s.app;
    let id = s.propose(&s.sme_owner, &s.sme, &s.end_user, None).await.body["id"].as_str().unwrap().to_owned();
    eventually(Duration::from_secs(10), "the reminder", || async {
        notification_types(app, &s.user_owner).await.contains(&"introduction.reminder".to_owned())
    })
    .await;
    assert!(
        !notification_types(app, &s.sme_owner).await.contains(&"introduction.reminder".to_owned()),
        "the reminder goes to the side whose answer is awaited"
    );
    eventually(Duration::from_secs(10), "the expiry", || async {
        app.get(&format!("/api/v1/introductions/{id}"), Some(&s.sme_owner)).await.body["state"] == "expired"
    })
    .await;
    for token in [&s.sme_owner, &s.user_owner] {
        eventually(Duration::from_secs(5), "the expiry notice", || async {
            notification_types(app, token).await.contains(&"introduction.expired".to_owned())
        })
        .await;
    }
    s.act(&s.user_owner, &id, "accept", None).await.assert_problem(409);
    let actions: Vec<String> =
        app.get(&format!("/api/v1/introductions/{id}"), Some(&s.sme_owner)).await.body["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["action"].as_str().unwrap().to_owned())
            .collect();
    assert_eq!(actions, vec!["proposed", "reminded", "expired"]);
}

async fn no_introduction_after_the_deadline(engine: Engine) {
    let s = scene(spawn_app(engine).await).await;
    let closing = open_call(&s.app, &s.broker, "closing-call", chrono::Duration::seconds(2)).await;
    opt_in(&s.app, &s.sme_owner, &closing, &s.sme).await;
    opt_in(&s.app, &s.user_owner, &closing, &s.end_user).await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let late = s.propose(&s.sme_owner, &s.sme, &s.end_user, Some(&closing)).await;
    late.assert_problem(409);
    let detail = late.body["detail"].as_str().unwrap();
    assert!(detail.contains("closed on") && detail.contains("(Europe/Brussels)"), "{detail}");
    // The call's participants and eligibility can still be read.
    let eligibility = s
        .app
        .post(&format!("/api/v1/calls/{closing}/eligibility"), None, json!({"organisations": [s.sme, s.end_user]}))
        .await;
    assert_eq!(eligibility.body["eligible"], true, "{}", eligibility.text);
}

/// What the receiver got: the signature header, the body, and the status it answered.
type Received = Arc<Mutex<Vec<(String, Vec<u8>, u16)>>>;

/// A local webhook receiver that answers 500 to its first `failures` requests and 200 afterwards.
struct Receiver {
    url: String,
    requests: Received,
    _server: actix_web::dev::ServerHandle,
}

async fn receiver(failures: usize) -> Receiver {
    let requests: Received = Arc::default();
    let shared = requests.clone();
    let server = actix_web::HttpServer::new(move || {
        let shared = shared.clone();
        actix_web::App::new().default_service(actix_web::web::to(
            move |req: actix_web::HttpRequest, body: actix_web::web::Bytes| {
                let shared = shared.clone();
                async move {
                    let signature =
                        req.headers().get("Tandem-Signature").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                    let mut requests = shared.lock().unwrap();
                    let status = if requests.len() < failures { 500 } else { 200 };
                    requests.push((signature, body.to_vec(), status));
                    actix_web::HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
                }
            },
        ))
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let port = server.addrs()[0].port();
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    Receiver { url: format!("http://127.0.0.1:{port}/hooks/tandem"), requests, _server: handle }
}

fn signature_is_valid(secret: &str, header: &str, body: &[u8]) -> bool {
    let Some((t, v1)) = header.strip_prefix("t=").and_then(|rest| rest.split_once(",v1=")) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    hex::decode(v1).is_ok_and(|expected| mac.verify_slice(&expected).is_ok())
}

const SECRET: &str = "whsec-0123456789abcdef";

async fn webhooks_are_signed_and_retried_until_delivered(engine: Engine) {
    let s = scene(spawn_app(engine).await).await;
    let app = &s.app;
    let hook = receiver(1).await;
    let created = app
        .post(
            "/api/v1/webhooks",
            Some(&s.sme_owner),
            json!({"url": hook.url, "events": ["introduction.proposed", "introduction.connected"], "secret": SECRET, "organisation": s.sme}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert!(!created.text.contains(SECRET), "the secret is never returned");
    let webhook = created.body["id"].as_str().unwrap().to_owned();
    let everything = app
        .post(
            "/api/v1/webhooks",
            Some(&s.sme_owner),
            json!({"url": hook.url, "events": ["introduction.proposed"], "secret": SECRET}),
        )
        .await;
    everything.assert_problem(403);
    let fields = app
        .post(
            "/api/v1/webhooks",
            Some(&s.sme_owner),
            json!({"url": hook.url, "events": ["introduction.eaten"], "secret": SECRET, "organisation": s.sme}),
        )
        .await
        .assert_problem(422);
    assert_eq!(fields, vec!["events[0]".to_owned()]);

    let id = s.propose(&s.sme_owner, &s.sme, &s.end_user, None).await.body["id"].as_str().unwrap().to_owned();
    s.act(&s.user_owner, &id, "accept", None).await;
    eventually(Duration::from_secs(10), "both events delivered", || async {
        let requests = hook.requests.lock().unwrap();
        let delivered: Vec<String> = requests
            .iter()
            .filter(|r| r.2 == 200)
            .filter_map(|r| serde_json::from_slice::<Value>(&r.1).ok())
            .map(|v| v["type"].as_str().unwrap_or("").to_owned())
            .collect();
        delivered.contains(&"introduction.proposed".to_owned())
            && delivered.contains(&"introduction.connected".to_owned())
    })
    .await;
    let requests = hook.requests.lock().unwrap().clone();
    for (signature, body, _) in &requests {
        assert!(signature_is_valid(SECRET, signature, body), "bad signature {signature}");
        assert!(!signature_is_valid("another-secret-value", signature, body));
    }
    let events: Vec<Value> = requests.iter().map(|r| serde_json::from_slice(&r.1).unwrap()).collect();
    let failed_event = &events[0];
    assert_eq!(requests[0].2, 500);
    assert!(
        events.iter().skip(1).any(|e| e["id"] == failed_event["id"]),
        "the event that got a 500 came again, with the same id"
    );
    for event in &events {
        assert!(event["id"].is_string() && event["created_at"].is_string());
        assert_eq!(event["data"]["id"], json!(id));
        assert!(["introduction.proposed", "introduction.connected"].contains(&event["type"].as_str().unwrap()));
    }
    let connected = events.iter().find(|e| e["type"] == "introduction.connected").unwrap();
    assert_eq!(connected["data"]["state"], "connected");
    let proposed = events.iter().find(|e| e["type"] == "introduction.proposed").unwrap();
    assert!(!contacts_in(&proposed.to_string()));

    // The receiver counts a request before its answer reaches the worker, which records the attempt after it:
    // the log catches up with the receiver shortly after.
    let deliveries = format!("/api/v1/webhooks/{webhook}/deliveries");
    eventually(Duration::from_secs(10), "the delivery log to record every attempt", || async {
        let log = app.get(&deliveries, Some(&s.sme_owner)).await;
        log.body["items"].as_array().is_some_and(|items| items.len() == requests.len())
    })
    .await;
    let log = app.get(&deliveries, Some(&s.sme_owner)).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text);
    let statuses: Vec<&str> =
        log.body["items"].as_array().unwrap().iter().map(|a| a["status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"500") && statuses.contains(&"200"), "{statuses:?}");
    let retried = log.body["items"].as_array().unwrap().iter().find(|a| a["attempt"] == 2).expect("a second attempt");
    assert_eq!(retried["event_id"], failed_event["id"]);
    app.get(&deliveries, Some(&s.user_owner)).await.assert_problem(404);
    let mine = app.get("/api/v1/webhooks", Some(&s.sme_owner)).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
    assert!(!mine.text.contains(SECRET));
}

async fn private_webhook_urls_are_refused_unless_allowed(engine: Engine) {
    let app = spawn_app_with(engine, &[("webhooks.allow_private", json!(false))]).await;
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://10.0.0.8/hook",
        "http://[::1]/hook",
        "http://localhost:8080/x",
        "ftp://example.org/x",
    ] {
        let fields = app
            .post(
                "/api/v1/webhooks",
                Some(&broker),
                json!({"url": url, "events": ["introduction.proposed"], "secret": SECRET}),
            )
            .await
            .assert_problem(422);
        assert_eq!(fields, vec!["url".to_owned()], "{url}");
    }
}

fn mails(app: &TestApp) -> Vec<String> {
    let dir = app.data_dir().join("mail");
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect())
        .unwrap_or_default()
}

async fn emails_go_to_each_member_in_their_language(engine: Engine) {
    let s = scene(spawn_app(engine).await).await;
    let id = s.propose(&s.sme_owner, &s.sme, &s.end_user, None).await.body["id"].as_str().unwrap().to_owned();
    eventually(Duration::from_secs(5), "two proposal e-mails", || async { mails(&s.app).len() >= 2 }).await;
    let all = mails(&s.app);
    let to_sme =
        all.iter().find(|m| m.contains("To: direction@sentinelle.example")).expect("an e-mail to the SME's owner");
    assert!(to_sme.contains("Bonjour") && to_sme.contains("Une mise en relation entre Sentinelle SAS"), "{to_sme}");
    let to_port = all.iter().find(|m| m.contains("To: jean@port.example")).expect("an e-mail to the end user's owner");
    assert!(to_port.contains("Hello") && to_port.contains("An introduction between Sentinelle SAS"), "{to_port}");
    assert!(!all.iter().any(|m| contacts_in(m)), "no contact before both accept");

    s.act(&s.user_owner, &id, "accept", None).await;
    eventually(Duration::from_secs(5), "the connection e-mails", || async {
        mails(&s.app)
            .iter()
            .filter(|m| m.contains("securite@port.example") || m.contains("camille@sentinelle.example"))
            .count()
            >= 2
    })
    .await;
    let connected = mails(&s.app);
    let to_sme = connected
        .iter()
        .find(|m| m.contains("To: direction@sentinelle.example") && m.contains("Voici les contacts"))
        .expect("the French connection e-mail");
    assert!(to_sme.contains("securite@port.example"));
}

async fn undelivered_events_are_delivered_after_a_restart(engine: Engine) {
    // A replica whose notifier is off writes events to the outbox; the next start delivers them.
    let app = spawn_app_with(engine, &[("notifier.enabled", json!(false))]).await;
    let s = scene(app).await;
    let hook = receiver(0).await;
    let created = s
        .app
        .post(
            "/api/v1/webhooks",
            Some(&s.broker),
            json!({"url": hook.url, "events": ["introduction.proposed"], "secret": SECRET}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = s.propose(&s.sme_owner, &s.sme, &s.end_user, None).await.body["id"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(hook.requests.lock().unwrap().is_empty(), "nothing is delivered while the notifier is off");
    assert!(notification_types(&s.app, &s.user_owner).await.is_empty());

    let user_owner = s.user_owner.clone();
    let app = s.app.restarted(&[]).await;
    eventually(Duration::from_secs(10), "the delivery after the restart", || async {
        !hook.requests.lock().unwrap().is_empty()
    })
    .await;
    let (signature, body, _) = hook.requests.lock().unwrap()[0].clone();
    assert!(signature_is_valid(SECRET, &signature, &body));
    let event: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (event["type"].as_str(), event["data"]["id"].as_str()),
        (Some("introduction.proposed"), Some(id.as_str()))
    );
    eventually(Duration::from_secs(5), "the in-app notification", || async {
        notification_types(&app, &user_owner).await == vec!["introduction.proposed".to_owned()]
    })
    .await;
}

async fn call_scoped_suggestions_name_only_eligible_participants(engine: Engine) {
    let s = scene(spawn_app(engine).await).await;
    let app = &s.app;
    let need = json!({
        "title": "Détection de drones au-dessus du port", "language": "fr",
        "description": "Détecter et localiser les drones qui survolent les quais la nuit.",
        "technologies": ["iot_sensors", "ai"], "domains": ["critical_infrastructure"], "sectors": ["port"], "min_trl": 6
    });
    let (outsider, _) = app.organisation_with_items(&s.user_owner, end_user("Port du Havre"), &[need]).await;
    let mut swiss = sme("Helvetic Drones AG");
    swiss["country"] = json!("CH");
    swiss["technologies"] = json!(["iot_sensors", "ai"]);
    let (swiss, seq) = app
        .organisation_with_items(
            &s.sme_owner,
            swiss,
            &[json!({
                "title": "Détection radar de drones", "language": "fr",
                "description": "Détection et localisation des drones au-dessus des ports et des terminaux.",
                "technologies": ["iot_sensors", "ai"], "domains": ["critical_infrastructure"], "trl": 8
            })],
        )
        .await;
    opt_in(app, &s.sme_owner, &s.call, &swiss).await;
    app.get(&format!("/api/v1/search?min_seq={seq}"), None).await;

    let everyone = app.get(&format!("/api/v1/organisations/{}/matches", s.sme), None).await;
    assert!(everyone.text.contains(&outsider) && everyone.text.contains(&s.end_user), "{}", everyone.text);
    let scoped = app.get(&format!("/api/v1/organisations/{}/matches?call=pilot-call", s.sme), None).await;
    assert_eq!(scoped.status, StatusCode::OK, "{}", scoped.text);
    let ids: Vec<&str> =
        scoped.body["matches"].as_array().unwrap().iter().map(|m| m["organisation"]["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![s.end_user.as_str()], "only opted-in partners");
    let eligibility = &scoped.body["matches"][0]["eligibility"];
    assert_eq!(eligibility["eligible"], true);
    assert!(
        eligibility["rules"].as_array().unwrap().iter().any(|r| r["rule"] == "independence" && r["passed"] == true)
    );

    // The Swiss SME is a participant, but no valid CITADEL consortium includes it.
    let unscoped = app.get(&format!("/api/v1/organisations/{}/matches", s.end_user), None).await;
    assert!(unscoped.text.contains(&swiss), "{}", unscoped.text);
    let for_port = app.get(&format!("/api/v1/organisations/{}/matches?call={}", s.end_user, s.call), None).await;
    let ids: Vec<&str> = for_port.body["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["organisation"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![s.sme.as_str()], "{}", for_port.text);
    app.get(&format!("/api/v1/organisations/{}/matches?call=no-such-call", s.sme), None).await.assert_problem(400);
}

both_engines!(
    call_scoped_suggestions_name_only_eligible_participants,
    an_introduction_goes_from_proposal_to_connected,
    a_decline_hides_its_text_and_the_pair_is_not_proposed_again,
    a_broker_proposal_needs_both_sides,
    duplicates_the_pending_cap_and_call_rules_are_enforced,
    unanswered_proposals_are_reminded_then_expire,
    no_introduction_after_the_deadline,
    webhooks_are_signed_and_retried_until_delivered,
    private_webhook_urls_are_refused_unless_allowed,
    emails_go_to_each_member_in_their_language,
    undelivered_events_are_delivered_after_a_restart,
);
