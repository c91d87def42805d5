//! The authorization matrix's rows for the yearly reports: read by the business unit, the
//! scrutineer and administrators only (a draft gathers figures other roles may not read), written
//! by the business unit and administrators; the scrutineer comments and records the review, the
//! business unit explains gaps, responds, records agreements, reopens and publishes. The rows that
//! would move the report on send what is refused (a draft is not agreed, reopened or published; a
//! comment, a response and a review need words), so the report stays a draft for every role. The
//! scrutineer's own report is written by the scrutineer (its words, what they examined, their
//! recommendations), and the business unit records the partners' responses.

use super::*;

/// The API operations these rows cover, as (method, path template).
pub(super) const API: &[(&str, &str)] = &[
    ("get", "/reports"),
    ("post", "/reports"),
    ("get", "/reports/{id}"),
    ("get", "/reports/{id}/sections/{key}"),
    ("put", "/reports/{id}/sections/{key}"),
    ("put", "/reports/{id}/sections/{key}/author"),
    ("delete", "/reports/{id}/sections/{key}/author"),
    ("get", "/reports/asked"),
    ("put", "/reports/{id}/gaps/{gap}"),
    ("post", "/reports/{id}/comments"),
    ("put", "/reports/{id}/comments/{comment}/response"),
    ("post", "/reports/{id}/review"),
    ("post", "/reports/{id}/agreements"),
    ("post", "/reports/{id}/reopen"),
    ("post", "/reports/{id}/publish"),
    ("post", "/reports/{id}/sendings"),
    ("post", "/reports/easy-read-check"),
    ("post", "/reports/{id}/activities"),
    ("delete", "/reports/{id}/activities/{activity}"),
    ("post", "/reports/{id}/recommendations"),
    ("delete", "/reports/{id}/recommendations/{rec}"),
    ("put", "/reports/{id}/recommendations/{rec}/response"),
];

pub(super) fn rows(ids: &Ids, _n: usize) -> Vec<Row> {
    let list = Expect {
        anonymous: 303,
        viewer: 404,
        agency_lead: 404,
        member: 404,
        scrutineer: 200,
        business_unit: 200,
        administrator: 200,
        other_partnership: 200,
    };
    let one = Expect { other_partnership: 404, ..list };
    // The scrutineer starts their own scrutiny report: no fields is refused for the kind.
    let start = Expect { scrutineer: 422, business_unit: 422, administrator: 422, other_partnership: 422, ..list };
    let write = Expect { scrutineer: 403, business_unit: 303, administrator: 303, other_partnership: 404, ..list };
    let form_page = Expect { scrutineer: 403, ..one };
    let api_of = |e: &Expect| Expect { anonymous: 401, other_partnership: 404, ..*e };
    let report = ids.report;
    let comment = ids.report_comment;
    // The scrutineer's part: the business unit reads it but does not write it.
    let scrutinise_page = Expect { scrutineer: 200, business_unit: 403, ..one };
    let scrutinise = Expect { scrutineer: 422, business_unit: 403, administrator: 422, other_partnership: 404, ..list };
    // The business unit's steps, refused on a draft (or for want of words): 422.
    let step = Expect { scrutineer: 403, business_unit: 422, administrator: 422, other_partnership: 404, ..list };
    let api_step = |e: &Expect| Expect { anonymous: 401, other_partnership: 404, ..*e };
    let mut rows = vec![
        Row::new("a report's sign-off", get(format!("/reports/{report}/sign-off")), one),
        Row::new("explain a report's gap (form)", get(format!("/reports/{report}/gaps/no-meetings")), form_page),
        Row::new(
            "explain a report's gap (blank: withdrawn)",
            form(format!("/reports/{report}/gaps/no-meetings"), &[]),
            write,
        ),
        Row::new(
            "comment on a report's section (form)",
            get(format!("/reports/{report}/sections/reviews/comment")),
            scrutinise_page,
        ),
        Row::new(
            "comment on a report's section (no words)",
            form(format!("/reports/{report}/sections/reviews/comment"), &[]),
            scrutinise,
        ),
        Row::new("respond to a comment (form)", get(format!("/reports/{report}/comments/{comment}")), form_page),
        Row::new("respond to a comment (no words)", form(format!("/reports/{report}/comments/{comment}"), &[]), step),
        Row::new(
            "record the scrutineer's review (no words)",
            form(format!("/reports/{report}/review"), &[]),
            scrutinise,
        ),
        Row::new("record an agreement to a draft", form(format!("/reports/{report}/agreements"), &[]), step),
        Row::new("reopen a draft", form(format!("/reports/{report}/reopen"), &[]), step),
        Row::new("publish a draft", form(format!("/reports/{report}/publish"), &[]), step),
        Row::new(
            "explain a report's gap (API, blank: withdrawn)",
            api(Method::PUT, format!("/reports/{report}/gaps/no-meetings"), Some(json!({}))),
            api_of(&Expect { business_unit: 200, administrator: 200, ..write }),
        ),
        Row::new(
            "comment on a report's section (API, no words)",
            api(Method::POST, format!("/reports/{report}/comments"), Some(json!({"section": "reviews"}))),
            api_step(&scrutinise),
        ),
        Row::new(
            "respond to a comment (API, no words)",
            api(Method::PUT, format!("/reports/{report}/comments/{comment}/response"), Some(json!({}))),
            api_step(&step),
        ),
        Row::new(
            "record the scrutineer's review (API, no words)",
            api(Method::POST, format!("/reports/{report}/review"), Some(json!({}))),
            api_step(&scrutinise),
        ),
        Row::new(
            "record an agreement to a draft (API)",
            api(Method::POST, format!("/reports/{report}/agreements"), Some(json!({}))),
            api_step(&step),
        ),
        Row::new("reopen a draft (API)", api(Method::POST, format!("/reports/{report}/reopen"), None), api_step(&step)),
        Row::new(
            "publish a draft (API)",
            api(Method::POST, format!("/reports/{report}/publish"), None),
            api_step(&step),
        ),
    ];
    rows.extend(scrutiny_rows(ids));
    rows.extend(author_rows(ids));
    rows.extend(vec![
        Row::new("the yearly reports", get("/reports"), list),
        Row::new("a yearly report", get(format!("/reports/{report}")), one),
        Row::new("a yearly report as PDF", get(format!("/reports/{report}/report.pdf")), one),
        Row::new("a yearly report's section form", get(format!("/reports/{report}/sections/members")), form_page),
        Row::new("start a yearly report (no fields)", form("/reports", &[]), start),
        Row::new("write a report's section (blank)", form(format!("/reports/{report}/sections/members"), &[]), write),
        Row::new("the yearly reports (API)", api(Method::GET, "/reports?partnership=southend", None), api_of(&list)),
        Row::new("a yearly report (API)", api(Method::GET, format!("/reports/{report}"), None), api_of(&one)),
        Row::new(
            "start a yearly report (API, no fields)",
            api(Method::POST, "/reports?partnership=southend", Some(json!({}))),
            api_of(&start),
        ),
        Row::new("the Easy Read checker", get("/reports/easy-read-check"), list),
        Row::new(
            "check an Easy Read text (none)",
            form("/reports/easy-read-check", &[]),
            Expect { scrutineer: 422, business_unit: 422, administrator: 422, other_partnership: 422, ..list },
        ),
        Row::new(
            "check an Easy Read text (API, none)",
            api(Method::POST, "/reports/easy-read-check?partnership=southend", Some(json!({}))),
            api_of(&Expect { scrutineer: 422, business_unit: 422, administrator: 422, ..list }),
        ),
        Row::new(
            "write a report's section (API, blank)",
            api(Method::PUT, format!("/reports/{report}/sections/members"), Some(json!({}))),
            api_of(&Expect { business_unit: 200, administrator: 200, ..write }),
        ),
    ]);
    rows
}

/// A section asked of its author (the demo asks Essex Police's lead for the adults' report's next
/// year's priorities): the author reads and writes it, whatever their role, and nothing else of
/// the report; only the business unit asks and withdraws; everyone lists what is asked of them.
fn author_rows(ids: &Ids) -> Vec<Row> {
    let report = ids.report;
    let theirs = Expect {
        anonymous: 303,
        viewer: 404,
        agency_lead: 200,
        member: 404,
        scrutineer: 403,
        business_unit: 200,
        administrator: 200,
        other_partnership: 404,
    };
    let write = Expect { agency_lead: 303, business_unit: 303, administrator: 303, ..theirs };
    let api_of = |e: &Expect| Expect { anonymous: 401, ..*e };
    // Asking: the business unit's (refused for want of fields); the scrutineer reads the report.
    let ask = Expect { agency_lead: 404, business_unit: 422, administrator: 422, ..theirs };
    let everyone = Expect {
        anonymous: 303,
        viewer: 200,
        agency_lead: 200,
        member: 200,
        scrutineer: 200,
        business_unit: 200,
        administrator: 200,
        other_partnership: 200,
    };
    let section = format!("/reports/{report}/sections/next_year");
    vec![
        Row::new("a section asked of its author (form)", get(section.clone()), theirs),
        Row::new("write a section asked of its author (blank)", form(section.clone(), &[]), write),
        Row::new("a section asked of its author (API)", api(Method::GET, section.clone(), None), api_of(&theirs)),
        Row::new(
            "write a section asked of its author (API, blank)",
            api(Method::PUT, section.clone(), Some(json!({}))),
            api_of(&Expect { agency_lead: 200, business_unit: 200, administrator: 200, ..theirs }),
        ),
        Row::new("ask a section's author (no fields)", form(format!("{section}/author"), &[]), ask),
        Row::new(
            "withdraw a request nobody was asked",
            form(format!("/reports/{report}/sections/members/author/withdraw"), &[]),
            ask,
        ),
        Row::new(
            "ask a section's author (API, no fields)",
            api(Method::PUT, format!("{section}/author"), Some(json!({}))),
            api_of(&ask),
        ),
        Row::new(
            "withdraw a request nobody was asked (API)",
            api(Method::DELETE, format!("/reports/{report}/sections/members/author"), None),
            api_of(&ask),
        ),
        Row::new("the sections asked of you", get("/reports/asked"), everyone),
        Row::new(
            "the sections asked of you (API)",
            api(Method::GET, "/reports/asked?partnership=southend", None),
            Expect { anonymous: 401, other_partnership: 404, ..everyone },
        ),
    ]
}

/// The scrutiny report's rows: none changes it (no fields, a blank section nobody wrote, removing
/// a piece of scrutiny that is not there or a recommendation a partner has answered).
fn scrutiny_rows(ids: &Ids) -> Vec<Row> {
    let list = Expect {
        anonymous: 303,
        viewer: 404,
        agency_lead: 404,
        member: 404,
        scrutineer: 200,
        business_unit: 200,
        administrator: 200,
        other_partnership: 404,
    };
    let api_of = |e: &Expect| Expect { anonymous: 401, ..*e };
    let (report, rec) = (ids.scrutiny_report, ids.responded_recommendation);
    // The scrutineer's writing: refused to the business unit, and for want of fields to them.
    let scrutineer_writes = Expect { scrutineer: 422, business_unit: 403, administrator: 422, ..list };
    let scrutineer_blank = Expect { scrutineer: 303, business_unit: 403, administrator: 303, ..list };
    let not_there = Expect { scrutineer: 404, business_unit: 403, administrator: 404, ..list };
    let respond_page = Expect { scrutineer: 403, ..list };
    let respond = Expect { scrutineer: 403, business_unit: 422, administrator: 422, ..list };
    vec![
        Row::new("a scrutiny report's record of scrutiny", get(format!("/reports/{report}/scrutiny")), list),
        Row::new(
            "write a scrutiny report's section (blank)",
            form(format!("/reports/{report}/sections/found"), &[]),
            scrutineer_blank,
        ),
        Row::new(
            "record a piece of scrutiny (no fields)",
            form(format!("/reports/{report}/scrutiny/activities"), &[]),
            scrutineer_writes,
        ),
        Row::new(
            "remove a piece of scrutiny that is not there",
            form(format!("/reports/{report}/scrutiny/activities/999999/remove"), &[]),
            not_there,
        ),
        Row::new(
            "make a recommendation (no fields)",
            form(format!("/reports/{report}/scrutiny/recommendations"), &[]),
            scrutineer_writes,
        ),
        Row::new(
            "remove a recommendation a partner has answered",
            form(format!("/reports/{report}/scrutiny/recommendations/{rec}/remove"), &[]),
            scrutineer_writes,
        ),
        Row::new(
            "a partner's response to a recommendation (form)",
            get(format!("/reports/{report}/scrutiny/recommendations/{rec}")),
            respond_page,
        ),
        Row::new(
            "record a partner's response (no fields)",
            form(format!("/reports/{report}/scrutiny/recommendations/{rec}"), &[]),
            respond,
        ),
        Row::new(
            "record a piece of scrutiny (API, no fields)",
            api(Method::POST, format!("/reports/{report}/activities"), Some(json!({}))),
            api_of(&scrutineer_writes),
        ),
        Row::new(
            "remove a piece of scrutiny that is not there (API)",
            api(Method::DELETE, format!("/reports/{report}/activities/999999"), None),
            api_of(&not_there),
        ),
        Row::new(
            "make a recommendation (API, no fields)",
            api(Method::POST, format!("/reports/{report}/recommendations"), Some(json!({}))),
            api_of(&scrutineer_writes),
        ),
        Row::new(
            "remove a recommendation a partner has answered (API)",
            api(Method::DELETE, format!("/reports/{report}/recommendations/{rec}"), None),
            api_of(&scrutineer_writes),
        ),
        Row::new(
            "record a partner's response (API, no fields)",
            api(Method::PUT, format!("/reports/{report}/recommendations/{rec}/response"), Some(json!({}))),
            api_of(&respond),
        ),
    ]
}
