//! The authorization matrix's rows for bulletins: the public archive, issues, subscription pages
//! and click-through links without an account; the partnership's bulletins read by everyone in
//! it and composed, published and sent by the business unit.

use super::*;

/// The API operations these rows cover, as (method, path template).
pub(super) const API: &[(&str, &str)] = &[
    ("get", "/bulletins"),
    ("post", "/bulletins"),
    ("get", "/bulletins/{id}"),
    ("post", "/bulletins/{id}/publish"),
    ("post", "/bulletins/{id}/send"),
    ("get", "/bulletin-subscribers"),
];

pub(super) fn rows(ids: &Ids, _n: usize) -> Vec<Row> {
    let everyone = |code: u16| Expect {
        anonymous: code,
        viewer: code,
        agency_lead: code,
        member: code,
        scrutineer: code,
        business_unit: code,
        administrator: code,
        other_partnership: code,
    };
    let public = everyone(200);
    // Everyone in the partnership reads them; the other partnership's manager reads their own.
    let list = Expect { anonymous: 303, ..public };
    let one = Expect { other_partnership: 404, ..list };
    let compose = Expect {
        anonymous: 303,
        viewer: 403,
        agency_lead: 403,
        member: 403,
        scrutineer: 403,
        business_unit: 422,
        administrator: 422,
        other_partnership: 422,
    };
    let change = Expect { other_partnership: 404, ..compose };
    let (published, draft, item) = (ids.published_bulletin, ids.draft_bulletin, ids.bulletin_item);
    let api_of = |e: &Expect| Expect { anonymous: 401, other_partnership: 404, ..*e };
    vec![
        Row::new("the public bulletins", get("/public/southend/bulletins"), public),
        Row::new("a public bulletin", get("/public/southend/bulletins/1"), public),
        Row::new("the public subscription page", get("/public/southend/bulletins/subscribe"), public),
        Row::new(
            "subscribe to the bulletin (nothing)",
            link("/public/southend/feedback".into(), "/public/southend/bulletins/subscribe".into(), &[], false),
            everyone(422),
        ),
        Row::new("a spent confirmation link", get("/public/southend/bulletins/confirm/not-a-token"), public),
        Row::new("a spent unsubscribe link", get("/public/southend/bulletins/unsubscribe/not-a-token"), public),
        Row::new("a bulletin's link", get(format!("/public/southend/bulletins/1/go/{item}")), everyone(303)),
        Row::new("the bulletins", get("/bulletins"), list),
        Row::new("a draft bulletin", get(format!("/bulletins/{draft}")), one),
        Row::new("start a bulletin (no fields)", form("/bulletins", &[]), compose),
        Row::new("change a draft bulletin (no fields)", form(format!("/bulletins/{draft}"), &[]), change),
        Row::new("add an item to a bulletin (no fields)", form(format!("/bulletins/{draft}/items"), &[]), change),
        Row::new("publish a published bulletin", form(format!("/bulletins/{published}/publish"), &[]), change),
        Row::new("send a draft bulletin", form(format!("/bulletins/{draft}/send"), &[]), change),
        Row::new("the bulletins (API)", api(Method::GET, "/bulletins?partnership=southend", None), api_of(&list)),
        Row::new("a draft bulletin (API)", api(Method::GET, format!("/bulletins/{draft}"), None), api_of(&one)),
        Row::new(
            "start a bulletin (API, no fields)",
            api(Method::POST, "/bulletins?partnership=southend", Some(json!({}))),
            api_of(&compose),
        ),
        Row::new(
            "publish a published bulletin (API)",
            api(Method::POST, format!("/bulletins/{published}/publish"), None),
            api_of(&change),
        ),
        Row::new(
            "send a draft bulletin (API)",
            api(Method::POST, format!("/bulletins/{draft}/send"), None),
            api_of(&change),
        ),
        Row::new(
            "the bulletin's subscribers (API)",
            api(Method::GET, "/bulletin-subscribers?partnership=southend", None),
            api_of(&list),
        ),
    ]
}
