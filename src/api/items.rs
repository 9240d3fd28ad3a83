//! Offers (`/organisations/{id}/offers`) and needs (`/organisations/{id}/needs`): the same routes over two
//! resources. End users post needs; every other kind of organisation posts offers.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::AppState;
use super::caller::{Caller, Signed};
use super::error::ApiError;
use super::extract::{JsonBody, PageParams, QueryParams, etag, from_value, if_match, page};
use super::organisations::{editable, merge_patch, visible};
use crate::domain::catalog::{Need, NeedInput, Offer, OfferInput};
use crate::domain::organisation::Profile;
use crate::domain::validation::FieldError;
use crate::store::{ItemKind, ItemRecord, StoreError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    for (kind, path) in [(ItemKind::Offer, "offers"), (ItemKind::Need, "needs")] {
        cfg.service(
            web::resource(format!("/organisations/{{org}}/{path}"))
                .app_data(web::Data::new(kind))
                .route(web::get().to(list))
                .route(web::post().to(create)),
        )
        .service(
            web::resource(format!("/organisations/{{org}}/{path}/{{id}}"))
                .app_data(web::Data::new(kind))
                .route(web::get().to(read))
                .route(web::patch().to(update))
                .route(web::delete().to(remove)),
        );
    }
}

/// Parses a body into the domain type of `kind` and returns it as stored JSON.
pub fn parse_body(kind: ItemKind, body: serde_json::Value) -> Result<serde_json::Value, ApiError> {
    let parsed = match kind {
        ItemKind::Offer => Offer::parse(from_value::<OfferInput>(body)?).map(serde_json::to_value),
        ItemKind::Need => Need::parse(from_value::<NeedInput>(body)?).map(serde_json::to_value),
    };
    parsed.map_err(ApiError::invalid)?.map_err(|_| ApiError::internal())
}

fn check_kind(kind: ItemKind, profile: &Profile) -> Result<(), ApiError> {
    let allowed = match kind {
        ItemKind::Need => profile.kind.posts_needs(),
        ItemKind::Offer => !profile.kind.posts_needs(),
    };
    if allowed {
        return Ok(());
    }
    let message = match kind {
        ItemKind::Need => "only end users post needs; this organisation posts offers",
        ItemKind::Offer => "end users post needs, not offers",
    };
    Err(ApiError::invalid(vec![FieldError::new("kind", message)]))
}

pub fn item_view(record: &ItemRecord) -> serde_json::Value {
    let mut value = record.body.0.clone();
    value["id"] = json!(record.id);
    value["organisation_id"] = json!(record.organisation_id);
    value["version"] = json!(record.version);
    value["created_at"] = json!(record.created_at);
    value["updated_at"] = json!(record.updated_at);
    value
}

fn item_not_found(kind: ItemKind) -> impl Fn(StoreError) -> ApiError {
    move |e| match e {
        StoreError::NotFound => ApiError::not_found(kind.entity()),
        other => other.into(),
    }
}

fn written(status: StatusCode, kind: ItemKind, record: &ItemRecord, seq: i64) -> HttpResponse {
    let mut body = item_view(record);
    body["seq"] = json!(seq);
    let mut response = HttpResponse::build(status);
    response.insert_header(("ETag", etag(record.version))).insert_header(("Tandem-Seq", seq.to_string()));
    if status == StatusCode::CREATED {
        let location = format!("/api/v1/organisations/{}/{}s/{}", record.organisation_id, kind.entity(), record.id);
        response.insert_header(("Location", location));
    }
    response.json(body)
}

async fn list(
    state: web::Data<AppState>,
    kind: web::Data<ItemKind>,
    Caller(caller): Caller,
    org: web::Path<String>,
    QueryParams(params): QueryParams<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (limit, cursor) = params.checked()?;
    visible(&state, caller.as_ref(), &org).await?;
    let rows = state.store.list_items(**kind, &org, cursor.as_deref(), limit + 1).await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |r| r.id.clone(), |r| item_view(&r))))
}

async fn create(
    state: web::Data<AppState>,
    kind: web::Data<ItemKind>,
    Signed(account): Signed,
    org: web::Path<String>,
    body: JsonBody<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (record, _) = editable(&state, &account, &org).await?;
    check_kind(**kind, &record.profile.0)?;
    let stored = parse_body(**kind, body.0)?;
    let written_item = state.store.create_item(**kind, &org, &stored).await?;
    Ok(written(StatusCode::CREATED, **kind, &written_item.value, written_item.seq))
}

async fn read(
    state: web::Data<AppState>,
    kind: web::Data<ItemKind>,
    Caller(caller): Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    visible(&state, caller.as_ref(), &org).await?;
    let record = state.store.item(**kind, &org, &id).await.map_err(item_not_found(**kind))?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(record.version))).json(item_view(&record)))
}

async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    kind: web::Data<ItemKind>,
    Signed(account): Signed,
    path: web::Path<(String, String)>,
    body: JsonBody<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    if !body.0.is_object() {
        return Err(ApiError::invalid_field("body", "a PATCH body is a JSON object of the fields to change"));
    }
    let expected = if_match(&req)?;
    editable(&state, &account, &org).await?;
    let record = state.store.item(**kind, &org, &id).await.map_err(item_not_found(**kind))?;
    let mut document = record.body.0.clone();
    merge_patch(&mut document, &body.0);
    let stored = parse_body(**kind, document)?;
    let written_item =
        state.store.update_item(**kind, &org, &id, expected, &stored).await.map_err(item_not_found(**kind))?;
    Ok(written(StatusCode::OK, **kind, &written_item.value, written_item.seq))
}

async fn remove(
    state: web::Data<AppState>,
    kind: web::Data<ItemKind>,
    Signed(account): Signed,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = path.into_inner();
    editable(&state, &account, &org).await?;
    let seq = state.store.delete_item(**kind, &org, &id).await.map_err(item_not_found(**kind))?;
    Ok(HttpResponse::NoContent().insert_header(("Tandem-Seq", seq.to_string())).finish())
}
