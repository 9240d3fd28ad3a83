use crate::both_engines;
use crate::helpers::{Engine, spawn_app};

both_engines!(liveness_and_readiness_answer_ok, the_taxonomy_lists_every_facet_in_both_languages);

async fn liveness_and_readiness_answer_ok(engine: Engine) {
    let app = spawn_app(engine).await;

    let live = app.get("/health/live", None).await;
    let ready = app.get("/health/ready", None).await;

    assert_eq!(live.status, 200);
    assert_eq!(ready.status, 200, "{}", ready.text);
    assert_eq!(ready.body["status"], "ok");
    let expected = if engine == Engine::Sqlite { "sqlite" } else { "postgres" };
    assert_eq!(ready.body["database"], expected);
}

async fn the_taxonomy_lists_every_facet_in_both_languages(engine: Engine) {
    let app = spawn_app(engine).await;

    let reply = app.get("/api/v1/taxonomy", None).await;

    assert_eq!(reply.status, 200);
    let ids = |facet: &str| -> Vec<String> {
        reply.body[facet].as_array().expect(facet).iter().map(|t| t["id"].as_str().expect("id").to_owned()).collect()
    };
    assert_eq!(ids("technologies").len(), 6);
    assert!(ids("technologies").contains(&"crisis_management".to_owned()));
    assert!(ids("domains").contains(&"disaster_resilience".to_owned()));
    assert_eq!(ids("sectors").len(), 15);
    assert!(ids("sectors").contains(&"port".to_owned()));
    assert_eq!(ids("kinds"), ["sme", "end_user", "research", "large_company", "cluster", "other"]);
    let cyber = &reply.body["technologies"][1];
    assert_eq!(cyber["id"], "cybersecurity");
    assert!(cyber["label"]["fr"].as_str().expect("fr").contains("Cybersécurité"));
    assert!(cyber["label"]["en"].as_str().expect("en").to_lowercase().contains("cybersecurity"));
}
