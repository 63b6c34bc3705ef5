//! The operator's figures, in Prometheus' text format at `GET /metrics`, and the counters
//! of what the server refused without knowing who asked.
//!
//! A refusal of a request that carries no identity (an unknown code, a locked code, no
//! session, an unknown one-time link) belongs to nobody's audit trail, and appending each
//! one would let any stranger grow the audit log without bound. They are counted here
//! instead, in memory (`beratta_refusals_total`), and the server logs the counts once a
//! minute when they changed.
//!
//! Nothing here can name a child or a staff member: requests are counted by route
//! *pattern* (`/api/assessments/{id}`, never the path as sent) and status, logins only as
//! failed, sessions only as a number. The figures live in a registry of each [`Metrics`],
//! not a global one, so every test's app counts its own.

use crate::access_log::logged_path;
use crate::headers::is_api_path;
use prometheus::{Encoder, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGaugeVec, Opts, Registry};

/// What was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A child login with a lookup that names no invitation.
    UnknownChildCode,
    /// A child login for a code already locked by wrong tries.
    LockedChildCode,
    /// A staff login with a username that has no usable account.
    UnknownStaffLogin,
    /// A staff request without a live session.
    NoStaffSession,
    /// A set-up or enrolment link that opens nothing.
    UnknownLink,
}

impl Refusal {
    const ALL: [Refusal; 5] = [
        Refusal::UnknownChildCode,
        Refusal::LockedChildCode,
        Refusal::UnknownStaffLogin,
        Refusal::NoStaffSession,
        Refusal::UnknownLink,
    ];

    fn name(self) -> &'static str {
        match self {
            Refusal::UnknownChildCode => "unknown_child_code",
            Refusal::LockedChildCode => "locked_child_code",
            Refusal::UnknownStaffLogin => "unknown_staff_login",
            Refusal::NoStaffSession => "no_staff_session",
            Refusal::UnknownLink => "unknown_link",
        }
    }
}

/// The counts of refusals since the server started (`beratta_refusals_total{reason}`).
#[derive(Debug)]
pub struct Refusals([IntCounter; 5]);

impl Refusals {
    fn registered(registry: &Registry) -> Refusals {
        let family = register(
            registry,
            IntCounterVec::new(
                Opts::new("beratta_refusals_total", "Requests refused without knowing who asked, by reason"),
                &["reason"],
            ),
        );
        Refusals(Refusal::ALL.map(|r| family.with_label_values(&[r.name()])))
    }

    pub fn count(&self, refusal: Refusal) {
        self.0[refusal as usize].inc();
    }

    pub fn get(&self, refusal: Refusal) -> u64 {
        self.0[refusal as usize].get()
    }

    /// One line with every count, e.g. `unknown_child_code=3 locked_child_code=0 ...`.
    pub fn summary(&self) -> String {
        Refusal::ALL.iter().map(|r| format!("{}={}", r.name(), self.get(*r))).collect::<Vec<_>>().join(" ")
    }

    /// The sum of all counts, to tell whether anything changed since the last log line.
    pub fn total(&self) -> u64 {
        Refusal::ALL.iter().map(|r| self.get(*r)).sum()
    }
}

/// The login routes whose refusals count as failed logins, and who logs in there.
const LOGINS: [(&str, &str); 3] =
    [("/api/child/login", "child"), ("/api/staff/login", "staff"), ("/api/recovery/open", "recovery")];

/// The route whose answer acknowledges a child's save.
const SAVE_ROUTE: &str = "/api/child/answers";

/// Every figure the server keeps, in one registry.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    save_seconds: Histogram,
    failed_logins: IntCounterVec,
    /// Set from the store at each scrape.
    database_bytes: IntGaugeVec,
    sessions: IntGaugeVec,
    pub refusals: std::sync::Arc<Refusals>,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new();
        let requests = register(
            &registry,
            IntCounterVec::new(
                Opts::new("beratta_http_requests_total", "Requests answered, by route pattern, method and status"),
                &["route", "method", "status"],
            ),
        );
        let save_seconds = register(
            &registry,
            Histogram::with_opts(
                HistogramOpts::new(
                    "beratta_save_duration_seconds",
                    "Time from a child's save arriving to its acknowledgement, durable on disk",
                )
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]),
            ),
        );
        let failed_logins = register(
            &registry,
            IntCounterVec::new(
                Opts::new(
                    "beratta_failed_logins_total",
                    "Login attempts refused: child codes, staff passwords, recovery keys",
                ),
                &["who"],
            ),
        );
        let database_bytes = register(
            &registry,
            IntGaugeVec::new(Opts::new("beratta_database_size_bytes", "The database's size on disk"), &["database"]),
        );
        let sessions = register(
            &registry,
            IntGaugeVec::new(
                Opts::new(
                    "beratta_active_sessions",
                    "Sessions held by the server; an expired one leaves at the next sweep (every 10 minutes)",
                ),
                &["who"],
            ),
        );
        let refusals = std::sync::Arc::new(Refusals::registered(&registry));
        Metrics { registry, requests, save_seconds, failed_logins, database_bytes, sessions, refusals }
    }

    /// Counts one answered request. `path` is the path as sent and `pattern` the route it
    /// matched, of which only the pattern (or a fixed word) becomes a label.
    pub fn request(&self, method: &str, path: &str, pattern: Option<&str>, status: u16, seconds: f64) {
        let route = route_label(path, pattern);
        let method = match method {
            "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method,
            _ => "other",
        };
        self.requests.with_label_values(&[route.as_str(), method, &status.to_string()]).inc();
        if let Some((_, who)) = LOGINS.iter().find(|(p, _)| *p == route) {
            if (400..500).contains(&status) {
                self.failed_logins.with_label_values(&[who]).inc();
            }
        }
        if route == SAVE_ROUTE && method == "PUT" && status == 200 {
            self.save_seconds.observe(seconds);
        }
    }

    /// The figures in Prometheus' text format, with the store's own set first.
    pub fn render(&self, database_bytes: u64, child_sessions: usize, staff_sessions: usize) -> String {
        self.database_bytes.with_label_values(&["sled"]).set(i64::try_from(database_bytes).unwrap_or(i64::MAX));
        self.sessions.with_label_values(&["child"]).set(child_sessions as i64);
        self.sessions.with_label_values(&["staff"]).set(staff_sessions as i64);
        let mut out = Vec::new();
        prometheus::TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .expect("the text encoder writes into memory");
        String::from_utf8(out).expect("the text format is UTF-8")
    }
}

/// The label of a request's route: the API's route pattern, `/metrics`, or one word for the
/// front end's files, so that no label ever holds what a client typed into a path.
pub fn route_label(path: &str, pattern: Option<&str>) -> String {
    if is_api_path(path) {
        logged_path(path, pattern)
    } else if path == "/metrics" {
        path.to_string()
    } else {
        "(front end)".to_string()
    }
}

/// Registers a figure made from fixed names, labels and buckets, which are always valid.
fn register<C: prometheus::core::Collector + Clone + 'static>(registry: &Registry, made: prometheus::Result<C>) -> C {
    let collector = made.expect("fixed names, labels and buckets are valid");
    registry.register(Box::new(collector.clone())).expect("each figure has a name of its own");
    collector
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_hold_patterns_never_what_a_client_typed() {
        assert_eq!(route_label("/api/assessments/abc", Some("/api/assessments/{id}")), "/api/assessments/{id}");
        assert_eq!(route_label("/api/nothing/secret-code", None), "/api/{unmatched}");
        assert_eq!(route_label("/some/child/typed/this", Some("/")), "(front end)");
        assert_eq!(route_label("/metrics", Some("/metrics")), "/metrics");
    }

    #[test]
    fn a_refused_login_and_an_acknowledged_save_are_counted() {
        let metrics = Metrics::new();
        metrics.request("POST", "/api/child/login", Some("/api/child/login"), 401, 0.01);
        metrics.request("POST", "/api/child/login", Some("/api/child/login"), 200, 0.01);
        metrics.request("PUT", "/api/child/answers", Some("/api/child/answers"), 200, 0.02);
        metrics.refusals.count(Refusal::UnknownChildCode);
        let text = metrics.render(4096, 3, 1);
        assert!(text.contains("beratta_failed_logins_total{who=\"child\"} 1"), "{text}");
        assert!(text.contains("beratta_save_duration_seconds_count 1"), "{text}");
        assert!(text.contains("beratta_database_size_bytes{database=\"sled\"} 4096"), "{text}");
        assert!(text.contains("beratta_active_sessions{who=\"child\"} 3"), "{text}");
        assert!(text.contains("beratta_refusals_total{reason=\"unknown_child_code\"} 1"), "{text}");
        assert!(
            text.contains("beratta_http_requests_total{method=\"POST\",route=\"/api/child/login\",status=\"401\"} 1"),
            "{text}"
        );
    }
}
