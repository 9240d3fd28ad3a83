//! Organisations and their filter tags. Compiled once per engine (`super::Db`).
use chrono::Utc;
use sqlx::types::Json;

use super::{Backend, Db, Tx};
use crate::domain::organisation::Organisation;
use crate::matching::analysis::Analyzers;
use crate::store::{
    ImportItem, ItemKind, OrganisationFilter, OrganisationRecord, Result, StoreError, Viewer, Written, new_id,
};

const COLUMNS: &str = "id, profile, contact, version, created_at, updated_at";

impl Backend {
    pub(crate) async fn create_organisation(
        &self,
        owner: &str,
        org: &Organisation,
    ) -> Result<Written<OrganisationRecord>> {
        let mut tx = self.begin().await?;
        let id = new_id();
        let value = insert_organisation(&mut tx, &id, org).await?;
        super::accounts::insert_membership(&mut tx, &id, owner, "owner").await?;
        let seq = Self::append_change(&mut tx, "organisation", &id, "create").await?;
        tx.commit().await?;
        Ok(Written { value, seq })
    }

    pub(crate) async fn organisation(&self, id: &str) -> Result<OrganisationRecord> {
        sqlx::query_as::<Db, OrganisationRecord>(&format!("SELECT {COLUMNS} FROM organisations WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub(crate) async fn list_organisations(
        &self,
        filter: &OrganisationFilter,
        viewer: Viewer<'_>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<OrganisationRecord>> {
        let (whole_market, member) = viewer.sql_params();
        let tag = |n: usize, facet: &str| {
            format!(
                "(${n} IS NULL OR EXISTS (SELECT 1 FROM organisation_tags t WHERE t.organisation_id = o.id \
                 AND t.facet = '{facet}' AND t.tag = ${n}))"
            )
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM organisations o WHERE ($1 IS NULL OR o.kind = $1) AND ($2 IS NULL OR o.country = $2) \
             AND {} AND {} AND {} AND ($6 IS NULL OR o.id > $6) \
             AND (o.published OR $7 OR EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id \
             AND m.account_id = $8)) ORDER BY o.id LIMIT $9",
            tag(3, "technology"),
            tag(4, "domain"),
            tag(5, "sector"),
        );
        Ok(sqlx::query_as::<Db, OrganisationRecord>(&sql)
            .bind(filter.kind.as_deref())
            .bind(filter.country.as_deref())
            .bind(filter.technology.as_deref())
            .bind(filter.domain.as_deref())
            .bind(filter.sector.as_deref())
            .bind(after)
            .bind(whole_market)
            .bind(member)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    pub(crate) async fn update_organisation(
        &self,
        id: &str,
        expected_version: Option<i64>,
        org: &Organisation,
    ) -> Result<Written<OrganisationRecord>> {
        let mut tx = self.begin().await?;
        let version: i64 = sqlx::query_scalar("SELECT version FROM organisations WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if expected_version.is_some_and(|expected| expected != version) {
            return Err(StoreError::Stale);
        }
        let p = &org.profile;
        let value = sqlx::query_as::<Db, OrganisationRecord>(&format!(
            "UPDATE organisations SET kind = $1, country = $2, legal_name = $3, registration_id = $4, is_sme = $5, \
             published = $6, profile = $7, contact = $8, version = version + 1, updated_at = $9 WHERE id = $10 \
             RETURNING {COLUMNS}"
        ))
        .bind(p.kind.as_str())
        .bind(&p.country)
        .bind(&p.legal_name)
        .bind(&p.registration_id)
        .bind(p.is_sme)
        .bind(p.published)
        .bind(Json(p))
        .bind(org.contact.as_ref().map(Json))
        .bind(Utc::now())
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM organisation_tags WHERE organisation_id = $1").bind(id).execute(&mut *tx).await?;
        insert_tags(&mut tx, id, org).await?;
        let seq = Self::append_change(&mut tx, "organisation", id, "update").await?;
        tx.commit().await?;
        Ok(Written { value, seq })
    }

    /// Deletes an organisation with its offers, needs and memberships; the change log records the organisation
    /// only, and the indexer drops every document that belongs to it.
    pub(crate) async fn delete_organisation(&self, id: &str) -> Result<i64> {
        let mut tx = self.begin().await?;
        let deleted = sqlx::query("DELETE FROM organisations WHERE id = $1").bind(id).execute(&mut *tx).await?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let seq = Self::append_change(&mut tx, "organisation", id, "delete").await?;
        tx.commit().await?;
        Ok(seq)
    }

    pub(crate) async fn count_organisations(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM organisations").fetch_one(&self.pool).await?)
    }

    /// Writes a batch of organisations with their offers and needs in one transaction: all or nothing. Each table
    /// gets a few multi-row statements rather than one statement a row (a statement is a round trip to the engine).
    pub(crate) async fn import(&self, items: &[ImportItem], owner: Option<&str>) -> Result<Vec<String>> {
        let now = Utc::now();
        let ids: Vec<String> = items.iter().map(|_| new_id()).collect();
        let mut offers: Vec<(String, &str, serde_json::Value, String)> = Vec::new();
        let mut needs: Vec<(String, &str, serde_json::Value, String)> = Vec::new();
        let mut analyzers = Analyzers::default();
        // In the order the indexer should apply them: an organisation's offers and needs, then the organisation.
        let mut changes: Vec<(&str, String)> = Vec::new();
        for (item, id) in items.iter().zip(&ids) {
            for offer in &item.offers {
                let body = serde_json::to_value(offer).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
                let analysis = analyzers.encoded(&body);
                offers.push((new_id(), id, body, analysis));
                changes.push(("offer", offers[offers.len() - 1].0.clone()));
            }
            for need in &item.needs {
                let body = serde_json::to_value(need).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
                let analysis = analyzers.encoded(&body);
                needs.push((new_id(), id, body, analysis));
                changes.push(("need", needs[needs.len() - 1].0.clone()));
            }
            changes.push(("organisation", id.clone()));
        }
        let tags: Vec<(&str, &str, &str)> = items
            .iter()
            .zip(&ids)
            .flat_map(|(item, id)| item.organisation.tag_rows().map(move |(f, t)| (id.as_str(), f.as_str(), t)))
            .collect();

        let mut tx = self.begin().await?;
        let rows: Vec<(&ImportItem, &String)> = items.iter().zip(&ids).collect();
        insert_rows(
            &mut tx,
            "INSERT INTO organisations (id, kind, country, legal_name, registration_id, is_sme, published, profile, \
             contact, version, created_at, updated_at) ",
            11,
            &rows,
            |mut b, (item, id)| {
                let p = &item.organisation.profile;
                b.push_bind(id.as_str())
                    .push_bind(p.kind.as_str())
                    .push_bind(p.country.as_str())
                    .push_bind(p.legal_name.as_str())
                    .push_bind(p.registration_id.as_deref())
                    .push_bind(p.is_sme)
                    .push_bind(p.published)
                    .push_bind(Json(p))
                    .push_bind(item.organisation.contact.as_ref().map(Json))
                    .push("1")
                    .push_bind(now)
                    .push_bind(now);
            },
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO organisation_tags (organisation_id, facet, tag) ",
            3,
            &tags,
            |mut b, (id, facet, tag)| {
                b.push_bind(*id).push_bind(*facet).push_bind(*tag);
            },
        )
        .await?;
        if let Some(owner) = owner {
            insert_rows(
                &mut tx,
                "INSERT INTO memberships (organisation_id, account_id, role, created_at) ",
                4,
                &ids,
                |mut b, id| {
                    b.push_bind(id.as_str()).push_bind(owner).push_bind("owner").push_bind(now);
                },
            )
            .await?;
        }
        for (kind, rows) in [(ItemKind::Offer, &offers), (ItemKind::Need, &needs)] {
            let head = format!(
                "INSERT INTO {} (id, organisation_id, body, version, created_at, updated_at, analysis) ",
                kind.table()
            );
            insert_rows(&mut tx, &head, 6, rows, |mut b, (id, organisation, body, analysis)| {
                b.push_bind(id.as_str())
                    .push_bind(*organisation)
                    .push_bind(Json(body))
                    .push("1")
                    .push_bind(now)
                    .push_bind(now)
                    .push_bind(analysis.as_str());
            })
            .await?;
        }
        Self::order_change_log(&mut tx).await?;
        insert_rows(
            &mut tx,
            "INSERT INTO change_log (entity, entity_id, op, at) ",
            4,
            &changes,
            |mut b, (entity, id)| {
                b.push_bind(*entity).push_bind(id.as_str()).push_bind("create").push_bind(now);
            },
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }
}

/// The most parameters one statement binds (SQLite allows 32,766, PostgreSQL 65,535).
const MAX_BINDS: usize = 30_000;

/// `head` followed by `VALUES (...), (...)` for `rows`, in as few statements as the parameter limit allows.
async fn insert_rows<'r, T: 'r>(
    tx: &mut Tx<'_>,
    head: &str,
    binds_per_row: usize,
    rows: &'r [T],
    mut push: impl FnMut(sqlx::query_builder::Separated<'_, 'r, Db, &'static str>, &'r T),
) -> Result<()> {
    for chunk in rows.chunks(MAX_BINDS / binds_per_row) {
        let mut builder = sqlx::QueryBuilder::<Db>::new(head);
        builder.push_values(chunk, &mut push);
        builder.build().execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_organisation(tx: &mut Tx<'_>, id: &str, org: &Organisation) -> Result<OrganisationRecord> {
    let p = &org.profile;
    let now = Utc::now();
    let record = sqlx::query_as::<Db, OrganisationRecord>(&format!(
        "INSERT INTO organisations (id, kind, country, legal_name, registration_id, is_sme, published, profile, \
         contact, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) \
         RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(p.kind.as_str())
    .bind(&p.country)
    .bind(&p.legal_name)
    .bind(&p.registration_id)
    .bind(p.is_sme)
    .bind(p.published)
    .bind(Json(p))
    .bind(org.contact.as_ref().map(Json))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    insert_tags(tx, id, org).await?;
    Ok(record)
}

async fn insert_tags(tx: &mut Tx<'_>, id: &str, org: &Organisation) -> Result<()> {
    for (facet, tag) in org.tag_rows() {
        sqlx::query("INSERT INTO organisation_tags (organisation_id, facet, tag) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(facet.as_str())
            .bind(tag)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Backend {
    pub(crate) async fn organisations_by_ids(&self, ids: &[String]) -> Result<Vec<OrganisationRecord>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("SELECT {COLUMNS} FROM organisations WHERE id IN ({})", placeholders(1, ids.len()));
        let mut query = sqlx::query_as::<Db, OrganisationRecord>(&sql);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    pub(crate) async fn organisation_ids(&self, after: Option<&str>, limit: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT id FROM organisations WHERE ($1 IS NULL OR id > $1) ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }
}

/// `$first, $first+1, ...`: `count` numbered placeholders for an `IN (...)` list.
pub(super) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}
