//! Consortia and their partners. Compiled once per engine (`super::Db`).
use chrono::Utc;

use super::{Backend, Db, Tx};
use crate::store::{ConsortiumBundle, ConsortiumRecord, PartnerRow, Result, StoreError, new_id};

const COLUMNS: &str = "id, call_id, name, created_by, version, created_at, updated_at";

impl Backend {
    pub(crate) async fn create_consortium(
        &self,
        call: &str,
        name: &str,
        partners: &[PartnerRow],
        created_by: &str,
    ) -> Result<ConsortiumBundle> {
        let mut tx = self.begin().await?;
        let id = new_id();
        let now = Utc::now();
        let record = sqlx::query_as::<Db, ConsortiumRecord>(&format!(
            "INSERT INTO consortia ({COLUMNS}) VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING {COLUMNS}"
        ))
        .bind(&id)
        .bind(call)
        .bind(name)
        .bind(created_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        write_partners(&mut tx, &id, partners).await?;
        Self::append_change(&mut tx, "consortium", &id, "create").await?;
        tx.commit().await?;
        Ok(ConsortiumBundle { record, partners: partners.to_vec() })
    }

    pub(crate) async fn consortium(&self, id: &str) -> Result<ConsortiumBundle> {
        let record = sqlx::query_as::<Db, ConsortiumRecord>(&format!("SELECT {COLUMNS} FROM consortia WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let partners = sqlx::query_as::<Db, PartnerRow>(
            "SELECT organisation_id AS organisation, role FROM consortium_partners WHERE consortium_id = $1 \
             ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(ConsortiumBundle { record, partners })
    }

    /// Consortia of a call (all calls when `None`), or only those with one of `organisations` as a partner.
    pub(crate) async fn consortium_ids(
        &self,
        call: Option<&str>,
        organisations: Option<&[String]>,
    ) -> Result<Vec<String>> {
        let scope = match organisations {
            None => "TRUE".to_owned(),
            Some([]) => "FALSE".to_owned(),
            Some(ids) => {
                let list = (0..ids.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
                format!("id IN (SELECT consortium_id FROM consortium_partners WHERE organisation_id IN ({list}))")
            }
        };
        let sql =
            format!("SELECT id FROM consortia WHERE ($1 IS NULL OR call_id = $1) AND {scope} ORDER BY id LIMIT 1000");
        let mut query = sqlx::query_scalar::<Db, String>(&sql).bind(call);
        for id in organisations.unwrap_or_default() {
            query = query.bind(id);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    pub(crate) async fn update_consortium(
        &self,
        id: &str,
        expected_version: Option<i64>,
        name: &str,
        partners: &[PartnerRow],
    ) -> Result<ConsortiumBundle> {
        let mut tx = self.begin().await?;
        let version: i64 = sqlx::query_scalar("SELECT version FROM consortia WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if expected_version.is_some_and(|v| v != version) {
            return Err(StoreError::Stale);
        }
        let record = sqlx::query_as::<Db, ConsortiumRecord>(&format!(
            "UPDATE consortia SET name = $2, version = version + 1, updated_at = $3 WHERE id = $1 RETURNING {COLUMNS}"
        ))
        .bind(id)
        .bind(name)
        .bind(Utc::now())
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM consortium_partners WHERE consortium_id = $1").bind(id).execute(&mut *tx).await?;
        write_partners(&mut tx, id, partners).await?;
        Self::append_change(&mut tx, "consortium", id, "update").await?;
        tx.commit().await?;
        Ok(ConsortiumBundle { record, partners: partners.to_vec() })
    }

    pub(crate) async fn delete_consortium(&self, id: &str) -> Result<bool> {
        let mut tx = self.begin().await?;
        let deleted =
            sqlx::query("DELETE FROM consortia WHERE id = $1").bind(id).execute(&mut *tx).await?.rows_affected() > 0;
        if deleted {
            Self::append_change(&mut tx, "consortium", id, "delete").await?;
        }
        tx.commit().await?;
        Ok(deleted)
    }

    /// Whether the two organisations are connected by an introduction (for `call`, or outside any call).
    pub(crate) async fn pair_connected(&self, a: &str, b: &str, call: &str) -> Result<bool> {
        let (x, y) = if a < b { (a, b) } else { (b, a) };
        Ok(sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM introductions WHERE organisation_a = $1 AND organisation_b = $2 \
             AND state = 'connected' AND (call_key = '' OR call_key = $3)",
        )
        .bind(x)
        .bind(y)
        .bind(call)
        .fetch_one(&self.pool)
        .await?
            > 0)
    }
}

async fn write_partners(tx: &mut Tx<'_>, id: &str, partners: &[PartnerRow]) -> Result<()> {
    for (position, partner) in partners.iter().enumerate() {
        sqlx::query(
            "INSERT INTO consortium_partners (consortium_id, position, organisation_id, role) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(i32::try_from(position).unwrap_or(i32::MAX))
        .bind(&partner.organisation)
        .bind(&partner.role)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
