//! The statistics record: what a group picture may know of one assessment, and nothing more.
//!
//! [`StatisticsRecord::derive`] builds it from the questionnaire, the session and what the
//! caller knows of the round (its id, the unit, a per-child pseudonym). It holds the
//! instrument, the round, the unit, the age band, gender as answered, per factor whether it
//! was asked and endorsed (with how often, worry and help wish), the protective factors
//! present, the acute flag and whether the child finished. It never holds free text, names,
//! notes, item answers that are not factors, assessment ids or any time: the round is the
//! finest time there is.
//!
//! [`StatisticsRecord::encode`] writes it compactly: postcard (varints) around one byte per
//! factor the instrument measures, in the instrument's factor order, so the record's size
//! does not grow with factor names. Decoding needs the same instrument (`id@version` is in
//! the record). The first byte is [`FORMAT`]; a record of an unknown format is refused.
//!
//! [`seal_record`] seals the encoded record to the organisation's statistics key (not the
//! organisation key: those who read one child's answers and those who see groups hold
//! different keys), bound to the organisation and the round, so that the server cannot move
//! a record into another round or organisation.

use crate::catalogue::FactorKind;
use crate::engine::Session;
use crate::envelope::{EnvelopeError, OrgPublicKey, OrgSecretKey};
use crate::questionnaire::{Origin, Questionnaire};
use crate::scoring::{self, FactorProfile, HelpWish, HowOften, Worry};
use crate::Answer;
use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The encoding's version, the first byte of every encoded record.
pub const FORMAT: u8 = 1;

/// The background factor whose answer is the record's gender.
pub const GENDER_FACTOR: &str = "ind.gender";

/// Longest round id, unit id or gender option accepted, in bytes: ids, never prose.
pub const MAX_ID_LEN: usize = 64;

/// Longest encoded record accepted by [`StatisticsRecord::decode`]: far above any real
/// instrument (one byte per factor), so a hostile blob cannot make the reader allocate much.
pub const MAX_ENCODED_LEN: usize = 4096;

/// The bytes [`seal_record`] adds to an encoded record: the sealed one-time key
/// (`envelope::SEALED_KEY_LEN`, 80), the nonce (24) and the tag (16).
pub const SEALED_OVERHEAD: usize =
    crate::envelope::SEALED_KEY_LEN + crate::envelope::NONCE_LEN + crate::envelope::TAG_LEN;

/// Longest sealed record a server accepts with a save.
pub const MAX_SEALED_LEN: usize = MAX_ENCODED_LEN + SEALED_OVERHEAD;

/// A random per-child value, the same in each of the child's assessments, so that before
/// and after can be paired without knowing who the child is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Pseudonym(pub [u8; 16]);

/// What the child told of one risk factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RiskState {
    /// Shown, and the child chose not to answer.
    Declined,
    /// Answered, and not endorsed.
    No,
    /// Endorsed, with what the follow-ups told (the highest where several items measure it).
    Yes { how_often: Option<HowOften>, worry: Option<Worry>, wants_help: Option<HelpWish> },
}

/// What the child told of one protective factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProtectiveState {
    Declined,
    Absent,
    Present,
}

/// The de-identified record of one assessment. Factors the child was never shown are
/// absent from the maps: they were not asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatisticsRecord {
    pub instrument: String,
    pub version: u32,
    pub round: String,
    pub unit: Option<String>,
    /// The instrument's age band (`"10-12"`), if it names one.
    pub age_band: Option<String>,
    /// The gender option the child picked, if any (`"girl"`, `"boy"`, `"other"`).
    pub gender: Option<String>,
    pub risks: BTreeMap<String, RiskState>,
    pub protective: BTreeMap<String, ProtectiveState>,
    pub acute: bool,
    pub finished: bool,
    pub pseudonym: Pseudonym,
}

/// Where a record belongs: handed in by the caller, never read from the answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordContext {
    pub round: String,
    pub unit: Option<String>,
    pub pseudonym: Pseudonym,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StatisticsError {
    #[error("the record is not readable: {0}")]
    Malformed(String),
    #[error("the record has format {0}, which this version cannot read")]
    UnknownFormat(u8),
    #[error("the record is for {found}, not {expected}")]
    WrongInstrument { expected: String, found: String },
    #[error("an id in the record is longer than {MAX_ID_LEN} bytes")]
    IdTooLong,
    #[error("the record is longer than {MAX_ENCODED_LEN} bytes")]
    TooLong,
}

impl StatisticsRecord {
    /// The record of `session` as it stands: only answers still shown count, so a risk the
    /// child took back is gone from the record.
    pub fn derive(q: &Questionnaire, session: &Session, context: &RecordContext) -> StatisticsRecord {
        let profile = scoring::score(q, session);
        let mut risks = BTreeMap::new();
        let mut protective = BTreeMap::new();
        for (pos, answer) in session.shown_answers(q) {
            let item = &q.items[pos];
            if !matches!(item.origin, Origin::Authored) {
                continue;
            }
            for factor in item.measures().into_iter().filter_map(|f| q.factor(f)) {
                let declined = matches!(answer, Answer::Declined);
                match factor.kind {
                    FactorKind::Risk => {
                        let state = if declined { RiskState::Declined } else { RiskState::No };
                        risks.entry(factor.id.clone()).and_modify(|s| *s = asked(*s, state)).or_insert(state);
                    }
                    FactorKind::Protective => {
                        let state = if declined { ProtectiveState::Declined } else { ProtectiveState::Absent };
                        protective
                            .entry(factor.id.clone())
                            .and_modify(|s: &mut ProtectiveState| *s = (*s).max_answered(state))
                            .or_insert(state);
                    }
                    FactorKind::Background => {}
                }
            }
        }
        for finding in profile.risks() {
            let endorsed =
                RiskState::Yes { how_often: finding.how_often, worry: finding.worry, wants_help: finding.wants_help };
            let slot = risks.entry(finding.factor.clone()).or_insert(endorsed);
            *slot = merge_endorsed(*slot, endorsed);
        }
        for finding in profile.protective() {
            protective.insert(finding.factor.clone(), ProtectiveState::Present);
        }
        let finished = session.view(q).complete;
        StatisticsRecord {
            instrument: q.id.clone(),
            version: q.version,
            round: context.round.clone(),
            unit: context.unit.clone(),
            age_band: q.ages.clone(),
            gender: gender(&profile),
            risks,
            protective,
            acute: profile.acute,
            finished,
            pseudonym: context.pseudonym,
        }
    }

    /// `id@version` of the instrument the record was answered with.
    pub fn reference(&self) -> String {
        format!("{}@{}", self.instrument, self.version)
    }

    /// The compact encoding, for `q` (the instrument the record was derived with).
    pub fn encode(&self, q: &Questionnaire) -> Result<Vec<u8>, StatisticsError> {
        if self.reference() != q.reference() {
            return Err(StatisticsError::WrongInstrument { expected: q.reference(), found: self.reference() });
        }
        let ids = [Some(&self.round), self.unit.as_ref(), self.gender.as_ref()];
        if ids.iter().flatten().any(|id| id.len() > MAX_ID_LEN) {
            return Err(StatisticsError::IdTooLong);
        }
        let factors = factor_order(q)
            .map(|(id, kind)| match kind {
                FactorKind::Risk => self.risks.get(id).map_or(0, |s| risk_byte(*s)),
                _ => self.protective.get(id).map_or(0, |s| protective_byte(*s)),
            })
            .collect();
        let wire = Wire {
            format: FORMAT,
            instrument: self.instrument.clone(),
            version: self.version,
            round: self.round.clone(),
            unit: self.unit.clone(),
            gender: self.gender.clone(),
            flags: u8::from(self.acute) | u8::from(self.finished) << 1,
            pseudonym: self.pseudonym.0,
            factors,
        };
        postcard::to_allocvec(&wire).map_err(|e| StatisticsError::Malformed(e.to_string()))
    }

    /// Reads a record encoded for `q`. Refuses a record of another instrument, an unknown
    /// format, a byte that is no state, or trailing bytes.
    pub fn decode(bytes: &[u8], q: &Questionnaire) -> Result<StatisticsRecord, StatisticsError> {
        if bytes.len() > MAX_ENCODED_LEN {
            return Err(StatisticsError::TooLong);
        }
        match bytes.first() {
            None => return Err(StatisticsError::Malformed("empty".into())),
            Some(&FORMAT) => {}
            Some(&other) => return Err(StatisticsError::UnknownFormat(other)),
        }
        let (wire, rest): (Wire, &[u8]) =
            postcard::take_from_bytes(bytes).map_err(|e| StatisticsError::Malformed(e.to_string()))?;
        if !rest.is_empty() {
            return Err(StatisticsError::Malformed("bytes after the record".into()));
        }
        let found = format!("{}@{}", wire.instrument, wire.version);
        if found != q.reference() {
            return Err(StatisticsError::WrongInstrument { expected: q.reference(), found });
        }
        let ids = [Some(&wire.round), wire.unit.as_ref(), wire.gender.as_ref()];
        if ids.iter().flatten().any(|id| id.len() > MAX_ID_LEN) {
            return Err(StatisticsError::IdTooLong);
        }
        let order: Vec<_> = factor_order(q).collect();
        if wire.factors.len() != order.len() {
            return Err(StatisticsError::Malformed(format!(
                "{} factor bytes for an instrument of {} factors",
                wire.factors.len(),
                order.len()
            )));
        }
        if wire.flags > 0b11 {
            return Err(StatisticsError::Malformed("unknown flags".into()));
        }
        let mut risks = BTreeMap::new();
        let mut protective = BTreeMap::new();
        for ((id, kind), byte) in order.into_iter().zip(wire.factors) {
            let bad = || StatisticsError::Malformed(format!("factor {id}: no state is written {byte:#04x}"));
            match kind {
                FactorKind::Risk => {
                    if let Some(state) = risk_state(byte).ok_or_else(bad)? {
                        risks.insert(id.to_string(), state);
                    }
                }
                _ => {
                    if let Some(state) = protective_state(byte).ok_or_else(bad)? {
                        protective.insert(id.to_string(), state);
                    }
                }
            }
        }
        Ok(StatisticsRecord {
            instrument: wire.instrument,
            version: wire.version,
            round: wire.round,
            unit: wire.unit,
            age_band: q.ages.clone(),
            gender: wire.gender,
            risks,
            protective,
            acute: wire.flags & 1 != 0,
            finished: wire.flags & 2 != 0,
            pseudonym: Pseudonym(wire.pseudonym),
        })
    }

    /// Whether the child endorsed `factor`.
    pub fn endorsed(&self, factor: &str) -> bool {
        matches!(self.risks.get(factor), Some(RiskState::Yes { .. }))
    }
}

/// The record as it is written: everything by position, nothing by name but the ids.
#[derive(Serialize, Deserialize)]
struct Wire {
    format: u8,
    instrument: String,
    version: u32,
    round: String,
    unit: Option<String>,
    gender: Option<String>,
    /// Bit 0 acute, bit 1 finished.
    flags: u8,
    pseudonym: [u8; 16],
    /// One byte per factor of [`factor_order`].
    factors: Vec<u8>,
}

/// The risk and protective factors the instrument measures, in catalogue id order: the
/// positions of a record's factor bytes.
fn factor_order(q: &Questionnaire) -> impl Iterator<Item = (&str, FactorKind)> {
    q.factors().filter(|f| f.kind != FactorKind::Background).map(|f| (f.id.as_str(), f.kind))
}

fn gender(profile: &FactorProfile) -> Option<String> {
    profile
        .domains
        .iter()
        .flat_map(|d| &d.background)
        .find(|b| b.factor == GENDER_FACTOR)
        .and_then(|b| b.options.first().cloned())
}

/// Two non-endorsed states of one factor, from two items: an answer beats a decline.
fn asked(a: RiskState, b: RiskState) -> RiskState {
    match (a, b) {
        (RiskState::Declined, other) | (other, RiskState::Declined) => other,
        (a, _) => a,
    }
}

impl ProtectiveState {
    fn max_answered(self, other: ProtectiveState) -> ProtectiveState {
        match (self, other) {
            (ProtectiveState::Present, _) | (_, ProtectiveState::Present) => ProtectiveState::Present,
            (ProtectiveState::Absent, _) | (_, ProtectiveState::Absent) => ProtectiveState::Absent,
            _ => ProtectiveState::Declined,
        }
    }
}

/// The factor endorsed on several items: the most often, the most worry, and a help wish if
/// any item holds one (yes before not sure before no).
fn merge_endorsed(a: RiskState, b: RiskState) -> RiskState {
    match (a, b) {
        (
            RiskState::Yes { how_often: h1, worry: w1, wants_help: p1 },
            RiskState::Yes { how_often: h2, worry: w2, wants_help: p2 },
        ) => RiskState::Yes { how_often: h1.max(h2), worry: w1.max(w2), wants_help: help_rank(p1, p2) },
        (_, yes) => yes,
    }
}

fn help_rank(a: Option<HelpWish>, b: Option<HelpWish>) -> Option<HelpWish> {
    let rank = |h: Option<HelpWish>| match h {
        None => 0,
        Some(HelpWish::No) => 1,
        Some(HelpWish::NotSure) => 2,
        Some(HelpWish::Yes) => 3,
    };
    if rank(a) >= rank(b) {
        a
    } else {
        b
    }
}

// One byte per risk: 0 not asked, 1 declined, 2 no; endorsed is 0x80 | how often (3 bits,
// 0 = not told) << 4 | worry (2 bits) << 2 | help wish (2 bits).
fn risk_byte(state: RiskState) -> u8 {
    match state {
        RiskState::Declined => 1,
        RiskState::No => 2,
        RiskState::Yes { how_often, worry, wants_help } => {
            let often = match how_often {
                None => 0,
                Some(HowOften::Once) => 1,
                Some(HowOften::Sometimes) => 2,
                Some(HowOften::Often) => 3,
                Some(HowOften::VeryOften) => 4,
            };
            let worry = match worry {
                None => 0,
                Some(Worry::No) => 1,
                Some(Worry::ALittle) => 2,
                Some(Worry::ALot) => 3,
            };
            let help = match wants_help {
                None => 0,
                Some(HelpWish::No) => 1,
                Some(HelpWish::NotSure) => 2,
                Some(HelpWish::Yes) => 3,
            };
            0x80 | often << 4 | worry << 2 | help
        }
    }
}

/// `None` for a byte that is no state; `Some(None)` for "not asked".
fn risk_state(byte: u8) -> Option<Option<RiskState>> {
    Some(match byte {
        0 => None,
        1 => Some(RiskState::Declined),
        2 => Some(RiskState::No),
        b if b & 0x80 != 0 => {
            let how_often = match (b >> 4) & 0b111 {
                0 => None,
                1 => Some(HowOften::Once),
                2 => Some(HowOften::Sometimes),
                3 => Some(HowOften::Often),
                4 => Some(HowOften::VeryOften),
                _ => return None,
            };
            let worry = [None, Some(Worry::No), Some(Worry::ALittle), Some(Worry::ALot)][usize::from((b >> 2) & 0b11)];
            let wants_help =
                [None, Some(HelpWish::No), Some(HelpWish::NotSure), Some(HelpWish::Yes)][usize::from(b & 0b11)];
            Some(RiskState::Yes { how_often, worry, wants_help })
        }
        _ => return None,
    })
}

fn protective_byte(state: ProtectiveState) -> u8 {
    match state {
        ProtectiveState::Declined => 1,
        ProtectiveState::Absent => 2,
        ProtectiveState::Present => 3,
    }
}

fn protective_state(byte: u8) -> Option<Option<ProtectiveState>> {
    Some(match byte {
        0 => None,
        1 => Some(ProtectiveState::Declined),
        2 => Some(ProtectiveState::Absent),
        3 => Some(ProtectiveState::Present),
        _ => return None,
    })
}

/// What a sealed record is bound to.
fn associated_data(organisation: &str, round: &str) -> Vec<u8> {
    let mut out = b"beratta/statistics/v1".to_vec();
    for field in [organisation, round] {
        out.extend_from_slice(&(field.len() as u32).to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out
}

/// Seals an encoded record to the statistics key, bound to `organisation` and `round`.
pub fn seal_record(
    statistics_key: &OrgPublicKey,
    organisation: &str,
    round: &str,
    encoded: &[u8],
    rng: &mut impl CryptoRngCore,
) -> Vec<u8> {
    statistics_key.seal_bound(&associated_data(organisation, round), encoded, rng)
}

/// Opens a record sealed by [`seal_record`] and decodes it for `q`; fails unless the key,
/// the binding and every byte are as sealed, and the record names `round`.
pub fn open_record(
    statistics_key: &OrgSecretKey,
    organisation: &str,
    round: &str,
    sealed: &[u8],
    q: &Questionnaire,
) -> Result<StatisticsRecord, OpenRecordError> {
    open_record_by(organisation, round, sealed, q, |aad| statistics_key.open_bound(aad, sealed))
}

/// [`open_record`] given the X25519 share of the statistics key and the record's ephemeral
/// key ([`crate::envelope::ephemeral_key`]), computed elsewhere, and the statistics public
/// key (see [`OrgPublicKey::open_bound_with_share`]); the same checks, the same record.
pub fn open_record_with_share(
    statistics_key: &OrgPublicKey,
    share: &[u8; crate::envelope::KEY_LEN],
    organisation: &str,
    round: &str,
    sealed: &[u8],
    q: &Questionnaire,
) -> Result<StatisticsRecord, OpenRecordError> {
    open_record_by(organisation, round, sealed, q, |aad| statistics_key.open_bound_with_share(share, aad, sealed))
}

fn open_record_by(
    organisation: &str,
    round: &str,
    sealed: &[u8],
    q: &Questionnaire,
    open: impl FnOnce(&[u8]) -> Result<Vec<u8>, EnvelopeError>,
) -> Result<StatisticsRecord, OpenRecordError> {
    if sealed.len() > MAX_ENCODED_LEN * 2 {
        return Err(StatisticsError::TooLong.into());
    }
    let plain = open(&associated_data(organisation, round))?;
    let record = StatisticsRecord::decode(&plain, q)?;
    if record.round != round {
        return Err(OpenRecordError::WrongRound);
    }
    Ok(record)
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpenRecordError {
    #[error(transparent)]
    Sealed(#[from] EnvelopeError),
    #[error(transparent)]
    Record(#[from] StatisticsError),
    #[error("the record names another round than the one it was sealed for")]
    WrongRound,
}

#[cfg(test)]
mod tests;
