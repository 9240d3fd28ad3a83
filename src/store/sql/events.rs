//! Brokerage days: events, availability and meetings. Compiled once per engine (`super::Db`).
use chrono::Utc;

use super::{Backend, Db};
use crate::store::{EventRecord, MeetingRecord, NewEvent, Result, StoreError, new_id};

const COLUMNS: &str =
    "id, call_id, name, starts_at, slot_minutes, slots, location, created_by, created_at, scheduled_at";
const MEETING_COLUMNS: &str = "id, organisation_a, organisation_b, source, slot, reason";

impl Backend {
    pub(crate) async fn create_event(&self, new: &NewEvent<'_>) -> Result<EventRecord> {
        let mut tx = self.begin().await?;
        let id = new_id();
        let record = sqlx::query_as::<Db, EventRecord>(&format!(
            "INSERT INTO events ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL) RETURNING {COLUMNS}"
        ))
        .bind(&id)
        .bind(new.call_id)
        .bind(new.name)
        .bind(new.starts_at)
        .bind(new.slot_minutes)
        .bind(new.slots)
        .bind(new.location)
        .bind(new.created_by)
        .bind(Utc::now())
        .fetch_one(&mut *tx)
        .await?;
        Self::append_change(&mut tx, "event", &id, "create").await?;
        tx.commit().await?;
        Ok(record)
    }

    pub(crate) async fn event(&self, id: &str) -> Result<EventRecord> {
        sqlx::query_as::<Db, EventRecord>(&format!("SELECT {COLUMNS} FROM events WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub(crate) async fn set_availability(&self, event: &str, organisation: &str, slots: &[i32]) -> Result<()> {
        sqlx::query(
            "INSERT INTO event_availability (event_id, organisation_id, slots) VALUES ($1, $2, $3) \
             ON CONFLICT (event_id, organisation_id) DO UPDATE SET slots = EXCLUDED.slots",
        )
        .bind(event)
        .bind(organisation)
        .bind(serde_json::to_string(slots).unwrap_or_else(|_| "[]".to_owned()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Each organisation's available slots; organisations without a row are available in every slot.
    pub(crate) async fn availability(&self, event: &str) -> Result<Vec<(String, Vec<i32>)>> {
        let rows = sqlx::query_as::<Db, (String, String)>(
            "SELECT organisation_id, slots FROM event_availability WHERE event_id = $1",
        )
        .bind(event)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(org, slots)| (org, serde_json::from_str(&slots).unwrap_or_default())).collect())
    }

    /// Adds a meeting between two organisations (idempotent); returns it.
    pub(crate) async fn add_meeting(&self, event: &str, a: &str, b: &str, source: &str) -> Result<MeetingRecord> {
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        sqlx::query(
            "INSERT INTO event_meetings (id, event_id, organisation_a, organisation_b, source, slot, reason, created_at) \
             VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6) ON CONFLICT (event_id, organisation_a, organisation_b) DO NOTHING",
        )
        .bind(new_id())
        .bind(event)
        .bind(a)
        .bind(b)
        .bind(source)
        .bind(Utc::now())
        .execute(&self.pool)
        .await?;
        Ok(sqlx::query_as::<Db, MeetingRecord>(&format!(
            "SELECT {MEETING_COLUMNS} FROM event_meetings WHERE event_id = $1 AND organisation_a = $2 \
             AND organisation_b = $3"
        ))
        .bind(event)
        .bind(a)
        .bind(b)
        .fetch_one(&self.pool)
        .await?)
    }

    pub(crate) async fn meetings(&self, event: &str) -> Result<Vec<MeetingRecord>> {
        Ok(sqlx::query_as::<Db, MeetingRecord>(&format!(
            "SELECT {MEETING_COLUMNS} FROM event_meetings WHERE event_id = $1 ORDER BY id"
        ))
        .bind(event)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Stores a schedule: each meeting's slot, or why it has none; all in one transaction.
    pub(crate) async fn save_schedule(
        &self,
        event: &str,
        placed: &[(String, Option<i32>, Option<String>)],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        for (meeting, slot, reason) in placed {
            sqlx::query("UPDATE event_meetings SET slot = $3, reason = $4 WHERE event_id = $1 AND id = $2")
                .bind(event)
                .bind(meeting)
                .bind(slot)
                .bind(reason)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE events SET scheduled_at = $2 WHERE id = $1")
            .bind(event)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
        Self::append_change(&mut tx, "event", event, "update").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves one meeting to a slot (or out of the agenda with `None`).
    pub(crate) async fn set_meeting_slot(&self, event: &str, meeting: &str, slot: Option<i32>) -> Result<bool> {
        let mut tx = self.begin().await?;
        let changed = sqlx::query("UPDATE event_meetings SET slot = $3, reason = $4 WHERE event_id = $1 AND id = $2")
            .bind(event)
            .bind(meeting)
            .bind(slot)
            .bind(slot.is_none().then_some("removed_by_broker"))
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        if changed {
            Self::append_change(&mut tx, "event", event, "update").await?;
        }
        tx.commit().await?;
        Ok(changed)
    }
}
