//! A table of bad requests: each gets the right 4xx in problem+json naming the field, and nothing stored changes.
use reqwest::Method;
use serde_json::{Value, json};

use crate::both_engines;
use crate::helpers::{Engine, TestApp, sme, spawn_app};

both_engines!(bad_requests_get_a_clear_problem_and_change_nothing, unknown_routes_and_methods_answer_problem_json);

struct Case {
    name: &'static str,
    method: Method,
    path: String,
    token: Option<String>,
    content_type: &'static str,
    body: Option<String>,
    status: u16,
    field: Option<&'static str>,
}

fn body(value: Value) -> Option<String> {
    Some(value.to_string())
}

async fn snapshot(app: &TestApp, token: &str, org: &str) -> (Value, Value) {
    let profile = app.get(&format!("/api/v1/organisations/{org}"), Some(token)).await.body;
    let list = app.get("/api/v1/organisations?limit=100", Some(token)).await.body;
    (profile, list)
}

async fn bad_requests_get_a_clear_problem_and_change_nothing(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.signed_up("owner@example.org").await;
    let stranger = app.signed_up("stranger@example.org").await;
    let org = app.organisation(&owner, sme("Sentinelle SAS")).await;
    let path = format!("/api/v1/organisations/{org}");
    let before = snapshot(&app, &owner, &org).await;
    let with = |field: &str, value: Value| {
        let mut b = sme("Nouvelle SAS");
        b[field] = value;
        body(b)
    };
    let owner_token = Some(owner.clone());
    let json_type = "application/json";
    let cases = vec![
        Case {
            name: "malformed JSON",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: owner_token.clone(),
            content_type: json_type,
            body: Some("{\"legal_name\": ".into()),
            status: 400,
            field: None,
        },
        Case {
            name: "empty body",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: owner_token.clone(),
            content_type: json_type,
            body: Some(String::new()),
            status: 400,
            field: None,
        },
        Case {
            name: "unknown field",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: owner_token.clone(),
            content_type: json_type,
            body: with("favourite_colour", json!("blue")),
            status: 422,
            field: Some("favourite_colour"),
        },
        Case {
            name: "wrong type",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: owner_token.clone(),
            content_type: json_type,
            body: with("is_sme", json!("yes")),
            status: 422,
            field: Some("is_sme"),
        },
        Case {
            name: "unknown kind",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: owner_token.clone(),
            content_type: json_type,
            body: with("kind", json!("startup")),
            status: 422,
            field: Some("kind"),
        },
        Case {
            name: "missing field",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: owner_token.clone(),
            content_type: json_type,
            body: body(json!({"kind": "sme", "country": "FR"})),
            status: 422,
            field: Some("legal_name"),
        },
        Case {
            name: "over-long name",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: owner_token.clone(),
            content_type: json_type,
            body: with("legal_name", json!("x".repeat(201))),
            status: 422,
            field: Some("legal_name"),
        },
        Case {
            name: "bad country",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: owner_token.clone(),
            content_type: json_type,
            body: with("country", json!("ZZ")),
            status: 422,
            field: Some("country"),
        },
        Case {
            name: "unknown technology",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: owner_token.clone(),
            content_type: json_type,
            body: with("technologies", json!(["ai", "blockchain"])),
            status: 422,
            field: Some("technologies[1]"),
        },
        Case {
            name: "bad e-mail in contact",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: owner_token.clone(),
            content_type: json_type,
            body: with("contact", json!({"name": "A", "email": "nope"})),
            status: 422,
            field: Some("contact.email"),
        },
        Case {
            name: "body over 1 MiB",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: owner_token.clone(),
            content_type: json_type,
            body: with("legal_name", json!("x".repeat(1_100_000))),
            status: 413,
            field: None,
        },
        Case {
            name: "not JSON",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: owner_token.clone(),
            content_type: "text/plain",
            body: Some("hello".into()),
            status: 415,
            field: None,
        },
        Case {
            name: "no token",
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            token: None,
            content_type: json_type,
            body: body(sme("Sans Jeton SAS")),
            status: 401,
            field: None,
        },
        Case {
            name: "bad token",
            method: Method::GET,
            path: "/api/v1/me".into(),
            token: Some("tdm_forged".into()),
            content_type: json_type,
            body: None,
            status: 401,
            field: None,
        },
        Case {
            name: "unknown organisation",
            method: Method::GET,
            path: "/api/v1/organisations/0190f0f0-0000-7000-8000-000000000000".into(),
            token: None,
            content_type: json_type,
            body: None,
            status: 404,
            field: None,
        },
        Case {
            name: "unknown offer",
            method: Method::GET,
            path: format!("{path}/offers/nope"),
            token: None,
            content_type: json_type,
            body: None,
            status: 404,
            field: None,
        },
        Case {
            name: "not a member",
            method: Method::PATCH,
            path: path.clone(),
            token: Some(stranger.clone()),
            content_type: json_type,
            body: body(json!({"region": "Bretagne"})),
            status: 403,
            field: None,
        },
        Case {
            name: "patch with wrong type",
            method: Method::PATCH,
            path: path.clone(),
            token: owner_token.clone(),
            content_type: json_type,
            body: body(json!({"published": "soon"})),
            status: 422,
            field: Some("published"),
        },
        Case {
            name: "patch with unknown field",
            method: Method::PATCH,
            path: path.clone(),
            token: owner_token.clone(),
            content_type: json_type,
            body: body(json!({"owner": "me"})),
            status: 422,
            field: Some("owner"),
        },
        Case {
            name: "patch with a bad sector",
            method: Method::PATCH,
            path: path.clone(),
            token: owner_token.clone(),
            content_type: json_type,
            body: body(json!({"sectors": ["aerospace manufacturing"]})),
            status: 422,
            field: Some("sectors[0]"),
        },
        Case {
            name: "patch that is not an object",
            method: Method::PATCH,
            path: path.clone(),
            token: owner_token.clone(),
            content_type: json_type,
            body: body(json!([1, 2])),
            status: 422,
            field: Some("body"),
        },
        Case {
            name: "offer with a TRL of 10",
            method: Method::POST,
            path: format!("{path}/offers"),
            token: owner_token.clone(),
            content_type: json_type,
            body: body(json!({"title": "Radar", "trl": 10})),
            status: 422,
            field: Some("trl"),
        },
        Case {
            name: "offer with a TRL as text",
            method: Method::POST,
            path: format!("{path}/offers"),
            token: owner_token.clone(),
            content_type: json_type,
            body: body(json!({"title": "Radar", "trl": "seven"})),
            status: 422,
            field: Some("trl"),
        },
        Case {
            name: "limit over the maximum",
            method: Method::GET,
            path: "/api/v1/organisations?limit=1000".into(),
            token: None,
            content_type: json_type,
            body: None,
            status: 400,
            field: Some("limit"),
        },
        Case {
            name: "limit not a number",
            method: Method::GET,
            path: "/api/v1/organisations?limit=many".into(),
            token: None,
            content_type: json_type,
            body: None,
            status: 400,
            field: Some("limit"),
        },
        Case {
            name: "unknown kind filter",
            method: Method::GET,
            path: "/api/v1/organisations?kind=startup".into(),
            token: None,
            content_type: json_type,
            body: None,
            status: 400,
            field: Some("kind"),
        },
        Case {
            name: "unknown technology filter",
            method: Method::GET,
            path: "/api/v1/organisations?technology=blockchain".into(),
            token: None,
            content_type: json_type,
            body: None,
            status: 400,
            field: Some("technology"),
        },
        Case {
            name: "bad cursor",
            method: Method::GET,
            path: "/api/v1/organisations?cursor=abc".into(),
            token: None,
            content_type: json_type,
            body: None,
            status: 400,
            field: Some("cursor"),
        },
        Case {
            name: "unknown query parameter",
            method: Method::GET,
            path: "/api/v1/organisations?colour=blue".into(),
            token: None,
            content_type: json_type,
            body: None,
            status: 400,
            field: Some("colour"),
        },
        Case {
            name: "short password",
            method: Method::POST,
            path: "/api/v1/auth/register".into(),
            token: None,
            content_type: json_type,
            body: body(json!({"email": "a@example.org", "password": "short", "name": "A"})),
            status: 422,
            field: Some("password"),
        },
        Case {
            name: "malformed If-Match",
            method: Method::PATCH,
            path: path.clone(),
            token: owner_token.clone(),
            content_type: json_type,
            body: body(json!({"region": "x"})),
            status: 400,
            field: Some("If-Match"),
        },
    ];

    for case in cases {
        let mut request =
            app.client.request(case.method.clone(), app.url(&case.path)).header("content-type", case.content_type);
        if let Some(token) = &case.token {
            request = request.bearer_auth(token);
        }
        if case.name == "malformed If-Match" {
            request = request.header("If-Match", "yesterday");
        }
        if let Some(body) = case.body {
            request = request.body(body);
        }
        let reply = app.send(request).await;
        assert_eq!(reply.status.as_u16(), case.status, "{}: {}", case.name, reply.text);
        let fields = reply.assert_problem(case.status);
        if let Some(field) = case.field {
            assert!(fields.iter().any(|f| f == field), "{}: expected field {field} in {}", case.name, reply.text);
        }
    }

    assert_eq!(snapshot(&app, &owner, &org).await, before, "a rejected request changed stored data");
}

async fn unknown_routes_and_methods_answer_problem_json(engine: Engine) {
    let app = spawn_app(engine).await;

    app.get("/api/v1/nothing-here", None).await.assert_problem(404);
    let method = app.call(Method::PUT, "/api/v1/taxonomy", None, Some(json!({}))).await;
    assert!(matches!(method.status.as_u16(), 404 | 405), "{}", method.text);
    method.assert_problem(method.status.as_u16());
}

/// The workflow endpoints (calls, introductions, webhooks, consortia, brokerage days) under bad input: a clear 4xx
/// naming the field, and nothing stored changes.
/// Name, method, path, token, raw body, expected status, field the problem must name.
type WorkflowCase<'a> = (&'a str, Method, String, &'a String, String, u16, Option<&'a str>);

async fn workflow_state(app: &TestApp, broker: &str, owner: &str, event: &str) -> (Value, Value, Value, Value, Value) {
    (
        app.get("/api/v1/calls?limit=100", None).await.body,
        app.get("/api/v1/introductions?limit=100", Some(broker)).await.body,
        app.get("/api/v1/webhooks", Some(owner)).await.body,
        app.get("/api/v1/consortia", Some(broker)).await.body,
        app.get(&format!("/api/v1/events/{event}/agenda"), Some(broker)).await.body,
    )
}

async fn workflow_endpoints_reject_bad_input_and_change_nothing(engine: Engine) {
    let app = spawn_app(engine).await;
    let broker = app.signed_up_as("broker@cluster.example", "broker").await;
    let owner = app.signed_up("owner@example.org").await;
    let org = app.organisation(&owner, sme("Sentinelle SAS")).await;
    let port = app.organisation(&owner, crate::helpers::end_user("Port de Sète")).await;
    let call = crate::calls::open_call(&app, &broker, "bad-input-call", chrono::Duration::days(5)).await;
    let intro = app.post("/api/v1/introductions", Some(&owner), json!({"from": org, "to": port})).await;
    let intro = intro.body["id"].as_str().unwrap().to_owned();
    let event = app
        .post(
            &format!("/api/v1/calls/{call}/events"),
            Some(&broker),
            json!({"name": "Day", "starts_at": "2027-01-01T09:00:00Z", "slot_minutes": 20, "slots": 4}),
        )
        .await;
    let event = event.body["id"].as_str().unwrap().to_owned();
    let before = workflow_state(&app, &broker, &owner, &event).await;
    let unknown = "0190aaaa-0000-7000-8000-000000000000";
    let cases: Vec<WorkflowCase<'_>> = vec![
        ("malformed introduction", Method::POST, "/api/v1/introductions".into(), &owner, "{\"from\": ".to_owned(), 400, None),
        (
            "introduction of wrong type",
            Method::POST,
            "/api/v1/introductions".into(),
            &owner,
            r#"{"from": 12, "to": "x"}"#.to_owned(),
            422,
            Some("from"),
        ),
        (
            "introduction to nobody",
            Method::POST,
            "/api/v1/introductions".into(),
            &owner,
            format!(r#"{{"from": "{org}", "to": "{unknown}"}}"#),
            422,
            Some("to"),
        ),
        (
            "introduction to an unknown call",
            Method::POST,
            "/api/v1/introductions".into(),
            &owner,
            format!(r#"{{"from": "{org}", "to": "{port}", "call": "nope"}}"#),
            422,
            Some("call"),
        ),
        (
            "unknown decline reason",
            Method::POST,
            format!("/api/v1/introductions/{intro}/decline"),
            &owner,
            r#"{"reason": "bored"}"#.to_owned(),
            422,
            Some("reason"),
        ),
        (
            "accept with a body",
            Method::POST,
            format!("/api/v1/introductions/{intro}/accept"),
            &owner,
            r#"{"please": true}"#.to_owned(),
            422,
            Some("please"),
        ),
        (
            "unknown introduction",
            Method::POST,
            format!("/api/v1/introductions/{unknown}/accept"),
            &owner,
            String::new(),
            404,
            None,
        ),
        ("call by a user", Method::POST, "/api/v1/calls".into(), &owner, r#"{"slug": "x"}"#.to_owned(), 403, None),
        (
            "call without roles",
            Method::POST,
            "/api/v1/calls".into(),
            &broker,
            r#"{"slug": "x", "name": {"fr": "a", "en": "b"}, "programme": "p", "opens_at": "2027-01-01T00:00:00Z", "time_zone": "Europe/Paris"}"#.to_owned(),
            422,
            Some("roles"),
        ),
        (
            "eligibility without a list",
            Method::POST,
            format!("/api/v1/calls/{call}/eligibility"),
            &owner,
            r#"{"organisations": "all"}"#.to_owned(),
            422,
            Some("organisations"),
        ),
        (
            "webhook with a bad URL",
            Method::POST,
            "/api/v1/webhooks".into(),
            &owner,
            format!(
                r#"{{"url": "not a url", "events": ["introduction.proposed"], "secret": "0123456789abcdef", "organisation": "{org}"}}"#
            ),
            422,
            Some("url"),
        ),
        (
            "webhook with a short secret",
            Method::POST,
            "/api/v1/webhooks".into(),
            &owner,
            format!(
                r#"{{"url": "http://127.0.0.1:9/x", "events": ["introduction.proposed"], "secret": "short", "organisation": "{org}"}}"#
            ),
            422,
            Some("secret"),
        ),
        (
            "consortium with an unknown role",
            Method::POST,
            "/api/v1/consortia".into(),
            &broker,
            format!(
                r#"{{"call": "{call}", "name": "c", "partners": [{{"organisation": "{org}", "role": "captain"}}]}}"#
            ),
            422,
            Some("partners[0].role"),
        ),
        (
            "consortium of an unknown call",
            Method::POST,
            "/api/v1/consortia".into(),
            &broker,
            format!(r#"{{"call": "{unknown}", "name": "c", "partners": []}}"#),
            422,
            Some("call"),
        ),
        (
            "event with zero slots",
            Method::POST,
            format!("/api/v1/calls/{call}/events"),
            &broker,
            r#"{"name": "d", "starts_at": "2027-01-01T09:00:00Z", "slot_minutes": 20, "slots": 0}"#.to_owned(),
            422,
            Some("slots"),
        ),
        (
            "event in the year 9999",
            Method::POST,
            format!("/api/v1/calls/{call}/events"),
            &broker,
            r#"{"name": "d", "starts_at": "9999-12-31T23:00:00Z", "slot_minutes": 480, "slots": 96}"#.to_owned(),
            422,
            Some("starts_at"),
        ),
        (
            "event by a user",
            Method::POST,
            format!("/api/v1/calls/{call}/events"),
            &owner,
            r#"{"name": "d", "starts_at": "2027-01-01T09:00:00Z", "slot_minutes": 20, "slots": 2}"#.to_owned(),
            403,
            None,
        ),
        (
            "meeting of one",
            Method::POST,
            format!("/api/v1/events/{event}/meetings"),
            &broker,
            format!(r#"{{"organisations": ["{org}"]}}"#),
            422,
            Some("organisations"),
        ),
        (
            "availability out of range",
            Method::PUT,
            format!("/api/v1/events/{event}/availability/{org}"),
            &owner,
            r#"{"slots": [0, 9]}"#.to_owned(),
            422,
            Some("slots[1]"),
        ),
        ("pairings by a user", Method::GET, format!("/api/v1/calls/{call}/pairings"), &owner, String::new(), 403, None),
        (
            "pairings with a bad capacity",
            Method::GET,
            format!("/api/v1/calls/{call}/pairings?capacity=many"),
            &broker,
            String::new(),
            400,
            Some("capacity"),
        ),
    ];
    for (name, method, path, token, raw, status, field) in cases {
        let mut request =
            app.client.request(method, app.url(&path)).bearer_auth(token).header("content-type", "application/json");
        if !raw.is_empty() {
            request = request.body(raw);
        }
        let reply = app.send(request).await;
        assert_eq!(reply.status.as_u16(), status, "{name}: {}", reply.text);
        let fields = reply.assert_problem(status);
        if let Some(field) = field {
            assert!(fields.iter().any(|f| f == field), "{name}: expected {field} in {}", reply.text);
        }
    }
    assert_eq!(workflow_state(&app, &broker, &owner, &event).await, before, "a rejected request changed stored data");
}

both_engines!(workflow_endpoints_reject_bad_input_and_change_nothing);
