//! The index is derived data that never loses an acknowledged write: after a crash, under concurrent writers, and
//! while it is rebuilt.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

use crate::both_engines;
use crate::helpers::{Engine, PASSWORD, ServerProcess, TestApp, fresh_database, sme, spawn_app};

both_engines!(
    every_acknowledged_write_is_found_after_a_crash_before_the_index_committed,
    concurrent_writers_are_all_searchable,
    reindex_while_queries_run_returns_no_errors_and_no_missing_results,
);

async fn every_acknowledged_write_is_found_after_a_crash_before_the_index_committed(engine: Engine) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (database_url, _schema) = fresh_database(engine, dir.path()).await;
    let client = reqwest::Client::new();
    // The first process commits its index only once an hour: everything it acknowledges is in the database only.
    let server = ServerProcess::start("serve", &database_url, dir.path(), &[("TANDEM__INDEX__COMMIT_INTERVAL", "1h")]);
    let base = server.base.clone();
    client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"email": "owner@example.org", "password": PASSWORD, "name": "Owner"}))
        .send()
        .await
        .expect("registered");
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "owner@example.org", "password": PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let token = login["token"].as_str().expect("token").to_owned();
    let mut last_seq = 0;
    for i in 0..20 {
        let reply = client
            .post(format!("{base}/api/v1/organisations"))
            .bearer_auth(&token)
            .json(&sme(&format!("Crashproof{i} SAS")))
            .send()
            .await
            .expect("created");
        assert_eq!(reply.status(), 201);
        let body: Value = reply.json().await.expect("json");
        last_seq = body["seq"].as_i64().expect("seq");
    }

    let before_crash: Value = client
        .get(format!("{base}/api/v1/search?type=organisation"))
        .send()
        .await
        .expect("search")
        .json()
        .await
        .expect("json");
    assert_eq!(before_crash["total"], 0, "nothing was committed to the index before the crash: {before_crash}");

    server.kill();
    let restarted = ServerProcess::start("serve", &database_url, dir.path(), &[]);
    let found: Value = client
        .get(format!("{}/api/v1/search?type=organisation&limit=100&min_seq={last_seq}", restarted.base))
        .send()
        .await
        .expect("search")
        .json()
        .await
        .expect("json");

    assert_eq!(found["total"], 20, "{found}");
    for i in 0..20 {
        let hit: Value = client
            .get(format!("{}/api/v1/search?q=Crashproof{i}", restarted.base))
            .send()
            .await
            .expect("search")
            .json()
            .await
            .expect("json");
        assert_eq!(hit["hits"][0]["name"], format!("Crashproof{i} SAS"), "{hit}");
    }
}

async fn concurrent_writers_are_all_searchable(engine: Engine) {
    let app = Arc::new(spawn_app(engine).await);
    let mut writers = Vec::new();
    for w in 0..8 {
        let app = app.clone();
        writers.push(tokio::spawn(async move {
            let token = app.signed_up(&format!("writer{w}@example.org")).await;
            let mut seqs = Vec::new();
            for i in 0..8 {
                let reply =
                    app.post("/api/v1/organisations", Some(&token), sme(&format!("Writer{w} Item{i} SAS"))).await;
                assert_eq!(reply.status, 201, "{}", reply.text);
                seqs.push(reply.body["seq"].as_i64().expect("seq"));
            }
            seqs
        }));
    }
    let mut max_seq = 0;
    for writer in writers {
        max_seq = max_seq.max(writer.await.expect("writer").into_iter().max().unwrap_or(0));
    }

    let all = app.get(&format!("/api/v1/search?type=organisation&min_seq={max_seq}&limit=100"), None).await;

    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(all.body["total"], 64, "every acknowledged write is searchable: {}", all.text);
}

async fn reindex_while_queries_run_returns_no_errors_and_no_missing_results(engine: Engine) {
    let app = Arc::new(spawn_app(engine).await);
    let token = app.signed_up("owner@example.org").await;
    let mut seq = 0;
    for i in 0..30 {
        let reply = app.post("/api/v1/organisations", Some(&token), sme(&format!("Rebuilt{i} SAS"))).await;
        seq = reply.body["seq"].as_i64().expect("seq");
    }
    let before = app.get("/health/ready", None).await.body["index"]["generation"].clone();
    assert_eq!(app.get(&format!("/api/v1/search?q=rebuilt0&min_seq={seq}"), None).await.status, 200);
    let failures = Arc::new(AtomicUsize::new(0));
    let queries = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (app, failures, queries, stop) = (app.clone(), failures.clone(), queries.clone(), stop.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let reply = app.get("/api/v1/search?type=organisation&limit=1", None).await;
                if reply.status != 200 || reply.body["total"] != 30 {
                    failures.fetch_add(1, Ordering::Relaxed);
                    eprintln!("reindex: bad answer {} {}", reply.status, reply.text);
                }
                queries.fetch_add(1, Ordering::Relaxed);
            }
        })
    };

    let output = reindex(&app).await;
    let mut after = before.clone();
    for _ in 0..100 {
        after = app.get("/health/ready", None).await.body["index"]["generation"].clone();
        if after != before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    reader.await.expect("reader");

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_ne!(after, before, "the service switched to the rebuilt index");
    assert!(queries.load(Ordering::Relaxed) > 5);
    assert_eq!(failures.load(Ordering::Relaxed), 0);
    let hit = app.get("/api/v1/search?q=rebuilt7", None).await;
    assert_eq!(hit.body["hits"][0]["name"], "Rebuilt7 SAS");
}

async fn reindex(app: &TestApp) -> std::process::Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_tandem"));
    command
        .arg("reindex")
        .env("TANDEM_ENV", "test")
        .env("TANDEM__DATABASE__URL", &app.database_url)
        .env("TANDEM__INDEX__DIR", app.dir.path().join("index"))
        .env("TANDEM__DATA__DIR", app.data_dir());
    command.output().await.expect("tandem reindex runs")
}
