//! Saving sealed answers: the counter, the limits, durability, and a real round trip from
//! the child's browser to the organisation's staff.

use crate::support::{app, log_in, save_request, seal, send, session_with, Fixture};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{Bytes, ChildAssessment, SaveReceipt, SealedAnswers};
use beratta_core::child::{binding, ChildKeys};
use beratta_core::envelope::open_answers;
use beratta_server::limits;
use beratta_server::store::{SledStore, Store};
use rand_core::OsRng;

fn stored(fx: &Fixture, assessment: &str) -> Option<SealedAnswers> {
    fx.state.store.assessment(assessment).expect("the store works").expect("the assessment exists").sealed
}

#[actix_web::test]
async fn saves_count_up_one_at_a_time() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, assessment, secrets) = log_in!(&fx, app, &invitation);
    let mut first_wrap = None;
    for counter in 1..=2 {
        let sealed = seal(&secrets, &assessment, &session_with("gender", "girl"), counter);
        let reply = send!(app, save_request(&cookie, &sealed));
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.json::<SaveReceipt>(), SaveReceipt { counter });
        // The child's wrapped key is the first save's: only a new code replaces it.
        let wrap = first_wrap.get_or_insert_with(|| sealed.child_wrapped_key.clone()).clone();
        assert_eq!(stored(&fx, &invitation.assessment), Some(SealedAnswers { child_wrapped_key: wrap, ..sealed }));
    }
    let session = send!(app, TestRequest::get().uri("/api/child/session").insert_header(("cookie", cookie.as_str())));
    assert_eq!(session.json::<ChildAssessment>().sealed.map(|s| s.counter), Some(2));
}

#[actix_web::test]
async fn a_stale_save_is_refused_and_changes_nothing() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, assessment, secrets) = log_in!(&fx, app, &invitation);

    // The first save must be number 1.
    let early = seal(&secrets, &assessment, &session_with("gender", "boy"), 2);
    let reply = send!(app, save_request(&cookie, &early));
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.error(), "stale_save");
    assert_eq!(stored(&fx, &invitation.assessment), None);

    for counter in 1..=2 {
        let sealed = seal(&secrets, &assessment, &session_with("gender", "girl"), counter);
        assert_eq!(send!(app, save_request(&cookie, &sealed)).status, StatusCode::OK);
    }
    let kept = stored(&fx, &invitation.assessment);

    // Another tab that still thinks it is at save 1, one that skips ahead, and a replay of
    // save 2 itself with other content: all refused, and the stored blob stays as it was.
    for counter in [2, 4, 0] {
        let other = seal(&secrets, &assessment, &session_with("gender", "other"), counter);
        let reply = send!(app, save_request(&cookie, &other));
        assert_eq!(reply.status, StatusCode::CONFLICT, "counter {counter}");
        assert_eq!(reply.error(), "stale_save");
        assert_eq!(stored(&fx, &invitation.assessment), kept);
    }
}

#[actix_web::test]
async fn what_the_child_saves_opens_for_the_organisation_and_for_the_child_again() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, assessment, secrets) = log_in!(&fx, app, &invitation);
    let answers = session_with("gender", "girl");
    let sealed = seal(&secrets, &assessment, &answers, 1);
    assert_eq!(send!(app, save_request(&cookie, &sealed)).status, StatusCode::OK);

    // The organisation's staff, with the secret key the server never had.
    let stored = stored(&fx, &invitation.assessment).expect("saved");
    let data_key = fx.org_key.open_data_key(&stored.org_sealed_key.0).expect("sealed to the organisation");
    let opened = open_answers(&data_key, &binding(&assessment, 1), &stored.blob.0).expect("the blob opens");
    assert_eq!(opened.session, answers);
    assert_eq!(opened.questionnaire, "beratta-10-12@1");

    // The child, logging in again later from another browser.
    let (_, again, secrets) = log_in!(&fx, app, &invitation);
    let keys = ChildKeys::after_login(&secrets, &again, &mut OsRng).expect("the child's key unwraps");
    assert_eq!(keys.open(&again).expect("opens").map(|a| a.session), Some(answers));
}

#[actix_web::test]
async fn a_save_without_a_session_is_401() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, assessment, secrets) = log_in!(&fx, app, &invitation);
    let sealed = seal(&secrets, &assessment, &session_with("gender", "girl"), 1);
    send!(app, TestRequest::post().uri("/api/child/logout").insert_header(("cookie", cookie.as_str())));
    let reply = send!(app, save_request(&cookie, &sealed));
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.error(), "no_session");
    let reply = send!(app, TestRequest::put().uri("/api/child/answers").set_json(&sealed));
    assert_eq!(reply.error(), "no_session");
    assert_eq!(stored(&fx, &invitation.assessment), None);
}

#[actix_web::test]
async fn an_oversized_save_is_413_json() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, assessment, secrets) = log_in!(&fx, app, &invitation);
    let mut sealed = seal(&secrets, &assessment, &session_with("gender", "girl"), 1);

    // A blob just over the limit, in a body the JSON reader still accepts.
    sealed.blob = Bytes(vec![0; limits::MAX_BLOB_BYTES + 1]);
    let reply = send!(app, save_request(&cookie, &sealed));
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.error(), "too_large");

    // A body over the JSON reader's own limit.
    sealed.blob = Bytes(vec![0; limits::MAX_SAVE_BODY_BYTES]);
    let reply = send!(app, save_request(&cookie, &sealed));
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.error(), "too_large");
    assert_eq!(stored(&fx, &invitation.assessment), None);
}

#[actix_web::test]
async fn keys_of_the_wrong_length_and_malformed_bodies_are_400() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, assessment, secrets) = log_in!(&fx, app, &invitation);
    let good = seal(&secrets, &assessment, &session_with("gender", "girl"), 1);

    let mut short_org = good.clone();
    short_org.org_sealed_key.0.pop();
    let mut long_child = good.clone();
    long_child.child_wrapped_key.0.push(0);
    let mut tiny_blob = good.clone();
    tiny_blob.blob = Bytes(vec![0; 8]);
    for bad in [short_org, long_child, tiny_blob] {
        let reply = send!(app, save_request(&cookie, &bad));
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.error(), "bad_answers");
    }

    let malformed = TestRequest::put()
        .uri("/api/child/answers")
        .insert_header(("cookie", cookie.as_str()))
        .insert_header(("content-type", "application/json"))
        .set_payload(r#"{"counter": 1, "blob": "not base64!"}"#);
    let reply = send!(app, malformed);
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.error(), "bad_json");
    assert_eq!(stored(&fx, &invitation.assessment), None);

    assert_eq!(send!(app, save_request(&cookie, &good)).status, StatusCode::OK);
}

#[actix_web::test]
async fn a_saved_blob_is_still_there_after_the_store_is_closed_and_reopened() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, assessment, secrets) = log_in!(&fx, app, &invitation);
    let sealed = seal(&secrets, &assessment, &session_with("gender", "girl"), 1);
    assert_eq!(send!(app, save_request(&cookie, &sealed)).status, StatusCode::OK);

    let data = fx.data_dir();
    let crate::support::Fixture { dir, state, sled, .. } = fx;
    drop(app);
    drop(state);
    drop(sled);
    // sled's background flusher lets go of the file lock a moment after the last handle is
    // dropped; what matters here is what is on disk once it has.
    let mut reopened = SledStore::open(&data);
    for _ in 0..100 {
        if reopened.is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        reopened = SledStore::open(&data);
    }
    let reopened = reopened.expect("the store reopens once closed");
    let record = reopened.assessment(&invitation.assessment).expect("readable").expect("still there");
    assert_eq!(record.sealed, Some(sealed));
    drop(dir);
}

#[actix_web::test]
async fn a_save_after_the_invitation_was_revoked_ends_the_session_and_changes_nothing() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let invitation = fx.invite();
    let (cookie, assessment, secrets) = log_in!(&fx, app, &invitation);
    let first = seal(&secrets, &assessment, &session_with("gender", "girl"), 1);
    assert_eq!(send!(app, save_request(&cookie, &first)).status, StatusCode::OK);
    fx.state.store.revoke_assessment(&assessment.assessment).expect("the store works").expect("it exists");

    let second = seal(&secrets, &assessment, &session_with("gender", "boy"), 2);
    let reply = send!(app, save_request(&cookie, &second));
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.error(), "no_session");
    assert_eq!(stored(&fx, &assessment.assessment), Some(first));
    let again = send!(app, TestRequest::get().uri("/api/child/session").insert_header(("cookie", cookie.as_str())));
    assert_eq!(again.error(), "no_session", "the session ended with the refused save");
}
