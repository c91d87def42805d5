//! The JSON API's contract: problem details, field errors, paging, ids, tokens, the OpenAPI
//! document, and a few requests over a real socket.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{Read, Write};

use assure_store::Backend;
use axum::http::{Method, StatusCode, header};
use serde_json::json;
use support::TestApp;

/// What these API tests need: one partnership with a voluntary-sector umbrella body to be a
/// parent, twelve organisations in all, a restricted and an open person, and three accounts.
async fn api_partnership(app: &TestApp) {
    let southend = app.add_partnership("southend", "Southend Safeguarding Partnership").await;
    app.add_organisation(southend, "Southend Association of Voluntary Services", "voluntary_sector", "voluntary").await;
    let mut council = None;
    for n in 1..=11 {
        let id = app.add_organisation(southend, &format!("Agency {n:02}"), "relevant_agency", "other").await;
        council.get_or_insert(id);
    }
    let council = council.unwrap();
    app.add_person(southend, "Toni Baird", council, false).await;
    app.add_person(southend, "Jules Carver", council, true).await;
    for (email, role) in [
        ("business.manager@example.org", "business_unit"),
        ("viewer@example.org", "viewer"),
        ("admin@example.org", "administrator"),
    ] {
        app.add_account(southend, email, role, None, None).await;
    }
}

async fn api_app() -> TestApp {
    let app = TestApp::empty(Backend::Sqlite).await;
    api_partnership(&app).await;
    app
}

async fn create_read_update_and_end_an_organisation(app: &TestApp) {
    let mut c = app.api("business.manager@example.org").await;
    let r = c
        .json(
            Method::POST,
            "/api/v1/organisations",
            json!({"name": "Southend Foodbank (fictional)", "kind": "voluntary_sector", "sector": "voluntary"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created = r.json();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(r.location(), format!("/api/v1/organisations/{id}"));
    assert_eq!(created["kind"], "voluntary_sector");
    let got = c.get(&format!("/api/v1/organisations/{id}")).await.json();
    assert_eq!(got, created);
    let parent = app.org_id("southend", "Southend Association of Voluntary Services").await;
    let updated = c
        .json(Method::PUT, &format!("/api/v1/organisations/{id}"), json!({"name": "Southend Foodbank (fictional)", "kind": "voluntary_sector", "sector": "voluntary", "parent_id": parent}))
        .await
        .json();
    assert_eq!(updated["parent_name"], "Southend Association of Voluntary Services");
    // A field the request does not have is refused by name, and nothing changes.
    let r = c
        .json(
            Method::PUT,
            &format!("/api/v1/organisations/{id}"),
            json!({"name": "Renamed", "kind": "voluntary_sector", "sector": "voluntary", "bogus_field": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["errors"]["bogus_field"][0], "bogus_field is not a field of this request");
    assert_eq!(c.get(&format!("/api/v1/organisations/{id}")).await.json()["name"], "Southend Foodbank (fictional)");
    let ended = c
        .json(Method::POST, &format!("/api/v1/organisations/{id}/end"), json!({"ended_on": "2025-03-31"}))
        .await
        .json();
    assert_eq!(ended["ended_on"], "2025-03-31");
    let actions: Vec<String> = app
        .audit()
        .await
        .iter()
        .filter(|e| e.record_id == Some(id.to_string()) && e.record_type == "organisation")
        .map(|e| e.action.clone())
        .collect();
    assert_eq!(actions, vec!["end", "update", "create"]);
}

async fn invalid_fields_are_a_422_problem_with_every_field_named(app: &TestApp) {
    let mut c = app.api("business.manager@example.org").await;
    let r = c.json(Method::POST, "/api/v1/organisations", json!({"name": "", "kind": "spaceship"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.headers.get(header::CONTENT_TYPE).unwrap(), "application/problem+json");
    let p = r.json();
    assert_eq!(p["status"], 422);
    assert_eq!(p["type"], "/api/v1/problems/invalid");
    assert_eq!(p["errors"]["name"], json!(["Enter the organisation's name"]));
    assert_eq!(p["errors"]["kind"], json!(["Select the kind of organisation from the list"]));
    assert_eq!(p["errors"]["sector"], json!(["Select the sector"]));
    let wrong_type =
        c.json(Method::POST, "/api/v1/organisations", json!({"name": 5, "kind": "other", "sector": "other"})).await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_type.json()["errors"]["name"], json!(["name has the wrong type"]));
    let malformed =
        c.request(Method::POST, "/api/v1/organisations", Some("application/json"), "{\"name\": ".into()).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json()["type"], "/api/v1/problems/bad-request");
    let not_json = c.request(Method::POST, "/api/v1/organisations", Some("text/plain"), "name=x".into()).await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
}

on_both!(
    given api_partnership;
    create_read_update_and_end_an_organisation,
    invalid_fields_are_a_422_problem_with_every_field_named
);

#[tokio::test]
async fn lists_are_paged() {
    let app = api_app().await;
    let mut c = app.api("viewer@example.org").await;
    let first = c.get("/api/v1/organisations?per_page=5").await.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 5);
    assert_eq!(first["total"], 12);
    assert_eq!((first["page"].as_i64(), first["per_page"].as_i64()), (Some(1), Some(5)));
    let last = c.get("/api/v1/organisations?per_page=5&page=3").await.json();
    assert_eq!(last["items"].as_array().unwrap().len(), 2);
    let beyond = c.get("/api/v1/organisations?per_page=5&page=4").await.json();
    assert_eq!(beyond["items"].as_array().unwrap().len(), 0);
    assert_ne!(first["items"][0]["id"], last["items"][0]["id"]);
    let people = c.get("/api/v1/people?per_page=200").await.json();
    assert!(
        people["items"].as_array().unwrap().iter().all(|p| p["restricted"] == false),
        "a viewer never sees restricted people"
    );
    assert_eq!(people["total"].as_i64().unwrap() as usize, people["items"].as_array().unwrap().len());
    assert_eq!(people["total"], 1, "the restricted person is neither listed nor counted");
    app.finish().await;
}

#[tokio::test]
async fn unknown_and_malformed_ids_and_routes_are_404_problems() {
    let app = api_app().await;
    let mut c = app.api("admin@example.org").await;
    for path in [
        "/api/v1/organisations/999999",
        "/api/v1/organisations/abc",
        "/api/v1/organisations/-1",
        "/api/v1/nothing-here",
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.headers.get(header::CONTENT_TYPE).unwrap(), "application/problem+json", "{path}");
    }
    // A bad query string is a problem document that names the parameter, not plain text.
    let r = c.get("/api/v1/plan?page=abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.headers.get(header::CONTENT_TYPE).unwrap(), "application/problem+json");
    assert!(r.json()["detail"].as_str().unwrap().starts_with("the query parameter page is not valid"), "{}", r.body);
    app.finish().await;
}

#[tokio::test]
async fn bad_or_revoked_tokens_are_401() {
    let app = api_app().await;
    let mut c = app.anonymous();
    c.token = Some("assure_not-a-real-token".into());
    let r = c.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers.get(header::WWW_AUTHENTICATE).unwrap(), "Bearer");
    // A session cookie is not an API credential.
    let mut page = app.sign_in("admin@example.org").await;
    assert_eq!(page.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    app.finish().await;
}

/// Every list answers in the one envelope (`items`, `total`, `page`, `per_page`) and honours
/// `per_page`: no read answers a bare array.
#[tokio::test]
async fn every_list_is_one_envelope() {
    let doc = serde_json::to_value(assure_web::openapi()).unwrap();
    let mut bare = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                let schema = &response["content"]["application/json"]["schema"];
                if method == "get" && status.starts_with('2') && schema["type"] == "array" {
                    bare.push(format!("{method} {path}"));
                }
            }
        }
    }
    assert!(bare.is_empty(), "bare arrays: {bare:?}");
    // The demo, whose lists each have more than one item, as the business manager who sees them.
    let app = TestApp::new(Backend::Sqlite).await;
    let mut c = app.api("business.manager@example.org").await;
    for path in
        ["/api/v1/indicators", "/api/v1/frameworks", "/api/v1/reviews", "/api/v1/deadlines", "/api/v1/campaigns"]
    {
        let all = c.get(path).await.json();
        assert!(
            all["items"].is_array() && all["total"].is_i64() && all["page"] == 1 && all["per_page"] == 50,
            "{path}"
        );
        let one = c.get(&format!("{path}?per_page=1&page=2")).await.json();
        assert_eq!((one["page"].as_i64(), one["per_page"].as_i64()), (Some(2), Some(1)), "{path}");
        assert!(all["total"].as_i64().unwrap() >= 2, "{path} has a second page to check");
        assert_eq!(one["items"].as_array().unwrap().len(), 1, "{path}");
        assert_eq!(one["items"][0], all["items"][1], "{path}: the second page of one is the second item");
    }
    app.finish().await;
}

/// Two integrators change one record: each sends the version it read (the GET's `ETag`) in
/// `If-Match`; the second, whose version is stale, gets 412 and nothing changes. Without
/// `If-Match` a change applies to the record as it is.
#[tokio::test]
async fn a_change_to_a_record_changed_since_it_was_read_is_412() {
    let app = api_app().await;
    let id = app.org_id("southend", "Agency 01").await;
    let path = format!("/api/v1/organisations/{id}");
    let mut first = app.api("business.manager@example.org").await;
    let mut second = app.api("business.manager@example.org").await;
    let read = first.get(&path).await;
    let version = read.headers[axum::http::header::ETAG].to_str().unwrap().to_owned();
    assert!(version.starts_with('"') && !version.starts_with("W/"), "a record's version is a strong tag: {version}");
    assert_eq!(second.get(&path).await.headers[axum::http::header::ETAG], version.as_str(), "the same version");
    let body = |name: &str| json!({"name": name, "kind": "relevant_agency", "sector": "other"});
    first.if_match = Some(version.clone());
    let r = first.json(Method::PUT, &path, body("Agency 01 (first)")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let new_version = r.headers[axum::http::header::ETAG].to_str().unwrap().to_owned();
    assert_ne!(new_version, version);
    second.if_match = Some(version.clone());
    let stale = second.json(Method::PUT, &path, body("Agency 01 (second)")).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.body);
    assert_eq!(stale.headers[axum::http::header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(stale.json()["title"], "The record changed since you read it");
    second.if_match = None;
    assert_eq!(second.get(&path).await.json()["name"], "Agency 01 (first)", "the stale change changed nothing");
    // Read again, the second change goes in.
    second.if_match = Some(new_version);
    assert_eq!(second.json(Method::PUT, &path, body("Agency 01")).await.status, StatusCode::OK);
    // The same for the other records a PUT replaces.
    let mut c = app.api("business.manager@example.org").await;
    let made =
        c.json(Method::POST, "/api/v1/bodies", json!({"name": "Board", "kind": "board", "cadence": "quarterly"})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let body_path = made.location();
    let read = c.get(&body_path).await;
    let mut sent = read.json();
    for generated in ["id", "partnership_id", "ended_on", "parent_name", "created_at", "updated_at"] {
        sent.as_object_mut().unwrap().remove(generated);
    }
    c.if_match = Some("\"not-its-version\"".into());
    let r = c.json(Method::PUT, &body_path, sent.clone()).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
    c.if_match = Some(read.headers[axum::http::header::ETAG].to_str().unwrap().to_owned());
    let r = c.json(Method::PUT, &body_path, sent).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // A theme: read, renamed by someone else, then renamed with the stale version.
    c.if_match = None;
    let made = c.json(Method::POST, "/api/v1/themes", json!({"name": "Fathers"})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let theme = made.location();
    let stale = c.get(&theme).await.headers[axum::http::header::ETAG].to_str().unwrap().to_owned();
    assert_eq!(c.json(Method::PUT, &theme, json!({"name": "Fathers and male carers"})).await.status, StatusCode::OK);
    c.if_match = Some(stale);
    assert_eq!(c.json(Method::PUT, &theme, json!({"name": "Dads"})).await.status, StatusCode::PRECONDITION_FAILED);
    c.if_match = None;
    assert_eq!(c.get(&theme).await.json()["name"], "Fathers and male carers");
    app.finish().await;
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_served() {
    let app = api_app().await;
    let r = app.anonymous().get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(doc, serde_json::to_value(assure_web::openapi()).unwrap());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["OrganisationOut"].is_object());
    // Every error is declared as the problem the server sends, and every operation declares
    // the errors any request may meet (schemathesis checks the rest in scripts/test).
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            for status in ["400", "401", "404", "500", "503"] {
                assert!(responses.contains_key(status), "{method} {path} does not declare {status}");
            }
            for (status, response) in responses.iter().filter(|(s, _)| s.as_str() >= "400") {
                let content = response["content"].as_object().unwrap();
                assert_eq!(
                    content.keys().collect::<Vec<_>>(),
                    ["application/problem+json"],
                    "{method} {path} {status}"
                );
            }
        }
    }
    assert!(doc["components"]["schemas"]["AssessmentOut"].is_object(), "a return is not a data return");
    app.finish().await;
}

/// The committed `docs/openapi.json` is the API's contract as reviewers see it: any change to
/// the API shows up as a diff of that file. `ASSURE_UPDATE_SNAPSHOTS=1` rewrites it.
#[test]
fn the_committed_openapi_document_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let current = assure_web::openapi().to_pretty_json().unwrap() + "\n";
    if std::env::var("ASSURE_UPDATE_SNAPSHOTS").as_deref() == Ok("1") {
        std::fs::write(path, &current).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == current,
        "docs/openapi.json is out of date: run the tests with ASSURE_UPDATE_SNAPSHOTS=1 and commit it"
    );
}

/// One HTTP/1.1 request over a real TCP socket.
fn http(addr: std::net::SocketAddr, request: &str) -> (u16, String, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.to_owned(), body.to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn over_a_real_socket_health_metrics_and_client_addresses_work() {
    let app = TestApp::new(Backend::Sqlite).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(assure_web::serve(listener, app.state.clone(), async move {
        let _ = stopped.await;
    }));
    let get = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let (status, head, body) = tokio::task::spawn_blocking(move || http(addr, &get("/healthz"))).await.unwrap();
    assert_eq!((status, body.as_str()), (200, "ok"));
    assert!(head.to_lowercase().contains("x-request-id:"));
    let (status, _, _) = tokio::task::spawn_blocking(move || {
        http(addr, "GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    })
    .await
    .unwrap();
    assert_eq!(status, 200);
    // A failed API call records the caller's address in the audit log.
    let (status, _, _) = tokio::task::spawn_blocking(move || {
        http(addr, "POST /sign-in HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nCookie: __Host-assure_sign_in=t\r\nContent-Length: 53\r\n\r\ncsrf_token=t&email=viewer%40example.org&password=nope")
    })
    .await
    .unwrap();
    assert_eq!(status, 422);
    let failed = app.audit().await.into_iter().find(|e| e.action == "sign_in_failed").unwrap();
    assert_eq!(failed.ip.as_deref(), Some("127.0.0.1"));
    let (status, _, metrics) = tokio::task::spawn_blocking(move || {
        http(addr, "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    })
    .await
    .unwrap();
    assert_eq!(status, 200);
    assert!(metrics.contains("assure_http_requests_total{status=\"2xx\"} 2"), "{metrics}");
    assert!(metrics.contains("assure_http_requests_total{status=\"4xx\"} 1"), "{metrics}");
    // Graceful shutdown: the server returns once asked to stop.
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    app.finish().await;
}

/// Answers go compressed to a client that accepts it, and carry an ETag: asked again with it, an
/// unchanged answer is 304 with no body; a changed one is the new answer with a new tag.
#[tokio::test]
async fn answers_are_compressed_and_unchanged_ones_are_304() {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;
    let app = api_app().await;
    let token = app.api("business.manager@example.org").await.token.clone().unwrap();
    let get = |encoding: Option<&str>, tag: Option<&str>| {
        let mut req =
            Request::get("/api/v1/organisations?per_page=100").header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some(e) = encoding {
            req = req.header(header::ACCEPT_ENCODING, e);
        }
        if let Some(t) = tag {
            req = req.header(header::IF_NONE_MATCH, t);
        }
        let router = app.router.clone();
        async move {
            let res = router.oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
            let (parts, body) = res.into_parts();
            (parts, axum::body::to_bytes(body, usize::MAX).await.unwrap())
        }
    };
    let (plain, plain_body) = get(None, None).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
    let (gz, gz_body) = get(Some("gzip"), None).await;
    assert_eq!(gz.headers[header::CONTENT_ENCODING], "gzip");
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz_body[..]).read_to_end(&mut unzipped).unwrap();
    assert_eq!(unzipped, plain_body.to_vec(), "the same answer, compressed");
    assert!(gz_body.len() < plain_body.len());
    let (br, _) = get(Some("br;q=1.0, gzip;q=0.5"), None).await;
    assert_eq!(br.headers[header::CONTENT_ENCODING], "br");

    let tag = plain.headers[header::ETAG].to_str().unwrap().to_owned();
    assert_eq!(gz.headers[header::ETAG].to_str().unwrap(), tag, "one tag for every encoding");
    let (again, body) = get(None, Some(&tag)).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    let mut c = app.api("business.manager@example.org").await;
    let r = c
        .json(
            Method::POST,
            "/api/v1/organisations",
            json!({"name": "Agency 12", "kind": "relevant_agency", "sector": "other"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let (changed, _) = get(None, Some(&tag)).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_ne!(changed.headers[header::ETAG].to_str().unwrap(), tag);
    app.finish().await;
}

/// Assets carry an ETag and answer 304 to a browser that already holds them; a page goes
/// compressed when the browser accepts it.
#[tokio::test]
async fn assets_answer_304_when_unchanged_and_pages_go_compressed() {
    use axum::body::Body;
    use axum::http::Request;
    let app = api_app().await;
    let first = app.send(Request::get("/assets/assure.css").body(Body::empty()).unwrap()).await;
    assert_eq!(first.status, StatusCode::OK);
    let tag = first.headers[header::ETAG].to_str().unwrap().to_owned();
    let again = app
        .send(Request::get("/assets/assure.css").header(header::IF_NONE_MATCH, &tag).body(Body::empty()).unwrap())
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let page =
        app.send(Request::get("/sign-in").header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CONTENT_ENCODING], "gzip");
    app.finish().await;
}
