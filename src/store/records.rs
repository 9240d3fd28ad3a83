//! Rows as the store returns them, the same for both engines.
use chrono::{DateTime, Utc};
use sqlx::types::Json;

use crate::domain::organisation::{Contact, Profile};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRecord {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub language: String,
    pub created_at: DateTime<Utc>,
}

/// An account about to be written; the password is already hashed.
pub struct NewAccountRow<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub language: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipRecord {
    pub organisation_id: String,
    pub legal_name: String,
    pub role: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRecord {
    pub account_id: String,
    pub email: String,
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganisationRecord {
    pub id: String,
    pub profile: Json<Profile>,
    pub contact: Option<Json<Contact>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Offer,
    Need,
}

impl ItemKind {
    pub fn table(self) -> &'static str {
        match self {
            ItemKind::Offer => "offers",
            ItemKind::Need => "needs",
        }
    }

    pub fn entity(self) -> &'static str {
        match self {
            ItemKind::Offer => "offer",
            ItemKind::Need => "need",
        }
    }
}

/// An offer or a need: its body is the domain type as JSON.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRecord {
    pub id: String,
    pub organisation_id: String,
    pub body: Json<serde_json::Value>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Its title and description analysed for matching (`matching::analysis::Analysed`), written with it.
    pub analysis: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChangeRecord {
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
    pub op: String,
    pub at: DateTime<Utc>,
}

/// A write and the change-log sequence number that records it (clients can wait for the index to reach it).
#[derive(Debug, Clone)]
pub struct Written<T> {
    pub value: T,
    pub seq: i64,
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallRecord {
    pub id: String,
    pub slug: String,
    pub body: Json<crate::domain::call::CallBody>,
    pub published: bool,
    pub archived: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantRecord {
    pub organisation_id: String,
    pub added_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IntroductionRecord {
    pub id: String,
    /// The call's id, or empty outside any call.
    pub call_key: String,
    pub from_org: String,
    pub to_org: String,
    /// The account that proposed it.
    pub proposed_by: String,
    pub by_broker: bool,
    pub state: String,
    pub accepted_by: Json<Vec<String>>,
    pub message: String,
    pub decline_reason: Option<String>,
    pub decline_text: Option<String>,
    pub declined_by: Option<String>,
    pub expires_at_ms: i64,
    pub remind_at_ms: i64,
    pub reminded: bool,
    pub answered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl IntroductionRecord {
    pub fn call(&self) -> Option<&str> {
        (!self.call_key.is_empty()).then_some(self.call_key.as_str())
    }

    pub fn sides(&self) -> [&str; 2] {
        [&self.from_org, &self.to_org]
    }

    /// The sides whose answer is still awaited.
    pub fn awaited(&self) -> Vec<String> {
        self.sides().into_iter().filter(|s| !self.accepted_by.0.iter().any(|a| a == s)).map(str::to_owned).collect()
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRecord {
    pub at: DateTime<Utc>,
    pub by_account: Option<String>,
    pub by_organisation: Option<String>,
    pub action: String,
}

/// A proposal about to be written.
pub struct NewIntroduction<'a> {
    pub call_key: &'a str,
    pub from_org: &'a str,
    pub to_org: &'a str,
    pub proposed_by: &'a str,
    pub by_broker: bool,
    pub message: &'a str,
    pub expires_at_ms: i64,
    pub remind_at_ms: i64,
    pub max_pending: i64,
}

/// What happens to an open introduction.
#[derive(Debug, Clone)]
pub enum IntroductionAction {
    Accept { organisation: String },
    Decline { organisation: String, reason: String, text: Option<String> },
    Withdraw,
    Remind,
    Expire,
}

/// An introduction with its history, as one unit.
#[derive(Debug, Clone)]
pub struct IntroductionBundle {
    pub record: IntroductionRecord,
    pub history: Vec<HistoryRecord>,
    /// Each side's contact, filled only once connected.
    pub contacts: Vec<(String, Contact)>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRecord {
    pub id: String,
    pub event_id: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub data: Json<serde_json::Value>,
    pub read: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WebhookRecord {
    pub id: String,
    pub url: String,
    pub events: Json<Vec<String>>,
    pub secret: String,
    pub organisation_id: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A delivery the notifier has claimed, with the event it carries.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryJob {
    pub id: String,
    pub event_id: String,
    pub channel: String,
    pub target: String,
    pub attempts: i32,
    pub first_attempt_ms: Option<i64>,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub data: Json<serde_json::Value>,
    pub event_created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRecord {
    pub event_id: String,
    pub attempt: i32,
    pub status: String,
    pub at: DateTime<Utc>,
}

impl IntroductionBundle {
    /// The introduction as the API and events show it. Contacts appear only once connected (they are loaded only
    /// then); the free text of a decline only when `with_decline_text` (the declining side and cluster staff).
    pub fn view(&self, with_decline_text: bool) -> serde_json::Value {
        let r = &self.record;
        let expires_at = DateTime::<Utc>::from_timestamp_millis(r.expires_at_ms);
        let history: Vec<serde_json::Value> = self
            .history
            .iter()
            .map(|h| {
                serde_json::json!({
                    "at": h.at, "by": h.by_organisation.as_deref().or(h.by_account.as_deref()),
                    "by_account": h.by_account, "by_organisation": h.by_organisation, "action": h.action,
                })
            })
            .collect();
        let mut view = serde_json::json!({
            "id": r.id, "from": r.from_org, "to": r.to_org, "call": r.call(), "state": r.state,
            "accepted_by": r.accepted_by.0, "awaiting": if r.state == "proposed" { r.awaited() } else { Vec::new() },
            "proposed_by": r.proposed_by, "by_broker": r.by_broker, "message": r.message,
            "expires_at": expires_at, "created_at": r.created_at, "updated_at": r.updated_at, "history": history,
        });
        if r.state == "connected" {
            let contacts: serde_json::Map<String, serde_json::Value> = self
                .contacts
                .iter()
                .map(|(org, c)| {
                    (org.clone(), serde_json::json!({ "name": c.name, "email": c.email, "phone": c.phone }))
                })
                .collect();
            view["contacts"] = serde_json::Value::Object(contacts);
        }
        if r.state == "declined" {
            view["decline_reason"] = serde_json::json!(r.decline_reason);
            view["declined_by"] = serde_json::json!(r.declined_by);
            if with_decline_text {
                view["decline_text"] = serde_json::json!(r.decline_text);
            }
        }
        view
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsortiumRecord {
    pub id: String,
    pub call_id: String,
    pub name: String,
    pub created_by: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One partner of a consortium and the call role it fills.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct PartnerRow {
    pub organisation: String,
    pub role: String,
}

#[derive(Debug, Clone)]
pub struct ConsortiumBundle {
    pub record: ConsortiumRecord,
    pub partners: Vec<PartnerRow>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRecord {
    pub id: String,
    pub call_id: String,
    pub name: String,
    pub starts_at: DateTime<Utc>,
    pub slot_minutes: i32,
    pub slots: i32,
    pub location: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub scheduled_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRecord {
    pub id: String,
    pub organisation_a: String,
    pub organisation_b: String,
    pub source: String,
    pub slot: Option<i32>,
    pub reason: Option<String>,
}

/// A new brokerage day.
pub struct NewEvent<'a> {
    pub call_id: &'a str,
    pub name: &'a str,
    pub starts_at: DateTime<Utc>,
    pub slot_minutes: i32,
    pub slots: i32,
    pub location: &'a str,
    pub created_by: &'a str,
}
