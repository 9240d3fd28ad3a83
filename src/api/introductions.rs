//! Double-opt-in introductions: a member proposes on behalf of its organisation (and so accepts for it), or a
//! broker proposes on behalf of both; each side accepts or declines; contacts are shown only once both accepted.
use actix_web::{HttpResponse, get, post, web};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::caller::{Account, Signed};
use super::calls::{call_filter, ensure_open, own_organisations, readable};
use super::error::ApiError;
use super::extract::{JsonBody, PageParams, QueryParams, parse_json};
use super::organisations::visible;
use crate::domain::introduction::{DeclineReason, STATES};
use crate::domain::validation::optional_text;
use crate::store::{IntroductionAction, IntroductionBundle, NewIntroduction, StoreError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(propose).service(list).service(read).service(accept).service(decline).service(withdraw);
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProposeInput {
    from: String,
    to: String,
    #[serde(default)]
    call: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// An action's body: nothing, or an empty object.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoBody {}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeclineInput {
    #[serde(default = "other")]
    reason: DeclineReason,
    #[serde(default)]
    text: Option<String>,
}

fn other() -> DeclineReason {
    DeclineReason::Other
}

impl Default for DeclineInput {
    fn default() -> Self {
        Self { reason: DeclineReason::Other, text: None }
    }
}

/// Parses an optional JSON body: empty means the type's default.
fn optional_body<T: serde::de::DeserializeOwned + Default>(bytes: &web::Bytes) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) { Ok(T::default()) } else { parse_json(bytes) }
}

fn introduction_not_found(error: StoreError) -> ApiError {
    match error {
        StoreError::NotFound => ApiError::not_found("introduction"),
        other => other.into(),
    }
}

async fn is_member(state: &AppState, account: &Account, organisation: &str) -> Result<bool, ApiError> {
    Ok(state.store.member_role(organisation, account.id()).await?.is_some())
}

/// The introduction as this caller may see it: 404 unless a member of a side, its proposer, or cluster staff.
async fn load_for(state: &AppState, account: &Account, id: &str) -> Result<(IntroductionBundle, Value), ApiError> {
    let bundle = state.store.introduction(id).await.map_err(introduction_not_found)?;
    let r = &bundle.record;
    let staff = account.sees_whole_market();
    let mut sides = Vec::new();
    for side in r.sides() {
        if is_member(state, account, side).await? {
            sides.push(side.to_owned());
        }
    }
    if !staff && sides.is_empty() && r.proposed_by != account.id() {
        return Err(ApiError::not_found("introduction"));
    }
    // A decline's free text stays with the side that wrote it (and cluster staff).
    let with_text = staff || r.declined_by.as_ref().is_some_and(|d| sides.contains(d));
    let view = bundle.view(with_text);
    Ok((bundle, view))
}

#[post("/introductions")]
async fn propose(
    state: web::Data<AppState>,
    Signed(account): Signed,
    JsonBody(input): JsonBody<ProposeInput>,
) -> Result<HttpResponse, ApiError> {
    let message = optional_text("message", input.message.as_deref(), 2000)
        .map_err(|e| ApiError::invalid(vec![e]))?
        .unwrap_or_default();
    if input.from == input.to {
        return Err(ApiError::invalid_field("to", "an organisation cannot be introduced to itself"));
    }
    for (field, id) in [("from", &input.from), ("to", &input.to)] {
        visible(&state, Some(&account), id).await.map_err(|e| match e.status() {
            actix_web::http::StatusCode::NOT_FOUND => ApiError::invalid_field(field, format!("no organisation `{id}`")),
            _ => e,
        })?;
    }
    let by_broker = if is_member(&state, &account, &input.from).await? {
        false
    } else if account.sees_whole_market() {
        true
    } else {
        return Err(ApiError::forbidden(
            "only a member of the `from` organisation, or a broker on behalf of both sides, proposes an introduction",
        ));
    };
    let call_key = match input.call.as_deref() {
        None | Some("") => String::new(),
        Some(call) => {
            let call = readable(&state, Some(&account), call).await.map_err(|e| match e.status() {
                actix_web::http::StatusCode::NOT_FOUND => ApiError::invalid_field("call", format!("no call `{call}`")),
                _ => e,
            })?;
            ensure_open(&call)?;
            for (field, id) in [("from", &input.from), ("to", &input.to)] {
                if !state.store.is_participant(&call.id, id).await? {
                    return Err(ApiError::invalid_field(
                        field,
                        format!("organisation `{id}` has not opted in to the call `{}`", call.slug),
                    ));
                }
            }
            call.id
        }
    };
    let expire_after = state.settings.introductions.expire_after;
    let now = Utc::now().timestamp_millis();
    let millis = |d: std::time::Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 4);
    let bundle = state
        .store
        .propose_introduction(&NewIntroduction {
            call_key: &call_key,
            from_org: &input.from,
            to_org: &input.to,
            proposed_by: account.id(),
            by_broker,
            message: &message,
            expires_at_ms: now + millis(expire_after),
            remind_at_ms: now + millis(expire_after / 2),
            max_pending: state.settings.introductions.max_pending,
        })
        .await?;
    state.notifier_wake.notify_one();
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/introductions/{}", bundle.record.id)))
        .json(bundle.view(false)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    state: Option<String>,
    call: Option<String>,
    #[serde(flatten)]
    page: PageParams,
}

#[get("/introductions")]
async fn list(
    state: web::Data<AppState>,
    Signed(account): Signed,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let (limit, before) = params.page.checked()?;
    if let Some(s) = params.state.as_deref()
        && !STATES.contains(&s)
    {
        return Err(ApiError::bad_parameter("state", format!("must be one of {}", STATES.join(", "))));
    }
    let call = call_filter(&state, &account, params.call.as_deref()).await?;
    let organisations = own_organisations(&state, &account).await?;
    let rows = state
        .store
        .list_introductions(
            organisations.as_deref(),
            params.state.as_deref(),
            call.as_deref(),
            before.as_deref(),
            limit + 1,
        )
        .await?;
    let more = rows.len() as i64 > limit;
    let mut items = Vec::new();
    for row in rows.iter().take(limit as usize) {
        let (_, view) = load_for(&state, &account, &row.id).await?;
        items.push(view);
    }
    let next_cursor = if more { rows.get(limit as usize - 1).map(|r| r.id.clone()) } else { None };
    Ok(HttpResponse::Ok().json(json!({ "items": items, "next_cursor": next_cursor })))
}

#[get("/introductions/{id}")]
async fn read(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (_, view) = load_for(&state, &account, &id).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The side the caller answers for: a side it is a member of that has not accepted yet. 403 when it is a member
/// of neither side; 409 when the introduction is closed or its sides have all accepted already.
async fn answering_side(state: &AppState, account: &Account, bundle: &IntroductionBundle) -> Result<String, ApiError> {
    let r = &bundle.record;
    let mut sides = Vec::new();
    for side in r.sides() {
        if is_member(state, account, side).await? {
            sides.push(side);
        }
    }
    if sides.is_empty() {
        return Err(ApiError::forbidden("only a member of one of the two organisations may answer this introduction"));
    }
    ensure_proposed(bundle)?;
    sides
        .into_iter()
        .find(|side| !r.accepted_by.0.iter().any(|a| a == side))
        .map(str::to_owned)
        .ok_or_else(|| ApiError::conflict("your organisation has already accepted this introduction"))
}

fn ensure_proposed(bundle: &IntroductionBundle) -> Result<(), ApiError> {
    if bundle.record.state == "proposed" {
        Ok(())
    } else {
        Err(ApiError::conflict(format!(
            "the introduction is `{}`: only a proposed introduction can change",
            bundle.record.state
        )))
    }
}

async fn apply(
    state: &AppState,
    account: &Account,
    id: &str,
    action: IntroductionAction,
) -> Result<HttpResponse, ApiError> {
    state.store.act_on_introduction(id, &action, Some(account.id())).await.map_err(introduction_not_found)?;
    state.notifier_wake.notify_one();
    let (_, view) = load_for(state, account, id).await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn existing(state: &AppState, id: &str) -> Result<IntroductionBundle, ApiError> {
    state.store.introduction(id).await.map_err(introduction_not_found)
}

#[post("/introductions/{id}/accept")]
async fn accept(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    optional_body::<NoBody>(&body)?;
    let bundle = existing(&state, &id).await?;
    let organisation = answering_side(&state, &account, &bundle).await?;
    apply(&state, &account, &id, IntroductionAction::Accept { organisation }).await
}

#[post("/introductions/{id}/decline")]
async fn decline(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: DeclineInput = optional_body(&body)?;
    let text = optional_text("text", input.text.as_deref(), 2000).map_err(|e| ApiError::invalid(vec![e]))?;
    let bundle = existing(&state, &id).await?;
    let organisation = answering_side(&state, &account, &bundle).await?;
    let action = IntroductionAction::Decline { organisation, reason: input.reason.as_str().to_owned(), text };
    apply(&state, &account, &id, action).await
}

#[post("/introductions/{id}/withdraw")]
async fn withdraw(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    optional_body::<NoBody>(&body)?;
    let bundle = existing(&state, &id).await?;
    let r = &bundle.record;
    let proposer = r.proposed_by == account.id() || (!r.by_broker && is_member(&state, &account, &r.from_org).await?);
    if !proposer {
        return Err(ApiError::forbidden("only the proposer may withdraw an introduction"));
    }
    ensure_proposed(&bundle)?;
    apply(&state, &account, &id, IntroductionAction::Withdraw).await
}
