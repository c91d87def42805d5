//! Whole-database backup and restore.
//!
//! A SQLite database is backed up online with `VACUUM INTO` (a consistent copy taken while the
//! server runs); a PostgreSQL database as a logical dump written by the application (one JSON
//! document per line). Restore reads either kind into either backend, in one transaction, and
//! refuses a backup from another schema version.

use std::io::{BufRead, Write};

use serde_json::{Value, json};
use sqlx::Row;

use crate::db::{Backend, Conn, Store, StoreError, StoreResult};
use crate::{
    accounts, audit_log, audits, bulletins, challenges, finance, inspections, intelligence, learning, meetings,
    reminders, reports, reviews, risks, strategy, structure, training, voice,
};
use Col::{Bool, Int, Text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Int,
    Text,
    Bool,
}

/// A table and its columns.
pub type Table = (&'static str, &'static [(&'static str, Col)]);

/// Every table the application owns, parents before children, with its columns: each store
/// module lists its own, and joins here with one line. The contract tests check this against the
/// live schema, so a migration that adds a column or table without adding it fails.
pub const TABLES: &[&[Table]] = &[
    accounts::USERS,
    structure::TABLES,
    accounts::TABLES,
    reminders::TABLES,
    reviews::calendar::TABLES,
    reviews::TABLES,
    reviews::chronology::TABLES,
    reviews::conduct::TABLES,
    audits::frameworks::TABLES,
    audits::TABLES,
    inspections::TABLES,
    learning::TABLES,
    meetings::TABLES,
    meetings::minutes::TABLES,
    risks::TABLES,
    strategy::TABLES,
    finance::TABLES,
    training::TABLES,
    challenges::TABLES,
    voice::TABLES,
    bulletins::TABLES,
    reports::TABLES,
    intelligence::indicators::TABLES,
    intelligence::extracts::TABLES,
    intelligence::returns::TABLES,
    audit_log::TABLES,
];

/// Every table, in order.
pub fn all_tables() -> impl DoubleEndedIterator<Item = &'static Table> {
    TABLES.iter().flat_map(|tables| tables.iter())
}

/// Columns that point at their own table: restored as NULL first and set afterwards, because a
/// row's parent may have a higher id than the row.
const SELF_REFERENCES: &[(&str, &str)] = &[("organisations", "parent_id"), ("bodies", "parent_id")];

/// A row read from the database as JSON values, column by column.
fn row_values(row: &sqlx::any::AnyRow, columns: &[(&str, Col)]) -> StoreResult<Vec<Value>> {
    columns
        .iter()
        .map(|(name, col)| {
            Ok(match col {
                Int => row.try_get::<Option<i64>, _>(*name)?.map(Value::from).unwrap_or(Value::Null),
                Text => row.try_get::<Option<String>, _>(*name)?.map(Value::from).unwrap_or(Value::Null),
                Bool => row.try_get::<Option<i64>, _>(*name)?.map(|v| Value::from(v != 0)).unwrap_or(Value::Null),
            })
        })
        .collect()
}

fn select_all(table: &str, columns: &[(&str, Col)]) -> String {
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    format!("SELECT {} FROM {table} ORDER BY {}", names.join(", "), names.join(", "))
}

/// The whole content of one table, ordered by its first column.
pub async fn dump_table(conn: &mut Conn, table: &str, columns: &[(&str, Col)]) -> StoreResult<Vec<Vec<Value>>> {
    let rows = sqlx::query(&select_all(table, columns)).fetch_all(&mut *conn).await?;
    rows.iter().map(|row| row_values(row, columns)).collect()
}

async fn schema_version(conn: &mut Conn) -> StoreResult<i64> {
    Ok(sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM _sqlx_migrations")
        .fetch_one(&mut *conn)
        .await?
        .try_get("v")?)
}

/// What a database holds: table name → rows, and its schema version. For comparing databases
/// in tests; backup and restore stream instead of building this.
pub struct Snapshot {
    pub schema_version: i64,
    pub tables: Vec<(String, Vec<Vec<Value>>)>,
}

pub async fn snapshot(store: &Store) -> StoreResult<Snapshot> {
    // One transaction, so the snapshot is consistent while the server keeps writing.
    let mut tx = store.pool().begin().await?;
    let schema_version = schema_version(&mut tx).await?;
    let mut tables = Vec::new();
    for (table, columns) in all_tables() {
        tables.push(((*table).to_owned(), dump_table(&mut tx, table, columns).await?));
    }
    tx.commit().await?;
    Ok(Snapshot { schema_version, tables })
}

fn io_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backup(e.to_string())
}

/// Writes a backup of `store` to `path`, which must not exist yet. A PostgreSQL database is
/// written row by row as it is read (one JSON document per line), never held whole.
pub async fn backup(store: &Store, path: &std::path::Path) -> StoreResult<()> {
    use futures_util::TryStreamExt;
    if path.exists() {
        return Err(StoreError::Backup(format!("{} already exists; choose a new file name", path.display())));
    }
    match store.backend() {
        Backend::Sqlite => {
            let target = path.to_str().ok_or_else(|| StoreError::Backup("the file name is not valid UTF-8".into()))?;
            sqlx::query("VACUUM INTO $1").bind(target).execute(store.pool()).await?;
        }
        Backend::Postgres => {
            let file = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(io_error)?;
            let mut out = std::io::BufWriter::new(file);
            let line = |out: &mut std::io::BufWriter<std::fs::File>, v: &Value| -> StoreResult<()> {
                serde_json::to_writer(&mut *out, v).map_err(io_error)?;
                out.write_all(b"\n").map_err(io_error)
            };
            // One transaction, so the backup is consistent while the server keeps writing.
            let mut tx = store.pool().begin().await?;
            let version = schema_version(&mut tx).await?;
            line(&mut out, &json!({"assure_backup": 2, "schema_version": version}))?;
            for (table, columns) in all_tables() {
                line(&mut out, &json!({ "table": table }))?;
                let sql = select_all(table, columns);
                let mut rows = sqlx::query(&sql).fetch(&mut *tx);
                while let Some(row) = rows.try_next().await? {
                    line(&mut out, &Value::Array(row_values(&row, columns)?))?;
                }
            }
            tx.commit().await?;
            out.flush().map_err(io_error)?;
        }
    }
    Ok(())
}

/// A table being restored: its insert statement and the self-references set after its rows.
struct Loading {
    table: &'static str,
    columns: &'static [(&'static str, Col)],
    sql: String,
    deferred: Vec<usize>,
    /// (column, parent id, row id) for each deferred self-reference.
    parents: Vec<(usize, i64, i64)>,
    rows: u64,
}

impl Loading {
    fn of(table: &str) -> StoreResult<Loading> {
        let Some((table, columns)) = all_tables().find(|(t, _)| *t == table) else {
            return Err(StoreError::Backup(format!("the backup holds an unknown table {table}")));
        };
        let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        Ok(Loading {
            table,
            columns,
            sql: format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), placeholders.join(", ")),
            deferred: names
                .iter()
                .enumerate()
                .filter(|(_, n)| SELF_REFERENCES.contains(&(*table, **n)))
                .map(|(i, _)| i)
                .collect(),
            parents: Vec::new(),
            rows: 0,
        })
    }

    async fn insert(&mut self, tx: &mut Conn, row: &[Value]) -> StoreResult<()> {
        self.rows += 1;
        let (table, r) = (self.table, self.rows);
        if row.len() != self.columns.len() {
            return Err(StoreError::Backup(format!("{table} row {r}: expected {} values", self.columns.len())));
        }
        let mut query = sqlx::query(&self.sql);
        for (i, ((name, col), value)) in self.columns.iter().zip(row).enumerate() {
            let value = if self.deferred.contains(&i) {
                if let (Some(parent), Some(id)) = (value.as_i64(), row[0].as_i64()) {
                    self.parents.push((i, parent, id));
                }
                &Value::Null
            } else {
                value
            };
            let bad = || StoreError::Backup(format!("{table} row {r}: {name} has the wrong type"));
            query = match (col, value) {
                (Int, Value::Null) => query.bind(None::<i64>),
                (Text, Value::Null) => query.bind(None::<String>),
                (Bool, Value::Null) => query.bind(None::<i64>),
                (Int, v) => query.bind(v.as_i64().ok_or_else(bad)?),
                (Text, v) => query.bind(v.as_str().ok_or_else(bad)?.to_owned()),
                (Bool, v) => query.bind(i64::from(v.as_bool().ok_or_else(bad)?)),
            };
        }
        query.execute(&mut *tx).await.map_err(StoreError::from_write)?;
        Ok(())
    }

    /// Sets the self-references once every row of the table is in.
    async fn finish(self, tx: &mut Conn) -> StoreResult<()> {
        for (i, parent, id) in self.parents {
            let (column, key) = (self.columns[i].0, self.columns[0].0);
            let sql = format!("UPDATE {} SET {column} = $1 WHERE {key} = $2", self.table);
            sqlx::query(&sql).bind(parent).bind(id).execute(&mut *tx).await?;
        }
        Ok(())
    }
}

/// Replaces everything in `store` with the backup at `path` (a SQLite file or a logical dump,
/// either backend), in one transaction. Rows stream from the backup into the database one at a
/// time: memory does not grow with the backup's size.
pub async fn restore_file(store: &Store, path: &std::path::Path) -> StoreResult<()> {
    use futures_util::TryStreamExt;
    let not_a_backup = || StoreError::Backup("the file is not an Assure backup".into());
    let mut magic = [0u8; 16];
    {
        use std::io::Read;
        let mut file = std::fs::File::open(path).map_err(|e| StoreError::Backup(format!("{}: {e}", path.display())))?;
        let n = file.read(&mut magic).map_err(io_error)?;
        if n < 16 && !magic.starts_with(b"{") {
            return Err(not_a_backup());
        }
    }
    let mut tx = store.pool().begin().await?;
    let current = schema_version(&mut tx).await?;
    let check_version = |version: i64| {
        if version == current {
            Ok(())
        } else {
            Err(StoreError::Backup(format!(
                "the backup is of schema version {version}, this database is at {current}; restore it with the matching Assure release"
            )))
        }
    };
    if &magic == b"SQLite format 3\0" {
        let source = Store::connect(&format!("sqlite://{}?mode=ro", path.display())).await?;
        let result = async {
            let mut conn = source.pool().acquire().await?;
            check_version(schema_version(&mut conn).await?)?;
            clear(&mut tx, store.backend()).await?;
            for (table, columns) in all_tables() {
                let mut loading = Loading::of(table)?;
                let sql = select_all(table, columns);
                let mut rows = sqlx::query(&sql).fetch(&mut *conn);
                while let Some(row) = rows.try_next().await? {
                    loading.insert(&mut tx, &row_values(&row, columns)?).await?;
                }
                drop(rows);
                loading.finish(&mut tx).await?;
            }
            Ok::<(), StoreError>(())
        }
        .await;
        source.close().await;
        result?;
    } else {
        let file = std::fs::File::open(path).map_err(io_error)?;
        let mut lines = std::io::BufReader::new(file).lines();
        let header: Value = lines
            .next()
            .transpose()
            .map_err(io_error)?
            .and_then(|l| serde_json::from_str(&l).ok())
            .ok_or_else(not_a_backup)?;
        let format = header.get("assure_backup").and_then(Value::as_i64).ok_or_else(not_a_backup)?;
        let version = header.get("schema_version").and_then(Value::as_i64).ok_or_else(not_a_backup)?;
        if !(1..=2).contains(&format) {
            return Err(not_a_backup());
        }
        check_version(version)?;
        clear(&mut tx, store.backend()).await?;
        let mut loading: Option<Loading> = None;
        for (n, line) in lines.enumerate() {
            let line = line.map_err(io_error)?;
            let at = n + 2;
            let mut v: Value =
                serde_json::from_str(&line).map_err(|e| StoreError::Backup(format!("line {at}: {e}")))?;
            match &mut v {
                // A row of the table being restored (format 2).
                Value::Array(cells) => match loading.as_mut() {
                    Some(l) => l.insert(&mut tx, cells).await?,
                    None => return Err(StoreError::Backup(format!("line {at}: a row before its table"))),
                },
                Value::Object(o) => {
                    if let Some(done) = loading.take() {
                        done.finish(&mut tx).await?;
                    }
                    let table = o.get("table").and_then(Value::as_str).map(str::to_owned);
                    let Some(table) = table else {
                        return Err(StoreError::Backup(format!("line {at}: expected a table")));
                    };
                    let mut next = Loading::of(&table)?;
                    // Format 1 held a whole table's rows on its line.
                    if let Some(Value::Array(rows)) = o.get_mut("rows").map(Value::take) {
                        for row in rows {
                            let Value::Array(cells) = row else {
                                return Err(StoreError::Backup(format!("line {at}: a row is not a list")));
                            };
                            next.insert(&mut tx, &cells).await?;
                        }
                    }
                    loading = Some(next);
                }
                _ => return Err(StoreError::Backup(format!("line {at}: expected a table or a row"))),
            }
        }
        if let Some(done) = loading.take() {
            done.finish(&mut tx).await?;
        }
    }
    reinstate(&mut tx, store.backend()).await?;
    tx.commit().await?;
    Ok(())
}

/// Empties every table for a restore (lifting the audit log's append-only triggers on SQLite,
/// which [`reinstate`] puts back).
async fn clear(tx: &mut Conn, backend: Backend) -> StoreResult<()> {
    match backend {
        Backend::Sqlite => {
            sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *tx).await?;
            sqlx::query("DROP TRIGGER audit_log_no_update").execute(&mut *tx).await?;
            sqlx::query("DROP TRIGGER audit_log_no_delete").execute(&mut *tx).await?;
            for (table, _) in all_tables().rev() {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
            }
        }
        Backend::Postgres => {
            let names: Vec<&str> = all_tables().map(|(t, _)| *t).collect();
            sqlx::query(&format!("TRUNCATE {} RESTART IDENTITY", names.join(", "))).execute(&mut *tx).await?;
        }
    }
    Ok(())
}

/// After a restore: the audit log's triggers (SQLite) or the id sequences (PostgreSQL).
async fn reinstate(tx: &mut Conn, backend: Backend) -> StoreResult<()> {
    match backend {
        Backend::Sqlite => {
            sqlx::query(
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
                 BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
                 BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
            )
            .execute(&mut *tx)
            .await?;
        }
        Backend::Postgres => {
            for (table, columns) in all_tables() {
                if columns.first().map(|(n, _)| *n) == Some("id") && *table != "audit_head" {
                    sqlx::query(&format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
                    ))
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
    }
    Ok(())
}

/// Tables that hold no record of their own and so are not backed up: bookkeeping a migration
/// creates and triggers keep (the generation counters of accounts, of the dashboards' inputs, of
/// the reviews' clocks, of the plan and of the audits).
pub const NOT_BACKED_UP: &[&str] =
    &["accounts_generation", "figures_generation", "reviews_generation", "plan_generation", "audits_generation"];

/// Table names and columns as the live database has them (less [`NOT_BACKED_UP`]), for the check
/// against [`TABLES`].
pub async fn live_schema(store: &Store) -> StoreResult<Vec<(String, Vec<String>)>> {
    let mut conn = store.read().await?;
    let tables: Vec<String> = match store.backend() {
        Backend::Sqlite => sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> '_sqlx_migrations' ORDER BY name",
        )
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("name"))
        .collect::<Result<_, _>>()?,
        Backend::Postgres => sqlx::query(
            "SELECT table_name::TEXT AS name FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_name <> '_sqlx_migrations' ORDER BY table_name",
        )
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("name"))
        .collect::<Result<_, _>>()?,
    };
    let mut out = Vec::new();
    for table in tables.into_iter().filter(|t| !NOT_BACKED_UP.contains(&t.as_str())) {
        let columns: Vec<String> = match store.backend() {
            Backend::Sqlite => sqlx::query(&format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"))
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|r| r.try_get("name"))
                .collect::<Result<_, _>>()?,
            Backend::Postgres => sqlx::query(
                "SELECT column_name::TEXT AS name FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(&table)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.try_get("name"))
            .collect::<Result<_, _>>()?,
        };
        out.push((table, columns));
    }
    Ok(out)
}
