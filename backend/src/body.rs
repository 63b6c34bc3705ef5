//! Request bodies, before any handler reads one: a compressed body is refused, and a body
//! that arrives too slowly is cut off.
//!
//! **Compressed bodies.** actix-web inflates a `Content-Encoding: gzip` body inside the
//! JSON extractor, a whole network read at a time, before the size limit is checked; a few
//! kilobytes of gzip became tens of megabytes of memory for one anonymous login. Browsers
//! never compress a request body, so any `Content-Encoding` other than `identity` is
//! refused here with 415, on every route, before a byte of the body is read.
//!
//! **Slow bodies.** actix's `client_request_timeout` covers only the request head. Here
//! the body gets a deadline of its own, [`limits::BODY_TIMEOUT_SECS`] from the moment the
//! head arrived: the payload stream a handler reads ends with an error at the deadline, and
//! the answer becomes 408 whatever the handler made of that error.
//!
//! **Unread bodies.** A body a handler did not read to its end (a refusal, a wrong method,
//! a timeout) stays held by the response until it is sent, so that actix closes the
//! connection after answering instead of quietly reading and discarding the rest of a
//! chunked body, with no timer, for as long as the client cares to dribble it.

use crate::error::ApiError;
use crate::{limits, AppState};
use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header::{self, HeaderMap};
use actix_web::middleware::Next;
use actix_web::rt::time::{sleep, Sleep};
use actix_web::web::{self, Bytes};
use actix_web::{HttpMessage, ResponseError};
use futures_core::Stream;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

/// Whether the request's body is sent as it is: no `Content-Encoding`, or only `identity`.
/// A value that is not text, or is empty, is not `identity`.
pub fn is_uncompressed(headers: &HeaderMap) -> bool {
    headers.get_all(header::CONTENT_ENCODING).all(|value| {
        value.to_str().is_ok_and(|text| text.split(',').all(|coding| coding.trim().eq_ignore_ascii_case("identity")))
    })
}

/// Whether a payload error is the deadline of [`guard_body`] passing.
pub fn is_body_timeout(err: &PayloadError) -> bool {
    matches!(err, PayloadError::Io(e) if e.kind() == io::ErrorKind::TimedOut)
}

/// The request's payload, shared by the stream the handler reads and the middleware, which
/// may have to keep it until the response is sent.
struct Body {
    payload: RefCell<Payload>,
    /// The payload has ended, at its end or with an error of its own: actix has nothing
    /// more to read.
    ended: Cell<bool>,
    /// The deadline passed before the payload ended; the rest stays unread.
    expired: Cell<bool>,
}

/// The payload as the handler sees it: the request's, ending with an error at the deadline.
struct DeadlineStream {
    body: Rc<Body>,
    deadline: Pin<Box<Sleep>>,
}

impl Stream for DeadlineStream {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.body.ended.get() || self.body.expired.get() {
            return Poll::Ready(None);
        }
        // The deadline first: a client that always has one more byte ready must not be
        // able to keep it from being looked at.
        if self.deadline.as_mut().poll(cx).is_ready() {
            self.body.expired.set(true);
            let err = io::Error::new(io::ErrorKind::TimedOut, "the request body took too long to arrive");
            return Poll::Ready(Some(Err(PayloadError::Io(err))));
        }
        let next = Pin::new(&mut *self.body.payload.borrow_mut()).poll_next(cx);
        if matches!(next, Poll::Ready(None) | Poll::Ready(Some(Err(_)))) {
            self.body.ended.set(true);
        }
        next
    }
}

/// A response body as the handler made it, holding the request's payload if that was not
/// read to its end. While the payload is alive, actix sees a request body nobody has
/// finished reading, and closes the connection after the response.
pub struct GuardedBody {
    body: BoxBody,
    held: Option<Rc<Body>>,
}

impl GuardedBody {
    fn wrap(res: ServiceResponse<BoxBody>, body: Option<Rc<Body>>) -> ServiceResponse<GuardedBody> {
        let held = body.filter(|body| !body.ended.get());
        res.map_body(|_, body| GuardedBody { body, held })
    }
}

impl MessageBody for GuardedBody {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        match self.body.size() {
            // `None` would let a boxing middleware replace this body, dropping the payload
            // before the response is sent. An empty body is the same on the wire.
            BodySize::None if self.held.is_some() => BodySize::Sized(0),
            size => size,
        }
    }

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.body).poll_next(cx)
    }

    fn try_into_bytes(self) -> Result<Bytes, Self> {
        match self.held {
            None => self.body.try_into_bytes().map_err(|body| GuardedBody { body, held: None }),
            Some(_) => Err(self),
        }
    }
}

/// Refuses compressed bodies and puts a deadline on the rest (see the module's text).
pub async fn guard_body(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<GuardedBody>, actix_web::Error> {
    let timeout = req
        .app_data::<web::Data<AppState>>()
        .map_or(Duration::from_secs(limits::BODY_TIMEOUT_SECS), |state| state.body_timeout());
    let body = match req.take_payload() {
        Payload::None => None,
        payload => {
            Some(Rc::new(Body { payload: RefCell::new(payload), ended: Cell::new(false), expired: Cell::new(false) }))
        }
    };
    if !is_uncompressed(req.headers()) {
        let res = req.into_response(ApiError::UnsupportedEncoding.error_response());
        return Ok(GuardedBody::wrap(res.map_into_boxed_body(), body));
    }
    if let Some(body) = &body {
        let stream = DeadlineStream { body: body.clone(), deadline: Box::pin(sleep(timeout)) };
        req.set_payload(Payload::Stream { payload: Box::pin(stream) });
    }
    let res = next.call(req).await?.map_into_boxed_body();
    let res = match &body {
        Some(body) if body.expired.get() => {
            let (req, _) = res.into_parts();
            ServiceResponse::new(req, ApiError::BodyTimeout.error_response())
        }
        _ => res,
    };
    Ok(GuardedBody::wrap(res, body))
}
