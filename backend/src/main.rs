//! The `beratta-server` command: argument handling and glue around the library.

use anyhow::{bail, Context};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::api::QuestionnaireRef;
use beratta_core::login::KdfParams;
use beratta_server::frontend::Frontend;
use beratta_server::instruments::Instruments;
use beratta_server::invitation::{self, DEMO_ORGANISATION, DEMO_ORGANISATION_NAME};
use beratta_server::store::{SledStore, Store};
use beratta_server::{build_app, limits, secret, AppState};
use clap::{Parser, Subcommand};
use rand_core::OsRng;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "beratta-server", version, about = "Berätta's server: stores sealed answers it cannot read.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    },
}

fn main() -> ExitCode {
    // Logs go to stderr, so stdout carries only what scripts read: the listening line and
    // the demo codes.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let result = match Cli::parse().command {
        Command::Serve { data, secret_file, static_dir, questionnaires, listen } => {
            serve(&data, &secret_file, &static_dir, &questionnaires, &listen)
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
        } => {
            let kdf = KdfParams {
                memory_kib: kdf_memory_kib.unwrap_or(KdfParams::STANDARD.memory_kib),
                iterations: kdf_iterations.unwrap_or(KdfParams::STANDARD.iterations),
                ..KdfParams::STANDARD
            };
            demo(&data, &secret_file, &questionnaires, children, &questionnaire, &org_key_out, kdf)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
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

fn serve(
    data: &Path,
    secret_file: &Path,
    static_dir: &Path,
    questionnaires: &Path,
    listen: &str,
) -> anyhow::Result<()> {
    secret::ensure_outside(data, secret_file, "the server secret file")?;
    let instruments = load_instruments(questionnaires)?;
    let store = open_store(data)?;
    let secret = secret::load_or_create(secret_file)?;
    let frontend = Frontend::load(static_dir).with_context(|| format!("cannot read {}", static_dir.display()))?;
    tracing::info!("questionnaires: {}", instruments.references().join(", "));
    let state = AppState::new(Arc::new(store), secret, instruments, frontend);
    if let Err(e) = state.sweep() {
        tracing::warn!("could not sweep expired sessions: {e}");
    }

    actix_web::rt::System::new().block_on(async move {
        let factory_state = state.clone();
        let server = actix_web::HttpServer::new(move || build_app(factory_state.clone()))
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
                    Err(e) => tracing::warn!("could not sweep expired sessions: {e}"),
                }
            }
        });

        server.run().await.context("the server stopped with an error")?;
        state.store.flush().context("cannot flush the database on shutdown")?;
        Ok(())
    })
}

/// Reads `id@version`, as printed everywhere an instrument is named.
fn parse_reference(text: &str) -> Result<QuestionnaireRef, String> {
    let (id, version) = text.rsplit_once('@').ok_or("write the instrument as id@version, e.g. beratta-10-12@1")?;
    let version = version.parse().map_err(|_| format!("`{version}` is not a version number"))?;
    Ok(QuestionnaireRef { id: id.to_string(), version })
}

fn demo(
    data: &Path,
    secret_file: &Path,
    questionnaires: &Path,
    children: u32,
    questionnaire: &QuestionnaireRef,
    org_key_out: &Path,
    kdf: KdfParams,
) -> anyhow::Result<()> {
    secret::ensure_outside(data, secret_file, "the server secret file")?;
    secret::ensure_outside(data, org_key_out, "the organisation key file")?;
    let instruments = load_instruments(questionnaires)?;
    if !instruments.contains(questionnaire) {
        bail!("{} has no questionnaire {}", questionnaires.display(), questionnaire.reference());
    }
    let store = open_store(data)?;
    let secret = secret::load_or_create(secret_file)?;

    if store.organisation(DEMO_ORGANISATION)?.is_none() {
        if org_key_out.exists() {
            bail!(
                "{} exists, but the database has no demo organisation, so that key belongs to an \
                 earlier database; delete it or choose another --org-key-out",
                org_key_out.display()
            );
        }
        let (organisation, org_secret) =
            invitation::new_organisation(DEMO_ORGANISATION, DEMO_ORGANISATION_NAME, now(), &mut OsRng);
        // The key is on disk before the organisation exists, so nothing can ever be sealed
        // to an organisation whose secret key was lost.
        secret::write_private_file(org_key_out, URL_SAFE_NO_PAD.encode(org_secret.to_bytes()).as_bytes())?;
        store.insert_organisation(&organisation)?;
        eprintln!("created the organisation {DEMO_ORGANISATION_NAME}; its secret key is in {}", org_key_out.display());
    } else if !org_key_out.exists() {
        eprintln!(
            "warning: the organisation {DEMO_ORGANISATION_NAME} exists but {} does not; its secret key \
             was written only when it was created",
            org_key_out.display()
        );
    }

    let mut codes = Vec::new();
    for _ in 0..children {
        let issued =
            invitation::create_invitation(&store, &secret, DEMO_ORGANISATION, questionnaire, kdf, now(), &mut OsRng)?;
        codes.push(issued.code);
    }
    store.flush()?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "Child codes for {DEMO_ORGANISATION_NAME} ({}):", questionnaire.reference())?;
    for code in codes {
        writeln!(stdout, "{}", code.display())?;
    }
    stdout.flush()?;
    Ok(())
}
