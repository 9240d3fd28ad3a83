//! In-app notifications of the signed-in account, and webhook subscriptions with their delivery log.
use actix_web::{HttpResponse, delete, get, post, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::caller::{Account, Signed};
use super::error::ApiError;
use super::extract::{JsonBody, PageParams, QueryParams, page};
use super::organisations::visible;
use crate::domain::introduction::Event;
use crate::notify::webhook::check_url;
use crate::store::{StoreError, WebhookRecord};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_notifications)
        .service(mark_read)
        .service(create_webhook)
        .service(list_webhooks)
        .service(read_webhook)
        .service(delete_webhook)
        .service(deliveries);
}

#[get("/me/notifications")]
async fn list_notifications(
    state: web::Data<AppState>,
    Signed(account): Signed,
    QueryParams(params): QueryParams<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (limit, before) = params.checked()?;
    let rows = state.store.notifications(account.id(), before.as_deref(), limit + 1).await?;
    Ok(HttpResponse::Ok().json(page(
        rows,
        limit,
        |r| r.id.clone(),
        |r| {
            json!({
                "id": r.id, "event_id": r.event_id, "type": r.kind, "created_at": r.created_at, "read": r.read,
                "data": r.data.0,
            })
        },
    )))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadInput {
    /// The notifications to mark read; absent: all of them.
    #[serde(default)]
    ids: Option<Vec<String>>,
}

#[post("/me/notifications/read")]
async fn mark_read(
    state: web::Data<AppState>,
    Signed(account): Signed,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: ReadInput = if body.iter().all(u8::is_ascii_whitespace) {
        ReadInput::default()
    } else {
        super::extract::parse_json(&body)?
    };
    if input.ids.as_ref().is_some_and(|ids| ids.len() > 500) {
        return Err(ApiError::invalid_field("ids", "at most 500 at a time"));
    }
    let changed = state.store.mark_read(account.id(), input.ids.as_deref()).await?;
    Ok(HttpResponse::Ok().json(json!({ "marked_read": changed })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookInput {
    url: String,
    events: Vec<String>,
    secret: String,
    #[serde(default)]
    organisation: Option<String>,
}

fn webhook_view(record: &WebhookRecord) -> Value {
    json!({
        "id": record.id, "url": record.url, "events": record.events.0, "organisation": record.organisation_id,
        "created_at": record.created_at,
    })
}

/// Who may manage a webhook: its creator, and administrators.
async fn owned_webhook(state: &AppState, account: &Account, id: &str) -> Result<WebhookRecord, ApiError> {
    let record = state.store.webhook(id).await.map_err(|e| match e {
        StoreError::NotFound => ApiError::not_found("webhook"),
        other => other.into(),
    })?;
    if record.created_by != account.id() && account.role != crate::domain::account::Role::Admin {
        return Err(ApiError::not_found("webhook"));
    }
    Ok(record)
}

#[post("/webhooks")]
async fn create_webhook(
    state: web::Data<AppState>,
    Signed(account): Signed,
    JsonBody(input): JsonBody<WebhookInput>,
) -> Result<HttpResponse, ApiError> {
    let url = check_url(input.url.trim(), state.settings.webhooks.allow_private)
        .await
        .map_err(|message| ApiError::invalid_field("url", message))?;
    if input.events.is_empty() {
        return Err(ApiError::invalid_field("events", "name at least one event type"));
    }
    for (i, event) in input.events.iter().enumerate() {
        if Event::parse(event).is_none() {
            let known: Vec<&str> = Event::ALL.iter().map(|e| e.as_str()).collect();
            return Err(ApiError::invalid_field(
                &format!("events[{i}]"),
                format!("must be one of {}", known.join(", ")),
            ));
        }
    }
    let secret = input.secret.trim();
    if secret.len() < 16 || secret.len() > 200 {
        return Err(ApiError::invalid_field("secret", "must be 16 to 200 characters long"));
    }
    match input.organisation.as_deref() {
        None => {
            if !account.sees_whole_market() {
                return Err(ApiError::forbidden(
                    "only brokers and administrators subscribe to every organisation's events; name your organisation",
                ));
            }
        }
        Some(organisation) => {
            let (_, access) = visible(&state, Some(&account), organisation).await.map_err(|e| match e.status() {
                actix_web::http::StatusCode::NOT_FOUND => {
                    ApiError::invalid_field("organisation", format!("no organisation `{organisation}`"))
                }
                _ => e,
            })?;
            if !access.may_edit() && !account.sees_whole_market() {
                return Err(ApiError::forbidden("only the organisation's members subscribe to its events"));
            }
        }
    }
    let mut events = input.events.clone();
    events.sort();
    events.dedup();
    let record =
        state.store.create_webhook(url.as_str(), &events, secret, input.organisation.as_deref(), account.id()).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/webhooks/{}", record.id)))
        .json(webhook_view(&record)))
}

#[get("/webhooks")]
async fn list_webhooks(state: web::Data<AppState>, Signed(account): Signed) -> Result<HttpResponse, ApiError> {
    let mine = (account.role != crate::domain::account::Role::Admin).then(|| account.id());
    let rows = state.store.list_webhooks(mine).await?;
    let items: Vec<Value> = rows.iter().map(webhook_view).collect();
    Ok(HttpResponse::Ok().json(json!({ "items": items, "next_cursor": null })))
}

#[get("/webhooks/{id}")]
async fn read_webhook(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let record = owned_webhook(&state, &account, &id).await?;
    Ok(HttpResponse::Ok().json(webhook_view(&record)))
}

#[delete("/webhooks/{id}")]
async fn delete_webhook(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let record = owned_webhook(&state, &account, &id).await?;
    state.store.delete_webhook(&record.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeliveryParams {
    limit: Option<i64>,
}

#[get("/webhooks/{id}/deliveries")]
async fn deliveries(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    QueryParams(params): QueryParams<DeliveryParams>,
) -> Result<HttpResponse, ApiError> {
    let record = owned_webhook(&state, &account, &id).await?;
    let limit = params.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_parameter("limit", "must be between 1 and 500"));
    }
    let items: Vec<Value> = state
        .store
        .webhook_attempts(&record.id, limit)
        .await?
        .into_iter()
        .map(|a| json!({ "event_id": a.event_id, "attempt": a.attempt, "status": a.status, "at": a.at }))
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "items": items })))
}
