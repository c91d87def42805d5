//! Bulletins: the partnership's newsletter. The business unit composes an issue from items,
//! publishes it (it is then numbered, shows on the public archive, and is not changed), and sends
//! it once to the confirmed subscribers; the copies go out after the sending is recorded, from a
//! queue that survives a restart. People subscribe on the public page without an account and
//! confirm by the link e-mailed to them (double opt-in); every copy carries its own unsubscribe
//! link, which works with one click from the mail client (RFC 8058) and erases the address.
//! Counts per issue: copies made, delivered to the mail server, failed, unsubscribes from its
//! link, and clicks on its items' links (first-party redirects, counted per item, never per
//! person; no tracking pixel).

pub use assure_store::bulletins::{Bulletin, Counts, Item, SubscriberCounts};

use std::collections::HashMap;

use assure_domain::bulletins::{
    self as b, BulletinInput, CONFIRM_DAYS, DeliveryStatus, ItemInput, Status, SubscribeInput, SubscriberStatus,
};
use assure_domain::structure::Choice;
use assure_domain::{Action, FieldErrors, PartnershipId, ResourceKind as K, Target, can};
use assure_store::audit_log::{self, NewEntry};
use assure_store::bulletins as st;
use serde_json::json;

use crate::accounts::auth::{random_token, token_hash};
use crate::{Core, CoreError, CoreResult, Ctx};

/// How many copies the sender reads from the queue at a time.
const SEND_BATCH: i64 = 100;
/// A copy claimed by a sender this long ago and never finished is sent again (the sender stopped).
const STALE_CLAIM_MINUTES: i64 = 30;

fn of(p: PartnershipId) -> Target {
    Target::new(K::Bulletin, p)
}

fn moment(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The partnership's issues as its people see them.
#[derive(Debug, Clone)]
pub struct BulletinList {
    pub bulletins: Vec<Bulletin>,
    pub subscribers: SubscriberCounts,
    pub can_edit: bool,
    /// The public archive's address, to link from the partnership's own website.
    pub public_path: String,
    /// The subscription page's address.
    pub subscribe_path: String,
}

/// One issue with its items.
#[derive(Debug, Clone)]
pub struct BulletinView {
    pub bulletin: Bulletin,
    pub items: Vec<Item>,
    pub can_edit: bool,
    /// An e-mail server is configured, so a published issue can be sent.
    pub mail_ready: bool,
    /// Confirmed subscribers, who would be sent it.
    pub confirmed: i64,
    /// Its public page, once published.
    pub public_path: Option<String>,
}

/// What every public bulletin page names: the partnership, and whether subscribing is open.
#[derive(Debug, Clone)]
pub struct BulletinSite {
    pub partnership_name: String,
    pub slug: String,
    /// Subscribing is open (an e-mail server is configured to confirm addresses).
    pub subscribing: bool,
}

/// The partnership's public archive: its published issues.
#[derive(Debug, Clone)]
pub struct PublicBulletins {
    pub site: BulletinSite,
    pub bulletins: Vec<Bulletin>,
}

/// A published issue as the public reads it.
#[derive(Debug, Clone)]
pub struct PublicIssue {
    pub partnership_name: String,
    pub slug: String,
    pub bulletin: Bulletin,
    pub items: Vec<Item>,
}

/// What one run of the sender did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendReport {
    pub delivered: usize,
    pub failed: usize,
}

/// What became of a subscription asked for: the confirmation link's token (e-mailed), or nothing
/// to send because the address is already subscribed (the page says the same either way, so that
/// nobody learns who subscribes).
enum Asked {
    Confirm(String),
    AlreadySubscribed,
}

impl Core {
    fn bulletin_paths(slug: &str) -> (String, String) {
        (format!("/public/{slug}/bulletins"), format!("/public/{slug}/bulletins/subscribe"))
    }

    /// The partnership's issues, drafts first, with the subscribers' counts.
    pub async fn bulletins(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<BulletinList> {
        ctx.authorize(Action::View, &of(p))?;
        let mut conn = self.store.read().await?;
        let bulletins = st::bulletins_in(&mut conn, p, false).await?;
        let subscribers = st::subscriber_counts(&mut conn, p).await?;
        let slug = assure_store::structure::partnership(&mut conn, p).await?.slug;
        drop(conn);
        let (public_path, subscribe_path) = Self::bulletin_paths(&slug);
        Ok(BulletinList {
            bulletins,
            subscribers,
            can_edit: can(&ctx.actor, Action::Create, &of(p)),
            public_path,
            subscribe_path,
        })
    }

    /// Starts a draft issue; returns its id.
    pub async fn create_bulletin(&self, ctx: &Ctx, p: PartnershipId, input: &BulletinInput) -> CoreResult<i64> {
        self.create_bulletin_with_items(ctx, p, input, &[]).await
    }

    /// Starts a draft issue with its items (the API's whole issue at once); returns its id. Every
    /// item is checked before anything is kept; a fault names the item (`items[2].title`).
    pub async fn create_bulletin_with_items(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        input: &BulletinInput,
        items: &[ItemInput],
    ) -> CoreResult<i64> {
        ctx.authorize(Action::Create, &of(p))?;
        let mut errors = FieldErrors::new();
        let new = match input.validate() {
            Ok(new) => Some(new),
            Err(e) => {
                errors.merge(e);
                None
            }
        };
        if items.len() > b::MAX_ITEMS {
            errors.add("items", format!("A bulletin holds at most {} items", b::MAX_ITEMS));
        }
        let mut new_items = Vec::new();
        for (n, item) in items.iter().enumerate().take(b::MAX_ITEMS) {
            match item.validate() {
                Ok(i) => new_items.push(i),
                Err(e) => {
                    for (field, messages) in e.iter() {
                        for message in messages {
                            errors.add(&format!("items[{n}].{field}"), message.clone());
                        }
                    }
                }
            }
        }
        let new = match (new, errors.is_empty()) {
            (Some(new), true) => new,
            _ => return Err(CoreError::Invalid(errors)),
        };
        let mut tx = self.store.write().await?;
        let id = st::insert(&mut tx, p, &new, &ctx.name).await?;
        for item in &new_items {
            st::insert_item(&mut tx, id, item, &ctx.name).await?;
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "bulletin",
                Some(id.to_string()),
                Some(p),
                json!({"title": new.title, "items": new_items.len()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn readable_bulletin(&self, ctx: &Ctx, id: i64) -> CoreResult<Bulletin> {
        let mut conn = self.store.read().await?;
        let bulletin = st::bulletin(&mut conn, id).await?;
        drop(conn);
        ctx.authorize(Action::View, &of(bulletin.partnership_id))?;
        Ok(bulletin)
    }

    /// One issue with its items and counts.
    pub async fn bulletin(&self, ctx: &Ctx, id: i64) -> CoreResult<BulletinView> {
        let bulletin = self.readable_bulletin(ctx, id).await?;
        let p = bulletin.partnership_id;
        let mut conn = self.store.read().await?;
        let items = st::items(&mut conn, id).await?;
        let confirmed = st::subscriber_counts(&mut conn, p).await?.confirmed;
        let slug = assure_store::structure::partnership(&mut conn, p).await?.slug;
        drop(conn);
        let public_path = bulletin.number.map(|n| format!("/public/{slug}/bulletins/{n}"));
        Ok(BulletinView {
            can_edit: can(&ctx.actor, Action::Update, &of(p)),
            mail_ready: self.settings.mailer.is_some(),
            bulletin,
            items,
            confirmed,
            public_path,
        })
    }

    /// An issue the actor may change, still a draft.
    async fn changeable(&self, ctx: &Ctx, id: i64) -> CoreResult<Bulletin> {
        let bulletin = self.readable_bulletin(ctx, id).await?;
        ctx.authorize(Action::Update, &of(bulletin.partnership_id))?;
        b::may_change(bulletin.status).map_err(|m| CoreError::field("bulletin", m))?;
        Ok(bulletin)
    }

    /// Changes a draft's title and introduction.
    pub async fn update_bulletin(&self, ctx: &Ctx, id: i64, input: &BulletinInput) -> CoreResult<()> {
        let old = self.changeable(ctx, id).await?;
        let new = input.validate()?;
        let mut tx = self.store.write().await?;
        Self::still_draft(&mut tx, id).await?;
        st::update(&mut tx, id, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "bulletin",
                Some(id.to_string()),
                Some(old.partnership_id),
                json!({"title": new.title}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Someone may have published the issue since it was read: then it is not changed.
    async fn still_draft(tx: &mut assure_store::WriteTx, id: i64) -> CoreResult<()> {
        let now = st::bulletin(tx, id).await?;
        b::may_change(now.status).map_err(|m| CoreError::field("bulletin", m))
    }

    /// Adds an item at the end of a draft; returns its id.
    pub async fn add_bulletin_item(&self, ctx: &Ctx, id: i64, input: &ItemInput) -> CoreResult<i64> {
        let bulletin = self.changeable(ctx, id).await?;
        let new = input.validate()?;
        let mut tx = self.store.write().await?;
        Self::still_draft(&mut tx, id).await?;
        if st::items(&mut tx, id).await?.len() >= b::MAX_ITEMS {
            return Err(CoreError::field("kind", format!("A bulletin holds at most {} items", b::MAX_ITEMS)));
        }
        let item = st::insert_item(&mut tx, id, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "bulletin",
                Some(id.to_string()),
                Some(bulletin.partnership_id),
                json!({"item_added": item, "kind": new.kind.code()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(item)
    }

    /// Removes an item of a draft.
    pub async fn remove_bulletin_item(&self, ctx: &Ctx, id: i64, item: i64) -> CoreResult<()> {
        let bulletin = self.changeable(ctx, id).await?;
        let mut tx = self.store.write().await?;
        Self::still_draft(&mut tx, id).await?;
        if !st::delete_item(&mut tx, id, item, &ctx.name).await? {
            return Err(CoreError::NotFound);
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "bulletin",
                Some(id.to_string()),
                Some(bulletin.partnership_id),
                json!({"item_removed": item}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves an item of a draft one place up or down (nothing at either end).
    pub async fn move_bulletin_item(&self, ctx: &Ctx, id: i64, item: i64, up: bool) -> CoreResult<()> {
        let bulletin = self.changeable(ctx, id).await?;
        let mut tx = self.store.write().await?;
        Self::still_draft(&mut tx, id).await?;
        if !st::items(&mut tx, id).await?.iter().any(|i| i.id == item) {
            return Err(CoreError::NotFound);
        }
        if st::move_item(&mut tx, id, item, up, &ctx.name).await? {
            audit_log::append(
                &mut tx,
                ctx.entry(
                    "update",
                    "bulletin",
                    Some(id.to_string()),
                    Some(bulletin.partnership_id),
                    json!({"item_moved": item, "up": up}),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a draft: it takes the partnership's next number and shows on the public archive.
    /// Returns the number.
    pub async fn publish_bulletin(&self, ctx: &Ctx, id: i64) -> CoreResult<i64> {
        let bulletin = self.readable_bulletin(ctx, id).await?;
        let p = bulletin.partnership_id;
        ctx.authorize(Action::Update, &of(p))?;
        let mut tx = self.store.write().await?;
        let items = st::items(&mut tx, id).await?.len();
        let status = st::bulletin(&mut tx, id).await?.status;
        b::may_publish(status, items).map_err(|m| CoreError::field("bulletin", m))?;
        let number = st::publish(&mut tx, id, p, &ctx.name)
            .await?
            .ok_or_else(|| CoreError::field("bulletin", "This bulletin is already published"))?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "publish_bulletin",
                "bulletin",
                Some(id.to_string()),
                Some(p),
                json!({"number": number, "items": items}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(number)
    }

    /// Sends a published issue to every confirmed subscriber, once: the copies are queued in the
    /// same transaction that records the sending, and go out from the queue
    /// ([`Core::send_queued_bulletins`], which the caller starts and the hourly work finishes).
    /// Returns how many copies were queued.
    pub async fn send_bulletin(&self, ctx: &Ctx, id: i64) -> CoreResult<u64> {
        let bulletin = self.readable_bulletin(ctx, id).await?;
        let p = bulletin.partnership_id;
        ctx.authorize(Action::Update, &of(p))?;
        if bulletin.status != Status::Published {
            return Err(CoreError::field("bulletin", "Publish the bulletin before sending it"));
        }
        if self.settings.mailer.is_none() {
            return Err(CoreError::field(
                "bulletin",
                "Sending needs an e-mail server: ask the administrator to configure one (docs/OPERATIONS.md)",
            ));
        }
        let mut tx = self.store.write().await?;
        let queued = st::queue(&mut tx, id, p, &ctx.name)
            .await?
            .ok_or_else(|| CoreError::field("bulletin", "This bulletin has already been sent"))?;
        audit_log::append(
            &mut tx,
            ctx.entry("send_bulletin", "bulletin", Some(id.to_string()), Some(p), json!({"recipients": queued})),
        )
        .await?;
        tx.commit().await?;
        Ok(queued)
    }

    /// Sends the copies waiting in the queue, in every partnership: each is claimed (so that no
    /// two senders send it), sent with its own unsubscribe link, and recorded as delivered to the
    /// mail server or failed. No connection is held while mail is sent.
    pub async fn send_queued_bulletins(&self) -> CoreResult<SendReport> {
        let mut report = SendReport::default();
        let Some(mailer) = self.settings.mailer.clone() else { return Ok(report) };
        let mut issues: HashMap<i64, (PublicIssue, String)> = HashMap::new();
        loop {
            let stale = moment(chrono::Utc::now() - chrono::Duration::minutes(STALE_CLAIM_MINUTES));
            let batch = {
                let mut conn = self.store.read().await?;
                st::queued(&mut conn, SEND_BATCH, &stale).await?
            };
            if batch.is_empty() {
                return Ok(report);
            }
            let mut claimed_any = false;
            for copy in batch {
                {
                    let mut tx = self.store.write().await?;
                    let mine = st::claim(&mut tx, copy.delivery_id, &stale).await?;
                    tx.commit().await?;
                    if !mine {
                        continue;
                    }
                }
                claimed_any = true;
                if let std::collections::hash_map::Entry::Vacant(slot) = issues.entry(copy.bulletin_id) {
                    slot.insert(self.issue_to_send(copy.bulletin_id).await?);
                }
                let Some((issue, subject)) = issues.get(&copy.bulletin_id) else { continue };
                let token = random_token(32);
                let unsubscribe =
                    format!("{}/public/{}/bulletins/unsubscribe/{token}", self.settings.public_url, issue.slug);
                let body = self.bulletin_text(issue, &unsubscribe);
                let status = match mailer.send_to_subscriber(&copy.email, subject, body, &unsubscribe).await {
                    Ok(()) => {
                        report.delivered += 1;
                        DeliveryStatus::Delivered
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "a copy of a bulletin could not be sent");
                        report.failed += 1;
                        DeliveryStatus::Failed
                    }
                };
                let mut tx = self.store.write().await?;
                st::delivered(&mut tx, copy.delivery_id, status, &token_hash(&token)).await?;
                tx.commit().await?;
            }
            if !claimed_any {
                // Another sender holds every copy read: it finishes them.
                return Ok(report);
            }
        }
    }

    async fn issue_to_send(&self, id: i64) -> CoreResult<(PublicIssue, String)> {
        let mut conn = self.store.read().await?;
        let bulletin = st::bulletin(&mut conn, id).await?;
        let items = st::items(&mut conn, id).await?;
        let p = assure_store::structure::partnership(&mut conn, bulletin.partnership_id).await?;
        drop(conn);
        let subject = format!("{}: {}", p.name, bulletin.title);
        Ok((PublicIssue { partnership_name: p.name, slug: p.slug, bulletin, items }, subject))
    }

    /// A copy's text: the issue, each item with its link through the bulletin's own redirect
    /// (which counts the click), where to read it on the web, and how to unsubscribe.
    fn bulletin_text(&self, issue: &PublicIssue, unsubscribe: &str) -> String {
        let base = format!("{}/public/{}/bulletins", self.settings.public_url, issue.slug);
        let number = issue.bulletin.number.unwrap_or_default();
        let mut text = format!("{}\n{}, {}\n\n", issue.bulletin.title, issue.partnership_name, b::issue_name(number));
        if let Some(intro) = &issue.bulletin.introduction {
            text.push_str(intro);
            text.push_str("\n\n");
        }
        for item in &issue.items {
            text.push_str(&format!("{}: {}\n", item.kind.label(), item.title));
            if let Some(body) = &item.body {
                text.push_str(body);
                text.push('\n');
            }
            if item.link.is_some() {
                text.push_str(&format!("Read more: {base}/{number}/go/{}\n", item.id));
            }
            text.push('\n');
        }
        text.push_str(&format!("Read this bulletin on the web: {base}/{number}\n"));
        text.push_str(&format!("Past bulletins: {base}\n\n"));
        text.push_str(&format!(
            "You are getting this because you subscribed to {}'s bulletin. To stop, unsubscribe: {unsubscribe}\n",
            issue.partnership_name
        ));
        text
    }

    fn site_of(&self, p: assure_store::structure::Partnership) -> BulletinSite {
        BulletinSite { partnership_name: p.name, slug: p.slug, subscribing: self.settings.mailer.is_some() }
    }

    /// The partnership a public bulletin page names (the subscription and link pages need no
    /// more).
    pub async fn bulletin_site(&self, slug: &str) -> CoreResult<BulletinSite> {
        let mut conn = self.store.read().await?;
        let p = assure_store::structure::partnership_by_slug(&mut conn, slug).await?;
        drop(conn);
        Ok(self.site_of(p))
    }

    /// The partnership's public archive: its published issues, the latest first.
    pub async fn public_bulletins(&self, slug: &str) -> CoreResult<PublicBulletins> {
        let mut conn = self.store.read().await?;
        let p = assure_store::structure::partnership_by_slug(&mut conn, slug).await?;
        let bulletins = st::bulletins_in(&mut conn, p.id, true).await?;
        drop(conn);
        Ok(PublicBulletins { site: self.site_of(p), bulletins })
    }

    /// How many people subscribe, by where they stand (never who).
    pub async fn bulletin_subscribers(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<SubscriberCounts> {
        ctx.authorize(Action::View, &of(p))?;
        let mut conn = self.store.read().await?;
        Ok(st::subscriber_counts(&mut conn, p).await?)
    }

    /// A published issue by its number (a draft, or none: not found).
    pub async fn public_bulletin(&self, slug: &str, number: i64) -> CoreResult<PublicIssue> {
        let mut conn = self.store.read().await?;
        let p = assure_store::structure::partnership_by_slug(&mut conn, slug).await?;
        let bulletin = st::published(&mut conn, p.id, number).await?;
        let items = st::items(&mut conn, bulletin.id).await?;
        Ok(PublicIssue { partnership_name: p.name, slug: p.slug, bulletin, items })
    }

    /// Counts a click on a published issue's item and says where it leads.
    pub async fn bulletin_click(&self, slug: &str, number: i64, item: i64) -> CoreResult<String> {
        let bulletin = {
            let mut conn = self.store.read().await?;
            let p = assure_store::structure::partnership_by_slug(&mut conn, slug).await?;
            st::published(&mut conn, p.id, number).await?
        };
        let mut tx = self.store.write().await?;
        let link = st::click(&mut tx, bulletin.id, item).await?.ok_or(CoreError::NotFound)?;
        tx.commit().await?;
        Ok(link)
    }

    /// Asks for an address to be subscribed, from the public page: a confirmation link is
    /// e-mailed to it (nothing is sent to an address already subscribed, and the page says the
    /// same either way). Limited per client address with the feedback page's limit; a script
    /// filling the field people do not see is refused.
    pub async fn subscribe(
        &self,
        slug: &str,
        input: &SubscribeInput,
        ip: Option<String>,
        request_id: Option<String>,
    ) -> CoreResult<()> {
        match self.ask_subscription(slug, input, ip, request_id).await? {
            (Asked::Confirm(token), email, name) => {
                let Some(mailer) = &self.settings.mailer else { return Ok(()) };
                let link = format!("{}/public/{slug}/bulletins/confirm/{token}", self.settings.public_url);
                let body = format!(
                    "Someone, we hope you, asked for {name}'s bulletin to be sent to this address.\n\n\
                     To confirm, open this link and press the button within {CONFIRM_DAYS} days:\n{link}\n\n\
                     If it was not you, ignore this message: nothing will be sent to you.\n"
                );
                if let Err(e) =
                    mailer.send(&email, &format!("Confirm your subscription to {name}'s bulletin"), body).await
                {
                    tracing::warn!(error = %e, "a subscription's confirmation could not be sent");
                    return Err(CoreError::field(
                        "email",
                        "The confirmation e-mail could not be sent just now: please try again later",
                    ));
                }
                Ok(())
            }
            (Asked::AlreadySubscribed, ..) => Ok(()),
        }
    }

    async fn ask_subscription(
        &self,
        slug: &str,
        input: &SubscribeInput,
        ip: Option<String>,
        request_id: Option<String>,
    ) -> CoreResult<(Asked, String, String)> {
        let address = ip.clone().unwrap_or_default();
        if let Some(retry_after) = self.feedback_throttle.blocked(&address) {
            return Err(CoreError::Throttled { retry_after });
        }
        if input.is_robot() {
            self.feedback_throttle.failed(&address);
            return Err(CoreError::field("email", "Your subscription could not be taken: please try again"));
        }
        let email = input.validate()?;
        let p = {
            let mut conn = self.store.read().await?;
            assure_store::structure::partnership_by_slug(&mut conn, slug).await?
        };
        self.feedback_throttle.failed(&address);
        if self.settings.mailer.is_none() {
            return Err(CoreError::field("email", "Subscribing is not open yet: please come back later"));
        }
        let mut tx = self.store.write().await?;
        let existing = st::subscriber_by_email(&mut tx, p.id, &email).await?;
        if existing.as_ref().is_some_and(|s| s.status == SubscriberStatus::Confirmed) {
            return Ok((Asked::AlreadySubscribed, email, p.name));
        }
        let token = random_token(32);
        let id = st::ask(&mut tx, p.id, &email, &token_hash(&token)).await?;
        audit_log::append(
            &mut tx,
            NewEntry {
                actor_label: "bulletin subscription page".into(),
                action: "subscribe".into(),
                record_type: "bulletin_subscriber".into(),
                record_id: Some(id.to_string()),
                partnership_id: Some(p.id.0),
                ip,
                request_id,
                detail: json!({"again": existing.is_some()}),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok((Asked::Confirm(token), email, p.name))
    }

    fn confirm_since() -> String {
        moment(chrono::Utc::now() - chrono::Duration::days(CONFIRM_DAYS))
    }

    /// Whether a confirmation link's token stands for a subscription still waiting for it.
    pub async fn confirmation_pending(&self, slug: &str, token: &str) -> CoreResult<bool> {
        let mut conn = self.store.read().await?;
        let p = assure_store::structure::partnership_by_slug(&mut conn, slug).await?;
        Ok(st::pending_by_token(&mut conn, &token_hash(token), &Self::confirm_since())
            .await
            .is_ok_and(|s| s.partnership_id == p.id))
    }

    /// Confirms a subscription by its link's token (pressed on the page the link opens, so that a
    /// mail scanner fetching the link confirms nothing). Not found: expired, used, or never given.
    pub async fn confirm_subscription(&self, slug: &str, token: &str, ip: Option<String>) -> CoreResult<()> {
        let (p, subscriber) = {
            let mut conn = self.store.read().await?;
            let p = assure_store::structure::partnership_by_slug(&mut conn, slug).await?;
            let s = st::pending_by_token(&mut conn, &token_hash(token), &Self::confirm_since()).await?;
            (p, s)
        };
        if subscriber.partnership_id != p.id {
            return Err(CoreError::NotFound);
        }
        let mut tx = self.store.write().await?;
        if !st::confirm(&mut tx, subscriber.id).await? {
            return Err(CoreError::NotFound);
        }
        audit_log::append(
            &mut tx,
            NewEntry {
                actor_label: "bulletin subscription page".into(),
                action: "confirm_subscription".into(),
                record_type: "bulletin_subscriber".into(),
                record_id: Some(subscriber.id.to_string()),
                partnership_id: Some(p.id.0),
                ip,
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether an unsubscribe link's token stands for a subscription still going.
    pub async fn unsubscribe_pending(&self, slug: &str, token: &str) -> CoreResult<bool> {
        let mut conn = self.store.read().await?;
        let p = assure_store::structure::partnership_by_slug(&mut conn, slug).await?;
        Ok(st::delivery_by_token(&mut conn, &token_hash(token))
            .await
            .is_ok_and(|(.., status, of)| of == p.id && status == SubscriberStatus::Confirmed))
    }

    /// Ends a subscription by a copy's unsubscribe link (from the page, or one click in the mail
    /// client): the address is erased and the unsubscribe counted against that issue. Whether it
    /// was still subscribed (a second press changes nothing). Not found: no such link.
    pub async fn unsubscribe(&self, slug: &str, token: &str, ip: Option<String>) -> CoreResult<bool> {
        let (p, (delivery, subscriber, bulletin, _, of)) = {
            let mut conn = self.store.read().await?;
            let p = assure_store::structure::partnership_by_slug(&mut conn, slug).await?;
            (p, st::delivery_by_token(&mut conn, &token_hash(token)).await?)
        };
        if of != p.id {
            return Err(CoreError::NotFound);
        }
        let mut tx = self.store.write().await?;
        let ended = st::unsubscribe(&mut tx, delivery, subscriber).await?;
        if ended {
            audit_log::append(
                &mut tx,
                NewEntry {
                    actor_label: "bulletin unsubscribe link".into(),
                    action: "unsubscribe".into(),
                    record_type: "bulletin_subscriber".into(),
                    record_id: Some(subscriber.to_string()),
                    partnership_id: Some(p.id.0),
                    ip,
                    detail: json!({"bulletin_id": bulletin}),
                    ..Default::default()
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(ended)
    }

    /// Forgets subscriptions never confirmed within [`CONFIRM_DAYS`] (the hourly work); how many.
    pub async fn forget_unconfirmed_subscriptions(&self) -> CoreResult<u64> {
        let mut tx = self.store.write().await?;
        let forgotten = st::forget_unconfirmed(&mut tx, &Self::confirm_since()).await?;
        tx.commit().await?;
        Ok(forgotten)
    }

    /// A subscriber who confirmed their address, for the demo (which has no e-mail server to
    /// confirm by).
    pub(crate) async fn demo_subscriber(&self, p: PartnershipId, email: &str) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let id = st::ask(&mut tx, p, email, &token_hash(&random_token(32))).await?;
        st::confirm(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }
}
