//! The authorization matrix's rows for risk registers: everyone in the partnership reads them;
//! the business unit keeps them; a risk's owner (here the police lead) reviews its rating.

use super::*;

/// The API operations these rows cover, as (method, path template).
pub(super) const API: &[(&str, &str)] = &[
    ("get", "/risk-registers"),
    ("post", "/risk-registers"),
    ("get", "/risk-registers/{id}"),
    ("post", "/risk-registers/{id}/risks"),
    ("get", "/risks/{id}"),
    ("put", "/risks/{id}"),
    ("post", "/risks/{id}/ratings"),
    ("put", "/risks/{id}/status"),
    ("post", "/risks/{id}/controls"),
    ("put", "/risk-registers/{id}/categories/{category}/appetite"),
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
    // A change the business unit makes: everyone else who reads the register is refused, before
    // anything they sent is read (so the business unit's empty form is what is invalid).
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
    let owner_or_business = Expect { agency_lead: 422, ..business };
    let api_of = |e: &Expect| Expect { anonymous: 401, ..*e };
    let register = ids.risk_register;
    let risk = ids.police_risk;
    vec![
        Row::new("risk registers", get("/risk-registers"), Expect { other_partnership: 200, ..readers }),
        Row::new("a risk register", get(format!("/risk-registers/{register}")), readers),
        Row::new("a risk register's matrix", get(format!("/risk-registers/{register}/matrix")), readers),
        Row::new("a risk register (Excel)", get(format!("/risk-registers/{register}/register.xlsx")), readers),
        Row::new("a risk", get(format!("/risks/{risk}")), readers),
        Row::new(
            "start a risk register (no fields)",
            form("/risk-registers", &[]),
            Expect { other_partnership: 422, ..business },
        ),
        Row::new("change a register (no fields)", form(format!("/risk-registers/{register}"), &[]), business),
        Row::new(
            "add a risk (form)",
            get(format!("/risk-registers/{register}/risks")),
            Expect { business_unit: 200, administrator: 200, ..business },
        ),
        Row::new("add a risk (no fields)", form(format!("/risk-registers/{register}/risks"), &[]), business),
        Row::new(
            "edit a risk (form)",
            get(format!("/risks/{risk}/edit")),
            Expect { business_unit: 200, administrator: 200, ..business },
        ),
        Row::new("edit a risk (no fields)", form(format!("/risks/{risk}"), &[]), business),
        Row::new("review a risk's rating (no fields)", form(format!("/risks/{risk}/review"), &[]), owner_or_business),
        Row::new("a risk's status (no fields)", form(format!("/risks/{risk}/status"), &[]), business),
        Row::new("add a control (no fields)", form(format!("/risks/{risk}/controls"), &[]), business),
        Row::new("link an action (no fields)", form(format!("/risks/{risk}/actions"), &[]), business),
        Row::new(
            "add a risk category (no fields)",
            form(format!("/risk-registers/{register}/categories"), &[]),
            business,
        ),
        Row::new(
            "set an appetite (off the matrix)",
            form(
                format!("/risk-registers/{register}/categories/{}/appetite", ids.risk_category),
                &[("appetite", s(99))],
            ),
            business,
        ),
        Row::new("change a matrix (no fields)", form(format!("/risk-registers/{register}/matrix"), &[]), business),
        Row::new(
            "risk registers (API)",
            api(Method::GET, "/risk-registers?partnership=southend", None),
            api_of(&Expect { other_partnership: 404, ..readers }),
        ),
        Row::new(
            "start a risk register (API, no fields)",
            api(Method::POST, "/risk-registers?partnership=southend", Some(json!({}))),
            api_of(&business),
        ),
        Row::new(
            "a risk register (API)",
            api(Method::GET, format!("/risk-registers/{register}"), None),
            api_of(&readers),
        ),
        Row::new(
            "add a risk (API, no fields)",
            api(Method::POST, format!("/risk-registers/{register}/risks"), Some(json!({}))),
            api_of(&business),
        ),
        Row::new("a risk (API)", api(Method::GET, format!("/risks/{risk}"), None), api_of(&readers)),
        Row::new(
            "edit a risk (API, no fields)",
            api(Method::PUT, format!("/risks/{risk}"), Some(json!({}))),
            api_of(&business),
        ),
        Row::new(
            "review a risk's rating (API, no fields)",
            api(Method::POST, format!("/risks/{risk}/ratings"), Some(json!({}))),
            api_of(&owner_or_business),
        ),
        Row::new(
            "a risk's status (API, no fields)",
            api(Method::PUT, format!("/risks/{risk}/status"), Some(json!({}))),
            api_of(&business),
        ),
        Row::new(
            "add a control (API, no fields)",
            api(Method::POST, format!("/risks/{risk}/controls"), Some(json!({}))),
            api_of(&business),
        ),
        Row::new(
            "set an appetite (API, off the matrix)",
            api(
                Method::PUT,
                format!("/risk-registers/{register}/categories/{}/appetite", ids.risk_category),
                Some(json!({"appetite": 99})),
            ),
            api_of(&business),
        ),
    ]
}
