//! Indicators computed from the figures, exactly, under the definition each value was made
//! under.

use std::collections::{BTreeMap, HashMap};

use assure_domain::intelligence::indicators::{self as ind, Denominator, Indicator};
use assure_domain::intelligence::period::Period;
use assure_store::intelligence::indicators::{self as st, Observation};
use serde::Serialize;

use crate::{Core, CoreError, CoreResult};

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
pub(super) async fn area_names(conn: &mut assure_store::Conn) -> CoreResult<HashMap<String, String>> {
    Ok(st::areas(conn).await?.into_iter().map(|a| (a.code, a.name)).collect())
}

/// An indicator's values in the given areas (every area when empty).
pub(super) async fn values_in(
    conn: &mut assure_store::Conn,
    indicator: &Indicator,
    areas: &[String],
    names: &HashMap<String, String>,
) -> CoreResult<Vec<Value>> {
    let rows = st::observations(conn, &indicator.formula.measures(), areas).await?;
    Ok(compute(indicator, &rows, names))
}

/// The indicator's values from the observations of its measures.
pub(super) fn compute(indicator: &Indicator, rows: &[Observation], names: &HashMap<String, String>) -> Vec<Value> {
    let mut by: BTreeMap<(&str, &str), HashMap<&str, &Observation>> = BTreeMap::new();
    for o in rows {
        by.entry((o.area_code.as_str(), o.period.as_str())).or_default().insert(o.measure.as_str(), o);
    }
    let figure = |area: &str, period: &str, m: &str| -> Result<String, String> {
        let when =
            if m.starts_with("population") { format!("mid-{period}") } else { Period::label_of_financial_key(period) };
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
    let main = indicator.formula.numerator();
    for (area, period) in by.keys().copied().collect::<Vec<_>>() {
        if !by[&(area, period)].contains_key(main) {
            continue;
        }
        let n = figure(area, period, main);
        let (denominator, scale) = match (indicator.formula.denominator(), indicator.formula.scale()) {
            (Some(Denominator::Population(p)), Some(s)) => {
                let previous = Period::from_financial_key(period)
                    .and_then(|p| p.population_year())
                    .map(|p| p.key())
                    .unwrap_or_default();
                (Some((figure(area, &previous, p), "no population")), s)
            }
            (Some(Denominator::Measure(d)), Some(s)) => (Some((figure(area, period, d), "nothing to divide by")), s),
            _ => (None, 1),
        };
        let (numerator, denominator, result) = match denominator {
            None => (n.clone().ok(), None, n),
            Some((d, nothing)) => {
                let r = match (&n, &d) {
                    (Ok(n), Ok(d)) => ind::ratio(n, d, scale, indicator.decimals).ok_or_else(|| nothing.into()),
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
            period: Period::label_of_financial_key(period),
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
pub(super) fn versions_of(indicator: &Indicator, stored: &[(String, ind::Definition)]) -> Vec<ind::Definition> {
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
pub(super) fn apply_versions(indicator: &Indicator, versions: &[ind::Definition], values: &mut [Value]) {
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
    use assure_domain::intelligence::indicators::measure;

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
