//! The authorization matrix's rows for the strategy and work plans: everyone in the partnership
//! reads them (a restricted group's work plan only its members and those who see everything);
//! the business unit keeps the strategy; a group's members (here the Child Practice Review's)
//! add to their work plan and report its progress, and nobody else's.

use super::*;

/// The API operations these rows cover, as (method, path template).
pub(super) const API: &[(&str, &str)] = &[
    ("get", "/strategies"),
    ("post", "/strategies"),
    ("get", "/strategies/{id}"),
    ("get", "/strategies/{id}/quarters/{quarter}"),
    ("get", "/strategies/{id}/years/{year}"),
    ("get", "/activities/{id}"),
    ("post", "/activities/{id}/updates"),
    ("post", "/priorities/{id}/activities"),
    ("get", "/bodies/{id}/work-plan"),
    ("post", "/bodies/{id}/work-plan"),
];

pub(super) fn rows(ids: &Ids, _n: usize) -> Vec<Row> {
    let readers = Expect {
        anonymous: 303,
        viewer: 200,
        agency_lead: 200,
        member: 200,
        scrutineer: 200,
        business_unit: 200,
        administrator: 200,
        other_partnership: 404,
    };
    let business = Expect {
        anonymous: 303,
        viewer: 403,
        agency_lead: 403,
        member: 403,
        scrutineer: 403,
        business_unit: 422,
        administrator: 422,
        other_partnership: 404,
    };
    // The restricted Child Practice Review's: unseen by the viewer and the agency lead.
    let restricted_readers = Expect { viewer: 404, agency_lead: 404, ..readers };
    let its_members = Expect { viewer: 404, agency_lead: 404, member: 422, ..business };
    let api_of = |e: &Expect| Expect { anonymous: 401, ..*e };
    let s = ids.strategy;
    let (open, closed) = (ids.open_activity, ids.restricted_activity);
    vec![
        Row::new("strategies", get("/strategy"), Expect { other_partnership: 200, ..readers }),
        Row::new("a strategy", get(format!("/strategy/{s}")), readers),
        Row::new("a quarter's progress", get(format!("/strategy/{s}/quarters/2021-Q4")), readers),
        Row::new("a quarter's progress (PDF)", get(format!("/strategy/{s}/quarters/2021-Q4/report.pdf")), readers),
        Row::new("a year's little progress", get(format!("/strategy/{s}/years/2022")), readers),
        Row::new("the strategy's activities (Excel)", get(format!("/strategy/{s}/activities.xlsx")), readers),
        Row::new("a priority", get(format!("/priorities/{}", ids.priority)), readers),
        Row::new("an activity", get(format!("/activities/{open}")), readers),
        Row::restricted("a restricted group's activity", get(format!("/activities/{closed}")), restricted_readers),
        Row::new("a work plan", get(format!("/bodies/{}/work-plan", ids.executive)), readers),
        Row::restricted(
            "a restricted group's work plan",
            get(format!("/bodies/{}/work-plan", ids.cpr)),
            restricted_readers,
        ),
        Row::new("start a strategy (no fields)", form("/strategy", &[]), Expect { other_partnership: 422, ..business }),
        Row::new("change a strategy (no fields)", form(format!("/strategy/{s}"), &[]), business),
        Row::new("add a priority (no fields)", form(format!("/strategy/{s}/priorities"), &[]), business),
        Row::new("change a priority (no fields)", form(format!("/priorities/{}", ids.priority), &[]), business),
        Row::new(
            "add an activity to a priority (form)",
            get(format!("/priorities/{}/activities", ids.priority)),
            Expect { business_unit: 200, administrator: 200, ..business },
        ),
        Row::new(
            "add an activity to a priority (no fields)",
            form(format!("/priorities/{}/activities", ids.priority), &[]),
            business,
        ),
        Row::new("report an activity's progress (no fields)", form(format!("/activities/{open}"), &[]), business),
        Row::new(
            "report a restricted group's activity (no fields)",
            form(format!("/activities/{closed}"), &[]),
            its_members,
        ),
        Row::new(
            "change an activity (form)",
            get(format!("/activities/{open}/edit")),
            Expect { business_unit: 200, administrator: 200, ..business },
        ),
        Row::new("change an activity (no fields)", form(format!("/activities/{open}/edit"), &[]), business),
        Row::new("add to a work plan (no fields)", form(format!("/bodies/{}/work-plan", ids.executive), &[]), business),
        Row::new(
            "add to a restricted group's work plan (no fields)",
            form(format!("/bodies/{}/work-plan", ids.cpr), &[]),
            its_members,
        ),
        Row::new("strategies (API)", api(Method::GET, "/strategies?partnership=southend", None), api_of(&readers)),
        Row::new(
            "start a strategy (API, no fields)",
            api(Method::POST, "/strategies?partnership=southend", Some(json!({}))),
            api_of(&business),
        ),
        Row::new("a strategy (API)", api(Method::GET, format!("/strategies/{s}"), None), api_of(&readers)),
        Row::new(
            "a quarter's progress (API)",
            api(Method::GET, format!("/strategies/{s}/quarters/2021-Q4"), None),
            api_of(&readers),
        ),
        Row::new(
            "a year's little progress (API)",
            api(Method::GET, format!("/strategies/{s}/years/2022"), None),
            api_of(&readers),
        ),
        Row::new("an activity (API)", api(Method::GET, format!("/activities/{open}"), None), api_of(&readers)),
        Row::restricted(
            "a restricted group's activity (API)",
            api(Method::GET, format!("/activities/{closed}"), None),
            api_of(&restricted_readers),
        ),
        Row::new(
            "report a restricted group's activity (API, no fields)",
            api(Method::POST, format!("/activities/{closed}/updates"), Some(json!({}))),
            api_of(&its_members),
        ),
        Row::new(
            "add an activity to a priority (API, no fields)",
            api(Method::POST, format!("/priorities/{}/activities", ids.priority), Some(json!({}))),
            api_of(&business),
        ),
        Row::new(
            "a work plan (API)",
            api(Method::GET, format!("/bodies/{}/work-plan", ids.executive), None),
            api_of(&readers),
        ),
        Row::new(
            "add to a restricted group's work plan (API, no fields)",
            api(Method::POST, format!("/bodies/{}/work-plan", ids.cpr), Some(json!({}))),
            api_of(&its_members),
        ),
    ]
}
