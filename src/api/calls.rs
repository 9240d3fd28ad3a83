//! Calls as data (brokers and administrators write them; everyone reads the published ones), the organisations
//! that opt in to a call, and the check of a set of organisations against a call's rules.
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::caller::{Account, Caller, Signed};
use super::error::ApiError;
use super::extract::{JsonBody, PageParams, QueryParams, etag, from_value, if_match, page};
use super::matches::{language, summary};
use super::organisations::{merge_patch, visible};
use crate::domain::call::{Call, CallInput, Candidate, check};
use crate::store::{CallRecord, OrganisationRecord, StoreError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(list_participants)
        .service(opt_in)
        .service(opt_out)
        .service(eligibility);
}

pub fn view(record: &CallRecord) -> Value {
    let mut value = serde_json::to_value(&record.body.0).unwrap_or_else(|_| json!({}));
    value["id"] = json!(record.id);
    value["slug"] = json!(record.slug);
    value["published"] = json!(record.published);
    value["archived"] = json!(record.archived);
    value["open"] = json!(Call::open_at(&record.body.0, record.archived, Utc::now()).is_ok());
    value["version"] = json!(record.version);
    value["created_at"] = json!(record.created_at);
    value["updated_at"] = json!(record.updated_at);
    value
}

fn require_staff(account: &Account) -> Result<(), ApiError> {
    if account.sees_whole_market() {
        Ok(())
    } else {
        Err(ApiError::forbidden("only cluster staff (brokers) and administrators manage calls"))
    }
}

/// A call the caller may read: published ones for everyone, all of them for cluster staff.
pub async fn readable(state: &AppState, caller: Option<&Account>, id: &str) -> Result<CallRecord, ApiError> {
    let record = state.store.call(id).await.map_err(|e| match e {
        StoreError::NotFound => ApiError::not_found("call"),
        other => other.into(),
    })?;
    if !record.published && !caller.is_some_and(Account::sees_whole_market) {
        return Err(ApiError::not_found("call"));
    }
    Ok(record)
}

/// Refuses new work on a closed call with a 409 that names the deadline in the call's time zone.
pub fn ensure_open(record: &CallRecord) -> Result<(), ApiError> {
    Call::open_at(&record.body.0, record.archived, Utc::now())
        .map_err(|closed| ApiError::conflict(format!("{}: {}", record.slug, closed.message())))
}

fn written(status: actix_web::http::StatusCode, record: &CallRecord) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response.insert_header(("ETag", etag(record.version)));
    if status == actix_web::http::StatusCode::CREATED {
        response.insert_header(("Location", format!("/api/v1/calls/{}", record.id)));
    }
    response.json(view(record))
}

#[get("/calls")]
async fn list(
    state: web::Data<AppState>,
    Caller(caller): Caller,
    QueryParams(params): QueryParams<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (limit, after) = params.checked()?;
    let staff = caller.as_ref().is_some_and(Account::sees_whole_market);
    let rows = state.store.list_calls(staff, after.as_deref(), limit + 1).await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |r| r.id.clone(), |r| view(&r))))
}

#[get("/calls/{id}")]
async fn read(
    state: web::Data<AppState>,
    Caller(caller): Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let record = readable(&state, caller.as_ref(), &id).await?;
    Ok(written(actix_web::http::StatusCode::OK, &record))
}

#[post("/calls")]
async fn create(
    state: web::Data<AppState>,
    Signed(account): Signed,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    // Who may write calls is checked before what they wrote.
    require_staff(&account)?;
    let input: CallInput = super::extract::parse_json(&body)?;
    let call = Call::parse(input).map_err(ApiError::invalid)?;
    let written_call = state.store.create_call(&call).await?;
    Ok(written(actix_web::http::StatusCode::CREATED, &written_call.value))
}

/// A JSON merge patch (RFC 7396) over the call as GET shows it; the result is validated as a whole.
#[patch("/calls/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    JsonBody(patch): JsonBody<Value>,
) -> Result<HttpResponse, ApiError> {
    require_staff(&account)?;
    let record = readable(&state, Some(&account), &id).await?;
    if !patch.is_object() {
        return Err(ApiError::invalid_field("body", "a merge patch is a JSON object"));
    }
    let mut document = view(&record);
    for read_only in ["open"] {
        if let Some(object) = document.as_object_mut() {
            object.remove(read_only);
        }
    }
    merge_patch(&mut document, &patch);
    let input: CallInput = from_value(document)?;
    let call = Call::parse(input).map_err(ApiError::invalid)?;
    let updated = state.store.update_call(&record.id, if_match(&req)?, &call).await?;
    Ok(written(actix_web::http::StatusCode::OK, &updated.value))
}

/// The caller may opt this organisation in or out: one of its members, or cluster staff.
async fn may_represent(
    state: &AppState,
    account: &Account,
    organisation: &str,
) -> Result<OrganisationRecord, ApiError> {
    let (record, access) = visible(state, Some(account), organisation).await?;
    if access.may_edit() || account.sees_whole_market() {
        Ok(record)
    } else {
        Err(ApiError::forbidden("only the organisation's members or cluster staff may opt it in or out"))
    }
}

#[put("/calls/{id}/participants/{organisation}")]
async fn opt_in(
    state: web::Data<AppState>,
    Signed(account): Signed,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, organisation) = path.into_inner();
    let call = readable(&state, Some(&account), &id).await?;
    may_represent(&state, &account, &organisation).await?;
    ensure_open(&call)?;
    let added = state.store.add_participant(&call.id, &organisation, account.id()).await?;
    let status = if added { actix_web::http::StatusCode::CREATED } else { actix_web::http::StatusCode::OK };
    Ok(HttpResponse::build(status)
        .json(json!({ "call": call.id, "organisation": organisation, "participating": true })))
}

#[delete("/calls/{id}/participants/{organisation}")]
async fn opt_out(
    state: web::Data<AppState>,
    Signed(account): Signed,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, organisation) = path.into_inner();
    let call = readable(&state, Some(&account), &id).await?;
    may_represent(&state, &account, &organisation).await?;
    if !state.store.remove_participant(&call.id, &organisation).await? {
        return Err(ApiError::not_found("participant"));
    }
    Ok(HttpResponse::NoContent().finish())
}

#[get("/calls/{id}/participants")]
async fn list_participants(
    state: web::Data<AppState>,
    Caller(caller): Caller,
    id: web::Path<String>,
    QueryParams(params): QueryParams<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let call = readable(&state, caller.as_ref(), &id).await?;
    let (limit, after) = params.checked()?;
    let staff = caller.as_ref().is_some_and(Account::sees_whole_market);
    let rows = state.store.participants(&call.id, !staff, after.as_deref(), limit + 1).await?;
    let more = rows.len() as i64 > limit;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let ids: Vec<String> = rows.iter().map(|r| r.organisation_id.clone()).collect();
    let organisations = state.store.organisations_by_ids(&ids).await?;
    let items: Vec<Value> = rows
        .iter()
        .filter_map(|row| {
            let org = organisations.iter().find(|o| o.id == row.organisation_id)?;
            let mut item = summary(org);
            item["opted_in_at"] = json!(row.created_at);
            Some(item)
        })
        .collect();
    let next_cursor = if more { ids.last().cloned() } else { None };
    Ok(HttpResponse::Ok().json(json!({ "items": items, "next_cursor": next_cursor })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EligibilityInput {
    organisations: Vec<String>,
}

const MAX_CONSORTIUM: usize = 50;

/// Loads the organisations named at `field[i]`, each visible to the caller (422 naming the one that is not).
pub async fn load_partners(
    state: &AppState,
    caller: Option<&Account>,
    field: &str,
    ids: &[String],
) -> Result<Vec<OrganisationRecord>, ApiError> {
    if ids.is_empty() || ids.len() > MAX_CONSORTIUM {
        return Err(ApiError::invalid_field(field, format!("name between 1 and {MAX_CONSORTIUM} organisations")));
    }
    let mut records = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let record = visible(state, caller, id).await.map_err(|e| match e.status() {
            actix_web::http::StatusCode::NOT_FOUND => {
                ApiError::invalid_field(&format!("{field}[{i}]"), format!("no organisation `{id}`"))
            }
            _ => e,
        })?;
        records.push(record.0);
    }
    Ok(records)
}

#[post("/calls/{id}/eligibility")]
async fn eligibility(
    req: HttpRequest,
    state: web::Data<AppState>,
    Caller(caller): Caller,
    id: web::Path<String>,
    JsonBody(input): JsonBody<EligibilityInput>,
) -> Result<HttpResponse, ApiError> {
    let call = readable(&state, caller.as_ref(), &id).await?;
    let records = load_partners(&state, caller.as_ref(), "organisations", &input.organisations).await?;
    let candidates: Vec<Candidate<'_>> =
        records.iter().map(|r| Candidate { id: &r.id, profile: &r.profile.0 }).collect();
    let result = check(&call.body.0, &candidates, language(&req));
    let placement: Vec<Value> =
        result.placement.iter().map(|(org, role)| json!({ "organisation": org, "role": role })).collect();
    Ok(HttpResponse::Ok().json(json!({
        "call": call.id, "eligible": result.eligible, "rules": result.rules, "placement": placement,
    })))
}

/// A list's `call` parameter (id or slug) as the call's id; a 400 naming `call` when there is no such call.
pub async fn call_filter(state: &AppState, account: &Account, call: Option<&str>) -> Result<Option<String>, ApiError> {
    match call {
        None | Some("") => Ok(None),
        Some(call) => Ok(Some(
            readable(state, Some(account), call)
                .await
                .map_err(|_| ApiError::bad_parameter("call", format!("no call `{call}`")))?
                .id,
        )),
    }
}

/// The organisations whose items a caller lists: its own, or all of them (`None`) for cluster staff.
pub async fn own_organisations(state: &AppState, account: &Account) -> Result<Option<Vec<String>>, ApiError> {
    if account.sees_whole_market() {
        return Ok(None);
    }
    Ok(Some(state.store.memberships(account.id()).await?.into_iter().map(|m| m.organisation_id).collect()))
}
