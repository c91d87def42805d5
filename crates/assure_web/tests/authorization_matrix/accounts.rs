//! The authorization matrix's rows for accounts: one's own account and the administration of users.

use super::*;

/// The API operations these rows cover, as (method, path template).
pub(super) const API: &[(&str, &str)] = &[("get", "/me")];

pub(super) fn rows(ids: &Ids, n: usize) -> Vec<Row> {
    vec![
        Row::new(
            "account",
            get("/account"),
            Expect {
                anonymous: 303,
                viewer: 200,
                agency_lead: 200,
                member: 200,
                scrutineer: 200,
                business_unit: 200,
                administrator: 200,
                other_partnership: 200,
            },
        ),
        Row::new(
            "account password form",
            get("/account/password"),
            Expect {
                anonymous: 303,
                viewer: 200,
                agency_lead: 200,
                member: 200,
                scrutineer: 200,
                business_unit: 200,
                administrator: 200,
                other_partnership: 200,
            },
        ),
        Row::new(
            "accounts",
            get("/users"),
            Expect {
                anonymous: 303,
                viewer: 404,
                agency_lead: 404,
                member: 404,
                scrutineer: 200,
                business_unit: 200,
                administrator: 200,
                other_partnership: 200,
            },
        ),
        Row::new(
            "account of a user",
            get(format!("/users/{}", ids.pat_user)),
            Expect {
                anonymous: 303,
                viewer: 404,
                agency_lead: 404,
                member: 404,
                scrutineer: 200,
                business_unit: 200,
                administrator: 200,
                other_partnership: 200,
            },
        ),
        Row::new(
            "new account form",
            get("/users/new"),
            Expect {
                anonymous: 303,
                viewer: 404,
                agency_lead: 404,
                member: 404,
                scrutineer: 403,
                business_unit: 200,
                administrator: 200,
                other_partnership: 200,
            },
        ),
        Row::new(
            "create account",
            form(
                "/users",
                &[
                    ("email", format!("new.lead{n}@example.org")),
                    ("display_name", "New Lead".into()),
                    ("role", "viewer".into()),
                ],
            ),
            Expect {
                anonymous: 303,
                viewer: 404,
                agency_lead: 404,
                member: 404,
                scrutineer: 403,
                business_unit: 200,
                administrator: 200,
                other_partnership: 200,
            },
        ),
        Row::new(
            "create administrator",
            form(
                "/users",
                &[
                    ("email", format!("new.admin{n}@example.org")),
                    ("display_name", "New Admin".into()),
                    ("role", "administrator".into()),
                ],
            ),
            Expect {
                anonymous: 303,
                viewer: 404,
                agency_lead: 404,
                member: 404,
                scrutineer: 403,
                business_unit: 422,
                administrator: 200,
                other_partnership: 422,
            },
        ),
        Row::new(
            "grant role",
            form(format!("/users/{}/grants", ids.pat_user), &[("role", "viewer".into())]),
            Expect {
                anonymous: 303,
                viewer: 404,
                agency_lead: 404,
                member: 404,
                scrutineer: 403,
                business_unit: 303,
                administrator: 422,
                other_partnership: 303,
            },
        ),
        Row::new(
            "second-factor policy",
            get("/users/second-factor-policy"),
            Expect {
                anonymous: 303,
                viewer: 403,
                agency_lead: 403,
                member: 403,
                scrutineer: 403,
                business_unit: 403,
                administrator: 200,
                other_partnership: 403,
            },
        ),
        Row::new(
            "save second-factor policy",
            form("/users/second-factor-policy", &[]),
            Expect {
                anonymous: 303,
                viewer: 403,
                agency_lead: 403,
                member: 403,
                scrutineer: 403,
                business_unit: 403,
                administrator: 303,
                other_partnership: 403,
            },
        ),
        Row::new(
            "api me",
            api(Method::GET, "/me", None),
            Expect {
                anonymous: 401,
                viewer: 200,
                agency_lead: 200,
                member: 200,
                scrutineer: 200,
                business_unit: 200,
                administrator: 200,
                other_partnership: 200,
            },
        ),
    ]
}
