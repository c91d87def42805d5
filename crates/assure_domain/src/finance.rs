//! The partnership's money: a budget per financial year (April to March) with its income
//! (each partner's contribution, set as an amount or as a percentage of the contributions' total,
//! grants and other income), its expenditure and in-kind lines grouped as the partnerships' own
//! budgets group them, each line's forecast and actual by quarter, and the outturn with the
//! reserves carried forward. Money is whole pence (`i64`) and percentages whole hundredths of a
//! per cent (basis points): nothing here is floating point, so every total adds up exactly.
//!
//! The rules here are pure: reading amounts and percentages as people write them, sharing a sum
//! by percentages so the parts add up to it exactly, a contributions table's checks, the year a
//! title names, and the flags a budget carries with the numbers that disagree.

use serde::Deserialize;

use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated, money_pence};
use crate::{OrganisationId, ReviewId};

pub use crate::strategy::{Quarter, financial_year};

/// The largest amount one line, total or contribution may hold: £100 million.
pub const MAX_PENCE: i64 = 10_000_000_000;
/// The most lines a budget may hold, and rows a contributions table.
pub const MAX_LINES: usize = 200;
pub const MAX_CONTRIBUTIONS: usize = 40;
/// A whole share: 100 % in hundredths of a per cent.
pub const WHOLE: i64 = 10_000;

choice!(
    /// Which side of the budget a line is on. In-kind lines are goods, services and time given by
    /// partners rather than paid for: shown beside the cash, never added to it.
    Side {
        Income => ("income", "Income"),
        Expenditure => ("expenditure", "Expenditure"),
        InKind => ("in_kind", "In kind"),
    }
);

choice!(
    /// What an income line is (a partner's contribution is set in the contributions table).
    IncomeKind {
        Contribution => ("contribution", "Partner contribution"),
        Grant => ("grant", "Grant"),
        Other => ("other_income", "Other income"),
    }
);

choice!(
    /// How the partnerships' budgets group what they spend (and what partners give in kind).
    Group {
        IndependentChair => ("independent_chair", "Independent chair or scrutineer"),
        Staff => ("staff", "Staff"),
        Reviews => ("reviews", "Case reviews"),
        Training => ("training", "Training and events"),
        Website => ("website", "Website and communications"),
        Office => ("office", "Office and ICT"),
        Other => ("other", "Other"),
    }
);

/// A line's category: an income kind for income, a group for expenditure and in kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Income(IncomeKind),
    Spend(Group),
}

impl Category {
    pub fn code(self) -> &'static str {
        match self {
            Category::Income(k) => k.code(),
            Category::Spend(g) => g.code(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Income(k) => k.label(),
            Category::Spend(g) => g.label(),
        }
    }

    pub fn parse(side: Side, code: &str) -> Option<Category> {
        match side {
            Side::Income => IncomeKind::parse(code).map(Category::Income),
            Side::Expenditure | Side::InKind => Group::parse(code).map(Category::Spend),
        }
    }

    pub fn group(self) -> Option<Group> {
        match self {
            Category::Spend(g) => Some(g),
            Category::Income(_) => None,
        }
    }
}

/// Pence as pounds, negative amounts with a minus sign: "−£1,250.50".
pub use crate::cells::pounds as money;

/// Pence as a plain number of pounds for a file: "1250.50", "-300.00".
pub fn decimal(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", (pence / 100).abs(), (pence % 100).abs())
}

/// Basis points as a percentage people read: 4950 as "49.5 %", 10000 as "100 %", 10 as "0.1 %".
pub fn percent(bp: i64) -> String {
    let sign = if bp < 0 { "\u{2212}" } else { "" };
    let bp = bp.abs();
    let whole = bp / 100;
    let mut frac = format!("{:02}", bp % 100);
    while frac.ends_with('0') {
        frac.pop();
    }
    if frac.is_empty() { format!("{sign}{whole} %") } else { format!("{sign}{whole}.{frac} %") }
}

/// `part` as a share of `whole` in basis points, rounded half up; `None` for a zero whole.
pub fn share_of(part: i64, whole: i64) -> Option<i64> {
    if whole == 0 {
        return None;
    }
    let (p, w) = (i128::from(part), i128::from(whole));
    let bp = (p * 20_000 + w) / (2 * w);
    i64::try_from(bp).ok()
}

/// A percentage as people write it ("48", "48%", "49.5", "0.1 %") in basis points: more than 0
/// and at most 100, with at most two decimals. Empty is none.
pub fn percentage(label: &str, raw: &str) -> Result<Option<i64>, String> {
    let text = raw.trim().trim_end_matches('%').trim();
    if text.is_empty() {
        return Ok(None);
    }
    let wrong = || format!("Enter {label} as a percentage, like 26 or 49.5");
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) if (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => (w, f),
        Some(_) => return Err(wrong()),
        None => (text, ""),
    };
    if whole.is_empty() || whole.len() > 3 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(wrong());
    }
    let frac_bp = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| wrong())? * 10,
        _ => frac.parse::<i64>().map_err(|_| wrong())?,
    };
    let bp = whole.parse::<i64>().map_err(|_| wrong())? * 100 + frac_bp;
    if bp == 0 || bp > WHOLE {
        return Err(format!("{} must be more than 0 and at most 100 %", capital(label)));
    }
    Ok(Some(bp))
}

fn capital(label: &str) -> String {
    let mut c = label.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Shares `total` pence by `shares` (basis points adding up to 100 %), so the parts add up to
/// `total` exactly: each part is rounded down, then the units left over go one each to the parts
/// with the largest remainders (the earlier part on a tie). The unit is a whole pound when the
/// total is whole pounds (as partnerships set contributions), otherwise a penny.
pub fn apportion(total: i64, shares: &[i64]) -> Vec<i64> {
    let unit: i64 = if total % 100 == 0 { 100 } else { 1 };
    let units = i128::from(total / unit);
    let mut parts: Vec<(i64, i128)> = shares
        .iter()
        .map(|&bp| {
            let exact = units * i128::from(bp);
            ((exact / i128::from(WHOLE)) as i64, exact % i128::from(WHOLE))
        })
        .collect();
    let given: i64 = parts.iter().map(|p| p.0).sum();
    let mut left = (units as i64) - given;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1).then(a.cmp(&b)));
    for i in order {
        if left <= 0 {
            break;
        }
        parts[i].0 += 1;
        left -= 1;
    }
    parts.into_iter().map(|(n, _)| n * unit).collect()
}

/// The financial year a title names ("Proposed Contributions for 2016/17", "Budget 2019-2020",
/// "2022 to 2023"), by the year it starts; `None` when it names none (or two that disagree).
pub fn title_year(title: &str) -> Option<i32> {
    let b = title.as_bytes();
    let mut found: Option<i32> = None;
    let mut i = 0;
    while i + 4 <= b.len() {
        let starts_number = i == 0 || !b[i - 1].is_ascii_digit();
        if starts_number
            && b[i..i + 4].iter().all(u8::is_ascii_digit)
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
        {
            let year: i32 = title[i..i + 4].parse().unwrap_or(0);
            let rest = &title[i + 4..];
            let after = rest
                .strip_prefix('/')
                .or_else(|| rest.strip_prefix('-'))
                .or_else(|| rest.strip_prefix('\u{2013}'))
                .or_else(|| rest.strip_prefix(" to "))
                .map(|r| r.trim_start());
            if let Some(after) = after {
                let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
                let next = (year + 1).to_string();
                if (digits.len() == 2 && digits == next[2..]) || (digits.len() == 4 && digits == next) {
                    if found.is_some_and(|f| f != year) {
                        return None;
                    }
                    found = Some(year);
                }
            }
            i += 4;
        } else {
            i += 1;
        }
    }
    found
}

/// A year as people give it: "2019" or "2019-20", by the year the financial year starts.
pub fn year(label: &str, raw: &str) -> Result<i32, String> {
    let value = raw.trim();
    let start = value.split(['-', '/']).next().unwrap_or("");
    let year = start
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y) && start.len() == 4)
        .ok_or_else(|| format!("Enter {label} as the year it starts, like 2019 for 2019-20"))?;
    if start.len() < value.len() && title_year(value) != Some(year) {
        return Err(format!("Enter {label} as the year it starts, like 2019 for 2019-20"));
    }
    Ok(year)
}

/// An amount that may be negative (reserves in deficit): "-12,000" or "−£12,000". Empty is none.
pub fn money_pence_signed(label: &str, raw: &str) -> Result<Option<i64>, String> {
    let t = raw.trim();
    match t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}')) {
        Some(rest) => Ok(money_pence(label, rest, MAX_PENCE)?.map(|p| -p)),
        None => money_pence(label, t, MAX_PENCE),
    }
}

fn amount(label: &str, raw: &str) -> Result<Option<i64>, String> {
    money_pence(label, raw, MAX_PENCE)
}

/// A budget's details, as the form and the API send them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BudgetInput {
    /// The financial year by the year it starts: "2019" or "2019-20".
    #[serde(default)]
    pub year: String,
    /// The budget's title as its source gives it (blank: none).
    #[serde(default)]
    pub title: String,
    /// The reserves brought forward into the year, in pounds (blank: none recorded).
    #[serde(default)]
    pub reserves_brought_forward: String,
    /// "yes" when the contributions table counts the in kind entered on the budget (the cash
    /// the partners give is then the contributions less the in kind).
    #[serde(default)]
    pub in_kind_counted: String,
    #[serde(default)]
    pub notes: String,
    /// Why, when the year is locked.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBudget {
    pub year: i32,
    pub title: Option<String>,
    pub reserves_brought_forward: Option<i64>,
    pub in_kind_counted: bool,
    pub notes: Option<String>,
}

impl BudgetInput {
    pub fn validate(&self) -> Validated<NewBudget> {
        let mut e = FieldErrors::new();
        let year = e.check("year", year("the financial year", &self.year));
        let title = e.check("title", validation::optional_text("the title", &self.title, 200));
        let reserves = e.check(
            "reserves_brought_forward",
            money_pence_signed("the reserves brought forward", &self.reserves_brought_forward),
        );
        let notes = e.check("notes", validation::optional_text("the notes", &self.notes, 4000));
        e.into_result(|| NewBudget {
            year: year.unwrap_or_default(),
            title: title.flatten(),
            reserves_brought_forward: reserves.flatten(),
            in_kind_counted: matches!(self.in_kind_counted.trim(), "yes" | "on" | "true"),
            notes: notes.flatten(),
        })
    }
}

/// Why a change to a locked year is made: required then, and kept with the change.
pub fn reason(locked: bool, raw: &str) -> Result<Option<String>, String> {
    let text = validation::optional_text("the reason", raw, 1000)?;
    if locked && text.is_none() {
        return Err("The year is locked: say why it is being changed".into());
    }
    Ok(text)
}

/// One line of income, expenditure or in kind (a partner's contribution is set in the
/// contributions table instead).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LineInput {
    /// "income", "expenditure" or "in_kind".
    #[serde(default)]
    pub side: String,
    /// An income kind ("grant", "other_income") or a group ("staff", "reviews", ...).
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub description: String,
    /// The organisation that gives it (income, in kind) or is paid (blank: none).
    #[serde(default)]
    pub organisation_id: String,
    /// The case review a review's cost is for (blank: none).
    #[serde(default)]
    pub review_id: String,
    /// The year's budget, in pounds.
    #[serde(default)]
    pub budget: String,
    /// In kind only: hours given, valued at the partnership's hourly rate, instead of an amount.
    #[serde(default)]
    pub hours: String,
    /// Why, when the year is locked.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLine {
    pub side: Side,
    pub category: Category,
    pub description: String,
    pub organisation_id: Option<OrganisationId>,
    pub review_id: Option<ReviewId>,
    pub budget: Option<i64>,
    /// Tenths of an hour, in kind only.
    pub tenths: Option<i64>,
}

fn optional_id(label: &str, raw: &str) -> Result<Option<i64>, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>().ok().filter(|v| *v > 0).map(Some).ok_or_else(|| format!("Select {label} from the list"))
}

impl LineInput {
    pub fn validate(&self) -> Validated<NewLine> {
        let mut e = FieldErrors::new();
        let side = e.check(
            "side",
            Side::parse(self.side.trim()).ok_or_else(|| "Choose income, expenditure or in kind".to_owned()),
        );
        let category = side.and_then(|s| {
            e.check(
                "category",
                match Category::parse(s, self.category.trim()) {
                    Some(Category::Income(IncomeKind::Contribution)) => {
                        Err("Set partners' contributions in the contributions table".to_owned())
                    }
                    Some(c) => Ok(c),
                    None => Err(match s {
                        Side::Income => "Choose grant or other income".to_owned(),
                        _ => "Choose the group the line belongs to".to_owned(),
                    }),
                },
            )
        });
        let description = e.check("description", validation::required_text("the description", &self.description, 300));
        let organisation = e.check("organisation_id", optional_id("the organisation", &self.organisation_id));
        let review = e.check("review_id", optional_id("the case review", &self.review_id));
        let budget = e.check("budget", amount("the budget", &self.budget));
        let tenths = e.check(
            "hours",
            if self.hours.trim().is_empty() {
                Ok(None)
            } else {
                crate::meetings::in_kind::tenths(&self.hours).map(Some)
            },
        );
        if let Some(Some(_)) = &review
            && category != Some(Category::Spend(Group::Reviews))
        {
            e.add("review_id", "Only a case review's cost links to a review: choose the group Case reviews");
        }
        if let (Some(Some(_)), Some(s)) = (&tenths, side)
            && s != Side::InKind
        {
            e.add("hours", "Only time given in kind is entered in hours; enter the budget in pounds");
        }
        if let (Some(Some(_)), Some(Some(_))) = (&tenths, &budget) {
            e.add("hours", "Enter either the hours given or their value, not both");
        }
        if side == Some(Side::InKind) && matches!((&tenths, &budget), (Some(None), Some(None))) {
            e.add("budget", "Enter the value given, or the hours");
        }
        e.into_result(|| NewLine {
            side: side.unwrap_or(Side::Expenditure),
            category: category.unwrap_or(Category::Spend(Group::Other)),
            description: description.unwrap_or_default(),
            organisation_id: organisation.flatten().map(OrganisationId),
            review_id: review.flatten().map(ReviewId),
            budget: budget.flatten(),
            tenths: tenths.flatten(),
        })
    }
}

/// One quarter's figures of a line: what was spent (or received) in the quarter, and the year's
/// forecast outturn as it stood at the quarter's end.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QuarterInput {
    /// 1 (April to June) to 4 (January to March).
    #[serde(default)]
    pub quarter: String,
    /// In pounds; blank: not yet known.
    #[serde(default)]
    pub actual: String,
    #[serde(default)]
    pub forecast: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewQuarter {
    pub quarter: u8,
    pub actual: Option<i64>,
    pub forecast: Option<i64>,
}

impl QuarterInput {
    pub fn validate(&self) -> Validated<NewQuarter> {
        let mut e = FieldErrors::new();
        let quarter = e.check(
            "quarter",
            self.quarter
                .trim()
                .trim_start_matches(['Q', 'q'])
                .parse::<u8>()
                .ok()
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(|| "Choose the quarter, 1 (April to June) to 4 (January to March)".to_owned()),
        );
        let actual = e.check("actual", amount("the actual amount", &self.actual));
        let forecast = e.check("forecast", amount("the forecast for the year", &self.forecast));
        e.into_result(|| NewQuarter {
            quarter: quarter.unwrap_or(1),
            actual: actual.flatten(),
            forecast: forecast.flatten(),
        })
    }
}

/// A contributions table as the form and the API send it: the total the percentages share (as
/// the table states it) and its rows.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContributionsInput {
    /// The table's total, in pounds (blank when every row is an amount and no total is stated).
    #[serde(default)]
    pub total: String,
    #[serde(default)]
    pub rows: Vec<ContributionRow>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContributionRow {
    /// The organisation that contributes (required: a row that names no organisation is refused).
    #[serde(default)]
    pub organisation_id: String,
    /// A percentage of what the total leaves once the amounts are taken off ("48", "49.5").
    #[serde(default)]
    pub share: String,
    /// Or a fixed amount in pounds.
    #[serde(default)]
    pub amount: String,
}

/// How a partner's contribution is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Basis points of what the total leaves once the fixed amounts are taken off.
    Share(i64),
    /// Pence.
    Amount(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContribution {
    pub organisation_id: OrganisationId,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContributions {
    pub total: Option<i64>,
    pub rows: Vec<NewContribution>,
}

impl ContributionsInput {
    /// Every row names an organisation (once) and is either a percentage or an amount; the
    /// percentages add up to exactly 100 % of what the total leaves after the amounts; with no
    /// percentages, the amounts add up to the total when one is stated. Refused whole otherwise,
    /// with the numbers that disagree.
    pub fn validate(&self) -> Validated<NewContributions> {
        let mut e = FieldErrors::new();
        let total = e.check("total", amount("the total", &self.total)).flatten();
        if self.rows.len() > MAX_CONTRIBUTIONS {
            e.add("rows", format!("A contributions table holds at most {MAX_CONTRIBUTIONS} rows"));
            return Err(e);
        }
        let mut rows = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, r) in self.rows.iter().enumerate() {
            let n = i + 1;
            let field = format!("rows.{i}");
            if r.organisation_id.trim().is_empty() && r.share.trim().is_empty() && r.amount.trim().is_empty() {
                continue;
            }
            let org = match optional_id("the organisation", &r.organisation_id) {
                Ok(Some(id)) => Some(OrganisationId(id)),
                Ok(None) => {
                    e.add(
                        &field,
                        format!("Row {n}: choose the organisation the contribution comes from (the row names none)"),
                    );
                    None
                }
                Err(m) => {
                    e.add(&field, format!("Row {n}: {m}"));
                    None
                }
            };
            let share = percentage("the share", &r.share).map_err(|m| e.add(&field, format!("Row {n}: {m}"))).ok();
            let amount = amount("the amount", &r.amount).map_err(|m| e.add(&field, format!("Row {n}: {m}"))).ok();
            let basis = match (share.flatten(), amount.flatten()) {
                (Some(bp), None) => Some(Basis::Share(bp)),
                (None, Some(p)) => Some(Basis::Amount(p)),
                (Some(_), Some(_)) => {
                    e.add(&field, format!("Row {n}: give either a percentage or an amount, not both"));
                    None
                }
                (None, None) => {
                    if share.is_some() && amount.is_some() {
                        e.add(&field, format!("Row {n}: enter the percentage or the amount"));
                    }
                    None
                }
            };
            if let Some(o) = org
                && !seen.insert(o)
            {
                e.add(&field, format!("Row {n}: that organisation already has a row"));
            }
            if let (Some(organisation_id), Some(basis)) = (org, basis) {
                rows.push(NewContribution { organisation_id, basis });
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        if let Err(m) = check_contributions(total, &rows) {
            e.add("total", m);
        }
        e.into_result(|| NewContributions { total, rows })
    }
}

/// A contributions table's sums: refused with the numbers that disagree.
pub fn check_contributions(total: Option<i64>, rows: &[NewContribution]) -> Result<(), String> {
    let fixed: i64 = rows.iter().filter_map(|r| if let Basis::Amount(p) = r.basis { Some(p) } else { None }).sum();
    let shares: Vec<i64> =
        rows.iter().filter_map(|r| if let Basis::Share(bp) = r.basis { Some(bp) } else { None }).collect();
    if shares.is_empty() {
        return match total {
            Some(t) if t != fixed => Err(format!(
                "The contributions add up to {}, not the {} total ({} apart)",
                money(fixed),
                money(t),
                money((t - fixed).abs())
            )),
            _ => Ok(()),
        };
    }
    let sum: i64 = shares.iter().sum();
    if sum != WHOLE {
        return Err(format!("The percentages add up to {}, not 100 %", percent(sum)));
    }
    match total {
        None => Err("Enter the total the percentages share".into()),
        Some(t) if fixed > t => Err(format!(
            "The amounts add up to {}, more than the {} total: nothing is left to share",
            money(fixed),
            money(t)
        )),
        Some(_) => Ok(()),
    }
}

/// Each row's amount in pence, in order: amounts as set, percentages sharing what the total
/// leaves once the amounts are taken off ([`apportion`]).
pub fn contribution_amounts(total: Option<i64>, rows: &[Basis]) -> Vec<i64> {
    let fixed: i64 = rows.iter().map(|b| if let Basis::Amount(p) = b { *p } else { 0 }).sum();
    let shares: Vec<i64> =
        rows.iter().filter_map(|b| if let Basis::Share(bp) = b { Some(*bp) } else { None }).collect();
    let shared = apportion((total.unwrap_or(0) - fixed).max(0), &shares);
    let mut next = shared.into_iter();
    rows.iter()
        .map(|b| match b {
            Basis::Amount(p) => *p,
            Basis::Share(_) => next.next().unwrap_or(0),
        })
        .collect()
}

/// A line's forecast outturn: the latest quarter's forecast, else the actuals when the year's
/// four quarters are all in, else the budget.
pub fn forecast(budget: Option<i64>, quarters: &[(u8, Option<i64>, Option<i64>)]) -> i64 {
    let mut latest: Option<(u8, i64)> = None;
    for &(q, _, f) in quarters {
        if let Some(f) = f
            && latest.is_none_or(|(lq, _)| q > lq)
        {
            latest = Some((q, f));
        }
    }
    let actual_quarters = quarters.iter().filter(|(_, a, _)| a.is_some()).count();
    match latest {
        Some((_, f)) => f,
        None if actual_quarters == 4 => quarters.iter().filter_map(|(_, a, _)| *a).sum(),
        None => budget.unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(org: &str, share: &str, amount: &str) -> ContributionRow {
        ContributionRow { organisation_id: org.into(), share: share.into(), amount: amount.into() }
    }

    #[test]
    fn percentages_are_read_exactly() {
        assert_eq!(percentage("x", "48"), Ok(Some(4800)));
        assert_eq!(percentage("x", "49.5%"), Ok(Some(4950)));
        assert_eq!(percentage("x", "0.1 %"), Ok(Some(10)));
        assert_eq!(percentage("x", "33.33"), Ok(Some(3333)));
        assert_eq!(percentage("x", ""), Ok(None));
        assert!(percentage("x", "0").is_err());
        assert!(percentage("x", "100.01").is_err());
        assert!(percentage("x", "1.234").is_err());
        assert!(percentage("x", "-5").is_err());
        assert!(percentage("x", "1e2").is_err());
        assert_eq!(percent(4950), "49.5 %");
        assert_eq!(percent(10_000), "100 %");
        assert_eq!(percent(10), "0.1 %");
        assert_eq!(percent(3333), "33.33 %");
    }

    /// Seed 001 §1.16: £284,956 less £7,794 from minor others, shared 48 / 26 / 26.
    #[test]
    fn shares_reproduce_the_2019_20_contributions() {
        assert_eq!(apportion(27_716_200, &[4800, 2600, 2600]), vec![13_303_800, 7_206_200, 7_206_200]);
    }

    /// Seed 002: £87,000 by the LSCB's funding formula, every row as the table gives it.
    #[test]
    fn shares_reproduce_the_2015_16_formula() {
        let got = apportion(8_700_000, &[4950, 1650, 2600, 720, 70, 10]);
        assert_eq!(got, vec![4_306_500, 1_435_500, 2_262_000, 626_400, 60_900, 8_700]);
    }

    #[test]
    fn shares_always_add_up_to_the_total() {
        for total in [1, 99, 100, 101, 33_333, 1_000_000, 28_495_600, 7_777_777] {
            for shares in [vec![3333, 3333, 3334], vec![5000, 5000], vec![1, 9999], vec![10_000], vec![2500; 4]] {
                let parts = apportion(total, &shares);
                assert_eq!(parts.iter().sum::<i64>(), total, "{total} by {shares:?}");
            }
        }
    }

    #[test]
    fn a_table_that_does_not_add_up_is_refused_with_its_numbers() {
        let input = ContributionsInput {
            total: "87,000".into(),
            rows: vec![row("1", "49.5", ""), row("2", "16.5", ""), row("3", "26", ""), row("4", "7.2", "")],
            reason: String::new(),
        };
        let e = input.validate().unwrap_err();
        assert_eq!(e.get("total"), Some("The percentages add up to 99.2 %, not 100 %"));

        let amounts = ContributionsInput {
            total: "263,337".into(),
            rows: vec![row("1", "", "87,779"), row("2", "", "87,779"), row("3", "", "87,000")],
            reason: String::new(),
        };
        let e = amounts.validate().unwrap_err();
        assert_eq!(e.get("total"), Some("The contributions add up to £262,558, not the £263,337 total (£779 apart)"));
    }

    #[test]
    fn a_row_without_an_organisation_is_refused() {
        let input = ContributionsInput {
            total: "87,000".into(),
            rows: vec![row("1", "99.9", ""), row("", "0.1", "")],
            reason: String::new(),
        };
        let e = input.validate().unwrap_err();
        assert_eq!(
            e.get("rows.1"),
            Some("Row 2: choose the organisation the contribution comes from (the row names none)")
        );
        let twice = ContributionsInput {
            total: String::new(),
            rows: vec![row("1", "", "10"), row("1", "", "20")],
            reason: String::new(),
        };
        assert_eq!(twice.validate().unwrap_err().get("rows.1"), Some("Row 2: that organisation already has a row"));
    }

    #[test]
    fn amounts_and_shares_together() {
        let input = ContributionsInput {
            total: "284,956".into(),
            rows: vec![
                row("1", "48", ""),
                row("2", "26", ""),
                row("3", "26", ""),
                row("4", "", "805"),
                row("5", "", "4,577"),
                row("6", "", "2,412"),
            ],
            reason: String::new(),
        };
        let ok = input.validate().unwrap();
        let bases: Vec<Basis> = ok.rows.iter().map(|r| r.basis).collect();
        let amounts = contribution_amounts(ok.total, &bases);
        assert_eq!(amounts, vec![13_303_800, 7_206_200, 7_206_200, 80_500, 457_700, 241_200]);
        assert_eq!(amounts.iter().sum::<i64>(), 28_495_600);
    }

    #[test]
    fn titles_name_their_year() {
        assert_eq!(title_year("Proposed Contributions for 2016/17"), Some(2016));
        assert_eq!(title_year("Budget 2019-2020"), Some(2019));
        assert_eq!(title_year("2022 to 2023 budget"), Some(2022));
        assert_eq!(title_year("Budget 2022\u{2013}23"), Some(2022));
        assert_eq!(title_year("Budget plan"), None);
        assert_eq!(title_year("12019/20"), None);
        assert_eq!(title_year("2019/21"), None);
        assert_eq!(title_year("2019/20 and 2020/21"), None);
        assert_eq!(year("y", "2019-20"), Ok(2019));
        assert_eq!(year("y", "2019"), Ok(2019));
        assert!(year("y", "2019-21").is_err());
        assert!(year("y", "19").is_err());
    }

    #[test]
    fn shares_of_a_whole() {
        assert_eq!(share_of(13_303_800, 28_495_600), Some(4669));
        assert_eq!(share_of(1, 3), Some(3333));
        assert_eq!(share_of(2, 3), Some(6667));
        assert_eq!(share_of(5, 0), None);
        assert_eq!(money(-125_050), "\u{2212}£1,250.50");
        assert_eq!(decimal(-30_000), "-300.00");
        assert_eq!(money_pence_signed("x", "-12,000"), Ok(Some(-1_200_000)));
        assert_eq!(money_pence_signed("x", "\u{2212}£178,000"), Ok(Some(-17_800_000)));
        assert_eq!(money_pence_signed("x", "178,000"), Ok(Some(17_800_000)));
    }

    #[test]
    fn a_forecast_is_the_latest_or_the_outturn_or_the_budget() {
        assert_eq!(forecast(Some(1000), &[]), 1000);
        assert_eq!(forecast(Some(1000), &[(1, Some(200), Some(900)), (2, Some(300), Some(1100))]), 1100);
        let all: Vec<_> = (1..=4).map(|q| (q, Some(250), None)).collect();
        assert_eq!(forecast(Some(1200), &all), 1000);
    }

    #[test]
    fn lines_are_checked_field_by_field() {
        let input = LineInput {
            side: "expenditure".into(),
            category: "staff".into(),
            description: "Salaries".into(),
            review_id: "4".into(),
            hours: "10".into(),
            budget: "155,396".into(),
            ..Default::default()
        };
        let e = input.validate().unwrap_err();
        assert!(e.get("review_id").is_some());
        assert!(e.get("hours").is_some());
        let contribution = LineInput {
            side: "income".into(),
            category: "contribution".into(),
            description: "x".into(),
            ..Default::default()
        };
        assert!(contribution.validate().unwrap_err().get("category").is_some());
        let in_kind = LineInput {
            side: "in_kind".into(),
            category: "reviews".into(),
            description: "CSPR reviewer (3 x 20 days at £600)".into(),
            budget: "36,000".into(),
            ..Default::default()
        };
        assert_eq!(in_kind.validate().unwrap().budget, Some(3_600_000));
    }
}
