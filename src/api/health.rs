//! Liveness (the process answers) and readiness (database reachable, migrations applied).
use actix_web::{HttpResponse, get, web};

use super::AppState;
use super::error::ApiError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(live).service(ready);
}

#[get("/health/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

#[get("/health/ready")]
async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let generation = state.search.generation();
    match state.store.ready().await {
        Ok(true) => Ok(HttpResponse::Ok().json(serde_json::json!({
            "status": "ok",
            "database": state.store.engine(),
            "index": {
                "generation": generation.name,
                "applied_seq": state.search.applied_seq(),
                "segments": generation.reader.searcher().segment_readers().len(),
                "cache": generation.caches.stats(),
            },
        }))),
        Ok(false) => Err(ApiError::unavailable("database migrations are not all applied")),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            Err(ApiError::unavailable("the database is not reachable"))
        }
    }
}
