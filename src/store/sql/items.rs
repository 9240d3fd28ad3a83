//! Offers and needs: the same shape (a JSON body owned by an organisation), two tables.
//! Compiled once per engine (`super::Db`).
use chrono::Utc;
use sqlx::types::Json;

use super::{Backend, Db, Tx};
use crate::matching::analysis::{ANALYSIS_VERSION, Analyzers};
use crate::store::{ItemKind, ItemRecord, Result, StoreError, Written, new_id};

const COLUMNS: &str = "id, organisation_id, body, version, created_at, updated_at, analysis";

/// Rows rewritten per transaction by `refresh_analyses`.
const REFRESH_BATCH: usize = 500;
/// Rows `refresh_analyses` reads per statement to find the stale ones.
const REFRESH_WINDOW: i64 = 1_000;

impl Backend {
    pub(crate) async fn create_item(
        &self,
        kind: ItemKind,
        organisation_id: &str,
        body: &serde_json::Value,
    ) -> Result<Written<ItemRecord>> {
        // Analysed before the transaction, which holds SQLite's write lock.
        let analysis = Analyzers::default().encoded(body);
        let mut tx = self.begin().await?;
        let value = insert_item(&mut tx, kind, organisation_id, body, &analysis).await?;
        let seq = Self::append_change(&mut tx, kind.entity(), &value.id, "create").await?;
        tx.commit().await?;
        Ok(Written { value, seq })
    }

    pub(crate) async fn item(&self, kind: ItemKind, organisation_id: &str, id: &str) -> Result<ItemRecord> {
        sqlx::query_as::<Db, ItemRecord>(&format!(
            "SELECT {COLUMNS} FROM {} WHERE id = $1 AND organisation_id = $2",
            kind.table()
        ))
        .bind(id)
        .bind(organisation_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)
    }

    pub(crate) async fn list_items(
        &self,
        kind: ItemKind,
        organisation_id: &str,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ItemRecord>> {
        Ok(sqlx::query_as::<Db, ItemRecord>(&format!(
            "SELECT {COLUMNS} FROM {} WHERE organisation_id = $1 AND ($2 IS NULL OR id > $2) ORDER BY id LIMIT $3",
            kind.table()
        ))
        .bind(organisation_id)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub(crate) async fn update_item(
        &self,
        kind: ItemKind,
        organisation_id: &str,
        id: &str,
        expected_version: Option<i64>,
        body: &serde_json::Value,
    ) -> Result<Written<ItemRecord>> {
        let analysis = Analyzers::default().encoded(body);
        let mut tx = self.begin().await?;
        let version: i64 =
            sqlx::query_scalar(&format!("SELECT version FROM {} WHERE id = $1 AND organisation_id = $2", kind.table()))
                .bind(id)
                .bind(organisation_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        if expected_version.is_some_and(|expected| expected != version) {
            return Err(StoreError::Stale);
        }
        let value = sqlx::query_as::<Db, ItemRecord>(&format!(
            "UPDATE {} SET body = $1, version = version + 1, updated_at = $2, analysis = $3 WHERE id = $4 \
             RETURNING {COLUMNS}",
            kind.table()
        ))
        .bind(Json(body))
        .bind(Utc::now())
        .bind(analysis)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let seq = Self::append_change(&mut tx, kind.entity(), id, "update").await?;
        tx.commit().await?;
        Ok(Written { value, seq })
    }

    pub(crate) async fn delete_item(&self, kind: ItemKind, organisation_id: &str, id: &str) -> Result<i64> {
        let mut tx = self.begin().await?;
        let deleted = sqlx::query(&format!("DELETE FROM {} WHERE id = $1 AND organisation_id = $2", kind.table()))
            .bind(id)
            .bind(organisation_id)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let seq = Self::append_change(&mut tx, kind.entity(), id, "delete").await?;
        tx.commit().await?;
        Ok(seq)
    }
}

pub(super) async fn insert_item(
    tx: &mut Tx<'_>,
    kind: ItemKind,
    organisation_id: &str,
    body: &serde_json::Value,
    analysis: &str,
) -> Result<ItemRecord> {
    let now = Utc::now();
    Ok(sqlx::query_as::<Db, ItemRecord>(&format!(
        "INSERT INTO {} (id, organisation_id, body, version, created_at, updated_at, analysis) \
         VALUES ($1, $2, $3, 1, $4, $4, $5) RETURNING {COLUMNS}",
        kind.table()
    ))
    .bind(new_id())
    .bind(organisation_id)
    .bind(Json(body))
    .bind(now)
    .bind(analysis)
    .fetch_one(&mut **tx)
    .await?)
}

impl Backend {
    pub(crate) async fn item_by_id(&self, kind: ItemKind, id: &str) -> Result<ItemRecord> {
        sqlx::query_as::<Db, ItemRecord>(&format!("SELECT {COLUMNS} FROM {} WHERE id = $1", kind.table()))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Every offer (or need) of these organisations.
    pub(crate) async fn items_of(&self, kind: ItemKind, organisation_ids: &[String]) -> Result<Vec<ItemRecord>> {
        if organisation_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM {} WHERE organisation_id IN ({}) ORDER BY id",
            kind.table(),
            super::organisations::placeholders(1, organisation_ids.len())
        );
        let mut query = sqlx::query_as::<Db, ItemRecord>(&sql);
        for id in organisation_ids {
            query = query.bind(id);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    /// The organisation of each of these offers (or needs) that still exists, as (item id, organisation id).
    pub(crate) async fn item_owners(&self, kind: ItemKind, ids: &[String]) -> Result<Vec<(String, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, organisation_id FROM {} WHERE id IN ({})",
            kind.table(),
            super::organisations::placeholders(1, ids.len())
        );
        let mut query = sqlx::query_as::<Db, (String, String)>(&sql);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    /// Analyses the offers and needs stored without an analysis, or with an older version of it (a database written
    /// before it existed, or before the analysis changed). Returns how many rows were rewritten. A row changed
    /// meanwhile keeps the analysis its own write stored. (A current analysis of texts changed since, by other means
    /// than this store, is not looked for here: matching checks each analysis's fingerprint when it reads it.)
    pub(crate) async fn refresh_analyses(&self) -> Result<u64> {
        let mut analyzers = Analyzers::default();
        let current = format!("{ANALYSIS_VERSION} %");
        let mut rewritten = 0;
        for kind in [ItemKind::Offer, ItemKind::Need] {
            let mut after = String::new();
            loop {
                // Each statement reads one window of rows in id order, stale or not: a single statement looking for
                // the stale rows of a million offers read them all (3.5 s, logged as a slow statement, with a read
                // snapshot held meanwhile).
                let window: Vec<(String, bool)> = sqlx::query_as(&format!(
                    "SELECT id, (analysis IS NULL OR analysis NOT LIKE $2) FROM {} WHERE id > $1 ORDER BY id LIMIT $3",
                    kind.table()
                ))
                .bind(&after)
                .bind(&current)
                .bind(REFRESH_WINDOW)
                .fetch_all(&self.pool)
                .await?;
                let Some((last, _)) = window.last() else { break };
                let stale: Vec<&String> = window.iter().filter(|(_, stale)| *stale).map(|(id, _)| id).collect();
                for ids in stale.chunks(REFRESH_BATCH) {
                    rewritten += self.analyse_again(kind, ids, &current, &mut analyzers).await?;
                }
                if (window.len() as i64) < REFRESH_WINDOW {
                    break;
                }
                after = last.clone();
            }
        }
        Ok(rewritten)
    }

    /// Analyses these offers (or needs) again, those still stale when read, in one transaction; a row changed
    /// meanwhile keeps the analysis its own write stored. Returns how many rows were rewritten.
    async fn analyse_again(
        &self,
        kind: ItemKind,
        ids: &[&String],
        current: &str,
        analyzers: &mut Analyzers,
    ) -> Result<u64> {
        let sql = format!(
            "SELECT id, body, version FROM {} WHERE (analysis IS NULL OR analysis NOT LIKE $1) AND id IN ({})",
            kind.table(),
            super::organisations::placeholders(2, ids.len())
        );
        let mut query = sqlx::query_as::<Db, (String, Json<serde_json::Value>, i64)>(&sql).bind(current);
        for id in ids {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        // Analysed before the transaction, which holds SQLite's write lock.
        let analyses: Vec<String> = rows.iter().map(|(_, body, _)| analyzers.encoded(&body.0)).collect();
        let mut rewritten = 0;
        let mut tx = self.begin().await?;
        for ((id, _, version), analysis) in rows.iter().zip(analyses) {
            let done =
                sqlx::query(&format!("UPDATE {} SET analysis = $1 WHERE id = $2 AND version = $3", kind.table()))
                    .bind(analysis)
                    .bind(id)
                    .bind(version)
                    .execute(&mut *tx)
                    .await?;
            rewritten += done.rows_affected();
        }
        tx.commit().await?;
        Ok(rewritten)
    }
}
