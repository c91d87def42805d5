//! The running counts: contacts, referrals and distinct persons by month and source; contacts
//! and referrals by financial year and IMD decile; referrals and re-referrals by year.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::date::{self, Day};
use crate::{Aggregates, ByDecile, Contact, Mode, Monthly, ReReferrals, imd};

/// Person keys below this number, of the extract's most common id shape, are marked in a
/// bitmap rather than a hash set (1 MB a month and source while the month is open).
const DENSE: u64 = 1 << 23;

/// Counts for one month and source.
#[derive(Default)]
struct Group {
    contacts: u64,
    referrals: u64,
    /// Distinct persons: those whose keys fit the bitmap, counted as they are first marked...
    bits: Vec<u64>,
    marked: u64,
    /// ...and everyone else.
    persons: FxHashSet<u64>,
    /// Distinct persons, once the month is over and its sets dropped.
    counted: Option<u64>,
}

impl Group {
    fn distinct(&self) -> u64 {
        self.counted.unwrap_or(self.marked + self.persons.len() as u64)
    }
}

#[derive(Default, Clone, Copy)]
struct Year {
    by_decile: [[u64; 2]; 11],
    referrals: u64,
    rereferrals: u64,
}

/// The running counts.
pub(crate) struct Counts {
    mode: Mode,
    /// By month index (year * 12 + month - 1), then by source id; the position of the month
    /// last counted is remembered, since rows come month by month.
    months: Vec<(u32, Vec<Group>)>,
    month_at: FxHashMap<u32, usize>,
    last_month: Option<(u32, usize)>,
    deciles: &'static [u8],
    /// Each source's distinct persons in the last month closed, to size the next month's sets.
    last_sizes: Vec<usize>,
    /// The shape (top bits) of the first patterned person key, whose numbers use the bitmaps.
    dense_shape: Option<u64>,
    newest_month: u32,
    /// By financial year (its starting year): contacts and referrals by decile 0 to 10, then
    /// referrals and re-referrals; the last year counted is remembered.
    years: Vec<(i32, Year)>,
    last_year: Option<(i32, usize)>,
    /// Sorted mode: each person's latest referral, while it is under a year old.
    last_referral: FxHashMap<u64, Day>,
    /// Any-order mode: every referral as (person, day, the day a year earlier, financial year).
    referrals: Vec<(u64, Day, Day, i32)>,
    rows: u64,
}

impl Counts {
    pub(crate) fn new(mode: Mode) -> Counts {
        Counts {
            mode,
            months: Vec::new(),
            month_at: FxHashMap::default(),
            last_month: None,
            deciles: imd::table(),
            last_sizes: Vec::new(),
            dense_shape: None,
            newest_month: 0,
            years: Vec::new(),
            last_year: None,
            last_referral: FxHashMap::default(),
            referrals: Vec::new(),
            rows: 0,
        }
    }

    /// Counts and drops the distinct-person sets of every month before `month`, and forgets
    /// referrals too old to make a re-referral from `today` on.
    fn close_before(&mut self, month: u32, today: Day) {
        for (m, groups) in &mut self.months {
            if *m < month {
                for (source, g) in groups.iter_mut().enumerate().filter(|(_, g)| g.counted.is_none()) {
                    if self.last_sizes.len() <= source {
                        self.last_sizes.resize(source + 1, 0);
                    }
                    self.last_sizes[source] = g.persons.len();
                    g.counted = Some(g.distinct());
                    g.persons = FxHashSet::default();
                    g.bits = Vec::new();
                }
            }
        }
        self.last_referral.retain(|_, day| *day >= today - 366);
    }

    pub(crate) fn add(&mut self, c: &Contact) {
        let (y, m, d) = (c.year, u32::from(c.month), u32::from(c.day_of_month));
        let month = (y as u32) * 12 + (m - 1);
        if self.mode == Mode::Sorted && month > self.newest_month {
            self.close_before(month, c.day);
        }
        self.newest_month = self.newest_month.max(month);
        let at = match self.last_month {
            Some((last, at)) if last == month => at,
            _ => {
                let at = *self.month_at.entry(month).or_insert_with(|| {
                    self.months.push((month, Vec::new()));
                    self.months.len() - 1
                });
                self.last_month = Some((month, at));
                at
            }
        };
        let groups = &mut self.months[at].1;
        let source = usize::from(c.source);
        if groups.len() <= source {
            let sizes = &self.last_sizes;
            let mut next = groups.len();
            groups.resize_with(source + 1, || {
                let room = sizes.get(next).copied().unwrap_or(0) + sizes.get(next).copied().unwrap_or(0) / 8;
                next += 1;
                Group { persons: FxHashSet::with_capacity_and_hasher(room, Default::default()), ..Group::default() }
            });
        }
        let group = &mut groups[source];
        group.contacts += 1;
        group.referrals += u64::from(c.referral);
        // Bitmaps only while months close as they pass (sorted input); else memory would grow.
        let shape = c.person >> 47;
        let number = c.person & ((1 << 47) - 1);
        if self.mode == Mode::Sorted && c.person >> 63 == 1 && self.dense_shape.is_none() {
            self.dense_shape = Some(shape);
        }
        if self.mode == Mode::Sorted && self.dense_shape == Some(shape) && number < DENSE {
            if group.bits.is_empty() {
                group.bits = vec![0u64; (DENSE / 64) as usize];
            }
            let (word, bit) = ((number / 64) as usize, 1u64 << (number % 64));
            if group.bits[word] & bit == 0 {
                group.bits[word] |= bit;
                group.marked += 1;
            }
        } else {
            group.persons.insert(c.person);
        }

        let financial_year = date::financial_year(y, m);
        let decile = c.lsoa.map(|n| self.deciles[n as usize]).unwrap_or(0);
        let at = self.year_at(financial_year);
        let cell = &mut self.years[at].1.by_decile[usize::from(decile)];
        cell[0] += 1;
        cell[1] += u64::from(c.referral);

        if c.referral {
            match self.mode {
                Mode::Sorted => {
                    let earlier = date::year_earlier(y, m, d);
                    let re = self.last_referral.insert(c.person, c.day).is_some_and(|prev| prev >= earlier);
                    let year = &mut self.years[at].1;
                    year.referrals += 1;
                    year.rereferrals += u64::from(re);
                }
                Mode::Any => self.referrals.push((c.person, c.day, date::year_earlier(y, m, d), financial_year)),
            }
        }
        self.rows += 1;
    }

    /// Where a financial year's counts are, adding it if new.
    fn year_at(&mut self, financial_year: i32) -> usize {
        match self.last_year {
            Some((fy, at)) if fy == financial_year => at,
            _ => {
                let at = match self.years.iter().position(|(fy, _)| *fy == financial_year) {
                    Some(at) => at,
                    None => {
                        self.years.push((financial_year, Year::default()));
                        self.years.len() - 1
                    }
                };
                self.last_year = Some((financial_year, at));
                at
            }
        }
    }

    pub(crate) fn finish(mut self, sources: &[Vec<u8>]) -> Aggregates {
        if self.mode == Mode::Any {
            // Each person's referrals in date order: a referral is a re-referral when the one
            // before it was within a year. Same-day referrals count the same in either order.
            self.referrals.sort_unstable_by_key(|r| (r.0, r.1));
            let mut previous: Option<(u64, Day)> = None;
            let referrals = std::mem::take(&mut self.referrals);
            for &(person, day, earlier, fy) in &referrals {
                let re = previous.is_some_and(|(p, d)| p == person && d >= earlier);
                let at = self.year_at(fy);
                self.years[at].1.referrals += 1;
                self.years[at].1.rereferrals += u64::from(re);
                previous = Some((person, day));
            }
        }
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let mut monthly = Vec::new();
        for (month, groups) in &self.months {
            let month = *month;
            for (source, g) in groups.iter().enumerate().filter(|(_, g)| g.contacts > 0) {
                monthly.push(Monthly {
                    month: format!("{:04}-{:02}", month / 12, month % 12 + 1),
                    source: text(&sources[source]),
                    contacts: g.contacts,
                    referrals: g.referrals,
                    persons: g.distinct(),
                });
            }
        }
        monthly.sort();
        let mut imd = Vec::new();
        let mut rereferrals = Vec::new();
        for (fy, year) in &self.years {
            let label = date::financial_year_label(*fy);
            for (decile, cell) in year.by_decile.iter().enumerate().filter(|(_, c)| c[0] > 0) {
                imd.push(ByDecile {
                    financial_year: label.clone(),
                    imd_decile: decile as u8,
                    contacts: cell[0],
                    referrals: cell[1],
                });
            }
            if year.referrals > 0 {
                rereferrals.push(ReReferrals {
                    financial_year: label,
                    referrals: year.referrals,
                    rereferrals: year.rereferrals,
                });
            }
        }
        imd.sort();
        rereferrals.sort();
        Aggregates { rows: self.rows, monthly, imd, rereferrals }
    }
}
