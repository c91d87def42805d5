//! The authorization matrix's rows for inspections: everyone in the partnership reads a published
//! inspection and an agency's grades; one not yet published is read only by the business unit, the
//! scrutineer and the agencies inspected; the business unit records and changes them.

use super::*;

/// The API operations these rows cover, as (method, path template).
pub(super) const API: &[(&str, &str)] = &[
    ("get", "/inspections"),
    ("post", "/inspections"),
    ("get", "/inspections/{id}"),
    ("post", "/inspections/{id}/judgements"),
    ("post", "/inspections/{id}/recommendations"),
];

pub(super) fn rows(ids: &Ids, _n: usize) -> Vec<Row> {
    // The register and an agency's grades: everyone signed in, each in their own partnership.
    let register = Expect {
        anonymous: 303,
        viewer: 200,
        agency_lead: 200,
        member: 200,
        scrutineer: 200,
        business_unit: 200,
        administrator: 200,
        other_partnership: 200,
    };
    let published = Expect { other_partnership: 404, ..register };
    let grades = published;
    let unpublished = Expect { viewer: 404, agency_lead: 404, member: 404, ..published };
    let new = Expect { viewer: 403, agency_lead: 403, member: 403, scrutineer: 403, ..register };
    let record = Expect { business_unit: 422, administrator: 422, other_partnership: 422, ..new };
    let change = Expect { other_partnership: 404, ..record };
    let change_unpublished = Expect { viewer: 404, agency_lead: 404, member: 404, ..change };
    let (inspection, hidden, police) = (ids.inspection, ids.unpublished_inspection, ids.police);
    let api_of = |e: &Expect| Expect { anonymous: 401, other_partnership: 404, ..*e };
    vec![
        Row::new("the inspections", get("/inspections"), register),
        Row::new("a published inspection", get(format!("/inspections/{inspection}")), published),
        Row::new("an inspection not yet published", get(format!("/inspections/{hidden}")), unpublished),
        Row::new("the police's grades over time", get(format!("/inspections/agencies/{police}")), grades),
        Row::new("record an inspection (form)", get("/inspections/new"), new),
        Row::new("record an inspection (no fields)", form("/inspections", &[]), record),
        Row::new(
            "change an inspection (form)",
            get(format!("/inspections/{inspection}/edit")),
            Expect { business_unit: 200, administrator: 200, other_partnership: 404, ..new },
        ),
        Row::new("change an inspection (no fields)", form(format!("/inspections/{inspection}"), &[]), change),
        Row::new(
            "change an inspection not yet published (no fields)",
            form(format!("/inspections/{hidden}"), &[]),
            change_unpublished,
        ),
        Row::new("record a judgement (no fields)", form(format!("/inspections/{inspection}/judgements"), &[]), change),
        Row::new(
            "record an inspection's recommendation (no fields)",
            form(format!("/inspections/{inspection}/recommendations"), &[]),
            change,
        ),
        Row::new(
            "add an inspection's action (no fields)",
            form(format!("/inspections/{inspection}/actions"), &[]),
            change,
        ),
        Row::new(
            "the inspections (API)",
            api(Method::GET, "/inspections?partnership=southend", None),
            api_of(&register),
        ),
        Row::new(
            "record an inspection (API, no fields)",
            api(Method::POST, "/inspections?partnership=southend", Some(json!({}))),
            api_of(&record),
        ),
        Row::new(
            "a published inspection (API)",
            api(Method::GET, format!("/inspections/{inspection}"), None),
            api_of(&published),
        ),
        Row::new(
            "an inspection not yet published (API)",
            api(Method::GET, format!("/inspections/{hidden}"), None),
            api_of(&unpublished),
        ),
        Row::new(
            "record a judgement (API, no fields)",
            api(Method::POST, format!("/inspections/{inspection}/judgements"), Some(json!({}))),
            api_of(&change),
        ),
        Row::new(
            "record an inspection's recommendation (API, no fields)",
            api(Method::POST, format!("/inspections/{inspection}/recommendations"), Some(json!({}))),
            api_of(&change),
        ),
    ]
}
