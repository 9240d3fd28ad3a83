//! Organisation profiles and their members. Contacts are shown only to the organisation's members, brokers and
//! administrators; unpublished profiles only to them too (to anyone else they do not exist).
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use super::caller::{Account, Caller, Signed};
use super::error::ApiError;
use super::extract::{JsonBody, PageParams, QueryParams, etag, from_value, if_match, page};
use crate::domain::account::parse_email;
use crate::domain::organisation::{Kind, Organisation, OrganisationInput};
use crate::domain::taxonomy::Facet;
use crate::domain::{country, tags};
use crate::store::{OrganisationFilter, OrganisationRecord, StoreError, Viewer};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(read)
        .service(update)
        .service(remove)
        .service(list_members)
        .service(add_member)
        .service(remove_member);
}

/// What the caller may do with one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anonymous, or signed in without a link to it: the published profile, no contact.
    Public,
    /// Brokers: the whole marketplace, contacts included, no editing.
    Broker,
    Member,
    Owner,
    Admin,
}

impl Access {
    pub fn sees_private(self) -> bool {
        self != Access::Public
    }

    pub fn may_edit(self) -> bool {
        matches!(self, Access::Member | Access::Owner | Access::Admin)
    }
}

pub async fn access(state: &AppState, caller: Option<&Account>, organisation_id: &str) -> Result<Access, ApiError> {
    let Some(account) = caller else {
        return Ok(Access::Public);
    };
    if account.role == crate::domain::account::Role::Admin {
        return Ok(Access::Admin);
    }
    let membership = state.store.member_role(organisation_id, account.id()).await?;
    Ok(match membership.as_deref() {
        Some("owner") => Access::Owner,
        Some(_) => Access::Member,
        None if account.sees_whole_market() => Access::Broker,
        None => Access::Public,
    })
}

/// Loads an organisation the caller may see (404 otherwise, so that unpublished profiles stay invisible).
pub async fn visible(
    state: &AppState,
    caller: Option<&Account>,
    id: &str,
) -> Result<(OrganisationRecord, Access), ApiError> {
    let record = state.store.organisation(id).await.map_err(not_found)?;
    let access = access(state, caller, id).await?;
    if !record.profile.0.published && !access.sees_private() {
        return Err(ApiError::not_found("organisation"));
    }
    Ok((record, access))
}

/// Loads an organisation the caller may edit: 404 if invisible, 403 if visible but not theirs.
pub async fn editable(state: &AppState, caller: &Account, id: &str) -> Result<(OrganisationRecord, Access), ApiError> {
    let (record, access) = visible(state, Some(caller), id).await?;
    if !access.may_edit() {
        return Err(ApiError::forbidden("only the organisation's members may change it"));
    }
    Ok((record, access))
}

pub fn not_found(error: StoreError) -> ApiError {
    match error {
        StoreError::NotFound => ApiError::not_found("organisation"),
        other => other.into(),
    }
}

pub fn view(record: &OrganisationRecord, with_contact: bool) -> serde_json::Value {
    let mut value = serde_json::to_value(&record.profile.0).unwrap_or_else(|_| json!({}));
    value["id"] = json!(record.id);
    value["version"] = json!(record.version);
    value["created_at"] = json!(record.created_at);
    value["updated_at"] = json!(record.updated_at);
    if with_contact {
        value["contact"] = json!(record.contact.as_ref().map(|c| &c.0));
    }
    value
}

fn written(status: actix_web::http::StatusCode, record: &OrganisationRecord, seq: i64) -> HttpResponse {
    let mut body = view(record, true);
    body["seq"] = json!(seq);
    let mut response = HttpResponse::build(status);
    response.insert_header(("ETag", etag(record.version))).insert_header(("Tandem-Seq", seq.to_string()));
    if status == actix_web::http::StatusCode::CREATED {
        response.insert_header(("Location", format!("/api/v1/organisations/{}", record.id)));
    }
    response.json(body)
}

#[tracing::instrument(skip_all)]
#[post("/organisations")]
async fn create(
    state: web::Data<AppState>,
    Signed(account): Signed,
    body: JsonBody<OrganisationInput>,
) -> Result<HttpResponse, ApiError> {
    let organisation = Organisation::parse(body.0).map_err(ApiError::invalid)?;
    let written_org = state.store.create_organisation(account.id(), &organisation).await?;
    Ok(written(actix_web::http::StatusCode::CREATED, &written_org.value, written_org.seq))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    kind: Option<Kind>,
    country: Option<String>,
    technology: Option<String>,
    domain: Option<String>,
    sector: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

#[get("/organisations")]
async fn list(
    state: web::Data<AppState>,
    Caller(caller): Caller,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let (limit, cursor) = PageParams { limit: params.limit, cursor: params.cursor.clone() }.checked()?;
    let facet = |field: &str, facet: Facet, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| tags::parse_one(field, facet, v))
            .transpose()
            .map_err(|e| ApiError::bad_parameter(&e.field, e.message))
    };
    let filter = OrganisationFilter {
        kind: params.kind.map(|k| k.as_str().to_owned()),
        country: params
            .country
            .as_deref()
            .map(|c| country::parse("country", c))
            .transpose()
            .map_err(|e| ApiError::bad_parameter("country", e.message))?,
        technology: facet("technology", Facet::Technology, &params.technology)?,
        domain: facet("domain", Facet::Domain, &params.domain)?,
        sector: facet("sector", Facet::Sector, &params.sector)?,
    };
    let viewer = match &caller {
        None => Viewer::Anonymous,
        Some(a) if a.sees_whole_market() => Viewer::WholeMarket,
        Some(a) => Viewer::Account(a.id()),
    };
    let rows = state.store.list_organisations(&filter, viewer, cursor.as_deref(), limit + 1).await?;
    let member_of: std::collections::HashSet<String> = match &caller {
        Some(a) if !a.sees_whole_market() => {
            state.store.memberships(a.id()).await?.into_iter().map(|m| m.organisation_id).collect()
        }
        _ => Default::default(),
    };
    let whole_market = caller.as_ref().is_some_and(Account::sees_whole_market);
    let private = |id: &str| whole_market || member_of.contains(id);
    Ok(HttpResponse::Ok().json(page(rows, limit, |r| r.id.clone(), |r| view(&r, private(&r.id)))))
}

#[get("/organisations/{id}")]
async fn read(
    state: web::Data<AppState>,
    Caller(caller): Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (record, access) = visible(&state, caller.as_ref(), &id).await?;
    // Once an introduction connected them, each side's members see the other's contact.
    let with_contact = access.sees_private()
        || match caller.as_ref() {
            Some(account) => state.store.connected_with(account.id(), &id).await?,
            None => false,
        };
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(record.version))).json(view(&record, with_contact)))
}

/// JSON Merge Patch (RFC 7396): members present in the patch replace the stored ones, `null` removes them.
pub fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    let serde_json::Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = json!({});
    }
    if let serde_json::Value::Object(map) = target {
        for (key, value) in patch {
            if value.is_null() {
                map.remove(key);
            } else {
                merge_patch(map.entry(key.clone()).or_insert(serde_json::Value::Null), value);
            }
        }
    }
}

#[tracing::instrument(skip(state, account, req, body))]
#[patch("/organisations/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    body: JsonBody<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    if !body.0.is_object() {
        return Err(ApiError::invalid_field("body", "a PATCH body is a JSON object of the fields to change"));
    }
    let expected = if_match(&req)?;
    let (record, _) = editable(&state, &account, &id).await?;
    let mut document = serde_json::to_value(&record.profile.0).map_err(|_| ApiError::internal())?;
    document["contact"] = json!(record.contact.as_ref().map(|c| &c.0));
    merge_patch(&mut document, &body.0);
    let input: OrganisationInput = from_value(document)?;
    let organisation = Organisation::parse(input).map_err(ApiError::invalid)?;
    let written_org = state.store.update_organisation(&id, expected, &organisation).await.map_err(not_found)?;
    Ok(written(actix_web::http::StatusCode::OK, &written_org.value, written_org.seq))
}

#[tracing::instrument(skip(state, account))]
#[delete("/organisations/{id}")]
async fn remove(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (_, access) = editable(&state, &account, &id).await?;
    if !matches!(access, Access::Owner | Access::Admin) {
        return Err(ApiError::forbidden("only the organisation's owner may delete it"));
    }
    let seq = state.store.delete_organisation(&id).await.map_err(not_found)?;
    Ok(HttpResponse::NoContent().insert_header(("Tandem-Seq", seq.to_string())).finish())
}

#[get("/organisations/{id}/members")]
async fn list_members(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (_, access) = visible(&state, Some(&account), &id).await?;
    if !access.sees_private() {
        return Err(ApiError::forbidden("only the organisation's members and cluster staff see its members"));
    }
    let members = state.store.members(&id).await?;
    let items: Vec<_> = members
        .iter()
        .map(|m| json!({"account_id": m.account_id, "email": m.email, "name": m.name, "role": m.role}))
        .collect();
    Ok(HttpResponse::Ok().json(json!({"items": items, "next_cursor": null})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewMember {
    email: String,
}

#[tracing::instrument(skip(state, account, body))]
#[post("/organisations/{id}/members")]
async fn add_member(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    body: JsonBody<NewMember>,
) -> Result<HttpResponse, ApiError> {
    let (_, access) = editable(&state, &account, &id).await?;
    if !matches!(access, Access::Owner | Access::Admin) {
        return Err(ApiError::forbidden("only the organisation's owner may add members"));
    }
    let email = parse_email("email", &body.0.email).map_err(|e| ApiError::invalid(vec![e]))?;
    let Some((member, _)) = state.store.account_by_email(&email).await? else {
        return Err(ApiError::invalid_field("email", "no account has this e-mail; ask its owner to register first"));
    };
    state.store.add_member(&id, &member.id).await?;
    Ok(HttpResponse::Created()
        .json(json!({"account_id": member.id, "email": member.email, "name": member.name, "role": "member"})))
}

#[tracing::instrument(skip(state, account))]
#[delete("/organisations/{id}/members/{account_id}")]
async fn remove_member(
    state: web::Data<AppState>,
    Signed(account): Signed,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, member_id) = path.into_inner();
    let (_, access) = editable(&state, &account, &id).await?;
    let leaving_self = member_id == account.id();
    if !leaving_self && !matches!(access, Access::Owner | Access::Admin) {
        return Err(ApiError::forbidden("only the organisation's owner may remove other members"));
    }
    state.store.remove_member(&id, &member_id).await.map_err(|e| match e {
        StoreError::NotFound => ApiError::not_found("member"),
        other => other.into(),
    })?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut target, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(target, json!({"a": "z", "c": {"d": "e"}}));
        merge_patch(&mut target, &json!({"list": [1, 2]}));
        assert_eq!(target["list"], json!([1, 2]));
    }
}
