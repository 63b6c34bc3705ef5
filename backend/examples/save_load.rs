//! Durable saves per second against a running server, for `make bench`. Every child logs
//! in with a real code, then all of them save at once, one sealed save after another as the
//! browser does, for a fixed time; the server acknowledges each only once it is on disk.
//! Prints one row of the table `make bench` heads: children, saves per second, median and
//! 99th percentile round trip, saves and unanswered saves. Logins are not in the figures.
//!
//! Closed loop by default: each child sends its next save as soon as the last is answered,
//! which finds the most saves per second the server can make durable; by Little's law
//! each save then waits about children ÷ throughput. With `--rate R` each child instead
//! sends R saves a second on a fixed schedule (open loop), and a save's time counts from
//! when it was due, not when it could be sent, so a server that falls behind shows it.
//!
//! `save_load URL SECONDS [--rate R] CODE...` (one thread per code)

#[path = "../tests/api/support/load.rs"]
mod load;

use load::LoadChild;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// A save unanswered for this long counts as never answered.
const PATIENCE: Duration = Duration::from_secs(30);

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: save_load URL SECONDS [--rate SAVES_PER_SECOND_PER_CHILD] CODE...";
    let [url, seconds, rest @ ..] = args.as_slice() else { return Err(usage.into()) };
    let (rate, codes) = match rest {
        [flag, rate, codes @ ..] if flag == "--rate" => {
            (Some(rate.parse::<f64>().ok().filter(|r| *r > 0.0).ok_or(usage)?), codes)
        }
        codes => (None, codes),
    };
    let seconds: f64 = seconds.parse().map_err(|_| "SECONDS is a number")?;
    let duration = Duration::from_secs_f64(seconds);
    let ready = Arc::new(Barrier::new(codes.len() + 1));
    let (times, errors, elapsed) = std::thread::scope(|scope| {
        let handles: Vec<_> = codes
            .iter()
            .enumerate()
            .map(|(i, code)| {
                let ready = ready.clone();
                // Paced children start spread over one interval, not all at once.
                let offset =
                    rate.map_or(Duration::ZERO, |r| Duration::from_secs_f64(i as f64 / codes.len() as f64 / r));
                scope.spawn(move || {
                    let child = LoadChild::log_in(url, code, PATIENCE);
                    ready.wait();
                    let mut child = match child {
                        Ok(child) => child,
                        Err(e) => return (Vec::new(), vec![e]),
                    };
                    let began = Instant::now();
                    let mut times = Vec::new();
                    let mut due = began + offset;
                    while began.elapsed() < duration {
                        let late = match rate {
                            Some(rate) => {
                                std::thread::sleep(due.saturating_duration_since(Instant::now()));
                                let late = Instant::now().saturating_duration_since(due);
                                due += Duration::from_secs_f64(1.0 / rate);
                                late
                            }
                            None => Duration::ZERO,
                        };
                        match child.save() {
                            Ok(took) => times.push(late + took),
                            Err(e) => return (times, vec![e]),
                        }
                    }
                    (times, Vec::new())
                })
            })
            .collect();
        ready.wait();
        let began = Instant::now();
        let mut times: Vec<Duration> = Vec::new();
        let mut errors: Vec<String> = Vec::new();
        for handle in handles {
            let (t, e) = handle.join().unwrap_or_else(|_| (Vec::new(), vec!["a child thread panicked".into()]));
            times.extend(t);
            errors.extend(e);
        }
        (times, errors, began.elapsed())
    });
    let mut times = times;
    times.sort();
    let percentile = |p: f64| {
        if times.is_empty() {
            f64::NAN
        } else {
            times[((times.len() as f64 * p) as usize).min(times.len() - 1)].as_secs_f64() * 1e3
        }
    };
    println!(
        "  {:>8} {:>10.0} {:>9.1} {:>9.1} {:>8} {:>11}",
        codes.len(),
        times.len() as f64 / elapsed.as_secs_f64(),
        percentile(0.5),
        percentile(0.99),
        times.len(),
        errors.len()
    );
    if let Some(first) = errors.first() {
        return Err(format!("{} children stopped; the first: {first}", errors.len()));
    }
    Ok(())
}
