//! Accounts, sessions and memberships. Compiled once per engine (`super::Db`).
use chrono::{DateTime, Utc};

use super::{Backend, Db};
use crate::store::{AccountRecord, MemberRecord, MembershipRecord, NewAccountRow, Result, StoreError, new_id};

const ACCOUNT_COLUMNS: &str = "id, email, name, role, language, created_at";

impl Backend {
    pub(crate) async fn create_account(&self, account: &NewAccountRow<'_>) -> Result<AccountRecord> {
        let mut tx = self.begin().await?;
        let taken: Option<String> = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
            .bind(account.email)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!("an account with the e-mail {} exists", account.email)));
        }
        let id = new_id();
        let record = insert_account(&mut tx, &id, account).await?;
        Self::append_change(&mut tx, "account", &id, "create").await?;
        tx.commit().await?;
        Ok(record)
    }

    pub(crate) async fn upsert_account(&self, account: &NewAccountRow<'_>) -> Result<AccountRecord> {
        let mut tx = self.begin().await?;
        let existing: Option<String> = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
            .bind(account.email)
            .fetch_optional(&mut *tx)
            .await?;
        let (id, record, op) = match existing {
            Some(id) => {
                let record = sqlx::query_as::<Db, AccountRecord>(&format!(
                    "UPDATE accounts SET role = $1, password_hash = $2 WHERE id = $3 RETURNING {ACCOUNT_COLUMNS}"
                ))
                .bind(account.role)
                .bind(account.password_hash)
                .bind(&id)
                .fetch_one(&mut *tx)
                .await?;
                (id, record, "update")
            }
            None => {
                let id = new_id();
                let record = insert_account(&mut tx, &id, account).await?;
                (id, record, "create")
            }
        };
        Self::append_change(&mut tx, "account", &id, op).await?;
        tx.commit().await?;
        Ok(record)
    }

    pub(crate) async fn account(&self, id: &str) -> Result<AccountRecord> {
        sqlx::query_as::<Db, AccountRecord>(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub(crate) async fn account_by_email(&self, email: &str) -> Result<Option<(AccountRecord, String)>> {
        let row =
            sqlx::query_as::<Db, AccountRecord>(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE email = $1"))
                .bind(email)
                .fetch_optional(&self.pool)
                .await?;
        let Some(account) = row else { return Ok(None) };
        let hash: String = sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
            .bind(&account.id)
            .fetch_one(&self.pool)
            .await?;
        Ok(Some((account, hash)))
    }

    pub(crate) async fn list_accounts(&self, after: Option<&str>, limit: i64) -> Result<Vec<AccountRecord>> {
        Ok(sqlx::query_as::<Db, AccountRecord>(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE ($1 IS NULL OR id > $1) ORDER BY id LIMIT $2"
        ))
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub(crate) async fn set_role(&self, id: &str, role: &str) -> Result<AccountRecord> {
        let mut tx = self.begin().await?;
        let record = sqlx::query_as::<Db, AccountRecord>(&format!(
            "UPDATE accounts SET role = $1 WHERE id = $2 RETURNING {ACCOUNT_COLUMNS}"
        ))
        .bind(role)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        Self::append_change(&mut tx, "account", id, "update").await?;
        tx.commit().await?;
        Ok(record)
    }

    pub(crate) async fn create_session(
        &self,
        token_hash: &str,
        account_id: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query("INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(account_id)
            .bind(Utc::now())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub(crate) async fn session_account(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<AccountRecord>> {
        Ok(sqlx::query_as::<Db, AccountRecord>(
            "SELECT a.id, a.email, a.name, a.role, a.language, a.created_at FROM sessions s \
             JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub(crate) async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    pub(crate) async fn memberships(&self, account_id: &str) -> Result<Vec<MembershipRecord>> {
        Ok(sqlx::query_as::<Db, MembershipRecord>(
            "SELECT m.organisation_id, o.legal_name, m.role FROM memberships m \
             JOIN organisations o ON o.id = m.organisation_id WHERE m.account_id = $1 ORDER BY m.organisation_id",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub(crate) async fn member_role(&self, organisation_id: &str, account_id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT role FROM memberships WHERE organisation_id = $1 AND account_id = $2")
            .bind(organisation_id)
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub(crate) async fn members(&self, organisation_id: &str) -> Result<Vec<MemberRecord>> {
        Ok(sqlx::query_as::<Db, MemberRecord>(
            "SELECT a.id AS account_id, a.email, a.name, m.role FROM memberships m \
             JOIN accounts a ON a.id = m.account_id WHERE m.organisation_id = $1 ORDER BY m.created_at, a.id",
        )
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub(crate) async fn add_member(&self, organisation_id: &str, account_id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let existing: Option<String> =
            sqlx::query_scalar("SELECT role FROM memberships WHERE organisation_id = $1 AND account_id = $2")
                .bind(organisation_id)
                .bind(account_id)
                .fetch_optional(&mut *tx)
                .await?;
        if existing.is_some() {
            return Err(StoreError::Conflict("this account is already a member".into()));
        }
        insert_membership(&mut tx, organisation_id, account_id, "member").await?;
        Self::append_change(&mut tx, "membership", organisation_id, "create").await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn remove_member(&self, organisation_id: &str, account_id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let role: Option<String> =
            sqlx::query_scalar("SELECT role FROM memberships WHERE organisation_id = $1 AND account_id = $2")
                .bind(organisation_id)
                .bind(account_id)
                .fetch_optional(&mut *tx)
                .await?;
        match role.as_deref() {
            None => return Err(StoreError::NotFound),
            Some("owner") => {
                return Err(StoreError::Conflict("the owner cannot be removed".into()));
            }
            Some(_) => {}
        }
        sqlx::query("DELETE FROM memberships WHERE organisation_id = $1 AND account_id = $2")
            .bind(organisation_id)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        Self::append_change(&mut tx, "membership", organisation_id, "delete").await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn insert_account(tx: &mut super::Tx<'_>, id: &str, account: &NewAccountRow<'_>) -> Result<AccountRecord> {
    Ok(sqlx::query_as::<Db, AccountRecord>(&format!(
        "INSERT INTO accounts (id, email, name, password_hash, role, language, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {ACCOUNT_COLUMNS}"
    ))
    .bind(id)
    .bind(account.email)
    .bind(account.name)
    .bind(account.password_hash)
    .bind(account.role)
    .bind(account.language)
    .bind(Utc::now())
    .fetch_one(&mut **tx)
    .await?)
}

pub(super) async fn insert_membership(
    tx: &mut super::Tx<'_>,
    organisation_id: &str,
    account_id: &str,
    role: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO memberships (organisation_id, account_id, role, created_at) VALUES ($1, $2, $3, $4)")
        .bind(organisation_id)
        .bind(account_id)
        .bind(role)
        .bind(Utc::now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
