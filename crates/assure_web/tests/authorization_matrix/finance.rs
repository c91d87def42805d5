//! The authorization matrix's rows for the partnership's money: the business unit keeps the
//! budgets; the scrutineer and the statutory partners' agency leads (here Essex Police's) read
//! them and change nothing; the viewer and a group's members do not know they exist.

use super::*;

/// The API operations these rows cover, as (method, path template).
pub(super) const API: &[(&str, &str)] = &[
    ("get", "/budgets"),
    ("post", "/budgets"),
    ("get", "/budgets/{id}"),
    ("put", "/budgets/{id}"),
    ("put", "/budgets/{id}/contributions"),
    ("post", "/budgets/{id}/lines"),
    ("put", "/budget-lines/{id}"),
    ("delete", "/budget-lines/{id}"),
    ("put", "/budget-lines/{id}/quarters/{quarter}"),
    ("post", "/budgets/{id}/lock"),
];

pub(super) fn rows(ids: &Ids, _n: usize) -> Vec<Row> {
    let readers = Expect {
        anonymous: 303,
        viewer: 404,
        agency_lead: 200,
        member: 404,
        scrutineer: 200,
        business_unit: 200,
        administrator: 200,
        other_partnership: 404,
    };
    let business = Expect {
        anonymous: 303,
        viewer: 404,
        agency_lead: 403,
        member: 404,
        scrutineer: 403,
        business_unit: 422,
        administrator: 422,
        other_partnership: 404,
    };
    let api_of = |e: &Expect| Expect { anonymous: 401, ..*e };
    let (b, l) = (ids.budget, ids.budget_line);
    vec![
        Row::new("budgets", get("/finance"), Expect { other_partnership: 200, ..readers }),
        Row::new("a budget", get(format!("/budgets/{b}")), readers),
        Row::new("a budget (Excel)", get(format!("/budgets/{b}/budget.xlsx")), readers),
        Row::new("a budget (PDF)", get(format!("/budgets/{b}/paper.pdf")), readers),
        Row::new("a budget (Word)", get(format!("/budgets/{b}/paper.docx")), readers),
        Row::new("a budget's line", get(format!("/budget-lines/{l}")), readers),
        Row::new("start a budget (no fields)", form("/finance", &[]), Expect { other_partnership: 422, ..business }),
        Row::new("change a budget (no fields)", form(format!("/budgets/{b}"), &[]), business),
        Row::new(
            "set the contributions (a percentage without a total)",
            form(format!("/budgets/{b}/contributions"), &[("organisation_id-0", s(1)), ("share-0", s(100))]),
            business,
        ),
        Row::new("add a line (no fields)", form(format!("/budgets/{b}/lines"), &[]), business),
        Row::new("change a line (no fields)", form(format!("/budget-lines/{l}"), &[]), business),
        Row::new("record a quarter (no fields)", form(format!("/budget-lines/{l}/quarters"), &[]), business),
        Row::new(
            "lock a year (bad reserves)",
            form(format!("/budgets/{b}/lock"), &[("reserves_carried_forward", "lots".into())]),
            business,
        ),
        Row::new(
            "remove a line (a contribution is not removed alone)",
            form(format!("/budget-lines/{}/remove", ids.budget_contribution), &[]),
            business,
        ),
        Row::new("budgets (API)", api(Method::GET, "/budgets?partnership=southend", None), api_of(&readers)),
        Row::new(
            "start a budget (API, no fields)",
            api(Method::POST, "/budgets?partnership=southend", Some(json!({}))),
            api_of(&business),
        ),
        Row::new("a budget (API)", api(Method::GET, format!("/budgets/{b}"), None), api_of(&readers)),
        Row::new(
            "change a budget (API, no fields)",
            api(Method::PUT, format!("/budgets/{b}"), Some(json!({}))),
            api_of(&business),
        ),
        Row::new(
            "set the contributions (API, a percentage without a total)",
            api(
                Method::PUT,
                format!("/budgets/{b}/contributions"),
                Some(json!({"rows": [{"organisation_id": 1, "share": "100"}]})),
            ),
            api_of(&business),
        ),
        Row::new(
            "add a line (API, no fields)",
            api(Method::POST, format!("/budgets/{b}/lines"), Some(json!({}))),
            api_of(&business),
        ),
        Row::new(
            "change a line (API, no fields)",
            api(Method::PUT, format!("/budget-lines/{l}"), Some(json!({}))),
            api_of(&business),
        ),
        Row::new(
            "record a quarter (API, a quarter that is not one)",
            api(Method::PUT, format!("/budget-lines/{l}/quarters/5"), Some(json!({}))),
            api_of(&business),
        ),
        Row::new(
            "lock a year (API, negative reserves beyond the limit)",
            api(
                Method::POST,
                format!("/budgets/{b}/lock"),
                Some(json!({"reserves_carried_forward_pence": -20_000_000_000i64})),
            ),
            api_of(&business),
        ),
        // The business unit removes it; for the administrator after, it is gone.
        Row::new(
            "remove a line (API)",
            api(Method::DELETE, format!("/budget-lines/{}", ids.budget_line_to_remove), None),
            Expect { business_unit: 204, administrator: 404, ..api_of(&business) },
        ),
    ]
}
