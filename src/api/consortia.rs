//! Consortia: the partners of one application to a call, checked against the call's rules whenever they are read
//! (so a change to a partner's profile shows at once), and a one-page summary in JSON, Markdown or HTML.
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::caller::{Account, Signed};
use super::calls::{call_filter, ensure_open, load_partners, own_organisations, readable};
use super::error::ApiError;
use super::extract::{JsonBody, QueryParams, etag, if_match};
use super::matches::language;
use crate::domain::call::{Call, Candidate, Eligibility, check_declared};
use crate::domain::taxonomy::{Facet, Lang, find};
use crate::search::indexer::load_bundles;
use crate::store::{CallRecord, ConsortiumBundle, OrganisationRecord, PartnerRow, StoreError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create).service(list).service(read).service(update).service(remove).service(summary);
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsortiumInput {
    call: String,
    name: String,
    partners: Vec<PartnerRow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsortiumPatch {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    partners: Option<Vec<PartnerRow>>,
}

/// A consortium with everything needed to judge it: its call and its partners' current profiles.
struct Loaded {
    bundle: ConsortiumBundle,
    call: CallRecord,
    organisations: Vec<OrganisationRecord>,
}

impl Loaded {
    fn eligibility(&self, lang: Lang) -> Eligibility {
        let candidates: Vec<Candidate<'_>> =
            self.organisations.iter().map(|o| Candidate { id: &o.id, profile: &o.profile.0 }).collect();
        let roles: Vec<&str> = self.bundle.partners.iter().map(|p| p.role.as_str()).collect();
        check_declared(&self.call.body.0, &candidates, &roles, lang)
    }

    fn view(&self, lang: Lang) -> Value {
        let eligibility = self.eligibility(lang);
        let r = &self.bundle.record;
        json!({
            "id": r.id, "call": r.call_id, "name": r.name, "partners": self.bundle.partners,
            "eligible": eligibility.eligible, "rules": eligibility.rules, "version": r.version,
            "created_at": r.created_at, "updated_at": r.updated_at,
        })
    }
}

async fn load(state: &AppState, id: &str) -> Result<Loaded, ApiError> {
    let bundle = state.store.consortium(id).await.map_err(|e| match e {
        StoreError::NotFound => ApiError::not_found("consortium"),
        other => other.into(),
    })?;
    let call = state.store.call(&bundle.record.call_id).await?;
    let mut organisations = Vec::with_capacity(bundle.partners.len());
    for partner in &bundle.partners {
        organisations.push(state.store.organisation(&partner.organisation).await?);
    }
    Ok(Loaded { bundle, call, organisations })
}

async fn is_partner_member(state: &AppState, account: &Account, partners: &[PartnerRow]) -> Result<bool, ApiError> {
    for partner in partners {
        if state.store.member_role(&partner.organisation, account.id()).await?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Loads a consortium the caller may see: cluster staff, and members of its partners (404 for anyone else).
async fn readable_consortium(state: &AppState, account: &Account, id: &str) -> Result<Loaded, ApiError> {
    let loaded = load(state, id).await?;
    if !account.sees_whole_market() && !is_partner_member(state, account, &loaded.bundle.partners).await? {
        return Err(ApiError::not_found("consortium"));
    }
    Ok(loaded)
}

/// Checks the partner list's shape: known organisations the caller can see, and roles the call has.
async fn check_partners(
    state: &AppState,
    account: &Account,
    call: &CallRecord,
    partners: &[PartnerRow],
) -> Result<(), ApiError> {
    let ids: Vec<String> = partners.iter().map(|p| p.organisation.clone()).collect();
    load_partners(state, Some(account), "partners", &ids).await.map_err(|e| {
        // `partners[i]` names the entry; the organisation id is its field.
        match e.errors().first() {
            Some(error) if error.field.starts_with("partners[") => {
                ApiError::invalid_field(&format!("{}.organisation", error.field), error.message.clone())
            }
            _ => e,
        }
    })?;
    for (i, partner) in partners.iter().enumerate() {
        if !call.body.0.roles.iter().any(|r| r.role == partner.role) {
            let roles: Vec<&str> = call.body.0.roles.iter().map(|r| r.role.as_str()).collect();
            return Err(ApiError::invalid_field(
                &format!("partners[{i}].role"),
                format!("the call's roles are {}", roles.join(", ")),
            ));
        }
    }
    Ok(())
}

/// Cluster staff form any consortium; a member of a partner only one whose partners are all connected with its
/// organisation by introductions.
async fn may_form(state: &AppState, account: &Account, call: &str, partners: &[PartnerRow]) -> Result<(), ApiError> {
    if account.sees_whole_market() {
        return Ok(());
    }
    for mine in partners {
        if state.store.member_role(&mine.organisation, account.id()).await?.is_none() {
            continue;
        }
        let mut all_connected = true;
        for other in partners.iter().filter(|p| p.organisation != mine.organisation) {
            if !state.store.pair_connected(&mine.organisation, &other.organisation, call).await? {
                all_connected = false;
                break;
            }
        }
        if all_connected {
            return Ok(());
        }
    }
    Err(ApiError::forbidden(
        "a consortium is formed by cluster staff, or by a member of a partner whose introductions with every other \
         partner are connected",
    ))
}

fn name_of(name: &str) -> Result<String, ApiError> {
    crate::domain::validation::required_text("name", name, 200).map_err(|e| ApiError::invalid(vec![e]))
}

#[post("/consortia")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    Signed(account): Signed,
    JsonBody(input): JsonBody<ConsortiumInput>,
) -> Result<HttpResponse, ApiError> {
    let name = name_of(&input.name)?;
    let call = readable(&state, Some(&account), &input.call).await.map_err(|e| match e.status() {
        actix_web::http::StatusCode::NOT_FOUND => ApiError::invalid_field("call", format!("no call `{}`", input.call)),
        _ => e,
    })?;
    check_partners(&state, &account, &call, &input.partners).await?;
    may_form(&state, &account, &call.id, &input.partners).await?;
    ensure_open(&call)?;
    let bundle = state.store.create_consortium(&call.id, &name, &input.partners, account.id()).await?;
    let loaded = load(&state, &bundle.record.id).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/consortia/{}", bundle.record.id)))
        .insert_header(("ETag", etag(bundle.record.version)))
        .json(loaded.view(language(&req))))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    call: Option<String>,
}

#[get("/consortia")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    Signed(account): Signed,
    QueryParams(params): QueryParams<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let call = call_filter(&state, &account, params.call.as_deref()).await?;
    let organisations = own_organisations(&state, &account).await?;
    let ids = state.store.consortium_ids(call.as_deref(), organisations.as_deref()).await?;
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        items.push(load(&state, &id).await?.view(language(&req)));
    }
    Ok(HttpResponse::Ok().json(json!({ "items": items, "next_cursor": null })))
}

#[get("/consortia/{id}")]
async fn read(
    req: HttpRequest,
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let loaded = readable_consortium(&state, &account, &id).await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(loaded.bundle.record.version))).json(loaded.view(language(&req))))
}

#[patch("/consortia/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    JsonBody(patch): JsonBody<ConsortiumPatch>,
) -> Result<HttpResponse, ApiError> {
    let loaded = readable_consortium(&state, &account, &id).await?;
    let name = match patch.name.as_deref() {
        Some(name) => name_of(name)?,
        None => loaded.bundle.record.name.clone(),
    };
    let partners = patch.partners.unwrap_or_else(|| loaded.bundle.partners.clone());
    check_partners(&state, &account, &loaded.call, &partners).await?;
    may_form(&state, &account, &loaded.call.id, &partners).await?;
    ensure_open(&loaded.call)?;
    state.store.update_consortium(&id, if_match(&req)?, &name, &partners).await?;
    let loaded = load(&state, &id).await?;
    Ok(HttpResponse::Ok().insert_header(("ETag", etag(loaded.bundle.record.version))).json(loaded.view(language(&req))))
}

#[delete("/consortia/{id}")]
async fn remove(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let loaded = readable_consortium(&state, &account, &id).await?;
    ensure_open(&loaded.call)?;
    state.store.delete_consortium(&id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SummaryParams {
    lang: Option<String>,
    format: Option<String>,
}

#[get("/consortia/{id}/summary")]
async fn summary(
    req: HttpRequest,
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    QueryParams(params): QueryParams<SummaryParams>,
) -> Result<HttpResponse, ApiError> {
    let lang = match params.lang.as_deref() {
        None => language(&req),
        Some("fr") => Lang::Fr,
        Some("en") => Lang::En,
        Some(_) => return Err(ApiError::bad_parameter("lang", "must be fr or en")),
    };
    let format = params.format.as_deref().unwrap_or("json");
    if !["json", "md", "html"].contains(&format) {
        return Err(ApiError::bad_parameter("format", "must be json, md or html"));
    }
    let loaded = readable_consortium(&state, &account, &id).await?;
    let document = summary_document(&state, &loaded, lang).await?;
    Ok(match format {
        "md" => HttpResponse::Ok().content_type("text/markdown; charset=utf-8").body(markdown(&document, lang)),
        "html" => HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html(&document, lang)),
        _ => HttpResponse::Ok().json(document),
    })
}

/// The summary's facts, in the reader's language; the Markdown and HTML pages are written from it.
async fn summary_document(state: &AppState, loaded: &Loaded, lang: Lang) -> Result<Value, ApiError> {
    let call = &loaded.call.body.0;
    let eligibility = loaded.eligibility(lang);
    let partners: Vec<Value> = loaded
        .bundle
        .partners
        .iter()
        .zip(&loaded.organisations)
        .map(|(partner, org)| {
            let p = &org.profile.0;
            json!({
                "organisation": org.id, "name": p.legal_name,
                "kind": find(Facet::Kind, p.kind.as_str()).map_or(p.kind.as_str(), |t| t.label(lang)),
                "country": p.country, "sme_declaration": p.is_sme, "role": partner.role,
            })
        })
        .collect();
    // What brought them together: the scorer's best offer↔need pairs for each SME–end-user pair of partners.
    let ids: Vec<String> = loaded.organisations.iter().map(|o| o.id.clone()).collect();
    let bundles = load_bundles(&state.store, &ids).await.map_err(|e| match e {
        crate::search::SearchError::Store(e) => ApiError::from(e),
        _ => ApiError::internal(),
    })?;
    let (smes, end_users): (Vec<_>, Vec<_>) =
        bundles.into_iter().partition(|b| b.organisation.profile.0.kind != crate::domain::organisation::Kind::EndUser);
    let generation = state.search.generation();
    let settings = state.settings.matching.clone();
    let (smes, end_users, scored) = tokio::task::spawn_blocking(move || {
        let scored =
            crate::matching::score_call_graph(&generation, &settings, &smes, &end_users, end_users.len(), lang);
        (smes, end_users, scored)
    })
    .await
    .map_err(|_| ApiError::internal())?;
    let title = |items: &[crate::store::ItemRecord], id: &str| {
        items.iter().find(|i| i.id == id).and_then(|i| i.body.0["title"].as_str().map(str::to_owned))
    };
    let fits: Vec<Value> = scored
        .iter()
        .map(|(s, e, scored)| {
            let pairs: Vec<Value> = scored
                .pairs
                .iter()
                .map(|p| {
                    json!({
                        "offer_id": p.offer_id, "offer": title(&smes[*s].offers, &p.offer_id),
                        "need_id": p.need_id, "need": title(&end_users[*e].needs, &p.need_id),
                        "score": (p.score * 1000.0).round() / 1000.0,
                    })
                })
                .collect();
            json!({
                "organisations": [smes[*s].organisation.id, end_users[*e].organisation.id],
                "score": (scored.score * 1000.0).round() / 1000.0,
                "matched_terms": scored.matched_terms, "pairs": pairs,
            })
        })
        .collect();
    Ok(json!({
        "consortium": {"id": loaded.bundle.record.id, "name": loaded.bundle.record.name},
        "call": {
            "id": loaded.call.id, "slug": loaded.call.slug, "name": call.name.get(lang), "programme": call.programme,
            "opens_at": Call::local_time(call, call.opens_at),
            "closes_at": call.closes_at.map(|c| Call::local_time(call, c)),
            "duration_months": call.duration_months,
        },
        "funding": call.funding,
        "partners": partners,
        "fit": fits,
        "eligible": eligibility.eligible,
        "rules": eligibility.rules,
        "language": lang.as_str(),
    }))
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    }
}

/// The labels of the summary, in its language.
struct Labels {
    call: &'static str,
    partners: &'static str,
    fit: &'static str,
    rules: &'static str,
    funding: &'static str,
    header: [&'static str; 5],
    eligible: &'static str,
    not_eligible: &'static str,
    passed: &'static str,
    failed: &'static str,
    closes: &'static str,
    max_per_project: &'static str,
    max_projects: &'static str,
    max_rate: &'static str,
    duration: &'static str,
    yes: &'static str,
    no: &'static str,
}

fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::Fr => Labels {
            call: "Appel",
            partners: "Partenaires",
            fit: "Ce qui les rapproche",
            rules: "Règles de l'appel",
            funding: "Cadre de financement",
            header: ["Organisation", "Type", "Pays", "Déclaration PME", "Rôle"],
            eligible: "Le consortium respecte toutes les règles de l'appel.",
            not_eligible: "Le consortium ne respecte pas toutes les règles de l'appel.",
            passed: "respectée",
            failed: "non respectée",
            closes: "Clôture",
            max_per_project: "Montant maximal par projet (EUR)",
            max_projects: "Nombre de projets",
            max_rate: "Taux maximal de cofinancement",
            duration: "Durée (mois)",
            yes: "oui",
            no: "non",
        },
        Lang::En => Labels {
            call: "Call",
            partners: "Partners",
            fit: "What brought them together",
            rules: "Call rules",
            funding: "Funding frame",
            header: ["Organisation", "Kind", "Country", "SME declaration", "Role"],
            eligible: "The consortium passes every rule of the call.",
            not_eligible: "The consortium does not pass every rule of the call.",
            passed: "passed",
            failed: "failed",
            closes: "Closes",
            max_per_project: "Maximum per project (EUR)",
            max_projects: "Number of projects",
            max_rate: "Maximum co-funding rate",
            duration: "Duration (months)",
            yes: "yes",
            no: "no",
        },
    }
}

fn funding_rows(d: &Value, l: &Labels) -> Vec<(&'static str, String)> {
    let rate = d["funding"]["max_rate"].as_f64().map_or("—".to_owned(), |r| format!("{:.0} %", r * 100.0));
    vec![
        (l.max_per_project, text(&d["funding"]["max_per_project_eur"])),
        (l.max_projects, text(&d["funding"]["max_projects"])),
        (l.max_rate, rate),
        (l.duration, text(&d["call"]["duration_months"])),
        (l.closes, text(&d["call"]["closes_at"])),
    ]
}

fn markdown(d: &Value, lang: Lang) -> String {
    let l = labels(lang);
    let mut out = format!(
        "# {}\n\n**{}:** {} ({})\n\n",
        text(&d["consortium"]["name"]),
        l.call,
        text(&d["call"]["name"]),
        text(&d["call"]["programme"])
    );
    out.push_str(&format!("## {}\n\n| {} |\n|---|---|---|---|---|\n", l.partners, l.header.join(" | ")));
    for p in d["partners"].as_array().into_iter().flatten() {
        let sme = if p["sme_declaration"] == true { l.yes } else { l.no };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            text(&p["name"]).replace('|', "/"),
            text(&p["kind"]),
            text(&p["country"]),
            sme,
            text(&p["role"])
        ));
    }
    out.push_str(&format!("\n## {}\n\n", l.fit));
    for fit in d["fit"].as_array().into_iter().flatten() {
        let terms: Vec<String> = fit["matched_terms"].as_array().into_iter().flatten().map(text).collect();
        out.push_str(&format!("- {} ({})\n", terms.join(", "), text(&fit["score"])));
        for pair in fit["pairs"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "  - {} ↔ {} ({})\n",
                text(&pair["offer"]),
                text(&pair["need"]),
                text(&pair["score"])
            ));
        }
    }
    out.push_str(&format!("\n## {}\n\n", l.rules));
    for rule in d["rules"].as_array().into_iter().flatten() {
        let mark = if rule["passed"] == true { format!("✅ {}", l.passed) } else { format!("❌ {}", l.failed) };
        out.push_str(&format!("- {mark}: {}\n", text(&rule["reason"])));
    }
    out.push_str(&format!(
        "\n{}\n\n## {}\n\n",
        if d["eligible"] == true { l.eligible } else { l.not_eligible },
        l.funding
    ));
    for (label, value) in funding_rows(d, &l) {
        out.push_str(&format!("- {label}: {value}\n"));
    }
    out
}

fn html(d: &Value, lang: Lang) -> String {
    let l = labels(lang);
    let e = |v: &Value| html_escape::encode_text(&text(v)).into_owned();
    let mut body = format!(
        "<h1>{}</h1><p><strong>{}:</strong> {} ({})</p><h2>{}</h2><table><tr>{}</tr>",
        e(&d["consortium"]["name"]),
        l.call,
        e(&d["call"]["name"]),
        e(&d["call"]["programme"]),
        l.partners,
        l.header.iter().map(|h| format!("<th>{h}</th>")).collect::<String>()
    );
    for p in d["partners"].as_array().into_iter().flatten() {
        let sme = if p["sme_declaration"] == true { l.yes } else { l.no };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{sme}</td><td>{}</td></tr>",
            e(&p["name"]),
            e(&p["kind"]),
            e(&p["country"]),
            e(&p["role"])
        ));
    }
    body.push_str(&format!("</table><h2>{}</h2><ul>", l.fit));
    for fit in d["fit"].as_array().into_iter().flatten() {
        let terms: Vec<String> = fit["matched_terms"].as_array().into_iter().flatten().map(e).collect();
        body.push_str(&format!("<li>{} ({})<ul>", terms.join(", "), e(&fit["score"])));
        for pair in fit["pairs"].as_array().into_iter().flatten() {
            body.push_str(&format!("<li>{} ↔ {} ({})</li>", e(&pair["offer"]), e(&pair["need"]), e(&pair["score"])));
        }
        body.push_str("</ul></li>");
    }
    body.push_str(&format!("</ul><h2>{}</h2><ul>", l.rules));
    for rule in d["rules"].as_array().into_iter().flatten() {
        let (class, mark) = if rule["passed"] == true { ("pass", l.passed) } else { ("fail", l.failed) };
        body.push_str(&format!("<li class=\"{class}\"><strong>{mark}</strong> — {}</li>", e(&rule["reason"])));
    }
    body.push_str(&format!(
        "</ul><p><strong>{}</strong></p><h2>{}</h2><dl>",
        if d["eligible"] == true { l.eligible } else { l.not_eligible },
        l.funding
    ));
    for (label, value) in funding_rows(d, &l) {
        body.push_str(&format!("<dt>{label}</dt><dd>{}</dd>", html_escape::encode_text(&value)));
    }
    body.push_str("</dl>");
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}}\
         table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #999;padding:.3em;text-align:left}}\
         .pass{{color:#145214}}.fail{{color:#8b0000}}dt{{font-weight:bold}}\
         @media print{{body{{margin:0}}}}</style></head><body>{body}</body></html>\n",
        lang.as_str(),
        e(&d["consortium"]["name"])
    )
}
