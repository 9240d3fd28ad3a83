//! Declined pairs: never suggested again. Compiled once per engine (`super::Db`).
use chrono::Utc;

use super::{Backend, Db};
use crate::store::Result;

fn ordered<'a>(x: &'a str, y: &'a str) -> (&'a str, &'a str) {
    if x < y { (x, y) } else { (y, x) }
}

impl Backend {
    /// Records that `by` declined `other` (idempotent); `call` empty means for every call.
    pub(crate) async fn decline_pair(&self, by: &str, other: &str, call: &str) -> Result<()> {
        let (a, b) = ordered(by, other);
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO declined_pairs (organisation_a, organisation_b, call_id, declined_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organisation_a, organisation_b, call_id) DO NOTHING",
        )
        .bind(a)
        .bind(b)
        .bind(call)
        .bind(by)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
        Self::append_change(&mut tx, "declined_pair", by, "create").await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn undecline_pair(&self, by: &str, other: &str, call: &str) -> Result<bool> {
        let (a, b) = ordered(by, other);
        let mut tx = self.begin().await?;
        let deleted = sqlx::query(
            "DELETE FROM declined_pairs WHERE organisation_a = $1 AND organisation_b = $2 AND call_id = $3 \
             AND declined_by = $4",
        )
        .bind(a)
        .bind(b)
        .bind(call)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        Self::append_change(&mut tx, "declined_pair", by, "delete").await?;
        tx.commit().await?;
        Ok(deleted.rows_affected() > 0)
    }

    /// The organisations that `organisation` must never be suggested with (for `call`, and for every call).
    pub(crate) async fn declined_partners(&self, organisation: &str, call: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar::<Db, String>(
            "SELECT CASE WHEN organisation_a = $1 THEN organisation_b ELSE organisation_a END FROM declined_pairs \
             WHERE (organisation_a = $1 OR organisation_b = $1) AND (call_id = '' OR call_id = $2)",
        )
        .bind(organisation)
        .bind(call)
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Backend {
    /// Every declined pair that counts for `call` (declined for it, or for every call).
    pub(crate) async fn declined_pairs_for(&self, call: &str) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as::<Db, (String, String)>(
            "SELECT organisation_a, organisation_b FROM declined_pairs WHERE call_id = '' OR call_id = $1",
        )
        .bind(call)
        .fetch_all(&self.pool)
        .await?)
    }
}
