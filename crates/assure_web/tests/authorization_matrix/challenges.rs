//! The authorization matrix's rows for the challenge and escalation log: the business unit keeps
//! it; the scrutineer reads it all; an agency lead reads the entries concerning their own
//! organisation and records their progress; nobody else sees it.

use super::*;

/// The API operations these rows cover, as (method, path template).
pub(super) const API: &[(&str, &str)] = &[
    ("get", "/challenges"),
    ("post", "/challenges"),
    ("get", "/challenges/{id}"),
    ("post", "/challenges/{id}/progress"),
    ("post", "/challenges/{id}/close"),
];

pub(super) fn rows(ids: &Ids, _n: usize) -> Vec<Row> {
    // The log: every reader sees a page (an agency lead their own entries); the other
    // partnership's business manager sees their own partnership's log.
    let log = Expect {
        anonymous: 303,
        viewer: 404,
        agency_lead: 200,
        member: 404,
        scrutineer: 200,
        business_unit: 200,
        administrator: 200,
        other_partnership: 200,
    };
    let police_entry = Expect { other_partnership: 404, ..log };
    let other_entry = Expect { agency_lead: 404, ..police_entry };
    let raise = Expect {
        anonymous: 303,
        viewer: 404,
        agency_lead: 404,
        member: 404,
        scrutineer: 403,
        business_unit: 422,
        administrator: 422,
        other_partnership: 422,
    };
    let report = Expect {
        anonymous: 303,
        viewer: 404,
        agency_lead: 422,
        member: 404,
        scrutineer: 403,
        business_unit: 422,
        administrator: 422,
        other_partnership: 404,
    };
    let keep = Expect { agency_lead: 403, ..report };
    let (police, other) = (ids.police_challenge, ids.other_challenge);
    // The API names the partnership: the other partnership's manager is refused Southend's.
    let api_of = |e: &Expect| Expect { anonymous: 401, other_partnership: 404, ..*e };
    vec![
        Row::new("the challenge log", get("/challenges"), log),
        Row::new("the challenge log (workbook)", get("/challenges/log.xlsx"), log),
        Row::new("the police's log entry", get(format!("/challenges/{police}")), police_entry),
        Row::new("another agency's log entry", get(format!("/challenges/{other}")), other_entry),
        Row::new("add a log entry (no fields)", form("/challenges", &[]), raise),
        Row::new("change a log entry (no fields)", form(format!("/challenges/{police}"), &[]), keep),
        Row::new("record progress (no words)", form(format!("/challenges/{police}/progress"), &[]), report),
        Row::new(
            "record progress on another agency's entry (no words)",
            form(format!("/challenges/{other}/progress"), &[]),
            Expect { agency_lead: 404, ..report },
        ),
        Row::new("close a log entry (no fields)", form(format!("/challenges/{police}/close"), &[]), keep),
        Row::new("flag setting (bad days)", form("/challenges/settings", &[("flag_after_days", "1".into())]), raise),
        Row::new("the challenge log (API)", api(Method::GET, "/challenges?partnership=southend", None), api_of(&log)),
        Row::new(
            "add a log entry (API, no fields)",
            api(Method::POST, "/challenges?partnership=southend", Some(json!({}))),
            api_of(&raise),
        ),
        Row::new(
            "the police's log entry (API)",
            api(Method::GET, format!("/challenges/{police}"), None),
            api_of(&police_entry),
        ),
        Row::new(
            "record progress (API, no words)",
            api(Method::POST, format!("/challenges/{police}/progress"), Some(json!({}))),
            api_of(&report),
        ),
        Row::new(
            "close a log entry (API, no fields)",
            api(Method::POST, format!("/challenges/{police}/close"), Some(json!({}))),
            api_of(&keep),
        ),
    ]
}
