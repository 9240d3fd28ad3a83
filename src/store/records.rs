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
