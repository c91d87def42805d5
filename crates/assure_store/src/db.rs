//! Connecting, migrating and opening transactions.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Executor};

pub type Conn = AnyConnection;
pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("record not found")]
    NotFound,
    /// A constraint refused the write; `name` is the constraint (or the database's message).
    #[error("constraint violated: {name}")]
    Constraint { kind: ConstraintKind, name: String },
    #[error("unsupported database URL: {0}")]
    UnsupportedUrl(String),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    /// Every pooled connection stayed in use for the whole acquire timeout: the service is at
    /// capacity (the caller may try again), not broken.
    #[error("every database connection is in use")]
    Busy,
    #[error(transparent)]
    Database(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("backup file: {0}")]
    Backup(String),
    /// A use-case asked for a second pooled connection while its task still held one. Under
    /// load every task can hold one and wait for another, and the pool deadlocks; refusing at
    /// once turns that into an error every test run sees.
    #[error("a second database connection was asked for while this task holds one")]
    NestedConnection,
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut => StoreError::Busy,
            other => StoreError::Database(other),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintKind {
    Unique,
    ForeignKey,
    Check,
    NotNull,
}

impl StoreError {
    /// Maps a database error from a write to [`StoreError::Constraint`] when a constraint refused
    /// it, by the driver's own classification (SQLSTATE on PostgreSQL, extended codes on SQLite).
    pub fn from_write(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error {
            let kind = match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => Some(ConstraintKind::Unique),
                sqlx::error::ErrorKind::ForeignKeyViolation => Some(ConstraintKind::ForeignKey),
                sqlx::error::ErrorKind::CheckViolation => Some(ConstraintKind::Check),
                sqlx::error::ErrorKind::NotNullViolation => Some(ConstraintKind::NotNull),
                _ => None,
            };
            if let Some(kind) = kind {
                let name = db.constraint().map(str::to_owned).unwrap_or_else(|| db.message().to_owned());
                return StoreError::Constraint { kind, name };
            }
        }
        StoreError::from(error)
    }

    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Constraint { kind: ConstraintKind::Unique, .. })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> StoreResult<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            let scheme = url.split(':').next().unwrap_or_default();
            Err(StoreError::UnsupportedUrl(format!(
                "the scheme \"{scheme}\" is not supported; use sqlite://PATH or postgres://USER@HOST/DATABASE"
            )))
        }
    }
}

tokio::task_local! {
    /// How many pooled connections the current task holds, where the task runs inside
    /// [`one_connection_per_task`] (every request and every CLI command does).
    static HELD: std::cell::Cell<u32>;
}

/// Runs `work` so that it may hold at most one pooled connection at a time: asking for a
/// second while holding one fails with [`StoreError::NestedConnection`] instead of waiting.
///
/// With a pool of N connections, N tasks each holding one and waiting for another deadlock the
/// pool; a use-case that needs two reads takes them through the connection it already holds.
pub async fn one_connection_per_task<F: std::future::Future>(work: F) -> F::Output {
    HELD.scope(std::cell::Cell::new(0), work).await
}

/// The count of connections one task holds; decremented when the connection is returned.
#[derive(Debug)]
struct Lease {
    tracked: bool,
}

impl Lease {
    fn take() -> StoreResult<Lease> {
        match HELD.try_with(|held| {
            if held.get() > 0 {
                false
            } else {
                held.set(1);
                true
            }
        }) {
            Ok(true) => Ok(Lease { tracked: true }),
            Ok(false) => Err(StoreError::NestedConnection),
            // Outside a scope (a test calling the store directly): nothing to count.
            Err(_) => Ok(Lease { tracked: false }),
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if self.tracked {
            let _ = HELD.try_with(|held| held.set(held.get().saturating_sub(1)));
        }
    }
}

/// A pooled connection for reads (and the few writes that need no audit entry).
#[derive(Debug)]
pub struct ReadConn {
    conn: sqlx::pool::PoolConnection<sqlx::Any>,
    _lease: Lease,
}

impl std::ops::Deref for ReadConn {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.conn
    }
}

impl std::ops::DerefMut for ReadConn {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.conn
    }
}

/// Whether the current task holds a pooled connection (inside [`one_connection_per_task`]).
/// A use-case that waits for another task's database work (the group commit of the audit log)
/// must hold none, or the two could wait on each other.
pub fn holds_connection() -> bool {
    HELD.try_with(|held| held.get() > 0).unwrap_or(false)
}

/// The database handle shared by the whole process.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    /// One connection of its own for the audit log's group commit, so that logging never
    /// waits for the pool that the requests it logs for are using.
    log_pool: AnyPool,
    backend: Backend,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Opens the database named by `url`, creating a SQLite file if it does not exist.
    /// Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool_options = |size: u32| {
            AnyPoolOptions::new().max_connections(size).acquire_timeout(Duration::from_secs(10)).after_connect(
                move |conn, _| {
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            // The SQLite pragmas, in one place: WAL for concurrent readers,
                            // foreign keys enforced, and waiting (not failing) when another
                            // writer holds the lock.
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA busy_timeout = 10000").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                        }
                        Ok(())
                    })
                },
            )
        };
        let pool = pool_options(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        })
        .connect_with(options.clone())
        .await?;
        if backend == Backend::Sqlite && !url.contains("mode=ro") {
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        let log_pool = pool_options(1).connect_lazy_with(options);
        Ok(Store { pool, log_pool, backend })
    }

    pub async fn migrate(&self) -> StoreResult<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A connection for reads. A task holds at most one at a time (see
    /// [`one_connection_per_task`]).
    pub async fn read(&self) -> StoreResult<ReadConn> {
        let lease = Lease::take()?;
        Ok(ReadConn { conn: self.pool.acquire().await?, _lease: lease })
    }

    /// A write transaction. It first locks the audit chain's head row, so that writers are
    /// ordered (the chain stays linear) and, on SQLite, the write lock is taken before any read
    /// (a deferred transaction that reads first can fail when it later tries to write).
    pub async fn write(&self) -> StoreResult<WriteTx> {
        let lease = Lease::take()?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *tx).await?;
        Ok(WriteTx { tx, _lease: lease })
    }

    /// A write transaction on the audit log's own connection, for the group commit of
    /// restricted reads (which runs in its own task, holding no pooled connection).
    pub async fn write_log(&self) -> StoreResult<WriteTx> {
        let mut tx = self.log_pool.begin().await?;
        sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *tx).await?;
        Ok(WriteTx { tx, _lease: Lease { tracked: false } })
    }

    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.log_pool.close().await;
        self.pool.close().await;
    }
}

/// A write transaction holding the audit head lock. Dropped without [`WriteTx::commit`], it rolls back.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _lease: Lease,
}

impl WriteTx {
    pub async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await?;
        Ok(())
    }

    pub fn conn(&mut self) -> &mut Conn {
        &mut self.tx
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}

/// The current time as stored: RFC 3339 UTC with microseconds, which sorts as text.
pub fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn parse_date(field: &str, raw: Option<String>) -> StoreResult<Option<chrono::NaiveDate>> {
    raw.map(|s| {
        chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| StoreError::Corrupt(format!("{field}: {s}")))
    })
    .transpose()
}

pub(crate) fn date_text(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Flags are stored as 0/1 integers on both backends (sqlx's Any driver cannot decode SQLite's BOOLEAN).
/// A column holding one of a closed list's codes, read back as its value.
pub(crate) fn code<C: assure_domain::structure::Choice>(row: &sqlx::any::AnyRow, column: &str) -> StoreResult<C> {
    let raw: String = sqlx::Row::try_get(row, column)?;
    C::parse(&raw).ok_or_else(|| StoreError::Corrupt(format!("{column}: {raw}")))
}

pub(crate) fn flag(row: &sqlx::any::AnyRow, column: &str) -> StoreResult<bool> {
    use sqlx::Row;
    Ok(row.try_get::<i64, _>(column)? != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_timeout_is_busy_and_other_failures_are_database_errors() {
        assert!(matches!(StoreError::from(sqlx::Error::PoolTimedOut), StoreError::Busy));
        assert!(matches!(StoreError::from(sqlx::Error::PoolClosed), StoreError::Database(_)));
    }
}
