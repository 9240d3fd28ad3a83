//! The controlled vocabulary, with French and English labels.
use actix_web::{HttpResponse, get, web};
use serde_json::json;

use crate::domain::taxonomy::Facet;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(taxonomy);
}

fn terms(facet: Facet) -> serde_json::Value {
    facet
        .terms()
        .iter()
        .map(|t| json!({"id": t.id, "label": {"fr": t.fr, "en": t.en}, "synonyms": t.synonyms}))
        .collect()
}

#[get("/taxonomy")]
async fn taxonomy() -> HttpResponse {
    HttpResponse::Ok().insert_header(("Cache-Control", "public, max-age=3600")).json(json!({
        "technologies": terms(Facet::Technology),
        "domains": terms(Facet::Domain),
        "sectors": terms(Facet::Sector),
        "kinds": terms(Facet::Kind),
    }))
}
