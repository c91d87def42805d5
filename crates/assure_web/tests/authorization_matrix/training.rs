//! The authorization matrix's rows for training: everyone in the partnership reads the programme
//! and its sessions (the bookings on a session only the business unit, the scrutineer and, for
//! their own organisation, agency leads); the reports and charges those who read bookings; the
//! business unit runs it; anyone, signed in or not, reads a session's booking page.

use super::*;

/// The API operations these rows cover, as (method, path template).
pub(super) const API: &[(&str, &str)] = &[
    ("get", "/training/events"),
    ("post", "/training/events"),
    ("get", "/training/events/{id}"),
    ("post", "/training/events/{id}/sessions"),
    ("get", "/training/sessions/{id}"),
    ("put", "/training/sessions/{id}/register"),
    ("post", "/training/sessions/{id}/cancel"),
    ("post", "/training/sessions/{id}/attendance-report"),
    ("get", "/training/report"),
    ("get", "/training/charges"),
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
    let booking_readers = Expect { viewer: 404, member: 404, ..readers };
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
    let everyone = Expect {
        anonymous: 200,
        viewer: 200,
        agency_lead: 200,
        member: 200,
        scrutineer: 200,
        business_unit: 200,
        administrator: 200,
        other_partnership: 200,
    };
    let (e, s) = (ids.training_event, ids.training_session);
    let api_of = |e: &Expect| Expect { anonymous: 401, ..*e };
    vec![
        Row::new(
            "training events (API)",
            api(Method::GET, "/training/events?partnership=southend", None),
            api_of(&readers),
        ),
        Row::new(
            "add a training event (API, no fields)",
            api(Method::POST, "/training/events?partnership=southend", Some(json!({}))),
            api_of(&business),
        ),
        Row::new("a training event (API)", api(Method::GET, format!("/training/events/{e}"), None), api_of(&readers)),
        Row::new(
            "add a session (API, no fields)",
            api(Method::POST, format!("/training/events/{e}/sessions"), Some(json!({}))),
            api_of(&business),
        ),
        Row::new(
            "a training session (API)",
            api(Method::GET, format!("/training/sessions/{s}"), None),
            api_of(&readers),
        ),
        Row::new(
            "take a register (API, a booking not on the session)",
            api(
                Method::PUT,
                format!("/training/sessions/{s}/register"),
                Some(json!({"marks": [{"booking_id": 999999, "attendance": "attended"}]})),
            ),
            api_of(&business),
        ),
        Row::new(
            "an attendance report (API, no name)",
            api(Method::POST, format!("/training/sessions/{s}/attendance-report"), None),
            api_of(&business),
        ),
        Row::new(
            "the training report (API)",
            api(Method::GET, "/training/report?partnership=southend", None),
            api_of(&booking_readers),
        ),
        Row::new(
            "training charges (API)",
            api(Method::GET, "/training/charges?partnership=southend", None),
            api_of(&booking_readers),
        ),
        Row::new("training", get("/training"), Expect { other_partnership: 200, ..readers }),
        Row::new("a training event", get(format!("/training/events/{e}")), readers),
        Row::new("a training session", get(format!("/training/sessions/{s}")), readers),
        Row::new("the training report", get("/training/report"), Expect { other_partnership: 200, ..booking_readers }),
        Row::new(
            "the training report (CSV)",
            get("/training/report.csv?table=sector"),
            Expect { other_partnership: 200, ..booking_readers },
        ),
        Row::new("training charges", get("/training/charges"), Expect { other_partnership: 200, ..booking_readers }),
        Row::new("training settings", get("/training/settings"), Expect { other_partnership: 200, ..readers }),
        Row::new("a session's booking page (public)", get(format!("/book/{s}")), everyone),
        Row::new(
            "a booking by an unknown link (public)",
            get("/bookings/not-a-link"),
            Expect {
                anonymous: 404,
                viewer: 404,
                agency_lead: 404,
                member: 404,
                scrutineer: 404,
                business_unit: 404,
                administrator: 404,
                other_partnership: 404,
            },
        ),
        Row::new(
            "add a training event (no fields)",
            form("/training", &[]),
            Expect { other_partnership: 422, ..business },
        ),
        Row::new("change a training event (no fields)", form(format!("/training/events/{e}"), &[]), business),
        Row::new("add a session (no fields)", form(format!("/training/events/{e}/sessions"), &[]), business),
        Row::new("cancel a session (no reason)", form(format!("/training/sessions/{s}/cancel"), &[]), business),
        Row::new(
            "cancel a session (API, no reason)",
            api(Method::POST, format!("/training/sessions/{s}/cancel"), Some(json!({}))),
            api_of(&business),
        ),
        Row::new(
            "take a register (a booking not on the session)",
            form(format!("/training/sessions/{s}/register"), &[("mark-999999", "attended".into())]),
            business,
        ),
        Row::new(
            "training settings (bad retention)",
            form("/training/settings", &[("retention_days", "1".into())]),
            Expect { other_partnership: 422, ..business },
        ),
    ]
}
