//! Who is calling: the account behind the bearer token, if any.
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::Utc;
use futures_util::future::LocalBoxFuture;

use super::AppState;
use super::error::ApiError;
use crate::auth::token_hash;
use crate::domain::account::Role;
use crate::store::AccountRecord;

/// The caller's account, if the request carried a valid token. A token that is present but unknown or expired is
/// a 401 even where anonymous access is allowed: the client believes it is signed in and should learn otherwise.
pub struct Caller(pub Option<Account>);

/// The caller's account; a 401 without one.
pub struct Signed(pub Account);

#[derive(Debug, Clone)]
pub struct Account {
    pub record: AccountRecord,
    pub role: Role,
    pub token_hash: String,
}

impl Account {
    pub fn id(&self) -> &str {
        &self.record.id
    }

    pub fn sees_whole_market(&self) -> bool {
        self.role.sees_whole_market()
    }

    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.role == Role::Admin { Ok(()) } else { Err(ApiError::forbidden("only administrators may do this")) }
    }
}

fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| ApiError::unauthorized("the Authorization header is not ASCII"))?;
    match text.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(Some(token.trim().to_owned()))
        }
        _ => Err(ApiError::unauthorized("use `Authorization: Bearer <token>` with a token from /api/v1/auth/login")),
    }
}

async fn resolve(state: web::Data<AppState>, token: String) -> Result<Account, ApiError> {
    let hash = token_hash(&token);
    let record = state
        .store
        .session_account(&hash, Utc::now())
        .await?
        .ok_or_else(|| ApiError::unauthorized("the token is unknown or has expired; log in again"))?;
    let role = Role::parse(&record.role).unwrap_or(Role::User);
    Ok(Account { record, role, token_hash: hash })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let state = state.ok_or_else(ApiError::internal)?;
            match token? {
                None => Ok(Caller(None)),
                Some(token) => resolve(state, token).await.map(|a| Caller(Some(a))),
            }
        })
    }
}

impl FromRequest for Signed {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::from_request(req, payload);
        Box::pin(async move {
            match caller.await? {
                Caller(Some(account)) => Ok(Signed(account)),
                Caller(None) => Err(ApiError::unauthorized("this needs a bearer token from /api/v1/auth/login")),
            }
        })
    }
}
