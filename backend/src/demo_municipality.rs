//! `beratta-server demo-municipality`: Demokommun, a whole municipality of anonymous rounds
//! and synthetic answers for the demo and the benchmarks.
//!
//! The command stands in for the administrator's browser, exactly as `demo` does for the
//! organisation key: it makes the organisation key pair and the statistics key pair here,
//! wraps them for the administrator, gives the analyst a personal key pair and a grant of
//! the statistics key (never the organisation key), and writes no secret key to disk. The
//! synthetic children's answers come from `beratta_core::synthetic::municipality`, through
//! the real engine, sealed through the real envelope as an anonymous round's save
//! ([`ChildKeys::seal_save`]) and stored through the real save path
//! ([`Store::save_answers`], which writes the statistics record in the same transaction).
//! Every round lies in the past, so each is closed once its records are written, and the
//! group picture has a release to show. Its resources register is the plan's, each
//! resource checked as any input is.

use crate::audit;
use crate::invitation;
use crate::records::{Assessment, AssessmentRound, PasswordRecord, StaffAccount};
use crate::staff::{check_name, new_id, normalise_username};
use crate::store::{Closing, SaveOutcome, Store};
use anyhow::{bail, Context};
use beratta_core::api::{
    Bytes, ChildAssessment, ChildRound, Intervention, InterventionKind, PersonalKey, Phase, QuestionnaireRef,
    ResourceDraft, ResourceKind, Role, Round, RoundIntervention, RoundMode, Unit,
};
use beratta_core::audit::AuditAction;
use beratta_core::child::ChildKeys;
use beratta_core::envelope::{OrgSecretKey, KEY_LEN};
use beratta_core::login::{derive_child_secrets, ChildCode, KdfParams, ServerSecret, SALT_LEN};
use beratta_core::questionnaire::library::Library;
use beratta_core::questionnaire::Questionnaire;
use beratta_core::resources::register::check;
use beratta_core::staff::{
    derive_staff_secrets, grant_statistics_key, wrap_org_key, wrap_secret, KeyHolder, SecretKind,
};
use beratta_core::statistics::{seal_record, RecordContext, StatisticsRecord};
use beratta_core::status::AssessmentStatus;
use beratta_core::synthetic::municipality::{self, Plan};
use rand_core::{CryptoRngCore, SeedableRng};

/// The demo municipality's organisation.
pub const ORGANISATION: &str = "demokommun";
pub const ORGANISATION_NAME: &str = "Demokommun";
/// Its administrator (organisation key and statistics key) and its analyst (statistics key
/// only).
pub const ADMIN: &str = "kommun-admin";
pub const ANALYST: &str = "analytiker";
/// The children `make run` makes: about 1,600 finished assessments.
pub const DEFAULT_CHILDREN: usize = 850;

/// The cheapest Argon2id cost: only to make a throw-away [`beratta_core::login::ChildSecrets`]
/// for a synthetic child (see [`store_assessment`]); never stored, never a login's cost.
const THROWAWAY_KDF: KdfParams = KdfParams { memory_kib: 8, iterations: 1, parallelism: 1 };

/// What one run makes.
pub struct Options<'a> {
    pub children: usize,
    pub seed: u64,
    pub admin_password: &'a str,
    pub analyst_password: &'a str,
    /// The staff passwords' cost: the standard one, except in tests.
    pub kdf: KdfParams,
}

/// What a run did.
#[derive(Debug)]
pub enum Outcome {
    /// The organisation existed; nothing was changed.
    Exists,
    /// Made, with each round's id and how many finished assessments it holds.
    Created { rounds: Vec<(String, usize)> },
}

/// Makes Demokommun unless it exists. `rng` draws keys, ids and nonces; the children and
/// their answers come from `seed` alone, so the same seed gives the same municipality.
pub fn create(
    store: &dyn Store,
    secret: &ServerSecret,
    library: &Library,
    options: &Options<'_>,
    now: u64,
    rng: &mut impl CryptoRngCore,
) -> anyhow::Result<Outcome> {
    if store.organisation(ORGANISATION)?.is_some() {
        return Ok(Outcome::Exists);
    }
    for username in [ADMIN, ANALYST] {
        if store.staff_by_username(username)?.is_some() {
            bail!("the username {username} is taken by another organisation");
        }
    }
    let plan = Plan::demokommun(options.children);
    // The newest version of each instrument the plan names; every one must be there.
    let newest = |id: &str| -> Option<&Questionnaire> {
        library.instruments.iter().map(|(_, q)| q).filter(|q| q.id == id).max_by_key(|q| q.version)
    };
    for round in &plan.rounds {
        newest(round.instrument).with_context(|| format!("the questionnaires lack {}", round.instrument))?;
    }

    // The keys, made here as the administrator's browser makes them at set-up.
    let (organisation, org_secret) = invitation::new_organisation(ORGANISATION, ORGANISATION_NAME, now, rng);
    let statistics_secret = OrgSecretKey::generate(rng);
    let statistics_public = statistics_secret.public_key();
    if !store.insert_organisation(&organisation)? {
        return Ok(Outcome::Exists);
    }
    audit::by_command(store, ORGANISATION, AuditAction::OrganisationCreated, ORGANISATION, now)?;
    store.set_statistics_public_key(ORGANISATION, &Bytes(statistics_public.as_bytes().to_vec()))?;
    audit::by_command(store, ORGANISATION, AuditAction::StatisticsKeyCreated, ORGANISATION, now)?;

    let admin = account(
        store,
        secret,
        &Person { username: ADMIN, display_name: "Kommunens administratör", role: Role::Administrator },
        options.admin_password,
        options.kdf,
        &Keys { org: Some(&org_secret), statistics: &statistics_secret },
        now,
        rng,
    )?;
    let analyst = account(
        store,
        secret,
        &Person { username: ANALYST, display_name: "Kommunens analytiker", role: Role::Analyst },
        options.analyst_password,
        options.kdf,
        &Keys { org: None, statistics: &statistics_secret },
        now,
        rng,
    )?;
    audit::by_command(store, ORGANISATION, AuditAction::StatisticsKeyGranted, &analyst.id, now)?;

    // One unit per area, the interventions, and one anonymous round per area, band and year.
    let mut units = std::collections::BTreeMap::new();
    for area in &plan.areas {
        let unit = Unit { unit_id: new_id(rng), name: area.name.to_string() };
        store.insert_unit(ORGANISATION, &unit)?;
        audit::by_command(store, ORGANISATION, AuditAction::UnitAdded, &unit.unit_id, now)?;
        units.insert(area.id, unit.unit_id);
    }
    // The resources register, checked as any input is, with its planted gap and duplicate.
    let unit_list: Vec<Unit> = store.units(ORGANISATION)?;
    let mut register = Vec::new();
    for planned in plan.resources() {
        let draft = ResourceDraft {
            name: planned.name.to_string(),
            kind: ResourceKind::from_name(planned.kind),
            owner: planned.owner.to_string(),
            areas: planned.areas.iter().map(|a| units[a].clone()).collect(),
            bands: planned.bands.iter().map(|b| b.to_string()).collect(),
            hours: planned.hours.to_string(),
            contact: planned.contact.to_string(),
            factors: planned.factors.iter().map(|f| f.to_string()).collect(),
        };
        let checked = check(&draft, &library.catalogue, &unit_list, None)
            .map_err(|problems| anyhow::anyhow!("the plan's resource {} is refused: {problems:?}", planned.name))?;
        register.push(checked.resource(&new_id(rng), now));
    }
    store.change_resources(ORGANISATION, &|list| {
        *list = register.clone();
        true
    })?;
    for resource in &register {
        audit::by_command(store, ORGANISATION, AuditAction::ResourceCreated, &resource.resource_id, now)?;
    }
    for planned in &plan.interventions {
        let kind = match planned.kind {
            "insats" => InterventionKind::Insats,
            "projekt" => InterventionKind::Projekt,
            "grupp" => InterventionKind::Grupp,
            other => bail!("the plan names an intervention kind {other}"),
        };
        let intervention =
            Intervention { intervention_id: planned.id.to_string(), name: planned.name.to_string(), kind };
        store.insert_intervention(ORGANISATION, &intervention)?;
        audit::by_command(store, ORGANISATION, AuditAction::InterventionCreated, planned.id, now)?;
    }
    let mut rounds = std::collections::BTreeMap::new();
    for planned in &plan.rounds {
        let q = newest(planned.instrument).context("checked above")?;
        let round = Round {
            round_id: planned.id.clone(),
            name: planned.name.clone(),
            unit: Some(units[planned.area].clone()),
            opens: format!("{}-03-01", planned.year),
            closes: format!("{}-03-31", planned.year),
            questionnaire: QuestionnaireRef { id: q.id.clone(), version: q.version },
            mode: RoundMode::Anonymous,
            intervention: planned.intervention.map(|(id, phase)| RoundIntervention {
                intervention_id: id.to_string(),
                phase: match phase {
                    municipality::Phase::Before => Phase::Before,
                    municipality::Phase::After => Phase::After,
                },
            }),
            created_by: admin.id.clone(),
            created_unix: now,
            closed_unix: None,
        };
        if !store.insert_round(ORGANISATION, &round)? {
            bail!("the round {} exists already", round.round_id);
        }
        audit::by_command(store, ORGANISATION, AuditAction::RoundCreated, &round.round_id, now)?;
        rounds.insert(planned.id.clone(), round);
    }

    // The children, seeded, answering through the engine; each stored as a real save.
    let mut children = rand_chacha::ChaCha20Rng::seed_from_u64(options.seed);
    let generated = plan.assessments(newest, &mut children);
    let context = SaveContext { store, secret, organisation: &organisation_keys(&org_secret), admin: &admin.id, now };
    let mut counts: Vec<(String, usize)> = plan.rounds.iter().map(|r| (r.id.clone(), 0)).collect();
    for g in &generated {
        let round = &rounds[&g.round.id];
        let q = newest(g.round.instrument).context("checked above")?;
        store_assessment(&context, round, q, g, &statistics_public, rng)?;
        if let Some(count) = counts.iter_mut().find(|(id, _)| *id == g.round.id) {
            count.1 += 1;
        }
    }
    // Every round lies in the past: closed now, its records are its release, and the
    // group picture shows them.
    for round in rounds.values() {
        if !matches!(store.close_round(ORGANISATION, &round.round_id, now)?, Closing::Closed(_)) {
            bail!("the round {} could not be closed", round.round_id);
        }
        audit::by_command(store, ORGANISATION, AuditAction::RoundClosed, &round.round_id, now)?;
    }
    Ok(Outcome::Created { rounds: counts })
}

/// The organisation's public key as a child's browser gets it.
fn organisation_keys(org_secret: &OrgSecretKey) -> Bytes {
    Bytes(org_secret.public_key().as_bytes().to_vec())
}

/// Who an account is for.
struct Person<'a> {
    username: &'a str,
    display_name: &'a str,
    role: Role,
}

/// Which of the organisation's secret keys an account gets a copy of.
struct Keys<'a> {
    /// The organisation key: never for an analyst.
    org: Option<&'a OrgSecretKey>,
    statistics: &'a OrgSecretKey,
}

/// An account with a password, made as the browsers make it: the login proof's verifier,
/// the organisation key wrapped under the password (not for an analyst), a personal key
/// pair wrapped under the password, and the statistics key: an administrator's copy under
/// their password (as at set-up), anyone else's as a grant sealed to their personal public
/// key (`grant_statistics_key`, as the administrator's browser grants it).
#[allow(clippy::too_many_arguments)]
fn account(
    store: &dyn Store,
    secret: &ServerSecret,
    person: &Person<'_>,
    password: &str,
    kdf: KdfParams,
    keys: &Keys<'_>,
    now: u64,
    rng: &mut impl CryptoRngCore,
) -> anyhow::Result<StaffAccount> {
    if person.role == Role::Analyst && keys.org.is_some() {
        bail!("an analyst holds no copy of the organisation key");
    }
    beratta_core::staff::check_new_password(password).map_err(|e| anyhow::anyhow!("{}: {e}", person.username))?;
    let username = normalise_username(person.username).context("a demo username is malformed")?;
    let mut salt = [0u8; SALT_LEN];
    rng.fill_bytes(&mut salt);
    let secrets = derive_staff_secrets(password, &salt, &kdf)?;
    let holder = KeyHolder::Staff(&username);
    let wrapped_org_key = keys.org.map(|org| Bytes(wrap_org_key(&secrets.wrap_key, ORGANISATION, &holder, org, rng)));
    let personal = OrgSecretKey::generate(rng);
    let personal_key = PersonalKey {
        public_key: Bytes(personal.public_key().as_bytes().to_vec()),
        wrapped_secret: Bytes(wrap_secret(
            SecretKind::Personal,
            &secrets.wrap_key,
            ORGANISATION,
            &holder,
            &personal,
            rng,
        )),
    };
    let (wrapped_statistics_key, statistics_grant) = if person.role == Role::Administrator {
        let wrapped =
            wrap_secret(SecretKind::Statistics, &secrets.wrap_key, ORGANISATION, &holder, keys.statistics, rng);
        (Some(Bytes(wrapped)), None)
    } else {
        let grant = grant_statistics_key(&personal.public_key(), ORGANISATION, &username, keys.statistics, rng);
        (None, Some(Bytes(grant)))
    };
    let account = StaffAccount {
        id: new_id(rng),
        organisation: ORGANISATION.to_string(),
        username: username.clone(),
        display_name: check_name(person.display_name)?,
        role: person.role,
        unit: None,
        disabled: false,
        password: Some(PasswordRecord {
            salt: Bytes(salt.to_vec()),
            kdf,
            verifier: Bytes(secret.login_verifier(&secrets.login_proof).to_vec()),
            wrapped_org_key,
            wrapped_statistics_key,
            personal_key: Some(personal_key),
        }),
        enrolment: None,
        statistics_grant,
        created_unix: now,
    };
    if !store.insert_staff(&account)? {
        bail!("the username {username} is taken");
    }
    audit::by_command(store, ORGANISATION, AuditAction::StaffAdded, &account.id, now)?;
    Ok(account)
}

/// What every synthetic save shares.
struct SaveContext<'a> {
    store: &'a dyn Store,
    secret: &'a ServerSecret,
    /// The organisation's public key.
    organisation: &'a Bytes,
    admin: &'a str,
    now: u64,
}

/// Stores one generated assessment as an invitation into its anonymous round and one save
/// of the finished session, made as the child's browser makes it.
///
/// These children never log in. Their invitations get a random lookup, salt and verifier
/// that no code matches, and expire at once, so they never hold a lookup a real card could
/// want and cost no Argon2id derivation at the standard cost (1,600 × 250 ms). The data key
/// is fresh and wrapped for "the child" under a wrap key from a code that is drawn and
/// thrown away (at [`THROWAWAY_KDF`], the cheapest cost, since `ChildKeys` is made only
/// from derived secrets): nobody can open those answers, which is what an anonymous round
/// promises anyway. Nothing is sealed to the organisation.
fn store_assessment(
    context: &SaveContext<'_>,
    round: &Round,
    q: &Questionnaire,
    generated: &municipality::Generated<'_>,
    statistics_public: &beratta_core::envelope::OrgPublicKey,
    rng: &mut impl CryptoRngCore,
) -> anyhow::Result<()> {
    let store = context.store;
    let mut salt = [0u8; SALT_LEN];
    rng.fill_bytes(&mut salt);
    let mut verifier = [0u8; KEY_LEN];
    rng.fill_bytes(&mut verifier);
    let place = AssessmentRound { round: round.round_id.clone(), unit: round.unit.clone(), mode: RoundMode::Anonymous };
    let mut stored = None;
    for _ in 0..100 {
        let assessment = Assessment {
            id: new_id(rng),
            organisation: ORGANISATION.to_string(),
            lookup: ChildCode::generate(rng).lookup().to_string(),
            questionnaire: round.questionnaire.clone(),
            salt: Bytes(salt.to_vec()),
            kdf: KdfParams::STANDARD,
            verifier: Bytes(verifier.to_vec()),
            created_unix: context.now,
            failed_logins: 0,
            sealed: None,
            invited_by: Some(context.admin.to_string()),
            unit: round.unit.clone(),
            expires_unix: context.now,
            revoked: false,
            sealed_note: Bytes::default(),
            help: None,
            round: Some(place.clone()),
            progress: None,
        };
        // Refused only if the random lookup is live or reserved, or the id is taken: draw again.
        if store.insert_assessment(&assessment)? {
            stored = Some(assessment);
            break;
        }
    }
    let assessment = stored.context("no free lookup for a synthetic child")?;

    let mut resume_key = [0u8; KEY_LEN];
    rng.fill_bytes(&mut resume_key);
    let child = ChildAssessment {
        assessment: assessment.id.clone(),
        organisation: ORGANISATION.to_string(),
        org_public_key: context.organisation.clone(),
        // The record is sealed below with the generated child's pseudonym, so that one
        // child's answers in both years pair up; `seal_save` would use the assessment's.
        statistics_public_key: None,
        questionnaire: round.questionnaire.clone(),
        server_share: Bytes(context.secret.child_share(&assessment.id).to_vec()),
        resume_key: Bytes(resume_key.to_vec()),
        sealed: None,
        help: None,
        round: Some(ChildRound { round: round.round_id.clone(), unit: round.unit.clone(), mode: RoundMode::Anonymous }),
    };
    let thrown_away = derive_child_secrets(&ChildCode::generate(rng), &salt, &THROWAWAY_KDF)?;
    let keys = ChildKeys::after_login(&thrown_away, &child, rng)?;
    let session = &generated.session;
    let today = u32::try_from(context.now / 86_400).unwrap_or(u32::MAX);
    let status = AssessmentStatus::of(q, session, today);
    let mut sealed = keys.seal_save(&child, q, session, "sv", 1, &status, rng)?;
    let record_context =
        RecordContext { round: round.round_id.clone(), unit: round.unit.clone(), pseudonym: generated.child.pseudonym };
    let encoded = StatisticsRecord::derive(q, session, &record_context).encode(q)?;
    sealed.statistics = Some(Bytes(seal_record(statistics_public, ORGANISATION, &round.round_id, &encoded, rng)));
    match store.save_answers(&assessment.id, sealed)? {
        SaveOutcome::Saved => Ok(()),
        other => bail!("a synthetic save was refused: {other:?}"),
    }
}
