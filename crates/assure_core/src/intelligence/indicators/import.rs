//! Published statistics in: recognising the DfE and ONS files, checking every row, and loading
//! all of a set of files or none.

use std::collections::HashMap;

use assure_domain::cells::{column_letter, shown};
use assure_domain::intelligence::indicators::{self as ind, measure};
use assure_store::audit_log;
use assure_store::intelligence::indicators::{self as st, Area, Observation};
use serde::Serialize;
use serde_json::json;
use sha2::Digest;

use crate::{Core, CoreError, CoreResult, Ctx};

/// A kind of published file, recognised by its headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/published/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
        )),
    ),
    (
        "b1_children_in_need_2013_to_2025.csv",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/published/b1_children_in_need_2013_to_2025.csv"
        )),
    ),
    (
        "ons_mid-year_population_estimates_2012_to_2024.csv",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/published/ons_mid-year_population_estimates_2012_to_2024.csv"
        )),
    ),
    (
        "d3_cpps_subsequent_plan_2013_to_2025.csv",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/published/d3_cpps_subsequent_plan_2013_to_2025.csv"
        )),
    ),
    (
        "d5_cpps_at31march_by_duration_2013_to_2025.csv",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/published/d5_cpps_at31march_by_duration_2013_to_2025.csv"
        )),
    ),
    (
        "cla_number_and_rate_per_10k_children.csv",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/published/cla_number_and_rate_per_10k_children.csv"
        )),
    ),
    (
        "New_Statistical_Neighbour_Groupings_April_2021.csv",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/published/New_Statistical_Neighbour_Groupings_April_2021.csv"
        )),
    ),
];

/// What each known file looks like, for the message about a file that is none of them.
pub const KNOWN_FORMATS: &str = "the DfE explore-education-statistics CSVs of referrals and re-referrals (c1), \
    children in need (b1), second or subsequent child protection plans (d3), child protection plans at 31 March (d5) \
    and children looked after (number and rate per 10,000), the ONS mid-year 0-17 population estimates, and DfE's \
    statistical neighbour groupings";

pub(super) fn recognise(header: &[String]) -> Option<Kind> {
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
pub(super) struct Parsed {
    kind: Kind,
    rows: usize,
    areas: Vec<Area>,
    observations: Vec<Observation>,
    /// For the neighbour groupings: DfE LA number → its neighbours' numbers, nearest first.
    neighbours: Vec<(usize, String, Vec<String>)>,
}

/// DfE's codes for a figure not published.
pub(super) const SUPPRESSION: [&str; 6] = ["c", "z", "x", ":", "u", "low"];

/// Checks a file of published statistics as an import would, without importing it: its kind
/// and how many rows and figures it holds, or every problem by row and column.
pub fn check_published(bytes: &[u8], this_year: i32) -> Result<(String, usize, usize), Vec<String>> {
    parse(bytes, this_year).map(|p| (format!("{:?}", p.kind), p.rows, p.observations.len() + p.neighbours.len()))
}

pub(super) fn parse(bytes: &[u8], this_year: i32) -> Result<Parsed, Vec<String>> {
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
    let mut errors: Vec<String> = Vec::new();
    let mut parsed = Parsed { kind, rows: 0, areas: Vec::new(), observations: Vec::new(), neighbours: Vec::new() };
    let mut seen_areas: HashMap<String, usize> = HashMap::new();
    for (i, record) in reader.byte_records().enumerate() {
        let number = i + 2;
        if errors.len() >= 50 {
            errors.push("… and more: nothing was imported".into());
            break;
        }
        let record = match record.map(csv::StringRecord::from_byte_record) {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                let column = column_letter(e.utf8_error().field());
                errors
                    .push(format!("Row {number}, column {column}: the text is not UTF-8: save the file as CSV UTF-8"));
                continue;
            }
            Err(_) => {
                errors.push(format!("Row {number}: the row cannot be read (a quoted cell is not closed?)"));
                continue;
            }
        };
        parsed.rows += 1;
        if parsed.rows >= crate::tables::Limits::PUBLISHED.max_rows {
            errors.push(format!(
                "Row {number}: the file has more rows than {} takes ({}): nothing was imported",
                crate::tables::Limits::PUBLISHED.what,
                crate::tables::Limits::PUBLISHED.max_rows
            ));
            break;
        }
        let row = Row { number, record: &record, header: &header };
        if kind == Kind::Neighbours {
            if let Some(group) = row.neighbours(&mut errors) {
                parsed.neighbours.push(group);
            }
            continue;
        }
        let Some(period) = row.period(this_year, &mut errors) else { continue };
        if kind == Kind::Population && row.cell_named("age_group") != "Children aged 0 to 17 years" {
            continue;
        }
        if kind == Kind::LookedAfter
            && row.cell_named("population_type") != "Children looked after on 31 March each year"
        {
            continue;
        }
        let Some(area) = row.area(&mut errors) else { continue };
        if !seen_areas.contains_key(&area.code) {
            seen_areas.insert(area.code.clone(), parsed.areas.len());
            parsed.areas.push(area.clone());
        }
        parsed.observations.extend(row.observations(kind, &area, period, &mut errors));
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

/// One row of a file of published statistics, read against its headings.
struct Row<'a> {
    number: usize,
    record: &'a csv::StringRecord,
    header: &'a [String],
}

impl<'a> Row<'a> {
    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    fn cell(&self, c: Option<usize>) -> &'a str {
        c.and_then(|c| self.record.get(c)).map(str::trim).unwrap_or("")
    }

    fn cell_named(&self, name: &str) -> &'a str {
        self.cell(self.col(name))
    }

    /// A row of the neighbour groupings: the authority's number and its neighbours' (None for a
    /// blank row or one whose number is not a number).
    fn neighbours(&self, errors: &mut Vec<String>) -> Option<(usize, String, Vec<String>)> {
        let (row, number) = (self.number, self.cell(Some(0)));
        if number.is_empty() {
            return None;
        }
        if !number.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(format!("Row {row}, column A (LA num): '{}' is not a local authority number", shown(number)));
            return None;
        }
        let mut list = Vec::new();
        for n in 1..=10 {
            let Some(c) = self.col(&format!("SN{n}")) else { continue };
            let v = self.cell(Some(c));
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
        Some((row, number.to_owned(), list))
    }

    /// The period: a year, not in the future.
    fn period(&self, this_year: i32, errors: &mut Vec<String>) -> Option<&'a str> {
        let (row, period) = (self.number, self.cell_named("time_period"));
        let column = column_letter(self.col("time_period").unwrap_or(0));
        match period.parse::<i32>() {
            Ok(y) if (1990..=this_year + 1).contains(&y) => Some(period),
            Ok(_) if period.len() == 4 => {
                errors.push(format!("Row {row}, column {column} (time_period): {period} is in the future"));
                None
            }
            _ => {
                errors.push(format!("Row {row}, column {column} (time_period): '{}' is not a year", shown(period)));
                None
            }
        }
    }

    /// The area a row is for: England, a region or a local authority (None for other levels,
    /// which the indicators do not compare, or a row without its area).
    fn area(&self, errors: &mut Vec<String>) -> Option<Area> {
        let named = |name: &str| self.cell_named(name).to_owned();
        let area = match self.cell_named("geographic_level") {
            "National" => Area {
                code: named("country_code"),
                name: named("country_name"),
                level: "national".into(),
                old_la_code: None,
                region_code: None,
            },
            "Regional" => Area {
                code: named("region_code"),
                name: named("region_name"),
                level: "regional".into(),
                old_la_code: None,
                region_code: None,
            },
            "Local authority" => Area {
                code: named("new_la_code"),
                name: named("la_name"),
                level: "local_authority".into(),
                old_la_code: Some(named("old_la_code")).filter(|c| !c.is_empty()),
                region_code: Some(named("region_code")).filter(|c| !c.is_empty()),
            },
            _ => return None,
        };
        if area.code.is_empty() || area.name.is_empty() {
            errors.push(format!("Row {}: the area's code or name is missing", self.number));
            return None;
        }
        Some(area)
    }

    /// The figures a row gives for the measures of its kind of file, each a value or the
    /// reason it is not published.
    fn observations(&self, kind: Kind, area: &Area, period: &str, errors: &mut Vec<String>) -> Vec<Observation> {
        let row = self.number;
        let mut out = Vec::new();
        for (column, name) in kind.measures() {
            let Some(c) = self.col(column) else {
                errors.push(format!("Row 1: the heading '{column}' is missing"));
                continue;
            };
            let raw = self.cell(Some(c));
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
            out.push(obs);
        }
        out
    }
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

impl Core {
    fn authorize_published(&self, ctx: &Ctx) -> CoreResult<()> {
        // Published statistics serve every partnership: the console or an administrator loads them.
        let console = ctx.user_id().is_none() && ctx.label == "cli";
        let administrator = ctx.actor.grants.iter().any(|g| {
            g.role == assure_domain::Role::Administrator
                && assure_domain::can(
                    &ctx.actor,
                    assure_domain::Action::Administer,
                    &assure_domain::Target::new(assure_domain::ResourceKind::User, g.scope.partnership()),
                )
        });
        if console || administrator { Ok(()) } else { Err(CoreError::Forbidden) }
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
            let batch = st::insert_batch(&mut tx, p.kind.code(), name, sha, p.rows as i64, &ctx.name).await?;
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
            audit_log::append(
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
}
