//! The frame around every page: header with the partnership's name, the service navigation
//! (a handful of sections, each with its own sub-navigation), breadcrumbs, the notification
//! banner for a change just made, and the script nonce.

use assure_core::Ctx;
use assure_core::accounts::auth::Authenticated;
use assure_core::structure::Partnership;
use assure_domain::authz::ResourceKind;
use assure_domain::{Action, PartnershipId, Target, can};

/// The sections of the service navigation, in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Partnership,
    Learning,
    Assurance,
    Intelligence,
    Administration,
}

impl Section {
    const ALL: [Section; 6] = [
        Section::Home,
        Section::Partnership,
        Section::Learning,
        Section::Assurance,
        Section::Intelligence,
        Section::Administration,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Section::Home => "Home",
            Section::Partnership => "Partnership",
            Section::Learning => "Reviews and learning",
            Section::Assurance => "Assurance",
            Section::Intelligence => "Intelligence",
            Section::Administration => "Administration",
        }
    }
}

/// A page a capability puts in the navigation: which section, its link and label, and the kind
/// of record a caller must be allowed to view to see the entry (`None`: everyone signed in).
pub struct NavEntry {
    pub section: Section,
    pub href: &'static str,
    pub label: &'static str,
    pub needs: Option<ResourceKind>,
}

/// Kinds of record some readers see only for their own organisation, whose pages list just those:
/// the navigation shows their entry to those readers too.
const OWN_ORGANISATION_KINDS: &[ResourceKind] = &[ResourceKind::Challenge, ResourceKind::Feedback];

/// Every capability's navigation entries, one line per page module, in the order shown.
const NAVIGATION: &[&[NavEntry]] = &[
    crate::handlers::structure::home::NAV,
    crate::handlers::structure::organisations::NAV,
    crate::handlers::structure::people::NAV,
    crate::handlers::structure::bodies::NAV,
    crate::handlers::meetings::NAV,
    crate::handlers::risks::NAV,
    crate::handlers::strategy::NAV,
    crate::handlers::finance::NAV,
    crate::handlers::training::NAV,
    crate::handlers::challenges::NAV,
    crate::handlers::inspections::NAV,
    crate::handlers::voice::NAV,
    crate::handlers::bulletins::NAV,
    crate::handlers::reports::NAV,
    crate::handlers::reviews::NAV,
    crate::handlers::learning::NAV,
    crate::handlers::reviews::themes::NAV,
    crate::handlers::audits::NAV,
    crate::handlers::audits::frameworks::NAV,
    crate::handlers::intelligence::dashboard::NAV,
    crate::handlers::intelligence::returns::NAV,
    crate::handlers::intelligence::extracts::NAV,
    crate::handlers::accounts::users::NAV,
    crate::handlers::audit_log::NAV,
];

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// A section as one caller sees it: the pages in it they may open.
pub struct NavSection {
    pub label: &'static str,
    pub items: Vec<NavItem>,
    pub active: bool,
}

impl NavSection {
    /// Where the section's own link goes: its first page.
    pub fn href(&self) -> &'static str {
        self.items.first().map(|i| i.href).unwrap_or("/")
    }

    /// Whether its pages are listed beneath the navigation: when it is the current section and
    /// holds more than one page.
    pub fn shows_pages(&self) -> bool {
        self.active && self.items.len() > 1
    }
}

/// The navigation a caller sees: each section with the entries they may open, empty sections left out.
fn navigation(allowed: impl Fn(ResourceKind) -> bool) -> Vec<NavSection> {
    Section::ALL
        .iter()
        .map(|&section| NavSection {
            label: section.label(),
            items: NAVIGATION
                .iter()
                .flat_map(|entries| entries.iter())
                .filter(|e| e.section == section && e.needs.is_none_or(&allowed))
                .map(|e| NavItem { href: e.href, label: e.label, active: false })
                .collect(),
            active: false,
        })
        .filter(|s| !s.items.is_empty())
        .collect()
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
    ThemeRenamed,
    ThemesMerged,
    ReturnSaved,
    ReturnSubmitted,
    ReturnAccepted,
    ReturnSentBack,
    DocumentsSent,
    MeetingPlanned,
    MeetingsPlanned,
    MeetingMoved,
    MeetingCancelled,
    AttendanceRecorded,
    AttendanceImported,
    InKindRecorded,
    InKindRateSaved,
    QuorumSaved,
    AgendaItemAdded,
    AgendaItemSaved,
    AgendaItemMoved,
    AgendaItemRemoved,
    PapersAdded,
    PaperRemoved,
    PackPublished,
    PapersDueSaved,
    StandingItemAdded,
    StandingItemRemoved,
    MinutesSaved,
    MinutesApproved,
    DeclarationRecorded,
    DecisionRecorded,
    MeetingActionRecorded,
    MeetingActionSaved,
    ReplySaved,
    RiskRegisterCreated,
    RiskRegisterSaved,
    RiskAdded,
    RiskSaved,
    RiskRated,
    RiskStatusSaved,
    RiskControlSaved,
    RiskActionLinked,
    RiskCategoryAdded,
    RiskAppetiteSaved,
    RiskMatrixSaved,
    BulletinPublished,
    BulletinSent,
    ItemAdded,
    ItemRemoved,
    ItemMoved,
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
            "theme-renamed" => Flash::ThemeRenamed,
            "themes-merged" => Flash::ThemesMerged,
            "return-saved" => Flash::ReturnSaved,
            "return-submitted" => Flash::ReturnSubmitted,
            "return-accepted" => Flash::ReturnAccepted,
            "return-sent-back" => Flash::ReturnSentBack,
            "documents-sent" => Flash::DocumentsSent,
            "meeting-planned" => Flash::MeetingPlanned,
            "meetings-planned" => Flash::MeetingsPlanned,
            "meeting-moved" => Flash::MeetingMoved,
            "meeting-cancelled" => Flash::MeetingCancelled,
            "attendance-recorded" => Flash::AttendanceRecorded,
            "attendance-imported" => Flash::AttendanceImported,
            "in-kind-recorded" => Flash::InKindRecorded,
            "in-kind-rate-saved" => Flash::InKindRateSaved,
            "quorum-saved" => Flash::QuorumSaved,
            "agenda-item-added" => Flash::AgendaItemAdded,
            "agenda-item-saved" => Flash::AgendaItemSaved,
            "agenda-item-moved" => Flash::AgendaItemMoved,
            "agenda-item-removed" => Flash::AgendaItemRemoved,
            "papers-added" => Flash::PapersAdded,
            "paper-removed" => Flash::PaperRemoved,
            "pack-published" => Flash::PackPublished,
            "papers-due-saved" => Flash::PapersDueSaved,
            "standing-item-added" => Flash::StandingItemAdded,
            "standing-item-removed" => Flash::StandingItemRemoved,
            "minutes-saved" => Flash::MinutesSaved,
            "minutes-approved" => Flash::MinutesApproved,
            "declaration-recorded" => Flash::DeclarationRecorded,
            "decision-recorded" => Flash::DecisionRecorded,
            "meeting-action-recorded" => Flash::MeetingActionRecorded,
            "meeting-action-saved" => Flash::MeetingActionSaved,
            "reply-saved" => Flash::ReplySaved,
            "risk-register-created" => Flash::RiskRegisterCreated,
            "risk-register-saved" => Flash::RiskRegisterSaved,
            "risk-added" => Flash::RiskAdded,
            "risk-saved" => Flash::RiskSaved,
            "risk-rated" => Flash::RiskRated,
            "risk-status-saved" => Flash::RiskStatusSaved,
            "risk-control-saved" => Flash::RiskControlSaved,
            "risk-action-linked" => Flash::RiskActionLinked,
            "risk-category-added" => Flash::RiskCategoryAdded,
            "risk-appetite-saved" => Flash::RiskAppetiteSaved,
            "risk-matrix-saved" => Flash::RiskMatrixSaved,
            "bulletin-published" => Flash::BulletinPublished,
            "bulletin-sent" => Flash::BulletinSent,
            "item-added" => Flash::ItemAdded,
            "item-removed" => Flash::ItemRemoved,
            "item-moved" => Flash::ItemMoved,
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
            Flash::ThemeRenamed => "Theme renamed: its reviews and recommendations have the new name",
            Flash::ThemesMerged => "Themes merged: the reviews and recommendations now carry the one theme",
            Flash::ReturnSaved => "Draft saved: the business unit sees it only once you submit it",
            Flash::ReturnSubmitted => "Return submitted to the business unit",
            Flash::ReturnAccepted => "Return accepted: its figures count on the dashboard",
            Flash::ReturnSentBack => "Return sent back to the organisation as a draft",
            Flash::DocumentsSent => "Sent: the review's panel and the business unit can now read it",
            Flash::MeetingPlanned => "Meeting added to the body's forward plan",
            Flash::MeetingsPlanned => {
                "The next twelve months' meetings are planned: move or cancel any one of them from its page"
            }
            Flash::MeetingMoved => "Meeting moved: its members see the new day and time",
            Flash::MeetingCancelled => "Meeting cancelled: it stays on the plan, marked cancelled, with the reason",
            Flash::AttendanceRecorded => "Attendance recorded: the body's attendance review counts it",
            Flash::InKindRecorded => "Time given recorded: it counts in the organisation's in-kind contribution",
            Flash::InKindRateSaved => "Rate saved: every year's time given is valued at it",
            Flash::AttendanceImported => {
                "Attendance grid imported: its meetings, seats and marks are saved, and the review counts them"
            }
            Flash::QuorumSaved => "Quorum saved: every meeting held is checked against it",
            Flash::AgendaItemAdded => "Item added to the agenda",
            Flash::AgendaItemSaved => "Agenda item saved",
            Flash::AgendaItemMoved => "Agenda order saved",
            Flash::AgendaItemRemoved => "Item taken off the agenda with its papers",
            Flash::PapersAdded => "Papers added to the item",
            Flash::PaperRemoved => "Paper removed",
            Flash::PackPublished => "Pack published: the members have been told and can read the papers",
            Flash::PapersDueSaved => {
                "Papers deadline saved: each meeting's papers are due that many working days before it"
            }
            Flash::StandingItemAdded => {
                "Standing item added: meetings planned from now in its months will have it on their agenda"
            }
            Flash::StandingItemRemoved => "Standing item removed: agendas already set out keep it",
            Flash::MinutesSaved => "Minutes saved as a draft",
            Flash::MinutesApproved => "Minutes recorded as approved: they are now read-only",
            Flash::DeclarationRecorded => "Declaration of interest recorded in the minutes",
            Flash::DecisionRecorded => "Decision recorded under the body's next number",
            Flash::MeetingActionRecorded => "Action recorded: it is in its owner's tasks",
            Flash::MeetingActionSaved => "Action updated",
            Flash::ReplySaved => "Reply saved: the business unit sees it, and the attendance form starts from it",
            Flash::RiskRegisterCreated => "Register created with its matrix and categories: add its risks",
            Flash::RiskRegisterSaved => "Register saved",
            Flash::RiskAdded => "Risk added to the register with its first ratings",
            Flash::RiskSaved => "Risk saved",
            Flash::RiskRated => "Review recorded: the rating, who gave it and why are kept in the risk's history",
            Flash::RiskStatusSaved => "Status saved",
            Flash::RiskControlSaved => "Controls saved",
            Flash::RiskActionLinked => "Actions on the plan saved",
            Flash::RiskCategoryAdded => "Category added",
            Flash::RiskAppetiteSaved => "Appetite saved: risks rated above it are flagged and go to the board",
            Flash::RiskMatrixSaved => {
                "New version of the matrix saved: past ratings keep the version they were made under"
            }
            Flash::BulletinPublished => "Bulletin published: it is on the public page and can now be sent",
            Flash::BulletinSent => "Bulletin sent: the copies are going out to the subscribers",
            Flash::ItemAdded => "Item added",
            Flash::ItemRemoved => "Item removed",
            Flash::ItemMoved => "Item moved",
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
    pub nav: Vec<NavSection>,
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
        // A kind some read only for their own organisation shows its entry to them too.
        let allowed = |kind| {
            can(&ctx.actor, Action::View, &Target::new(kind, partnership))
                || (OWN_ORGANISATION_KINDS.contains(&kind) && ctx.reads_of(kind, partnership).is_some())
        };
        let nav = navigation(allowed);
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

    /// Sets the title, the breadcrumbs (label, link) and which navigation entry is current (by
    /// its link); the section holding it is current too.
    pub fn page(&mut self, title: impl Into<String>, current: &str, crumbs: &[(&str, &str)]) {
        self.title = title.into();
        for section in &mut self.nav {
            for item in &mut section.items {
                item.active = item.href == current;
            }
            section.active = section.items.iter().any(|i| i.active);
        }
        self.breadcrumbs = crumbs.iter().map(|(l, h)| ((*l).to_owned(), (*h).to_owned())).collect();
    }
}
