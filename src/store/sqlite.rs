//! SQLite: one file, WAL journal, foreign keys on; write transactions begin IMMEDIATE so that a writer waits for
//! the lock (busy timeout) instead of failing when it upgrades from reading.
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::Result;

pub type Db = sqlx::Sqlite;
type Tx<'a> = sqlx::Transaction<'a, Db>;

/// Locks the rows a transaction reads before it changes them (SQLite's single writer already does).
const FOR_UPDATE: &str = "";
/// Lets several notifiers share the work: each claims rows that no other transaction holds.
const SKIP_LOCKED: &str = "";

#[derive(Clone)]
pub struct Backend {
    pool: sqlx::Pool<Db>,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

impl Backend {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        if let Some(parent) = options.get_filename().parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
        }
        let pool = SqlitePoolOptions::new().max_connections(max_connections).connect_with(options).await?;
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
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// SQLite has a single writer, so change-log rows become visible in sequence order by construction.
    async fn order_change_log(_tx: &mut Tx<'_>) -> Result<()> {
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
