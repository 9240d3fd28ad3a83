//! Request extractors whose failures name the offending field: JSON bodies and query strings are deserialised
//! through `serde_path_to_error`, so "unknown variant" or "invalid type" errors come with their path.
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::AppState;
use super::error::ApiError;
use crate::domain::validation::FieldError;

/// A JSON request body, deserialised with field paths in its errors.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = match req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
            None => true,
            Some(value) => {
                let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            }
        };
        let limit = req.app_data::<web::Data<AppState>>().map_or(1 << 20, |s| s.settings.server.max_body_bytes);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::unsupported_media_type("send the body as application/json"));
            }
            let bytes = bytes.await.map_err(|e| match e.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => ApiError::too_large(limit),
                _ => ApiError::malformed(format!("could not read the request body: {e}")),
            })?;
            parse_json(&bytes).map(JsonBody)
        })
    }
}

/// Deserialises JSON, telling malformed JSON (400) from well-formed JSON of the wrong shape (422, with the field).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::malformed("the request body is empty; expected a JSON document"));
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::malformed(format!("the body is not valid JSON: {inner}"))
        } else {
            data_error(&path, strip_position(&inner.to_string()))
        }
    })?;
    deserializer.end().map_err(|e| ApiError::malformed(format!("unexpected data after the JSON document: {e}")))?;
    Ok(value)
}

/// Turns a value already in memory (a merged PATCH document) into a typed input, with field paths in its errors.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        data_error(&path, error.into_inner().to_string())
    })
}

/// A well-formed document of the wrong shape. serde reports a missing field at its parent's path, so the
/// field's own name is taken from the message.
fn data_error(path: &str, message: String) -> ApiError {
    let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
    let field = match (missing, path) {
        (Some(name), ".") => name.to_owned(),
        (Some(name), parent) => format!("{parent}.{name}"),
        (None, path) => field_name(path),
    };
    ApiError::invalid(vec![FieldError::new(field, message)])
}

fn field_name(path: &str) -> String {
    if path == "." { "body".to_owned() } else { path.to_owned() }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// A query string, deserialised with the parameter's name in its errors.
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for QueryParams<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(req.query_string().as_bytes()));
        std::future::ready(serde_path_to_error::deserialize(deserializer).map(QueryParams).map_err(|error| {
            let path = error.path().to_string();
            ApiError::bad_parameter(&field_name(&path).replace("body", "query"), error.into_inner().to_string())
        }))
    }
}

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// `limit` and `cursor` of a paginated list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageParams {
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl PageParams {
    /// The page size, and the last id of the previous page.
    pub fn checked(&self) -> Result<(i64, Option<String>), ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_parameter("limit", format!("must be between 1 and {MAX_LIMIT}")));
        }
        let cursor = match self.cursor.as_deref() {
            None | Some("") => None,
            Some(c) => match uuid::Uuid::parse_str(c) {
                Ok(_) => Some(c.to_owned()),
                Err(_) => {
                    return Err(ApiError::bad_parameter("cursor", "is not a cursor returned by this list"));
                }
            },
        };
        Ok((limit, cursor))
    }
}

/// Builds `{"items", "next_cursor"}` from a page fetched with one row more than asked, to know whether more follow.
pub fn page<R, T: serde::Serialize>(
    mut rows: Vec<R>,
    limit: i64,
    id: impl Fn(&R) -> String,
    view: impl FnMut(R) -> T,
) -> serde_json::Value {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(&id) } else { None };
    serde_json::json!({ "items": rows.into_iter().map(view).collect::<Vec<_>>(), "next_cursor": next_cursor })
}

/// The version a client last read, from `If-Match` (`"v3"` as this API's ETags are written, or `*`).
pub fn if_match(req: &HttpRequest) -> Result<Option<i64>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| ApiError::bad_parameter("If-Match", "is not ASCII"))?.trim();
    if text == "*" {
        return Ok(None);
    }
    let tag = text.trim_start_matches("W/").trim_matches('"');
    tag.strip_prefix('v')
        .and_then(|v| v.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| ApiError::bad_parameter("If-Match", "is not an ETag returned by this API"))
}

pub fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}
