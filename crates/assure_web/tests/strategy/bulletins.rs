//! Bulletins end to end through a real SMTP server, on both stores: composed by the business unit
//! (every bad input named, nothing saved), published (numbered, on the public archive, then
//! fixed), subscribed to on the public page with double opt-in (a link's GET confirms nothing),
//! sent once with each copy's own unsubscribe link and the List-Unsubscribe headers, a click
//! counted through the bulletin's own redirect, and a one-click unsubscribe from the mail client
//! (no cookie, no form token) that erases the address and counts against the issue.

use axum::http::{Method, StatusCode};

use super::*;
use support::smtp::{Inbox, smtp_sink, unfold};

async fn app_with_mail(backend: assure_store::Backend) -> (TestApp, Inbox) {
    let (url, inbox) = smtp_sink().await;
    let mailer = assure_core::mail::Mailer::new(&url, "Assure <assure@example.org>").unwrap();
    let settings = assure_core::Settings {
        mailer: Some(std::sync::Arc::new(mailer)),
        public_url: "https://assure.example.org".into(),
        ..assure_core::Settings::default()
    };
    let app = TestApp::with_demo_and_settings(backend, &[assure_core::demo::DemoPart::Bulletins], settings).await;
    (app, inbox)
}

/// Every message to `to`, as its reader sees it (headers unfolded).
fn mail_to(inbox: &Inbox, to: &str) -> Vec<String> {
    inbox
        .lock()
        .unwrap()
        .iter()
        .filter(|(rcpt, _)| rcpt.iter().any(|r| r.contains(to)))
        .map(|(_, m)| unfold(m).replace("\n ", " ").replace("\n\t", " "))
        .collect()
}

/// The first address after `prefix` in a message, up to the end of its line or a `>`.
fn link_after(message: &str, prefix: &str) -> String {
    let start = message.find(prefix).unwrap_or_else(|| panic!("no {prefix} in {message}"));
    let rest = &message[start + prefix.len()..];
    let end = rest.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(rest.len());
    format!("{}{}", prefix.trim_start_matches("List-Unsubscribe: <"), &rest[..end])
}

fn path_of(url: &str) -> String {
    url.strip_prefix("https://assure.example.org").unwrap_or_else(|| panic!("not ours: {url}")).to_owned()
}

async fn a_bulletin_is_composed_published_subscribed_to_sent_clicked_and_unsubscribed(backend: assure_store::Backend) {
    let (app, inbox) = app_with_mail(backend).await;
    let mut bu = app.sign_in("business.manager@example.org").await;
    let list = bu.get("/bulletins").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.texts("#confirmed"), vec!["3"], "the demo's subscribers");
    assert_eq!(list.texts("#bulletins tbody tr").len(), 2, "the demo's two");

    // Composing: each fault named, nothing saved.
    let before = app.row_counts().await;
    let r = bu.post("/bulletins", &[("title", "")]).await;
    assert_eq!(r.error_summary(), vec!["Enter the title"]);
    assert_eq!(app.row_counts().await, before);
    let r = bu.post("/bulletins", &[("title", "Summer bulletin"), ("introduction", "What is new this summer.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.location().split('?').next().unwrap().to_owned();
    let id: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
    let before = app.row_counts().await;
    let r = bu.post(&format!("{url}/items"), &[("link", "http://insecure.example")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.error_summary();
    for message in ["Select what kind of item it is", "Enter the item's title"] {
        assert!(errors.contains(&message.to_owned()), "{message}: {errors:?}");
    }
    assert!(errors.iter().any(|e| e.starts_with("Enter an address starting https://")), "{errors:?}");
    assert_eq!(app.row_counts().await, before, "nothing saved");
    // Publishing needs an item.
    let r = bu.post(&format!("{url}/publish"), &[]).await;
    assert_eq!(r.error_summary(), vec!["Add at least one item before publishing"]);
    for fields in [
        [
            ("kind", "briefing"),
            ("title", "Child T: the 7-minute briefing"),
            ("body", "Seven minutes on what we learned."),
            ("link", "https://www.example.org/child-t"),
        ],
        [("kind", "link"), ("title", "Working Together 2023"), ("body", ""), ("link", "https://www.gov.uk/wt")],
    ] {
        let r = bu.post(&format!("{url}/items"), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = bu.get(&url).await;
    let items = page.attrs(".assure-bulletin-item h3", "id");
    assert_eq!(items.len(), 2);
    let second = items[1].trim_start_matches("item-").to_owned();
    assert_eq!(bu.post(&format!("{url}/items/{second}/up"), &[]).await.status, StatusCode::SEE_OTHER);
    let titles = bu.get(&url).await.texts(".assure-bulletin-item h3");
    assert_eq!(titles, vec!["Working Together 2023", "Child T: the 7-minute briefing"], "moved up");
    let r = bu.post(&format!("{url}/publish"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&url).await;
    assert_eq!(page.attr("#public-link", "href"), "/public/southend/bulletins/2", "numbered after the demo's first");
    // Published, it is fixed.
    let r = bu.post(&url, &[("title", "Changed")]).await;
    assert_eq!(r.error_summary(), vec!["A published bulletin is not changed: start a new one"]);
    assert_eq!(bu.post(&format!("{url}/publish"), &[]).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The public reads the archive and the issue; drafts and other partnerships' are not there.
    let mut anyone = app.anonymous();
    let archive = anyone.get("/public/southend/bulletins").await;
    assert_eq!(archive.status, StatusCode::OK);
    assert_eq!(archive.texts("#archive li").len(), 2, "{:?}", archive.texts("#archive li"));
    assert!(!archive.body.contains("Spring bulletin"), "the demo's draft is not public");
    let issue = anyone.get("/public/southend/bulletins/2").await;
    assert_eq!(issue.texts("h1"), vec!["Summer bulletin"]);
    assert_eq!(issue.texts("h2").len(), 2);
    assert_eq!(anyone.get("/public/southend/bulletins/3").await.status, StatusCode::NOT_FOUND);
    assert_eq!(anyone.get("/public/essex/bulletins/1").await.status, StatusCode::NOT_FOUND);
    assert_eq!(anyone.get("/public/nowhere/bulletins").await.status, StatusCode::NOT_FOUND);

    // Subscribing: the address is checked, a script refused, nothing kept for either.
    let page = anyone.get("/public/southend/bulletins/subscribe").await;
    anyone.csrf = page.attr("input[name=csrf_token]", "value");
    let before = app.row_counts().await;
    let r = anyone.post("/public/southend/bulletins/subscribe", &[("email", "not an address")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Enter an email address in the correct format, like name@example.org"]);
    let r = anyone
        .post(
            "/public/southend/bulletins/subscribe",
            &[("email", "bot@example.org"), ("website", "https://spam.example")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a script's subscription");
    assert_eq!(app.row_counts().await, before, "nothing kept");
    let r = anyone.post("/public/southend/bulletins/subscribe", &[("email", "Pat.Kay@Example.org")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.texts("#asked"), vec!["Check your email"]);
    let mail = mail_to(&inbox, "pat.kay@example.org");
    assert_eq!(mail.len(), 1, "one confirmation");
    assert!(mail[0].contains("Subject: Confirm your subscription to Southend Safeguarding Partnership's bulletin"));
    let confirm = path_of(&link_after(&mail[0], "https://assure.example.org/public/southend/bulletins/confirm/"));
    // A mail scanner fetching the link confirms nothing.
    let mut scanner = app.anonymous();
    assert_eq!(scanner.get(&confirm).await.texts("button"), vec!["Confirm my subscription"]);
    assert_eq!(bu.get("/bulletins").await.texts("#pending"), vec!["1"]);
    let page = anyone.get(&confirm).await;
    anyone.csrf = page.attr("input[name=csrf_token]", "value");
    let r = anyone.post(&confirm, &[]).await;
    assert_eq!(r.texts("#confirmed h1"), vec!["Subscription confirmed"], "{}", r.body);
    assert_eq!(anyone.post(&confirm, &[]).await.texts("#spent").len(), 1, "a link confirms once");
    assert_eq!(bu.get("/bulletins").await.texts("#confirmed"), vec!["4"]);
    // Asking again for an address already subscribed sends nothing, and says the same.
    let r = anyone.post("/public/southend/bulletins/subscribe", &[("email", "pat.kay@example.org")]).await;
    assert_eq!(r.texts("#asked"), vec!["Check your email"]);
    assert_eq!(mail_to(&inbox, "pat.kay@example.org").len(), 1);

    // Sent once, to every confirmed subscriber, each copy with its own unsubscribe link.
    let r = bu.post(&format!("{url}/send"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.core.send_queued_bulletins().await.unwrap();
    let mut delivered = Vec::new();
    for _ in 0..100 {
        delivered = bu.get(&url).await.texts("#delivered");
        if delivered == vec!["4"] {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(delivered, vec!["4"]);
    assert_eq!(bu.get(&url).await.texts("#recipients"), vec!["4"]);
    let r = bu.post(&format!("{url}/send"), &[]).await;
    assert_eq!(r.error_summary(), vec!["This bulletin has already been sent"]);
    let copies = mail_to(&inbox, "pat.kay@example.org");
    assert_eq!(copies.len(), 2, "the confirmation and one copy");
    let copy = &copies[1];
    assert!(copy.contains("Subject: Southend Safeguarding Partnership: Summer bulletin"), "{copy}");
    assert!(copy.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{copy}");
    let unsubscribe = path_of(&link_after(copy, "List-Unsubscribe: <"));
    assert!(copy.contains(&format!("To stop, unsubscribe: https://assure.example.org{unsubscribe}")), "{copy}");
    let other = mail_to(&inbox, "dee.ford@example.org");
    assert_eq!(other.len(), 1);
    assert!(!other[0].contains(&unsubscribe), "each copy's link is its own");
    assert!(!copy.contains("<img"), "no tracking pixel");

    // A click goes through the bulletin's own redirect, counted per item.
    let go = path_of(&link_after(copy, "https://assure.example.org/public/southend/bulletins/2/go/"));
    let r = anyone.get(&go).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(["https://www.gov.uk/wt", "https://www.example.org/child-t"].contains(&r.location().as_str()));
    assert_eq!(bu.get(&url).await.texts("#clicks"), vec!["1"]);
    assert_eq!(anyone.get("/public/southend/bulletins/2/go/999999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(anyone.get(&go.replace("/2/go/", "/1/go/")).await.status, StatusCode::NOT_FOUND, "another issue's item");

    // One click from the mail client: a POST with no cookie and no form token.
    let mut mail_client = app.anonymous();
    let r = mail_client
        .request(
            Method::POST,
            &unsubscribe,
            Some("application/x-www-form-urlencoded"),
            "List-Unsubscribe=One-Click".into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.texts("#unsubscribed h1"), vec!["You are unsubscribed"]);
    let r = mail_client
        .request(
            Method::POST,
            &unsubscribe,
            Some("application/x-www-form-urlencoded"),
            "List-Unsubscribe=One-Click".into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "a second press changes nothing");
    assert_eq!(mail_client.get(&unsubscribe).await.texts("#spent").len(), 1);
    assert_eq!(bu.get(&url).await.texts("#unsubscribes"), vec!["1"]);
    let list = bu.get("/bulletins").await;
    assert_eq!((list.texts("#confirmed"), list.texts("#unsubscribed")), (vec!["3".to_owned()], vec!["1".to_owned()]));
    {
        use sqlx::Row;
        let mut conn = app.db.store.read().await.unwrap();
        let left: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM bulletin_subscribers WHERE email = 'pat.kay@example.org'")
                .fetch_one(&mut *conn)
                .await
                .unwrap()
                .try_get("n")
                .unwrap();
        assert_eq!(left, 0, "the address is erased");
    }
    assert_eq!(mail_client.get("/public/southend/bulletins/unsubscribe/not-a-token").await.texts("#spent").len(), 1);
    // The address can subscribe again, from the start.
    let r = anyone.post("/public/southend/bulletins/subscribe", &[("email", "pat.kay@example.org")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(mail_to(&inbox, "pat.kay@example.org").len(), 3, "a new confirmation");

    // Everyone in the partnership reads the bulletins; only the business unit composes them.
    let mut viewer = app.sign_in("viewer@example.org").await;
    let theirs = viewer.get("/bulletins").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(theirs.texts("#start").is_empty());
    assert_eq!(viewer.post("/bulletins", &[("title", "Mine")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(viewer.post(&format!("/bulletins/{id}/send"), &[]).await.status, StatusCode::FORBIDDEN);

    let audit = app.audit().await;
    for (action, record) in [
        ("create", "bulletin"),
        ("update", "bulletin"),
        ("publish_bulletin", "bulletin"),
        ("send_bulletin", "bulletin"),
        ("subscribe", "bulletin_subscriber"),
        ("confirm_subscription", "bulletin_subscriber"),
        ("unsubscribe", "bulletin_subscriber"),
    ] {
        assert!(audit.iter().any(|e| e.action == action && e.record_type == record), "{action} {record}");
    }
    assert!(!audit.iter().any(|e| e.detail.to_string().contains("pat.kay")), "no address in the log");
    app.finish().await;
}

#[tokio::test]
async fn a_bulletin_is_composed_published_subscribed_to_sent_clicked_and_unsubscribed_sqlite() {
    a_bulletin_is_composed_published_subscribed_to_sent_clicked_and_unsubscribed(assure_store::Backend::Sqlite).await;
}

#[tokio::test]
async fn a_bulletin_is_composed_published_subscribed_to_sent_clicked_and_unsubscribed_postgres() {
    a_bulletin_is_composed_published_subscribed_to_sent_clicked_and_unsubscribed(assure_store::Backend::Postgres).await;
}

async fn run_sql(app: &TestApp, sql: &str) {
    let mut tx = app.db.store.write().await.unwrap();
    sqlx::query(sql).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// A sending interrupted by a restart (one copy claimed by a sender that stopped, the others
/// still queued) is finished by the hourly work, each copy once; subscriptions never confirmed are
/// forgotten after 7 days.
async fn the_hourly_work_finishes_a_sending_and_forgets_unconfirmed_subscriptions(backend: assure_store::Backend) {
    let (app, inbox) = app_with_mail(backend).await;
    let ctx = app.core.operator().await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let list = app.core.bulletins(&ctx, southend).await.unwrap();
    let published = list.bulletins.iter().find(|b| b.number == Some(1)).unwrap().id;
    assert_eq!(app.core.send_bulletin(&ctx, published).await.unwrap(), 3);
    run_sql(
        &app,
        "UPDATE bulletin_deliveries SET status = 'sending', sent_at = '2000-01-01T00:00:00.000000Z' \
         WHERE id = (SELECT MIN(id) FROM bulletin_deliveries)",
    )
    .await;
    inbox.lock().unwrap().clear();
    let report = app.core.send_reminders().await.unwrap();
    assert_eq!(report.email_failures, 0);
    assert!(report.emails >= 3, "{report:?}");
    let counts = app.core.bulletin(&ctx, published).await.unwrap().bulletin.counts;
    assert_eq!((counts.recipients, counts.delivered, counts.failed), (3, 3, 0));
    let copies: Vec<String> = inbox
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, m)| m.contains("Learning from Safeguarding Adult Review A"))
        .map(|(to, _)| to.join(","))
        .collect();
    assert_eq!(copies.len(), 3, "each copy once: {copies:?}");
    // Nothing left: the next run sends nothing.
    assert_eq!(app.core.send_queued_bulletins().await.unwrap(), assure_core::bulletins::SendReport::default());

    let input = assure_domain::bulletins::SubscribeInput { email: "late@example.org".into(), website: String::new() };
    app.core.subscribe("southend", &input, Some("10.1.2.3".into()), None).await.unwrap();
    assert_eq!(app.core.bulletins(&ctx, southend).await.unwrap().subscribers.pending, 1);
    app.core.send_reminders().await.unwrap();
    assert_eq!(app.core.bulletins(&ctx, southend).await.unwrap().subscribers.pending, 1, "asked today: kept");
    run_sql(&app, "UPDATE bulletin_subscribers SET asked_at = '2000-01-01T00:00:00.000000Z' WHERE status = 'pending'")
        .await;
    app.core.send_reminders().await.unwrap();
    assert_eq!(app.core.bulletins(&ctx, southend).await.unwrap().subscribers.pending, 0, "forgotten after 7 days");
    app.finish().await;
}

#[tokio::test]
async fn the_hourly_work_finishes_a_sending_and_forgets_unconfirmed_subscriptions_sqlite() {
    the_hourly_work_finishes_a_sending_and_forgets_unconfirmed_subscriptions(assure_store::Backend::Sqlite).await;
}

#[tokio::test]
async fn the_hourly_work_finishes_a_sending_and_forgets_unconfirmed_subscriptions_postgres() {
    the_hourly_work_finishes_a_sending_and_forgets_unconfirmed_subscriptions(assure_store::Backend::Postgres).await;
}

async fn without_an_e_mail_server_nobody_subscribes_and_nothing_is_sent(app: &TestApp) {
    let mut anyone = app.anonymous();
    let page = anyone.get("/public/southend/bulletins/subscribe").await;
    assert_eq!(page.texts("#closed").len(), 1, "the page says subscribing is not open");
    // No form there: a script posts with the cookie's token from another public page.
    anyone.csrf = anyone.get("/public/southend/feedback").await.attr("input[name=csrf_token]", "value");
    let r = anyone.post("/public/southend/bulletins/subscribe", &[("email", "pat@example.org")]).await;
    assert_eq!(r.error_summary(), vec!["Subscribing is not open yet: please come back later"]);
    let mut bu = app.sign_in("business.manager@example.org").await;
    let url = bu.get("/bulletins").await.attrs("#bulletins a", "href").last().unwrap().clone();
    let page = bu.get(&url).await;
    assert_eq!(page.texts("#no-mail").len(), 1, "{}", page.body);
    let r = bu.post(&format!("{url}/send"), &[]).await;
    assert!(r.error_summary()[0].starts_with("Sending needs an e-mail server"), "{:?}", r.error_summary());
}

async fn an_address_that_asks_too_often_is_slowed_down(app: &TestApp) {
    let mut anyone = app.anonymous();
    anyone.csrf = anyone.get("/public/southend/feedback").await.attr("input[name=csrf_token]", "value");
    // Every well-formed request counts, taken or not (here subscribing is not open).
    for _ in 0..assure_core::voice::FEEDBACK_PER_ADDRESS {
        let r = anyone.post("/public/southend/bulletins/subscribe", &[("email", "pat@example.org")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = anyone.post("/public/southend/bulletins/subscribe", &[("email", "pat@example.org")]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.headers.get("retry-after").is_some());
}

async fn the_api_composes_reads_and_publishes_bulletins(app: &TestApp) {
    let mut api = app.api("business.manager@example.org").await;
    let r = api.request(Method::GET, "/api/v1/bulletins?partnership=southend", None, String::new()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 2);
    let r = api.request(Method::GET, "/api/v1/bulletin-subscribers?partnership=southend", None, String::new()).await;
    assert_eq!(r.json()["confirmed"], 3);
    let bad = serde_json::json!({"title": "Autumn", "items": [{"kind": "news", "title": "", "body": "x"}]});
    let r = api.json(Method::POST, "/api/v1/bulletins?partnership=southend", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("items[0].title"), "{}", r.body);
    let good = serde_json::json!({"title": "Autumn", "introduction": "Hello",
        "items": [{"kind": "news", "title": "New chair", "body": "We welcome our new independent chair."}]});
    let r = api.json(Method::POST, "/api/v1/bulletins?partnership=southend", good).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let r = api.request(Method::POST, &format!("/api/v1/bulletins/{id}/publish"), None, String::new()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["number"], 2);
    let r = api.request(Method::GET, &format!("/api/v1/bulletins/{id}"), None, String::new()).await;
    assert_eq!(r.json()["status"], "published");
    assert_eq!(r.json()["items"][0]["title"], "New chair");
    assert_eq!(r.json()["counts"]["recipients"], 0);
    // Hostile words are kept as text and shown escaped; too long, or with control characters, refused.
    let hostile = serde_json::json!({"title": "<script>alert(1)</script>",
        "items": [{"kind": "link", "title": "<img src=x onerror=alert(1)>", "link": "javascript:alert(1)"}]});
    let r = api.json(Method::POST, "/api/v1/bulletins?partnership=southend", hostile).await;
    assert!(r.body.contains("items[0].link"), "{}", r.body);
    let long = "x".repeat(assure_domain::bulletins::MAX_TITLE_CHARS + 1);
    let r = api.json(Method::POST, "/api/v1/bulletins?partnership=southend", serde_json::json!({"title": long})).await;
    assert!(r.body.contains("The title must be 150 characters or fewer"), "{}", r.body);
    let r =
        api.json(Method::POST, "/api/v1/bulletins?partnership=southend", serde_json::json!({"title": "a\u{7}b"})).await;
    assert!(r.body.contains("Remove control characters from the title"), "{}", r.body);
    let script = serde_json::json!({"title": "<script>alert(1)</script>",
        "items": [{"kind": "news", "title": "<img src=x onerror=alert(1)>", "body": "</p><script>x</script>"}]});
    let r = api.json(Method::POST, "/api/v1/bulletins?partnership=southend", script).await;
    let script_id = r.json()["id"].as_i64().unwrap();
    let r = api.request(Method::POST, &format!("/api/v1/bulletins/{script_id}/publish"), None, String::new()).await;
    let page = app.anonymous().get(&format!("/public/southend/bulletins/{}", r.json()["number"])).await;
    assert!(!page.body.contains("<script>") && !page.body.contains("<img src=x"), "escaped");
    assert!(page.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{}", page.body);
    let mut viewer = app.api("viewer@example.org").await;
    let r = viewer.request(Method::GET, &format!("/api/v1/bulletins/{id}"), None, String::new()).await;
    assert_eq!(r.status, StatusCode::OK);
    let r =
        viewer.json(Method::POST, "/api/v1/bulletins?partnership=southend", serde_json::json!({"title": "x"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

crate::on_both!(demo [Bulletins]; without_an_e_mail_server_nobody_subscribes_and_nothing_is_sent, an_address_that_asks_too_often_is_slowed_down, the_api_composes_reads_and_publishes_bulletins);
