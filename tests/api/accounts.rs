use serde_json::json;

use crate::both_engines;
use crate::helpers::{Engine, PASSWORD, spawn_app, spawn_app_with};

both_engines!(
    a_new_account_registers_logs_in_and_sees_itself,
    registering_an_email_twice_is_a_conflict,
    a_wrong_password_is_refused_without_saying_which_part_was_wrong,
    a_logged_out_token_no_longer_works,
    an_expired_token_is_refused,
    login_attempts_are_rate_limited,
    an_admin_grants_the_broker_role_and_others_cannot,
);

async fn a_new_account_registers_logs_in_and_sees_itself(engine: Engine) {
    let app = spawn_app(engine).await;

    let created = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": "Camille@Example.org", "password": PASSWORD, "name": "Camille"}),
        )
        .await;
    let login =
        app.post("/api/v1/auth/login", None, json!({"email": "camille@example.org", "password": PASSWORD})).await;
    let token = login.body["token"].as_str().expect("token");
    let me = app.get("/api/v1/me", Some(token)).await;

    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["email"], "camille@example.org");
    assert_eq!(created.body["role"], "user");
    assert!(created.body.get("password").is_none() && created.body.get("password_hash").is_none());
    assert_eq!(login.status, 200);
    assert!(login.body["expires_at"].as_str().is_some());
    assert_eq!(me.status, 200);
    assert_eq!(me.body["email"], "camille@example.org");
    assert_eq!(me.body["organisations"], json!([]));
}

async fn registering_an_email_twice_is_a_conflict(engine: Engine) {
    let app = spawn_app(engine).await;
    app.signed_up("dup@example.org").await;

    let again = app
        .post("/api/v1/auth/register", None, json!({"email": "DUP@example.org", "password": PASSWORD, "name": "x"}))
        .await;

    again.assert_problem(409);
}

async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong(engine: Engine) {
    let app = spawn_app(engine).await;
    app.signed_up("someone@example.org").await;

    let wrong_password = app
        .post("/api/v1/auth/login", None, json!({"email": "someone@example.org", "password": "not the password"}))
        .await;
    let unknown_email =
        app.post("/api/v1/auth/login", None, json!({"email": "nobody@example.org", "password": PASSWORD})).await;

    wrong_password.assert_problem(401);
    unknown_email.assert_problem(401);
    assert_eq!(wrong_password.body["detail"], unknown_email.body["detail"]);
}

async fn a_logged_out_token_no_longer_works(engine: Engine) {
    let app = spawn_app(engine).await;
    let token = app.signed_up("leaver@example.org").await;

    let logout = app.post("/api/v1/auth/logout", Some(&token), json!({})).await;
    let me = app.get("/api/v1/me", Some(&token)).await;

    assert_eq!(logout.status, 204);
    me.assert_problem(401);
}

async fn an_expired_token_is_refused(engine: Engine) {
    let app = spawn_app_with(engine, &[("auth.token_ttl", json!("1s"))]).await;
    let token = app.signed_up("brief@example.org").await;
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 200);

    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let me = app.get("/api/v1/me", Some(&token)).await;

    me.assert_problem(401);
}

async fn login_attempts_are_rate_limited(engine: Engine) {
    let app = spawn_app_with(engine, &[("auth.login_burst", json!(3)), ("auth.login_refill", json!("1h"))]).await;
    let attempt =
        || app.post("/api/v1/auth/login", None, json!({"email": "x@example.org", "password": "whatever12345"}));

    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(attempt().await);
    }

    for reply in &statuses[..3] {
        reply.assert_problem(401);
    }
    statuses[3].assert_problem(429);
    assert!(statuses[3].header("retry-after").and_then(|s| s.parse::<u64>().ok()).is_some_and(|s| s > 0));
}

async fn an_admin_grants_the_broker_role_and_others_cannot(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signed_up_as("admin@example.org", "admin").await;
    let user = app.signed_up("staff@example.org").await;
    let me = app.get("/api/v1/me", Some(&user)).await;
    let id = me.body["id"].as_str().expect("id");

    let by_user = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/accounts/{id}/role"),
            Some(&user),
            Some(json!({"role": "broker"})),
        )
        .await;
    let bad_role = app
        .call(reqwest::Method::PUT, &format!("/api/v1/accounts/{id}/role"), Some(&admin), Some(json!({"role": "king"})))
        .await;
    let unknown = app
        .call(reqwest::Method::PUT, "/api/v1/accounts/nobody/role", Some(&admin), Some(json!({"role": "broker"})))
        .await;
    let granted = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/accounts/{id}/role"),
            Some(&admin),
            Some(json!({"role": "broker"})),
        )
        .await;

    by_user.assert_problem(403);
    assert_eq!(bad_role.assert_problem(422), ["role"]);
    unknown.assert_problem(404);
    assert_eq!(granted.status, 200, "{}", granted.text);
    assert_eq!(app.get("/api/v1/me", Some(&user)).await.body["role"], "broker");
    let listed = app.get("/api/v1/accounts?limit=1", Some(&admin)).await;
    assert_eq!(listed.body["items"].as_array().map(Vec::len), Some(1));
    let rest = app
        .get(&format!("/api/v1/accounts?cursor={}", listed.body["next_cursor"].as_str().expect("more")), Some(&admin))
        .await;
    assert_eq!(rest.body["items"][0]["email"], "staff@example.org");
    app.get("/api/v1/accounts", Some(&user)).await.assert_problem(403);
}
