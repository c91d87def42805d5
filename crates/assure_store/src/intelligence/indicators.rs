//! Published statistics: areas, imported files, the measures read from them, and statistical
//! neighbours. Figures are kept exactly as published, as text.

use assure_domain::ids::FigureId;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use assure_domain::PartnershipId;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, now_text};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
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
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Area {
    /// ONS code: E92000001 (England), E12… (a region), E06/E08/E09/E10… (a local authority).
    pub code: String,
    pub name: String,
    /// national, regional or local_authority.
    pub level: String,
    /// DfE's three-digit local authority number (882 for Southend-on-Sea).
    pub old_la_code: Option<String>,
    pub region_code: Option<String>,
}

/// A figure read from a file: a count, a population or a published percentage, or the code
/// DfE publishes instead of a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observation {
    pub measure: String,
    pub area_code: String,
    /// The year as DfE gives it (2019 = the year ending 31 March 2019; for populations, mid-2019).
    pub period: String,
    pub value: Option<String>,
    pub suppressed: Option<String>,
}

/// Adds areas, or brings their names and codes up to date.
pub async fn upsert_areas(conn: &mut Conn, areas: &[Area]) -> StoreResult<()> {
    for chunk in areas.chunks(200) {
        let mut sql = String::from("INSERT INTO areas (code, name, level, old_la_code, region_code) VALUES ");
        for i in 0..chunk.len() {
            let b = i * 5;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5));
        }
        sql.push_str(
            " ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, \
             old_la_code = COALESCE(excluded.old_la_code, areas.old_la_code), \
             region_code = COALESCE(excluded.region_code, areas.region_code)",
        );
        let mut q = sqlx::query(&sql);
        for a in chunk {
            q = q
                .bind(&a.code)
                .bind(&a.name)
                .bind(&a.level)
                .bind(a.old_la_code.as_deref())
                .bind(a.region_code.as_deref());
        }
        q.execute(&mut *conn).await.map_err(StoreError::from_write)?;
    }
    Ok(())
}

pub async fn insert_batch(
    conn: &mut Conn,
    kind: &str,
    file_name: &str,
    sha256: &str,
    rows_read: i64,
    by_label: &str,
) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO import_batches (kind, file_name, sha256, rows_read, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind)
    .bind(file_name)
    .bind(sha256)
    .bind(rows_read)
    .bind(by_label)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// Writes observations from one batch; a later publication of the same measure, area and
/// period replaces the earlier figure (and takes over its provenance).
pub async fn upsert_observations(conn: &mut Conn, batch: i64, rows: &[Observation]) -> StoreResult<()> {
    for chunk in rows.chunks(200) {
        let mut sql =
            String::from("INSERT INTO observations (measure, area_code, period, value, suppressed, batch_id) VALUES ");
        for i in 0..chunk.len() {
            let b = i * 6;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6));
        }
        sql.push_str(
            " ON CONFLICT (measure, area_code, period) DO UPDATE SET value = excluded.value, \
             suppressed = excluded.suppressed, batch_id = excluded.batch_id",
        );
        let mut q = sqlx::query(&sql);
        for o in chunk {
            q = q
                .bind(&o.measure)
                .bind(&o.area_code)
                .bind(&o.period)
                .bind(o.value.as_deref())
                .bind(o.suppressed.as_deref())
                .bind(batch);
        }
        q.execute(&mut *conn).await.map_err(StoreError::from_write)?;
    }
    Ok(())
}

/// Replaces an area's statistical neighbours, nearest first.
pub async fn replace_neighbours(conn: &mut Conn, batch: i64, area: &str, neighbours: &[String]) -> StoreResult<()> {
    sqlx::query("DELETE FROM statistical_neighbours WHERE area_code = $1")
        .bind(area)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    for (rank, n) in neighbours.iter().enumerate() {
        sqlx::query(
            "INSERT INTO statistical_neighbours (area_code, rank, neighbour_code, batch_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(area)
        .bind(rank as i64 + 1)
        .bind(n)
        .bind(batch)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    }
    Ok(())
}

fn area_from_row(r: &AnyRow) -> StoreResult<Area> {
    Ok(Area {
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        level: r.try_get("level")?,
        old_la_code: r.try_get("old_la_code")?,
        region_code: r.try_get("region_code")?,
    })
}

pub async fn areas(conn: &mut Conn) -> StoreResult<Vec<Area>> {
    let rows = sqlx::query("SELECT code, name, level, old_la_code, region_code FROM areas ORDER BY code")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(area_from_row).collect()
}

/// An area by its ONS code or DfE number.
pub async fn area(conn: &mut Conn, code: &str) -> StoreResult<Area> {
    let row = sqlx::query(
        "SELECT code, name, level, old_la_code, region_code FROM areas WHERE code = $1 OR old_la_code = $1 \
         ORDER BY code LIMIT 1",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    area_from_row(&row)
}

/// `$first, $first+1, …` for `n` bound values, for an `IN (…)` list.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// The observations of these measures, for the given areas (all when empty), by area then period.
pub async fn observations(conn: &mut Conn, measures: &[&str], areas: &[String]) -> StoreResult<Vec<Observation>> {
    if measures.is_empty() {
        return Ok(Vec::new());
    }
    let area_filter = if areas.is_empty() {
        String::new()
    } else {
        format!(" AND area_code IN ({})", placeholders(measures.len() + 1, areas.len()))
    };
    let sql = format!(
        "SELECT measure, area_code, period, value, suppressed FROM observations \
         WHERE measure IN ({}){area_filter} ORDER BY area_code, period, measure",
        placeholders(1, measures.len())
    );
    let mut q = sqlx::query(&sql);
    for m in measures {
        q = q.bind(*m);
    }
    for a in areas {
        q = q.bind(a);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(Observation {
                measure: r.try_get("measure")?,
                area_code: r.try_get("area_code")?,
                period: r.try_get("period")?,
                value: r.try_get("value")?,
                suppressed: r.try_get("suppressed")?,
            })
        })
        .collect()
}

/// An area's statistical neighbours, nearest first.
pub async fn neighbours(conn: &mut Conn, area: &str) -> StoreResult<Vec<String>> {
    let rows = sqlx::query("SELECT neighbour_code FROM statistical_neighbours WHERE area_code = $1 ORDER BY rank")
        .bind(area)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| r.try_get("neighbour_code").map_err(StoreError::from)).collect()
}

/// Where a measure's figures came from: the imported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Batch {
    pub id: i64,
    pub kind: String,
    pub file_name: String,
    pub sha256: String,
    pub rows_read: i64,
    pub by_label: String,
    pub created_at: String,
}

pub async fn batches(conn: &mut Conn) -> StoreResult<Vec<Batch>> {
    let rows = sqlx::query(
        "SELECT id, kind, file_name, sha256, rows_read, by_label, created_at FROM import_batches ORDER BY id DESC",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(batch_from_row).collect()
}

/// The area (ONS code) a partnership covers, if set.
pub async fn partnership_area(conn: &mut Conn, p: PartnershipId) -> StoreResult<Option<String>> {
    let row = sqlx::query("SELECT area_code FROM partnership_areas WHERE partnership_id = $1")
        .bind(p.0)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| r.try_get("area_code").map_err(StoreError::from)).transpose()
}

pub async fn set_partnership_area(conn: &mut Conn, p: PartnershipId, area: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO partnership_areas (partnership_id, area_code) VALUES ($1, $2) \
         ON CONFLICT (partnership_id) DO UPDATE SET area_code = excluded.area_code",
    )
    .bind(p.0)
    .bind(area)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// A partnership's RAG thresholds for an indicator, as text figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Threshold {
    pub indicator: String,
    pub green: String,
    pub red: String,
    pub by_label: String,
    pub updated_at: String,
}

pub async fn thresholds(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Threshold>> {
    let rows = sqlx::query(
        "SELECT indicator, green, red, by_label, updated_at FROM indicator_thresholds WHERE partnership_id = $1 \
         ORDER BY indicator",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Threshold {
                indicator: r.try_get("indicator")?,
                green: r.try_get("green")?,
                red: r.try_get("red")?,
                by_label: r.try_get("by_label")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .collect()
}

/// Sets (or with `None` removes) a partnership's thresholds for an indicator.
pub async fn set_threshold(
    conn: &mut Conn,
    p: PartnershipId,
    indicator: &str,
    levels: Option<(&str, &str)>,
    by_label: &str,
) -> StoreResult<()> {
    match levels {
        Some((green, red)) => sqlx::query(
            "INSERT INTO indicator_thresholds (partnership_id, indicator, green, red, by_label, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (partnership_id, indicator) DO UPDATE SET \
             green = excluded.green, red = excluded.red, by_label = excluded.by_label, updated_at = excluded.updated_at",
        )
        .bind(p.0)
        .bind(indicator)
        .bind(green)
        .bind(red)
        .bind(by_label)
        .bind(now_text()),
        None => sqlx::query("DELETE FROM indicator_thresholds WHERE partnership_id = $1 AND indicator = $2")
            .bind(p.0)
            .bind(indicator),
    }
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// The performance subgroup's comment on an indicator for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub id: i64,
    pub indicator: String,
    pub period: String,
    pub body: String,
    pub by_label: String,
    pub created_at: String,
}

pub async fn add_comment(
    conn: &mut Conn,
    p: PartnershipId,
    indicator: &str,
    period: &str,
    body: &str,
    by_label: &str,
) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO indicator_commentary (partnership_id, indicator, period, body, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(p.0)
    .bind(indicator)
    .bind(period)
    .bind(body)
    .bind(by_label)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// A partnership's commentary, on one indicator or all, newest period first.
pub async fn commentary(conn: &mut Conn, p: PartnershipId, indicator: Option<&str>) -> StoreResult<Vec<Comment>> {
    let rows = sqlx::query(
        "SELECT id, indicator, period, body, by_label, created_at FROM indicator_commentary \
         WHERE partnership_id = $1 AND ($2 = '' OR indicator = $2) ORDER BY period DESC, id DESC",
    )
    .bind(p.0)
    .bind(indicator.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Comment {
                id: r.try_get("id")?,
                indicator: r.try_get("indicator")?,
                period: r.try_get("period")?,
                body: r.try_get("body")?,
                by_label: r.try_get("by_label")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

fn batch_from_row(r: &AnyRow) -> StoreResult<Batch> {
    Ok(Batch {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        file_name: r.try_get("file_name")?,
        sha256: r.try_get("sha256")?,
        rows_read: r.try_get("rows_read")?,
        by_label: r.try_get("by_label")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Which file each of an area's figures came from: (measure, period, the file's import).
pub async fn provenance(conn: &mut Conn, area: &str, measures: &[&str]) -> StoreResult<Vec<(String, String, Batch)>> {
    if measures.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT o.measure, o.period, b.id, b.kind, b.file_name, b.sha256, b.rows_read, b.by_label, b.created_at \
         FROM observations o JOIN import_batches b ON b.id = o.batch_id WHERE o.area_code = $1 AND o.measure IN ({}) \
         ORDER BY o.period, o.measure",
        placeholders(2, measures.len())
    );
    let mut q = sqlx::query(&sql).bind(area);
    for m in measures {
        q = q.bind(*m);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter().map(|r| Ok((r.try_get("measure")?, r.try_get("period")?, batch_from_row(r)?))).collect()
}

/// A figure the business unit entered from a publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnteredFigure {
    pub id: FigureId,
    pub area_code: String,
    pub measure: String,
    pub period: String,
    pub value: String,
    pub source: String,
    pub by_label: String,
    pub updated_at: String,
}

/// What an entry writes.
pub struct NewFigure<'a> {
    pub area_code: &'a str,
    pub measure: &'a str,
    pub period: &'a str,
    pub value: &'a str,
    pub source: &'a str,
    pub by_label: &'a str,
}

/// Enters a figure, or replaces the one already entered for the same area, measure and period.
/// Returns its id and the value it replaced.
pub async fn enter_figure(conn: &mut Conn, p: PartnershipId, f: &NewFigure<'_>) -> StoreResult<(i64, Option<String>)> {
    let before = sqlx::query(
        "SELECT value FROM entered_figures WHERE partnership_id = $1 AND area_code = $2 AND measure = $3 AND period = $4",
    )
    .bind(p.0)
    .bind(f.area_code)
    .bind(f.measure)
    .bind(f.period)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| r.try_get::<String, _>("value"))
    .transpose()?;
    let row = sqlx::query(
        "INSERT INTO entered_figures (partnership_id, area_code, measure, period, value, source, by_label, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (partnership_id, area_code, measure, period) DO UPDATE SET \
         value = excluded.value, source = excluded.source, by_label = excluded.by_label, updated_at = excluded.updated_at \
         RETURNING id",
    )
    .bind(p.0)
    .bind(f.area_code)
    .bind(f.measure)
    .bind(f.period)
    .bind(f.value)
    .bind(f.source)
    .bind(f.by_label)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok((row.try_get("id")?, before))
}

/// Removes an entered figure of the partnership; NotFound when it has no such figure.
pub async fn remove_figure(conn: &mut Conn, p: PartnershipId, id: i64) -> StoreResult<EnteredFigure> {
    let figure =
        entered_figures(conn, p).await?.into_iter().find(|f| f.id == FigureId(id)).ok_or(StoreError::NotFound)?;
    sqlx::query("DELETE FROM entered_figures WHERE partnership_id = $1 AND id = $2")
        .bind(p.0)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(figure)
}

/// The partnership's entered figures, by area, measure and period.
pub async fn entered_figures(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<EnteredFigure>> {
    let rows = sqlx::query(
        "SELECT id, area_code, measure, period, value, source, by_label, updated_at FROM entered_figures \
         WHERE partnership_id = $1 ORDER BY area_code, measure, period",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(EnteredFigure {
                id: FigureId(r.try_get("id")?),
                area_code: r.try_get("area_code")?,
                measure: r.try_get("measure")?,
                period: r.try_get("period")?,
                value: r.try_get("value")?,
                source: r.try_get("source")?,
                by_label: r.try_get("by_label")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .collect()
}

/// The partnership's versions of the catalogue's indicators, by indicator then version.
pub async fn indicator_versions(
    conn: &mut Conn,
    p: PartnershipId,
) -> StoreResult<Vec<(String, assure_domain::intelligence::indicators::Definition)>> {
    let rows = sqlx::query(
        "SELECT indicator, version, effective_from, title, definition, polarity, decimals, suppress_below, owner, \
         supplier_id, reason, by_label, created_at FROM indicator_versions WHERE partnership_id = $1 \
         ORDER BY indicator, version",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let polarity: String = r.try_get("polarity")?;
            let number = |name: &str| -> StoreResult<u32> {
                let v: i64 = r.try_get(name)?;
                u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{name} {v}")))
            };
            Ok((
                r.try_get("indicator")?,
                assure_domain::intelligence::indicators::Definition {
                    version: number("version")?,
                    effective_from: Some(r.try_get("effective_from")?),
                    title: r.try_get("title")?,
                    definition: r.try_get("definition")?,
                    polarity: assure_domain::intelligence::indicators::Polarity::from_code(&polarity)
                        .ok_or_else(|| StoreError::Corrupt(format!("polarity {polarity}")))?,
                    decimals: number("decimals")?,
                    suppress_below: number("suppress_below")?,
                    owner: r.try_get("owner")?,
                    supplier_id: r.try_get("supplier_id")?,
                    reason: r.try_get("reason")?,
                    by_label: r.try_get("by_label")?,
                    created_at: r.try_get("created_at")?,
                },
            ))
        })
        .collect()
}

/// Adds a version of an indicator; a version number already taken is a constraint error.
pub async fn add_indicator_version(
    conn: &mut Conn,
    p: PartnershipId,
    indicator: &str,
    d: &assure_domain::intelligence::indicators::Definition,
    by_label: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO indicator_versions (partnership_id, indicator, version, effective_from, title, definition, \
         polarity, decimals, suppress_below, owner, supplier_id, reason, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(p.0)
    .bind(indicator)
    .bind(i64::from(d.version))
    .bind(d.effective_from.as_deref().unwrap_or(""))
    .bind(&d.title)
    .bind(&d.definition)
    .bind(d.polarity.code())
    .bind(i64::from(d.decimals))
    .bind(i64::from(d.suppress_below))
    .bind(d.owner.as_deref())
    .bind(d.supplier_id)
    .bind(d.reason.as_deref().unwrap_or(""))
    .bind(by_label)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// The dashboards' inputs' generation: triggers add one on every write to any table a dashboard
/// reads (migration 0021), in the writing transaction.
pub async fn figures_generation(conn: &mut Conn) -> StoreResult<i64> {
    Ok(sqlx::query("SELECT generation FROM figures_generation WHERE id = 1").fetch_one(&mut *conn).await?.try_get(0)?)
}
