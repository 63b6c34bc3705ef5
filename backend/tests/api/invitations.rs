//! Invitations made by staff: codes made in the staff browser around lookups the server
//! reserved, batches stored whole or not at all, codes that are revoked or expire answering
//! like wrong ones, the audited view of a child's answers, and the help loop back to the
//! child. The reservations themselves are tested in `lookups.rs`.

use crate::support::staff::{
    batch, child_with, invitation_for, new_child, new_children, staff_log_in, with_cookie, StaffUser,
};
use crate::support::{app, login_request, questionnaire, save_request, send, session_with, Fixture, ORGANISATION};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{AssessmentRecord, ChildAssessment, InvitationBatch, SaveReceipt, SealedHelp};
use beratta_core::child::ChildKeys;
use beratta_core::envelope::open_answers;
use beratta_core::login::{derive_child_secrets, ChildCode, KdfParams};
use beratta_server::store::ReserveOutcome;
use rand_core::OsRng;

fn inviter(fx: &Fixture) -> StaffUser {
    fx.add_staff(ORGANISATION, "anna", beratta_core::api::Role::Staff, None)
}

fn invite(cookie: &str, batch: &InvitationBatch) -> TestRequest {
    with_cookie(TestRequest::post().uri("/api/invitations"), cookie).set_json(batch)
}

/// Logs a child in with `code` as the child's browser does, from the stored salt.
macro_rules! child_login {
    ($fx:expr, $app:expr, $code:expr) => {{
        let stored = $fx.state.store.assessment_by_lookup($code.lookup()).expect("store").expect("exists");
        let secrets = derive_child_secrets($code, &stored.salt.0, &stored.kdf).expect("derivable");
        let reply = send!($app, login_request($code.lookup(), &secrets.login_proof));
        (reply, secrets)
    }};
}

#[actix_web::test]
async fn staff_invite_a_class_and_each_child_logs_in_with_their_code() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let anna = inviter(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let children: Vec<(ChildCode, _)> = new_children!(app, &cookie, 3);
    let body = batch(children.iter().map(|(_, c)| c.clone()).collect(), false);
    let reply = send!(app, invite(&cookie, &body));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let records: Vec<AssessmentRecord> = reply.json();
    assert_eq!(records.len(), 3);
    for (record, (code, sent)) in records.iter().zip(&children) {
        assert_eq!(record.lookup, code.lookup());
        assert_eq!(record.invited_by, anna.id);
        assert_eq!((record.organisation.as_str(), &record.questionnaire), (ORGANISATION, &questionnaire()));
        assert_eq!(record.expires_unix, fx.state.now() + 14 * 86_400);
        assert_eq!(record.sealed_note, sent.sealed_note);
        assert_eq!((record.unit.as_ref(), record.revoked, record.sealed.as_ref()), (None, false, None));
        let stored = fx.state.store.assessment(&record.assessment).expect("store").expect("there");
        assert_ne!(stored.verifier, sent.proof, "only a keyed verifier of the proof is kept");
        let (login, _) = child_login!(fx, app, code);
        assert_eq!(login.status, StatusCode::OK);
        assert_eq!(login.json::<ChildAssessment>().assessment, record.assessment);
    }
}

#[actix_web::test]
async fn the_list_is_newest_first_without_answers() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let anna = inviter(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let (code, first) = new_child!(app, &cookie);
    send!(app, invite(&cookie, &batch(vec![first], false)));
    fx.advance(60);
    let (_, second) = new_child!(app, &cookie);
    send!(app, invite(&cookie, &batch(vec![second.clone()], false)));

    // The first child saves an answer; the list still does not carry it.
    let (login, secrets) = child_login!(fx, app, &code);
    let child_cookie = login.session_cookie().expect("a cookie");
    let assessment: ChildAssessment = login.json();
    let sealed = crate::support::seal(&secrets, &assessment, &session_with("gender", "girl"), 1);
    assert_eq!(send!(app, save_request(&child_cookie, &sealed)).status, StatusCode::OK);

    let list: Vec<AssessmentRecord> =
        send!(app, with_cookie(TestRequest::get().uri("/api/invitations"), &cookie)).json();
    assert_eq!(list.iter().map(|r| r.lookup.as_str()).collect::<Vec<_>>(), [second.lookup.as_str(), code.lookup()]);
    assert!(list.iter().all(|r| r.sealed.is_none() && r.help.is_none()));

    // The per-child view has the answers, and the organisation key opens them.
    let view: AssessmentRecord = send!(
        app,
        with_cookie(TestRequest::get().uri(&format!("/api/assessments/{}", assessment.assessment)), &cookie)
    )
    .json();
    let sealed = view.sealed.expect("the answers are in the view");
    let data_key = fx.org_key.open_data_key(&sealed.org_sealed_key.0).expect("sealed to the organisation");
    let binding = beratta_core::child::binding(&assessment, sealed.counter);
    let answers = open_answers(&data_key, &binding, &sealed.blob.0).expect("the answers open");
    assert_eq!(answers.session, session_with("gender", "girl"));
}

#[actix_web::test]
async fn a_refused_child_refuses_the_whole_batch_and_the_others_lookups_stay_reserved() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let anna = inviter(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let (_, used) = new_child!(app, &cookie);
    assert_eq!(send!(app, invite(&cookie, &batch(vec![used.clone()], false))).status, StatusCode::OK);
    let (fresh_code, fresh) = new_child!(app, &cookie);
    let again = invitation_for(&ChildCode::with_lookup(&used.lookup, &mut OsRng).expect("a lookup"));
    let reply = send!(app, invite(&cookie, &batch(vec![fresh.clone(), again], false)));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::CONFLICT, "lookup_not_reserved"));
    assert!(fx.state.store.assessment_by_lookup(fresh_code.lookup()).expect("store").is_none(), "all or nothing");
    // The same lookup twice in one batch: the first child uses the reservation up.
    let reply = send!(app, invite(&cookie, &batch(vec![fresh.clone(), fresh.clone()], false)));
    assert_eq!(reply.error(), "lookup_not_reserved");
    // Nothing of the refused batches was used up, so the fresh child's code still goes in.
    assert_eq!(send!(app, invite(&cookie, &batch(vec![fresh], false))).status, StatusCode::OK);
}

#[actix_web::test]
async fn a_batch_is_checked_before_anything_is_stored() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let anna = inviter(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let (_, child) = new_child!(app, &cookie);
    let good = batch(vec![child.clone()], false);
    let cases: Vec<(&str, InvitationBatch, &str)> = vec![
        ("no children", InvitationBatch { children: vec![], ..good.clone() }, "invalid"),
        ("0 days", InvitationBatch { expires_in_days: 0, ..good.clone() }, "invalid"),
        ("91 days", InvitationBatch { expires_in_days: 91, ..good.clone() }, "invalid"),
        (
            "unknown questionnaire",
            InvitationBatch {
                questionnaire: beratta_core::api::QuestionnaireRef { id: "nope".into(), version: 1 },
                ..good.clone()
            },
            "unknown_questionnaire",
        ),
        (
            "bad lookup",
            batch(vec![beratta_core::api::NewInvitation { lookup: "ab0".into(), ..child.clone() }], false),
            "bad_lookup",
        ),
        (
            "short salt",
            batch(
                vec![beratta_core::api::NewInvitation { salt: vec![1; 8].as_slice().into(), ..child.clone() }],
                false,
            ),
            "invalid",
        ),
        (
            "huge note",
            batch(
                vec![beratta_core::api::NewInvitation {
                    sealed_note: vec![1; 5000].as_slice().into(),
                    ..child.clone()
                }],
                false,
            ),
            "invalid",
        ),
    ];
    for (what, body, code) in cases {
        let reply = send!(app, invite(&cookie, &body));
        assert_eq!(reply.error(), code, "{what}");
    }
    assert!(fx.state.store.assessment_by_lookup(&child.lookup).expect("store").is_none());
}

#[actix_web::test]
async fn codes_below_the_standard_cost_are_refused_in_production() {
    let fx = Fixture::with_production_kdf();
    let app = app!(fx.state);
    let anna = inviter(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let (_, cheap) = new_child!(app, &cookie);
    let reply = send!(app, invite(&cookie, &batch(vec![cheap.clone()], false)));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "invalid"));
    let standard = beratta_core::api::NewInvitation { kdf: KdfParams::STANDARD, ..cheap };
    assert_eq!(send!(app, invite(&cookie, &batch(vec![standard], false))).status, StatusCode::OK);
}

#[actix_web::test]
async fn revoked_and_expired_codes_get_the_same_401_as_wrong_ones() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let anna = inviter(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let (revoked_code, revoked) = new_child!(app, &cookie);
    let (expired_code, expired) = new_child!(app, &cookie);
    let mut short = batch(vec![expired], false);
    short.expires_in_days = 1;
    send!(app, invite(&cookie, &batch(vec![revoked], false)));
    let expired_record: Vec<AssessmentRecord> = send!(app, invite(&cookie, &short)).json();

    // The child is in the middle of answering when the code is revoked.
    let (login, _) = child_login!(fx, app, &revoked_code);
    let child_cookie = login.session_cookie().expect("a cookie");
    let assessment: ChildAssessment = login.json();
    let reply = send!(
        app,
        with_cookie(TestRequest::post().uri(&format!("/api/invitations/{}/revoke", assessment.assessment)), &cookie)
    );
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.json::<AssessmentRecord>().revoked);
    let session = send!(app, with_cookie(TestRequest::get().uri("/api/child/session"), &child_cookie));
    assert_eq!(session.error(), "no_session", "a revoked invitation's open session ends");

    fx.advance(86_400);
    let wrong = send!(app, login_request(revoked_code.lookup(), &[9; 32]));
    let (revoked_reply, _) = child_login!(fx, app, &revoked_code);
    let (expired_reply, _) = child_login!(fx, app, &expired_code);
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    for reply in [&revoked_reply, &expired_reply] {
        assert_eq!(reply.status, wrong.status);
        assert_eq!(reply.body, wrong.body);
        assert!(reply.header("set-cookie").is_none());
    }
    // Staff still see both, marked.
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let list: Vec<AssessmentRecord> =
        send!(app, with_cookie(TestRequest::get().uri("/api/invitations"), &cookie)).json();
    assert!(list.iter().any(|r| r.revoked));
    assert!(list.iter().any(|r| r.assessment == expired_record[0].assessment && r.expires_unix <= fx.state.now()));
}

#[actix_web::test]
async fn a_revoked_or_expired_invitations_lookup_can_be_used_again() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let anna = inviter(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let (first_code, first) = new_child!(app, &cookie);
    let (second_code, second) = new_child!(app, &cookie);
    let mut short = batch(vec![second], false);
    short.expires_in_days = 1;
    let records: Vec<AssessmentRecord> = send!(app, invite(&cookie, &batch(vec![first], false))).json();
    send!(app, invite(&cookie, &short));
    send!(
        app,
        with_cookie(TestRequest::post().uri(&format!("/api/invitations/{}/revoke", records[0].assessment)), &cookie)
    );
    fx.advance(86_400);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    // The server may draw both lookups again: here the draws are made to come up with them.
    let dead = [first_code.lookup(), second_code.lookup()];
    let ReserveOutcome::Reserved { lookups, .. } = fx.reserve_from(&anna, 2, &dead) else {
        panic!("the lookups of a revoked and an expired invitation are free again")
    };
    assert_eq!(lookups, dead);
    let again: Vec<(ChildCode, _)> = lookups.iter().map(|l| child_with(l)).collect();
    let body = batch(again.iter().map(|(_, c)| c.clone()).collect(), false);
    let reply = send!(app, invite(&cookie, &body));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    for (code, _) in &again {
        let (login, _) = child_login!(fx, app, code);
        assert_eq!(login.status, StatusCode::OK, "the lookup now names the new invitation");
    }
}

#[actix_web::test]
async fn the_help_status_reaches_the_child_and_a_stale_one_is_refused() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let anna = inviter(&fx);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let (code, child) = new_child!(app, &cookie);
    let records: Vec<AssessmentRecord> = send!(app, invite(&cookie, &batch(vec![child], false))).json();
    let id = &records[0].assessment;
    let (login, secrets) = child_login!(fx, app, &code);
    let child_cookie = login.session_cookie().expect("a cookie");
    let assessment: ChildAssessment = login.json();
    assert_eq!(assessment.help, None);
    let keys = ChildKeys::after_login(&secrets, &assessment, &mut OsRng).expect("keys");
    let sealed = keys.seal(&assessment, &session_with("gender", "girl"), "sv", 1, &mut OsRng).expect("sealed");
    send!(app, save_request(&child_cookie, &sealed));

    let put = |help: &SealedHelp| {
        with_cookie(TestRequest::put().uri(&format!("/api/assessments/{id}/help")), &cookie).set_json(help)
    };
    // Staff seal the status under the data key they opened with the organisation key.
    let blob = vec![5u8; 60];
    let first = SealedHelp { counter: 1, blob: blob.as_slice().into() };
    let reply = send!(app, put(&first));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.json::<SaveReceipt>().counter, 1);
    for stale in [1, 3, 0] {
        let reply = send!(app, put(&SealedHelp { counter: stale, blob: vec![6u8; 60].as_slice().into() }));
        assert_eq!((reply.status, reply.error().as_str()), (StatusCode::CONFLICT, "stale_help"), "counter {stale}");
    }
    let tiny = send!(app, put(&SealedHelp { counter: 2, blob: vec![1u8; 8].as_slice().into() }));
    assert_eq!(tiny.status, StatusCode::BAD_REQUEST);

    let session: ChildAssessment =
        send!(app, with_cookie(TestRequest::get().uri("/api/child/session"), &child_cookie)).json();
    assert_eq!(session.help, Some(first.clone()));
    let view: AssessmentRecord =
        send!(app, with_cookie(TestRequest::get().uri(&format!("/api/assessments/{id}")), &cookie)).json();
    assert_eq!(view.help, Some(first));
    // The child's next save does not disturb the help status.
    let next = keys.seal(&assessment, &session_with("gender", "boy"), "sv", 2, &mut OsRng).expect("sealed");
    assert_eq!(send!(app, save_request(&child_cookie, &next)).status, StatusCode::OK);
    let (again, _) = child_login!(fx, app, &code);
    assert_eq!(again.json::<ChildAssessment>().help.map(|h| h.counter), Some(1));
}
