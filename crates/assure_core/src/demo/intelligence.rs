//! The demo's intelligence: published figures, an extract, data returns and entered figures.

use assure_domain::{OrganisationId, PartnershipId};

use super::*;
use crate::{Core, CoreError, CoreResult};

/// A generated, fictional contacts extract for Southend's 107 neighbourhoods (LSOAs E01015814 to
/// E01015920): two financial years of contacts in date order, about a third becoming referrals,
/// some children referred again within a year.
pub(super) fn demo_extract() -> String {
    const SOURCES: [&str; 5] = ["police", "school", "health", "local_authority", "other"];
    let mut state: u64 = 0x5eed_2025;
    let mut next = |n: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let mut out = String::from("contact_id,person_id,contact_date,source,outcome,age_band,lsoa11cd\n");
    let start = chrono::NaiveDate::from_ymd_opt(2023, 4, 1).unwrap_or_default();
    let mut id = 0;
    for day in 0..731 {
        let date = start + chrono::Days::new(day);
        for _ in 0..(3 + next(4)) {
            id += 1;
            let outcome = match next(100) {
                0..=33 => "referral",
                34..=79 => "nfa",
                _ => "information",
            };
            let lsoa = if next(50) == 0 { String::new() } else { format!("E0101{:04}", 5814 + next(107)) };
            let person = 1 + next(1800);
            let source = SOURCES[next(5) as usize];
            let age = ["0_4", "5_9", "10_15", "16_17"][next(4) as usize];
            out.push_str(&format!("C{id:06},P{person:05},{date},{source},{outcome},{age},{lsoa}\n"));
        }
    }
    out
}

/// The financial quarter a date falls in, as (the year it starts, 1 to 4).
pub(super) fn quarter_of(date: chrono::NaiveDate) -> (i32, u32) {
    use chrono::Datelike;
    let start = if date.month() >= 4 { date.year() } else { date.year() - 1 };
    (start, (date.month() + 8) % 12 / 3 + 1)
}

impl Core {
    /// Published figures for the adults' dashboard: Southend's 2018/19 concerns and enquiries as
    /// the partnership's strategy (seed 001) quotes them, with an adult population consistent
    /// with its rates; England's 2018/19 counts from NHS Digital; and a fictional mid-2025
    /// estimate for the demo's quarters.
    pub(super) async fn load_demo_figures(&self, ctx: &crate::Ctx, p: PartnershipId) -> CoreResult<()> {
        const STRATEGY: &str = "Southend Safeguarding Partnership strategy, section 1.8 (2018/19)";
        const SAC: &str = "NHS Digital, Safeguarding Adults, England, 2018-19";
        let figures = [
            (
                "E06000033",
                "population_18_plus",
                "2018",
                "142918",
                "Implied by the strategy's 2018/19 rates (944.6 and 531.8 per 100,000): a demo figure",
            ),
            ("E06000033", "concerns", "2018-19", "1350", STRATEGY),
            ("E06000033", "total_enquiries", "2018-19", "760", STRATEGY),
            ("E92000001", "concerns", "2018-19", "415050", SAC),
            ("E92000001", "s42_enquiries", "2018-19", "143390", SAC),
            ("E92000001", "other_enquiries", "2018-19", "18540", SAC),
            (
                "E06000033",
                "population_18_plus",
                "2025",
                "146200",
                "Fictional demo figure, in place of the ONS mid-2025 estimate",
            ),
        ];
        for (area, measure, period, value, source) in figures {
            let input = crate::intelligence::indicators::FigureInput {
                area: area.into(),
                measure: measure.into(),
                period: period.into(),
                value: value.into(),
                source: source.into(),
            };
            self.enter_figure(ctx, p, &input).await?;
        }
        Ok(())
    }

    /// Fictional adults' returns from Southend Adult Social Care: five quarters validated, the
    /// last one submitted as provisional, the current one late, the next one not yet due.
    pub(super) async fn load_demo_returns(
        &self,
        ctx: &crate::Ctx,
        p: PartnershipId,
        asc: OrganisationId,
    ) -> CoreResult<()> {
        let today = self.today();
        let (mut year, mut q) = quarter_of(today);
        let mut quarters = Vec::new();
        for _ in 0..7 {
            quarters.push((year, q));
            if q == 1 {
                year -= 1;
                q = 4;
            } else {
                q -= 1;
            }
        }
        quarters.reverse();
        // The quarter just ended is late; the current one is not yet due.
        let n = quarters.len();
        for (i, (y, q)) in quarters.iter().enumerate() {
            let period = format!("{y}-{:02} Q{q}", (y + 1) % 100);
            let due = match i {
                _ if i == n - 1 => today + chrono::Days::new(40),
                _ if i == n - 2 => today - chrono::Days::new(12),
                _ => today - chrono::Days::new(30 + 91 * (n - 2 - i) as u64),
            };
            self.request_returns(ctx, p, &period, &due.to_string(), &[asc.to_string()]).await?;
            if i >= n - 2 {
                continue;
            }
            let k = i as u64;
            let concerns = 330 + (k * 17) % 45;
            let s42 = 100 + (k * 11) % 30;
            let asked = s42 - 8;
            let expressed = asked - 14 - k % 5;
            let fully = expressed * 6 / 10;
            let partly = expressed * 3 / 10;
            let values: Vec<(String, String)> = [
                ("concerns", concerns),
                ("s42_enquiries", s42),
                ("other_enquiries", 12 + k % 6),
                ("msp_asked", asked),
                ("msp_expressed", expressed),
                ("msp_fully", fully),
                ("msp_partly", partly),
                ("msp_not", expressed - fully - partly),
            ]
            .iter()
            .map(|(m, v)| ((*m).to_owned(), v.to_string()))
            .collect();
            let mut conn = self.store.read().await?;
            let id = assure_store::intelligence::returns::list(&mut conn, p)
                .await?
                .into_iter()
                .find(|r| r.period == period)
                .map(|r| r.id)
                .ok_or_else(|| CoreError::Internal("the demo return just asked for".into()))?;
            drop(conn);
            let provisional = i == n - 3;
            let footnote = if provisional {
                "Provisional: the quarter's enquiries are still being closed on the new case system."
            } else {
                ""
            };
            let input = crate::intelligence::returns::ReturnInput {
                values: &values,
                provisional,
                footnote,
                submit: true,
                source: "form",
            };
            self.save_data_return(ctx, id, &input).await?;
            if !provisional {
                self.validate_data_return(ctx, id, true).await?;
            }
        }
        Ok(())
    }
}

impl Core {
    /// Southend's dashboards: its published figures with its statistical neighbours, the East of
    /// England and England; a generated extract; adults' returns and entered figures; thresholds
    /// and a comment.
    pub(super) async fn load_demo_intelligence(
        &self,
        ctx: &crate::Ctx,
        southend: PartnershipId,
        s: &DemoStructure,
    ) -> CoreResult<()> {
        let orgs = &s.orgs;
        // Southend's published figures, with its statistical neighbours, the East of England and England.
        let files: Vec<(String, Vec<u8>)> =
            crate::intelligence::indicators::SHIPPED.iter().map(|(n, b)| ((*n).to_owned(), b.to_vec())).collect();
        self.import_published_for(ctx, &files, Some("882")).await?;
        self.set_partnership_area(ctx, southend, "E06000033").await?;
        let children = lookup(orgs, "Southend Children's Services")?;
        self.record_extract_text(ctx, southend, children, "contacts-2023-24-and-2024-25.csv", &demo_extract()).await?;
        self.load_demo_returns(ctx, southend, lookup(orgs, "Southend Adult Social Care")?).await?;
        self.load_demo_figures(ctx, southend).await?;
        self.set_indicator_threshold(ctx, southend, "children.rereferral_percent", "20", "24").await?;
        self.set_indicator_threshold(ctx, southend, "children.cpp_subsequent_percent", "20", "25").await?;
        self.add_indicator_comment(
            ctx,
            southend,
            "children.referral_rate",
            "2024-25",
            "Referrals fell again after the front door moved to the new MASH triage; the subgroup asked Children's Services for a deep dive into contacts that did not become referrals.",
        )
        .await?;
        Ok(())
    }
}
