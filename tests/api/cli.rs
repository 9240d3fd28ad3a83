//! The `tandem` binary, run as a user runs it, against the same database as an application under test.
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

use crate::both_engines;
use crate::helpers::{Engine, PASSWORD, ServerProcess, TestApp, end_user, fresh_database, sme, spawn_app};

both_engines!(
    import_writes_every_good_line_with_its_offers_and_needs,
    import_reports_bad_lines_by_number_and_skips_them,
    a_strict_import_with_a_bad_line_writes_nothing,
    admin_create_makes_an_administrator_who_can_grant_roles,
    stale_analyses_of_more_offers_than_one_statement_reads_are_refreshed_at_start_up,
);

fn tandem(app: &TestApp, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tandem"));
    command
        .args(args)
        .env("TANDEM_ENV", "test")
        .env("TANDEM__DATABASE__URL", &app.database_url)
        .env("TANDEM__INDEX__DIR", app.dir.path().join("index"))
        .env("TANDEM__DATA__DIR", app.data_dir())
        .stdin(Stdio::null());
    command
}

fn run(command: &mut Command) -> (Output, String, String) {
    let output = command.output().expect("tandem runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
}

fn lines(values: &[Value]) -> String {
    values.iter().map(|v| v.to_string() + "\n").collect()
}

fn good_lines() -> Vec<Value> {
    let mut vendor = sme("Vigie Drones SAS");
    vendor["offers"] = json!([
        {"title": "Radar anti-drones portable", "description": "Détection et classification de drones", "technologies": ["iot_sensors"], "trl": 7},
        {"title": "Drone detection analytics", "technologies": ["data_analytics", "ai"], "trl": 6, "language": "en"}
    ]);
    let mut port = end_user("Port de Sète");
    port["needs"] = json!([{"title": "Surveillance des survols de drones", "sectors": ["port"], "min_trl": 6}]);
    let lab = json!({"legal_name": "Laboratoire Exemple", "kind": "research", "country": "FR", "technologies": ["IA"]});
    vec![vendor, port, lab]
}

async fn count_organisations(app: &TestApp) -> usize {
    app.get("/api/v1/organisations?limit=100", None).await.body["items"].as_array().map_or(0, Vec::len)
}

async fn import_writes_every_good_line_with_its_offers_and_needs(engine: Engine) {
    let app = spawn_app(engine).await;
    let file = app.dir.path().join("good.jsonl");
    std::fs::write(&file, lines(&good_lines())).expect("file written");

    let (output, stdout, stderr) = run(&mut tandem(&app, &["import", file.to_str().expect("path")]));

    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("imported 3 organisation(s)"), "{stdout}");
    let listed = app.get("/api/v1/organisations?kind=sme", None).await;
    let vendor = listed.body["items"][0]["id"].as_str().expect("the SME was imported").to_owned();
    let offers = app.get(&format!("/api/v1/organisations/{vendor}/offers"), None).await;
    assert_eq!(offers.body["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(count_organisations(&app).await, 3);
    assert!(!listed.text.contains("camille@sentinelle.example"), "imported contacts stay private");
}

async fn import_reports_bad_lines_by_number_and_skips_them(engine: Engine) {
    let app = spawn_app(engine).await;
    let mut rows = good_lines();
    rows[1]["country"] = json!("Atlantis");
    let mut text = lines(&rows);
    text.push_str("{\"legal_name\": \"Broken\n");
    let file = app.dir.path().join("mixed.jsonl");
    std::fs::write(&file, text).expect("file written");

    let (output, stdout, stderr) = run(&mut tandem(&app, &["import", file.to_str().expect("path")]));

    assert_eq!(output.status.code(), Some(3), "{stdout}{stderr}");
    assert!(stderr.contains("line 2: country:"), "{stderr}");
    assert!(stderr.contains("line 4:"), "{stderr}");
    assert!(stdout.contains("imported 2 organisation(s); skipped 2 bad line(s)"), "{stdout}");
    assert_eq!(count_organisations(&app).await, 2);
}

async fn a_strict_import_with_a_bad_line_writes_nothing(engine: Engine) {
    let app = spawn_app(engine).await;
    let mut rows = good_lines();
    rows[2]["offers"] = json!([{"title": "Prototype", "trl": 0}]);
    let file = app.dir.path().join("strict.jsonl");
    std::fs::write(&file, lines(&rows)).expect("file written");

    let (output, _, stderr) = run(&mut tandem(&app, &["import", "--strict", file.to_str().expect("path")]));

    assert!(!output.status.success());
    assert!(stderr.contains("line 3: offers[0].trl:"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(count_organisations(&app).await, 0);
}

async fn stale_analyses_of_more_offers_than_one_statement_reads_are_refreshed_at_start_up(engine: Engine) {
    // 260 organisations of four offers each: more than one window of the start-up check (1,000 rows a statement).
    let organisations: Vec<Value> = (0..260)
        .map(|i| {
            let mut vendor = sme(&format!("Vigie {i}"));
            vendor["registration_id"] = json!(format!("FR{i:09}"));
            vendor["offers"] = (0..4)
                .map(|k| json!({"title": format!("Radar anti-drones {i}-{k}"), "technologies": ["iot_sensors"], "trl": 7}))
                .collect();
            vendor
        })
        .collect();
    let app = spawn_app(engine).await;
    let file = app.dir.path().join("many.jsonl");
    std::fs::write(&file, lines(&organisations)).expect("file written");
    let (output, stdout, stderr) = run(&mut tandem(&app, &["import", file.to_str().expect("path")]));
    assert!(output.status.success(), "{stdout}{stderr}");
    let current = "SELECT COUNT(*) FROM offers WHERE analysis LIKE 'tandem-analysis 1 %'";
    assert_eq!(app.sql_number(current).await, 1040, "imported offers are stored with their analysis");
    assert_eq!(
        app.sql("UPDATE offers SET analysis = NULL WHERE id IN (SELECT id FROM offers ORDER BY id LIMIT 1030)").await,
        1030
    );
    assert_eq!(app.sql_number(current).await, 10);

    let app = app.restarted(&[]).await;
    let mut refreshed = 0;
    for _ in 0..200 {
        refreshed = app.sql_number(current).await;
        if refreshed == 1040 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(refreshed, 1040, "every offer analysed again, across the check's windows");
}

async fn admin_create_makes_an_administrator_who_can_grant_roles(engine: Engine) {
    let app = spawn_app(engine).await;
    let staff = app.signed_up("staff@cluster.example").await;
    let staff_id = app.get("/api/v1/me", Some(&staff)).await.body["id"].as_str().expect("id").to_owned();

    let (output, stdout, stderr) =
        run(tandem(&app, &["admin", "create", "--email", "boss@cluster.example"])
            .env("TANDEM_ADMIN_PASSWORD", PASSWORD));
    let admin = app.login("boss@cluster.example").await;
    let granted = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/accounts/{staff_id}/role"),
            Some(&admin),
            Some(json!({"role": "broker"})),
        )
        .await;

    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("administrator boss@cluster.example"), "{stdout}");
    assert_eq!(app.get("/api/v1/me", Some(&admin)).await.body["role"], "admin");
    assert_eq!(granted.body["role"], "broker", "{}", granted.text);
}

#[test]
fn a_bad_configuration_value_stops_start_up_naming_the_key() {
    let output = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["migrate"])
        .env("TANDEM__SERVER__PORT", "eighty")
        .env("TANDEM__DATABASE__URL", "sqlite::memory:")
        .output()
        .expect("tandem runs");
    let stderr = String::from_utf8_lossy(&output.stderr);

    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("server.port"), "{stderr}");

    let output = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["migrate"])
        .env("TANDEM__DATABASE__URL", "mysql://localhost/tandem")
        .output()
        .expect("tandem runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("database.url"), "{stderr}");
}

/// The newcomer's command: `tandem demo` on a fresh SQLite file serves the demo marketplace.
#[tokio::test]
async fn demo_serves_the_demo_marketplace_on_a_fresh_database() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (database_url, _) = fresh_database(Engine::Sqlite, dir.path()).await;
    let server = ServerProcess::start("demo", &database_url, dir.path(), &[]);
    let base = server.base.clone();
    let client = reqwest::Client::new();

    let ready = client.get(format!("{base}/health/ready")).send().await.expect("ready answered");
    let page: Value = client
        .get(format!("{base}/api/v1/organisations?limit=100"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "broker@tandem.example", "password": tandem::demo::DEMO_PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    drop(server);

    assert_eq!(ready.status(), 200);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(100));
    assert!(page["next_cursor"].is_string());
    assert_eq!(login["account"]["role"], "broker");
}
