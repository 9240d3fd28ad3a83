//! Full-text search with facets, and completions for search-as-you-type.
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use super::caller::Caller;
use super::error::ApiError;
use super::extract::QueryParams;
use crate::domain::taxonomy::{Facet, Lang};
use crate::domain::{country, tags};
use crate::search::evaluate::{self, Running};
use crate::search::query::{self, SearchRequest};

pub const MAX_LIMIT: usize = 100;
const MAX_OFFSET: usize = 10_000;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(search).service(suggest);
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(rename = "type")]
    doc_type: Option<String>,
    technology: Option<String>,
    domain: Option<String>,
    sector: Option<String>,
    kind: Option<String>,
    country: Option<String>,
    trl_min: Option<u8>,
    limit: Option<usize>,
    cursor: Option<String>,
    min_seq: Option<i64>,
}

fn facet(field: &str, facet: Facet, value: Option<&str>) -> Result<Option<String>, ApiError> {
    value.map(|v| tags::parse_one(field, facet, v)).transpose().map_err(|e| ApiError::bad_parameter(field, e.message))
}

impl SearchParams {
    fn checked(self, include_unpublished: bool) -> Result<SearchRequest, ApiError> {
        query::parse(&self.q).map_err(|message| ApiError::bad_parameter("q", message))?;
        let doc_type = match self.doc_type.as_deref() {
            None => None,
            Some(t @ ("organisation" | "offer" | "need")) => Some(t.to_owned()),
            Some(other) => {
                return Err(ApiError::bad_parameter(
                    "type",
                    format!("`{other}` is not one of organisation, offer, need"),
                ));
            }
        };
        if self.trl_min.is_some_and(|t| !(1..=9).contains(&t)) {
            return Err(ApiError::bad_parameter("trl_min", "must be a technology readiness level, 1 to 9"));
        }
        let limit = self.limit.unwrap_or(20);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_parameter("limit", format!("must be between 1 and {MAX_LIMIT}")));
        }
        let offset = match self.cursor.as_deref() {
            None | Some("") => 0,
            Some(c) => c
                .parse::<usize>()
                .ok()
                .filter(|o| *o <= MAX_OFFSET)
                .ok_or_else(|| ApiError::bad_parameter("cursor", "is not a cursor returned by this search"))?,
        };
        Ok(SearchRequest {
            q: self.q,
            doc_type,
            technology: facet("technology", Facet::Technology, self.technology.as_deref())?,
            domain: facet("domain", Facet::Domain, self.domain.as_deref())?,
            sector: facet("sector", Facet::Sector, self.sector.as_deref())?,
            kind: facet("kind", Facet::Kind, self.kind.as_deref())?,
            country: self
                .country
                .as_deref()
                .map(|c| country::parse("country", c))
                .transpose()
                .map_err(|e| ApiError::bad_parameter("country", e.message))?,
            trl_min: self.trl_min.map(u64::from),
            limit,
            offset,
            include_unpublished,
        })
    }
}

#[get("/search")]
async fn search(
    state: web::Data<AppState>,
    Caller(caller): Caller,
    QueryParams(params): QueryParams<SearchParams>,
) -> Result<HttpResponse, ApiError> {
    let min_seq = params.min_seq;
    let request = params.checked(caller.as_ref().is_some_and(|c| c.sees_whole_market()))?;
    if let Some(seq) = min_seq
        && !state.search.wait_for(seq, state.settings.index.read_after_write_timeout).await
    {
        return Err(ApiError::unavailable(format!(
            "the index has not yet applied change {seq} (it is at {}); retry shortly",
            state.search.applied_seq()
        )));
    }
    // Counted as running until its answer is serialized: matching, which runs elsewhere, hands its parts to the
    // search threads only when fewer searches run than there are cores.
    let _running = Running::start();
    let generation = state.search.generation();
    let result = evaluate::run(move || query::search(&generation, &request)).await.ok_or_else(ApiError::internal)?;
    let answer = result.map_err(|error| {
        tracing::error!(%error, "search failed");
        ApiError::internal()
    })?;
    #[derive(serde::Serialize)]
    struct Body {
        applied_seq: i64,
        #[serde(flatten)]
        answer: query::Answer,
    }
    Ok(HttpResponse::Ok().json(Body { applied_seq: state.search.applied_seq(), answer }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuggestParams {
    q: String,
    limit: Option<usize>,
}

#[get("/search/suggest")]
async fn suggest(
    req: HttpRequest,
    state: web::Data<AppState>,
    QueryParams(params): QueryParams<SuggestParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = params.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::bad_parameter("limit", "must be between 1 and 50"));
    }
    if params.q.chars().count() > 100 {
        return Err(ApiError::bad_parameter("q", "is longer than 100 characters"));
    }
    let language = req
        .headers()
        .get("accept-language")
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::En, Lang::parse_accept_language);
    let generation = state.search.generation();
    let prefix = params.q;
    let suggestions = web::block(move || query::suggest(&generation, &prefix, language, limit))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|error| {
            tracing::error!(%error, "suggest failed");
            ApiError::internal()
        })?;
    Ok(HttpResponse::Ok().json(json!({ "suggestions": suggestions })))
}
