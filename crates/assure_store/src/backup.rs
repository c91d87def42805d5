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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Int,
    Text,
    Bool,
}

use Col::{Bool, Int, Text};

/// Every table the application owns, parents before children, with its columns. The contract
/// tests check this list against the live schema, so a migration that adds a column or table
/// without adding it here fails.
pub const TABLES: &[(&str, &[(&str, Col)])] = &[
    ("partnerships", &[("id", Int), ("slug", Text), ("name", Text), ("created_at", Text)]),
    ("arms", &[("id", Int), ("partnership_id", Int), ("kind", Text), ("name", Text)]),
    (
        "users",
        &[
            ("id", Int),
            ("email", Text),
            ("display_name", Text),
            ("password_hash", Text),
            ("disabled", Bool),
            ("totp_secret", Text),
            ("totp_enabled", Bool),
            ("failed_logins", Int),
            ("locked_until", Text),
            ("created_at", Text),
            ("password_changed_at", Text),
            ("must_change_password", Bool),
            ("totp_last_step", Int),
        ],
    ),
    (
        "organisations",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("name", Text),
            ("kind", Text),
            ("sector", Text),
            ("parent_id", Int),
            ("ended_on", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "people",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("name", Text),
            ("job_title", Text),
            ("email", Text),
            ("organisation_id", Int),
            ("restricted", Bool),
            ("ended_on", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "bodies",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("name", Text),
            ("kind", Text),
            ("arm", Text),
            ("parent_id", Int),
            ("purpose", Text),
            ("cadence", Text),
            ("restricted", Bool),
            ("ended_on", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "terms_of_reference",
        &[
            ("id", Int),
            ("body_id", Int),
            ("version", Int),
            ("text", Text),
            ("effective_from", Text),
            ("created_by", Int),
            ("created_at", Text),
        ],
    ),
    (
        "memberships",
        &[
            ("id", Int),
            ("body_id", Int),
            ("person_id", Int),
            ("organisation_id", Int),
            ("role", Text),
            ("from_date", Text),
            ("to_date", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "role_grants",
        &[
            ("id", Int),
            ("user_id", Int),
            ("role", Text),
            ("partnership_id", Int),
            ("organisation_id", Int),
            ("body_id", Int),
            ("scope_key", Text),
            ("granted_by", Int),
            ("granted_at", Text),
        ],
    ),
    ("second_factor_required", &[("partnership_id", Int), ("role", Text)]),
    (
        "sessions",
        &[
            ("id", Int),
            ("token_hash", Text),
            ("user_id", Int),
            ("csrf_token", Text),
            ("partnership_id", Int),
            ("second_factor_pending", Bool),
            ("created_at", Text),
            ("last_seen_at", Text),
            ("expires_at", Text),
        ],
    ),
    (
        "api_tokens",
        &[
            ("id", Int),
            ("user_id", Int),
            ("token_hash", Text),
            ("label", Text),
            ("created_at", Text),
            ("last_used_at", Text),
            ("revoked_at", Text),
        ],
    ),
    ("closed_days", &[("day", Text), ("name", Text), ("added_by", Int), ("added_at", Text)]),
    (
        "reviews",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("arm", Text),
            ("type_code", Text),
            ("subject", Text),
            ("summary", Text),
            ("stage", Text),
            ("decision", Text),
            ("decision_rationale", Text),
            ("not_published_reason", Text),
            ("aware_on", Text),
            ("notified_on", Text),
            ("decided_on", Text),
            ("signed_off_on", Text),
            ("planned_publication_on", Text),
            ("notice_sent_on", Text),
            ("published_on", Text),
            ("closed_on", Text),
            ("created_by", Int),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "review_events",
        &[
            ("id", Int),
            ("review_id", Int),
            ("stage_from", Text),
            ("stage_to", Text),
            ("on_date", Text),
            ("note", Text),
            ("by_user", Int),
            ("by_label", Text),
            ("at", Text),
        ],
    ),
    ("review_pauses", &[("id", Int), ("review_id", Int), ("from_date", Text), ("to_date", Text), ("reason", Text)]),
    ("review_panel", &[("review_id", Int), ("user_id", Int), ("added_at", Text)]),
    ("themes", &[("id", Int), ("partnership_id", Int), ("name", Text), ("created_at", Text)]),
    ("review_themes", &[("review_id", Int), ("theme_id", Int)]),
    (
        "review_requests",
        &[
            ("id", Int),
            ("review_id", Int),
            ("organisation_id", Int),
            ("kind", Text),
            ("requested_on", Text),
            ("due_on", Text),
            ("returned_on", Text),
            ("created_at", Text),
        ],
    ),
    (
        "frameworks",
        &[("id", Int), ("code", Text), ("version", Text), ("title", Text), ("source", Text), ("created_at", Text)],
    ),
    ("reminders_sent", &[("event_key", Text), ("user_id", Int), ("sent_at", Text)]),
    (
        "campaigns",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("framework_id", Int),
            ("title", Text),
            ("opens_on", Text),
            ("closes_on", Text),
            ("created_at", Text),
        ],
    ),
    (
        "assessments",
        &[
            ("id", Int),
            ("campaign_id", Int),
            ("organisation_id", Int),
            ("state", Text),
            ("unlocked", Bool),
            ("updated_at", Text),
        ],
    ),
    (
        "answers",
        &[
            ("id", Int),
            ("assessment_id", Int),
            ("question", Text),
            ("score", Int),
            ("not_applicable", Text),
            ("value", Text),
            ("evidence", Text),
            ("confirmed", Bool),
            ("updated_at", Text),
        ],
    ),
    (
        "assessment_events",
        &[
            ("id", Int),
            ("assessment_id", Int),
            ("step", Text),
            ("to_state", Text),
            ("reason", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "respondent_links",
        &[
            ("id", Int),
            ("assessment_id", Int),
            ("token_hash", Text),
            ("created_by_label", Text),
            ("created_at", Text),
            ("expires_on", Text),
            ("revoked_at", Text),
            ("last_used_at", Text),
            ("uses", Int),
        ],
    ),
    ("campaign_partnerships", &[("campaign_id", Int), ("partnership_id", Int)]),
    (
        "moderated_scores",
        &[
            ("id", Int),
            ("assessment_id", Int),
            ("question", Text),
            ("score", Int),
            ("by_label", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "challenges",
        &[
            ("id", Int),
            ("assessment_id", Int),
            ("question", Text),
            ("party", Text),
            ("body", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "answer_files",
        &[
            ("id", Int),
            ("assessment_id", Int),
            ("question", Text),
            ("file_name", Text),
            ("content_type", Text),
            ("size", Int),
            ("sha256", Text),
            ("content", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "campaign_nudges",
        &[
            ("id", Int),
            ("campaign_id", Int),
            ("by_label", Text),
            ("organisations", Int),
            ("people", Int),
            ("created_at", Text),
        ],
    ),
    (
        "recommendations",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("review_id", Int),
            ("number", Text),
            ("text", Text),
            ("scope", Text),
            ("body_id", Int),
            ("theme_id", Int),
            ("created_at", Text),
            ("updated_at", Text),
            ("campaign_id", Int),
        ],
    ),
    (
        "plan_actions",
        &[
            ("id", Int),
            ("recommendation_id", Int),
            ("organisation_id", Int),
            ("text", Text),
            ("owner", Text),
            ("owner_user_id", Int),
            ("target_on", Text),
            ("status", Text),
            ("rag", Text),
            ("completed_on", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    ("action_milestones", &[("id", Int), ("action_id", Int), ("text", Text), ("due_on", Text), ("done_on", Text)]),
    (
        "action_updates",
        &[
            ("id", Int),
            ("action_id", Int),
            ("note", Text),
            ("status", Text),
            ("rag", Text),
            ("by_user_id", Int),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "action_revisions",
        &[
            ("id", Int),
            ("action_id", Int),
            ("changes", Text),
            ("reason", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "evidence",
        &[
            ("id", Int),
            ("action_id", Int),
            ("kind", Text),
            ("narrative", Text),
            ("by_user_id", Int),
            ("by_label", Text),
            ("created_at", Text),
            ("judgement", Text),
            ("judgement_comment", Text),
            ("judged_by_label", Text),
            ("judged_at", Text),
        ],
    ),
    (
        "evidence_files",
        &[
            ("id", Int),
            ("evidence_id", Int),
            ("file_name", Text),
            ("content_type", Text),
            ("size", Int),
            ("sha256", Text),
            ("content", Text),
            ("created_at", Text),
        ],
    ),
    (
        "chronology_entries",
        &[
            ("id", Int),
            ("review_id", Int),
            ("organisation_id", Int),
            ("occurred_on", Text),
            ("date_precision", Text),
            ("occurred_at", Text),
            ("source", Text),
            ("event", Text),
            ("comment", Text),
            ("by_user_id", Int),
            ("created_at", Text),
        ],
    ),
    (
        "briefings",
        &[
            ("review_id", Int),
            ("background", Text),
            ("learning", Text),
            ("questions", Text),
            ("updated_by_label", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "notifications",
        &[
            ("id", Int),
            ("user_id", Int),
            ("partnership_id", Int),
            ("message", Text),
            ("link", Text),
            ("created_at", Text),
        ],
    ),
    ("areas", &[("code", Text), ("name", Text), ("level", Text), ("old_la_code", Text), ("region_code", Text)]),
    (
        "import_batches",
        &[
            ("id", Int),
            ("kind", Text),
            ("file_name", Text),
            ("sha256", Text),
            ("rows_read", Int),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "observations",
        &[
            ("id", Int),
            ("measure", Text),
            ("area_code", Text),
            ("period", Text),
            ("value", Text),
            ("suppressed", Text),
            ("batch_id", Int),
        ],
    ),
    ("statistical_neighbours", &[("area_code", Text), ("rank", Int), ("neighbour_code", Text), ("batch_id", Int)]),
    ("partnership_areas", &[("partnership_id", Int), ("area_code", Text)]),
    (
        "indicator_thresholds",
        &[
            ("partnership_id", Int),
            ("indicator", Text),
            ("green", Text),
            ("red", Text),
            ("by_label", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "indicator_commentary",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("indicator", Text),
            ("period", Text),
            ("body", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "extract_runs",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("organisation_id", Int),
            ("file_name", Text),
            ("size", Int),
            ("sha256", Text),
            ("rows_read", Int),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "extract_counts",
        &[
            ("id", Int),
            ("run_id", Int),
            ("kind", Text),
            ("period", Text),
            ("category", Text),
            ("contacts", Int),
            ("referrals", Int),
            ("persons", Int),
            ("rereferrals", Int),
        ],
    ),
    (
        "data_returns",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("organisation_id", Int),
            ("period", Text),
            ("due_on", Text),
            ("status", Text),
            ("provisional", Bool),
            ("footnote", Text),
            ("source", Text),
            ("updated_by_label", Text),
            ("submitted_at", Text),
            ("updated_at", Text),
        ],
    ),
    ("data_return_values", &[("return_id", Int), ("measure", Text), ("value", Text)]),
    (
        "indicator_versions",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("indicator", Text),
            ("version", Int),
            ("effective_from", Text),
            ("title", Text),
            ("definition", Text),
            ("polarity", Text),
            ("decimals", Int),
            ("suppress_below", Int),
            ("owner", Text),
            ("supplier_id", Int),
            ("reason", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "entered_figures",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("area_code", Text),
            ("measure", Text),
            ("period", Text),
            ("value", Text),
            ("source", Text),
            ("by_label", Text),
            ("updated_at", Text),
        ],
    ),
    ("audit_head", &[("id", Int), ("seq", Int), ("last_hash", Text)]),
    (
        "audit_log",
        &[
            ("seq", Int),
            ("at", Text),
            ("actor_user_id", Int),
            ("actor_label", Text),
            ("action", Text),
            ("record_type", Text),
            ("record_id", Text),
            ("partnership_id", Int),
            ("ip", Text),
            ("request_id", Text),
            ("detail", Text),
            ("prev_hash", Text),
            ("hash", Text),
        ],
    ),
];

/// Columns that point at their own table: restored as NULL first and set afterwards, because a
/// row's parent may have a higher id than the row.
const SELF_REFERENCES: &[(&str, &str)] = &[("organisations", "parent_id"), ("bodies", "parent_id")];

/// The whole content of one table, ordered by its first column.
pub async fn dump_table(conn: &mut Conn, table: &str, columns: &[(&str, Col)]) -> StoreResult<Vec<Vec<Value>>> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let sql = format!("SELECT {} FROM {table} ORDER BY {}", names.join(", "), names.join(", "));
    let rows = sqlx::query(&sql).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            columns
                .iter()
                .map(|(name, col)| {
                    Ok(match col {
                        Int => row.try_get::<Option<i64>, _>(*name)?.map(Value::from).unwrap_or(Value::Null),
                        Text => row.try_get::<Option<String>, _>(*name)?.map(Value::from).unwrap_or(Value::Null),
                        Bool => {
                            row.try_get::<Option<i64>, _>(*name)?.map(|v| Value::from(v != 0)).unwrap_or(Value::Null)
                        }
                    })
                })
                .collect()
        })
        .collect()
}

async fn schema_version(conn: &mut Conn) -> StoreResult<i64> {
    Ok(sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM _sqlx_migrations")
        .fetch_one(&mut *conn)
        .await?
        .try_get("v")?)
}

/// What a backup holds: table name → rows, and the schema version it was taken at.
pub struct Snapshot {
    pub schema_version: i64,
    pub tables: Vec<(String, Vec<Vec<Value>>)>,
}

pub async fn snapshot(store: &Store) -> StoreResult<Snapshot> {
    // One transaction, so the snapshot is consistent while the server keeps writing.
    let mut tx = store.pool().begin().await?;
    let schema_version = schema_version(&mut tx).await?;
    let mut tables = Vec::new();
    for (table, columns) in TABLES {
        tables.push(((*table).to_owned(), dump_table(&mut tx, table, columns).await?));
    }
    tx.commit().await?;
    Ok(Snapshot { schema_version, tables })
}

/// Writes a backup of `store` to `path`, which must not exist yet.
pub async fn backup(store: &Store, path: &std::path::Path) -> StoreResult<()> {
    if path.exists() {
        return Err(StoreError::Backup(format!("{} already exists; choose a new file name", path.display())));
    }
    match store.backend() {
        Backend::Sqlite => {
            let target = path.to_str().ok_or_else(|| StoreError::Backup("the file name is not valid UTF-8".into()))?;
            sqlx::query("VACUUM INTO $1").bind(target).execute(store.pool()).await?;
        }
        Backend::Postgres => {
            let snapshot = snapshot(store).await?;
            let file = std::fs::File::create(path).map_err(|e| StoreError::Backup(e.to_string()))?;
            let mut out = std::io::BufWriter::new(file);
            let header = json!({"assure_backup": 1, "schema_version": snapshot.schema_version});
            let write = |out: &mut std::io::BufWriter<std::fs::File>, v: &Value| -> std::io::Result<()> {
                serde_json::to_writer(&mut *out, v)?;
                out.write_all(b"\n")
            };
            write(&mut out, &header).map_err(|e| StoreError::Backup(e.to_string()))?;
            for (table, rows) in &snapshot.tables {
                write(&mut out, &json!({"table": table, "rows": rows}))
                    .map_err(|e| StoreError::Backup(e.to_string()))?;
            }
            out.flush().map_err(|e| StoreError::Backup(e.to_string()))?;
        }
    }
    Ok(())
}

/// Reads a backup file of either kind.
pub async fn read_backup(path: &std::path::Path) -> StoreResult<Snapshot> {
    let mut magic = [0u8; 16];
    {
        use std::io::Read;
        let mut file = std::fs::File::open(path).map_err(|e| StoreError::Backup(format!("{}: {e}", path.display())))?;
        let n = file.read(&mut magic).map_err(|e| StoreError::Backup(e.to_string()))?;
        if n < 16 && !magic.starts_with(b"{") {
            return Err(StoreError::Backup("the file is not an Assure backup".into()));
        }
    }
    if &magic == b"SQLite format 3\0" {
        let url = format!("sqlite://{}?mode=ro", path.display());
        let source = Store::connect(&url).await?;
        let snapshot = snapshot(&source).await;
        source.close().await;
        return snapshot;
    }
    let file = std::fs::File::open(path).map_err(|e| StoreError::Backup(e.to_string()))?;
    let mut lines = std::io::BufReader::new(file).lines();
    let header: Value = lines
        .next()
        .transpose()
        .map_err(|e| StoreError::Backup(e.to_string()))?
        .and_then(|l| serde_json::from_str(&l).ok())
        .ok_or_else(|| StoreError::Backup("the file is not an Assure backup".into()))?;
    let schema_version = header
        .get("schema_version")
        .and_then(Value::as_i64)
        .filter(|_| header.get("assure_backup") == Some(&json!(1)))
        .ok_or_else(|| StoreError::Backup("the file is not an Assure backup".into()))?;
    let mut tables = Vec::new();
    for (n, line) in lines.enumerate() {
        let line = line.map_err(|e| StoreError::Backup(e.to_string()))?;
        let mut v: Value =
            serde_json::from_str(&line).map_err(|e| StoreError::Backup(format!("line {}: {e}", n + 2)))?;
        let table = v.get("table").and_then(Value::as_str).map(str::to_owned);
        let rows = v.get_mut("rows").map(Value::take);
        match (table, rows) {
            (Some(table), Some(Value::Array(rows))) => {
                let rows = rows
                    .into_iter()
                    .map(|r| match r {
                        Value::Array(cells) => Ok(cells),
                        _ => Err(StoreError::Backup(format!("line {}: a row is not a list", n + 2))),
                    })
                    .collect::<StoreResult<Vec<_>>>()?;
                tables.push((table, rows));
            }
            _ => {
                return Err(StoreError::Backup(format!("line {}: expected a table and its rows", n + 2)));
            }
        }
    }
    Ok(Snapshot { schema_version, tables })
}

/// Replaces everything in `store` with `snapshot`, in one transaction.
pub async fn restore(store: &Store, snapshot: &Snapshot) -> StoreResult<()> {
    let mut tx = store.pool().begin().await?;
    let current = schema_version(&mut tx).await?;
    if snapshot.schema_version != current {
        return Err(StoreError::Backup(format!(
            "the backup is of schema version {}, this database is at {current}; restore it with the matching Assure release",
            snapshot.schema_version
        )));
    }
    for (table, _) in &snapshot.tables {
        if !TABLES.iter().any(|(t, _)| t == table) {
            return Err(StoreError::Backup(format!("the backup holds an unknown table {table}")));
        }
    }
    let backend = store.backend();
    match backend {
        Backend::Sqlite => {
            sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *tx).await?;
            sqlx::query("DROP TRIGGER audit_log_no_update").execute(&mut *tx).await?;
            sqlx::query("DROP TRIGGER audit_log_no_delete").execute(&mut *tx).await?;
            for (table, _) in TABLES.iter().rev() {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
            }
        }
        Backend::Postgres => {
            let names: Vec<&str> = TABLES.iter().map(|(t, _)| *t).collect();
            sqlx::query(&format!("TRUNCATE {} RESTART IDENTITY", names.join(", "))).execute(&mut *tx).await?;
        }
    }
    for (table, columns) in TABLES {
        let Some((_, rows)) = snapshot.tables.iter().find(|(t, _)| t == table) else {
            continue;
        };
        let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let sql = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), placeholders.join(", "));
        let deferred: Vec<usize> = names
            .iter()
            .enumerate()
            .filter(|(_, n)| SELF_REFERENCES.contains(&(*table, **n)))
            .map(|(i, _)| i)
            .collect();
        for (r, row) in rows.iter().enumerate() {
            if row.len() != columns.len() {
                return Err(StoreError::Backup(format!("{table} row {}: expected {} values", r + 1, columns.len())));
            }
            let mut query = sqlx::query(&sql);
            for (i, ((name, col), value)) in columns.iter().zip(row).enumerate() {
                let value = if deferred.contains(&i) { &Value::Null } else { value };
                let bad = || StoreError::Backup(format!("{table} row {}: {name} has the wrong type", r + 1));
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
        }
        for i in deferred {
            let sql = format!("UPDATE {table} SET {} = $1 WHERE {} = $2", names[i], names[0]);
            for row in rows {
                if let (Some(parent), Some(id)) = (row[i].as_i64(), row[0].as_i64()) {
                    sqlx::query(&sql).bind(parent).bind(id).execute(&mut *tx).await?;
                }
            }
        }
    }
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
            for (table, columns) in TABLES {
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
    tx.commit().await?;
    Ok(())
}

/// Table names and columns as the live database has them, for the check against [`TABLES`].
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
    for table in tables {
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
