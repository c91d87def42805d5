//! The authorization matrix's rows for the yearly reports: read by the business unit, the
//! scrutineer and administrators only (a draft gathers figures other roles may not read), written
//! by the business unit and administrators.

use super::*;

/// The API operations these rows cover, as (method, path template).
pub(super) const API: &[(&str, &str)] =
    &[("get", "/reports"), ("post", "/reports"), ("get", "/reports/{id}"), ("put", "/reports/{id}/sections/{key}")];

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
    let start = Expect { scrutineer: 403, business_unit: 422, administrator: 422, other_partnership: 422, ..list };
    let write = Expect { scrutineer: 403, business_unit: 303, administrator: 303, other_partnership: 404, ..list };
    let form_page = Expect { scrutineer: 403, ..one };
    let api_of = |e: &Expect| Expect { anonymous: 401, other_partnership: 404, ..*e };
    let report = ids.report;
    vec![
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
        Row::new(
            "write a report's section (API, blank)",
            api(Method::PUT, format!("/reports/{report}/sections/members"), Some(json!({}))),
            api_of(&Expect { business_unit: 200, administrator: 200, ..write }),
        ),
    ]
}
