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
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("backup file: {0}")]
    Backup(String),
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
        StoreError::Database(error)
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

/// The database handle shared by the whole process.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
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
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // The SQLite pragmas, in one place: WAL for concurrent readers, foreign
                        // keys enforced, and waiting (not failing) when another writer holds the lock.
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        if backend == Backend::Sqlite && !url.contains("mode=ro") {
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        Ok(Store { pool, backend })
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

    /// A connection for reads.
    pub async fn read(&self) -> StoreResult<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// A write transaction. It first locks the audit chain's head row, so that writers are
    /// ordered (the chain stays linear) and, on SQLite, the write lock is taken before any read
    /// (a deferred transaction that reads first can fail when it later tries to write).
    pub async fn write(&self) -> StoreResult<WriteTx> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *tx).await?;
        Ok(WriteTx { tx })
    }

    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A write transaction holding the audit head lock. Dropped without [`WriteTx::commit`], it rolls back.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
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
pub(crate) fn flag(row: &sqlx::any::AnyRow, column: &str) -> StoreResult<bool> {
    use sqlx::Row;
    Ok(row.try_get::<i64, _>(column)? != 0)
}
