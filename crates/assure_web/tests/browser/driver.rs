//! Driving Chromium: ChromeDriver started for the run, a browser with its own profile, Assure
//! served on loopback, signing in, filling forms, and axe-core's checks with the sideways-scroll
//! check at 320 px.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use assure_web::{AppState, WebConfig};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::support::{PASSWORD, TestApp};

pub(crate) struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the suite with scripts/test, which installs Chromium and ChromeDriver")
    })
}

/// Starts ChromeDriver on a free port and waits for it to say it is ready (no polling, no sleeps).
pub(crate) fn start_driver() -> Driver {
    // Its log goes to a file, so that a driver that stops at once says why.
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env("ASSURE_TEST_CHROMEDRIVER"))
        .arg("--port=0")
        .arg(format!("--log-path={}", log.path().display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let port = loop {
        let Some(line) = lines.next() else {
            let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
            let said = std::fs::read_to_string(log.path()).unwrap_or_default();
            panic!("chromedriver stopped before it was ready ({status}): {said}");
        };
        let line = line.unwrap();
        if let Some(rest) = line.split("started successfully on port ").nth(1) {
            break rest.trim_end_matches('.').trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Driver { child, url: format!("http://127.0.0.1:{port}") }
}

pub(crate) async fn browser(driver: &Driver, profile: &std::path::Path) -> Client {
    // The WebDriver client is TLS-capable; the test build links two rustls crypto providers, so
    // the process's one is chosen explicitly (an error only means it is already installed).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let caps = json!({
        "goog:chromeOptions": {
            "binary": env("ASSURE_TEST_CHROMIUM"),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let serde_json::Value::Object(caps) = caps else { unreachable!() };
    ClientBuilder::rustls().unwrap().capabilities(caps).connect(&driver.url).await.expect("a Chromium session")
}

/// Serves the demo on a real socket on loopback.
pub(crate) async fn serve(app: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // Plain HTTP on loopback: the browser would not send Secure cookies back over it.
    let state = AppState::new(app.core.clone(), WebConfig { secure_cookies: false, ..WebConfig::default() });
    tokio::spawn(assure_web::serve(listener, state, std::future::pending()));
    base
}

pub(crate) async fn sign_in(c: &Client, base: &str, email: &str) {
    c.goto(&format!("{base}/sign-in")).await.unwrap();
    c.find(Locator::Id("email")).await.unwrap().send_keys(email).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    // Wait for the navigation to land on the home page before reading it: an element found
    // while the redirect is still settling can go stale.
    c.wait().for_url(url::Url::parse(&format!("{base}/")).unwrap()).await.unwrap();
    let heading = c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert_eq!(heading, "Southend Safeguarding Partnership", "signed in to the home page");
}

/// Submits the page's main form. The next page is awaited by the caller's `wait().for_element`,
/// which WebDriver answers as soon as that element exists.
pub(crate) async fn submit(c: &Client) {
    c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
}

pub(crate) async fn select(c: &Client, id: &str, value: &str) {
    c.find(Locator::Css(&format!("#{id} option[value='{value}']"))).await.unwrap().click().await.unwrap();
}

/// Types a date into a GOV.UK date input, as a person does: day, month and year in their boxes.
pub(crate) async fn type_date(c: &Client, id: &str, iso: &str) {
    let d = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap();
    use chrono::Datelike as _;
    for (box_id, value) in [
        (id.to_owned(), d.day().to_string()),
        (format!("{id}-month"), d.month().to_string()),
        (format!("{id}-year"), d.year().to_string()),
    ] {
        let input = c.find(Locator::Id(&box_id)).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys(&value).await.unwrap();
    }
}

pub(crate) const AXE: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../node_modules/axe-core/axe.min.js"));

/// Checks the current page at desktop width and again at 320 CSS pixels (WCAG 1.4.10, reflow):
/// axe-core at both, and at 320 px the page as a whole must not scroll sideways (a wide table
/// scrolls inside its own container). Returns what is wrong, each narrow finding marked so.
pub(crate) async fn axe(c: &Client) -> Vec<String> {
    let mut found = axe_rules(c).await;
    c.set_window_size(320, 900).await.unwrap();
    let width: u64 = serde_json::from_value(c.execute("return window.innerWidth", vec![]).await.unwrap()).unwrap();
    assert_eq!(width, 320, "the browser window narrows to 320 CSS pixels");
    found.extend(axe_rules(c).await.into_iter().map(|v| format!("at 320 px: {v}")));
    if let Some(wide) = sideways(c).await {
        found.push(format!("at 320 px the page scrolls sideways: {wide}"));
    }
    c.set_window_size(1280, 1000).await.unwrap();
    found
}

/// Runs axe-core's WCAG 2.x A and AA rules (with WCAG 2.2's target size, which axe leaves off
/// unless asked) on the current page; returns the violations.
pub(crate) async fn axe_rules(c: &Client) -> Vec<String> {
    c.execute(AXE, vec![]).await.unwrap();
    let result = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
                                   rules: { 'target-size': { enabled: true } } })
                  .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' [' + v.nodes.map(n => n.target.join(' ')).join(', ') + ']')))
                  .catch(e => done(['axe failed: ' + e]));"#,
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(result).unwrap()
}

/// If the page is wider than the window, how wide, and the widest elements that stick out
/// (those not inside a container that scrolls them).
pub(crate) async fn sideways(c: &Client) -> Option<String> {
    let found = c
        .execute(
            r#"const root = document.documentElement;
               if (root.scrollWidth <= root.clientWidth) return null;
               const scrolls = el => { const o = getComputedStyle(el).overflowX; return o === 'auto' || o === 'scroll'; };
               const inScroller = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(p)) return true; return false; };
               const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '');
               // The innermost elements that stick out: none of their children does.
               const out_ = el => el.getBoundingClientRect().right > root.clientWidth + 1;
               const out = [...document.body.querySelectorAll('*')]
                 .filter(el => out_(el) && !inScroller(el) && ![...el.children].some(out_))
                 .slice(0, 3).map(el => name(el) + ' in ' + name(el.parentElement));
               // Or content wider than the element that holds it (a long word, a fixed-width control).
               if (out.length === 0) out.push(...[...document.body.querySelectorAll('*')]
                 .filter(el => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && !scrolls(el) && !inScroller(el)
                   && ![...el.children].some(c => c.scrollWidth > c.clientWidth + 1 && c.clientWidth > 0))
                 .slice(0, 3).map(el => name(el) + ' holds content ' + el.scrollWidth + ' px wide'));
               return root.scrollWidth + ' px wide: ' + out.join(', ');"#,
            vec![],
        )
        .await
        .unwrap();
    found.as_str().map(str::to_owned)
}
