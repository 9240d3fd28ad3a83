//! Starts the real application on a random port against a fresh database (a temporary SQLite file, or a fresh
//! schema on the PostgreSQL server named by `TANDEM_TEST_PG_URL`), and talks HTTP to it.
use std::path::{Path, PathBuf};

use figment::providers::Serialized;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tandem::config::Settings;
use tandem::startup::Application;
use tandem::store::NewAccountRow;

pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs a test body once per engine: `both_engines!(name, ...)` makes `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_engines {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Engine::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::helpers::Engine::Postgres).await
            }
        }
    )*};
}

pub struct TestApp {
    pub address: String,
    pub database_url: String,
    pub client: reqwest::Client,
    pub dir: tempfile::TempDir,
    pub app_state: actix_web::web::Data<tandem::api::AppState>,
    handle: actix_web::dev::ServerHandle,
    background: tokio::sync::watch::Sender<bool>,
    schema: Option<String>,
}

pub fn pg_base_url() -> String {
    std::env::var("TANDEM_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_owned())
}

/// A fresh, empty database for one test: its URL, and the PostgreSQL schema to drop afterwards.
pub async fn fresh_database(engine: Engine, dir: &Path) -> (String, Option<String>) {
    match engine {
        Engine::Sqlite => (format!("sqlite://{}", dir.join("tandem.db").display()), None),
        Engine::Postgres => {
            let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
            let base = pg_base_url();
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&base)
                .await
                .expect("PostgreSQL reachable at TANDEM_TEST_PG_URL (start it with .ci/run)");
            sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut conn).await.expect("create schema");
            let separator = if base.contains('?') { '&' } else { '?' };
            (format!("{base}{separator}options=-c%20search_path%3D{schema}"), Some(schema))
        }
    }
}

/// The test configuration (`config/test.toml`) with this test's database, index and data folders.
pub fn test_settings(database_url: &str, dir: &Path, overrides: &[(&str, Value)]) -> Settings {
    let mut figment = Settings::figment(Path::new("config"), Some("test"))
        .expect("config/test.toml")
        .merge(Serialized::default("database.url", database_url))
        .merge(Serialized::default("index.dir", dir.join("index")))
        .merge(Serialized::default("data.dir", dir.join("data")));
    for (key, value) in overrides {
        figment = figment.merge(Serialized::default(key, value.clone()));
    }
    Settings::extract(figment).expect("valid test settings")
}

pub async fn spawn_app(engine: Engine) -> TestApp {
    spawn_app_with(engine, &[]).await
}

pub async fn spawn_app_with(engine: Engine, overrides: &[(&str, Value)]) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (database_url, schema) = fresh_database(engine, dir.path()).await;
    start(dir, database_url, schema, overrides).await
}

async fn start(
    dir: tempfile::TempDir,
    database_url: String,
    schema: Option<String>,
    overrides: &[(&str, Value)],
) -> TestApp {
    let settings = test_settings(&database_url, dir.path(), overrides);
    tandem::telemetry::init(&settings.log);
    let app = Application::build(settings).await.expect("application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    let background = app.background_stop();
    let app_state = app.state();
    tokio::spawn(app.run_until_stopped());
    TestApp { address, database_url, client: reqwest::Client::new(), dir, app_state, handle, background, schema }
}

impl TestApp {
    /// Stops this app and starts another on the same database and data folder (with a fresh index folder, so that
    /// the stopping app's index writer is out of the way), as an operator restarts the service.
    pub async fn restarted(mut self, overrides: &[(&str, Value)]) -> TestApp {
        self.handle.stop(true).await;
        let schema = self.schema.take();
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().expect("temporary directory"));
        let database_url = self.database_url.clone();
        drop(self);
        let mut all: Vec<(&str, Value)> = overrides.to_vec();
        all.push(("index.dir", json!(dir.path().join("index-restarted"))));
        start(dir, database_url, schema, &all).await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // The stop commands are sent at once; their completion need not be awaited.
        drop(self.handle.stop(false));
        self.background.send_replace(true);
        if let Some(schema) = self.schema.take() {
            // Dropping the schema needs a connection of its own: the test's runtime is being torn down.
            let _ = std::thread::spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                    return;
                };
                runtime.block_on(async move {
                    if let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&pg_base_url()).await {
                        let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&mut conn).await;
                    }
                });
            })
            .join();
        }
    }
}

/// A response as the tests look at it.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a problem+json answer with this status, and returns the names of the fields it blames.
    #[track_caller]
    pub fn assert_problem(&self, status: u16) -> Vec<String> {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text);
        assert_eq!(self.header("content-type"), Some("application/problem+json"), "body: {}", self.text);
        assert_eq!(self.body["status"], json!(status));
        assert!(self.body["type"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(self.body["title"].as_str().is_some_and(|t| !t.is_empty()));
        self.body["errors"]
            .as_array()
            .map(|errors| errors.iter().filter_map(|e| e["field"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body read");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, headers, body, text }
    }

    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::DELETE, path, token, None).await
    }

    /// Registers an account and logs it in; returns its bearer token.
    pub async fn signed_up(&self, email: &str) -> String {
        let reply = self
            .post("/api/v1/auth/register", None, json!({"email": email, "password": PASSWORD, "name": email}))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        self.login(email).await
    }

    pub async fn login(&self, email: &str) -> String {
        let reply = self.post("/api/v1/auth/login", None, json!({"email": email, "password": PASSWORD})).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        reply.body["token"].as_str().expect("token").to_owned()
    }

    /// An account with a role only an administrator (or `tandem admin create`) can grant.
    pub async fn signed_up_as(&self, email: &str, role: &str) -> String {
        let hash = self.app_state.passwords.hash(PASSWORD).expect("hash");
        let row = NewAccountRow { email, name: email, password_hash: &hash, role, language: "en" };
        self.app_state.store.upsert_account(&row).await.expect("account stored");
        self.login(email).await
    }

    /// Creates an organisation owned by the token's account; returns its id.
    pub async fn organisation(&self, token: &str, body: Value) -> String {
        let reply = self.post("/api/v1/organisations", Some(token), body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        reply.body["id"].as_str().expect("id").to_owned()
    }

    /// Creates an organisation with its offers (or, for an end user, its needs); returns its id and the sequence
    /// number of the last write, for searches that must see them (`min_seq`).
    pub async fn organisation_with_items(&self, token: &str, body: Value, items: &[Value]) -> (String, i64) {
        let created = self.post("/api/v1/organisations", Some(token), body.clone()).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        let id = created.body["id"].as_str().expect("id").to_owned();
        let mut seq = created.body["seq"].as_i64().expect("seq");
        let path = if body["kind"] == "end_user" { "needs" } else { "offers" };
        for item in items {
            let reply = self.post(&format!("/api/v1/organisations/{id}/{path}"), Some(token), item.clone()).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
            seq = reply.body["seq"].as_i64().expect("seq");
        }
        (id, seq)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs one SQL statement on the test's database, behind the service's back (to set up what only an older
    /// version or another process could have written); the rows it changed.
    pub async fn sql(&self, statement: &str) -> u64 {
        use sqlx::Connection;
        if self.database_url.starts_with("sqlite:") {
            let mut conn = sqlx::SqliteConnection::connect(&self.database_url).await.expect("sqlite");
            sqlx::query(statement).execute(&mut conn).await.expect("statement").rows_affected()
        } else {
            let mut conn = sqlx::PgConnection::connect(&self.database_url).await.expect("postgres");
            sqlx::query(statement).execute(&mut conn).await.expect("statement").rows_affected()
        }
    }

    /// One integer read from the test's database.
    pub async fn sql_number(&self, query: &str) -> i64 {
        use sqlx::Connection;
        if self.database_url.starts_with("sqlite:") {
            let mut conn = sqlx::SqliteConnection::connect(&self.database_url).await.expect("sqlite");
            sqlx::query_scalar(query).fetch_one(&mut conn).await.expect("query")
        } else {
            let mut conn = sqlx::PgConnection::connect(&self.database_url).await.expect("postgres");
            sqlx::query_scalar(query).fetch_one(&mut conn).await.expect("query")
        }
    }
}

pub fn sme(name: &str) -> Value {
    json!({
        "legal_name": name, "kind": "sme", "country": "FR", "region": "Bretagne", "is_sme": true,
        "registration_id": format!("FR{}", name.len() * 7919), "website": "https://sentinelle.example",
        "languages": ["fr", "en"],
        "description": {"fr": "Détection d'intrusions par IA pour les réseaux industriels", "en": "AI intrusion detection for industrial networks"},
        "technologies": ["cybersecurity", "ai"], "domains": ["critical_infrastructure"], "sectors": [],
        "contact": {"name": "Camille Martin", "email": "camille@sentinelle.example", "phone": "+33 2 00 00 00 00"},
        "published": true
    })
}

pub fn end_user(name: &str) -> Value {
    json!({
        "legal_name": name, "kind": "end_user", "country": "FR", "region": "Provence-Alpes-Côte d'Azur",
        "languages": ["fr"], "description": {"fr": "Grand port maritime"},
        "technologies": ["iot_sensors"], "domains": ["urban_security"], "sectors": ["port"],
        "contact": {"name": "Jean Dupont", "email": "securite@port.example", "phone": "+33 4 00 00 00 00"},
        "published": true
    })
}

/// A `tandem` process serving on a free port, as an operator starts it.
pub struct ServerProcess {
    pub child: std::process::Child,
    pub base: String,
}

impl ServerProcess {
    /// Starts `tandem <command>` on the database and index folder given, and waits until it reports its port.
    pub fn start(command: &str, database_url: &str, dir: &Path, env: &[(&str, &str)]) -> Self {
        use std::io::{BufRead, BufReader};
        let mut process = std::process::Command::new(env!("CARGO_BIN_EXE_tandem"));
        process
            .arg(command)
            .env("TANDEM_ENV", "test")
            .env("TANDEM__SERVER__PORT", "0")
            .env("TANDEM__DATABASE__URL", database_url)
            .env("TANDEM__INDEX__DIR", dir.join("index"))
            .env("TANDEM__DATA__DIR", dir.join("data"))
            .env("TANDEM__LOG__FORMAT", "json")
            .env("TANDEM__LOG__LEVEL", "info")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        for (key, value) in env {
            process.env(key, value);
        }
        let mut child = process.spawn().expect("tandem starts");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let port = lines
            .by_ref()
            .map_while(Result::ok)
            .filter_map(|line| serde_json::from_str::<Value>(&line).ok())
            .find_map(|log| log["fields"]["port"].as_u64())
            .expect("the service logs the port it listens on");
        // Keep draining the logs so that the process never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
        Self { child, base: format!("http://127.0.0.1:{port}") }
    }

    /// Stops the process at once, as a crash or an out-of-memory kill would (SIGKILL).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
