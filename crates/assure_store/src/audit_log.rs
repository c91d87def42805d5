//! The append-only, hash-chained audit log.
//!
//! Each entry's hash covers its own fields and the previous entry's hash, and the head row
//! holds the last sequence number and hash: editing, deleting or inserting any entry (or
//! truncating the tail) breaks the chain, which [`verify`] reports.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreResult, WriteTx, now_text};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
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

/// What happened, as the use-case describes it.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub actor_user_id: Option<i64>,
    /// The actor as a person would recognise them: an e-mail, `cli`, `system`.
    pub actor_label: String,
    /// `create`, `update`, `end`, `read`, `sign_in`, `sign_in_failed` …
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    pub partnership_id: Option<i64>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    /// A JSON object with the change (field values after it) or other context.
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    pub partnership_id: Option<i64>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

fn field(hasher: &mut Sha256, value: Option<&str>) {
    // Length-prefixed so that no two different entries serialise to the same bytes.
    match value {
        Some(v) => {
            hasher.update((v.len() as u64).to_be_bytes());
            hasher.update(v.as_bytes());
        }
        None => hasher.update(u64::MAX.to_be_bytes()),
    }
}

fn entry_hash(e: &Entry) -> String {
    let mut h = Sha256::new();
    field(&mut h, Some(&e.prev_hash));
    field(&mut h, Some(&e.seq.to_string()));
    field(&mut h, Some(&e.at));
    field(&mut h, e.actor_user_id.map(|v| v.to_string()).as_deref());
    field(&mut h, Some(&e.actor_label));
    field(&mut h, Some(&e.action));
    field(&mut h, Some(&e.record_type));
    field(&mut h, e.record_id.as_deref());
    field(&mut h, e.partnership_id.map(|v| v.to_string()).as_deref());
    field(&mut h, e.ip.as_deref());
    field(&mut h, e.request_id.as_deref());
    field(&mut h, Some(&e.detail));
    hex::encode(h.finalize())
}

/// Appends an entry inside the caller's write transaction (which already holds the head lock).
pub async fn append(tx: &mut WriteTx, new: NewEntry) -> StoreResult<i64> {
    append_all(tx, vec![new]).await
}

/// Appends entries in order inside the caller's write transaction, reading and moving the head
/// once: the group commit of restricted reads writes many requests' entries this way. Returns
/// the last sequence number.
pub async fn append_all(tx: &mut WriteTx, entries: Vec<NewEntry>) -> StoreResult<i64> {
    let conn = tx.conn();
    let head = sqlx::query("SELECT seq, last_hash FROM audit_head WHERE id = 1").fetch_one(&mut *conn).await?;
    let mut seq: i64 = head.try_get("seq")?;
    let mut last_hash: String = head.try_get("last_hash")?;
    if entries.is_empty() {
        return Ok(seq);
    }
    for new in entries {
        seq += 1;
        let mut entry = Entry {
            seq,
            at: now_text(),
            actor_user_id: new.actor_user_id,
            actor_label: new.actor_label,
            action: new.action,
            record_type: new.record_type,
            record_id: new.record_id,
            partnership_id: new.partnership_id,
            ip: new.ip,
            request_id: new.request_id,
            detail: new.detail.to_string(),
            prev_hash: last_hash,
            hash: String::new(),
        };
        entry.hash = entry_hash(&entry);
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_user_id, actor_label, action, record_type, record_id, \
             partnership_id, ip, request_id, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(entry.seq)
        .bind(&entry.at)
        .bind(entry.actor_user_id)
        .bind(&entry.actor_label)
        .bind(&entry.action)
        .bind(&entry.record_type)
        .bind(&entry.record_id)
        .bind(entry.partnership_id)
        .bind(&entry.ip)
        .bind(&entry.request_id)
        .bind(&entry.detail)
        .bind(&entry.prev_hash)
        .bind(&entry.hash)
        .execute(&mut *conn)
        .await?;
        last_hash = entry.hash;
    }
    sqlx::query("UPDATE audit_head SET seq = $1, last_hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(&last_hash)
        .execute(&mut *conn)
        .await?;
    Ok(seq)
}

fn entry_from_row(row: &sqlx::any::AnyRow) -> StoreResult<Entry> {
    Ok(Entry {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        actor_user_id: row.try_get("actor_user_id")?,
        actor_label: row.try_get("actor_label")?,
        action: row.try_get("action")?,
        record_type: row.try_get("record_type")?,
        record_id: row.try_get("record_id")?,
        partnership_id: row.try_get("partnership_id")?,
        ip: row.try_get("ip")?,
        request_id: row.try_get("request_id")?,
        detail: row.try_get("detail")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

const COLUMNS: &str = "seq, at, actor_user_id, actor_label, action, record_type, record_id, partnership_id, ip, \
                       request_id, detail, prev_hash, hash";

/// Filters for the audit viewer; every field narrows the list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub partnership_id: Option<i64>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    /// Inclusive lower and exclusive upper bounds on `at`, as ISO dates or times.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

enum Arg {
    Int(i64),
    Text(String),
}

impl Arg {
    fn bind_to<'q>(
        &self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        match self {
            Arg::Int(v) => query.bind(*v),
            Arg::Text(v) => query.bind(v.clone()),
        }
    }
}

/// Lists count matching entries up to this many; past it, the count is `COUNT_CAP + 1` and
/// pages say "more than".
pub const COUNT_CAP: i64 = 10_000;

/// A page of matching entries, newest first, and how many match (counted up to [`COUNT_CAP`] + 1).
pub async fn list(conn: &mut Conn, filter: &Filter) -> StoreResult<(Vec<Entry>, i64)> {
    let mut clauses = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let mut push = |clause: &str, value: Arg| {
        args.push(value);
        clauses.push(clause.replace('?', &format!("${}", args.len())));
    };
    if let Some(p) = filter.partnership_id {
        push("partnership_id = ?", Arg::Int(p));
    }
    if let Some(a) = &filter.actor {
        // The accounts whose e-mail or name matches, by id (an index), and otherwise the actors
        // with no account (`cli`, `unknown account`) by their label.
        let pattern = format!("%{}%", a.to_lowercase());
        push(
            "(actor_user_id IN (SELECT id FROM users WHERE lower(email) LIKE ? OR lower(display_name) LIKE ?) \
             OR (actor_user_id IS NULL AND lower(actor_label) LIKE ?))",
            // The three places are one numbered parameter.
            Arg::Text(pattern),
        );
    }
    if let Some(a) = &filter.action {
        push("action = ?", Arg::Text(a.clone()));
    }
    if let Some(r) = &filter.record_type {
        push("record_type = ?", Arg::Text(r.clone()));
    }
    if let Some(r) = &filter.record_id {
        push("record_id = ?", Arg::Text(r.clone()));
    }
    if let Some(f) = &filter.from {
        push("at >= ?", Arg::Text(f.clone()));
    }
    if let Some(t) = &filter.to {
        push("at < ?", Arg::Text(t.clone()));
    }
    let where_sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    // Counted up to one past the cap: a page never counts a million entries to show fifty.
    let count_sql = format!(
        "SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM audit_log {where_sql} LIMIT {}) AS counted",
        COUNT_CAP + 1
    );
    let mut count = sqlx::query(&count_sql);
    for a in &args {
        count = a.bind_to(count);
    }
    let total: i64 = count.fetch_one(&mut *conn).await?.try_get("n")?;
    let list_sql = format!(
        "SELECT {COLUMNS} FROM audit_log {where_sql} ORDER BY seq DESC LIMIT {} OFFSET {}",
        filter.limit.clamp(1, 500),
        filter.offset.max(0)
    );
    let mut query = sqlx::query(&list_sql);
    for a in &args {
        query = a.bind_to(query);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let entries = rows.iter().map(entry_from_row).collect::<StoreResult<Vec<_>>>()?;
    Ok((entries, total))
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub entries: i64,
    pub head_hash: String,
    /// The first problem found, if any, naming the entry.
    pub problem: Option<String>,
}

/// Walks the chain from the first entry, in pages, recomputing every hash.
pub async fn verify(conn: &mut Conn) -> StoreResult<Verification> {
    let head = sqlx::query("SELECT seq, last_hash FROM audit_head WHERE id = 1").fetch_one(&mut *conn).await?;
    let head_seq: i64 = head.try_get("seq")?;
    let head_hash: String = head.try_get("last_hash")?;
    let mut expected_prev = "0".repeat(64);
    let mut expected_seq = 1_i64;
    let mut checked = 0_i64;
    loop {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 5000"))
            .bind(expected_seq)
            .fetch_all(&mut *conn)
            .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            let entry = entry_from_row(row)?;
            let problem = if entry.seq != expected_seq {
                Some(format!("entry {expected_seq} is missing (next entry is {})", entry.seq))
            } else if entry.prev_hash != expected_prev {
                Some(format!("entry {} does not link to the entry before it", entry.seq))
            } else if entry_hash(&entry) != entry.hash {
                Some(format!("entry {} has been altered: its contents do not match its hash", entry.seq))
            } else {
                None
            };
            if problem.is_some() {
                return Ok(Verification { entries: checked, head_hash, problem });
            }
            expected_prev = entry.hash;
            expected_seq += 1;
            checked += 1;
        }
    }
    let min_seq: Option<i64> =
        sqlx::query("SELECT MIN(seq) AS m FROM audit_log").fetch_one(&mut *conn).await?.try_get("m")?;
    let problem = if checked != head_seq {
        Some(format!("the log holds {checked} linked entries but its head records {head_seq}: entries were removed"))
    } else if checked > 0 && expected_prev != head_hash {
        Some("the last entry does not match the recorded head of the chain".to_owned())
    } else if min_seq.is_some_and(|m| m < 1) {
        Some("the log holds entries before its first".to_owned())
    } else {
        None
    };
    Ok(Verification { entries: checked, head_hash, problem })
}
