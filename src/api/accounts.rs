//! Registration, login and logout, the caller's own account, and roles granted by administrators.
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use super::caller::Signed;
use super::error::ApiError;
use super::extract::{JsonBody, PageParams, QueryParams, page};
use crate::auth::{new_token, token_hash};
use crate::domain::account::{NewAccount, Registration, Role, parse_email};
use crate::store::{AccountRecord, NewAccountRow};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(register).service(login).service(logout).service(me).service(list_accounts).service(set_role);
}

pub fn account_view(record: &AccountRecord) -> serde_json::Value {
    json!({
        "id": record.id, "email": record.email, "name": record.name, "role": record.role,
        "language": record.language, "created_at": record.created_at,
    })
}

#[tracing::instrument(skip_all)]
#[post("/auth/register")]
async fn register(state: web::Data<AppState>, body: JsonBody<Registration>) -> Result<HttpResponse, ApiError> {
    let account = NewAccount::parse(body.0).map_err(ApiError::invalid)?;
    let hash = hash_password(&state, account.password.clone()).await?;
    let row = NewAccountRow {
        email: &account.email,
        name: &account.name,
        password_hash: &hash,
        role: Role::User.as_str(),
        language: &account.language,
    };
    let record = state.store.create_account(&row).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/accounts/{}", record.id)))
        .json(account_view(&record)))
}

pub async fn hash_password(state: &web::Data<AppState>, password: String) -> Result<String, ApiError> {
    let passwords = state.passwords.clone();
    web::block(move || passwords.hash(&password)).await.map_err(|_| ApiError::internal())?.map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        ApiError::internal()
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Login {
    email: String,
    password: String,
}

#[tracing::instrument(skip_all)]
#[post("/auth/login")]
async fn login(req: HttpRequest, state: web::Data<AppState>, body: JsonBody<Login>) -> Result<HttpResponse, ApiError> {
    let ip = req.peer_addr().map(|a| a.ip()).unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
    if let Err(not_until) = state.login_limiter.check_key(&ip) {
        let wait = not_until.wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()));
        return Err(ApiError::too_many_requests(wait.as_secs().max(1)));
    }
    let Login { email, password } = body.0;
    let email = parse_email("email", &email).map_err(|e| ApiError::invalid(vec![e]))?;
    let found = state.store.account_by_email(&email).await?;
    let stored_hash = found.as_ref().map(|(_, hash)| hash.clone());
    let passwords = state.passwords.clone();
    let verified = web::block(move || passwords.verify(&password, stored_hash.as_deref()))
        .await
        .map_err(|_| ApiError::internal())?;
    let Some((account, _)) = found.filter(|_| verified) else {
        return Err(ApiError::unauthorized("the e-mail or the password is wrong"));
    };
    let token = new_token().map_err(|e| {
        tracing::error!(error = %e, "no randomness for a token");
        ApiError::internal()
    })?;
    let ttl = chrono::Duration::from_std(state.settings.auth.token_ttl).map_err(|_| ApiError::internal())?;
    let expires_at = Utc::now() + ttl;
    state.store.create_session(&token_hash(&token), &account.id, expires_at).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(
        json!({"token": token, "token_type": "Bearer", "expires_at": expires_at, "account": account_view(&account)}),
    ))
}

#[post("/auth/logout")]
async fn logout(state: web::Data<AppState>, Signed(account): Signed) -> Result<HttpResponse, ApiError> {
    state.store.delete_session(&account.token_hash).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[get("/me")]
async fn me(state: web::Data<AppState>, Signed(account): Signed) -> Result<HttpResponse, ApiError> {
    let memberships = state.store.memberships(account.id()).await?;
    let mut view = account_view(&account.record);
    view["organisations"] = memberships
        .iter()
        .map(|m| json!({"id": m.organisation_id, "legal_name": m.legal_name, "role": m.role}))
        .collect();
    Ok(HttpResponse::Ok().json(view))
}

#[get("/accounts")]
async fn list_accounts(
    state: web::Data<AppState>,
    Signed(account): Signed,
    QueryParams(params): QueryParams<PageParams>,
) -> Result<HttpResponse, ApiError> {
    account.require_admin()?;
    let (limit, cursor) = params.checked()?;
    let rows = state.store.list_accounts(cursor.as_deref(), limit + 1).await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |r| r.id.clone(), |r| account_view(&r))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleChange {
    role: Role,
}

#[tracing::instrument(skip(state, account, body))]
#[put("/accounts/{id}/role")]
async fn set_role(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    body: JsonBody<RoleChange>,
) -> Result<HttpResponse, ApiError> {
    account.require_admin()?;
    if id.as_str() == account.id() && body.0.role != Role::Admin {
        return Err(ApiError::conflict("administrators cannot remove their own administrator role"));
    }
    let record = state.store.set_role(&id, body.0.role.as_str()).await.map_err(|e| match e {
        crate::store::StoreError::NotFound => ApiError::not_found("account"),
        other => other.into(),
    })?;
    Ok(HttpResponse::Ok().json(account_view(&record)))
}
