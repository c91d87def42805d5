//! The frame around every page: header with the partnership's name, service navigation,
//! breadcrumbs, the notification banner for a change just made, and the script nonce.

use assure_core::Ctx;
use assure_core::auth::Authenticated;
use assure_core::structure::Partnership;
use assure_domain::authz::ResourceKind;
use assure_domain::{Action, PartnershipId, Target, can};

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// A success message shown once after a change, chosen by a fixed key in the redirect's query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flash {
    Created,
    Updated,
    Ended,
    Added,
    PasswordChanged,
    SecondFactorOn,
    SignedOutEverywhere,
    Granted,
    Revoked,
    Disabled,
    Enabled,
    PolicySaved,
}

impl Flash {
    pub fn parse(key: &str) -> Option<Flash> {
        Some(match key {
            "created" => Flash::Created,
            "updated" => Flash::Updated,
            "ended" => Flash::Ended,
            "added" => Flash::Added,
            "password-changed" => Flash::PasswordChanged,
            "second-factor-on" => Flash::SecondFactorOn,
            "signed-out-everywhere" => Flash::SignedOutEverywhere,
            "granted" => Flash::Granted,
            "revoked" => Flash::Revoked,
            "disabled" => Flash::Disabled,
            "enabled" => Flash::Enabled,
            "policy-saved" => Flash::PolicySaved,
            _ => return None,
        })
    }

    pub fn message(self) -> &'static str {
        match self {
            Flash::Created => "Record created",
            Flash::Updated => "Changes saved",
            Flash::Ended => "End date recorded",
            Flash::Added => "Added",
            Flash::PasswordChanged => "Your password has been changed",
            Flash::SecondFactorOn => "Two-step sign-in is now on for your account",
            Flash::SignedOutEverywhere => "You have been signed out on every other device",
            Flash::Granted => "Role granted",
            Flash::Revoked => "Role removed",
            Flash::Disabled => "Account disabled: its sessions and API tokens have ended",
            Flash::Enabled => "Account enabled",
            Flash::PolicySaved => "Two-step sign-in policy saved",
        }
    }
}

pub struct Layout {
    pub title: String,
    pub nonce: String,
    pub csrf: String,
    pub user_name: Option<String>,
    pub partnership_name: String,
    pub partnership_id: i64,
    pub partnerships: Vec<Partnership>,
    pub nav: Vec<NavItem>,
    pub breadcrumbs: Vec<(String, String)>,
    pub flash: Option<Flash>,
}

impl Layout {
    /// For pages outside a session: sign-in, errors.
    pub fn bare(title: &str) -> Layout {
        Layout {
            title: title.to_owned(),
            nonce: String::new(),
            csrf: String::new(),
            user_name: None,
            partnership_name: String::new(),
            partnership_id: 0,
            partnerships: Vec::new(),
            nav: Vec::new(),
            breadcrumbs: Vec::new(),
            flash: None,
        }
    }

    pub fn for_user(
        auth: &Authenticated,
        ctx: &Ctx,
        partnership: PartnershipId,
        partnerships: Vec<Partnership>,
        nonce: String,
        csrf: String,
        flash: Option<Flash>,
    ) -> Layout {
        let allowed = |kind| can(&ctx.actor, Action::View, &Target::new(kind, partnership));
        let mut nav = vec![
            NavItem { href: "/", label: "Home", active: false },
            NavItem { href: "/organisations", label: "Organisations", active: false },
            NavItem { href: "/people", label: "People", active: false },
            NavItem { href: "/bodies", label: "Boards and groups", active: false },
            NavItem { href: "/reviews", label: "Case reviews", active: false },
            NavItem { href: "/deadlines", label: "Deadlines", active: false },
            NavItem { href: "/plan", label: "Action plan", active: false },
            NavItem { href: "/themes", label: "Themes", active: false },
            NavItem { href: "/campaigns", label: "Audits", active: false },
            NavItem { href: "/dashboard/children", label: "Children's dashboard", active: false },
            NavItem { href: "/dashboard/adults", label: "Adults' dashboard", active: false },
            NavItem { href: "/frameworks", label: "Frameworks", active: false },
        ];
        if allowed(ResourceKind::User) {
            nav.push(NavItem { href: "/users", label: "Accounts", active: false });
        }
        if allowed(ResourceKind::AuditLog) {
            nav.push(NavItem { href: "/audit", label: "Audit log", active: false });
        }
        let partnership_name =
            partnerships.iter().find(|p| p.id == partnership).map(|p| p.name.clone()).unwrap_or_default();
        Layout {
            title: String::new(),
            nonce,
            csrf,
            user_name: Some(auth.user.display_name.clone()),
            partnership_name,
            partnership_id: partnership.0,
            partnerships,
            nav,
            breadcrumbs: Vec::new(),
            flash,
        }
    }

    /// Sets the title, the breadcrumbs (label, link) and which navigation item is current.
    pub fn page(&mut self, title: impl Into<String>, section: &str, crumbs: &[(&str, &str)]) {
        self.title = title.into();
        for item in &mut self.nav {
            item.active = item.href == section;
        }
        self.breadcrumbs = crumbs.iter().map(|(l, h)| ((*l).to_owned(), (*h).to_owned())).collect();
    }
}
