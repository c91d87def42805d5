//! The dashboards (children's and adults'): a tile per indicator against England, the
//! neighbours and the thresholds, and each indicator's page.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use assure_domain::intelligence::indicators::{self as ind, Indicator, measure};
use assure_domain::intelligence::period::Period;
use assure_domain::structure::ArmKind;
use assure_store::intelligence::indicators::{self as st, Area, Observation};
use serde::Serialize;

use super::*;
use crate::{Core, CoreError, CoreResult, Ctx};

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
    pub extracts: Vec<assure_store::intelligence::extracts::Run>,
    /// The latest financial year of the extracts, with contacts and referrals by IMD decile
    /// (1 = most deprived; 0 = unknown).
    pub deciles_year: Option<String>,
    pub deciles: Vec<(u8, u64, u64)>,
    /// The generation of its inputs it was computed at (see [`Dashboards`]): what is drawn from
    /// it may be kept under the same tag.
    pub generation: i64,
}

/// The dashboards as last computed, by partnership and arm, under the generation of their inputs
/// (`figures_generation`, migration 0021: every table a dashboard reads raises it). At most one
/// entry per partnership and arm.
pub type Dashboards = crate::kept::Kept<(assure_domain::PartnershipId, ArmKind), Dashboard>;

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
            generation: 0,
        }
    }
}

/// What the partners' extracts give the children's dashboard: observations under the area
/// (contacts and referrals by month, referrals and re-referrals by financial year), the latest
/// year's counts by IMD decile, and the runs they come from.
pub(super) struct FromExtracts {
    rows: Vec<Observation>,
    runs: Vec<assure_store::intelligence::extracts::Run>,
    deciles_year: Option<String>,
    deciles: Vec<(u8, u64, u64)>,
}

/// The latest extract of each organisation, summed: an organisation's new upload replaces its
/// earlier one rather than adding to it.
pub(super) async fn extract_observations(
    conn: &mut assure_store::Conn,
    p: assure_domain::PartnershipId,
    area: &str,
) -> CoreResult<FromExtracts> {
    let mut runs: Vec<assure_store::intelligence::extracts::Run> = Vec::new();
    for r in assure_store::intelligence::extracts::runs(conn, p).await? {
        if !runs.iter().any(|x| x.organisation_id == r.organisation_id) {
            runs.push(r);
        }
    }
    let mut sums: BTreeMap<(String, &str), u64> = BTreeMap::new();
    let mut deciles: BTreeMap<(String, u8), (u64, u64)> = BTreeMap::new();
    let u = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok()).unwrap_or(0);
    for r in &runs {
        for c in assure_store::intelligence::extracts::counts(conn, r.id.0).await? {
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
                    let Some(key) = Period::parse_financial(&c.period).map(|p| p.key()) else { continue };
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

pub(super) fn mean(values: &[f64], decimals: u32) -> Option<f64> {
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
pub(super) fn is_quarter(key: &str) -> bool {
    key.contains(' ')
}

/// One indicator's tile from its values in the area, England and the neighbours.
pub(super) fn tile(
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
pub(super) async fn adult_observations(
    conn: &mut assure_store::Conn,
    p: assure_domain::PartnershipId,
    area: &str,
) -> CoreResult<Vec<Observation>> {
    let mut sums: BTreeMap<(String, String), BTreeMap<String, u64>> = BTreeMap::new();
    // Each return's fields stand for the dashboard's figures as its template says (`measure`).
    let templates = crate::intelligence::returns::templates::templates_of(conn, p).await?;
    for r in assure_store::intelligence::returns::returned_values(conn, p, None).await? {
        let key = (r.template_code.clone(), r.template_version.clone());
        let Some(m) = templates.get(&key).and_then(|t| t.field(&r.field)).and_then(|f| f.measure.clone()) else {
            continue;
        };
        let Some(period) = Period::parse_financial(&r.period).map(|p| p.key()) else { continue };
        *sums.entry((area.to_owned(), period)).or_default().entry(m).or_default() +=
            r.value.parse::<u64>().unwrap_or(0);
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
    /// The dashboard of one arm (children or adults) for the partnership's area. It is computed
    /// when its inputs have changed since it was last computed, and otherwise read as it was: see
    /// [`Dashboards`].
    pub async fn dashboard(&self, ctx: &Ctx, p: assure_domain::PartnershipId, arm: ArmKind) -> CoreResult<Dashboard> {
        let (d, can_edit) = self.kept_dashboard(ctx, p, arm).await?;
        Ok(Dashboard { can_edit, ..(*d).clone() })
    }

    /// The dashboard as it is kept, shared rather than copied (its `can_edit` is not the
    /// actor's), and whether the actor may edit its thresholds, commentary and area.
    pub async fn kept_dashboard(
        &self,
        ctx: &Ctx,
        p: assure_domain::PartnershipId,
        arm: ArmKind,
    ) -> CoreResult<(Arc<Dashboard>, bool)> {
        use assure_domain::{Action, ResourceKind, Target};
        ctx.authorize(Action::View, &Target::new(ResourceKind::Indicator, p))?;
        let can_edit = assure_domain::can(&ctx.actor, Action::Create, &Target::new(ResourceKind::Indicator, p));
        let generation = match ctx.generations {
            Some(g) => g.figures,
            None => st::figures_generation(&mut *self.store.read().await?).await?,
        };
        // Computed after the generation was read, so the figures are at least as new as their tag.
        let compute = async { Ok(Dashboard { generation, ..self.compute_dashboard(p, arm).await? }) };
        Ok((self.dashboards.get_or_compute((p, arm), generation, compute).await?, can_edit))
    }

    /// The dashboard as its inputs stand.
    async fn compute_dashboard(&self, p: assure_domain::PartnershipId, arm: ArmKind) -> CoreResult<Dashboard> {
        let can_edit = false;
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
        // People are named by their names, not their sign-in e-mail addresses.
        let names: std::collections::HashMap<String, String> = assure_store::accounts::users(&mut conn, Some(p))
            .await?
            .into_iter()
            .map(|u| (u.email, u.display_name))
            .collect();
        let name = |label: &str| names.get(label).cloned().unwrap_or_else(|| label.to_owned());
        if indicator.arm == ArmKind::Adults {
            for r in assure_store::intelligence::returns::list(&mut conn, p).await? {
                let (Some(key), Some(at)) = (Period::parse_financial(&r.period).map(|p| p.key()), &r.submitted_at)
                else {
                    continue;
                };
                if r.status.counted() {
                    let text = format!(
                        "{}'s return ({}, {} on {} by {})",
                        r.organisation_name,
                        assure_domain::structure::Choice::code(r.status),
                        r.source.as_deref().unwrap_or("form"),
                        at.get(..10).unwrap_or(at),
                        name(r.updated_by_label.as_deref().unwrap_or(""))
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
                        name(&f.by_label)
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
                    name(&r.by_label)
                );
                for v in &tile.as_ref().map(|t| t.history.clone()).unwrap_or_default() {
                    sources.push((measures[0].to_owned(), v.year.clone(), text.clone()));
                }
            }
        } else if !area.is_empty() {
            for (m, period, b) in st::provenance(&mut conn, &area, &measures).await? {
                let text = format!("{m}: {} (imported {} by {})", b.file_name, &b.created_at[..10], name(&b.by_label));
                sources.push((m, period, text));
            }
        }
        drop(conn);
        Ok((dashboard, tile.unwrap_or_else(|| Tile::empty(indicator)), sources, comments))
    }
}
