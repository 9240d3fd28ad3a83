//! Engine-neutral plumbing: the change log, readiness, closing. Compiled once per engine (`super::Db`).
use chrono::Utc;

use super::{Backend, Db, Tx};
use crate::store::{ChangeRecord, Result};

impl Backend {
    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) async fn ready(&self) -> Result<bool> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        let applied: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success").fetch_one(&self.pool).await?;
        Ok(applied as usize >= Self::migrator().iter().count())
    }

    /// Appends one change-log row inside the caller's transaction and returns its sequence number.
    pub(crate) async fn append_change(tx: &mut Tx<'_>, entity: &str, entity_id: &str, op: &str) -> Result<i64> {
        Self::order_change_log(tx).await?;
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO change_log (entity, entity_id, op, at) VALUES ($1, $2, $3, $4) RETURNING seq",
        )
        .bind(entity)
        .bind(entity_id)
        .bind(op)
        .bind(Utc::now())
        .fetch_one(&mut **tx)
        .await?;
        Ok(seq)
    }

    pub(crate) async fn changes_after(&self, after_seq: i64, limit: i64) -> Result<Vec<ChangeRecord>> {
        Ok(sqlx::query_as::<Db, ChangeRecord>(
            "SELECT seq, entity, entity_id, op, at FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Backend {
    pub(crate) async fn last_seq(&self) -> Result<i64> {
        Ok(sqlx::query_scalar::<Db, Option<i64>>("SELECT MAX(seq) FROM change_log")
            .fetch_one(&self.pool)
            .await?
            .unwrap_or(0))
    }
}
