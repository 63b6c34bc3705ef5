//! Lookups drawn by the server (`POST /api/invitations/lookups`): staff invite only with
//! lookups reserved for them, so that nobody can probe which lookups are in use in another
//! organisation; the server never hands out a lookup in use; a reservation works once, for
//! its holder alone, until it expires; and nobody can hold or draw lookups without bound.

use crate::support::staff::{
    batch, child_with, lookups_request, new_child, reserve_lookups, staff_log_in, with_cookie, StaffUser,
};
use crate::support::{app, send, Fixture, Reply, ORGANISATION};
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use beratta_core::api::{InvitationBatch, Role};
use beratta_core::login::random_lookup;
use beratta_server::limits;
use beratta_server::store::ReserveOutcome;
use rand_core::OsRng;

const OTHER: &str = "other";

fn invite(cookie: &str, batch: &InvitationBatch) -> TestRequest {
    with_cookie(TestRequest::post().uri("/api/invitations"), cookie).set_json(batch)
}

fn staff(fx: &Fixture, organisation: &str, username: &str) -> StaffUser {
    fx.add_staff(organisation, username, Role::Staff, None)
}

/// The answer's status and body, which is all a client can compare.
fn seen(reply: &Reply) -> (StatusCode, String) {
    (reply.status, String::from_utf8_lossy(&reply.body).into_owned())
}

#[actix_web::test]
async fn staff_of_one_organisation_cannot_tell_whether_a_lookup_is_in_use_in_another() {
    let fx = Fixture::new();
    fx.add_organisation(OTHER);
    let app = app!(fx.state);
    let anna = staff(&fx, ORGANISATION, "anna");
    let bo = staff(&fx, OTHER, "bo");
    let (anna_cookie, _) = staff_log_in!(&fx, app, &anna);
    let (bo_cookie, _) = staff_log_in!(&fx, app, &bo);
    // Organisation B has a live invitation, and a lookup reserved but not yet used.
    let (_, live) = new_child!(app, &bo_cookie);
    assert_eq!(send!(app, invite(&bo_cookie, &batch(vec![live.clone()], false))).status, StatusCode::OK);
    let reserved = reserve_lookups!(app, &bo_cookie, 1).remove(0);
    // And a lookup nobody has.
    let unused = std::iter::repeat_with(|| random_lookup(&mut OsRng))
        .find(|l| *l != live.lookup && *l != reserved)
        .expect("an endless supply");

    let replies: Vec<(String, Reply)> = {
        let mut replies = Vec::new();
        for lookup in [&live.lookup, &reserved, &unused] {
            let reply = send!(app, invite(&anna_cookie, &batch(vec![child_with(lookup).1], false)));
            replies.push((lookup.clone(), reply));
        }
        replies
    };
    let (_, first) = &replies[0];
    assert_eq!((first.status, first.error().as_str()), (StatusCode::CONFLICT, "lookup_not_reserved"));
    for (lookup, reply) in &replies {
        assert_eq!(seen(reply), seen(first), "{lookup} is answered like every other lookup that is not anna's");
        assert!(!seen(reply).1.contains(lookup.as_str()), "the answer names no lookup");
    }
    // B's invitation and reservation are untouched: B's child still belongs to B, and B can
    // still invite with the reserved lookup.
    let stored = fx.state.store.assessment_by_lookup(&live.lookup).expect("store").expect("there");
    assert_eq!(stored.organisation, OTHER);
    let reply = send!(app, invite(&bo_cookie, &batch(vec![child_with(&reserved).1], false)));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

#[actix_web::test]
async fn nobody_is_ever_handed_a_lookup_that_is_live_or_reserved_in_any_organisation() {
    let fx = Fixture::new();
    fx.add_organisation(OTHER);
    let app = app!(fx.state);
    let anna = staff(&fx, ORGANISATION, "anna");
    let bo = staff(&fx, OTHER, "bo");
    let (bo_cookie, _) = staff_log_in!(&fx, app, &bo);
    // B invites a child with 3333 and holds 4444; the draws below are made to come up with
    // them, as random draws eventually would.
    let hour = limits::LOOKUP_RESERVATION_SECS;
    let reserved = |lookups: &[&str]| ReserveOutcome::Reserved {
        lookups: lookups.iter().map(|l| l.to_string()).collect(),
        expires_unix: fx.state.now() + hour,
    };
    assert_eq!(fx.reserve_from(&bo, 2, &["3333", "4444"]), reserved(&["3333", "4444"]));
    let reply = send!(app, invite(&bo_cookie, &batch(vec![child_with("3333").1], false)));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);

    let drawn = fx.reserve_from(&anna, 2, &["3333", "4444", "3333", "6666", "4444", "7777"]);
    assert_eq!(drawn, reserved(&["6666", "7777"]));
    // When every draw is in use (or already chosen in this request), the server gives up
    // and reserves nothing, not even the one free lookup it found.
    assert_eq!(fx.reserve_from(&anna, 2, &["3333", "9999", "4444"]), ReserveOutcome::NoneFree);
    assert_eq!(fx.reserve_from(&bo, 1, &["9999"]), reserved(&["9999"]));
    // The server's own invitations (the `demo` command) pass over reserved lookups too.
    let own = fx.invite();
    let mut stored = fx.state.store.assessment(&own.assessment).expect("store").expect("there");
    stored.id = "another-id".into();
    stored.lookup = "6666".into();
    assert!(!fx.state.store.insert_assessment(&stored).expect("store"), "6666 is anna's");
    stored.lookup = "3333".into();
    assert!(!fx.state.store.insert_assessment(&stored).expect("store"), "3333 is B's live invitation");
}

#[actix_web::test]
async fn a_reserved_lookup_invites_once() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let anna = staff(&fx, ORGANISATION, "anna");
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let reply = send!(app, lookups_request(&cookie, 1));
    assert_eq!(reply.status, StatusCode::OK);
    let reserved: beratta_core::api::ReservedLookups = reply.json();
    assert_eq!(reserved.expires_unix, fx.state.now() + limits::LOOKUP_RESERVATION_SECS);
    let lookup = &reserved.lookups[0];
    assert!(beratta_core::login::is_lookup(lookup), "{lookup}");
    assert_eq!(send!(app, invite(&cookie, &batch(vec![child_with(lookup).1], false))).status, StatusCode::OK);
    let again = send!(app, invite(&cookie, &batch(vec![child_with(lookup).1], false)));
    assert_eq!((again.status, again.error().as_str()), (StatusCode::CONFLICT, "lookup_not_reserved"));
}

#[actix_web::test]
async fn a_lookup_reserved_for_a_colleague_is_refused_and_stays_theirs() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let anna = staff(&fx, ORGANISATION, "anna");
    let bo = staff(&fx, ORGANISATION, "bo");
    let (anna_cookie, _) = staff_log_in!(&fx, app, &anna);
    let (bo_cookie, _) = staff_log_in!(&fx, app, &bo);
    let annas = reserve_lookups!(app, &anna_cookie, 1).remove(0);
    let reply = send!(app, invite(&bo_cookie, &batch(vec![child_with(&annas).1], false)));
    assert_eq!((reply.status, reply.error().as_str()), (StatusCode::CONFLICT, "lookup_not_reserved"));
    let reply = send!(app, invite(&anna_cookie, &batch(vec![child_with(&annas).1], false)));
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

#[actix_web::test]
async fn a_reservation_expires_and_its_lookup_can_then_be_drawn_again() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let anna = staff(&fx, ORGANISATION, "anna");
    let bo = staff(&fx, ORGANISATION, "bo");
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    let lookups = reserve_lookups!(app, &cookie, 2);
    let later = [lookups[1].as_str()];
    assert_eq!(fx.reserve_from(&bo, 1, &later), ReserveOutcome::NoneFree, "held for anna");
    fx.advance(limits::LOOKUP_RESERVATION_SECS - 1);
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    assert_eq!(send!(app, invite(&cookie, &batch(vec![child_with(&lookups[0]).1], false))).status, StatusCode::OK);
    fx.advance(1);
    let late = send!(app, invite(&cookie, &batch(vec![child_with(&lookups[1]).1], false)));
    assert_eq!((late.status, late.error().as_str()), (StatusCode::CONFLICT, "lookup_not_reserved"));
    let drawn = fx.reserve_from(&bo, 1, &later);
    let expires_unix = fx.state.now() + limits::LOOKUP_RESERVATION_SECS;
    assert_eq!(drawn, ReserveOutcome::Reserved { lookups: vec![lookups[1].clone()], expires_unix });
}

#[actix_web::test]
async fn a_staff_member_holds_at_most_300_lookups_and_draws_at_most_1000_a_day() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let anna = staff(&fx, ORGANISATION, "anna");
    let hour = limits::LOOKUP_RESERVATION_SECS;
    let (mut cookie, _) = staff_log_in!(&fx, app, &anna);
    let mut held = Vec::new();
    for _ in 0..3 {
        held.extend(reserve_lookups!(app, &cookie, 100));
    }
    let full = send!(app, lookups_request(&cookie, 1));
    assert_eq!((full.status, full.error().as_str()), (StatusCode::TOO_MANY_REQUESTS, "too_many_lookups"));
    assert_eq!(full.header("retry-after"), Some(hour.to_string().as_str()), "when the first reservations expire");
    // Using a reservation makes room for one more.
    assert_eq!(send!(app, invite(&cookie, &batch(vec![child_with(&held[0]).1], false))).status, StatusCode::OK);
    assert_eq!(reserve_lookups!(app, &cookie, 1).len(), 1);
    // Expired reservations make room too: two more hours of 300 make 901 drawn today.
    for _ in 0..2 {
        fx.advance(hour);
        cookie = staff_log_in!(&fx, app, &anna).0;
        for _ in 0..3 {
            reserve_lookups!(app, &cookie, 100);
        }
    }
    fx.advance(hour);
    cookie = staff_log_in!(&fx, app, &anna).0;
    assert_eq!(reserve_lookups!(app, &cookie, 99).len(), 99, "1000 drawn today");
    let day = send!(app, lookups_request(&cookie, 1));
    assert_eq!((day.status, day.error().as_str()), (StatusCode::TOO_MANY_REQUESTS, "too_many_lookups"));
    let left = limits::LOOKUP_DRAW_WINDOW_SECS - 3 * hour;
    assert_eq!(day.header("retry-after"), Some(left.to_string().as_str()), "when the day's window ends");
    fx.advance(left);
    cookie = staff_log_in!(&fx, app, &anna).0;
    assert_eq!(reserve_lookups!(app, &cookie, 100).len(), 100, "a new window");
}

#[actix_web::test]
async fn lookups_are_asked_for_one_batch_at_a_time() {
    let fx = Fixture::new();
    let app = app!(fx.state);
    let anna = staff(&fx, ORGANISATION, "anna");
    let (cookie, _) = staff_log_in!(&fx, app, &anna);
    for count in [0, limits::MAX_BATCH_CHILDREN as u32 + 1, u32::MAX] {
        let reply = send!(app, lookups_request(&cookie, count));
        assert_eq!((reply.status, reply.error().as_str()), (StatusCode::BAD_REQUEST, "invalid"), "{count}");
    }
    let lookups = reserve_lookups!(app, &cookie, limits::MAX_BATCH_CHILDREN as u32);
    let mut distinct = lookups.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), limits::MAX_BATCH_CHILDREN, "no lookup twice");
}
