//! A budget as people read it, worked out from its lines: partners' contributions with their
//! amounts and shares, each group's budget, forecast and actual, the in-kind beside the cash,
//! the reserves, and the flags that name the numbers that disagree. Pure: the use-cases read the
//! rows and hand them here.

use std::collections::BTreeMap;

use assure_domain::finance::{self as fin, Basis, Group, Side, contribution_amounts, financial_year, money, percent};
use assure_domain::structure::Choice;
use assure_domain::{OrganisationId, ReviewId};

pub use assure_store::finance::{Budget, Line};

/// Budget, forecast outturn and actual to date, in pence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub budget: i64,
    pub forecast: i64,
    pub actual: i64,
}

impl Figures {
    fn add(&mut self, other: Figures) {
        self.budget += other.budget;
        self.forecast += other.forecast;
        self.actual += other.actual;
    }

    /// Forecast less budget: more than budgeted is positive.
    pub fn variance(&self) -> i64 {
        self.forecast - self.budget
    }
}

/// A line with its figures worked out.
#[derive(Debug, Clone)]
pub struct LineRow {
    pub line: Line,
    pub figures: Figures,
    /// A partner's contribution: its share of every contribution, in basis points.
    pub share_of_contributions: Option<i64>,
    /// In kind given as time and not valued because no hourly rate is set.
    pub unvalued: bool,
    /// The case review it pays for, when the reader may see which.
    pub review: Option<ReviewId>,
}

impl LineRow {
    /// What the line is, as the tables name it.
    pub fn name(&self) -> String {
        if self.line.is_contribution() {
            return self.line.organisation_name.clone().unwrap_or_default();
        }
        self.line.description.clone()
    }

    /// How a contribution is set: "48 % of the remainder" or "Fixed amount".
    pub fn basis(&self) -> String {
        match self.line.share {
            Some(bp) => format!("{} of what is shared", percent(bp)),
            None => "Fixed amount".into(),
        }
    }

    pub fn quarter(&self, q: u8) -> (Option<i64>, Option<i64>) {
        self.line.quarters.iter().find(|x| x.0 == q).map(|x| (x.1, x.2)).unwrap_or((None, None))
    }
}

/// One group of expenditure (or of in kind) with its lines.
#[derive(Debug, Clone)]
pub struct GroupRows {
    pub group: Group,
    pub figures: Figures,
    pub lines: Vec<LineRow>,
}

/// One organisation's time given to meetings and tasks in the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeGiven {
    pub organisation_name: String,
    pub tenths: i64,
    pub value: Option<i64>,
}

/// Something in the budget that does not agree, with the numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Where it is: "contributions", "title", "reserves_brought_forward", "reserves", "balance",
    /// "in_kind".
    pub code: &'static str,
    pub message: String,
}

/// The reserves: brought forward, expected at the year's end, and at outturn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reserves {
    pub brought_forward: Option<i64>,
    /// Brought forward + income forecast − expenditure forecast.
    pub forecast: i64,
    /// From the actuals, once every line has its four quarters' actuals.
    pub from_actuals: Option<i64>,
    /// As reported when the year was locked.
    pub reported: Option<i64>,
}

impl Reserves {
    /// The year's closing reserves as best known: reported, else from the actuals, else forecast.
    pub fn carried_forward(&self) -> i64 {
        self.reported.or(self.from_actuals).unwrap_or(self.forecast)
    }
}

/// A budget worked out.
#[derive(Debug, Clone)]
pub struct Worked {
    pub budget: Budget,
    pub contributions: Vec<LineRow>,
    /// Grants and other income.
    pub other_income: Vec<LineRow>,
    /// Cash income: contributions and other income, less the in kind when the contributions
    /// table counts it.
    pub income: Figures,
    pub contributions_total: Figures,
    /// The in kind the contributions table counts (taken off the cash income), when it does.
    pub counted_in_kind: Option<i64>,
    pub expenditure: Vec<GroupRows>,
    pub spend: Figures,
    pub in_kind: Vec<GroupRows>,
    /// In kind entered on the budget (value, with time valued at the rate).
    pub in_kind_total: i64,
    /// Time given to meetings and tasks in the year, per organisation.
    pub time_given: Vec<TimeGiven>,
    pub time_given_total: Option<i64>,
    pub reserves: Reserves,
    pub flags: Vec<Flag>,
}

impl Worked {
    pub fn year_words(&self) -> String {
        financial_year(self.budget.year)
    }

    /// Every in kind: entered on the budget and time given (valued).
    pub fn all_in_kind(&self) -> i64 {
        self.in_kind_total + self.time_given_total.unwrap_or(0)
    }
}

/// The facts the working out needs besides the budget's own lines.
pub struct Context {
    /// The partnership's in-kind hourly rate, pence.
    pub rate: Option<i64>,
    /// Time given in the year per organisation (name, tenths).
    pub time_given: Vec<(String, i64)>,
    /// The year before's closing reserves, when there is a budget for it.
    pub previous_reserves: Option<i64>,
    /// Whether the reader may see which case review a line pays for.
    pub sees_reviews: bool,
}

fn figures(line: &Line, budget: i64) -> Figures {
    Figures { budget, forecast: fin::forecast(Some(budget), &line.quarters), actual: line.actual() }
}

/// Works a budget out from its lines (in their order).
pub fn work(budget: Budget, lines: Vec<Line>, cx: &Context) -> Worked {
    let mut contributions = Vec::new();
    let mut other_income = Vec::new();
    let mut spend: BTreeMap<usize, GroupRows> = BTreeMap::new();
    let mut kind: BTreeMap<usize, GroupRows> = BTreeMap::new();
    let (contribution_lines, rest): (Vec<Line>, Vec<Line>) = lines.into_iter().partition(|l| l.is_contribution());
    let bases: Vec<Basis> = contribution_lines
        .iter()
        .map(|l| match l.share {
            Some(bp) => Basis::Share(bp),
            None => Basis::Amount(l.budget.unwrap_or(0)),
        })
        .collect();
    let amounts = contribution_amounts(budget.contributions_total, &bases);
    let contributed: i64 = amounts.iter().sum();
    for (line, amount) in contribution_lines.into_iter().zip(amounts) {
        let f = figures(&line, amount);
        contributions.push(LineRow {
            share_of_contributions: fin::share_of(amount, contributed),
            figures: f,
            unvalued: false,
            review: None,
            line,
        });
    }
    let mut in_kind_total = 0;
    let mut unvalued_hours = false;
    for line in rest {
        let group_index = |g: Option<Group>| g.and_then(|g| Group::ALL.iter().position(|x| *x == g)).unwrap_or(0);
        let review = if cx.sees_reviews { line.review_id } else { None };
        match line.side {
            Side::Income => {
                let f = figures(&line, line.budget.unwrap_or(0));
                other_income.push(LineRow { line, figures: f, share_of_contributions: None, unvalued: false, review });
            }
            Side::Expenditure => {
                let g = line.category.group().unwrap_or(Group::Other);
                let f = figures(&line, line.budget.unwrap_or(0));
                let entry = spend.entry(group_index(Some(g))).or_insert_with(|| GroupRows {
                    group: g,
                    figures: Figures::default(),
                    lines: Vec::new(),
                });
                entry.figures.add(f);
                entry.lines.push(LineRow { line, figures: f, share_of_contributions: None, unvalued: false, review });
            }
            Side::InKind => {
                let g = line.category.group().unwrap_or(Group::Other);
                let (value, unvalued) = match (line.budget, line.tenths, cx.rate) {
                    (Some(v), _, _) => (v, false),
                    (None, Some(t), Some(rate)) => (assure_domain::meetings::in_kind::value_pence(t, rate), false),
                    (None, Some(_), None) => (0, true),
                    (None, None, _) => (0, false),
                };
                unvalued_hours |= unvalued;
                in_kind_total += value;
                let f = Figures { budget: value, forecast: value, actual: 0 };
                let entry = kind.entry(group_index(Some(g))).or_insert_with(|| GroupRows {
                    group: g,
                    figures: Figures::default(),
                    lines: Vec::new(),
                });
                entry.figures.add(f);
                entry.lines.push(LineRow { line, figures: f, share_of_contributions: None, unvalued, review });
            }
        }
    }
    let mut contributions_total = Figures::default();
    contributions.iter().for_each(|c| contributions_total.add(c.figures));
    let mut income = contributions_total;
    other_income.iter().for_each(|c| income.add(c.figures));
    let counted_in_kind = budget.in_kind_counted.then_some(in_kind_total);
    if let Some(k) = counted_in_kind {
        income.budget -= k;
        income.forecast -= k;
    }
    let expenditure: Vec<GroupRows> = spend.into_values().collect();
    let mut spent = Figures::default();
    expenditure.iter().for_each(|g| spent.add(g.figures));
    let time_given: Vec<TimeGiven> = cx
        .time_given
        .iter()
        .map(|(name, tenths)| TimeGiven {
            organisation_name: name.clone(),
            tenths: *tenths,
            value: cx.rate.map(|r| assure_domain::meetings::in_kind::value_pence(*tenths, r)),
        })
        .collect();
    let time_given_total = cx.rate.map(|_| time_given.iter().filter_map(|t| t.value).sum());

    let every_line_complete = contributions
        .iter()
        .chain(&other_income)
        .chain(expenditure.iter().flat_map(|g| &g.lines))
        .all(|l| l.line.quarters.iter().filter(|q| q.1.is_some()).count() == 4);
    let any_line = !contributions.is_empty() || !other_income.is_empty() || !expenditure.is_empty();
    let bf = budget.reserves_brought_forward.unwrap_or(0);
    let reserves = Reserves {
        brought_forward: budget.reserves_brought_forward,
        forecast: bf + income.forecast - spent.forecast,
        from_actuals: (any_line && every_line_complete).then_some(bf + income.actual - spent.actual),
        reported: budget.reserves_carried_forward,
    };

    let mut flags = Vec::new();
    let rows: Vec<fin::NewContribution> = contributions
        .iter()
        .filter_map(|c| {
            Some(fin::NewContribution {
                organisation_id: c.line.organisation_id.unwrap_or(OrganisationId(0)),
                basis: match c.line.share {
                    Some(bp) => Basis::Share(bp),
                    None => Basis::Amount(c.line.budget?),
                },
            })
        })
        .collect();
    if !rows.is_empty()
        && let Err(m) = fin::check_contributions(budget.contributions_total, &rows)
    {
        flags.push(Flag { code: "contributions", message: m });
    }
    if let Some(title) = &budget.title
        && let Some(y) = fin::title_year(title)
        && y != budget.year
    {
        flags.push(Flag {
            code: "title",
            message: format!(
                "Titled \u{201c}{title}\u{201d}, for {}, but used as the budget for {}",
                financial_year(y),
                financial_year(budget.year)
            ),
        });
    }
    if let (Some(prev), Some(bf)) = (cx.previous_reserves, budget.reserves_brought_forward)
        && prev != bf
    {
        flags.push(Flag {
            code: "reserves_brought_forward",
            message: format!(
                "The reserves brought forward ({}) are not the {} carried forward from {} ({} apart)",
                money(bf),
                money(prev),
                financial_year(budget.year - 1),
                money((prev - bf).abs())
            ),
        });
    }
    if let (Some(reported), Some(computed)) = (reserves.reported, reserves.from_actuals)
        && reported != computed
    {
        flags.push(Flag {
            code: "reserves",
            message: format!(
                "The reserves carried forward are reported as {}, but the actuals give {} ({} apart)",
                money(reported),
                money(computed),
                money((reported - computed).abs())
            ),
        });
    }
    if any_line && spent.budget > income.budget + bf {
        flags.push(Flag {
            code: "balance",
            message: format!(
                "The expenditure budgeted ({}) is more than the income and reserves brought forward ({}): {} short",
                money(spent.budget),
                money(income.budget + bf),
                money(spent.budget - income.budget - bf)
            ),
        });
    }
    if unvalued_hours {
        flags.push(Flag {
            code: "in_kind",
            message: "Time given in kind is not valued: set the hourly rate on the in-kind contributions page".into(),
        });
    }
    Worked {
        budget,
        contributions,
        other_income,
        income,
        contributions_total,
        counted_in_kind,
        expenditure,
        spend: spent,
        in_kind: kind.into_values().collect(),
        in_kind_total,
        time_given,
        time_given_total,
        reserves,
        flags,
    }
}
