//! The repository contract: every test here runs once on SQLite and once on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assure_domain::authz::{Grant, Role, Scope};
use assure_domain::structure::*;
use assure_domain::*;
use assure_store::structure::{self as st, Page};
use assure_store::{Backend, StoreError, accounts, audit_log, backup};
use assure_testing::TestDb;
use serde_json::json;

macro_rules! contract {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let db = assure_testing::TestDb::new(assure_store::Backend::Sqlite).await;
                super::$name(&db).await;
                db.finish().await;
            }
            #[tokio::test]
            async fn postgres() {
                let db = assure_testing::TestDb::new(assure_store::Backend::Postgres).await;
                super::$name(&db).await;
                db.finish().await;
            }
        }
    )*};
}

contract!(
    organisations_round_trip_and_names_are_unique_per_partnership,
    people_and_restricted_flag_round_trip,
    bodies_terms_and_memberships_round_trip,
    a_rolled_back_write_leaves_nothing,
    grants_sessions_and_tokens_round_trip,
    audit_chain_verifies_and_detects_tampering,
    audit_chain_detects_a_deleted_entry,
    audit_log_refuses_updates_and_deletes,
    audit_list_filters,
    backup_restores_every_table_exactly,
    backup_table_list_matches_live_schema,
    records_made_before_names_name_their_makers_after_the_migration,
);

async fn partnership(db: &TestDb, slug: &str) -> PartnershipId {
    let mut tx = db.store.write().await.unwrap();
    let id = st::create_partnership(&mut tx, slug, &format!("{slug} partnership"), &[(ArmKind::Children, "Children")])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

fn org(name: &str) -> NewOrganisation {
    NewOrganisation {
        name: name.into(),
        kind: OrganisationKind::StatutoryPartner,
        sector: Sector::Police,
        parent_id: None,
    }
}

async fn organisations_round_trip_and_names_are_unique_per_partnership(db: &TestDb) {
    let p = partnership(db, "southend").await;
    let q = partnership(db, "essex").await;
    let mut tx = db.store.write().await.unwrap();
    let police = st::insert_organisation(&mut tx, p, &org("Essex Police")).await.unwrap();
    st::insert_organisation(&mut tx, q, &org("Essex Police")).await.unwrap();
    let mut child = org("Essex Police Child Abuse Investigation Team");
    child.parent_id = Some(police);
    let cait = st::insert_organisation(&mut tx, p, &child).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = db.store.write().await.unwrap();
    let duplicate = st::insert_organisation(&mut tx, p, &org("Essex Police")).await.unwrap_err();
    assert!(duplicate.is_unique_violation(), "{duplicate:?}");
    drop(tx);

    let mut conn = db.store.read().await.unwrap();
    let got = st::organisation(&mut conn, cait).await.unwrap();
    assert_eq!(got.parent_id, Some(police));
    assert_eq!(got.parent_name.as_deref(), Some("Essex Police"));
    assert_eq!(got.sector, Sector::Police);
    let (list, total) = st::organisations(&mut conn, p, false, Page { limit: 1, offset: 0 }).await.unwrap();
    assert_eq!(total, 2);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "Essex Police");
    assert!(st::parent_would_cycle(&mut conn, st::Hierarchy::Organisations, police.0, cait.0).await.unwrap());
    assert!(!st::parent_would_cycle(&mut conn, st::Hierarchy::Organisations, cait.0, police.0).await.unwrap());
    drop(conn);

    let mut tx = db.store.write().await.unwrap();
    st::set_ended(&mut tx, st::EndableTable::Organisations, cait.0, Some("2024-03-31".parse().unwrap())).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = db.store.read().await.unwrap();
    assert_eq!(st::organisations(&mut conn, p, false, Page::ALL).await.unwrap().1, 1);
    assert_eq!(st::organisations(&mut conn, p, true, Page::ALL).await.unwrap().1, 2);
    assert!(matches!(st::organisation(&mut conn, OrganisationId(9999)).await, Err(StoreError::NotFound)));
}

async fn people_and_restricted_flag_round_trip(db: &TestDb) {
    let p = partnership(db, "southend").await;
    let mut tx = db.store.write().await.unwrap();
    let o = st::insert_organisation(&mut tx, p, &org("Essex Police")).await.unwrap();
    let new = NewPerson {
        name: "Sam Reviewer".into(),
        job_title: Some("Independent reviewer".into()),
        email: Some("sam@example.org".into()),
        organisation_id: Some(o),
        restricted: true,
    };
    let id = st::insert_person(&mut tx, p, &new).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = db.store.read().await.unwrap();
    let got = st::person(&mut conn, id).await.unwrap();
    assert!(got.restricted);
    assert_eq!(got.organisation_name.as_deref(), Some("Essex Police"));
    drop(conn);
    let mut tx = db.store.write().await.unwrap();
    st::update_person(&mut tx, id, &NewPerson { restricted: false, email: None, ..new }).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = db.store.read().await.unwrap();
    let got = st::person(&mut conn, id).await.unwrap();
    assert!(!got.restricted);
    assert_eq!(got.email, None);
}

async fn bodies_terms_and_memberships_round_trip(db: &TestDb) {
    let p = partnership(db, "southend").await;
    let mut tx = db.store.write().await.unwrap();
    let board = NewBody {
        name: "SSPC Board".into(),
        kind: BodyKind::Board,
        arm: Some(ArmKind::Children),
        parent_id: None,
        purpose: None,
        cadence: Cadence::Quarterly,
        restricted: false,
    };
    let board_id = st::insert_body(&mut tx, p, &board).await.unwrap();
    let sub = st::insert_body(
        &mut tx,
        p,
        &NewBody {
            name: "Child Practice Review".into(),
            kind: BodyKind::Subgroup,
            parent_id: Some(board_id),
            restricted: true,
            ..board.clone()
        },
    )
    .await
    .unwrap();
    let terms = NewTerms { text: "Purpose: …".into(), effective_from: "2022-04-01".parse().unwrap() };
    assert_eq!(st::insert_terms(&mut tx, sub, &terms, None).await.unwrap().1, 1);
    assert_eq!(st::insert_terms(&mut tx, sub, &terms, None).await.unwrap().1, 2);
    let person = st::insert_person(
        &mut tx,
        p,
        &NewPerson {
            name: "Alex Chair".into(),
            job_title: None,
            email: None,
            organisation_id: None,
            restricted: false,
        },
    )
    .await
    .unwrap();
    let member = NewMembership {
        person_id: person,
        organisation_id: None,
        role: MembershipRole::Chair,
        from_date: "2022-04-01".parse().unwrap(),
        to_date: None,
    };
    let m = st::insert_membership(&mut tx, sub, &member).await.unwrap();
    tx.commit().await.unwrap();

    let mut conn = db.store.read().await.unwrap();
    let got = st::body(&mut conn, sub).await.unwrap();
    assert!(got.restricted);
    assert_eq!(got.parent_name.as_deref(), Some("SSPC Board"));
    assert_eq!(st::terms(&mut conn, sub).await.unwrap().iter().map(|t| t.version).collect::<Vec<_>>(), vec![2, 1]);
    let members = st::memberships_of_body(&mut conn, sub).await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].role, MembershipRole::Chair);
    assert_eq!(st::membership(&mut conn, m).await.unwrap().person_name, "Alex Chair");
    assert!(st::parent_would_cycle(&mut conn, st::Hierarchy::Bodies, board_id.0, sub.0).await.unwrap());
    let counts = st::counts(&mut conn, p).await.unwrap();
    assert_eq!((counts.bodies, counts.people, counts.memberships), (2, 1, 1));
}

async fn a_rolled_back_write_leaves_nothing(db: &TestDb) {
    let p = partnership(db, "southend").await;
    {
        let mut tx = db.store.write().await.unwrap();
        st::insert_organisation(&mut tx, p, &org("Probation")).await.unwrap();
        audit_log::append(
            &mut tx,
            audit_log::NewEntry { action: "create".into(), record_type: "organisation".into(), ..Default::default() },
        )
        .await
        .unwrap();
        // dropped without commit
    }
    let mut conn = db.store.read().await.unwrap();
    assert_eq!(st::organisations(&mut conn, p, true, Page::ALL).await.unwrap().1, 0);
    assert_eq!(audit_log::verify(&mut conn).await.unwrap().entries, 0);
}

async fn grants_sessions_and_tokens_round_trip(db: &TestDb) {
    let p = partnership(db, "southend").await;
    let mut tx = db.store.write().await.unwrap();
    let o = st::insert_organisation(&mut tx, p, &org("Essex Police")).await.unwrap();
    let u = accounts::insert_user(&mut tx, "lead@example.org", "Police Lead", "hash").await.unwrap();
    let g =
        accounts::insert_grant(&mut tx, u, Grant { role: Role::AgencyLead, scope: Scope::Organisation(p, o) }, None)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.store.write().await.unwrap();
    let again =
        accounts::insert_grant(&mut tx, u, Grant { role: Role::AgencyLead, scope: Scope::Organisation(p, o) }, None)
            .await
            .unwrap_err();
    assert!(again.is_unique_violation(), "{again:?}");
    drop(tx);

    let mut tx = db.store.write().await.unwrap();
    accounts::insert_grant(&mut tx, u, Grant { role: Role::Viewer, scope: Scope::Partnership(p) }, None).await.unwrap();
    accounts::set_second_factor_required(&mut tx, p, Role::AgencyLead, true).await.unwrap();
    accounts::insert_session(
        &mut tx,
        accounts::NewSession {
            token_hash: "abc",
            user_id: u,
            csrf_token: "csrf",
            partnership_id: Some(p),
            second_factor_pending: true,
            expires_at: "2099-01-01T00:00:00.000000Z",
        },
    )
    .await
    .unwrap();
    accounts::insert_token(&mut tx, u, "tokenhash", "analyst upload").await.unwrap();
    tx.commit().await.unwrap();

    let mut conn = db.store.read().await.unwrap();
    let grants = accounts::grants(&mut conn, u).await.unwrap();
    assert_eq!(grants.len(), 2);
    assert!(grants.iter().any(|r| r.id == g && r.grant().scope == Scope::Organisation(p, o)));
    assert_eq!(grants.iter().find(|r| r.id == g).unwrap().scope_name.as_deref(), Some("Essex Police"));
    assert!(accounts::user_requires_second_factor(&mut conn, u).await.unwrap());
    let session = accounts::session_by_token_hash(&mut conn, "abc").await.unwrap().unwrap();
    assert!(session.second_factor_pending);
    assert_eq!(session.partnership_id, Some(p));
    assert!(accounts::token_by_hash(&mut conn, "tokenhash").await.unwrap().is_some());
    assert_eq!(accounts::users(&mut conn, Some(p)).await.unwrap().len(), 1);
    drop(conn);

    let mut tx = db.store.write().await.unwrap();
    assert_eq!(accounts::revoke_tokens_of_user(&mut tx, u).await.unwrap(), 1);
    assert_eq!(accounts::delete_sessions_of_user(&mut tx, u).await.unwrap(), 1);
    assert_eq!(accounts::record_failed_login(&mut tx, u, 2, "2099-01-01T00:00:00Z").await.unwrap(), 1);
    assert_eq!(accounts::record_failed_login(&mut tx, u, 2, "2099-01-01T00:00:00Z").await.unwrap(), 2);
    tx.commit().await.unwrap();
    let mut conn = db.store.read().await.unwrap();
    assert!(accounts::token_by_hash(&mut conn, "tokenhash").await.unwrap().is_none());
    let user = accounts::user(&mut conn, u).await.unwrap();
    assert_eq!(user.locked_until.as_deref(), Some("2099-01-01T00:00:00Z"));
}

async fn append(db: &TestDb, n: usize) {
    for i in 0..n {
        let mut tx = db.store.write().await.unwrap();
        audit_log::append(
            &mut tx,
            audit_log::NewEntry {
                actor_label: "admin@example.org".into(),
                action: "update".into(),
                record_type: "organisation".into(),
                record_id: Some(i.to_string()),
                detail: json!({"i": i}),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
}

/// Simulates someone with database access: drops the append-only guard, then runs `sql`.
async fn tamper(db: &TestDb, sql: &str) {
    let pool = db.store.pool();
    match db.store.backend() {
        Backend::Sqlite => {
            sqlx::query("DROP TRIGGER IF EXISTS audit_log_no_update").execute(pool).await.unwrap();
            sqlx::query("DROP TRIGGER IF EXISTS audit_log_no_delete").execute(pool).await.unwrap();
        }
        Backend::Postgres => {
            sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change").execute(pool).await.unwrap();
        }
    }
    sqlx::query(sql).execute(pool).await.unwrap();
}

async fn audit_chain_verifies_and_detects_tampering(db: &TestDb) {
    append(db, 5).await;
    let mut conn = db.store.read().await.unwrap();
    let ok = audit_log::verify(&mut conn).await.unwrap();
    assert_eq!(ok.entries, 5);
    assert_eq!(ok.problem, None);
    drop(conn);
    tamper(db, "UPDATE audit_log SET actor_label = 'someone-else@example.org' WHERE seq = 3").await;
    let mut conn = db.store.read().await.unwrap();
    let bad = audit_log::verify(&mut conn).await.unwrap();
    assert_eq!(bad.problem.as_deref(), Some("entry 3 has been altered: its contents do not match its hash"));
}

async fn audit_chain_detects_a_deleted_entry(db: &TestDb) {
    append(db, 4).await;
    tamper(db, "DELETE FROM audit_log WHERE seq = 4").await;
    let mut conn = db.store.read().await.unwrap();
    let bad = audit_log::verify(&mut conn).await.unwrap();
    assert!(bad.problem.as_deref().unwrap().contains("entries were removed"), "{bad:?}");
    drop(conn);
    tamper(db, "DELETE FROM audit_log WHERE seq = 2").await;
    let mut conn = db.store.read().await.unwrap();
    let bad = audit_log::verify(&mut conn).await.unwrap();
    assert_eq!(bad.problem.as_deref(), Some("entry 2 is missing (next entry is 3)"));
}

async fn audit_log_refuses_updates_and_deletes(db: &TestDb) {
    append(db, 1).await;
    let update = sqlx::query("UPDATE audit_log SET action = 'x'").execute(db.store.pool()).await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_log").execute(db.store.pool()).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

async fn audit_list_filters(db: &TestDb) {
    append(db, 3).await;
    let mut conn = db.store.read().await.unwrap();
    let (all, total) = audit_log::list(&mut conn, &audit_log::Filter { limit: 2, ..Default::default() }).await.unwrap();
    assert_eq!((all.len(), total), (2, 3));
    assert_eq!(all[0].seq, 3, "newest first");
    let (one, total) =
        audit_log::list(&mut conn, &audit_log::Filter { record_id: Some("1".into()), limit: 50, ..Default::default() })
            .await
            .unwrap();
    assert_eq!((one.len(), total), (1, 1));
    let (none, _) = audit_log::list(
        &mut conn,
        &audit_log::Filter { actor: Some("nobody".into()), limit: 50, ..Default::default() },
    )
    .await
    .unwrap();
    assert!(none.is_empty());
    drop(conn);
    // An account's entries are found by its e-mail or its name, whatever label they were written
    // under; an actor with no account by its label.
    let mut tx = db.store.write().await.unwrap();
    let u = accounts::insert_user(&mut tx, "police.lead@example.org", "Pat Constable", "hash").await.unwrap();
    audit_log::append(
        &mut tx,
        audit_log::NewEntry {
            actor_user_id: Some(u.0),
            actor_label: "an.old.address@example.org".into(),
            action: "update".into(),
            record_type: "organisation".into(),
            detail: json!({}),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut conn = db.store.read().await.unwrap();
    for who in ["police.lead", "CONSTABLE"] {
        let (found, total) =
            audit_log::list(&mut conn, &audit_log::Filter { actor: Some(who.into()), limit: 50, ..Default::default() })
                .await
                .unwrap();
        assert_eq!((found.len(), total, found[0].actor_user_id), (1, 1, Some(u.0)), "{who}");
    }
    let (labelled, _) =
        audit_log::list(&mut conn, &audit_log::Filter { actor: Some("admin".into()), limit: 50, ..Default::default() })
            .await
            .unwrap();
    assert_eq!(labelled.len(), 3);
}

/// A page of the audit log counts matching entries only up to one past the cap.
#[tokio::test]
async fn the_audit_log_counts_up_to_its_cap() {
    let db = TestDb::new(Backend::Sqlite).await;
    let mut tx = db.store.write().await.unwrap();
    for i in 0..=audit_log::COUNT_CAP {
        let entry = audit_log::NewEntry {
            actor_label: "cli".into(),
            action: "read".into(),
            record_type: "review".into(),
            record_id: Some(i.to_string()),
            detail: json!({}),
            ..Default::default()
        };
        audit_log::append(&mut tx, entry).await.unwrap();
    }
    let entry = audit_log::NewEntry {
        actor_label: "cli".into(),
        action: "read".into(),
        detail: json!({}),
        ..Default::default()
    };
    audit_log::append(&mut tx, entry).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = db.store.read().await.unwrap();
    let (page, total) =
        audit_log::list(&mut conn, &audit_log::Filter { limit: 50, ..Default::default() }).await.unwrap();
    assert_eq!((page.len(), total), (50, audit_log::COUNT_CAP + 1), "10,002 entries are counted as 10,001");
    drop(conn);
    db.finish().await;
}

async fn fill(db: &TestDb) {
    let p = partnership(db, "southend").await;
    let mut tx = db.store.write().await.unwrap();
    let a = st::insert_organisation(&mut tx, p, &org("A")).await.unwrap();
    let b = st::insert_organisation(&mut tx, p, &org("B")).await.unwrap();
    // A's parent has a higher id than A: restore must cope.
    st::update_organisation(&mut tx, a, &NewOrganisation { parent_id: Some(b), ..org("A") }).await.unwrap();
    let u = accounts::insert_user(&mut tx, "admin@example.org", "Admin", "hash").await.unwrap();
    accounts::insert_grant(&mut tx, u, Grant { role: Role::Administrator, scope: Scope::Partnership(p) }, None)
        .await
        .unwrap();
    st::insert_person(
        &mut tx,
        p,
        &NewPerson {
            name: "Person \"quoted\" ✓".into(),
            job_title: None,
            email: None,
            organisation_id: Some(a),
            restricted: true,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    append(db, 3).await;
}

async fn backup_restores_every_table_exactly(db: &TestDb) {
    fill(db).await;
    let before = backup::snapshot(&db.store).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("assure.backup");
    backup::backup(&db.store, &file).await.unwrap();
    assert!(backup::backup(&db.store, &file).await.is_err(), "never overwrites a file");

    // Restore into a fresh database of each backend.
    for target in assure_testing::BACKENDS {
        let fresh = TestDb::new(target).await;
        backup::restore_file(&fresh.store, &file).await.unwrap();
        let after = backup::snapshot(&fresh.store).await.unwrap();
        for ((table, rows), (_, restored)) in before.tables.iter().zip(&after.tables) {
            assert_eq!(rows, restored, "table {table} after restore to {target:?}");
        }
        let mut conn = fresh.store.read().await.unwrap();
        assert_eq!(audit_log::verify(&mut conn).await.unwrap().problem, None);
        drop(conn);
        // New rows still get fresh ids after a restore.
        let mut tx = fresh.store.write().await.unwrap();
        let (list, _) = st::organisations(&mut tx, PartnershipId(1), true, Page::ALL).await.unwrap();
        let new = st::insert_organisation(&mut tx, PartnershipId(1), &org("C")).await.unwrap();
        assert!(list.iter().all(|o| o.id < new));
        tx.commit().await.unwrap();
        fresh.finish().await;
    }
    // A logical dump of the first format (each table's rows on one line) still restores.
    if db.store.backend() == assure_store::Backend::Postgres {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap().replace("\"assure_backup\":2", "\"assure_backup\":1");
        let mut old = vec![header];
        let mut current: Option<(String, Vec<serde_json::Value>)> = None;
        for line in lines {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            if let Some(table) = v.get("table").and_then(|t| t.as_str()) {
                if let Some((t, rows)) = current.take() {
                    old.push(serde_json::json!({"table": t, "rows": rows}).to_string());
                }
                current = Some((table.to_owned(), Vec::new()));
            } else if let Some((_, rows)) = current.as_mut() {
                rows.push(v);
            }
        }
        if let Some((t, rows)) = current.take() {
            old.push(serde_json::json!({"table": t, "rows": rows}).to_string());
        }
        let v1 = dir.path().join("assure-v1.backup");
        std::fs::write(&v1, old.join("\n") + "\n").unwrap();
        let fresh = TestDb::new(assure_store::Backend::Sqlite).await;
        backup::restore_file(&fresh.store, &v1).await.unwrap();
        let after = backup::snapshot(&fresh.store).await.unwrap();
        for ((table, rows), (_, restored)) in before.tables.iter().zip(&after.tables) {
            assert_eq!(rows, restored, "table {table} after restoring the first format");
        }
        fresh.finish().await;
    }
}

async fn backup_table_list_matches_live_schema(db: &TestDb) {
    let live = backup::live_schema(&db.store).await.unwrap();
    let listed: Vec<(String, Vec<String>)> = {
        let mut v: Vec<_> = backup::all_tables()
            .map(|(t, cols)| ((*t).to_owned(), cols.iter().map(|(c, _)| (*c).to_owned()).collect()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(live, listed);
}

contract!(closed_days_round_trip_and_are_unique);

async fn closed_days_round_trip_and_are_unique(db: &TestDb) {
    use assure_store::reviews::calendar;
    let day: chrono::NaiveDate = "2030-06-14".parse().unwrap();
    let mut tx = db.store.write().await.unwrap();
    calendar::insert_closed_day(&mut tx, day, "Proclaimed bank holiday", None).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.store.write().await.unwrap();
    assert!(calendar::insert_closed_day(&mut tx, day, "Again", None).await.unwrap_err().is_unique_violation());
    drop(tx);
    let mut conn = db.store.read().await.unwrap();
    let days = calendar::closed_days(&mut conn).await.unwrap();
    assert_eq!(
        days.iter().map(|d| (d.day, d.name.as_str())).collect::<Vec<_>>(),
        vec![(day, "Proclaimed bank holiday")]
    );
    drop(conn);
    let mut tx = db.store.write().await.unwrap();
    calendar::delete_closed_day(&mut tx, day).await.unwrap();
    assert!(matches!(calendar::delete_closed_day(&mut tx, day).await, Err(StoreError::NotFound)));
    tx.commit().await.unwrap();
}

contract!(reviews_events_pauses_and_panel_round_trip);

async fn reviews_events_pauses_and_panel_round_trip(db: &TestDb) {
    use assure_domain::reviews::{Decision, NewReview, Stage};
    use assure_store::reviews;
    let p = partnership(db, "southend").await;
    let d = |s: &str| -> chrono::NaiveDate { s.parse().unwrap() };
    let mut tx = db.store.write().await.unwrap();
    let u = accounts::insert_user(&mut tx, "bm@example.org", "BM", "hash").await.unwrap();
    let new = NewReview {
        type_code: "lcspr".into(),
        arm: ArmKind::Children,
        subject: "Child H".into(),
        summary: None,
        aware_on: d("2025-06-02"),
    };
    let id = reviews::insert_review(&mut tx, p, &new, Some(u)).await.unwrap();
    reviews::insert_event(
        &mut tx,
        reviews::NewEvent {
            review_id: id,
            from: None,
            to: Stage::Referral,
            on: d("2025-06-02"),
            note: Some("Incident"),
            by: Some(u),
            by_label: "bm@example.org",
        },
    )
    .await
    .unwrap();
    let mut r = reviews::review(&mut tx, id).await.unwrap();
    r.stage = Stage::Decision;
    r.decision = Some(Decision::Review);
    r.decision_rationale = Some("Criteria met".into());
    r.dates.notified_on = Some(d("2025-06-05"));
    r.dates.decided_on = Some(d("2025-06-20"));
    reviews::save_progress(&mut tx, &r).await.unwrap();
    reviews::insert_pause(&mut tx, id, d("2025-07-01"), "Criminal proceedings").await.unwrap();
    reviews::add_to_panel(&mut tx, id, u).await.unwrap();
    let neglect = reviews::insert_theme(&mut tx, p, "Neglect").await.unwrap();
    let housing = reviews::insert_theme(&mut tx, p, "Housing").await.unwrap();
    reviews::set_review_themes(&mut tx, id, &[neglect]).await.unwrap();
    reviews::set_review_themes(&mut tx, id, &[neglect, housing]).await.unwrap();
    let police = st::insert_organisation(&mut tx, p, &org("Essex Police")).await.unwrap();
    let request =
        reviews::insert_request(&mut tx, id, police.0, "chronology", d("2025-06-23"), d("2025-07-07")).await.unwrap();
    reviews::set_request_returned(&mut tx, request, Some(d("2025-07-08"))).await.unwrap();
    tx.commit().await.unwrap();

    let mut conn = db.store.read().await.unwrap();
    let got = reviews::review(&mut conn, id).await.unwrap();
    assert_eq!(
        (got.stage, got.decision, got.dates.decided_on),
        (Stage::Decision, Some(Decision::Review), Some(d("2025-06-20")))
    );
    assert_eq!(reviews::reviews(&mut conn, p).await.unwrap().len(), 1);
    assert_eq!(reviews::events(&mut conn, id).await.unwrap()[0].note.as_deref(), Some("Incident"));
    let pauses = reviews::pauses(&mut conn, id).await.unwrap();
    assert_eq!((pauses[0].pause.from, pauses[0].pause.to), (d("2025-07-01"), None));
    assert_eq!(reviews::panel(&mut conn, id).await.unwrap()[0].email, "bm@example.org");
    assert_eq!(reviews::panels_of(&mut conn, u).await.unwrap(), vec![id]);
    let requests = reviews::requests(&mut conn, id).await.unwrap();
    assert_eq!(
        (requests[0].organisation_name.as_str(), requests[0].kind.as_str(), requests[0].returned_on),
        ("Essex Police", "chronology", Some(d("2025-07-08")))
    );
    assert_eq!(reviews::request_review(&mut conn, requests[0].id.0).await.unwrap(), id);
    assert_eq!(
        reviews::themes(&mut conn, p).await.unwrap().iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        vec!["Housing", "Neglect"]
    );
    let mut pairs = reviews::review_theme_pairs(&mut conn, p).await.unwrap();
    pairs.sort();
    assert_eq!(pairs, vec![(id, neglect.min(housing)), (id, neglect.max(housing))]);
    drop(conn);
    let mut tx = db.store.write().await.unwrap();
    reviews::end_pause(&mut tx, pauses[0].id, d("2025-07-10")).await.unwrap();
    assert!(reviews::add_to_panel(&mut tx, id, u).await.unwrap_err().is_unique_violation());
    drop(tx);
}

contract!(reminders_are_recorded_once_per_user_and_event);

async fn reminders_are_recorded_once_per_user_and_event(db: &TestDb) {
    use assure_store::reminders;
    let p = partnership(db, "southend").await;
    let mut tx = db.store.write().await.unwrap();
    let o = st::insert_organisation(&mut tx, p, &org("Essex Police")).await.unwrap();
    let u = accounts::insert_user(&mut tx, "lead@example.org", "Lead", "hash").await.unwrap();
    accounts::insert_grant(&mut tx, u, Grant { role: Role::AgencyLead, scope: Scope::Organisation(p, o) }, None)
        .await
        .unwrap();
    assert!(reminders::mark_reminded(&mut tx, "request:1:2025-06-16:due_soon", u).await.unwrap());
    assert!(!reminders::mark_reminded(&mut tx, "request:1:2025-06-16:due_soon", u).await.unwrap(), "told once only");
    reminders::insert_notification(&mut tx, u, p, "A case review asks Essex Police for its chronology.", "/")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = db.store.read().await.unwrap();
    let leads = reminders::holders(&mut conn, p, "agency_lead", Some(o)).await.unwrap();
    assert_eq!(leads.iter().map(|r| r.email.as_str()).collect::<Vec<_>>(), vec!["lead@example.org"]);
    assert!(reminders::holders(&mut conn, p, "agency_lead", Some(OrganisationId(o.0 + 100))).await.unwrap().is_empty());
    assert_eq!(reminders::notifications(&mut conn, u, p, 10).await.unwrap()[0].link, "/");
}

contract!(learning_records_and_the_plan_query_round_trip, chronology_entries_sort_and_briefings_upsert);

async fn learning_records_and_the_plan_query_round_trip(db: &TestDb) {
    use assure_domain::learning::*;
    use assure_store::learning as l;
    let p = partnership(db, "southend").await;
    let d = |s: &str| -> chrono::NaiveDate { s.parse().unwrap() };
    let mut tx = db.store.write().await.unwrap();
    let police = st::insert_organisation(&mut tx, p, &org("Essex Police")).await.unwrap();
    let council = st::insert_organisation(&mut tx, p, &org("Southend City Council")).await.unwrap();
    let cpr = NewBody {
        name: "Child Practice Review".into(),
        kind: BodyKind::Subgroup,
        arm: Some(ArmKind::Adults),
        parent_id: None,
        purpose: None,
        cadence: Cadence::Monthly,
        restricted: false,
    };
    let body = st::insert_body(&mut tx, p, &cpr).await.unwrap();
    let theme = assure_store::reviews::insert_theme(&mut tx, p, "Neglect").await.unwrap();
    let rec = l::insert_recommendation(
        &mut tx,
        p,
        l::Origin::default(),
        &NewRecommendation {
            number: "1".into(),
            text: "Share information".into(),
            scope: RecScope::Regional,
            body_id: body.0,
            theme_id: Some(theme),
        },
    )
    .await
    .unwrap();
    let action = |org: OrganisationId, target: &str| NewAction {
        text: format!("Action for {}", org.0),
        organisation_id: org.0,
        owner: "Head of Service".into(),
        owner_email: None,
        target_on: d(target),
    };
    let late = l::insert_action(&mut tx, rec, &action(police, "2025-01-31"), None).await.unwrap();
    let done = l::insert_action(&mut tx, rec, &action(council, "2025-01-15"), None).await.unwrap();
    let later = l::insert_action(&mut tx, rec, &action(council, "2025-06-30"), None).await.unwrap();
    let progress = Progress { note: "Delivered".into(), status: ActionStatus::Completed, rag: Rag::Green };
    l::insert_update(&mut tx, done, &progress, Some(d("2025-01-14")), None, "lead@example.org").await.unwrap();
    let milestone = l::insert_milestone(&mut tx, late, "Draft the briefing", d("2025-01-10")).await.unwrap();
    l::set_milestone_done(&mut tx, milestone, d("2025-01-09")).await.unwrap();
    let evidence =
        l::insert_evidence(&mut tx, done, EvidenceKind::AuditResult, "12 of 15", None, "lead").await.unwrap();
    let file = l::insert_file(
        &mut tx,
        evidence,
        &l::NewFile { file_name: "audit.csv", content_type: "text/csv", size: 3, sha256: "abc", content: "YWJj" },
    )
    .await
    .unwrap();
    l::judge(&mut tx, evidence, Judgement::Assured, "Good", "cpr@example.org").await.unwrap();
    tx.commit().await.unwrap();

    let mut conn = db.store.read().await.unwrap();
    let today = d("2025-02-01");
    let all = |filter: PlanFilter| {
        let f = filter.clone();
        async move {
            let mut conn = db.store.read().await.unwrap();
            let rows = l::plan(&mut conn, p, &f, today, Page::ALL).await.unwrap();
            let count = l::plan_count(&mut conn, p, &f, today).await.unwrap();
            assert_eq!(rows.len() as i64, count, "{f:?}: the count is of the rows the filter gives");
            (rows, count)
        }
    };
    let (open, total) = all(PlanFilter::default()).await;
    assert_eq!((open.iter().map(|a| a.id.0).collect::<Vec<_>>(), total), (vec![late, later], 2), "open, soonest first");
    assert_eq!(all(PlanFilter { overdue_only: true, ..Default::default() }).await.1, 1);
    assert_eq!(all(PlanFilter { status: Some(ActionStatus::Completed), ..Default::default() }).await.0[0].id.0, done);
    assert_eq!(all(PlanFilter { organisation: Some(council.0), ..Default::default() }).await.1, 1);
    assert_eq!(all(PlanFilter { theme: Some(theme), ..Default::default() }).await.1, 2);
    assert_eq!(all(PlanFilter { theme: Some(theme + 1), ..Default::default() }).await.1, 0);
    assert_eq!(all(PlanFilter { arm: Some(ArmKind::Adults), ..Default::default() }).await.1, 2, "the body's arm");
    assert_eq!(all(PlanFilter { arm: Some(ArmKind::Children), ..Default::default() }).await.1, 0);
    let page = l::plan(&mut conn, p, &PlanFilter::default(), today, Page { limit: 1, offset: 1 }).await.unwrap();
    let total = l::plan_count(&mut conn, p, &PlanFilter::default(), today).await.unwrap();
    assert_eq!((page[0].id.0, total), (later, 2));

    let got = l::action(&mut conn, done).await.unwrap();
    assert_eq!(
        (got.status, got.rag, got.completed_on),
        (ActionStatus::Completed, Some(Rag::Green), Some(d("2025-01-14")))
    );
    assert_eq!((got.evidence_count, got.assured_count, got.body_name.as_str()), (1, 1, "Child Practice Review"));
    assert_eq!(l::updates(&mut conn, done).await.unwrap()[0].note, "Delivered");
    assert_eq!(l::milestones(&mut conn, late).await.unwrap()[0].done_on, Some(d("2025-01-09")));
    let ev = l::evidence_of(&mut conn, done).await.unwrap();
    assert_eq!((ev[0].judgement, ev[0].files[0].file_name.as_str()), (Some(Judgement::Assured), "audit.csv"));
    assert_eq!(l::file(&mut conn, file).await.unwrap().2, "YWJj");
    assert_eq!(l::recommendation(&mut conn, rec).await.unwrap().theme_name.as_deref(), Some("Neglect"));
    assert_eq!(l::open_actions(&mut conn, p, None).await.unwrap().len(), 2);
    assert!(matches!(l::action(&mut conn, later + 100).await, Err(StoreError::NotFound)));
    drop(conn);

    // An inspection's recommendation: the plan filters by where recommendations came from, and
    // names the inspection and when its report was published.
    let mut tx = db.store.write().await.unwrap();
    let inspection = assure_store::inspections::insert(
        &mut tx,
        p,
        &assure_domain::inspections::NewInspection {
            type_code: "hmicfrs_peel".into(),
            title: "PEEL 2025".into(),
            organisation_ids: vec![police],
            fieldwork_from: d("2024-09-02"),
            fieldwork_to: d("2024-09-13"),
            published_on: Some(d("2025-01-20")),
            link: None,
            summary: None,
        },
        "bu@example.org",
    )
    .await
    .unwrap();
    let new = NewRecommendation {
        number: "1".into(),
        text: "Missing children".into(),
        scope: RecScope::Local,
        body_id: body.0,
        theme_id: None,
    };
    let inspected = l::insert_recommendation(&mut tx, p, l::Origin::inspection(inspection), &new).await.unwrap();
    assert!(l::number_taken(&mut tx, l::Origin::inspection(inspection), " 1 ", None).await.unwrap());
    assert!(!l::number_taken(&mut tx, l::Origin::default(), "1", None).await.unwrap(), "the partnership's own: never");
    let from_inspection = l::insert_action(&mut tx, inspected, &action(police, "2025-03-31"), None).await.unwrap();
    tx.commit().await.unwrap();
    let by = |source: PlanSource| PlanFilter { source: Some(source), ..Default::default() };
    let (rows, n) = all(by(PlanSource::Inspection)).await;
    assert_eq!((rows[0].id.0, n), (from_inspection, 1));
    assert_eq!(
        (rows[0].inspection_title.as_deref(), rows[0].inspection_published_on),
        (Some("PEEL 2025"), Some(d("2025-01-20")))
    );
    assert_eq!(all(by(PlanSource::Partnership)).await.1, 2);
    assert_eq!(all(by(PlanSource::Review)).await.1, 0);
    assert_eq!(all(by(PlanSource::Audit)).await.1, 0);
    assert_eq!(all(PlanFilter::default()).await.1, 3);
}

async fn chronology_entries_sort_and_briefings_upsert(db: &TestDb) {
    use assure_domain::reviews::NewReview;
    use assure_domain::reviews::chronology::{ChronoDate, NewEntry};
    use assure_store::reviews::chronology as c;
    let p = partnership(db, "southend").await;
    let mut tx = db.store.write().await.unwrap();
    let police = st::insert_organisation(&mut tx, p, &org("Essex Police")).await.unwrap();
    let school = st::insert_organisation(&mut tx, p, &org("A school")).await.unwrap();
    let review = assure_store::reviews::insert_review(
        &mut tx,
        p,
        &NewReview {
            type_code: "lcspr".into(),
            arm: ArmKind::Children,
            subject: "Child K".into(),
            summary: None,
            aware_on: "2025-06-02".parse().unwrap(),
        },
        None,
    )
    .await
    .unwrap();
    let entry = |date: &str, time: Option<&str>, event: &str| NewEntry {
        date: ChronoDate::parse(date).unwrap(),
        time: time.map(|t| chrono::NaiveTime::parse_from_str(t, "%H:%M").unwrap()),
        source: "Record".into(),
        event: event.into(),
        comment: None,
    };
    c::insert_entries(
        &mut tx,
        review,
        police.0,
        &[entry("2025-05-04", Some("14:00"), "afternoon"), entry("May 2025", None, "month")],
        None,
    )
    .await
    .unwrap();
    c::insert_entries(
        &mut tx,
        review,
        school.0,
        &[entry("2025-05-04", None, "no time"), entry("2024", None, "year")],
        None,
    )
    .await
    .unwrap();
    c::save_briefing(&mut tx, review, "b1", "l1", "q1", "bm").await.unwrap();
    c::save_briefing(&mut tx, review, "b2", "l2", "q2", "bm2").await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = db.store.read().await.unwrap();
    let events: Vec<String> = c::entries(&mut conn, review, None).await.unwrap().into_iter().map(|e| e.event).collect();
    assert_eq!(events, vec!["year", "month", "no time", "afternoon"]);
    assert_eq!(c::entries(&mut conn, review, Some(school.0)).await.unwrap().len(), 2);
    let month =
        c::entries(&mut conn, review, Some(police.0)).await.unwrap().into_iter().find(|e| e.event == "month").unwrap();
    assert_eq!(month.date.display(), "May 2025");
    let b = c::briefing(&mut conn, review).await.unwrap().unwrap();
    assert_eq!((b.background.as_str(), b.updated_by_label.as_str()), ("b2", "bm2"));
}

/// Migration 0032 renames the makers of records made before records named people: an e-mail of
/// an account with a name becomes the name; anything else (the operator, a link, an account
/// without a name) stays as it was. Run again on rows of each kind, as the migration ran on the
/// rows a database held then.
async fn records_made_before_names_name_their_makers_after_the_migration(db: &TestDb) {
    let mut tx = db.store.write().await.unwrap();
    accounts::insert_user(&mut tx, "bea.manager@example.org", "Bea Manager", "x").await.unwrap();
    accounts::insert_user(&mut tx, "nameless@example.org", " ", "x").await.unwrap();
    for by in ["bea.manager@example.org", "nameless@example.org", "cli"] {
        sqlx::query(
            "INSERT INTO import_batches (kind, file_name, sha256, rows_read, by_label, created_at) \
             VALUES ('la_children', 'f.csv', 'x', 1, $1, '2026-01-01T00:00:00Z')",
        )
        .bind(by)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    let sql = match db.store.backend() {
        Backend::Sqlite => include_str!("../../migrations/sqlite/0032_names_on_records.sql"),
        Backend::Postgres => include_str!("../../migrations/postgres/0032_names_on_records.sql"),
    };
    for statement in sql.split(';').filter(|s| s.lines().any(|l| !l.trim().is_empty() && !l.starts_with("--"))) {
        sqlx::query(statement).execute(&mut *tx).await.unwrap();
    }
    let by: Vec<String> =
        sqlx::query_scalar("SELECT by_label FROM import_batches ORDER BY id").fetch_all(&mut *tx).await.unwrap();
    assert_eq!(by, ["Bea Manager", "nameless@example.org", "cli"]);
    tx.commit().await.unwrap();
}

mod audits_and_meetings;
