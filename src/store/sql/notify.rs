//! The outbox's fan-out (in-app notifications, e-mail and webhook deliveries), delivery bookkeeping, and
//! webhook subscriptions. Compiled once per engine (`super::Db`).
use chrono::Utc;
use serde::Deserialize;
use sqlx::types::Json;

use super::{Backend, Db, SKIP_LOCKED};
use crate::store::{AttemptRecord, DeliveryJob, NotificationRecord, Result, StoreError, WebhookRecord, new_id};

#[derive(Deserialize)]
struct Audience {
    organisations: Vec<String>,
    accounts: Vec<String>,
}

const WEBHOOK_COLUMNS: &str = "id, url, events, secret, organisation_id, created_by, created_at";

impl Backend {
    /// Turns undispatched outbox rows into notifications and deliveries (at most `limit` events); returns how
    /// many events it handled. Each event is fanned out once: the rows are claimed and marked in one transaction.
    pub(crate) async fn dispatch_outbox(&self, limit: i64, now_ms: i64) -> Result<usize> {
        let mut tx = self.begin().await?;
        let events = sqlx::query_as::<
            Db,
            (i64, String, String, Json<Vec<String>>, Json<Audience>, Json<serde_json::Value>),
        >(&format!(
            "SELECT seq, event_id, type, organisations, audience, data FROM outbox WHERE NOT dispatched \
                 ORDER BY seq LIMIT $1{SKIP_LOCKED}"
        ))
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let now = Utc::now();
        for (seq, event_id, kind, Json(organisations), Json(audience), Json(data)) in &events {
            let mut accounts: Vec<String> = audience.accounts.clone();
            for organisation in &audience.organisations {
                let members: Vec<String> =
                    sqlx::query_scalar("SELECT account_id FROM memberships WHERE organisation_id = $1")
                        .bind(organisation)
                        .fetch_all(&mut *tx)
                        .await?;
                accounts.extend(members);
            }
            accounts.sort();
            accounts.dedup();
            for account in &accounts {
                sqlx::query(
                    "INSERT INTO notifications (id, account_id, event_id, type, data, read, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id, event_id) DO NOTHING",
                )
                .bind(new_id())
                .bind(account)
                .bind(event_id)
                .bind(kind)
                .bind(Json(data))
                .bind(false)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                insert_delivery(&mut tx, event_id, "email", account, now_ms).await?;
            }
            let hooks = sqlx::query_as::<Db, (String, Json<Vec<String>>, Option<String>)>(
                "SELECT id, events, organisation_id FROM webhooks",
            )
            .fetch_all(&mut *tx)
            .await?;
            for (hook, Json(events), organisation) in hooks {
                let concerned = organisation.as_ref().is_none_or(|o| organisations.contains(o));
                if concerned && events.iter().any(|e| e == kind) {
                    insert_delivery(&mut tx, event_id, "webhook", &hook, now_ms).await?;
                }
            }
            sqlx::query("UPDATE outbox SET dispatched = $2 WHERE seq = $1")
                .bind(seq)
                .bind(true)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(events.len())
    }

    /// Claims up to `limit` deliveries due at `now_ms` for `lease_ms` (another notifier skips them meanwhile).
    pub(crate) async fn claim_deliveries(&self, now_ms: i64, lease_ms: i64, limit: i64) -> Result<Vec<DeliveryJob>> {
        let mut tx = self.begin().await?;
        let ids: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_ms <= $1 AND lease_until_ms <= $1 \
             ORDER BY next_attempt_ms LIMIT $2{SKIP_LOCKED}"
        ))
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let mut jobs = Vec::with_capacity(ids.len());
        for id in &ids {
            sqlx::query("UPDATE deliveries SET lease_until_ms = $2 WHERE id = $1")
                .bind(id)
                .bind(now_ms + lease_ms)
                .execute(&mut *tx)
                .await?;
            let job = sqlx::query_as::<Db, DeliveryJob>(
                "SELECT d.id, d.event_id, d.channel, d.target, d.attempts, d.first_attempt_ms, o.type, o.data, \
                 o.created_at AS event_created_at FROM deliveries d JOIN outbox o ON o.event_id = d.event_id \
                 WHERE d.id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            jobs.push(job);
        }
        tx.commit().await?;
        Ok(jobs)
    }

    /// Logs one attempt; `next_attempt_ms` is when to try again, `None` when the delivery is over (`delivered`
    /// says how it ended).
    pub(crate) async fn record_attempt(
        &self,
        job: &DeliveryJob,
        status: &str,
        delivered: bool,
        next_attempt_ms: Option<i64>,
        now_ms: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let attempt = job.attempts + 1;
        sqlx::query(
            "INSERT INTO delivery_attempts (delivery_id, attempt, status, at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (delivery_id, attempt) DO NOTHING",
        )
        .bind(&job.id)
        .bind(attempt)
        .bind(status)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
        let state = match (delivered, next_attempt_ms) {
            (true, _) => "delivered",
            (false, Some(_)) => "pending",
            (false, None) => "failed",
        };
        sqlx::query(
            "UPDATE deliveries SET state = $2, attempts = $3, next_attempt_ms = $4, lease_until_ms = 0, \
             first_attempt_ms = COALESCE(first_attempt_ms, $5) WHERE id = $1",
        )
        .bind(&job.id)
        .bind(state)
        .bind(attempt)
        .bind(next_attempt_ms.unwrap_or(now_ms))
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn notifications(
        &self,
        account: &str,
        before: Option<&str>,
        limit: i64,
    ) -> Result<Vec<NotificationRecord>> {
        Ok(sqlx::query_as::<Db, NotificationRecord>(
            "SELECT id, event_id, type, data, read, created_at FROM notifications WHERE account_id = $1 \
             AND ($2 IS NULL OR id < $2) ORDER BY id DESC LIMIT $3",
        )
        .bind(account)
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Marks the given notifications read (all of them when `ids` is `None`); returns how many changed.
    pub(crate) async fn mark_read(&self, account: &str, ids: Option<&[String]>) -> Result<u64> {
        let mut changed = 0;
        match ids {
            None => {
                changed = sqlx::query("UPDATE notifications SET read = $2 WHERE account_id = $1 AND NOT read")
                    .bind(account)
                    .bind(true)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
            }
            Some(ids) => {
                for id in ids {
                    changed += sqlx::query(
                        "UPDATE notifications SET read = $3 WHERE account_id = $1 AND id = $2 AND NOT read",
                    )
                    .bind(account)
                    .bind(id)
                    .bind(true)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                }
            }
        }
        Ok(changed)
    }

    pub(crate) async fn create_webhook(
        &self,
        url: &str,
        events: &[String],
        secret: &str,
        organisation: Option<&str>,
        created_by: &str,
    ) -> Result<WebhookRecord> {
        Ok(sqlx::query_as::<Db, WebhookRecord>(&format!(
            "INSERT INTO webhooks ({WEBHOOK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {WEBHOOK_COLUMNS}"
        ))
        .bind(new_id())
        .bind(url)
        .bind(Json(events))
        .bind(secret)
        .bind(organisation)
        .bind(created_by)
        .bind(Utc::now())
        .fetch_one(&self.pool)
        .await?)
    }

    pub(crate) async fn webhook(&self, id: &str) -> Result<WebhookRecord> {
        sqlx::query_as::<Db, WebhookRecord>(&format!("SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Webhooks created by `account` (all of them when `None`).
    pub(crate) async fn list_webhooks(&self, account: Option<&str>) -> Result<Vec<WebhookRecord>> {
        Ok(sqlx::query_as::<Db, WebhookRecord>(&format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE ($1 IS NULL OR created_by = $1) ORDER BY id LIMIT 200"
        ))
        .bind(account)
        .fetch_all(&self.pool)
        .await?)
    }

    pub(crate) async fn delete_webhook(&self, id: &str) -> Result<bool> {
        Ok(sqlx::query("DELETE FROM webhooks WHERE id = $1").bind(id).execute(&self.pool).await?.rows_affected() > 0)
    }

    /// Attempts to deliver to one webhook, newest first.
    pub(crate) async fn webhook_attempts(&self, webhook: &str, limit: i64) -> Result<Vec<AttemptRecord>> {
        Ok(sqlx::query_as::<Db, AttemptRecord>(
            "SELECT d.event_id, a.attempt, a.status, a.at FROM delivery_attempts a \
             JOIN deliveries d ON d.id = a.delivery_id WHERE d.channel = 'webhook' AND d.target = $1 \
             ORDER BY a.at DESC, a.attempt DESC LIMIT $2",
        )
        .bind(webhook)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}

async fn insert_delivery(
    tx: &mut super::Tx<'_>,
    event_id: &str,
    channel: &str,
    target: &str,
    now_ms: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO deliveries (id, event_id, channel, target, state, attempts, next_attempt_ms, lease_until_ms, \
         first_attempt_ms, created_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, 0, NULL, $6) \
         ON CONFLICT (event_id, channel, target) DO NOTHING",
    )
    .bind(new_id())
    .bind(event_id)
    .bind(channel)
    .bind(target)
    .bind(now_ms)
    .bind(Utc::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
