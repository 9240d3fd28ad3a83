//! The system of record. Two engines behind one interface, chosen by the database URL's scheme: SQLite (the
//! embedded default) and PostgreSQL (for several replicas). The SQL under `sql/` is written once and compiled for
//! each engine; only connection set-up and write ordering differ (`sqlite.rs`, `postgres.rs`).
//!
//! Every write appends change-log rows (sequence number, entity, id, operation) in the same transaction; the
//! search indexer consumes them in sequence order.
mod postgres;
mod records;
mod sqlite;

use chrono::{DateTime, Utc};

pub use records::*;

use crate::domain::call::Call;
use crate::domain::catalog::{Need, Offer};
use crate::domain::organisation::{Contact, Organisation};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("the resource changed since it was read")]
    Stale,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone)]
pub enum Store {
    Sqlite(sqlite::Backend),
    Postgres(postgres::Backend),
}

macro_rules! dispatch {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match $self {
            Store::Sqlite(b) => b.$method($($arg),*).await,
            Store::Postgres(b) => b.$method($($arg),*).await,
        }
    };
}

/// Who is reading: decides which unpublished organisations are visible.
#[derive(Debug, Clone, Copy)]
pub enum Viewer<'a> {
    Anonymous,
    Account(&'a str),
    WholeMarket,
}

impl Viewer<'_> {
    fn sql_params(&self) -> (bool, Option<&str>) {
        match self {
            Viewer::Anonymous => (false, None),
            Viewer::Account(id) => (false, Some(id)),
            Viewer::WholeMarket => (true, None),
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct OrganisationFilter {
    pub kind: Option<String>,
    pub country: Option<String>,
    pub technology: Option<String>,
    pub domain: Option<String>,
    pub sector: Option<String>,
}

/// One organisation with its offers and needs, as the import writes it.
pub struct ImportItem {
    pub organisation: Organisation,
    pub offers: Vec<Offer>,
    pub needs: Vec<Need>,
}

impl Store {
    /// Opens the database named by `url` and applies pending migrations.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        let store = if url.starts_with("sqlite:") {
            Store::Sqlite(sqlite::Backend::connect(url, max_connections).await?)
        } else {
            Store::Postgres(postgres::Backend::connect(url, max_connections).await?)
        };
        let backend = &store;
        dispatch!(backend.migrate())?;
        Ok(store)
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        dispatch!(self.close())
    }

    /// Database reachable and every embedded migration applied.
    pub async fn ready(&self) -> Result<bool> {
        dispatch!(self.ready())
    }

    pub async fn create_account(&self, account: &NewAccountRow<'_>) -> Result<AccountRecord> {
        dispatch!(self.create_account(account))
    }

    /// Creates the account, or gives an existing one the role and the new password.
    pub async fn upsert_account(&self, account: &NewAccountRow<'_>) -> Result<AccountRecord> {
        dispatch!(self.upsert_account(account))
    }

    pub async fn account(&self, id: &str) -> Result<AccountRecord> {
        dispatch!(self.account(id))
    }

    pub async fn account_by_email(&self, email: &str) -> Result<Option<(AccountRecord, String)>> {
        dispatch!(self.account_by_email(email))
    }

    pub async fn list_accounts(&self, after: Option<&str>, limit: i64) -> Result<Vec<AccountRecord>> {
        dispatch!(self.list_accounts(after, limit))
    }

    pub async fn set_role(&self, id: &str, role: &str) -> Result<AccountRecord> {
        dispatch!(self.set_role(id, role))
    }

    pub async fn create_session(&self, token_hash: &str, account_id: &str, expires_at: DateTime<Utc>) -> Result<()> {
        dispatch!(self.create_session(token_hash, account_id, expires_at))
    }

    pub async fn session_account(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<AccountRecord>> {
        dispatch!(self.session_account(token_hash, now))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        dispatch!(self.delete_session(token_hash))
    }

    pub async fn memberships(&self, account_id: &str) -> Result<Vec<MembershipRecord>> {
        dispatch!(self.memberships(account_id))
    }

    pub async fn member_role(&self, organisation_id: &str, account_id: &str) -> Result<Option<String>> {
        dispatch!(self.member_role(organisation_id, account_id))
    }

    pub async fn members(&self, organisation_id: &str) -> Result<Vec<MemberRecord>> {
        dispatch!(self.members(organisation_id))
    }

    pub async fn add_member(&self, organisation_id: &str, account_id: &str) -> Result<()> {
        dispatch!(self.add_member(organisation_id, account_id))
    }

    pub async fn remove_member(&self, organisation_id: &str, account_id: &str) -> Result<()> {
        dispatch!(self.remove_member(organisation_id, account_id))
    }

    pub async fn create_organisation(&self, owner: &str, org: &Organisation) -> Result<Written<OrganisationRecord>> {
        dispatch!(self.create_organisation(owner, org))
    }

    pub async fn organisation(&self, id: &str) -> Result<OrganisationRecord> {
        dispatch!(self.organisation(id))
    }

    pub async fn list_organisations(
        &self,
        filter: &OrganisationFilter,
        viewer: Viewer<'_>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<OrganisationRecord>> {
        dispatch!(self.list_organisations(filter, viewer, after, limit))
    }

    pub async fn update_organisation(
        &self,
        id: &str,
        expected_version: Option<i64>,
        org: &Organisation,
    ) -> Result<Written<OrganisationRecord>> {
        dispatch!(self.update_organisation(id, expected_version, org))
    }

    pub async fn delete_organisation(&self, id: &str) -> Result<i64> {
        dispatch!(self.delete_organisation(id))
    }

    pub async fn count_organisations(&self) -> Result<i64> {
        dispatch!(self.count_organisations())
    }

    pub async fn import(&self, items: &[ImportItem], owner: Option<&str>) -> Result<Vec<String>> {
        dispatch!(self.import(items, owner))
    }

    pub async fn create_item(
        &self,
        kind: ItemKind,
        organisation_id: &str,
        body: &serde_json::Value,
    ) -> Result<Written<ItemRecord>> {
        dispatch!(self.create_item(kind, organisation_id, body))
    }

    pub async fn item(&self, kind: ItemKind, organisation_id: &str, id: &str) -> Result<ItemRecord> {
        dispatch!(self.item(kind, organisation_id, id))
    }

    pub async fn list_items(
        &self,
        kind: ItemKind,
        organisation_id: &str,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ItemRecord>> {
        dispatch!(self.list_items(kind, organisation_id, after, limit))
    }

    pub async fn update_item(
        &self,
        kind: ItemKind,
        organisation_id: &str,
        id: &str,
        expected_version: Option<i64>,
        body: &serde_json::Value,
    ) -> Result<Written<ItemRecord>> {
        dispatch!(self.update_item(kind, organisation_id, id, expected_version, body))
    }

    pub async fn delete_item(&self, kind: ItemKind, organisation_id: &str, id: &str) -> Result<i64> {
        dispatch!(self.delete_item(kind, organisation_id, id))
    }

    pub async fn organisations_by_ids(&self, ids: &[String]) -> Result<Vec<OrganisationRecord>> {
        dispatch!(self.organisations_by_ids(ids))
    }

    /// Organisation ids in order, a page at a time (for rebuilding derived data).
    pub async fn organisation_ids(&self, after: Option<&str>, limit: i64) -> Result<Vec<String>> {
        dispatch!(self.organisation_ids(after, limit))
    }

    pub async fn items_of(&self, kind: ItemKind, organisation_ids: &[String]) -> Result<Vec<ItemRecord>> {
        dispatch!(self.items_of(kind, organisation_ids))
    }

    /// Analyses the offers and needs stored without a current analysis; how many rows were rewritten.
    pub async fn refresh_analyses(&self) -> Result<u64> {
        dispatch!(self.refresh_analyses())
    }

    pub async fn item_owners(&self, kind: ItemKind, ids: &[String]) -> Result<Vec<(String, String)>> {
        dispatch!(self.item_owners(kind, ids))
    }

    /// Records that `by` declined `other`, for one call or (with an empty `call`) for all.
    pub async fn decline_pair(&self, by: &str, other: &str, call: &str) -> Result<()> {
        dispatch!(self.decline_pair(by, other, call))
    }

    pub async fn undecline_pair(&self, by: &str, other: &str, call: &str) -> Result<bool> {
        dispatch!(self.undecline_pair(by, other, call))
    }

    pub async fn declined_partners(&self, organisation: &str, call: &str) -> Result<Vec<String>> {
        dispatch!(self.declined_partners(organisation, call))
    }

    /// An offer or a need by its id alone.
    pub async fn item_by_id(&self, kind: ItemKind, id: &str) -> Result<ItemRecord> {
        dispatch!(self.item_by_id(kind, id))
    }

    /// The newest change-log sequence number (0 when the log is empty).
    pub async fn last_seq(&self) -> Result<i64> {
        dispatch!(self.last_seq())
    }

    /// Change-log rows after `after_seq`, oldest first.
    pub async fn changes_after(&self, after_seq: i64, limit: i64) -> Result<Vec<ChangeRecord>> {
        dispatch!(self.changes_after(after_seq, limit))
    }
}

impl Store {
    pub async fn create_call(&self, call: &Call) -> Result<Written<CallRecord>> {
        dispatch!(self.create_call(call))
    }

    /// A call by its id or its slug.
    pub async fn call(&self, id_or_slug: &str) -> Result<CallRecord> {
        dispatch!(self.call(id_or_slug))
    }

    pub async fn list_calls(
        &self,
        include_unpublished: bool,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<CallRecord>> {
        dispatch!(self.list_calls(include_unpublished, after, limit))
    }

    pub async fn update_call(
        &self,
        id: &str,
        expected_version: Option<i64>,
        call: &Call,
    ) -> Result<Written<CallRecord>> {
        dispatch!(self.update_call(id, expected_version, call))
    }

    pub async fn add_participant(&self, call: &str, organisation: &str, by: &str) -> Result<bool> {
        dispatch!(self.add_participant(call, organisation, by))
    }

    pub async fn remove_participant(&self, call: &str, organisation: &str) -> Result<bool> {
        dispatch!(self.remove_participant(call, organisation))
    }

    pub async fn is_participant(&self, call: &str, organisation: &str) -> Result<bool> {
        dispatch!(self.is_participant(call, organisation))
    }

    pub async fn participants(
        &self,
        call: &str,
        published_only: bool,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ParticipantRecord>> {
        dispatch!(self.participants(call, published_only, after, limit))
    }

    pub async fn participant_ids(&self, call: &str) -> Result<Vec<String>> {
        dispatch!(self.participant_ids(call))
    }

    /// Proposes an introduction: refused (conflict) for a declined pair, an open one for the same pair and call,
    /// or an organisation at its cap of open proposals. Writes the `introduction.proposed` event.
    pub async fn propose_introduction(&self, new: &NewIntroduction<'_>) -> Result<IntroductionBundle> {
        dispatch!(self.propose_introduction(new))
    }

    pub async fn act_on_introduction(
        &self,
        id: &str,
        action: &IntroductionAction,
        by: Option<&str>,
    ) -> Result<IntroductionBundle> {
        dispatch!(self.act_on_introduction(id, action, by))
    }

    pub async fn introduction(&self, id: &str) -> Result<IntroductionBundle> {
        dispatch!(self.introduction(id))
    }

    pub async fn list_introductions(
        &self,
        organisations: Option<&[String]>,
        state: Option<&str>,
        call: Option<&str>,
        before: Option<&str>,
        limit: i64,
    ) -> Result<Vec<IntroductionRecord>> {
        dispatch!(self.list_introductions(organisations, state, call, before, limit))
    }

    pub async fn due_introductions(&self, now_ms: i64, limit: i64) -> Result<Vec<(String, bool)>> {
        dispatch!(self.due_introductions(now_ms, limit))
    }

    pub async fn connected_with(&self, account: &str, organisation: &str) -> Result<bool> {
        dispatch!(self.connected_with(account, organisation))
    }

    pub async fn dispatch_outbox(&self, limit: i64, now_ms: i64) -> Result<usize> {
        dispatch!(self.dispatch_outbox(limit, now_ms))
    }

    pub async fn claim_deliveries(&self, now_ms: i64, lease_ms: i64, limit: i64) -> Result<Vec<DeliveryJob>> {
        dispatch!(self.claim_deliveries(now_ms, lease_ms, limit))
    }

    pub async fn record_attempt(
        &self,
        job: &DeliveryJob,
        status: &str,
        delivered: bool,
        next_attempt_ms: Option<i64>,
        now_ms: i64,
    ) -> Result<()> {
        dispatch!(self.record_attempt(job, status, delivered, next_attempt_ms, now_ms))
    }

    pub async fn notifications(
        &self,
        account: &str,
        before: Option<&str>,
        limit: i64,
    ) -> Result<Vec<NotificationRecord>> {
        dispatch!(self.notifications(account, before, limit))
    }

    pub async fn mark_read(&self, account: &str, ids: Option<&[String]>) -> Result<u64> {
        dispatch!(self.mark_read(account, ids))
    }

    pub async fn create_webhook(
        &self,
        url: &str,
        events: &[String],
        secret: &str,
        organisation: Option<&str>,
        created_by: &str,
    ) -> Result<WebhookRecord> {
        dispatch!(self.create_webhook(url, events, secret, organisation, created_by))
    }

    pub async fn webhook(&self, id: &str) -> Result<WebhookRecord> {
        dispatch!(self.webhook(id))
    }

    pub async fn list_webhooks(&self, account: Option<&str>) -> Result<Vec<WebhookRecord>> {
        dispatch!(self.list_webhooks(account))
    }

    pub async fn delete_webhook(&self, id: &str) -> Result<bool> {
        dispatch!(self.delete_webhook(id))
    }

    pub async fn create_consortium(
        &self,
        call: &str,
        name: &str,
        partners: &[PartnerRow],
        created_by: &str,
    ) -> Result<ConsortiumBundle> {
        dispatch!(self.create_consortium(call, name, partners, created_by))
    }

    pub async fn consortium(&self, id: &str) -> Result<ConsortiumBundle> {
        dispatch!(self.consortium(id))
    }

    pub async fn consortium_ids(&self, call: Option<&str>, organisations: Option<&[String]>) -> Result<Vec<String>> {
        dispatch!(self.consortium_ids(call, organisations))
    }

    pub async fn update_consortium(
        &self,
        id: &str,
        expected_version: Option<i64>,
        name: &str,
        partners: &[PartnerRow],
    ) -> Result<ConsortiumBundle> {
        dispatch!(self.update_consortium(id, expected_version, name, partners))
    }

    pub async fn delete_consortium(&self, id: &str) -> Result<bool> {
        dispatch!(self.delete_consortium(id))
    }

    pub async fn declined_pairs_for(&self, call: &str) -> Result<Vec<(String, String)>> {
        dispatch!(self.declined_pairs_for(call))
    }

    pub async fn create_event(&self, new: &NewEvent<'_>) -> Result<EventRecord> {
        dispatch!(self.create_event(new))
    }

    pub async fn event(&self, id: &str) -> Result<EventRecord> {
        dispatch!(self.event(id))
    }

    pub async fn set_availability(&self, event: &str, organisation: &str, slots: &[i32]) -> Result<()> {
        dispatch!(self.set_availability(event, organisation, slots))
    }

    pub async fn availability(&self, event: &str) -> Result<Vec<(String, Vec<i32>)>> {
        dispatch!(self.availability(event))
    }

    pub async fn add_meeting(&self, event: &str, a: &str, b: &str, source: &str) -> Result<MeetingRecord> {
        dispatch!(self.add_meeting(event, a, b, source))
    }

    pub async fn meetings(&self, event: &str) -> Result<Vec<MeetingRecord>> {
        dispatch!(self.meetings(event))
    }

    pub async fn set_meeting_slot(&self, event: &str, meeting: &str, slot: Option<i32>) -> Result<bool> {
        dispatch!(self.set_meeting_slot(event, meeting, slot))
    }

    pub async fn save_schedule(&self, event: &str, placed: &[(String, Option<i32>, Option<String>)]) -> Result<()> {
        dispatch!(self.save_schedule(event, placed))
    }

    pub async fn pair_connected(&self, a: &str, b: &str, call: &str) -> Result<bool> {
        dispatch!(self.pair_connected(a, b, call))
    }

    pub async fn webhook_attempts(&self, webhook: &str, limit: i64) -> Result<Vec<AttemptRecord>> {
        dispatch!(self.webhook_attempts(webhook, limit))
    }
}

/// The private contact of an organisation, split from its public profile at the storage boundary.
pub fn contact_of(record: &OrganisationRecord) -> Option<&Contact> {
    record.contact.as_ref().map(|c| &c.0)
}
