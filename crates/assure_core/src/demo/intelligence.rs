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
            self.demo_ask(ctx, p, "adults", &period, due, &[asc]).await?;
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
            let id = self.demo_return(p, "adults", &period, asc).await?;
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
    /// Asks organisations for the latest version of a template's return, as the business unit does.
    pub(super) async fn demo_ask(
        &self,
        ctx: &crate::Ctx,
        p: PartnershipId,
        code: &str,
        period: &str,
        due: chrono::NaiveDate,
        orgs: &[OrganisationId],
    ) -> CoreResult<()> {
        let ids: Vec<String> = orgs.iter().map(ToString::to_string).collect();
        let ask = crate::intelligence::returns::ReturnRequest {
            template: code,
            period,
            due_on: &due.to_string(),
            organisation_ids: &ids,
        };
        self.request_returns(ctx, p, &ask).await?;
        Ok(())
    }

    /// Answers a demo return from the form with `values`, final (not provisional), sent when
    /// `submit`.
    pub(super) async fn demo_answer(
        &self,
        ctx: &crate::Ctx,
        id: assure_domain::DataReturnId,
        values: &[(String, String)],
        submit: bool,
    ) -> CoreResult<()> {
        let input = crate::intelligence::returns::ReturnInput {
            values,
            provisional: false,
            footnote: "",
            submit,
            source: "form",
        };
        self.save_data_return(ctx, id, &input).await.map(drop)
    }

    /// The return of a template an organisation owes for a period.
    pub(super) async fn demo_return(
        &self,
        p: PartnershipId,
        code: &str,
        period: &str,
        org: OrganisationId,
    ) -> CoreResult<assure_domain::DataReturnId> {
        let mut conn = self.store.read().await?;
        assure_store::intelligence::returns::list(&mut conn, p)
            .await?
            .into_iter()
            .find(|r| r.template_code == code && r.period == period && r.organisation_id == org.0)
            .map(|r| r.id)
            .ok_or_else(|| CoreError::Internal(format!("the demo {code} return just asked for")))
    }

    /// Fictional LADO figures from Southend Children's Services for the last two quarters (the
    /// earlier validated, the later submitted), and this year's annual report contributions from
    /// the three statutory partners (the council's submitted, the police's a draft, the ICB's owed).
    pub(super) async fn load_demo_register_returns(
        &self,
        ctx: &crate::Ctx,
        p: PartnershipId,
        s: &DemoStructure,
    ) -> CoreResult<()> {
        let today = self.today();
        let children = lookup(&s.orgs, "Southend Children's Services")?;
        let (year, q) = quarter_of(today);
        let earlier = |y: i32, q: u32| if q == 1 { (y - 1, 4) } else { (y, q - 1) };
        let last = earlier(year, q);
        let before = earlier(last.0, last.1);
        // (contacts, advice, allegations, meetings, sectors, referrers, outcomes, timeliness, positive %)
        let quarters = [
            (
                before,
                [41, 31, 8, 12],
                [3, 1, 1, 1, 1, 0, 0, 1, 0, 0],
                [3, 2, 2, 0, 1, 0],
                [4, 1, 1, 0, 0],
                [2, 2, 1, 1, 0],
                "100",
            ),
            (
                last,
                [46, 35, 9, 13],
                [4, 2, 0, 1, 0, 1, 0, 0, 1, 0],
                [2, 3, 3, 0, 1, 0],
                [5, 2, 0, 0, 0],
                [3, 2, 1, 0, 1],
                "92.3",
            ),
        ];
        for (i, ((y, q), activity, sectors, referrers, outcomes, times, positive)) in quarters.into_iter().enumerate() {
            let period = format!("{y}-{:02} Q{q}", (y + 1) % 100);
            self.demo_ask(ctx, p, "lado", &period, today - chrono::Days::new(40 - 30 * i as u64), &[children]).await?;
            let mut values = lado_values(activity, sectors, referrers, outcomes, times, positive);
            if i == 1 {
                values.push((
                    "themes".into(),
                    "Two allegations about online contact between staff and pupils outside school; employers were reminded of the code of conduct for social media.".into(),
                ));
            }
            let id = self.demo_return(p, "lado", &period, children).await?;
            self.demo_answer(ctx, id, &values, true).await?;
            if i == 0 {
                self.validate_data_return(ctx, id, true).await?;
            }
        }

        // This financial year's contributions to the annual report, asked of the statutory partners.
        let fy = quarter_of(today).0;
        let year = format!("{fy}-{:02}", (fy + 1) % 100);
        let council = lookup(&s.orgs, "Southend City Council")?;
        let police = lookup(&s.orgs, "Essex Police")?;
        let icb = lookup(&s.orgs, "Mid and South Essex Integrated Care Board")?;
        self.demo_ask(ctx, p, "annual_report", &year, today + chrono::Days::new(60), &[council, police, icb]).await?;
        let answers: [(OrganisationId, [&str; 8]); 2] = [
            (
                council,
                [
                    "Joint work at the front door with the police and health meant referrals reached the right team faster; the MASH now triages every contact within a working day.",
                    "Being an equal partner gives children's social care a place to raise escalations early; the challenge log shows three resolved without a formal escalation.",
                    "Learning from the review of Child F changed how we hold strategy discussions: health now attends every one.",
                    "Social workers attended the neglect briefings, and the evaluation shows their confidence in using the toolkit rose.",
                    "Each review's learning goes to a practice week, and we audit six months later whether the change has stuck.",
                    "Young people on the children in care council helped rewrite the leaflet about what happens after a referral.",
                    "Fairly confident",
                    "Training for early years settings on the new neglect toolkit, and the audit of supervision.",
                ],
            ),
            (
                police,
                [
                    "Daily risk meetings with children's social care on missing children: repeat missing episodes fell over the year.",
                    "Partnership working means officers' concerns reach the right agency the same day.",
                    "Officers in the public protection unit completed the partnership's exploitation training.",
                    "Learning from reviews is briefed to every response team and checked in the force's own audits.",
                    "We asked young people stopped and searched what they thought of the experience, and changed the guidance to officers.",
                    "Joint visits with health on repeat domestic abuse incidents where children are present.",
                    "Very confident",
                    "Exploitation and children who go missing from care placed out of the area.",
                ],
            ),
        ];
        const ORDER: [&str; 8] = [
            "greatest_impact",
            "partner_impact",
            "embed_learning",
            "learning_offer",
            "voice_used",
            "little_progress",
            "priorities_confidence",
            "next_year",
        ];
        for (org, words) in answers {
            let values: Vec<(String, String)> =
                ORDER.iter().zip(words).map(|(k, v)| ((*k).to_owned(), v.to_owned())).collect();
            let id = self.demo_return(p, "annual_report", &year, org).await?;
            self.demo_answer(ctx, id, &values, org == council).await?;
        }
        Ok(())
    }

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
        self.load_shipped_return_templates().await?;
        self.load_demo_returns(ctx, southend, lookup(orgs, "Southend Adult Social Care")?).await?;
        self.load_demo_register_returns(ctx, southend, s).await?;
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

/// A LADO return's values from its figures: contacts, advice only, allegations and meetings;
/// the allegations by sector and by referrer; the cases concluded by outcome and by time taken
/// (the concluded count is their sum); and the share rating the process positive.
pub(super) fn lado_values(
    activity: [u32; 4],
    sectors: [u32; 10],
    referrers: [u32; 6],
    outcomes: [u32; 5],
    times: [u32; 5],
    positive: &str,
) -> Vec<(String, String)> {
    const SECTORS: [&str; 10] = [
        "sector_education",
        "sector_early_years",
        "sector_social_care",
        "sector_fostering",
        "sector_health",
        "sector_police",
        "sector_faith",
        "sector_sport",
        "sector_voluntary",
        "sector_other",
    ];
    const REFERRERS: [&str; 6] = [
        "referrer_police",
        "referrer_social_care",
        "referrer_education",
        "referrer_health",
        "referrer_employer",
        "referrer_other",
    ];
    const OUTCOMES: [&str; 5] =
        ["outcome_substantiated", "outcome_unsubstantiated", "outcome_unfounded", "outcome_false", "outcome_malicious"];
    const TIMES: [&str; 5] =
        ["within_1_month", "within_3_months", "within_6_months", "within_12_months", "over_12_months"];
    let mut values: Vec<(String, String)> = ["contacts", "advice_only", "allegations", "meetings"]
        .iter()
        .zip(activity)
        .map(|(k, v)| ((*k).to_owned(), v.to_string()))
        .collect();
    let groups: [(&[&str], &[u32]); 4] =
        [(&SECTORS, &sectors), (&REFERRERS, &referrers), (&OUTCOMES, &outcomes), (&TIMES, &times)];
    for (fields, counts) in groups {
        values.extend(fields.iter().zip(counts).map(|(k, v)| ((*k).to_owned(), v.to_string())));
    }
    values.push(("concluded".into(), outcomes.iter().sum::<u32>().to_string()));
    values.push(("positive_percent".into(), positive.into()));
    values
}
