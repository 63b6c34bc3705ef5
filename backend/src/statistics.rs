//! The order in which a round's sealed statistics records are served: random, with memory
//! bounded by a page whatever the round's size, and without assessment ids.
//!
//! A listing starts with a fresh random seed from the server's RNG and the number of pages,
//! `ceil(records / STATISTICS_PAGE)`. Each record belongs to page
//! `HMAC-SHA256(order_key, assessment id) mod pages`, where
//! `order_key = HMAC-SHA256(server secret, "beratta/statistics-order/v1" ‖ seed ‖ pages)`;
//! a page is read by one scan of the round that keeps only its own records, and shuffled
//! with the server's RNG before it is sent. So the pages are a random partition that
//! nobody without the server secret can relate to assessment ids (a client that changes
//! the cursor gets another random partition, not a chosen one), the order within a page is
//! uniform, and no more than one page is in memory. The cursor (seed, pages, next page) is
//! not secret.

use crate::limits;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::login::ServerSecret;
use hmac::{Hmac, Mac};
use rand_core::CryptoRngCore;
use sha2::Sha256;

const SEED_LEN: usize = 16;

/// Where a listing of a round's records is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    seed: [u8; SEED_LEN],
    pages: u32,
    /// The page to read next.
    pub page: u32,
}

impl Cursor {
    /// The first page of a new listing of `records` records.
    pub fn start(records: u64, rng: &mut impl CryptoRngCore) -> Cursor {
        let mut seed = [0u8; SEED_LEN];
        rng.fill_bytes(&mut seed);
        let pages = records.div_ceil(limits::STATISTICS_PAGE).clamp(1, u64::from(limits::MAX_STATISTICS_PAGES));
        Cursor { seed, pages: pages as u32, page: 0 }
    }

    /// Reads a cursor as [`Cursor::encode`] wrote it; `None` for anything else.
    pub fn parse(text: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        if bytes.len() != SEED_LEN + 8 {
            return None;
        }
        let seed: [u8; SEED_LEN] = bytes[..SEED_LEN].try_into().ok()?;
        let pages = u32::from_be_bytes(bytes[SEED_LEN..SEED_LEN + 4].try_into().ok()?);
        let page = u32::from_be_bytes(bytes[SEED_LEN + 4..].try_into().ok()?);
        (1..=limits::MAX_STATISTICS_PAGES).contains(&pages).then_some(())?;
        (page < pages).then_some(Cursor { seed, pages, page })
    }

    pub fn encode(&self) -> String {
        let mut bytes = self.seed.to_vec();
        bytes.extend_from_slice(&self.pages.to_be_bytes());
        bytes.extend_from_slice(&self.page.to_be_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The cursor of the page after this one, `None` after the last.
    pub fn next(&self) -> Option<Cursor> {
        (self.page + 1 < self.pages).then(|| Cursor { page: self.page + 1, ..self.clone() })
    }

    /// Which page each assessment's record is on, for this listing.
    pub fn partition(&self, secret: &ServerSecret) -> Partition {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
        mac.update(b"beratta/statistics-order/v1");
        mac.update(&self.seed);
        mac.update(&self.pages.to_be_bytes());
        Partition { order_key: mac.finalize().into_bytes().into(), pages: self.pages }
    }
}

/// The random partition of a listing into pages.
pub struct Partition {
    order_key: [u8; 32],
    pages: u32,
}

impl Partition {
    /// The page `assessment`'s record is on.
    pub fn page_of(&self, assessment: &[u8]) -> u32 {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.order_key).expect("HMAC takes any key length");
        mac.update(assessment);
        let digest = mac.finalize().into_bytes();
        let head = u64::from_be_bytes(digest[..8].try_into().expect("a SHA-256 output has 8 bytes"));
        (head % u64::from(self.pages)) as u32
    }
}

/// A uniform random integer below `bound` (> 0), by rejection, so no value is favoured.
fn below(bound: u64, rng: &mut impl CryptoRngCore) -> u64 {
    let zone = u64::MAX - (u64::MAX % bound);
    loop {
        let value = rng.next_u64();
        if value < zone {
            return value % bound;
        }
    }
}

/// Shuffles `items` uniformly (Fisher–Yates) with the server's RNG.
pub fn shuffle<T>(items: &mut [T], rng: &mut impl CryptoRngCore) {
    for i in (1..items.len()).rev() {
        let j = below(i as u64 + 1, rng) as usize;
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::OsRng;

    #[test]
    fn a_cursor_reads_back_and_a_tampered_one_is_refused() {
        let cursor = Cursor::start(2_500, &mut OsRng);
        assert_eq!(cursor.pages, 3);
        assert_eq!(Cursor::parse(&cursor.encode()), Some(cursor.clone()));
        let last = cursor.next().and_then(|c| c.next()).expect("three pages");
        assert_eq!(last.next(), None);
        assert_eq!(Cursor::parse("nonsense"), None);
        let beyond = Cursor { page: 3, ..cursor.clone() };
        assert_eq!(Cursor::parse(&beyond.encode()), None);
        let none = Cursor { pages: 0, page: 0, ..cursor };
        assert_eq!(Cursor::parse(&none.encode()), None);
    }

    #[test]
    fn every_record_is_on_exactly_one_page_and_pages_differ_between_listings() {
        let secret = ServerSecret::generate(&mut OsRng);
        let ids: Vec<String> = (0..5_000).map(|i| format!("as-{i}")).collect();
        let cursor = Cursor::start(ids.len() as u64, &mut OsRng);
        let partition = cursor.partition(&secret);
        let mut sizes = vec![0usize; cursor.pages as usize];
        for id in &ids {
            sizes[partition.page_of(id.as_bytes()) as usize] += 1;
        }
        assert_eq!(sizes.iter().sum::<usize>(), ids.len());
        // Five pages of about a thousand: none is empty or holds nearly everything.
        assert!(sizes.iter().all(|&n| (800..1_200).contains(&n)), "{sizes:?}");
        let other = Cursor::start(ids.len() as u64, &mut OsRng).partition(&secret);
        let same = ids.iter().filter(|id| other.page_of(id.as_bytes()) == partition.page_of(id.as_bytes())).count();
        assert!(same < ids.len() / 2, "another listing cuts the pages the same way: {same}");
    }

    #[test]
    fn a_shuffle_keeps_every_item_and_moves_them() {
        let mut items: Vec<u32> = (0..1_000).collect();
        shuffle(&mut items, &mut OsRng);
        let in_place = items.iter().enumerate().filter(|(i, v)| *i as u32 == **v).count();
        assert!(in_place < 20, "{in_place} items stayed where they were");
        items.sort_unstable();
        assert_eq!(items, (0..1_000).collect::<Vec<_>>());
    }
}
