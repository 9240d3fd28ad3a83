//! Double-opt-in introductions. Every transition writes, in one transaction, the new state, a history row, a
//! change-log row and the outbox rows (events) that the notifier delivers. Compiled once per engine (`super::Db`).
use chrono::Utc;
use serde_json::json;
use sqlx::types::Json;

use super::{Backend, Db, FOR_UPDATE, Tx};
use crate::domain::introduction::{Event, Transition, next_state};
use crate::domain::organisation::Contact;
use crate::store::{
    HistoryRecord, IntroductionAction, IntroductionBundle, IntroductionRecord, NewIntroduction, Result, StoreError,
    new_id,
};

const COLUMNS: &str = "id, call_key, from_org, to_org, proposed_by, by_broker, state, accepted_by, message, \
    decline_reason, decline_text, declined_by, expires_at_ms, remind_at_ms, reminded, answered_at, created_at, \
    updated_at";

fn ordered<'a>(x: &'a str, y: &'a str) -> (&'a str, &'a str) {
    if x < y { (x, y) } else { (y, x) }
}

/// Whom an event concerns: the organisations whose members are told, and accounts told besides (a broker who
/// proposed).
pub struct Audience {
    pub organisations: Vec<String>,
    pub accounts: Vec<String>,
}

impl Backend {
    pub(crate) async fn propose_introduction(&self, new: &NewIntroduction<'_>) -> Result<IntroductionBundle> {
        let mut tx = self.begin().await?;
        // Writers take the change-log turn first, so that the checks below and the insert are one atomic step on
        // every engine.
        Self::order_change_log(&mut tx).await?;
        let (a, b) = ordered(new.from_org, new.to_org);
        let declined: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM declined_pairs WHERE organisation_a = $1 AND organisation_b = $2 \
             AND (call_id = '' OR call_id = $3)",
        )
        .bind(a)
        .bind(b)
        .bind(new.call_key)
        .fetch_one(&mut *tx)
        .await?;
        if declined > 0 {
            return Err(StoreError::Conflict(
                "this pair was declined and is not proposed again for this call".to_owned(),
            ));
        }
        let open: Option<String> = sqlx::query_scalar(
            "SELECT state FROM introductions WHERE organisation_a = $1 AND organisation_b = $2 AND call_key = $3 \
             AND state IN ('proposed', 'connected')",
        )
        .bind(a)
        .bind(b)
        .bind(new.call_key)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(state) = open {
            return Err(StoreError::Conflict(format!(
                "these two organisations already have an introduction in state `{state}` for this call"
            )));
        }
        if !new.by_broker {
            let pending: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM introductions WHERE from_org = $1 AND state = 'proposed' AND NOT by_broker",
            )
            .bind(new.from_org)
            .fetch_one(&mut *tx)
            .await?;
            if pending >= new.max_pending {
                return Err(StoreError::Conflict(format!(
                    "the organisation already has {pending} open proposals; the limit \
                     (introductions.max_pending) is {}",
                    new.max_pending
                )));
            }
        }
        let id = new_id();
        let now = Utc::now();
        let accepted: Vec<String> = if new.by_broker { Vec::new() } else { vec![new.from_org.to_owned()] };
        let record = sqlx::query_as::<Db, IntroductionRecord>(&format!(
            "INSERT INTO introductions (id, call_key, from_org, to_org, organisation_a, organisation_b, proposed_by, \
             by_broker, state, accepted_by, message, decline_reason, decline_text, declined_by, expires_at_ms, \
             remind_at_ms, reminded, answered_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'proposed', $9, $10, NULL, \
             NULL, NULL, $11, $12, $13, NULL, $14, $14) RETURNING {COLUMNS}"
        ))
        .bind(&id)
        .bind(new.call_key)
        .bind(new.from_org)
        .bind(new.to_org)
        .bind(a)
        .bind(b)
        .bind(new.proposed_by)
        .bind(new.by_broker)
        .bind(Json(&accepted))
        .bind(new.message)
        .bind(new.expires_at_ms)
        .bind(new.remind_at_ms)
        .bind(false)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let by_org = (!new.by_broker).then_some(new.from_org);
        add_history(&mut tx, &id, Some(new.proposed_by), by_org, "proposed").await?;
        Self::append_change(&mut tx, "introduction", &id, "create").await?;
        let bundle = load_bundle(&mut tx, &id).await?;
        let accounts = if new.by_broker { vec![new.proposed_by.to_owned()] } else { Vec::new() };
        let audience = Audience { organisations: vec![record.from_org.clone(), record.to_org.clone()], accounts };
        write_event(&mut tx, Event::Proposed, &bundle, &audience).await?;
        tx.commit().await?;
        Ok(bundle)
    }

    /// Applies one action to an open introduction; `by` is the acting account (none for the timer).
    pub(crate) async fn act_on_introduction(
        &self,
        id: &str,
        action: &IntroductionAction,
        by: Option<&str>,
    ) -> Result<IntroductionBundle> {
        let mut tx = self.begin().await?;
        let record = sqlx::query_as::<Db, IntroductionRecord>(&format!(
            "SELECT {COLUMNS} FROM introductions WHERE id = $1{FOR_UPDATE}"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let transition = next_state(&record, action).map_err(StoreError::Conflict)?;
        let now = Utc::now();
        let answered = matches!(action, IntroductionAction::Accept { organisation } | IntroductionAction::Decline { organisation, .. } if *organisation == record.to_org)
            && record.answered_at.is_none();
        let (reason, text, declined_by) = match action {
            IntroductionAction::Decline { organisation, reason, text } => {
                (Some(reason.as_str()), text.as_deref(), Some(organisation.as_str()))
            }
            _ => (None, None, None),
        };
        let Transition { state, accepted_by, events, history } = transition;
        sqlx::query(
            "UPDATE introductions SET state = $2, accepted_by = $3, reminded = reminded OR $4, \
             decline_reason = COALESCE($5, decline_reason), decline_text = COALESCE($6, decline_text), \
             declined_by = COALESCE($7, declined_by), answered_at = CASE WHEN $8 THEN $9 ELSE answered_at END, \
             updated_at = $9 WHERE id = $1",
        )
        .bind(id)
        .bind(state)
        .bind(Json(&accepted_by))
        .bind(matches!(action, IntroductionAction::Remind))
        .bind(reason)
        .bind(text)
        .bind(declined_by)
        .bind(answered)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let by_org = match action {
            IntroductionAction::Accept { organisation } | IntroductionAction::Decline { organisation, .. } => {
                Some(organisation.as_str())
            }
            _ => None,
        };
        for entry in history {
            add_history(&mut tx, id, by, by_org, entry).await?;
        }
        if let IntroductionAction::Decline { organisation, .. } = action {
            let other = if *organisation == record.from_org { &record.to_org } else { &record.from_org };
            let (a, b) = ordered(organisation, other);
            sqlx::query(
                "INSERT INTO declined_pairs (organisation_a, organisation_b, call_id, declined_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organisation_a, organisation_b, call_id) DO NOTHING",
            )
            .bind(a)
            .bind(b)
            .bind(&record.call_key)
            .bind(organisation)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        Self::append_change(&mut tx, "introduction", id, "update").await?;
        let bundle = load_bundle(&mut tx, id).await?;
        for event in events {
            let organisations = match event {
                Event::Reminder => record.awaited(),
                _ => vec![record.from_org.clone(), record.to_org.clone()],
            };
            let accounts = if record.by_broker { vec![record.proposed_by.clone()] } else { Vec::new() };
            write_event(&mut tx, event, &bundle, &Audience { organisations, accounts }).await?;
        }
        tx.commit().await?;
        Ok(bundle)
    }

    pub(crate) async fn introduction(&self, id: &str) -> Result<IntroductionBundle> {
        let mut conn = self.pool.acquire().await?;
        load_bundle(&mut conn, id).await
    }

    /// Introductions of the given organisations (all of them when `organisations` is `None`), newest first.
    pub(crate) async fn list_introductions(
        &self,
        organisations: Option<&[String]>,
        state: Option<&str>,
        call: Option<&str>,
        before: Option<&str>,
        limit: i64,
    ) -> Result<Vec<IntroductionRecord>> {
        let scope = match organisations {
            None => "TRUE".to_owned(),
            Some([]) => "FALSE".to_owned(),
            Some(ids) => {
                let list = (0..ids.len()).map(|i| format!("${}", i + 5)).collect::<Vec<_>>().join(", ");
                format!("(from_org IN ({list}) OR to_org IN ({list}))")
            }
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM introductions WHERE {scope} AND ($1 IS NULL OR state = $1) \
             AND ($2 IS NULL OR call_key = $2) AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4"
        );
        let mut query = sqlx::query_as::<Db, IntroductionRecord>(&sql).bind(state).bind(call).bind(before).bind(limit);
        for id in organisations.unwrap_or_default() {
            query = query.bind(id);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    /// Open introductions whose reminder or expiry is due at `now_ms`: (id, true when it expires).
    pub(crate) async fn due_introductions(&self, now_ms: i64, limit: i64) -> Result<Vec<(String, bool)>> {
        let due = sqlx::query_as::<Db, (String, i64)>(
            "SELECT id, expires_at_ms FROM introductions WHERE state = 'proposed' \
             AND (expires_at_ms <= $1 OR (NOT reminded AND remind_at_ms <= $1)) ORDER BY expires_at_ms LIMIT $2",
        )
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(due.into_iter().map(|(id, expires_at_ms)| (id, expires_at_ms <= now_ms)).collect())
    }

    /// Whether a member of some organisation of `account` is connected with `organisation`.
    pub(crate) async fn connected_with(&self, account: &str, organisation: &str) -> Result<bool> {
        Ok(sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM introductions i JOIN memberships m ON m.account_id = $1 \
             AND (m.organisation_id = i.from_org OR m.organisation_id = i.to_org) \
             WHERE i.state = 'connected' AND (i.from_org = $2 OR i.to_org = $2) AND m.organisation_id <> $2",
        )
        .bind(account)
        .bind(organisation)
        .fetch_one(&self.pool)
        .await?
            > 0)
    }
}

async fn add_history(
    tx: &mut Tx<'_>,
    id: &str,
    by_account: Option<&str>,
    by_organisation: Option<&str>,
    action: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO introduction_history (introduction_id, position, at, by_account, by_organisation, action) \
         SELECT $1, COALESCE(MAX(position), 0) + 1, $2, $3, $4, $5 FROM introduction_history WHERE introduction_id = $1",
    )
    .bind(id)
    .bind(Utc::now())
    .bind(by_account)
    .bind(by_organisation)
    .bind(action)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn load_bundle(conn: &mut <Db as sqlx::Database>::Connection, id: &str) -> Result<IntroductionBundle> {
    let record =
        sqlx::query_as::<Db, IntroductionRecord>(&format!("SELECT {COLUMNS} FROM introductions WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    let history = sqlx::query_as::<Db, HistoryRecord>(
        "SELECT at, by_account, by_organisation, action FROM introduction_history WHERE introduction_id = $1 \
         ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut contacts = Vec::new();
    if record.state == "connected" {
        for side in record.sides() {
            let contact: Option<Option<Json<Contact>>> =
                sqlx::query_scalar("SELECT contact FROM organisations WHERE id = $1")
                    .bind(side)
                    .fetch_optional(&mut *conn)
                    .await?;
            if let Some(Some(Json(contact))) = contact {
                contacts.push((side.to_owned(), contact));
            }
        }
    }
    Ok(IntroductionBundle { record, history, contacts })
}

/// Writes one event to the outbox, inside the transaction of the change it reports.
async fn write_event(tx: &mut Tx<'_>, event: Event, bundle: &IntroductionBundle, audience: &Audience) -> Result<()> {
    let data = bundle.view(false);
    sqlx::query(
        "INSERT INTO outbox (event_id, type, introduction_id, organisations, audience, data, created_at, dispatched) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(event.as_str())
    .bind(&bundle.record.id)
    .bind(Json(json!([bundle.record.from_org, bundle.record.to_org])))
    .bind(Json(json!({ "organisations": audience.organisations, "accounts": audience.accounts })))
    .bind(Json(data))
    .bind(Utc::now())
    .bind(false)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
