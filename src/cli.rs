//! The `tandem` command: serve, migrate, demo, import, admin, generate.
use std::io::{BufReader, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::demo;
use crate::domain::account::{Role, parse_email, parse_password};
use crate::startup::Application;
use crate::store::{NewAccountRow, Store};

#[derive(Parser)]
#[command(name = "tandem", version, about = "Matchmaking for security-innovation consortia")]
struct Cli {
    /// Folder holding default.toml and <TANDEM_ENV>.toml.
    #[arg(long, global = true, default_value = "config", env = "TANDEM_CONFIG_DIR")]
    config_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo dataset into an empty database, create the demo accounts, then serve.
    Demo,
    /// Import organisations with their offers and needs from a JSON Lines file.
    Import {
        file: PathBuf,
        /// Refuse the whole file if any line is bad (default: report and skip bad lines).
        #[arg(long)]
        strict: bool,
        /// E-mail of an existing account that will own the imported organisations.
        #[arg(long)]
        owner: Option<String>,
    },
    /// Manage administrator accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Rebuild the search index from the database into a fresh folder, then switch to it (a running service
    /// follows the switch without stopping).
    Reindex,
    /// Write a deterministic synthetic marketplace as JSON Lines (the demo data and the benchmark corpora).
    Generate {
        #[arg(long, default_value_t = 400)]
        count: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Where to write the planted SME/end-user pairs (the matching benchmark's ground truth).
        #[arg(long)]
        truth: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an administrator, or promote an existing account; the password comes from TANDEM_ADMIN_PASSWORD or a prompt.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("tandem: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Generate { count, seed, out, truth } = &cli.command {
        return generate(*count, *seed, out.as_ref(), truth.as_ref()).map(|()| ExitCode::SUCCESS);
    }
    let settings = match Settings::load(&cli.config_dir) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("tandem: {error}");
            return Ok(ExitCode::from(2));
        }
    };
    crate::telemetry::init(&settings.log);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve => serve(settings).await,
            Command::Migrate => {
                let store = connect(&settings).await?;
                store.close().await;
                println!("migrations applied ({})", store.engine());
                Ok(ExitCode::SUCCESS)
            }
            Command::Demo => {
                // The demo's webhooks may point at a receiver on the same machine.
                let mut settings = settings;
                settings.webhooks.allow_private = true;
                let store = connect(&settings).await?;
                demo::load(&store, &settings).await?;
                Application::with_store(settings, store)?.run_until_stopped().await?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Reindex => reindex(&settings).await,
            Command::Import { file, strict, owner } => import(&settings, &file, strict, owner.as_deref()).await,
            Command::Admin { command: AdminCommand::Create { email, name } } => {
                admin_create(&settings, &email, &name).await
            }
            Command::Generate { .. } => Ok(ExitCode::SUCCESS),
        }
    })
}

async fn connect(settings: &Settings) -> anyhow::Result<Store> {
    Store::connect(&settings.database.url, settings.database.max_connections)
        .await
        .with_context(|| format!("cannot open the database named by database.url ({})", redact(&settings.database.url)))
}

/// Hides a password in a database URL before it is printed.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

async fn serve(settings: Settings) -> anyhow::Result<ExitCode> {
    let store = connect(&settings).await?;
    Application::with_store(settings, store)?.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}

async fn import(settings: &Settings, file: &PathBuf, strict: bool, owner: Option<&str>) -> anyhow::Result<ExitCode> {
    let handle = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let store = connect(settings).await?;
    let owner_id = match owner {
        None => None,
        Some(email) => Some(
            store
                .account_by_email(&email.trim().to_lowercase())
                .await?
                .with_context(|| format!("no account has the e-mail {email}"))?
                .0
                .id,
        ),
    };
    let bar = indicatif::ProgressBar::new(size);
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {elapsed} ({eta} left)")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let report =
        crate::import::import(&store, BufReader::new(handle), strict, owner_id.as_deref(), |n| bar.set_position(n))
            .await?;
    bar.finish_and_clear();
    store.close().await;
    for rejected in &report.rejected {
        eprintln!("{rejected}");
    }
    if strict && !report.rejected.is_empty() {
        eprintln!("import refused: {} bad line(s); nothing was written (--strict)", report.rejected.len());
        return Ok(ExitCode::FAILURE);
    }
    println!("imported {} organisation(s); skipped {} bad line(s)", report.imported, report.rejected.len());
    Ok(if report.rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(3) })
}

async fn reindex(settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = connect(settings).await?;
    let total = store.count_organisations().await?;
    let bar = indicatif::ProgressBar::new(u64::try_from(total).unwrap_or(0));
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let memory = settings.index.writer_memory_mb << 20;
    let generation = crate::search::indexer::rebuild(&store, &settings.index.dir, memory, |done| {
        bar.set_position(done as u64);
    })
    .await?;
    bar.finish_and_clear();
    store.close().await;
    println!("index rebuilt from {total} organisation(s): generation {generation}");
    Ok(ExitCode::SUCCESS)
}

async fn admin_create(settings: &Settings, email: &str, name: &str) -> anyhow::Result<ExitCode> {
    let email = parse_email("email", email).map_err(|e| anyhow::anyhow!("--email: {}", e.message))?;
    let password = match std::env::var("TANDEM_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => rpassword::prompt_password(format!("Password for {email}: "))?,
    };
    let password = parse_password("password", password).map_err(|e| anyhow::anyhow!("password: {}", e.message))?;
    let passwords = crate::auth::Passwords::new(settings.auth.argon2_memory_kib, settings.auth.argon2_iterations)?;
    let hash = passwords.hash(&password)?;
    let store = connect(settings).await?;
    let row = NewAccountRow { email: &email, name, password_hash: &hash, role: Role::Admin.as_str(), language: "en" };
    let account = store.upsert_account(&row).await?;
    store.close().await;
    println!("administrator {} ({})", account.email, account.id);
    Ok(ExitCode::SUCCESS)
}

fn generate(count: usize, seed: u64, out: Option<&PathBuf>, truth: Option<&PathBuf>) -> anyhow::Result<()> {
    let mut writer: Box<dyn Write> = match out {
        Some(path) => Box::new(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut failure = None;
    let pairs = demo::generate::stream(&demo::generate::DemoSpec { organisations: count, seed }, |line| {
        if failure.is_none()
            && let Err(e) = writeln!(writer, "{line}")
        {
            failure = Some(e);
        }
    });
    if let Some(error) = failure {
        return Err(error.into());
    }
    writer.flush()?;
    if let Some(path) = truth {
        std::fs::write(path, serde_json::to_string_pretty(&pairs)? + "\n")?;
    }
    Ok(())
}
