//! Cluster staff's tools for a whole call: the best set of pairings, the brokerage day (events, availability,
//! meetings, schedule, agenda and iCalendar export) and the call's statistics.
use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpRequest, HttpResponse, get, patch, post, put, web};
use chrono::{Duration, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::caller::{Account, Signed};
use super::calls::readable;
use super::error::ApiError;
use super::extract::{JsonBody, QueryParams};
use super::matches::{language, summary};
use crate::broker::schedule::{Problem, schedule};
use crate::broker::{CallGraph, pairing};
use crate::domain::validation::required_text;
use crate::store::{CallRecord, EventRecord, NewEvent, StoreError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(pairings)
        .service(stats)
        .service(create_event)
        .service(read_event)
        .service(set_availability)
        .service(add_meeting)
        .service(run_schedule)
        .service(move_meeting)
        .service(agenda)
        .service(agenda_ics);
}

fn require_broker(account: &Account) -> Result<(), ApiError> {
    if account.sees_whole_market() {
        Ok(())
    } else {
        Err(ApiError::forbidden("only cluster staff (brokers) and administrators use this"))
    }
}

fn graph_error(error: crate::search::SearchError) -> ApiError {
    match error {
        crate::search::SearchError::Store(e) => e.into(),
        other => {
            tracing::error!(error = %other, "call graph failed");
            ApiError::internal()
        }
    }
}

async fn graph(state: &AppState, call: &CallRecord, req: &HttpRequest) -> Result<CallGraph, ApiError> {
    CallGraph::build(
        &state.store,
        state.search.generation(),
        &state.settings.matching,
        &call.id,
        &call.body.0,
        language(req),
    )
    .await
    .map_err(graph_error)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PairingParams {
    capacity: Option<usize>,
    min_score: Option<f64>,
}

#[get("/calls/{id}/pairings")]
async fn pairings(
    req: HttpRequest,
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    QueryParams(params): QueryParams<PairingParams>,
) -> Result<HttpResponse, ApiError> {
    require_broker(&account)?;
    let call = readable(&state, Some(&account), &id).await?;
    let capacity = params.capacity.unwrap_or(1);
    if !(1..=20).contains(&capacity) {
        return Err(ApiError::bad_parameter("capacity", "must be between 1 and 20"));
    }
    let min_score = params.min_score.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&min_score) {
        return Err(ApiError::bad_parameter("min_score", "must be between 0 and 1"));
    }
    let graph = graph(&state, &call, &req).await?;
    let (n_left, n_right) = (graph.left.len(), graph.right.len());
    // Only eligible, never-declined pairs at or above `min_score` can be chosen.
    let usable: Vec<usize> = (0..graph.edges.len())
        .filter(|&i| {
            let e = &graph.edges[i];
            e.eligible && !e.declined && e.scored.score >= min_score
        })
        .collect();
    let weighted: Vec<(usize, usize, f64)> =
        usable.iter().map(|&i| (graph.edges[i].left, graph.edges[i].right, graph.edges[i].scored.score)).collect();
    let (chosen, greedy) = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let chosen = pairing::optimal(n_left, n_right, &weighted, capacity);
        tracing::info!(
            assignment_ms = started.elapsed().as_millis() as u64,
            edges = weighted.len(),
            "call graph assigned"
        );
        let greedy = pairing::total(&weighted, &pairing::greedy(n_left, n_right, &weighted, capacity));
        (chosen.into_iter().map(|k| usable[k]).collect::<Vec<usize>>(), greedy)
    })
    .await
    .map_err(|_| ApiError::internal())?;
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    let mut paired: HashMap<&str, usize> = HashMap::new();
    let mut views = Vec::with_capacity(chosen.len());
    let mut total = 0.0;
    for &i in &chosen {
        let e = &graph.edges[i];
        let (a, b) = (&graph.left[e.left].organisation, &graph.right[e.right].organisation);
        *paired.entry(a.id.as_str()).or_default() += 1;
        *paired.entry(b.id.as_str()).or_default() += 1;
        total += e.scored.score;
        views.push(json!({
            "organisations": [a.id, b.id], "names": [a.profile.0.legal_name, b.profile.0.legal_name],
            "score": round(e.scored.score), "parts": e.scored.parts, "matched_terms": e.scored.matched_terms,
            "pairs": e.scored.pairs,
        }));
    }
    views.sort_by(|x, y| y["score"].as_f64().unwrap_or(0.0).total_cmp(&x["score"].as_f64().unwrap_or(0.0)));
    // Why each organisation left out is left out.
    let mut unpaired = Vec::new();
    let sides = [(&graph.left, true), (&graph.right, false)];
    for (bundles, is_left) in sides {
        for (index, bundle) in bundles.iter().enumerate() {
            let id = bundle.organisation.id.as_str();
            if paired.contains_key(id) {
                continue;
            }
            let mine: Vec<&crate::broker::Edge> =
                graph.edges.iter().filter(|e| if is_left { e.left == index } else { e.right == index }).collect();
            let (reason, detail) = if !mine.is_empty() && mine.iter().all(|e| !e.eligible) {
                ("not_eligible", "no candidate partner forms a valid consortium with it under the call's rules")
            } else if !mine.iter().any(|e| e.eligible && !e.declined && e.scored.score >= min_score) {
                (
                    "only_declined_or_weak",
                    "its eligible candidates were declined or score below min_score, or it has none",
                )
            } else {
                ("capacity_taken", "its candidate partners were paired where the total gained more")
            };
            unpaired.push(json!({ "organisation": id, "name": bundle.organisation.profile.0.legal_name, "reason": reason, "detail": detail }));
        }
    }
    Ok(HttpResponse::Ok().json(json!({
        "call": call.id, "capacity": capacity, "min_score": min_score, "pairings": views,
        "total_score": round(total), "greedy_total_score": round(greedy), "unpaired": unpaired,
        "candidate_pairs": graph.edges.len(),
    })))
}

#[get("/calls/{id}/stats")]
async fn stats(
    req: HttpRequest,
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    require_broker(&account)?;
    let call = readable(&state, Some(&account), &id).await?;
    let ids = state.store.participant_ids(&call.id).await?;
    let organisations = state.store.organisations_by_ids(&ids).await?;
    let mut by_kind: BTreeMap<&str, u64> = BTreeMap::new();
    let (mut by_technology, mut by_domain, mut by_country): (
        BTreeMap<String, u64>,
        BTreeMap<String, u64>,
        BTreeMap<String, u64>,
    ) = Default::default();
    for org in &organisations {
        let p = &org.profile.0;
        *by_kind.entry(p.kind.as_str()).or_default() += 1;
        *by_country.entry(p.country.clone()).or_default() += 1;
        for t in &p.technologies {
            *by_technology.entry(t.clone()).or_default() += 1;
        }
        for d in &p.domains {
            *by_domain.entry(d.clone()).or_default() += 1;
        }
    }
    let introductions = state.store.list_introductions(None, None, Some(&call.id), None, 1_000_000).await?;
    let mut by_state: BTreeMap<&str, u64> = crate::domain::introduction::STATES.iter().map(|s| (*s, 0)).collect();
    let mut hours = Vec::new();
    for i in &introductions {
        if let Some(count) = by_state.get_mut(i.state.as_str()) {
            *count += 1;
        }
        if let Some(answered) = i.answered_at {
            hours.push((answered - i.created_at).num_seconds() as f64 / 3600.0);
        }
    }
    let answered = by_state["connected"] + by_state["declined"] + by_state["expired"];
    let acceptance_rate = (answered > 0).then(|| by_state["connected"] as f64 / answered as f64);
    hours.sort_by(f64::total_cmp);
    let median = match hours.len() {
        0 => None,
        n if n % 2 == 1 => Some(hours[n / 2]),
        n => Some((hours[n / 2 - 1] + hours[n / 2]) / 2.0),
    };
    // Coverage: end users with at least one eligible, never-declined candidate above the threshold.
    let graph = graph(&state, &call, &req).await?;
    let threshold = state.settings.matching.coverage_threshold;
    let mut covered = vec![false; graph.right.len()];
    for e in &graph.edges {
        if e.eligible && !e.declined && e.scored.score >= threshold {
            covered[e.right] = true;
        }
    }
    let without: Vec<Value> =
        graph.right.iter().zip(&covered).filter(|(_, c)| !**c).map(|(b, _)| summary(&b.organisation)).collect();
    let share =
        (!graph.right.is_empty()).then(|| covered.iter().filter(|c| **c).count() as f64 / graph.right.len() as f64);
    let (mut eligible, mut not_eligible) = (0u64, 0u64);
    for consortium in state.store.consortium_ids(Some(&call.id), None).await? {
        let bundle = state.store.consortium(&consortium).await?;
        let mut profiles = Vec::new();
        for p in &bundle.partners {
            profiles.push(state.store.organisation(&p.organisation).await?);
        }
        let candidates: Vec<crate::domain::call::Candidate<'_>> =
            profiles.iter().map(|o| crate::domain::call::Candidate { id: &o.id, profile: &o.profile.0 }).collect();
        let roles: Vec<&str> = bundle.partners.iter().map(|p| p.role.as_str()).collect();
        if crate::domain::call::check_declared(&call.body.0, &candidates, &roles, language(&req)).eligible {
            eligible += 1;
        } else {
            not_eligible += 1;
        }
    }
    Ok(HttpResponse::Ok().json(json!({
        "call": call.id,
        "participants": {
            "total": organisations.len(), "by_kind": by_kind, "by_technology": by_technology, "by_domain": by_domain,
            "by_country": by_country,
        },
        "introductions": {
            "total": introductions.len(), "by_state": by_state, "acceptance_rate": acceptance_rate,
            "median_hours_to_answer": median,
        },
        "coverage": { "threshold": threshold, "share": share, "end_users": graph.right.len(), "without_suggestion": without },
        "consortia": { "eligible": eligible, "not_eligible": not_eligible },
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventInput {
    name: String,
    starts_at: chrono::DateTime<Utc>,
    slot_minutes: i32,
    slots: i32,
    #[serde(default)]
    location: Option<String>,
}

fn event_view(e: &EventRecord) -> Value {
    json!({
        "id": e.id, "call": e.call_id, "name": e.name, "starts_at": e.starts_at, "slot_minutes": e.slot_minutes,
        "slots": e.slots, "location": e.location, "scheduled_at": e.scheduled_at,
    })
}

#[post("/calls/{id}/events")]
async fn create_event(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    JsonBody(input): JsonBody<EventInput>,
) -> Result<HttpResponse, ApiError> {
    require_broker(&account)?;
    let call = readable(&state, Some(&account), &id).await?;
    let name = required_text("name", &input.name, 200).map_err(|e| ApiError::invalid(vec![e]))?;
    let location = input.location.as_deref().unwrap_or("").trim().to_owned();
    let (earliest, latest) = (chrono::DateTime::UNIX_EPOCH, chrono::DateTime::UNIX_EPOCH + Duration::days(365 * 200));
    if input.starts_at < earliest || input.starts_at > latest {
        return Err(ApiError::invalid_field("starts_at", "must be a date between 1970 and 2169"));
    }
    if !(5..=480).contains(&input.slot_minutes) {
        return Err(ApiError::invalid_field("slot_minutes", "must be between 5 and 480"));
    }
    if !(1..=96).contains(&input.slots) {
        return Err(ApiError::invalid_field("slots", "must be between 1 and 96"));
    }
    let event = state
        .store
        .create_event(&NewEvent {
            call_id: &call.id,
            name: &name,
            starts_at: input.starts_at,
            slot_minutes: input.slot_minutes,
            slots: input.slots,
            location: &location,
            created_by: account.id(),
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/events/{}", event.id)))
        .json(event_view(&event)))
}

async fn event(state: &AppState, id: &str) -> Result<EventRecord, ApiError> {
    state.store.event(id).await.map_err(|e| match e {
        StoreError::NotFound => ApiError::not_found("event"),
        other => other.into(),
    })
}

#[get("/events/{id}")]
async fn read_event(
    state: web::Data<AppState>,
    Signed(_): Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(event_view(&event(&state, &id).await?)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AvailabilityInput {
    slots: Vec<i64>,
}

#[put("/events/{id}/availability/{organisation}")]
async fn set_availability(
    state: web::Data<AppState>,
    Signed(account): Signed,
    path: web::Path<(String, String)>,
    JsonBody(input): JsonBody<AvailabilityInput>,
) -> Result<HttpResponse, ApiError> {
    let (id, organisation) = path.into_inner();
    let event = event(&state, &id).await?;
    let (_, access) = super::organisations::visible(&state, Some(&account), &organisation).await?;
    if !access.may_edit() && !account.sees_whole_market() {
        return Err(ApiError::forbidden("only the organisation's members or cluster staff set its availability"));
    }
    let mut slots = Vec::with_capacity(input.slots.len());
    for (i, &slot) in input.slots.iter().enumerate() {
        if slot < 0 || slot >= i64::from(event.slots) {
            return Err(ApiError::invalid_field(
                &format!("slots[{i}]"),
                format!("slots are numbered 0 to {}", event.slots - 1),
            ));
        }
        slots.push(slot as i32);
    }
    slots.sort_unstable();
    slots.dedup();
    state.store.set_availability(&event.id, &organisation, &slots).await?;
    Ok(HttpResponse::Ok().json(json!({ "event": event.id, "organisation": organisation, "slots": slots })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingInput {
    organisations: Vec<String>,
}

#[post("/events/{id}/meetings")]
async fn add_meeting(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    JsonBody(input): JsonBody<MeetingInput>,
) -> Result<HttpResponse, ApiError> {
    require_broker(&account)?;
    let event = event(&state, &id).await?;
    let [a, b] = input.organisations.as_slice() else {
        return Err(ApiError::invalid_field("organisations", "name exactly two organisations"));
    };
    if a == b {
        return Err(ApiError::invalid_field("organisations[1]", "a meeting needs two different organisations"));
    }
    for (i, org) in [a, b].into_iter().enumerate() {
        if state.store.organisation(org).await.is_err() {
            return Err(ApiError::invalid_field(&format!("organisations[{i}]"), format!("no organisation `{org}`")));
        }
    }
    let meeting = state.store.add_meeting(&event.id, a, b, "broker").await?;
    Ok(HttpResponse::Created()
        .json(json!({ "id": meeting.id, "organisations": [meeting.organisation_a, meeting.organisation_b] })))
}

/// Adds the call's connected introductions as meetings, then places every meeting.
#[post("/events/{id}/schedule")]
async fn run_schedule(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    require_broker(&account)?;
    let event = event(&state, &id).await?;
    for intro in state.store.list_introductions(None, Some("connected"), Some(&event.call_id), None, 1_000_000).await? {
        state.store.add_meeting(&event.id, &intro.from_org, &intro.to_org, "introduction").await?;
    }
    let meetings = state.store.meetings(&event.id).await?;
    let mut index: HashMap<String, usize> = HashMap::new();
    for m in &meetings {
        for org in [&m.organisation_a, &m.organisation_b] {
            let next = index.len();
            index.entry(org.clone()).or_insert(next);
        }
    }
    let ids: Vec<String> = {
        let mut ids = vec![String::new(); index.len()];
        for (org, &i) in &index {
            ids[i] = org.clone();
        }
        ids
    };
    let kinds = state.store.organisations_by_ids(&ids).await?;
    let end_users: std::collections::HashSet<&str> = kinds
        .iter()
        .filter(|o| o.profile.0.kind == crate::domain::organisation::Kind::EndUser)
        .map(|o| o.id.as_str())
        .collect();
    let slots = event.slots as usize;
    let mut available = vec![None; ids.len()];
    for (org, free) in state.store.availability(&event.id).await? {
        if let Some(&i) = index.get(&org) {
            let mut flags = vec![false; slots];
            for s in free {
                if let Some(flag) = flags.get_mut(s as usize) {
                    *flag = true;
                }
            }
            available[i] = Some(flags);
        }
    }
    let problem = Problem {
        organisations: ids.len(),
        slots,
        meetings: meetings.iter().map(|m| (index[&m.organisation_a], index[&m.organisation_b])).collect(),
        available,
        side: ids.iter().map(|id| end_users.contains(id.as_str())).collect(),
    };
    let result = tokio::task::spawn_blocking(move || schedule(&problem)).await.map_err(|_| ApiError::internal())?;
    let placed: Vec<(String, Option<i32>, Option<String>)> = meetings
        .iter()
        .zip(&result)
        .map(|(m, r)| match r {
            Ok(slot) => (m.id.clone(), Some(*slot as i32), None),
            Err(why) => (m.id.clone(), None, Some(why.as_str().to_owned())),
        })
        .collect();
    state.store.save_schedule(&event.id, &placed).await?;
    agenda_view(&state, &event, None).await.map(|v| HttpResponse::Ok().json(v))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoveInput {
    slot: Option<i64>,
}

/// A broker moves one meeting by hand: to a slot where both are free and neither has another meeting, or out.
#[patch("/events/{id}/meetings/{meeting}")]
async fn move_meeting(
    state: web::Data<AppState>,
    Signed(account): Signed,
    path: web::Path<(String, String)>,
    JsonBody(input): JsonBody<MoveInput>,
) -> Result<HttpResponse, ApiError> {
    require_broker(&account)?;
    let (id, meeting_id) = path.into_inner();
    let event = event(&state, &id).await?;
    let meetings = state.store.meetings(&event.id).await?;
    let meeting = meetings.iter().find(|m| m.id == meeting_id).ok_or_else(|| ApiError::not_found("meeting"))?;
    let slot = match input.slot {
        None => None,
        Some(slot) if slot < 0 || slot >= i64::from(event.slots) => {
            return Err(ApiError::invalid_field("slot", format!("slots are numbered 0 to {}", event.slots - 1)));
        }
        Some(slot) => Some(slot as i32),
    };
    if let Some(slot) = slot {
        let mine = [&meeting.organisation_a, &meeting.organisation_b];
        if let Some(clash) = meetings.iter().find(|m| {
            m.id != meeting.id
                && m.slot == Some(slot)
                && (mine.contains(&&m.organisation_a) || mine.contains(&&m.organisation_b))
        }) {
            return Err(ApiError::conflict(format!(
                "slot {slot} is taken by meeting {} for one of these organisations",
                clash.id
            )));
        }
        for (org, free) in state.store.availability(&event.id).await? {
            if mine.contains(&&org) && !free.contains(&slot) {
                return Err(ApiError::conflict(format!("organisation {org} is not available in slot {slot}")));
            }
        }
    }
    state.store.set_meeting_slot(&event.id, &meeting.id, slot).await?;
    agenda_view(&state, &event, None).await.map(|v| HttpResponse::Ok().json(v))
}

async fn agenda_view(state: &AppState, event: &EventRecord, org: Option<&str>) -> Result<Value, ApiError> {
    let slot_length = Duration::minutes(i64::from(event.slot_minutes));
    let mut meetings = Vec::new();
    let mut unscheduled = Vec::new();
    for m in state.store.meetings(&event.id).await? {
        if org.is_some_and(|o| o != m.organisation_a && o != m.organisation_b) {
            continue;
        }
        let organisations = json!([m.organisation_a, m.organisation_b]);
        match m.slot {
            Some(slot) => {
                let starts = event.starts_at + slot_length * slot;
                meetings.push(json!({
                    "id": m.id, "organisations": organisations, "slot": slot, "starts_at": starts,
                    "ends_at": starts + slot_length, "source": m.source,
                }));
            }
            None => unscheduled.push(json!({
                "id": m.id, "organisations": organisations,
                "reason": m.reason.unwrap_or_else(|| "not_scheduled_yet".to_owned()), "source": m.source,
            })),
        }
    }
    meetings.sort_by_key(|m| m["slot"].as_i64());
    Ok(json!({ "event": event_view(event), "organisation": org, "meetings": meetings, "unscheduled": unscheduled }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AgendaParams {
    org: Option<String>,
}

/// Brokers see the whole agenda (or one organisation's); an organisation's members see their own.
async fn agenda_for(
    state: &AppState,
    account: &Account,
    id: &str,
    org: Option<String>,
) -> Result<(EventRecord, Value), ApiError> {
    let event = event(state, id).await?;
    let org = match org {
        Some(org) if !org.is_empty() => {
            if !account.sees_whole_market() && state.store.member_role(&org, account.id()).await?.is_none() {
                return Err(ApiError::forbidden("members see their own organisation's agenda only"));
            }
            Some(org)
        }
        _ => {
            if !account.sees_whole_market() {
                return Err(ApiError::bad_parameter(
                    "org",
                    "name your organisation; the whole agenda is for cluster staff",
                ));
            }
            None
        }
    };
    let view = agenda_view(state, &event, org.as_deref()).await?;
    Ok((event, view))
}

#[get("/events/{id}/agenda")]
async fn agenda(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    QueryParams(params): QueryParams<AgendaParams>,
) -> Result<HttpResponse, ApiError> {
    let (_, view) = agenda_for(&state, &account, &id, params.org).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[get("/events/{id}/agenda.ics")]
async fn agenda_ics(
    state: web::Data<AppState>,
    Signed(account): Signed,
    id: web::Path<String>,
    QueryParams(params): QueryParams<AgendaParams>,
) -> Result<HttpResponse, ApiError> {
    use icalendar::{Calendar, Component, EventLike};
    let (event, view) = agenda_for(&state, &account, &id, params.org).await?;
    let names: HashMap<String, String> = {
        let mut ids: Vec<String> = Vec::new();
        for m in view["meetings"].as_array().into_iter().flatten() {
            for o in m["organisations"].as_array().into_iter().flatten() {
                ids.extend(o.as_str().map(str::to_owned));
            }
        }
        state.store.organisations_by_ids(&ids).await?.into_iter().map(|o| (o.id, o.profile.0.legal_name)).collect()
    };
    let mut calendar = Calendar::new();
    calendar.name(&event.name);
    let slot_length = Duration::minutes(i64::from(event.slot_minutes));
    for m in view["meetings"].as_array().into_iter().flatten() {
        let slot = m["slot"].as_i64().unwrap_or(0);
        let starts = event.starts_at + slot_length * (slot as i32);
        let orgs: Vec<String> = m["organisations"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|o| o.as_str())
            .map(|o| names.get(o).cloned().unwrap_or_else(|| o.to_owned()))
            .collect();
        let mut item = icalendar::Event::new();
        // Stable across exports: the meeting's id, not the slot, names the event.
        item.uid(&format!("{}@tandem", m["id"].as_str().unwrap_or_default()))
            .summary(&format!("{} — {}", event.name, orgs.join(" / ")))
            .starts(starts)
            .ends(starts + slot_length)
            .location(&event.location)
            .description(&format!("Slot {slot}"));
        calendar.push(item.done());
    }
    Ok(HttpResponse::Ok().content_type("text/calendar; charset=utf-8").body(calendar.done().to_string()))
}
