//! PostgreSQL: the engine for several stateless replicas.
//!
//! A sequence number is taken when a row is inserted, not when its transaction commits, so two concurrent writers
//! could make change-log rows visible out of order and an indexer that remembers "last applied = 11" would never
//! see 10. Every writer therefore takes one transaction-scoped advisory lock just before it appends to the change
//! log: appends happen one at a time, in sequence order. Reads are not affected.
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::Result;

pub type Db = sqlx::Postgres;
type Tx<'a> = sqlx::Transaction<'a, Db>;

/// The advisory lock key that orders change-log appends ("TANDEM" in ASCII, as a number).
const CHANGE_LOG_LOCK: i64 = 0x54_41_4E_44_45_4D;

/// Locks the rows a transaction reads before it changes them.
const FOR_UPDATE: &str = " FOR UPDATE";
/// Lets several notifiers share the work: each claims rows that no other transaction holds.
const SKIP_LOCKED: &str = " FOR UPDATE SKIP LOCKED";

#[derive(Clone)]
pub struct Backend {
    pool: sqlx::Pool<Db>,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Backend {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }

    pub(crate) async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    fn migrator() -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }

    async fn begin(&self) -> Result<Tx<'_>> {
        Ok(self.pool.begin().await?)
    }

    async fn order_change_log(tx: &mut Tx<'_>) -> Result<()> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(CHANGE_LOG_LOCK).execute(&mut **tx).await?;
        Ok(())
    }
}

// The engine-neutral SQL is compiled once per engine, on purpose: each copy sees this module's `Db`.
#[allow(clippy::duplicate_mod)]
#[path = "sql/accounts.rs"]
mod accounts;
#[allow(clippy::duplicate_mod)]
#[path = "sql/calls.rs"]
mod calls;
#[allow(clippy::duplicate_mod)]
#[path = "sql/common.rs"]
mod common;
#[allow(clippy::duplicate_mod)]
#[path = "sql/consortia.rs"]
mod consortia;
#[allow(clippy::duplicate_mod)]
#[path = "sql/declined.rs"]
mod declined;
#[allow(clippy::duplicate_mod)]
#[path = "sql/events.rs"]
mod events;
#[allow(clippy::duplicate_mod)]
#[path = "sql/introductions.rs"]
mod introductions;
#[allow(clippy::duplicate_mod)]
#[path = "sql/items.rs"]
mod items;
#[allow(clippy::duplicate_mod)]
#[path = "sql/notify.rs"]
mod notify;
#[allow(clippy::duplicate_mod)]
#[path = "sql/organisations.rs"]
mod organisations;
