//! Published statistics and the indicators computed from them.
//!
//! `assure import FILE…` recognises the DfE explore-education-statistics files (referrals, children
//! in need, child protection plans, looked-after children), the ONS 0–17 population estimates
//! and DfE's statistical-neighbour groupings, checks every row (row and column in each error),
//! and loads them for every area, England and the regions as comparators; a file with any
//! problem loads nothing. Indicators are computed on reading, from the counts and populations,
//! as [`assure_domain::indicators`] defines them.

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::indicators::{Comment, EnteredFigure};

use assure_domain::cells::{column_letter, shown};
use assure_domain::structure::ArmKind;
use std::collections::{BTreeMap, HashMap};

use assure_domain::indicators::{self as ind, Formula, Indicator, measure};
use assure_store::audit;
use assure_store::indicators::{self as st, Area, Observation};
use serde::Serialize;
use serde_json::json;
use sha2::Digest;

use crate::{Core, CoreError, CoreResult, Ctx};

/// A kind of published file, recognised by its headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Referrals,
    ChildrenInNeed,
    Population,
    SubsequentPlans,
    PlansAt31March,
    LookedAfter,
    Neighbours,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Referrals => "dfe_referrals",
            Kind::ChildrenInNeed => "dfe_children_in_need",
            Kind::Population => "ons_population_0_17",
            Kind::SubsequentPlans => "dfe_subsequent_plans",
            Kind::PlansAt31March => "dfe_plans_at_31_march",
            Kind::LookedAfter => "dfe_looked_after",
            Kind::Neighbours => "dfe_statistical_neighbours",
        }
    }

    /// The measures each file gives, from which column.
    fn measures(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Kind::Referrals => &[("referral_count", measure::REFERRALS), ("rereferral_count", measure::REREFERRALS)],
            Kind::ChildrenInNeed => &[("At31_episodes", measure::CIN_AT31)],
            Kind::Population => &[("population_estimate", measure::POPULATION_0_17)],
            Kind::SubsequentPlans => &[("CPP_start", measure::CPP_STARTS), ("CPP_subsequent", measure::CPP_SUBSEQUENT)],
            Kind::PlansAt31March => &[("CPP_At31", measure::CPP_AT31)],
            Kind::LookedAfter => {
                &[("children_count", measure::CLA_AT31), ("population_estimate", measure::CLA_POPULATION)]
            }
            Kind::Neighbours => &[],
        }
    }
}

/// The published files shipped with Assure (see `data/published/README.md`), for the demo.
pub const SHIPPED: [(&str, &[u8]); 7] = [
    (
        "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
        include_bytes!("../../../data/published/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"),
    ),
    (
        "b1_children_in_need_2013_to_2025.csv",
        include_bytes!("../../../data/published/b1_children_in_need_2013_to_2025.csv"),
    ),
    (
        "ons_mid-year_population_estimates_2012_to_2024.csv",
        include_bytes!("../../../data/published/ons_mid-year_population_estimates_2012_to_2024.csv"),
    ),
    (
        "d3_cpps_subsequent_plan_2013_to_2025.csv",
        include_bytes!("../../../data/published/d3_cpps_subsequent_plan_2013_to_2025.csv"),
    ),
    (
        "d5_cpps_at31march_by_duration_2013_to_2025.csv",
        include_bytes!("../../../data/published/d5_cpps_at31march_by_duration_2013_to_2025.csv"),
    ),
    (
        "cla_number_and_rate_per_10k_children.csv",
        include_bytes!("../../../data/published/cla_number_and_rate_per_10k_children.csv"),
    ),
    (
        "New_Statistical_Neighbour_Groupings_April_2021.csv",
        include_bytes!("../../../data/published/New_Statistical_Neighbour_Groupings_April_2021.csv"),
    ),
];

/// What each known file looks like, for the message about a file that is none of them.
pub const KNOWN_FORMATS: &str = "the DfE explore-education-statistics CSVs of referrals and re-referrals (c1), \
    children in need (b1), second or subsequent child protection plans (d3), child protection plans at 31 March (d5) \
    and children looked after (number and rate per 10,000), the ONS mid-year 0-17 population estimates, and DfE's \
    statistical neighbour groupings";

fn recognise(header: &[String]) -> Option<Kind> {
    let has = |c: &str| header.iter().any(|h| h == c);
    if header.first().is_some_and(|h| h == "LA num") && has("SN1") {
        return Some(Kind::Neighbours);
    }
    if !has("time_period") || !has("geographic_level") {
        return None;
    }
    Some(if has("referral_count") && has("rereferral_count") {
        Kind::Referrals
    } else if has("At31_episodes") {
        Kind::ChildrenInNeed
    } else if has("children_count") && has("population_type") {
        Kind::LookedAfter
    } else if has("population_estimate") && has("age_group") {
        Kind::Population
    } else if has("CPP_subsequent") && has("CPP_start") {
        Kind::SubsequentPlans
    } else if has("CPP_At31") {
        Kind::PlansAt31March
    } else {
        return None;
    })
}

/// A file read and checked, ready to load.
#[derive(Debug)]
struct Parsed {
    kind: Kind,
    rows: usize,
    areas: Vec<Area>,
    observations: Vec<Observation>,
    /// For the neighbour groupings: DfE LA number → its neighbours' numbers, nearest first.
    neighbours: Vec<(usize, String, Vec<String>)>,
}

/// DfE's codes for a figure not published.
const SUPPRESSION: [&str; 6] = ["c", "z", "x", ":", "u", "low"];

/// Checks a file of published statistics as an import would, without importing it: its kind
/// and how many rows and figures it holds, or every problem by row and column.
pub fn check_published(bytes: &[u8], this_year: i32) -> Result<(String, usize, usize), Vec<String>> {
    parse(bytes, this_year).map(|p| (format!("{:?}", p.kind), p.rows, p.observations.len() + p.neighbours.len()))
}

fn parse(bytes: &[u8], this_year: i32) -> Result<Parsed, Vec<String>> {
    if bytes.len() > crate::tables::Limits::PUBLISHED.max_bytes {
        return Err(vec![format!(
            "The file is larger than {} MB, the most a file of published statistics can be",
            crate::tables::Limits::PUBLISHED.max_bytes / (1024 * 1024)
        )]);
    }
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    if !first_line.contains(&b',') && (first_line.contains(&b';') || first_line.contains(&b'\t')) {
        return Err(vec!["Row 1: the file is not comma-separated (it uses semicolons or tabs): save it as CSV".into()]);
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Err(_) => return Err(vec!["Row 1: the file is not a CSV file that can be read".into()]),
    };
    let Some(kind) = recognise(&header) else {
        return Err(vec![format!(
            "Row 1: the headings are not those of any file Assure knows; it reads {KNOWN_FORMATS}"
        )]);
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let mut errors: Vec<String> = Vec::new();
    let mut parsed = Parsed { kind, rows: 0, areas: Vec::new(), observations: Vec::new(), neighbours: Vec::new() };
    let mut seen_areas: HashMap<String, usize> = HashMap::new();
    for (i, record) in reader.byte_records().enumerate() {
        let row = i + 2;
        if errors.len() >= 50 {
            errors.push("… and more: nothing was imported".into());
            break;
        }
        let record = match record.map(csv::StringRecord::from_byte_record) {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                let column = column_letter(e.utf8_error().field());
                errors.push(format!("Row {row}, column {column}: the text is not UTF-8: save the file as CSV UTF-8"));
                continue;
            }
            Err(_) => {
                errors.push(format!("Row {row}: the row cannot be read (a quoted cell is not closed?)"));
                continue;
            }
        };
        parsed.rows += 1;
        if parsed.rows >= crate::tables::Limits::PUBLISHED.max_rows {
            errors.push(format!(
                "Row {row}: the file has more rows than {} takes ({}): nothing was imported",
                crate::tables::Limits::PUBLISHED.what,
                crate::tables::Limits::PUBLISHED.max_rows
            ));
            break;
        }
        let cell = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::trim).unwrap_or("");
        if kind == Kind::Neighbours {
            let number = cell(Some(0));
            if number.is_empty() {
                continue;
            }
            if !number.bytes().all(|b| b.is_ascii_digit()) {
                errors
                    .push(format!("Row {row}, column A (LA num): '{}' is not a local authority number", shown(number)));
                continue;
            }
            let mut list = Vec::new();
            for n in 1..=10 {
                let Some(c) = col(&format!("SN{n}")) else { continue };
                let v = cell(Some(c));
                if v.is_empty() {
                    continue;
                }
                if !v.bytes().all(|b| b.is_ascii_digit()) {
                    errors.push(format!(
                        "Row {row}, column {} (SN{n}): '{}' is not a local authority number",
                        column_letter(c),
                        shown(v)
                    ));
                }
                list.push(v.to_owned());
            }
            parsed.neighbours.push((row, number.to_owned(), list));
            continue;
        }
        // The period: a year, not in the future.
        let period = cell(col("time_period"));
        match period.parse::<i32>() {
            Ok(y) if (1990..=this_year + 1).contains(&y) => {}
            Ok(_) if period.len() == 4 => {
                errors.push(format!(
                    "Row {row}, column {} (time_period): {period} is in the future",
                    column_letter(col("time_period").unwrap_or(0))
                ));
                continue;
            }
            _ => {
                errors.push(format!(
                    "Row {row}, column {} (time_period): '{}' is not a year",
                    column_letter(col("time_period").unwrap_or(0)),
                    shown(period)
                ));
                continue;
            }
        }
        if kind == Kind::Population && cell(col("age_group")) != "Children aged 0 to 17 years" {
            continue;
        }
        if kind == Kind::LookedAfter && cell(col("population_type")) != "Children looked after on 31 March each year" {
            continue;
        }
        let level = cell(col("geographic_level"));
        let area = match level {
            "National" => Area {
                code: cell(col("country_code")).to_owned(),
                name: cell(col("country_name")).to_owned(),
                level: "national".into(),
                old_la_code: None,
                region_code: None,
            },
            "Regional" => Area {
                code: cell(col("region_code")).to_owned(),
                name: cell(col("region_name")).to_owned(),
                level: "regional".into(),
                old_la_code: None,
                region_code: None,
            },
            "Local authority" => Area {
                code: cell(col("new_la_code")).to_owned(),
                name: cell(col("la_name")).to_owned(),
                level: "local_authority".into(),
                old_la_code: Some(cell(col("old_la_code")).to_owned()).filter(|c| !c.is_empty()),
                region_code: Some(cell(col("region_code")).to_owned()).filter(|c| !c.is_empty()),
            },
            // Other levels (local authority districts, say) are not what the indicators compare.
            _ => continue,
        };
        if area.code.is_empty() || area.name.is_empty() {
            errors.push(format!("Row {row}: the area's code or name is missing"));
            continue;
        }
        if !seen_areas.contains_key(&area.code) {
            seen_areas.insert(area.code.clone(), parsed.areas.len());
            parsed.areas.push(area.clone());
        }
        for (column, name) in kind.measures() {
            let Some(c) = col(column) else {
                errors.push(format!("Row 1: the heading '{column}' is missing"));
                continue;
            };
            let raw = cell(Some(c));
            let mut obs = Observation {
                measure: (*name).to_owned(),
                area_code: area.code.clone(),
                period: period.to_owned(),
                value: None,
                suppressed: None,
            };
            if SUPPRESSION.contains(&raw) {
                obs.suppressed = Some(raw.to_owned());
            } else if raw.is_empty() {
                obs.suppressed = Some("x".into());
            } else if ind::decimal(raw).is_some() {
                if (*name == measure::POPULATION_0_17 || *name == measure::CLA_POPULATION)
                    && ind::decimal(raw).is_some_and(|(d, _)| d == 0)
                {
                    errors.push(format!(
                        "Row {row}, column {} ({column}): a population of 0 cannot be divided by",
                        column_letter(c)
                    ));
                    continue;
                }
                obs.value = Some(raw.to_owned());
            } else {
                errors.push(format!(
                    "Row {row}, column {} ({column}): '{}' is not a number",
                    column_letter(c),
                    shown(raw)
                ));
                continue;
            }
            parsed.observations.push(obs);
        }
    }
    if parsed.rows == 0 {
        errors.push("The file has headings but no rows".into());
    } else if errors.is_empty() && parsed.observations.is_empty() && parsed.neighbours.is_empty() {
        errors.push(format!(
            "The file has {} rows but no figures Assure uses (for England, its regions or local authorities): nothing was imported",
            parsed.rows
        ));
    }
    if errors.is_empty() { Ok(parsed) } else { Err(errors) }
}

/// What an import loaded.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub kind: String,
    pub rows: usize,
    pub areas: usize,
    pub figures: usize,
}

/// One computed value with how it was made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Value {
    pub area_code: String,
    pub area_name: String,
    /// The DfE year (2019 = the year ending 31 March 2019).
    pub year: String,
    /// "2018-19".
    pub period: String,
    /// As published would print it, such as "719.2"; None where it cannot be computed.
    pub value: Option<String>,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    /// Why there is no value: a suppressed figure, or a missing one.
    pub note: Option<String>,
    /// The version of the indicator's definition it was made under.
    pub version: u32,
}

impl Value {
    pub fn number(&self) -> Option<f64> {
        self.value.as_deref().and_then(|v| v.parse().ok())
    }
}

impl Core {
    fn authorize_published(&self, ctx: &Ctx) -> CoreResult<()> {
        // Published statistics serve every partnership: the console or an administrator loads them.
        if self.may_import_frameworks(ctx) { Ok(()) } else { Err(CoreError::Forbidden) }
    }

    /// Imports published files, all or nothing: every file is checked before anything is
    /// written, and a problem anywhere leaves every figure as it was.
    pub async fn import_published(&self, ctx: &Ctx, files: &[(String, Vec<u8>)]) -> CoreResult<Vec<ImportReport>> {
        self.import_published_for(ctx, files, None).await
    }

    /// As [`Core::import_published`], keeping only one local authority (by DfE number), its
    /// statistical neighbours, its region and England: what the demo needs.
    pub(crate) async fn import_published_for(
        &self,
        ctx: &Ctx,
        files: &[(String, Vec<u8>)],
        around: Option<&str>,
    ) -> CoreResult<Vec<ImportReport>> {
        self.authorize_published(ctx)?;
        let this_year = self.today().format("%Y").to_string().parse::<i32>().unwrap_or(2100);
        let mut errors = assure_domain::FieldErrors::new();
        let mut parsed = Vec::new();
        // Checking every row of every file is CPU work: off the async runtime, bounded.
        let owned = files.to_vec();
        let results = self
            .parsing
            .run(move || {
                owned
                    .into_iter()
                    .map(|(name, bytes)| {
                        let sha = hex::encode(sha2::Sha256::digest(&bytes));
                        (name, sha, parse(&bytes, this_year))
                    })
                    .collect::<Vec<_>>()
            })
            .await?;
        for (name, sha, result) in results {
            match result {
                Ok(p) => parsed.push((name, sha, p)),
                Err(es) => {
                    for e in es {
                        errors.add("file", format!("{}: {e}", shown(&name)));
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        if let Some(la) = around {
            let mut keep: Vec<String> = vec![la.to_owned()];
            for (_, _, p) in &parsed {
                if let Some((_, _, list)) = p.neighbours.iter().find(|(_, n, _)| n == la) {
                    keep.extend(list.iter().cloned());
                }
            }
            let region = parsed
                .iter()
                .flat_map(|(_, _, p)| p.areas.iter())
                .find(|a| a.old_la_code.as_deref() == Some(la))
                .and_then(|a| a.region_code.clone());
            let wanted = |a: &Area| {
                a.level == "national"
                    || (a.level == "regional" && Some(&a.code) == region.as_ref())
                    || a.old_la_code.as_ref().is_some_and(|n| keep.contains(n))
            };
            for (_, _, p) in &mut parsed {
                p.areas.retain(|a| wanted(a));
                let codes: Vec<String> = p.areas.iter().map(|a| a.code.clone()).collect();
                p.observations.retain(|o| codes.contains(&o.area_code));
                p.neighbours.retain(|(_, n, _)| keep.contains(n));
            }
        }
        // Neighbour groupings refer to areas by DfE number: load them after the areas.
        parsed.sort_by_key(|(_, _, p)| p.kind == Kind::Neighbours);
        let mut reports = Vec::new();
        let mut tx = self.store.write().await?;
        for (name, sha, p) in &parsed {
            let batch = st::insert_batch(&mut tx, p.kind.code(), name, sha, p.rows as i64, &ctx.label).await?;
            st::upsert_areas(&mut tx, &p.areas).await?;
            st::upsert_observations(&mut tx, batch, &p.observations).await?;
            if p.kind == Kind::Neighbours {
                let by_number: HashMap<String, String> =
                    st::areas(&mut tx).await?.into_iter().filter_map(|a| a.old_la_code.map(|n| (n, a.code))).collect();
                let mut problems = Vec::new();
                for (row, number, list) in &p.neighbours {
                    let Some(code) = by_number.get(number) else {
                        // An authority since reorganised (or one the DfE files do not cover).
                        continue;
                    };
                    let codes: Vec<String> = list.iter().filter_map(|n| by_number.get(n).cloned()).collect();
                    if codes.is_empty() && !list.is_empty() {
                        problems.push(format!("{name}: Row {row}: none of the neighbours of {number} is a known area"));
                        continue;
                    }
                    st::replace_neighbours(&mut tx, batch, code, &codes).await?;
                }
                if by_number.is_empty() {
                    problems.push(format!(
                        "{name}: the neighbour groupings name areas by DfE number: import a DfE file first (or with it)"
                    ));
                }
                if !problems.is_empty() {
                    let mut e = assure_domain::FieldErrors::new();
                    for m in problems {
                        e.add("file", m);
                    }
                    return Err(e.into());
                }
            }
            audit::append(
                &mut tx,
                ctx.entry(
                    "import",
                    "published_data",
                    Some(batch.to_string()),
                    None,
                    json!({"file": name, "kind": p.kind.code(), "sha256": sha, "rows": p.rows,
                           "figures": p.observations.len()}),
                ),
            )
            .await?;
            reports.push(ImportReport {
                file: name.clone(),
                kind: p.kind.code().into(),
                rows: p.rows,
                areas: p.areas.len(),
                figures: p.observations.len() + p.neighbours.len(),
            });
        }
        tx.commit().await?;
        Ok(reports)
    }

    /// An indicator's values for one area (its ONS code or DfE number) or every area, by area
    /// then year.
    pub async fn indicator_values(
        &self,
        code: &str,
        area: Option<&str>,
    ) -> CoreResult<(&'static Indicator, Vec<Value>)> {
        let indicator = ind::indicator(code).ok_or_else(|| {
            let known: Vec<&str> = ind::CATALOGUE.iter().map(|i| i.code).collect();
            CoreError::field("indicator", format!("No indicator '{code}': the catalogue has {}", known.join(", ")))
        })?;
        if indicator.partnership_own() {
            return Err(CoreError::field(
                "indicator",
                format!(
                    "{code} is computed from a partnership's returns or extracts: read it on the dashboard or through the API with ?partnership="
                ),
            ));
        }
        let mut conn = self.store.read().await?;
        let area = match area {
            Some(a) => Some(match st::area(&mut conn, a.trim()).await {
                Ok(a) => a,
                Err(assure_store::StoreError::NotFound) => {
                    return Err(CoreError::field("area", format!("No area '{a}' in the published data")));
                }
                Err(e) => return Err(e.into()),
            }),
            None => None,
        };
        let areas: Vec<String> = area.into_iter().map(|a| a.code).collect();
        let names = area_names(&mut conn).await?;
        let values = values_in(&mut conn, indicator, &areas, &names).await?;
        Ok((indicator, values))
    }
}

/// Area names by code.
async fn area_names(conn: &mut assure_store::Conn) -> CoreResult<HashMap<String, String>> {
    Ok(st::areas(conn).await?.into_iter().map(|a| (a.code, a.name)).collect())
}

/// An indicator's values in the given areas (every area when empty).
async fn values_in(
    conn: &mut assure_store::Conn,
    indicator: &Indicator,
    areas: &[String],
    names: &HashMap<String, String>,
) -> CoreResult<Vec<Value>> {
    let rows = st::observations(conn, &indicator.formula.measures(), areas).await?;
    Ok(compute(indicator, &rows, names))
}

/// The indicator's values from the observations of its measures.
fn compute(indicator: &Indicator, rows: &[Observation], names: &HashMap<String, String>) -> Vec<Value> {
    let mut by: BTreeMap<(&str, &str), HashMap<&str, &Observation>> = BTreeMap::new();
    for o in rows {
        by.entry((o.area_code.as_str(), o.period.as_str())).or_default().insert(o.measure.as_str(), o);
    }
    let figure = |area: &str, period: &str, m: &str| -> Result<String, String> {
        let when = if m.starts_with("population") { format!("mid-{period}") } else { ind::period_label(period) };
        match by.get(&(area, period)).and_then(|ms| ms.get(m)) {
            Some(o) => match (&o.value, &o.suppressed) {
                (Some(v), _) => Ok(v.clone()),
                (None, Some(s)) => Err(format!("{m} for {when} is not published ({s})")),
                (None, None) => Err(format!("{m} is missing")),
            },
            None => Err(format!("{m} for {when} is not in the published data")),
        }
    };
    let mut out = Vec::new();
    let main = match indicator.formula {
        Formula::Count(m) | Formula::RatePerTenThousandChildren(m) | Formula::RatePerHundredThousandAdults(m) => m,
        Formula::Ratio { numerator, .. } => numerator,
    };
    for (area, period) in by.keys().copied().collect::<Vec<_>>() {
        if !by[&(area, period)].contains_key(main) {
            continue;
        }
        let (numerator, denominator, result) = match indicator.formula {
            Formula::Count(m) => {
                let n = figure(area, period, m);
                (n.clone().ok(), None, n)
            }
            Formula::RatePerTenThousandChildren(m) | Formula::RatePerHundredThousandAdults(m) => {
                let (population, scale) = match indicator.formula {
                    Formula::RatePerTenThousandChildren(_) => (measure::POPULATION_0_17, 10_000),
                    _ => (measure::POPULATION_18_PLUS, 100_000),
                };
                let previous = ind::population_year(period).unwrap_or_default();
                let n = figure(area, period, m);
                let d = figure(area, &previous, population);
                let r = match (&n, &d) {
                    (Ok(n), Ok(d)) => ind::ratio(n, d, scale, indicator.decimals).ok_or_else(|| "no population".into()),
                    (Err(e), _) | (_, Err(e)) => Err(e.clone()),
                };
                (n.ok(), d.ok(), r)
            }
            Formula::Ratio { numerator, denominator, scale } => {
                let n = figure(area, period, numerator);
                let d = figure(area, period, denominator);
                let r = match (&n, &d) {
                    (Ok(n), Ok(d)) => {
                        ind::ratio(n, d, scale, indicator.decimals).ok_or_else(|| "nothing to divide by".into())
                    }
                    (Err(e), _) | (_, Err(e)) => Err(e.clone()),
                };
                (n.ok(), d.ok(), r)
            }
        };
        let (value, note) = match result {
            Ok(v) => (Some(v), None),
            Err(e) => (None, Some(e)),
        };
        out.push(Value {
            area_code: area.to_owned(),
            area_name: names.get(area).cloned().unwrap_or_default(),
            year: period.to_owned(),
            period: ind::period_label(period),
            value,
            numerator,
            denominator,
            note,
            version: indicator.version,
        });
    }
    out
}

/// An indicator's versions for the partnership: the shipped definition, then the business
/// unit's, oldest first.
fn versions_of(indicator: &Indicator, stored: &[(String, ind::Definition)]) -> Vec<ind::Definition> {
    std::iter::once(ind::Definition::shipped(indicator))
        .chain(stored.iter().filter(|(c, _)| c == indicator.code).map(|(_, d)| d.clone()))
        .collect()
}

/// The version in force for a period (its key).
pub fn version_for<'a>(versions: &'a [ind::Definition], key: &str) -> Option<&'a ind::Definition> {
    versions.iter().rev().find(|d| d.effective_from.as_deref().is_none_or(|from| key >= from))
}

/// Makes each value under the version in force for its period: its decimal places and
/// small-count suppression. Values before a version's first period keep the earlier one.
fn apply_versions(indicator: &Indicator, versions: &[ind::Definition], values: &mut [Value]) {
    for v in values {
        let Some(def) = version_for(versions, &v.year) else {
            continue;
        };
        v.version = def.version;
        if def.effective_from.is_none() || v.value.is_none() {
            continue;
        }
        match ind::value_of(
            indicator.formula,
            v.numerator.as_deref(),
            v.denominator.as_deref(),
            def.decimals,
            def.suppress_below,
        ) {
            Ok(x) => v.value = Some(x),
            Err(e) => (v.value, v.note) = (None, Some(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,rereferral_percent";

    #[test]
    fn files_are_recognised_by_their_headings_and_checked_row_by_row() {
        let good = format!(
            "\u{feff}{HEAD}\n2019,Reporting year,National,E92000001,England,,,,,,R,650930,147080,22.6\n\
             2019,Reporting year,Local authority,E92000001,England,E12000006,East of England,882,E06000033,Southend-on-Sea,R,2772,677,24.4\n\
             2018,Reporting year,Local authority,E92000001,England,E12000006,East of England,882,E06000033,Southend-on-Sea,R,c,x,c\n"
        );
        let p = parse(good.as_bytes(), 2026).expect("valid");
        assert_eq!(p.kind, Kind::Referrals);
        assert_eq!((p.rows, p.areas.len(), p.observations.len()), (3, 2, 6));
        assert_eq!(p.observations[4].suppressed.as_deref(), Some("c"));

        let bad = format!(
            "{HEAD}\n2019,Reporting year,Local authority,E92000001,England,E12000006,East,882,E06000033,Southend-on-Sea,R,lots,677,24.4\n\
             2031,Reporting year,National,E92000001,England,,,,,,R,1,1,1\n"
        );
        assert_eq!(
            parse(bad.as_bytes(), 2026).expect_err("bad"),
            vec![
                "Row 2, column L (referral_count): 'lots' is not a number".to_owned(),
                "Row 3, column A (time_period): 2031 is in the future".to_owned(),
            ]
        );
        let e = parse(b"a;b;c\n1;2;3\n", 2026).expect_err("semicolons");
        assert!(e[0].contains("not comma-separated"), "{e:?}");
        let e = parse(b"name,count\nx,1\n", 2026).expect_err("unknown");
        assert!(e[0].starts_with("Row 1: the headings are not those of any file Assure knows"), "{e:?}");
        let pop = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,age_group,population_estimate\n\
                   2018,Reporting year,Local authority,E92000001,England,E12000006,East,882,E06000033,Southend-on-Sea,Children aged 0 to 17 years,0\n";
        assert_eq!(
            parse(pop.as_bytes(), 2026).expect_err("zero"),
            vec!["Row 2, column L (population_estimate): a population of 0 cannot be divided by".to_owned()]
        );
    }

    #[test]
    fn a_rate_divides_by_the_preceding_mid_year_population() {
        let obs = |m: &str, p: &str, v: &str| Observation {
            measure: m.into(),
            area_code: "E06000033".into(),
            period: p.into(),
            value: Some(v.into()),
            suppressed: None,
        };
        let rows = vec![
            obs(measure::POPULATION_0_17, "2018", "38542"),
            obs(measure::POPULATION_0_17, "2019", "99999"),
            obs(measure::REFERRALS, "2019", "2772"),
            obs(measure::REFERRALS, "2018", "2325"),
        ];
        let names = HashMap::from([("E06000033".to_owned(), "Southend-on-Sea".to_owned())]);
        let values = compute(ind::indicator("children.referral_rate").expect("shipped"), &rows, &names);
        assert_eq!(values.len(), 2);
        assert_eq!(values[0].period, "2017-18");
        assert_eq!(values[0].value, None);
        assert!(
            values[0]
                .note
                .as_deref()
                .unwrap_or_default()
                .contains("population_0_17 for mid-2017 is not in the published data")
        );
        assert_eq!(values[1].value.as_deref(), Some("719.2"));
        assert_eq!(values[1].denominator.as_deref(), Some("38542"));
    }
}

/// England's ONS code: every indicator is compared with it.
pub const ENGLAND: &str = "E92000001";

/// One year of a tile's trend: the area, England and the statistical neighbours' mean.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub year: String,
    pub period: String,
    pub ours: Option<f64>,
    pub england: Option<f64>,
    pub neighbours: Option<f64>,
}

/// One indicator on the dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct Tile {
    pub indicator: &'static Indicator,
    /// The definition in force now (the latest version).
    pub def: ind::Definition,
    /// Every version, oldest first.
    pub versions: Vec<ind::Definition>,
    /// The area's latest value, and the one before it (years, or quarters where the figures
    /// come quarterly).
    pub latest: Option<Value>,
    pub previous: Option<Value>,
    /// The whole year compared with England and the neighbours: the latest the area has a value
    /// for and England has one too (else the area's latest year).
    pub compared: Option<Value>,
    pub england: Option<f64>,
    /// The mean of the statistical neighbours' values for the compared year, over those published.
    pub neighbours: Option<f64>,
    pub neighbours_published: usize,
    pub threshold: Option<st::Threshold>,
    pub rag: Option<assure_domain::learning::Rag>,
    /// The trend: by year, or by quarter where the figures come quarterly.
    pub series: Vec<Point>,
    /// Whole years with England and the neighbours (the series itself for yearly indicators).
    pub annual: Vec<Point>,
    /// The area's values, every period (for the indicator's page).
    pub history: Vec<Value>,
    pub latest_comment: Option<st::Comment>,
}

impl Tile {
    /// The change since the previous period, in the indicator's units.
    pub fn change(&self) -> Option<f64> {
        Some(self.latest.as_ref()?.number()? - self.previous.as_ref()?.number()?)
    }

    /// Whether the compared year is better, worse or no different from England's, by polarity.
    pub fn against_england(&self) -> Option<&'static str> {
        let (ours, england) = (self.compared.as_ref()?.number()?, self.england?);
        Some(match (self.def.polarity, ours.total_cmp(&england)) {
            (_, std::cmp::Ordering::Equal) => "the same as England",
            (ind::Polarity::Neither, std::cmp::Ordering::Greater) => "above England",
            (ind::Polarity::Neither, _) => "below England",
            (ind::Polarity::LowerIsBetter, std::cmp::Ordering::Less)
            | (ind::Polarity::HigherIsBetter, std::cmp::Ordering::Greater) => "better than England",
            _ => "worse than England",
        })
    }

    /// A tile with no figures.
    fn empty(indicator: &'static Indicator) -> Self {
        Tile {
            indicator,
            def: ind::Definition::shipped(indicator),
            versions: vec![ind::Definition::shipped(indicator)],
            latest: None,
            previous: None,
            compared: None,
            england: None,
            neighbours: None,
            neighbours_published: 0,
            threshold: None,
            rag: None,
            series: Vec::new(),
            annual: Vec::new(),
            history: Vec::new(),
            latest_comment: None,
        }
    }
}

/// A dashboard: the partnership's area, its neighbours, and a tile per indicator.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub arm: ArmKind,
    pub area: Option<Area>,
    pub neighbours: Vec<Area>,
    pub tiles: Vec<Tile>,
    pub can_edit: bool,
    /// The extracts the extract-based tiles come from (the latest of each organisation).
    pub extracts: Vec<assure_store::extracts::Run>,
    /// The latest financial year of the extracts, with contacts and referrals by IMD decile
    /// (1 = most deprived; 0 = unknown).
    pub deciles_year: Option<String>,
    pub deciles: Vec<(u8, u64, u64)>,
}

impl Dashboard {
    fn empty(arm: ArmKind, can_edit: bool) -> Self {
        Dashboard {
            arm,
            area: None,
            neighbours: Vec::new(),
            tiles: Vec::new(),
            can_edit,
            extracts: Vec::new(),
            deciles_year: None,
            deciles: Vec::new(),
        }
    }
}

/// What the partners' extracts give the children's dashboard: observations under the area
/// (contacts and referrals by month, referrals and re-referrals by financial year), the latest
/// year's counts by IMD decile, and the runs they come from.
struct FromExtracts {
    rows: Vec<Observation>,
    runs: Vec<assure_store::extracts::Run>,
    deciles_year: Option<String>,
    deciles: Vec<(u8, u64, u64)>,
}

/// The latest extract of each organisation, summed: an organisation's new upload replaces its
/// earlier one rather than adding to it.
async fn extract_observations(
    conn: &mut assure_store::Conn,
    p: assure_domain::PartnershipId,
    area: &str,
) -> CoreResult<FromExtracts> {
    let mut runs: Vec<assure_store::extracts::Run> = Vec::new();
    for r in assure_store::extracts::runs(conn, p).await? {
        if !runs.iter().any(|x| x.organisation_id == r.organisation_id) {
            runs.push(r);
        }
    }
    let mut sums: BTreeMap<(String, &str), u64> = BTreeMap::new();
    let mut deciles: BTreeMap<(String, u8), (u64, u64)> = BTreeMap::new();
    let u = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok()).unwrap_or(0);
    for r in &runs {
        for c in assure_store::extracts::counts(conn, r.id).await? {
            match c.kind.as_str() {
                "monthly" => {
                    *sums.entry((c.period.clone(), measure::EXTRACT_CONTACTS)).or_default() += u(c.contacts);
                    *sums.entry((c.period, measure::EXTRACT_REFERRALS)).or_default() += u(Some(c.referrals));
                }
                "imd" => {
                    let e = deciles.entry((c.period, c.category.parse().unwrap_or(0))).or_default();
                    e.0 += u(c.contacts);
                    e.1 += u(Some(c.referrals));
                }
                _ => {
                    let Some(key) = ind::period_key(&c.period) else { continue };
                    *sums.entry((key.clone(), measure::EXTRACT_YEAR_REFERRALS)).or_default() += u(Some(c.referrals));
                    *sums.entry((key, measure::EXTRACT_REREFERRALS)).or_default() += u(c.rereferrals);
                }
            }
        }
    }
    let deciles_year = deciles.keys().map(|(y, _)| y.clone()).max();
    let deciles = deciles
        .into_iter()
        .filter(|((y, _), _)| Some(y) == deciles_year.as_ref())
        .map(|((_, d), (c, r))| (d, c, r))
        .collect();
    let rows = sums
        .into_iter()
        .map(|((period, m), v)| Observation {
            measure: m.to_owned(),
            area_code: area.to_owned(),
            period,
            value: Some(v.to_string()),
            suppressed: None,
        })
        .collect();
    Ok(FromExtracts { rows, runs, deciles_year, deciles })
}

fn mean(values: &[f64], decimals: u32) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let p = 10f64.powi(decimals as i32);
    Some((values.iter().sum::<f64>() / values.len() as f64 * p).round() / p)
}

/// The RAG of a value against thresholds, by the indicator's polarity.
pub fn rag(polarity: ind::Polarity, value: f64, t: &st::Threshold) -> Option<assure_domain::learning::Rag> {
    use assure_domain::learning::Rag;
    let (green, red) = (t.green.parse::<f64>().ok()?, t.red.parse::<f64>().ok()?);
    match polarity {
        ind::Polarity::LowerIsBetter if value <= green => Some(Rag::Green),
        ind::Polarity::LowerIsBetter if value >= red => Some(Rag::Red),
        ind::Polarity::HigherIsBetter if value >= green => Some(Rag::Green),
        ind::Polarity::HigherIsBetter if value <= red => Some(Rag::Red),
        ind::Polarity::Neither => None,
        _ => Some(Rag::Amber),
    }
}

/// Whether a period key is a quarter ("2026 Q1") rather than a whole year ("2026").
fn is_quarter(key: &str) -> bool {
    key.contains(' ')
}

/// One indicator's tile from its values in the area, England and the neighbours.
fn tile(
    indicator: &'static Indicator,
    versions: Vec<ind::Definition>,
    values: &[Value],
    area: &str,
    neighbour_codes: &[String],
) -> Tile {
    let def = versions.last().cloned().unwrap_or_else(|| ind::Definition::shipped(indicator));
    let current = def.decimals;
    let decimals = |key: &str| version_for(&versions, key).map_or(current, |d| d.decimals);
    let ours: Vec<&Value> = values.iter().filter(|v| v.area_code == area).collect();
    let england: HashMap<&str, f64> =
        values.iter().filter(|v| v.area_code == ENGLAND).filter_map(|v| Some((v.year.as_str(), v.number()?))).collect();
    let neighbour_values = |year: &str| -> Vec<f64> {
        values
            .iter()
            .filter(|v| v.year == year && neighbour_codes.contains(&v.area_code))
            .filter_map(Value::number)
            .collect()
    };
    let point = |v: &&Value| Point {
        year: v.year.clone(),
        period: v.period.clone(),
        ours: v.number(),
        england: england.get(v.year.as_str()).copied(),
        neighbours: mean(&neighbour_values(&v.year), decimals(&v.year)),
    };
    let quarterly = ours.iter().any(|v| is_quarter(&v.year));
    let trend: Vec<&Value> = ours.iter().copied().filter(|v| is_quarter(&v.year) == quarterly).collect();
    let years: Vec<&Value> = ours.iter().copied().filter(|v| !is_quarter(&v.year)).collect();
    let with_values: Vec<&Value> = trend.iter().copied().filter(|v| v.value.is_some()).collect();
    let years_with: Vec<&Value> = years.iter().copied().filter(|v| v.value.is_some()).collect();
    let compared =
        years_with.iter().rev().find(|v| england.contains_key(v.year.as_str())).or(years_with.last()).copied().cloned();
    let compared_year = compared.as_ref().map(|v| v.year.clone()).unwrap_or_default();
    let published = neighbour_values(&compared_year);
    let neighbours = mean(&published, decimals(&compared_year));
    let series = trend.iter().map(point).collect();
    let annual = years.iter().map(point).collect();
    Tile {
        indicator,
        def,
        versions,
        latest: with_values.last().map(|v| (*v).clone()),
        previous: with_values.len().checked_sub(2).map(|i| with_values[i].clone()),
        england: england.get(compared_year.as_str()).copied(),
        neighbours,
        neighbours_published: published.len(),
        compared,
        threshold: None,
        rag: None,
        series,
        annual,
        history: ours.into_iter().cloned().collect(),
        latest_comment: None,
    }
}

/// The figures behind the adults' indicators, as observations keyed like the published ones:
/// the partnership's returns (submitted or validated) summed over organisations by quarter
/// ("2026 Q1"), and by financial year ("2026") once all four quarters are in, under the
/// partnership's area; and the figures the business unit entered (populations, England, the
/// neighbours, the area's earlier years). Where the returns give a whole year, they stand
/// over an entered figure for it. Enquiries are totalled where a total is not given.
async fn adult_observations(
    conn: &mut assure_store::Conn,
    p: assure_domain::PartnershipId,
    area: &str,
) -> CoreResult<Vec<Observation>> {
    let mut sums: BTreeMap<(String, String), BTreeMap<String, u64>> = BTreeMap::new();
    for (label, m, v) in assure_store::returns::returned_values(conn, p).await? {
        let Some(key) = ind::period_key(&label) else { continue };
        *sums.entry((area.to_owned(), key)).or_default().entry(m).or_default() += v.parse::<u64>().unwrap_or(0);
    }
    let mut years: BTreeMap<String, Vec<BTreeMap<String, u64>>> = BTreeMap::new();
    for ((_, key), measures) in &sums {
        if let Some((year, _)) = key.split_once(' ') {
            years.entry(year.to_owned()).or_default().push(measures.clone());
        }
    }
    for (year, quarters) in years {
        if quarters.len() == 4 {
            let mut total: BTreeMap<String, u64> = BTreeMap::new();
            for (m, v) in quarters.iter().flatten() {
                *total.entry(m.clone()).or_default() += v;
            }
            // Only the measures every quarter gave.
            total.retain(|m, _| quarters.iter().all(|q| q.contains_key(m)));
            sums.insert((area.to_owned(), year), total);
        }
    }
    for f in st::entered_figures(conn, p).await? {
        let Ok(v) = f.value.parse::<u64>() else { continue };
        sums.entry((f.area_code, f.period)).or_default().entry(f.measure).or_insert(v);
    }
    let mut rows = Vec::new();
    for ((area_code, period), mut measures) in sums {
        if !measures.contains_key(measure::TOTAL_ENQUIRIES)
            && let (Some(a), Some(b)) = (measures.get(measure::S42_ENQUIRIES), measures.get(measure::OTHER_ENQUIRIES))
        {
            measures.insert(measure::TOTAL_ENQUIRIES.to_owned(), a + b);
        }
        for (m, v) in measures {
            rows.push(Observation {
                measure: m,
                area_code: area_code.clone(),
                period: period.clone(),
                value: Some(v.to_string()),
                suppressed: None,
            });
        }
    }
    Ok(rows)
}

/// Where one figure of an indicator came from: its measure, its period's key, and a sentence.
pub type Source = (String, String, String);

impl Core {
    /// The dashboard of one arm (children or adults) for the partnership's area.
    pub async fn dashboard(&self, ctx: &Ctx, p: assure_domain::PartnershipId, arm: ArmKind) -> CoreResult<Dashboard> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::View, &Target::new(ResourceKind::Indicator, p))?;
        let can_edit = assure_domain::can(&ctx.actor, Action::Create, &Target::new(ResourceKind::Indicator, p));
        let mut conn = self.store.read().await?;
        let area = match st::partnership_area(&mut conn, p).await? {
            Some(code) => st::area(&mut conn, &code).await.ok(),
            None => None,
        };
        // The children's figures are the area's published ones; the adults' come from the
        // partnership's returns, shown even before the area is set.
        if area.is_none() && arm != ArmKind::Adults {
            return Ok(Dashboard::empty(arm, can_edit));
        }
        let area_code = area.as_ref().map(|a| a.code.clone()).unwrap_or_default();
        let neighbour_codes = if area.is_some() { st::neighbours(&mut conn, &area_code).await? } else { Vec::new() };
        let mut neighbours = Vec::new();
        for c in &neighbour_codes {
            if let Ok(a) = st::area(&mut conn, c).await {
                neighbours.push(a);
            }
        }
        let thresholds = st::thresholds(&mut conn, p).await?;
        let comments = st::commentary(&mut conn, p, None).await?;
        let stored_versions = st::indicator_versions(&mut conn, p).await?;
        let names = area_names(&mut conn).await?;
        // Only the areas the tiles compare: the partnership's, England and the neighbours.
        let compared: Vec<String> =
            [area_code.clone(), ENGLAND.to_owned()].into_iter().chain(neighbour_codes.iter().cloned()).collect();
        let adults =
            if arm == ArmKind::Adults { adult_observations(&mut conn, p, &area_code).await? } else { Vec::new() };
        let extracts =
            if arm == ArmKind::Children { Some(extract_observations(&mut conn, p, &area_code).await?) } else { None };
        let mut tiles = Vec::new();
        for indicator in ind::CATALOGUE.iter().filter(|i| i.arm == arm) {
            let own = match (&extracts, indicator.from_extracts()) {
                (Some(e), true) => Some(&e.rows),
                _ if arm == ArmKind::Adults => Some(&adults),
                _ => None,
            };
            let mut values = match own {
                Some(rows) => {
                    let wanted = indicator.formula.measures();
                    let rows: Vec<Observation> =
                        rows.iter().filter(|o| wanted.contains(&o.measure.as_str())).cloned().collect();
                    compute(indicator, &rows, &names)
                }
                None => values_in(&mut conn, indicator, &compared, &names).await?,
            };
            let versions = versions_of(indicator, &stored_versions);
            apply_versions(indicator, &versions, &mut values);
            let mut t = tile(indicator, versions, &values, &area_code, &neighbour_codes);
            t.threshold = thresholds.iter().find(|t| t.indicator == indicator.code).cloned();
            t.rag = match (&t.latest, &t.threshold) {
                (Some(v), Some(th)) => v.number().and_then(|x| rag(t.def.polarity, x, th)),
                _ => None,
            };
            t.latest_comment = comments.iter().find(|c| c.indicator == indicator.code).cloned();
            tiles.push(t);
        }
        drop(conn);
        let mut d = Dashboard { area, neighbours, tiles, ..Dashboard::empty(arm, can_edit) };
        if let Some(e) = extracts {
            (d.extracts, d.deciles_year, d.deciles) = (e.runs, e.deciles_year, e.deciles);
        }
        Ok(d)
    }

    /// One indicator for the partnership's area: the dashboard's tile with its whole history,
    /// where each figure came from, and the commentary.
    pub async fn indicator_page(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
        code: &str,
    ) -> CoreResult<(Dashboard, Tile, Vec<Source>, Vec<st::Comment>)> {
        let indicator = ind::indicator(code).ok_or(CoreError::NotFound)?;
        let dashboard = self.dashboard(ctx, p, indicator.arm).await?;
        let tile = dashboard.tiles.iter().find(|t| t.indicator.code == code).cloned();
        let mut conn = self.store.read().await?;
        let comments = st::commentary(&mut conn, p, Some(code)).await?;
        let measures = indicator.formula.measures();
        let area = dashboard.area.as_ref().map(|a| a.code.clone()).unwrap_or_default();
        let mut sources: Vec<Source> = Vec::new();
        if indicator.arm == ArmKind::Adults {
            for r in assure_store::returns::list(&mut conn, p).await? {
                let (Some(key), Some(at)) = (ind::period_key(&r.period), &r.submitted_at) else { continue };
                if r.status.counted() {
                    let text = format!(
                        "{}'s return ({}, {} on {} by {})",
                        r.organisation_name,
                        assure_domain::structure::Choice::code(r.status),
                        r.source.as_deref().unwrap_or("form"),
                        at.get(..10).unwrap_or(at),
                        r.updated_by_label.as_deref().unwrap_or("")
                    );
                    for m in &measures {
                        sources.push(((*m).to_owned(), key.clone(), text.clone()));
                    }
                }
            }
            for f in st::entered_figures(&mut conn, p).await? {
                if f.area_code == area && measures.contains(&f.measure.as_str()) {
                    let text = format!(
                        "{}: {} (entered {} by {})",
                        f.measure,
                        f.source,
                        f.updated_at.get(..10).unwrap_or(&f.updated_at),
                        f.by_label
                    );
                    sources.push((f.measure, f.period, text));
                }
            }
        } else if indicator.from_extracts() {
            for r in &dashboard.extracts {
                let text = format!(
                    "{}'s extract {} ({} rows, SHA-256 {}…, uploaded {} by {})",
                    r.organisation_name,
                    r.file_name,
                    r.rows_read,
                    r.sha256.get(..12).unwrap_or(&r.sha256),
                    r.created_at.get(..10).unwrap_or(&r.created_at),
                    r.by_label
                );
                for v in &tile.as_ref().map(|t| t.history.clone()).unwrap_or_default() {
                    sources.push((measures[0].to_owned(), v.year.clone(), text.clone()));
                }
            }
        } else if !area.is_empty() {
            for (m, period, b) in st::provenance(&mut conn, &area, &measures).await? {
                let text = format!("{m}: {} (imported {} by {})", b.file_name, &b.created_at[..10], b.by_label);
                sources.push((m, period, text));
            }
        }
        drop(conn);
        Ok((dashboard, tile.unwrap_or_else(|| Tile::empty(indicator)), sources, comments))
    }

    /// Sets the area (ONS code or DfE number) whose published figures the partnership's
    /// dashboards show.
    pub async fn set_partnership_area(&self, ctx: &Ctx, p: assure_domain::PartnershipId, raw: &str) -> CoreResult<()> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        let mut conn = self.store.read().await?;
        let area = match st::area(&mut conn, raw.trim()).await {
            Ok(a) if a.level == "local_authority" => a,
            Ok(_) | Err(assure_store::StoreError::NotFound) => {
                return Err(CoreError::field(
                    "area",
                    "Enter a local authority's ONS code (such as E06000033) or DfE number (882) from the published data",
                ));
            }
            Err(e) => return Err(e.into()),
        };
        drop(conn);
        let mut tx = self.store.write().await?;
        st::set_partnership_area(&mut tx, p, &area.code).await?;
        audit::append(
            &mut tx,
            ctx.entry("update", "dashboard_area", Some(area.code.clone()), Some(p), json!({"area": area.name})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets (or with both blank clears) an indicator's RAG thresholds for the partnership.
    pub async fn set_indicator_threshold(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
        code: &str,
        green: &str,
        red: &str,
    ) -> CoreResult<()> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        let indicator = ind::indicator(code).ok_or(CoreError::NotFound)?;
        let mut conn = self.store.read().await?;
        let stored = st::indicator_versions(&mut conn, p).await?;
        drop(conn);
        let polarity = versions_of(indicator, &stored).last().map_or(indicator.polarity, |d| d.polarity);
        let (green, red) = (green.trim(), red.trim());
        let mut errors = assure_domain::FieldErrors::new();
        let levels = if green.is_empty() && red.is_empty() {
            None
        } else {
            if polarity == ind::Polarity::Neither {
                errors
                    .add("green", "Neither a higher nor a lower value is better for this indicator, so it has no RAG");
            }
            let g = green.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
            let r = red.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
            if g.is_none() {
                errors.add("green", "Enter the green threshold as a number, such as 20.5");
            }
            if r.is_none() {
                errors.add("red", "Enter the red threshold as a number, such as 25");
            }
            if let (Some(g), Some(r)) = (g, r) {
                match polarity {
                    ind::Polarity::LowerIsBetter if g >= r => {
                        errors.add("red", "Lower is better here: the red threshold must be above the green one")
                    }
                    ind::Polarity::HigherIsBetter if g <= r => {
                        errors.add("red", "Higher is better here: the red threshold must be below the green one")
                    }
                    _ => {}
                }
            }
            Some((green, red))
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        st::set_threshold(&mut tx, p, code, levels, &ctx.label).await?;
        audit::append(
            &mut tx,
            ctx.entry("threshold", "indicator", Some(code.to_owned()), Some(p), json!({"green": green, "red": red})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The figures the business unit entered from publications, with the areas' names.
    pub async fn entered_figures(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
    ) -> CoreResult<Vec<(st::EnteredFigure, String)>> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::View, &Target::new(ResourceKind::Indicator, p))?;
        let mut conn = self.store.read().await?;
        let names = area_names(&mut conn).await?;
        let figures = st::entered_figures(&mut conn, p).await?;
        Ok(figures
            .into_iter()
            .map(|f| {
                let name = names.get(&f.area_code).cloned().unwrap_or_default();
                (f, name)
            })
            .collect())
    }

    /// Enters a published figure no importable file holds (an adult population, England's or a
    /// neighbour's Safeguarding Adults Collection count, the area's own earlier years), or
    /// replaces the one entered for the same area, measure and period. Returns its id.
    pub async fn enter_figure(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
        input: &FigureInput,
    ) -> CoreResult<i64> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        let this_year = chrono::Datelike::year(&self.today());
        let checked = ind::check_entered_figure(&input.measure, &input.period, &input.value, this_year);
        let mut errors = match &checked {
            Ok(_) => assure_domain::FieldErrors::new(),
            Err(e) => e.clone(),
        };
        let source = input.source.trim();
        if source.is_empty() {
            errors.add("source", "Say which publication the figure comes from");
        } else if source.chars().count() > 500 {
            errors.add("source", "The source must be 500 characters or fewer");
        }
        let mut conn = self.store.read().await?;
        let area = match st::area(&mut conn, input.area.trim()).await {
            Ok(a) => Some(a),
            Err(assure_store::StoreError::NotFound) => {
                errors.add(
                    "area",
                    "Enter an area of the published data: E92000001 for England, or a local authority's ONS code or DfE number",
                );
                None
            }
            Err(e) => return Err(e.into()),
        };
        drop(conn);
        let (Ok(f), Some(area), true) = (checked, area, errors.is_empty()) else {
            return Err(errors.into());
        };
        let mut tx = self.store.write().await?;
        let value = f.value.to_string();
        let (id, before) = st::enter_figure(
            &mut tx,
            p,
            &st::NewFigure {
                area_code: &area.code,
                measure: f.measure,
                period: &f.period,
                value: &value,
                source,
                by_label: &ctx.label,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            ctx.entry(
                if before.is_some() { "update" } else { "create" },
                "entered_figure",
                Some(id.to_string()),
                Some(p),
                json!({"area": area.code, "measure": f.measure, "period": f.period, "value": value, "before": before, "source": source}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Removes an entered figure.
    pub async fn remove_figure(&self, ctx: &Ctx, p: assure_domain::PartnershipId, id: i64) -> CoreResult<()> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        let mut tx = self.store.write().await?;
        let f = st::remove_figure(&mut tx, p, id).await?;
        audit::append(
            &mut tx,
            ctx.entry(
                "delete",
                "entered_figure",
                Some(id.to_string()),
                Some(p),
                json!({"area": f.area_code, "measure": f.measure, "period": f.period, "value": f.value}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// England's adults' indicators for a financial year (its key, "2026"), from the figures the
    /// business unit entered: what a return is checked against.
    pub(crate) async fn england_adults(
        &self,
        conn: &mut assure_store::Conn,
        p: assure_domain::PartnershipId,
        year: &str,
    ) -> CoreResult<Vec<(String, String)>> {
        let rows: Vec<Observation> =
            adult_observations(conn, p, "").await?.into_iter().filter(|o| o.area_code == ENGLAND).collect();
        let names = HashMap::new();
        Ok(ind::CATALOGUE
            .iter()
            .filter(|i| i.arm == ArmKind::Adults)
            .flat_map(|i| {
                compute(i, &rows, &names)
                    .into_iter()
                    .filter(|v| v.year == year)
                    .filter_map(|v| Some((i.code.to_owned(), v.value?)))
                    .collect::<Vec<_>>()
            })
            .collect())
    }

    /// Adds a version of an indicator's definition for the partnership (the business unit): it
    /// applies from its first period on; earlier values keep the version they were made under.
    /// Returns the new version's number.
    pub async fn add_indicator_version(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
        code: &str,
        input: &ind::DefinitionInput,
    ) -> CoreResult<u32> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        let indicator = ind::indicator(code).ok_or(CoreError::NotFound)?;
        let (organisations, _) = self.organisations(ctx, p, false, assure_store::structure::Page::ALL).await?;
        let suppliers: Vec<i64> = organisations.iter().map(|o| o.id.0).collect();
        let mut tx = self.store.write().await?;
        let stored = st::indicator_versions(&mut tx, p).await?;
        let versions = versions_of(indicator, &stored);
        let latest = versions.last().cloned().unwrap_or_else(|| ind::Definition::shipped(indicator));
        let new = ind::check_definition(indicator, input, &latest, &suppliers)?;
        st::add_indicator_version(&mut tx, p, code, &new, &ctx.label).await?;
        audit::append(
            &mut tx,
            ctx.entry(
                "version",
                "indicator",
                Some(code.to_owned()),
                Some(p),
                json!({
                    "version": new.version,
                    "effective_from": new.effective_from,
                    "title": new.title,
                    "polarity": new.polarity.code(),
                    "decimals": new.decimals,
                    "suppress_below": new.suppress_below,
                    "owner": new.owner,
                    "supplier_id": new.supplier_id,
                    "reason": new.reason,
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(new.version)
    }

    /// Adds the performance subgroup's commentary on an indicator for one of its periods.
    pub async fn add_indicator_comment(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
        code: &str,
        period: &str,
        body: &str,
    ) -> CoreResult<i64> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        let (_, tile, _, _) = self.indicator_page(ctx, p, code).await?;
        let mut errors = assure_domain::FieldErrors::new();
        if !tile.history.iter().any(|v| v.period == period.trim()) {
            errors.add("period", "Select the period from the list");
        }
        let body = body.trim();
        if body.is_empty() {
            errors.add("body", "Enter the commentary");
        } else if body.chars().count() > 4000 {
            errors.add("body", "The commentary must be 4,000 characters or fewer");
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut tx = self.store.write().await?;
        let id = st::add_comment(&mut tx, p, code, period.trim(), body, &ctx.label).await?;
        audit::append(
            &mut tx,
            ctx.entry(
                "comment",
                "indicator",
                Some(code.to_owned()),
                Some(p),
                json!({"period": period.trim(), "comment_id": id}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// A published figure as typed into the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FigureInput {
    /// The area's ONS code (E92000001 for England) or DfE number.
    pub area: String,
    pub measure: String,
    /// A mid-year (2024) for a population, a financial year (2024-25) for a count.
    pub period: String,
    pub value: String,
    /// The publication it comes from.
    pub source: String,
}

/// A deep dive asked of an organisation about an indicator, as typed into the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct DeepDiveInput {
    /// What the organisation is asked to look into.
    pub question: String,
    pub period: String,
    pub organisation_id: String,
    pub owner: String,
    pub owner_email: String,
    pub target_on: String,
    /// The subgroup that will judge what comes back.
    pub body_id: String,
}

impl Core {
    /// Asks an organisation for a deep dive into an indicator: a recommendation of the
    /// partnership's with one action for that organisation, on the plan and in its tasks and
    /// reminders. Returns the action.
    pub async fn request_deep_dive(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
        code: &str,
        input: &DeepDiveInput,
    ) -> CoreResult<i64> {
        use assure_domain::{Action, ResourceKind, Target};
        let indicator = ind::indicator(code).ok_or(CoreError::NotFound)?;
        ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p))?;
        ctx.authorize(Action::Create, &Target::new(ResourceKind::PlanAction, p))?;
        let period = input.period.trim();
        let question = input.question.trim();
        if question.is_empty() {
            // Checked here, so the form names its own field rather than the plan's.
            let mut errors =
                assure_domain::FieldErrors::single("question", "Say what the organisation should look into");
            let rest = assure_domain::learning::ActionInput {
                action: "-".into(),
                organisation_id: input.organisation_id.clone(),
                owner: input.owner.clone(),
                owner_email: input.owner_email.clone(),
                target_on: input.target_on.clone(),
            };
            if let Err(e) = rest.validate() {
                errors.merge(e);
            }
            if input.body_id.trim().is_empty() {
                errors.add("body_id", "Select the subgroup that owns it");
            }
            return Err(errors.into());
        }
        let rec = assure_domain::learning::RecommendationInput {
            number: format!("Deep dive {}", if period.is_empty() { "" } else { period }).trim().to_owned(),
            text: if question.is_empty() {
                String::new()
            } else {
                format!("Deep dive into {} ({}): {question}", indicator.title.to_lowercase(), indicator.code)
            },
            scope: "local".into(),
            body_id: input.body_id.clone(),
            theme_id: String::new(),
        };
        let action = assure_domain::learning::ActionInput {
            action: question.to_owned(),
            organisation_id: input.organisation_id.clone(),
            owner: input.owner.clone(),
            owner_email: input.owner_email.clone(),
            target_on: input.target_on.clone(),
        };
        let origin = assure_store::learning::Origin { review_id: None, campaign_id: None };
        let (_, action_id) = self.insert_recommendation_with_action(ctx, p, origin, &rec, &action).await?;
        Ok(action_id)
    }
}
