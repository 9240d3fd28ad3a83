//! Partner suggestions for an organisation, a need or an offer, each explained part by part in the reader's
//! language; and the pairs an organisation declined, which are never suggested again.
use std::collections::HashSet;
use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, delete, get, put, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::caller::{Caller, Signed};
use super::error::ApiError;
use super::extract::QueryParams;
use super::items::item_view;
use super::organisations::{editable, not_found, visible};
use crate::domain::call::{Candidate, Eligibility, pair_possible};
use crate::domain::taxonomy::Lang;
use crate::matching::{Matcher, Subject, Suggestion, partner_kind};
use crate::search::indexer::load_bundles;
use crate::store::{ItemKind, OrganisationRecord, StoreError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(organisation_matches)
        .service(need_matches)
        .service(offer_matches)
        .service(list_declined)
        .service(decline)
        .service(undecline);
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchParams {
    limit: Option<usize>,
    /// A call's id or slug: only its participants with whom a valid consortium is possible.
    call: Option<String>,
}

pub fn language(req: &HttpRequest) -> Lang {
    req.headers().get("accept-language").and_then(|v| v.to_str().ok()).map_or(Lang::En, Lang::parse_accept_language)
}

/// A partner as suggestions show it: its public summary, never a contact.
pub fn summary(record: &OrganisationRecord) -> Value {
    let p = &record.profile.0;
    json!({
        "id": record.id, "legal_name": p.legal_name, "kind": p.kind, "country": p.country, "region": p.region,
        "is_sme": p.is_sme, "website": p.website, "languages": p.languages, "technologies": p.technologies,
        "domains": p.domains, "sectors": p.sectors,
    })
}

fn suggestion_view(suggestion: &Suggestion, item_field: Option<&str>, eligibility: Option<&Eligibility>) -> Value {
    let scored = &suggestion.scored;
    let mut view = json!({
        "organisation": summary(&suggestion.partner),
        "score": (scored.score * 10_000.0).round() / 10_000.0,
        "parts": scored.parts,
        "matched_terms": scored.matched_terms,
        "pairs": scored.pairs,
    });
    if let (Some(field), Some(item)) = (item_field, &suggestion.item) {
        view[field] = item_view(item);
    }
    if let Some(eligibility) = eligibility {
        view["eligibility"] = json!({ "eligible": eligibility.eligible, "rules": eligibility.rules });
    }
    view
}

/// Suggestions with, for a call, each one's eligibility; those that cannot form a valid consortium are dropped.
async fn views(
    state: &AppState,
    req: &HttpRequest,
    organisation_id: &str,
    subject: Subject,
    params: &MatchParams,
    item_field: Option<&str>,
) -> Result<Vec<Value>, ApiError> {
    let lang = language(req);
    let call = match params.call.as_deref() {
        None | Some("") => None,
        Some(call) => Some(
            state
                .store
                .call(call)
                .await
                .ok()
                .filter(|c| c.published)
                .ok_or_else(|| ApiError::bad_parameter("call", format!("no call `{call}`")))?,
        ),
    };
    let limit = params.limit.unwrap_or(20);
    let Some(call) = call else {
        let suggestions = run(state, organisation_id, subject, lang, Some(limit), None).await?;
        return Ok(suggestions.iter().map(|s| suggestion_view(s, item_field, None)).collect());
    };
    let suggestions = run(state, organisation_id, subject, lang, Some(limit), Some(&call.id)).await?;
    let me = state.store.organisation(organisation_id).await?;
    let mine = Candidate { id: &me.id, profile: &me.profile.0 };
    Ok(suggestions
        .iter()
        .filter_map(|s| {
            let partner = Candidate { id: &s.partner.id, profile: &s.partner.profile.0 };
            let eligibility = pair_possible(&call.body.0, &mine, &partner, lang);
            eligibility.eligible.then(|| suggestion_view(s, item_field, Some(&eligibility)))
        })
        .take(limit)
        .collect())
}

async fn run(
    state: &AppState,
    organisation_id: &str,
    subject: Subject,
    lang: Lang,
    limit: Option<usize>,
    call: Option<&str>,
) -> Result<Vec<Suggestion>, ApiError> {
    let limit = limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::bad_parameter("limit", "must be between 1 and 100"));
    }
    let bundle = load_bundles(&state.store, &[organisation_id.to_owned()])
        .await
        .map_err(search_error)?
        .pop()
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    let kind = bundle.organisation.profile.0.kind;
    if partner_kind(kind).is_none() {
        return Err(ApiError::invalid_field(
            "kind",
            format!("suggestions pair digital SMEs with end users; this organisation is a `{}`", kind.as_str()),
        ));
    }
    let excluded: HashSet<String> =
        state.store.declined_partners(organisation_id, call.unwrap_or("")).await?.into_iter().collect();
    let only = match call {
        Some(call) => Some(Arc::new(state.store.participant_ids(call).await?.into_iter().collect::<HashSet<_>>())),
        None => None,
    };
    // Pairs that fail the call's rules are dropped afterwards: ask for more than will be shown.
    let wanted = if call.is_some() { (limit * 3).min(100) } else { limit };
    let generation = state.search.generation();
    let matcher = Matcher {
        store: &state.store,
        generation,
        settings: &state.settings.matching,
        congestion: &state.congestion,
        only,
    };
    matcher.suggest(bundle, subject, &excluded, lang, wanted).await.map_err(search_error)
}

fn search_error(error: crate::search::SearchError) -> ApiError {
    match error {
        crate::search::SearchError::Store(e) => e.into(),
        other => {
            tracing::error!(error = %other, "matching failed");
            ApiError::internal()
        }
    }
}

#[get("/organisations/{id}/matches")]
async fn organisation_matches(
    req: HttpRequest,
    state: web::Data<AppState>,
    Caller(caller): Caller,
    id: web::Path<String>,
    QueryParams(params): QueryParams<MatchParams>,
) -> Result<HttpResponse, ApiError> {
    visible(&state, caller.as_ref(), &id).await?;
    let matches = views(&state, &req, &id, Subject::Organisation, &params, None).await?;
    Ok(HttpResponse::Ok().json(json!({ "matches": matches })))
}

async fn item_matches(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    kind: ItemKind,
    id: &str,
    params: MatchParams,
) -> Result<HttpResponse, ApiError> {
    let item = state.store.item_by_id(kind, id).await.map_err(|e| match e {
        StoreError::NotFound => ApiError::not_found(kind.entity()),
        other => other.into(),
    })?;
    visible(&state, caller.0.as_ref(), &item.organisation_id).await.map_err(|_| ApiError::not_found(kind.entity()))?;
    let subject = match kind {
        ItemKind::Need => Subject::Need(id.to_owned()),
        ItemKind::Offer => Subject::Offer(id.to_owned()),
    };
    let field = match kind {
        ItemKind::Need => "offer",
        ItemKind::Offer => "need",
    };
    let matches = views(&state, &req, &item.organisation_id, subject, &params, Some(field)).await?;
    Ok(HttpResponse::Ok().json(json!({ kind.entity(): item_view(&item), "matches": matches })))
}

#[get("/needs/{id}/matches")]
async fn need_matches(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    QueryParams(params): QueryParams<MatchParams>,
) -> Result<HttpResponse, ApiError> {
    item_matches(req, state, caller, ItemKind::Need, &id, params).await
}

#[get("/offers/{id}/matches")]
async fn offer_matches(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    QueryParams(params): QueryParams<MatchParams>,
) -> Result<HttpResponse, ApiError> {
    item_matches(req, state, caller, ItemKind::Offer, &id, params).await
}

#[get("/organisations/{id}/declined")]
async fn list_declined(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (_, access) = visible(&state, Some(&account), &id).await?;
    if !access.sees_private() {
        return Err(ApiError::forbidden("only the organisation's members and cluster staff see what it declined"));
    }
    let items = state.store.declined_partners(&id, "").await?;
    Ok(HttpResponse::Ok().json(json!({ "items": items, "next_cursor": null })))
}

#[put("/organisations/{id}/declined/{other}")]
async fn decline(
    state: web::Data<AppState>,
    Signed(account): Signed,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, other) = path.into_inner();
    editable(&state, &account, &id).await?;
    if id == other {
        return Err(ApiError::invalid_field("other", "an organisation cannot decline itself"));
    }
    state.store.organisation(&other).await.map_err(not_found)?;
    state.store.decline_pair(&id, &other, "").await?;
    Ok(HttpResponse::NoContent().finish())
}

#[delete("/organisations/{id}/declined/{other}")]
async fn undecline(
    state: web::Data<AppState>,
    Signed(account): Signed,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, other) = path.into_inner();
    editable(&state, &account, &id).await?;
    if !state.store.undecline_pair(&id, &other, "").await? {
        return Err(ApiError::not_found("declined pair"));
    }
    Ok(HttpResponse::NoContent().finish())
}
