//! The authorization matrix's rows for the voice of practitioners and the public: the public page
//! without an account; feedback kept by the business unit, read by the scrutineer and by the
//! agency it was passed on to; "You said, we did" read by everyone in the partnership and kept by
//! the business unit.

use super::*;

/// The API operations these rows cover, as (method, path template).
pub(super) const API: &[(&str, &str)] = &[
    ("get", "/feedback"),
    ("get", "/feedback/{id}"),
    ("post", "/feedback/{id}/triage"),
    ("get", "/you-said-we-did"),
    ("post", "/you-said-we-did"),
    ("get", "/surveys"),
    ("get", "/surveys/{id}"),
];

pub(super) fn rows(ids: &Ids, _n: usize) -> Vec<Row> {
    let public = Expect {
        anonymous: 200,
        viewer: 200,
        agency_lead: 200,
        member: 200,
        scrutineer: 200,
        business_unit: 200,
        administrator: 200,
        other_partnership: 200,
    };
    // The inbox: the business unit and the scrutineer, and an agency lead (what was passed on to
    // them); the other partnership's manager reads their own partnership's.
    let inbox = Expect { anonymous: 303, viewer: 404, member: 404, ..public };
    let police_feedback = Expect { other_partnership: 404, ..inbox };
    let other_feedback = Expect { agency_lead: 404, ..police_feedback };
    let triage = Expect {
        anonymous: 303,
        viewer: 404,
        agency_lead: 403,
        member: 404,
        scrutineer: 403,
        business_unit: 422,
        administrator: 422,
        other_partnership: 404,
    };
    let said_did = Expect { anonymous: 303, ..public };
    let record = Expect {
        anonymous: 303,
        viewer: 403,
        agency_lead: 403,
        member: 403,
        scrutineer: 403,
        business_unit: 422,
        administrator: 422,
        other_partnership: 422,
    };
    let entry = ids.said_did;
    let change = Expect { other_partnership: 404, ..record };
    let (police, other) = (ids.police_feedback, ids.other_feedback);
    // Surveys: the business unit keeps them, the scrutineer reads them, the public answers them.
    let surveys = Expect { anonymous: 303, viewer: 404, agency_lead: 404, member: 404, ..public };
    let survey = Expect { other_partnership: 404, ..surveys };
    let keep_survey = Expect { scrutineer: 403, ..survey };
    let start = Expect { business_unit: 422, administrator: 422, other_partnership: 422, ..keep_survey };
    let s = ids.survey;
    let api_of = |e: &Expect| Expect { anonymous: 401, other_partnership: 404, ..*e };
    vec![
        Row::new("the public feedback page", get("/public/southend/feedback"), public),
        Row::new("the public You said, we did", get("/public/southend/you-said-we-did"), public),
        Row::new(
            "give feedback (nothing)",
            link("/public/southend/feedback".into(), "/public/southend/feedback".into(), &[], false),
            Expect {
                anonymous: 422,
                viewer: 422,
                agency_lead: 422,
                member: 422,
                scrutineer: 422,
                business_unit: 422,
                administrator: 422,
                other_partnership: 422,
            },
        ),
        Row::new("the feedback inbox", get("/feedback"), inbox),
        Row::new("feedback passed on to the police", get(format!("/feedback/{police}")), police_feedback),
        Row::new("feedback not passed on to the police", get(format!("/feedback/{other}")), other_feedback),
        Row::new("triage feedback (no step)", form(format!("/feedback/{police}/triage"), &[]), triage),
        Row::new("You said, we did", get("/you-said-we-did"), said_did),
        Row::new("add to You said, we did (no fields)", form("/you-said-we-did", &[]), record),
        Row::new(
            "change a You said, we did entry (form)",
            get(format!("/you-said-we-did/{entry}")),
            Expect { business_unit: 200, administrator: 200, ..change },
        ),
        Row::new("change a You said, we did entry (no fields)", form(format!("/you-said-we-did/{entry}"), &[]), change),
        Row::new("the public survey page", get(format!("/public/southend/surveys/{s}")), public),
        Row::new(
            "answer the public survey (nothing)",
            link(format!("/public/southend/surveys/{s}"), format!("/public/southend/surveys/{s}"), &[], false),
            Expect {
                anonymous: 422,
                viewer: 422,
                agency_lead: 422,
                member: 422,
                scrutineer: 422,
                business_unit: 422,
                administrator: 422,
                other_partnership: 422,
            },
        ),
        Row::new("the surveys", get("/surveys"), surveys),
        Row::new("a survey's results", get(format!("/surveys/{s}")), survey),
        Row::new("a survey's answers (CSV)", get(format!("/surveys/{s}/responses.csv")), survey),
        Row::new("start a survey (no fields)", form("/surveys", &[]), start),
        Row::new("the surveys (API)", api(Method::GET, "/surveys?partnership=southend", None), api_of(&surveys)),
        Row::new("a survey's results (API)", api(Method::GET, format!("/surveys/{s}"), None), api_of(&survey)),
        Row::new("the feedback (API)", api(Method::GET, "/feedback?partnership=southend", None), api_of(&inbox)),
        Row::new(
            "feedback passed on to the police (API)",
            api(Method::GET, format!("/feedback/{police}"), None),
            api_of(&police_feedback),
        ),
        Row::new(
            "triage feedback (API, no step)",
            api(Method::POST, format!("/feedback/{police}/triage"), Some(json!({}))),
            api_of(&triage),
        ),
        Row::new(
            "You said, we did (API)",
            api(Method::GET, "/you-said-we-did?partnership=southend", None),
            api_of(&said_did),
        ),
        Row::new(
            "add to You said, we did (API, no fields)",
            api(Method::POST, "/you-said-we-did?partnership=southend", Some(json!({}))),
            api_of(&record),
        ),
    ]
}
