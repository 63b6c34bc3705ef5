//! The `beratta-server` command: argument handling and glue around the library.

use anyhow::{bail, Context};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::api::{Bytes, QuestionnaireRef, Role, Unit};
use beratta_core::audit::AuditAction;
use beratta_core::envelope::{OrgSecretKey, KEY_LEN};
use beratta_core::login::KdfParams;
use beratta_server::audit;
use beratta_server::client::TrustedProxies;
use beratta_server::frontend::Frontend;
use beratta_server::instruments::Instruments;
use beratta_server::invitation::{self, InvitationTerms, DEMO_ORGANISATION, DEMO_ORGANISATION_NAME};
use beratta_server::logging::ClientNoise;
use beratta_server::records::StaffAccount;
use beratta_server::staff::{self, KnownPassword};
use beratta_server::store::{SledStore, StaffStore, StatisticsStore, Store};
use beratta_server::{build_app, control, demo_municipality, instruments, limits, secret, AppState};
use clap::{Parser, Subcommand};
use rand_core::OsRng;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

#[derive(Parser)]
#[command(name = "beratta-server", version, about = "Berätta's server: stores sealed answers it cannot read.")]
struct Cli {
    /// How log lines are written to stderr: `text` for people, `json` (one object per
    /// line) for a log collector.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the API and the built front end.
    Serve {
        /// The sled database folder.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The server secret; created if absent. Must be outside the data folder.
        #[arg(long, value_name = "FILE")]
        secret_file: PathBuf,
        /// Trunk's dist/ folder. If it is missing, only the API is served.
        #[arg(long = "static", value_name = "DIR")]
        static_dir: PathBuf,
        /// The folder with factors.toml and the questionnaire files.
        #[arg(long, value_name = "DIR")]
        questionnaires: PathBuf,
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: String,
        /// The address of a proxy in front of the server (the TLS proxy) whose
        /// `X-Forwarded-For` names the client; may be given more than once. Without it the
        /// header is never read, and the connection's peer is the client.
        #[arg(long = "trusted-proxy", value_name = "IP")]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// Accepts any Argon2id cost for codes and passwords, for tests only.
        #[arg(long, hide = true)]
        insecure_test_kdf: bool,
        /// The longest a request body may take to arrive, for tests that should not wait
        /// the standard half minute.
        #[arg(long, hide = true, value_name = "SECS", default_value_t = limits::BODY_TIMEOUT_SECS)]
        body_timeout_secs: u64,
    },
    /// Creates an organisation and its first administrator, and prints the one-time set-up
    /// link. The administrator's browser makes the organisation's key pair there; the
    /// server never sees its secret key.
    CreateOrg {
        /// The sled database folder; no server may be running on it.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The server secret; created if absent. Must be outside the data folder.
        #[arg(long, value_name = "FILE")]
        secret_file: PathBuf,
        /// The folder with factors.toml and the questionnaire files (checked).
        #[arg(long, value_name = "DIR")]
        questionnaires: PathBuf,
        /// The organisation's id: a-z, 0-9 and -.
        #[arg(long, value_name = "ID")]
        id: String,
        /// The organisation's name as people read it.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// The first administrator's username.
        #[arg(long, value_name = "USERNAME")]
        admin: String,
        /// The first administrator's name as people read it.
        #[arg(long, value_name = "DISPLAY NAME")]
        admin_name: String,
    },
    /// Writes a backup of the database to FILE: through the running server's control
    /// socket while it serves (consistent: taken between two requests' store work), or
    /// straight from the folder when no server runs. Checks the file by reading it back.
    /// The server secret file is not in it: keep that apart.
    Backup {
        /// The sled database folder the server uses.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The backup file to write; must not exist yet.
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Restores a backup into an empty or new folder, checking the whole file first, then
    /// checks the restored audit log. Serve it with the same server secret file.
    Restore {
        /// The backup file `backup` wrote.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The folder to restore into; must be missing or empty.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
    /// Reads the whole audit log and checks its hash chain; names the first bad record.
    VerifyAudit {
        /// The sled database folder; no server may be running on it.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
    /// Creates the demo organisation (if absent) and child invitations, prints their codes
    /// and exits.
    Demo {
        /// The sled database folder; no server may be running on it.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The server secret; created if absent. Must be outside the data folder.
        #[arg(long, value_name = "FILE")]
        secret_file: PathBuf,
        /// The folder with factors.toml and the questionnaire files.
        #[arg(long, value_name = "DIR")]
        questionnaires: PathBuf,
        /// How many invitations to create.
        #[arg(long, value_name = "N", default_value_t = 1)]
        children: u32,
        /// The instrument the invitations are for, as `id@version`.
        #[arg(long, value_name = "ID@VERSION", default_value = "beratta-10-12@1", value_parser = parse_reference)]
        questionnaire: QuestionnaireRef,
        /// Where to write the demo organisation's secret key when it is created. Stands in
        /// for the staff side; must be outside the data folder.
        #[arg(long, value_name = "FILE")]
        org_key_out: PathBuf,
        /// Argon2id memory for the codes, for tests only: real codes use the standard cost.
        #[arg(long, hide = true)]
        kdf_memory_kib: Option<u32>,
        #[arg(long, hide = true)]
        kdf_iterations: Option<u32>,
        /// Also creates an administrator (`admin`) and a staff member (`personal`) for the
        /// demo organisation, and makes the codes the staff member's, shared with their unit.
        #[arg(long)]
        with_staff: bool,
        #[arg(long, value_name = "PASSWORD", default_value = "demo-admin-password")]
        admin_password: String,
        #[arg(long, value_name = "PASSWORD", default_value = "demo-staff-password")]
        staff_password: String,
        /// Gives the demo organisation a statistics key pair, if it has none, and writes its
        /// secret half here (outside the data folder). Stands in for the administrator's
        /// set-up of the statistics key, for the browser tests of rounds.
        #[arg(long, value_name = "FILE")]
        statistics_key_out: Option<PathBuf>,
    },
    /// Creates the demo municipality "Demokommun" (if absent): its keys, an administrator
    /// and an analyst, a unit per area, two interventions, anonymous rounds and seeded
    /// synthetic answers sealed as real saves; prints the logins and exits. Stands in for
    /// the administrator's browser and writes no key to disk.
    DemoMunicipality {
        /// The sled database folder; no server may be running on it.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The server secret; created if absent. Must be outside the data folder.
        #[arg(long, value_name = "FILE")]
        secret_file: PathBuf,
        /// The folder with factors.toml and the questionnaire files.
        #[arg(long, value_name = "DIR")]
        questionnaires: PathBuf,
        /// About how many children; each answers in both years (less those away), so about
        /// 1.9 finished assessments each.
        #[arg(long, value_name = "N", default_value_t = demo_municipality::DEFAULT_CHILDREN)]
        children: usize,
        /// The generator's seed: the same seed gives the same children and answers.
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        #[arg(long, value_name = "PASSWORD", default_value = "demo-analyst-password")]
        analyst_password: String,
        #[arg(long, value_name = "PASSWORD", default_value = "demo-kommun-password")]
        admin_password: String,
        /// Argon2id memory for the staff passwords, for tests only.
        #[arg(long, hide = true)]
        kdf_memory_kib: Option<u32>,
        #[arg(long, hide = true)]
        kdf_iterations: Option<u32>,
    },
}

/// Logs go to stderr, so stdout carries only what scripts read: the listening line and
/// the demo codes. actix's lines about connections a client broke are dropped (see
/// `logging`), so that an ERROR is always the server's own fault.
fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs = tracing_subscriber::registry().with(filter).with(ClientNoise);
    match format {
        LogFormat::Text => logs
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_ansi(std::io::stderr().is_terminal()),
            )
            .init(),
        LogFormat::Json => logs.with(tracing_subscriber::fmt::layer().json().with_writer(std::io::stderr)).init(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let result = match cli.command {
        Command::Serve {
            data,
            secret_file,
            static_dir,
            questionnaires,
            listen,
            trusted_proxies,
            insecure_test_kdf,
            body_timeout_secs,
        } => {
            let options = ServeOptions {
                listen,
                trusted_proxies,
                insecure_test_kdf,
                body_timeout: Duration::from_secs(body_timeout_secs),
            };
            serve(&data, &secret_file, &static_dir, &questionnaires, &options).map(|()| ExitCode::SUCCESS)
        }
        Command::Demo {
            data,
            secret_file,
            questionnaires,
            children,
            questionnaire,
            org_key_out,
            kdf_memory_kib,
            kdf_iterations,
            with_staff,
            admin_password,
            staff_password,
            statistics_key_out,
        } => {
            let kdf = KdfParams {
                memory_kib: kdf_memory_kib.unwrap_or(KdfParams::STANDARD.memory_kib),
                iterations: kdf_iterations.unwrap_or(KdfParams::STANDARD.iterations),
                ..KdfParams::STANDARD
            };
            let staff = with_staff.then_some(DemoStaff { admin_password, staff_password });
            let demo_run = DemoRun { children, questionnaire, org_key_out, kdf, staff, statistics_key_out };
            demo(&data, &secret_file, &questionnaires, &demo_run).map(|()| ExitCode::SUCCESS)
        }
        Command::CreateOrg { data, secret_file, questionnaires, id, name, admin, admin_name } => {
            create_org(&data, &secret_file, &questionnaires, &id, &name, &admin, &admin_name)
                .map(|()| ExitCode::SUCCESS)
        }
        Command::VerifyAudit { data } => verify_audit(&data),
        Command::Backup { data, to } => backup(&data, &to).map(|()| ExitCode::SUCCESS),
        Command::Restore { file, data } => restore(&file, &data),
        Command::DemoMunicipality {
            data,
            secret_file,
            questionnaires,
            children,
            seed,
            analyst_password,
            admin_password,
            kdf_memory_kib,
            kdf_iterations,
        } => {
            let options = demo_municipality::Options {
                children,
                seed,
                admin_password: &admin_password,
                analyst_password: &analyst_password,
                kdf: KdfParams {
                    memory_kib: kdf_memory_kib.unwrap_or(KdfParams::STANDARD.memory_kib),
                    iterations: kdf_iterations.unwrap_or(KdfParams::STANDARD.iterations),
                    ..KdfParams::STANDARD
                },
            };
            run_demo_municipality(&data, &secret_file, &questionnaires, &options).map(|()| ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("beratta-server: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Loads and checks the questionnaires, printing every problem, one per line.
fn load_instruments(dir: &Path) -> anyhow::Result<Instruments> {
    match Instruments::load(dir) {
        Ok(instruments) => Ok(instruments),
        Err(errors) => {
            for problem in &errors.0 {
                eprintln!("{problem}");
            }
            bail!("{} problem(s) in the questionnaires in {}; fix them and start again", errors.0.len(), dir.display())
        }
    }
}

fn open_store(data: &Path) -> anyhow::Result<SledStore> {
    SledStore::open(data).with_context(|| {
        format!("cannot open the database in {} (is another beratta-server using it?)", data.display())
    })
}

fn now() -> u64 {
    (beratta_server::system_clock())()
}

/// How `serve` runs, beyond where its files are.
struct ServeOptions {
    listen: String,
    trusted_proxies: Vec<std::net::IpAddr>,
    insecure_test_kdf: bool,
    body_timeout: Duration,
}

fn serve(
    data: &Path,
    secret_file: &Path,
    static_dir: &Path,
    questionnaires: &Path,
    options: &ServeOptions,
) -> anyhow::Result<()> {
    let listen = options.listen.as_str();
    secret::ensure_outside(data, secret_file, "the server secret file")?;
    let instruments = load_instruments(questionnaires)?;
    let store = open_store(data)?;
    // Analysts hold no key that opens a child: copies of the organisation key that
    // analysts' accounts kept from before are dropped here, before any login.
    let dropped = store.drop_analyst_org_keys().context("cannot drop analysts' organisation keys")?;
    if dropped > 0 {
        store.flush()?;
        tracing::info!("dropped the organisation key of {dropped} analyst account(s)");
    }
    let secret = secret::load_or_create(secret_file)?;
    let frontend = Frontend::load(static_dir).with_context(|| format!("cannot read {}", static_dir.display()))?;
    tracing::info!("questionnaires: {}", instruments.references().join(", "));
    let mut state = AppState::new(Arc::new(store), secret, instruments, frontend)
        .with_trusted_proxies(TrustedProxies::new(options.trusted_proxies.clone()))
        .with_body_timeout(options.body_timeout);
    if !options.trusted_proxies.is_empty() {
        tracing::info!("client addresses from X-Forwarded-For of {:?} only", options.trusted_proxies);
    }
    if options.insecure_test_kdf {
        tracing::warn!("accepting any Argon2id cost from browsers: for tests only, never in production");
        state = state.with_insecure_test_kdf();
    }
    if let Err(e) = state.sweep() {
        tracing::warn!("could not sweep expired records or close ended rounds: {e}");
    }

    // Backups of the live database come through this socket (see `control`).
    let control = control::listen(state.clone(), data)
        .with_context(|| format!("cannot open the control socket beside {}", data.display()))?;

    let result = actix_web::rt::System::new().block_on(async move {
        let factory_state = state.clone();
        // The head must arrive in time, idle connections do not stay open long, and a
        // connection being closed is dropped if the client does not close its side; the
        // body's own deadline is in `build_app` (see `body`).
        let server = actix_web::HttpServer::new(move || build_app(factory_state.clone()))
            .client_request_timeout(Duration::from_secs(limits::HEAD_TIMEOUT_SECS))
            .keep_alive(Duration::from_secs(limits::KEEP_ALIVE_SECS))
            .client_disconnect_timeout(Duration::from_secs(limits::DISCONNECT_TIMEOUT_SECS))
            // On SIGTERM or SIGINT: accept nothing new, finish what is under way (a save
            // waiting for its flush among it), then stop.
            .shutdown_timeout(limits::SHUTDOWN_GRACE_SECS)
            .bind(listen)
            .with_context(|| format!("cannot listen on {listen}"))?;
        let address = *server.addrs().first().context("the server is bound to no address")?;
        // The browser tests read this exact line to find the port.
        let mut stdout = std::io::stdout();
        writeln!(stdout, "listening on http://{address}")?;
        stdout.flush()?;

        let sweeper_state = state.clone();
        actix_web::rt::spawn(async move {
            let mut every = actix_web::rt::time::interval(Duration::from_secs(limits::SWEEP_EVERY_SECS));
            loop {
                every.tick().await;
                match sweeper_state.sweep() {
                    Ok(removed) if removed > 0 => tracing::info!("swept {removed} expired record(s)"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!("could not sweep expired records or close ended rounds: {e}"),
                }
            }
        });

        let counted_state = state.clone();
        actix_web::rt::spawn(async move {
            let mut every = actix_web::rt::time::interval(Duration::from_secs(limits::REFUSAL_LOG_EVERY_SECS));
            let mut logged = 0;
            loop {
                every.tick().await;
                let total = counted_state.refusals.total();
                if total != logged {
                    logged = total;
                    tracing::info!("refused without identity since start: {}", counted_state.refusals.summary());
                }
            }
        });

        server.run().await.context("the server stopped with an error")?;
        state.store.flush().context("cannot flush the database on shutdown")?;
        tracing::info!("stopped: every request under way was answered and the database is flushed");
        Ok(())
    });
    let _ = std::fs::remove_file(control);
    result
}

/// `backup`: through the running server, or from the folder when none runs.
fn backup(data: &Path, to: &Path) -> anyhow::Result<()> {
    if to.exists() {
        bail!("{} exists; name a new file for each backup", to.display());
    }
    let partial = to.with_file_name(format!(
        ".{}.partial",
        to.file_name().context("the backup file needs a name")?.to_string_lossy()
    ));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&partial)
        .with_context(|| format!("cannot create {}", partial.display()))?;
    let written = (|| -> anyhow::Result<&str> {
        let how = match control::request_backup(data, &mut file)? {
            Some(()) => "from the running server",
            None => {
                let store = open_store(data).context(
                    "no server answered on the control socket beside the data folder, and the folder cannot be opened",
                )?;
                store.backup(&mut file)?;
                "from the folder (no server was running)"
            }
        };
        file.sync_all()?;
        Ok(how)
    })();
    let how = match written {
        Ok(how) => how,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    let summary = match control::check_written(&partial) {
        Ok(summary) => summary,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e).context("the written backup does not read back whole");
        }
    };
    std::fs::rename(&partial, to).with_context(|| format!("cannot name the backup {}", to.display()))?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir).and_then(|d| d.sync_all()).ok();
    }
    let mut stdout = std::io::stdout();
    writeln!(stdout, "backup {}: {summary}, {how}", to.display())?;
    Ok(())
}

/// `restore`: into an empty folder, then the audit chain is checked.
fn restore(file: &Path, data: &Path) -> anyhow::Result<ExitCode> {
    let (summary, store) = beratta_server::store::restore_backup(file, data)?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "restored {summary} into {}", data.display())?;
    report_audit(&store)
}

/// Reads `id@version`, as printed everywhere an instrument is named.
fn parse_reference(text: &str) -> Result<QuestionnaireRef, String> {
    let (id, version) = text.rsplit_once('@').ok_or("write the instrument as id@version, e.g. beratta-10-12@1")?;
    let version = version.parse().map_err(|_| format!("`{version}` is not a version number"))?;
    Ok(QuestionnaireRef { id: id.to_string(), version })
}

/// The demo's staff accounts and their passwords.
struct DemoStaff {
    admin_password: String,
    staff_password: String,
}

/// What one `demo` run makes.
struct DemoRun {
    children: u32,
    questionnaire: QuestionnaireRef,
    org_key_out: PathBuf,
    kdf: KdfParams,
    staff: Option<DemoStaff>,
    statistics_key_out: Option<PathBuf>,
}

const DEMO_ADMIN: &str = "admin";
const DEMO_STAFF: &str = "personal";
const DEMO_UNIT: &str = "Demoklassen";

fn demo(data: &Path, secret_file: &Path, questionnaires: &Path, run: &DemoRun) -> anyhow::Result<()> {
    let org_key_out = run.org_key_out.as_path();
    let questionnaire = &run.questionnaire;
    secret::ensure_outside(data, secret_file, "the server secret file")?;
    secret::ensure_outside(data, org_key_out, "the organisation key file")?;
    let instruments = load_instruments(questionnaires)?;
    if !instruments.contains(questionnaire) {
        bail!("{} has no questionnaire {}", questionnaires.display(), questionnaire.reference());
    }
    let store = open_store(data)?;
    let secret = secret::load_or_create(secret_file)?;

    let mut org_secret: Option<OrgSecretKey> = None;
    if store.organisation(DEMO_ORGANISATION)?.is_none() {
        if org_key_out.exists() {
            bail!(
                "{} exists, but the database has no demo organisation, so that key belongs to an \
                 earlier database; delete it or choose another --org-key-out",
                org_key_out.display()
            );
        }
        let (organisation, created) =
            invitation::new_organisation(DEMO_ORGANISATION, DEMO_ORGANISATION_NAME, now(), &mut OsRng);
        // The key is on disk before the organisation exists, so nothing can ever be sealed
        // to an organisation whose secret key was lost.
        secret::write_private_file(org_key_out, URL_SAFE_NO_PAD.encode(created.to_bytes()).as_bytes())?;
        store.insert_organisation(&organisation)?;
        audit::by_command(&store, DEMO_ORGANISATION, AuditAction::OrganisationCreated, DEMO_ORGANISATION, now())?;
        eprintln!("created the organisation {DEMO_ORGANISATION_NAME}; its secret key is in {}", org_key_out.display());
        org_secret = Some(created);
    } else if !org_key_out.exists() {
        eprintln!(
            "warning: the organisation {DEMO_ORGANISATION_NAME} exists but {} does not; its secret key \
             was written only when it was created",
            org_key_out.display()
        );
    }

    if let Some(out) = &run.statistics_key_out {
        demo_statistics_key(&store, data, out)?;
    }

    let mut logins = Vec::new();
    let mut terms = InvitationTerms::for_days(now(), limits::DEMO_INVITATION_DAYS);
    if let Some(demo_staff) = &run.staff {
        let org_secret = match org_secret {
            Some(key) => key,
            None => read_org_key(org_key_out)?,
        };
        let (inviter, lines) = demo_staff_accounts(&store, &secret, &org_secret, demo_staff, run.kdf)?;
        terms.invited_by = Some(inviter.id);
        terms.unit = inviter.unit;
        logins = lines;
    }

    let mut codes = Vec::new();
    for _ in 0..run.children {
        let issued = invitation::create_invitation(
            &store,
            &secret,
            DEMO_ORGANISATION,
            questionnaire,
            run.kdf,
            &terms,
            now(),
            &mut OsRng,
        )?;
        audit::by_command(&store, DEMO_ORGANISATION, AuditAction::InvitationCreated, &issued.assessment, now())?;
        codes.push(issued.code);
    }
    store.flush()?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "Child codes for {DEMO_ORGANISATION_NAME} ({}):", questionnaire.reference())?;
    for code in codes {
        writeln!(stdout, "{}", code.display())?;
    }
    if !logins.is_empty() {
        writeln!(stdout, "Staff logins for {DEMO_ORGANISATION_NAME} (username, password, role):")?;
        for line in logins {
            writeln!(stdout, "{line}")?;
        }
    }
    stdout.flush()?;
    Ok(())
}

/// Gives the demo organisation a statistics key pair if it has none: the secret half is
/// written to `out` first (so nothing is ever sealed to a key that was lost), then the
/// public half is stored (`StatisticsStore::set_statistics_public_key`).
fn demo_statistics_key(store: &SledStore, data: &Path, out: &Path) -> anyhow::Result<()> {
    secret::ensure_outside(data, out, "the statistics key file")?;
    let organisation = store.organisation(DEMO_ORGANISATION)?.context("the demo organisation does not exist")?;
    if organisation.statistics_public_key.is_some() {
        return Ok(());
    }
    let key = OrgSecretKey::generate(&mut OsRng);
    secret::write_private_file(out, URL_SAFE_NO_PAD.encode(key.to_bytes()).as_bytes())?;
    store.set_statistics_public_key(DEMO_ORGANISATION, &Bytes(key.public_key().as_bytes().to_vec()))?;
    eprintln!("gave {DEMO_ORGANISATION_NAME} a statistics key; its secret half is in {}", out.display());
    Ok(())
}

/// Reads the demo organisation's secret key as `demo` wrote it.
fn read_org_key(path: &Path) -> anyhow::Result<OrgSecretKey> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!("--with-staff needs the demo organisation's secret key, and {} cannot be read", path.display())
    })?;
    let bytes = URL_SAFE_NO_PAD.decode(text.trim()).context("the organisation key file is not base64")?;
    let bytes: [u8; KEY_LEN] =
        bytes.try_into().map_err(|_| anyhow::anyhow!("the organisation key file does not hold 32 bytes"))?;
    Ok(OrgSecretKey::from_bytes(bytes))
}

/// The demo unit, the administrator and the staff member (made if absent); returns the
/// staff member, who invites the demo children, and one printed line per login.
fn demo_staff_accounts(
    store: &SledStore,
    secret: &beratta_core::login::ServerSecret,
    org_secret: &OrgSecretKey,
    passwords: &DemoStaff,
    kdf: KdfParams,
) -> anyhow::Result<(StaffAccount, Vec<String>)> {
    let unit = match store.units(DEMO_ORGANISATION)?.into_iter().find(|u| u.name == DEMO_UNIT) {
        Some(unit) => unit,
        None => {
            let unit = Unit { unit_id: staff::new_id(&mut OsRng), name: DEMO_UNIT.to_string() };
            store.insert_unit(DEMO_ORGANISATION, &unit)?;
            audit::by_command(store, DEMO_ORGANISATION, AuditAction::UnitAdded, &unit.unit_id, now())?;
            unit
        }
    };
    let wanted = [
        (DEMO_ADMIN, "Demo Administratör", Role::Administrator, None, passwords.admin_password.as_str()),
        (DEMO_STAFF, "Demo Personal", Role::Staff, Some(unit.unit_id.clone()), passwords.staff_password.as_str()),
    ];
    let mut lines = Vec::new();
    let mut inviter = None;
    for (username, display_name, role, unit, password) in wanted {
        let role_name = match role {
            Role::Administrator => "administrator",
            Role::Staff => "staff",
            Role::Analyst => "analyst",
        };
        let account = match store.staff_by_username(username)? {
            Some(existing) if existing.organisation == DEMO_ORGANISATION => {
                lines.push(format!("{username} (exists already; its password is unchanged) {role_name}"));
                existing
            }
            Some(_) => bail!("the username {username} belongs to another organisation"),
            None => {
                let member = KnownPassword { username, display_name, role, unit, password, kdf };
                let account = staff::add_staff_with_password(
                    store,
                    secret,
                    DEMO_ORGANISATION,
                    org_secret,
                    &member,
                    now(),
                    &mut OsRng,
                )?;
                audit::by_command(store, DEMO_ORGANISATION, AuditAction::StaffAdded, &account.id, now())?;
                lines.push(format!("{username} {password} {role_name}"));
                account
            }
        };
        if role == Role::Staff {
            inviter = Some(account);
        }
    }
    let inviter = inviter.context("the demo staff member was not made")?;
    Ok((inviter, lines))
}

fn run_demo_municipality(
    data: &Path,
    secret_file: &Path,
    questionnaires: &Path,
    options: &demo_municipality::Options<'_>,
) -> anyhow::Result<()> {
    use demo_municipality::{Outcome, ADMIN, ANALYST, ORGANISATION, ORGANISATION_NAME};
    let started = std::time::Instant::now();
    secret::ensure_outside(data, secret_file, "the server secret file")?;
    let library = instruments::load_library(questionnaires).map_err(|errors| {
        for problem in &errors.0 {
            eprintln!("{problem}");
        }
        anyhow::anyhow!("{} problem(s) in the questionnaires in {}", errors.0.len(), questionnaires.display())
    })?;
    let store = open_store(data)?;
    let secret = secret::load_or_create(secret_file)?;
    let outcome = demo_municipality::create(&store, &secret, &library, options, now(), &mut OsRng)?;
    store.flush()?;
    let mut stdout = std::io::stdout();
    match outcome {
        Outcome::Exists => {
            writeln!(stdout, "{ORGANISATION_NAME} ({ORGANISATION}) exists already; nothing was changed")?;
            writeln!(stdout, "Logins for {ORGANISATION_NAME} (username, password, role):")?;
            writeln!(stdout, "{ANALYST} (exists already; its password is unchanged) analyst (statistics key only)")?;
            writeln!(stdout, "{ADMIN} (exists already; its password is unchanged) administrator")?;
        }
        Outcome::Created { rounds } => {
            writeln!(stdout, "Logins for {ORGANISATION_NAME} (username, password, role):")?;
            writeln!(stdout, "{ANALYST} {} analyst (statistics key only)", options.analyst_password)?;
            writeln!(stdout, "{ADMIN} {} administrator", options.admin_password)?;
            let total: usize = rounds.iter().map(|(_, n)| n).sum();
            for (round, count) in &rounds {
                writeln!(stdout, "round {round}: {count} finished assessments")?;
            }
            writeln!(
                stdout,
                "{ORGANISATION_NAME}: {total} finished assessments in {} rounds, seed {}, in {:.1} s",
                rounds.len(),
                options.seed,
                started.elapsed().as_secs_f64()
            )?;
        }
    }
    stdout.flush()?;
    Ok(())
}

fn create_org(
    data: &Path,
    secret_file: &Path,
    questionnaires: &Path,
    id: &str,
    name: &str,
    admin: &str,
    admin_name: &str,
) -> anyhow::Result<()> {
    secret::ensure_outside(data, secret_file, "the server secret file")?;
    load_instruments(questionnaires)?;
    let store = open_store(data)?;
    secret::load_or_create(secret_file)?;
    let token = staff::create_organisation(&store, id, name, admin, admin_name, now(), &mut OsRng)?;
    audit::by_command(&store, id, AuditAction::OrganisationCreated, id, now())?;
    if let Some(account) = store.staff_by_username(&staff::normalise_username(admin).unwrap_or_default())? {
        audit::by_command(&store, id, AuditAction::StaffAdded, &account.id, now())?;
    }
    store.flush()?;
    eprintln!(
        "created the organisation {name} ({id}); open the link below on the server's address within 7 days, \
         as {admin}, to make its keys and choose a password. It works once."
    );
    let mut stdout = std::io::stdout();
    writeln!(stdout, "setup: /staff/#/setup/{token}")?;
    stdout.flush()?;
    Ok(())
}

fn verify_audit(data: &Path) -> anyhow::Result<ExitCode> {
    report_audit(&open_store(data)?)
}

/// Checks the audit chain of an open store and says what came of it.
fn report_audit(store: &SledStore) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout();
    match store.verify_audit()? {
        Ok(records) => {
            writeln!(stdout, "audit log OK: {records} records")?;
            Ok(ExitCode::SUCCESS)
        }
        Err(fault) => {
            writeln!(stdout, "audit log BROKEN: {fault}")?;
            Ok(ExitCode::FAILURE)
        }
    }
}
