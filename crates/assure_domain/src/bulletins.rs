//! Bulletins: the partnership's newsletter to practitioners and the public. The business unit
//! composes an issue from items (a 7-minute briefing, what was learned from a review, upcoming
//! training, news, a useful link), publishes it as a public page, and sends it by e-mail to the
//! people who subscribed and confirmed their address. The rules here are pure: the inputs and
//! their checks, and what an issue may do next.

use serde::Deserialize;

use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

/// The most items an issue holds.
pub const MAX_ITEMS: usize = 20;
/// The longest title of an issue or an item, in characters.
pub const MAX_TITLE_CHARS: usize = 150;
/// The longest introduction or item text, in characters.
pub const MAX_TEXT_CHARS: usize = 3000;
/// How long a subscription waits for its address to be confirmed; then the hourly work forgets it.
pub const CONFIRM_DAYS: i64 = 7;

choice!(
    /// What an item of a bulletin is.
    ItemKind {
        Briefing => ("briefing", "7-minute briefing"),
        Learning => ("learning", "Learning from a review"),
        Training => ("training", "Upcoming training"),
        News => ("news", "News"),
        Link => ("link", "Useful link"),
    }
);

choice!(
    /// Where an issue stands: composed in Assure, then published on the public page (and, once,
    /// sent to the subscribers).
    Status {
        Draft => ("draft", "Draft"),
        Published => ("published", "Published"),
    }
);

choice!(
    /// Where a subscription stands: asked for (the address not yet confirmed), confirmed, or ended
    /// (the address is then erased).
    SubscriberStatus {
        Pending => ("pending", "Waiting for the address to be confirmed"),
        Confirmed => ("confirmed", "Confirmed"),
        Unsubscribed => ("unsubscribed", "Unsubscribed"),
    }
);

choice!(
    /// Where one subscriber's copy of an issue stands.
    DeliveryStatus {
        Queued => ("queued", "Waiting to be sent"),
        Sending => ("sending", "Being sent"),
        Delivered => ("delivered", "Delivered to the mail server"),
        Failed => ("failed", "Could not be sent"),
    }
);

/// An issue's title and introduction as the form and the API send them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BulletinInput {
    pub title: String,
    pub introduction: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBulletin {
    pub title: String,
    pub introduction: Option<String>,
}

impl BulletinInput {
    pub fn validate(&self) -> Validated<NewBulletin> {
        let mut e = FieldErrors::new();
        let title = e.check("title", validation::required_text("the title", &self.title, MAX_TITLE_CHARS));
        let introduction =
            e.check("introduction", validation::optional_text("the introduction", &self.introduction, MAX_TEXT_CHARS));
        e.into_result(|| NewBulletin { title: title.unwrap_or_default(), introduction: introduction.flatten() })
    }
}

/// An item as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ItemInput {
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Where to read more: an address on the web (https) or a public page of this site
    /// (`/public/...`); required for a useful link.
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub kind: ItemKind,
    pub title: String,
    pub body: Option<String>,
    pub link: Option<String>,
}

const LINK_MESSAGE: &str = "Enter an address starting https://, like https://www.example.org/page, or a public page of this site starting /public/";

/// Where an item leads: blank for nowhere, an https address, or a public page of this site.
pub fn item_link(raw: &str) -> Result<Option<String>, String> {
    let t = raw.trim();
    if t.starts_with("/public/") {
        let clean = validation::local_path(t).is_some() && !t.contains("..") && !t.contains(['<', '>', '"']);
        return if clean && t.len() <= 500 { Ok(Some(t.to_owned())) } else { Err(LINK_MESSAGE.into()) };
    }
    validation::https_link(t, LINK_MESSAGE)
}

impl ItemInput {
    pub fn validate(&self) -> Validated<NewItem> {
        let mut e = FieldErrors::new();
        let kind = e.check(
            "kind",
            ItemKind::parse(self.kind.trim()).ok_or_else(|| "Select what kind of item it is".to_owned()),
        );
        let title = e.check("title", validation::required_text("the item's title", &self.title, MAX_TITLE_CHARS));
        let body = e.check("body", validation::optional_text("the item's text", &self.body, MAX_TEXT_CHARS));
        let link = e.check("link", item_link(&self.link));
        match kind {
            Some(ItemKind::Link) if link.as_ref().is_some_and(Option::is_none) => {
                e.add("link", "Enter the address of the useful link")
            }
            Some(k) if k != ItemKind::Link && body.as_ref().is_some_and(Option::is_none) => {
                e.add("body", "Enter the item's text")
            }
            _ => {}
        }
        e.into_result(|| NewItem {
            kind: kind.unwrap_or(ItemKind::News),
            title: title.unwrap_or_default(),
            body: body.flatten(),
            link: link.flatten(),
        })
    }
}

/// A subscription as the public page sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SubscribeInput {
    pub email: String,
    /// Left empty by people; a form filled in by a script fills it (a honeypot).
    pub website: String,
}

impl SubscribeInput {
    /// Whether a script filled the form in: the field people do not see has a value.
    pub fn is_robot(&self) -> bool {
        !self.website.trim().is_empty()
    }

    /// The address, in lower case.
    pub fn validate(&self) -> Validated<String> {
        let mut e = FieldErrors::new();
        let email = e.check("email", validation::email(&self.email));
        e.into_result(|| email.unwrap_or_default())
    }
}

/// Why an issue cannot be published, if it cannot.
pub fn may_publish(status: Status, items: usize) -> Result<(), String> {
    match (status, items) {
        (Status::Published, _) => Err("This bulletin is already published".into()),
        (_, 0) => Err("Add at least one item before publishing".into()),
        _ => Ok(()),
    }
}

/// Why an issue cannot be changed, if it cannot: a published issue is what the public read and
/// the subscribers were sent.
pub fn may_change(status: Status) -> Result<(), String> {
    match status {
        Status::Draft => Ok(()),
        Status::Published => Err("A published bulletin is not changed: start a new one".into()),
    }
}

/// "Bulletin 3".
pub fn issue_name(number: i64) -> String {
    format!("Bulletin {number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: &str, title: &str, body: &str, link: &str) -> ItemInput {
        ItemInput { kind: kind.into(), title: title.into(), body: body.into(), link: link.into() }
    }

    #[test]
    fn an_item_says_what_is_missing() {
        let e = item("", "", "", "").validate().unwrap_err();
        assert_eq!(e.get("kind"), Some("Select what kind of item it is"));
        assert_eq!(e.get("title"), Some("Enter the item's title"));
        let e = item("news", "A new chair", "", "").validate().unwrap_err();
        assert_eq!(e.get("body"), Some("Enter the item's text"));
        let e = item("link", "Working Together", "", "").validate().unwrap_err();
        assert_eq!(e.get("link"), Some("Enter the address of the useful link"));
        let ok = item("link", "Working Together", "", "https://www.gov.uk/wt").validate().unwrap();
        assert_eq!(ok.link.as_deref(), Some("https://www.gov.uk/wt"));
    }

    #[test]
    fn links_lead_to_the_web_over_https_or_to_this_sites_public_pages() {
        for good in ["https://www.example.org/a?b=c", "/public/southend/bulletins/1", "/public/southend/training/3"] {
            assert!(item_link(good).is_ok_and(|l| l.is_some()), "{good}");
        }
        for bad in [
            "http://www.example.org",
            "javascript:alert(1)",
            "//evil.example/",
            "/reviews/1",
            "/public/../reviews/1",
            "/public/x\r\nSet-Cookie: a=b",
            "https://",
        ] {
            assert!(item_link(bad).is_err(), "{bad}");
        }
        assert_eq!(item_link("  "), Ok(None));
    }

    #[test]
    fn an_issue_needs_an_item_to_be_published_and_is_then_fixed() {
        assert_eq!(may_publish(Status::Draft, 0), Err("Add at least one item before publishing".into()));
        assert!(may_publish(Status::Draft, 1).is_ok());
        assert!(may_publish(Status::Published, 3).is_err());
        assert!(may_change(Status::Draft).is_ok());
        assert!(may_change(Status::Published).is_err());
    }

    #[test]
    fn a_subscription_needs_an_address_and_a_script_is_known() {
        let e = SubscribeInput { email: "not an address".into(), website: String::new() }.validate().unwrap_err();
        assert!(e.get("email").is_some_and(|m| m.contains("like name@example.org")));
        let ok = SubscribeInput { email: " Pat@Example.ORG ".into(), website: String::new() };
        assert_eq!(ok.validate().unwrap(), "pat@example.org");
        assert!(SubscribeInput { email: String::new(), website: "x".into() }.is_robot());
    }
}
