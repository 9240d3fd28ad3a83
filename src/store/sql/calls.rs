//! Calls and their participants. Compiled once per engine (`super::Db`).
use chrono::Utc;
use sqlx::types::Json;

use super::{Backend, Db};
use crate::domain::call::Call;
use crate::store::{CallRecord, ParticipantRecord, Result, StoreError, Written, new_id};

const COLUMNS: &str = "id, slug, body, published, archived, version, created_at, updated_at";

fn unique_slug(error: sqlx::Error, slug: &str) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(format!("a call with the slug `{slug}` already exists"))
        }
        _ => error.into(),
    }
}

impl Backend {
    pub(crate) async fn create_call(&self, call: &Call) -> Result<Written<CallRecord>> {
        let mut tx = self.begin().await?;
        let id = new_id();
        let now = Utc::now();
        let record = sqlx::query_as::<Db, CallRecord>(&format!(
            "INSERT INTO calls ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING {COLUMNS}"
        ))
        .bind(&id)
        .bind(&call.slug)
        .bind(Json(&call.body))
        .bind(call.published)
        .bind(call.archived)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_slug(e, &call.slug))?;
        let seq = Self::append_change(&mut tx, "call", &id, "create").await?;
        tx.commit().await?;
        Ok(Written { value: record, seq })
    }

    /// A call by its id or its slug.
    pub(crate) async fn call(&self, id_or_slug: &str) -> Result<CallRecord> {
        sqlx::query_as::<Db, CallRecord>(&format!("SELECT {COLUMNS} FROM calls WHERE id = $1 OR slug = $1"))
            .bind(id_or_slug)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub(crate) async fn list_calls(
        &self,
        include_unpublished: bool,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<CallRecord>> {
        Ok(sqlx::query_as::<Db, CallRecord>(&format!(
            "SELECT {COLUMNS} FROM calls WHERE (published OR $1) AND ($2 IS NULL OR id > $2) ORDER BY id LIMIT $3"
        ))
        .bind(include_unpublished)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub(crate) async fn update_call(
        &self,
        id: &str,
        expected_version: Option<i64>,
        call: &Call,
    ) -> Result<Written<CallRecord>> {
        let mut tx = self.begin().await?;
        let version: i64 = sqlx::query_scalar("SELECT version FROM calls WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if expected_version.is_some_and(|v| v != version) {
            return Err(StoreError::Stale);
        }
        let record = sqlx::query_as::<Db, CallRecord>(&format!(
            "UPDATE calls SET slug = $2, body = $3, published = $4, archived = $5, version = version + 1, \
             updated_at = $6 WHERE id = $1 RETURNING {COLUMNS}"
        ))
        .bind(id)
        .bind(&call.slug)
        .bind(Json(&call.body))
        .bind(call.published)
        .bind(call.archived)
        .bind(Utc::now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_slug(e, &call.slug))?;
        let seq = Self::append_change(&mut tx, "call", id, "update").await?;
        tx.commit().await?;
        Ok(Written { value: record, seq })
    }

    /// Opts an organisation in (idempotent); true when it was not in yet.
    pub(crate) async fn add_participant(&self, call: &str, organisation: &str, by: &str) -> Result<bool> {
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO call_participants (call_id, organisation_id, added_by, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (call_id, organisation_id) DO NOTHING",
        )
        .bind(call)
        .bind(organisation)
        .bind(by)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if inserted {
            Self::append_change(&mut tx, "call_participant", &format!("{call}/{organisation}"), "create").await?;
        }
        tx.commit().await?;
        Ok(inserted)
    }

    pub(crate) async fn remove_participant(&self, call: &str, organisation: &str) -> Result<bool> {
        let mut tx = self.begin().await?;
        let deleted = sqlx::query("DELETE FROM call_participants WHERE call_id = $1 AND organisation_id = $2")
            .bind(call)
            .bind(organisation)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        if deleted {
            Self::append_change(&mut tx, "call_participant", &format!("{call}/{organisation}"), "delete").await?;
        }
        tx.commit().await?;
        Ok(deleted)
    }

    pub(crate) async fn is_participant(&self, call: &str, organisation: &str) -> Result<bool> {
        Ok(sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM call_participants WHERE call_id = $1 AND organisation_id = $2",
        )
        .bind(call)
        .bind(organisation)
        .fetch_one(&self.pool)
        .await?
            > 0)
    }

    /// Participants in organisation-id order; `published_only` hides unpublished profiles.
    pub(crate) async fn participants(
        &self,
        call: &str,
        published_only: bool,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ParticipantRecord>> {
        Ok(sqlx::query_as::<Db, ParticipantRecord>(
            "SELECT p.organisation_id, p.added_by, p.created_at FROM call_participants p \
             JOIN organisations o ON o.id = p.organisation_id \
             WHERE p.call_id = $1 AND (o.published OR NOT $2) AND ($3 IS NULL OR p.organisation_id > $3) \
             ORDER BY p.organisation_id LIMIT $4",
        )
        .bind(call)
        .bind(published_only)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every participant's id (for call-scoped suggestions and pairings).
    pub(crate) async fn participant_ids(&self, call: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar::<Db, String>(
            "SELECT organisation_id FROM call_participants WHERE call_id = $1 ORDER BY organisation_id",
        )
        .bind(call)
        .fetch_all(&self.pool)
        .await?)
    }
}
