//! The notifier task: the transactional outbox turned into in-app notifications, e-mails and signed webhooks,
//! plus the timer that reminds and expires unanswered introductions.
//!
//! Every introduction change writes its events to the `outbox` table in the transaction of the change. The
//! notifier (one per replica; several share the work through row locks and leases) fans each event out into
//! notifications and delivery rows, then attempts the deliveries that are due, retrying failures with
//! exponential back-off. Nothing lives only in memory, so a restart resumes where the last run stopped; delivery
//! is at least once, and receivers drop duplicates by event id.
pub mod mail;
pub mod webhook;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use futures_util::StreamExt;
use lettre::message::Mailbox;
use serde_json::json;
use tokio::sync::{Notify, watch};

use crate::config::Settings;
use crate::domain::introduction::Event;
use crate::domain::taxonomy::Lang;
use crate::store::{DeliveryJob, IntroductionAction, Store, StoreError};

/// How long a claimed delivery stays reserved for the notifier that claimed it.
const LEASE: Duration = Duration::from_secs(120);
const BATCH: i64 = 100;

pub struct Notifier {
    store: Store,
    settings: Settings,
    http: reqwest::Client,
    mailer: mail::Mailer,
    from: Mailbox,
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// When to try again after `attempts` failed attempts, or `None` once `give_up_after` has passed since the first.
pub fn next_attempt(settings: &crate::config::WebhookSettings, attempts: i32, first_ms: i64, now: i64) -> Option<i64> {
    let exponent = u32::try_from(attempts.max(1) - 1).unwrap_or(0).min(30);
    let delay = settings.retry_base.saturating_mul(1 << exponent).min(settings.retry_max);
    let at = now + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX / 2);
    let deadline = first_ms + i64::try_from(settings.give_up_after.as_millis()).unwrap_or(i64::MAX / 2);
    (at <= deadline).then_some(at)
}

impl Notifier {
    pub fn new(store: Store, settings: Settings) -> anyhow::Result<Self> {
        let (mailer, from) = mail::Mailer::new(&settings)?;
        let http = reqwest::Client::builder()
            .timeout(settings.webhooks.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Tandem-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { store, settings, http, mailer, from })
    }

    /// Runs until `stop` turns true; `wake` makes it look at once (a write on this replica).
    pub async fn run(self, wake: Arc<Notify>, mut stop: watch::Receiver<bool>) {
        loop {
            if let Err(error) = self.tick().await {
                if *stop.borrow() {
                    // Shutting down: the database may already be gone (tests drop theirs at once).
                    tracing::debug!(%error, "notifier round failed while stopping");
                    break;
                }
                tracing::warn!(%error, "notifier round failed; retrying");
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(self.settings.notifier.poll_interval) => {}
                _ = stop.changed() => {}
            }
            if *stop.borrow() {
                break;
            }
        }
    }

    /// One round: due reminders and expiries, then fan-out, then due deliveries.
    pub async fn tick(&self) -> Result<(), StoreError> {
        for (id, expires) in self.store.due_introductions(now_ms(), BATCH).await? {
            let action = if expires { IntroductionAction::Expire } else { IntroductionAction::Remind };
            match self.store.act_on_introduction(&id, &action, None).await {
                // Another replica, or an answer, got there first.
                Ok(_) | Err(StoreError::Conflict(_)) | Err(StoreError::NotFound) => {}
                Err(error) => return Err(error),
            }
        }
        while self.store.dispatch_outbox(BATCH, now_ms()).await? > 0 {}
        let lease = i64::try_from(LEASE.as_millis()).unwrap_or(120_000);
        let limit = i64::try_from(self.settings.notifier.concurrency * 4).unwrap_or(32);
        loop {
            let jobs = self.store.claim_deliveries(now_ms(), lease, limit).await?;
            if jobs.is_empty() {
                return Ok(());
            }
            let results: Vec<Result<(), StoreError>> = futures_util::stream::iter(jobs)
                .map(|job| self.deliver(job))
                .buffer_unordered(self.settings.notifier.concurrency)
                .collect()
                .await;
            for result in results {
                result?;
            }
        }
    }

    async fn deliver(&self, job: DeliveryJob) -> Result<(), StoreError> {
        let outcome = match job.channel.as_str() {
            "email" => self.send_email(&job).await,
            _ => self.post_webhook(&job).await,
        };
        let now = now_ms();
        let (status, delivered, next) = match outcome {
            Ok(status) => (status, true, None),
            Err(Failure::Permanent(status)) => (status, false, None),
            Err(Failure::Retry(status)) => {
                let next =
                    next_attempt(&self.settings.webhooks, job.attempts + 1, job.first_attempt_ms.unwrap_or(now), now);
                (status, false, next)
            }
        };
        if !delivered {
            tracing::info!(channel = %job.channel, target = %job.target, event = %job.event_id, %status, retry = next.is_some(), "delivery failed");
        }
        self.store.record_attempt(&job, &status, delivered, next, now).await
    }

    async fn send_email(&self, job: &DeliveryJob) -> Result<String, Failure> {
        let account = match self.store.account(&job.target).await {
            Ok(account) => account,
            Err(StoreError::NotFound) => return Err(Failure::Permanent("account deleted".to_owned())),
            Err(error) => return Err(Failure::Retry(error.to_string())),
        };
        let Some(event) = Event::parse(&job.kind) else {
            return Err(Failure::Permanent(format!("unknown event type {}", job.kind)));
        };
        let lang = if account.language == "fr" { Lang::Fr } else { Lang::En };
        let data = &job.data.0;
        let name_of = |id: Option<&str>| {
            let id = id.map(str::to_owned);
            async move {
                match id {
                    Some(id) => self.store.organisation(&id).await.map(|r| r.profile.0.legal_name).unwrap_or(id),
                    None => String::new(),
                }
            }
        };
        let from_name = name_of(data.get("from").and_then(|v| v.as_str())).await;
        let to_name = name_of(data.get("to").and_then(|v| v.as_str())).await;
        let call_name = match data.get("call").and_then(|v| v.as_str()) {
            Some(call) => self.store.call(call).await.ok().map(|c| c.body.0.name.get(lang).to_owned()),
            None => None,
        };
        let (subject, body) = mail::compose(&mail::Letter {
            event,
            lang,
            recipient_name: &account.name,
            from_name: &from_name,
            to_name: &to_name,
            call_name: call_name.as_deref(),
            data,
        });
        let to = match format!("{} <{}>", account.name.replace(['<', '>', '"'], ""), account.email).parse::<Mailbox>() {
            Ok(to) => to,
            Err(_) => match account.email.parse::<Mailbox>() {
                Ok(to) => to,
                Err(e) => return Err(Failure::Permanent(format!("bad recipient address: {e}"))),
            },
        };
        let message = mail::message(&self.from, to, subject, body).map_err(Failure::Permanent)?;
        self.mailer.send(message).await.map_err(Failure::Retry)?;
        Ok("sent".to_owned())
    }

    async fn post_webhook(&self, job: &DeliveryJob) -> Result<String, Failure> {
        let hook = match self.store.webhook(&job.target).await {
            Ok(hook) => hook,
            Err(StoreError::NotFound) => return Err(Failure::Permanent("webhook deleted".to_owned())),
            Err(error) => return Err(Failure::Retry(error.to_string())),
        };
        // Checked again at each delivery: a name may resolve elsewhere than when the webhook was registered.
        let url = webhook::check_url(&hook.url, self.settings.webhooks.allow_private).await.map_err(Failure::Retry)?;
        let body = json!({
            "id": job.event_id, "type": job.kind, "created_at": job.event_created_at, "data": job.data.0,
        });
        let bytes = serde_json::to_vec(&body).map_err(|e| Failure::Permanent(e.to_string()))?;
        let signature = webhook::signature(&hook.secret, Utc::now().timestamp(), &bytes);
        let response = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("Tandem-Signature", signature)
            .header("Tandem-Event-Id", job.event_id.as_str())
            .body(bytes)
            .send()
            .await
            .map_err(|e| Failure::Retry(format!("request failed: {e}")))?;
        let status = response.status();
        if status.is_success() {
            Ok(status.as_u16().to_string())
        } else {
            Err(Failure::Retry(status.as_u16().to_string()))
        }
    }
}

/// A failed attempt: worth retrying, or not.
enum Failure {
    Retry(String),
    Permanent(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::WebhookSettings;

    #[test]
    fn retries_double_up_to_the_cap_and_stop_after_three_days() {
        let settings = WebhookSettings {
            retry_base: Duration::from_secs(5),
            retry_max: Duration::from_secs(3600),
            give_up_after: Duration::from_secs(3 * 86_400),
            timeout: Duration::from_secs(10),
            allow_private: false,
        };
        let delays: Vec<i64> = (1..=12).map(|n| next_attempt(&settings, n, 0, 0).unwrap() / 1000).collect();
        assert_eq!(delays, vec![5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]);
        let three_days = 3 * 86_400_000;
        assert!(next_attempt(&settings, 40, 0, three_days - 10_000).is_none());
        assert!(next_attempt(&settings, 40, 0, three_days - 3_600_000).is_some());
    }
}
