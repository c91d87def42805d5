//! The authorization matrix's rows for the audit log.

use super::*;

/// The API operations these rows cover, as (method, path template).
pub(super) const API: &[(&str, &str)] = &[("get", "/audit")];

pub(super) fn rows(_ids: &Ids, _n: usize) -> Vec<Row> {
    vec![
        Row::new(
            "audit log",
            get("/audit"),
            Expect {
                anonymous: 303,
                viewer: 404,
                agency_lead: 404,
                member: 404,
                scrutineer: 200,
                business_unit: 404,
                administrator: 200,
                other_partnership: 404,
            },
        ),
        Row::new(
            "api audit",
            api(Method::GET, "/audit?partnership=southend", None),
            Expect {
                anonymous: 401,
                viewer: 404,
                agency_lead: 404,
                member: 404,
                scrutineer: 200,
                business_unit: 404,
                administrator: 200,
                other_partnership: 404,
            },
        ),
    ]
}
