//! Offers and needs: the same shape (a JSON body owned by an organisation), two tables.
//! Compiled once per engine (`super::Db`).
use chrono::Utc;
use sqlx::types::Json;

use super::{Backend, Db, Tx};
use crate::store::{ItemKind, ItemRecord, Result, StoreError, Written, new_id};

const COLUMNS: &str = "id, organisation_id, body, version, created_at, updated_at";

impl Backend {
    pub(crate) async fn create_item(
        &self,
        kind: ItemKind,
        organisation_id: &str,
        body: &serde_json::Value,
    ) -> Result<Written<ItemRecord>> {
        let mut tx = self.begin().await?;
        let value = insert_item(&mut tx, kind, organisation_id, body).await?;
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
            "UPDATE {} SET body = $1, version = version + 1, updated_at = $2 WHERE id = $3 RETURNING {COLUMNS}",
            kind.table()
        ))
        .bind(Json(body))
        .bind(Utc::now())
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
) -> Result<ItemRecord> {
    let now = Utc::now();
    Ok(sqlx::query_as::<Db, ItemRecord>(&format!(
        "INSERT INTO {} (id, organisation_id, body, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4) \
         RETURNING {COLUMNS}",
        kind.table()
    ))
    .bind(new_id())
    .bind(organisation_id)
    .bind(Json(body))
    .bind(now)
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
}
