//! End-to-end search benchmark, measured at the HTTP API of the release binary.
//!
//! `cargo bench --bench search -- [--profiles N] [--seed S] [--queries N] [--keep DIR] [--json] [--slowest N]
//! [--tandem PATH]`
//!
//! 1. generates N synthetic organisations with `tandem generate` (timed apart from the build);
//! 2. bulk-imports them with `tandem import` into a fresh SQLite file, then starts `tandem serve` on a fresh index
//!    folder and waits until `/health/ready` reports that the index has applied the database's last change;
//! 3. measures the index and database sizes on disk;
//! 4. builds a deterministic set of French and English queries (some with a typo, most with facet filters);
//! 5. sends them one at a time and reports client-side latency percentiles;
//! 6. replays them from two concurrent clients for about ten seconds and reports searches per second;
//! 7. reads the server's peak and idle resident memory from `/proc/<pid>/status`.
//!
//! Everything runs on loopback; the server process is killed when the benchmark ends, also on a panic.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

/// The `tandem` binary cargo built with this bench, unless `--tandem PATH` names another build (to compare builds on
/// the same kept dataset).
static TANDEM: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

fn tandem_binary() -> &'static Path {
    TANDEM.get_or_init(|| PathBuf::from(env!("CARGO_BIN_EXE_tandem")))
}
const WARM_UP: usize = 100;
const CLIENTS: usize = 2;
const THROUGHPUT_PHASE: Duration = Duration::from_secs(10);
const TYPO_SHARE: f64 = 0.15;
const FILTERED_SHARE: f64 = 0.60;
const MIB: f64 = 1024.0 * 1024.0;

/// Realistic French and English security vocabulary: single words and short phrases.
const VOCABULARY: &[&str] = &[
    // French
    "drones",
    "détection",
    "hôpital",
    "inondation",
    "portuaire",
    "vidéoprotection",
    "capteurs",
    "alerte",
    "cyberattaque",
    "eau potable",
    "énergie",
    "crise",
    "foule",
    "jumeau numérique",
    "détection d'intrusion",
    "rançongiciel",
    "surveillance",
    "incendie",
    "sécurité",
    "collectivité",
    "réseau électrique",
    "gestion de crise",
    "évacuation",
    "pompiers",
    "secours",
    "menace",
    "anomalie",
    "infrastructure critique",
    "cartographie",
    "chiffrement",
    "authentification",
    "vulnérabilités",
    "supervision",
    "ferroviaire",
    "aéroport",
    "centre hospitalier",
    "station d'épuration",
    "intelligence artificielle",
    "résilience",
    "temps réel",
    "géolocalisation",
    "caméra thermique",
    "maintenance prédictive",
    "radiocommunication",
    // English
    "drone",
    "ransomware",
    "hospital",
    "flood",
    "port",
    "SCADA",
    "sensors",
    "early warning",
    "digital twin",
    "anomaly",
    "intrusion detection",
    "crowd",
    "drinking water",
    "energy",
    "crisis management",
    "wildfire",
    "threat intelligence",
    "emergency services",
    "situational awareness",
    "video analytics",
    "phishing",
    "OT security",
    "encryption",
    "resilience",
    "satellite imagery",
    "first responders",
    "evacuation",
    "machine learning",
    "critical infrastructure",
    "smart city",
    "incident response",
    "LoRaWAN",
    "thermal camera",
    "predictive maintenance",
    "supply chain",
    "risk assessment",
    "earthquake",
    "cyber range",
    "interoperability",
    "mesh network",
];

const TECHNOLOGIES: &[&str] =
    &["ai", "cybersecurity", "iot_sensors", "data_analytics", "critical_infrastructure_solutions", "crisis_management"];
const DOMAINS: &[&str] =
    &["critical_infrastructure", "disaster_resilience", "urban_security", "digital_green_transition"];
const SECTORS: &[&str] = &[
    "energy",
    "transport",
    "banking",
    "financial_market_infrastructure",
    "health",
    "drinking_water",
    "waste_water",
    "digital_infrastructure",
    "public_administration",
    "space",
    "food",
    "local_authority",
    "port",
    "emergency_services",
    "law_enforcement",
];
const KINDS: &[&str] = &["sme", "end_user", "research", "large_company", "cluster", "other"];
const OTHER_COUNTRIES: &[&str] = &["DE", "IT", "ES", "BE", "NL", "PT", "PL"];
const TYPES: &[&str] = &["organisation", "offer", "need"];
const FILTERS: &[&str] = &["technology", "domain", "sector", "kind", "country", "type", "trl_min"];

// ---------------------------------------------------------------------------------------------------------------
// Options

struct Options {
    profiles: usize,
    seed: u64,
    queries: usize,
    keep: Option<PathBuf>,
    json: bool,
    /// How many of the slowest queries to list.
    slowest: usize,
    /// Print the queries' request paths, one a line, and stop (for replaying them with other tools).
    print_queries: bool,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        profiles: 10_000,
        seed: 7,
        queries: 1000,
        keep: None,
        json: false,
        slowest: 10,
        print_queries: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--profiles" => options.profiles = value("--profiles")?.parse().context("--profiles: a number")?,
            "--seed" => options.seed = value("--seed")?.parse().context("--seed: a number")?,
            "--queries" => options.queries = value("--queries")?.parse().context("--queries: a number")?,
            "--keep" => options.keep = Some(PathBuf::from(value("--keep")?)),
            "--json" => options.json = true,
            "--print-queries" => options.print_queries = true,
            "--slowest" => options.slowest = value("--slowest")?.parse().context("--slowest: a number")?,
            "--tandem" => {
                let path = PathBuf::from(value("--tandem")?);
                if !path.is_file() {
                    bail!("--tandem: {} is not a file", path.display());
                }
                TANDEM.set(path).map_err(|_| anyhow::anyhow!("--tandem given twice"))?;
            }
            // `cargo bench` passes `--bench` to every benchmark binary.
            "--bench" => {}
            "--help" | "-h" => {
                println!(
                    "cargo bench --bench search -- [--profiles N] [--seed S] [--queries N] [--keep DIR] [--json] \\
                     [--slowest N] [--tandem PATH] [--print-queries]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown option {other} (try --help)"),
        }
    }
    if options.profiles == 0 || options.queries == 0 {
        bail!("--profiles and --queries must be at least 1");
    }
    Ok(options)
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

/// `tandem <args>` with the benchmark's settings only: nothing inherited from `TANDEM_*` variables, the built-in
/// defaults (it runs in the dataset folder, which holds no `config/`), this database and index.
fn tandem(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(tandem_binary());
    command.args(args).current_dir(dir).env_remove("RUST_LOG");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("TANDEM") {
            command.env_remove(key);
        }
    }
    command
        .env("TANDEM__DATABASE__URL", database_url(dir))
        .env("TANDEM__INDEX__DIR", dir.join("index"))
        .env("TANDEM__DATA__DIR", dir.join("data"))
        .env("TANDEM__SERVER__HOST", "127.0.0.1")
        .env("TANDEM__SERVER__PORT", "0")
        .env("TANDEM__LOG__FORMAT", "json")
        .env("TANDEM__LOG__LEVEL", std::env::var("BENCH_SERVER_LOG").unwrap_or_else(|_| "info,sqlx=warn".to_owned()))
        .stdin(Stdio::null());
    command
}

fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("tandem.db").display())
}

fn run(mut command: Command, what: &str) -> anyhow::Result<(Duration, String)> {
    let started = Instant::now();
    let output = command.output().with_context(|| format!("{what}: cannot start {}", tandem_binary().display()))?;
    let elapsed = started.elapsed();
    check(output.status, what, &output.stderr)?;
    Ok((elapsed, String::from_utf8_lossy(&output.stdout).trim().to_owned()))
}

fn check(status: ExitStatus, what: &str, stderr: &[u8]) -> anyhow::Result<()> {
    if !status.success() {
        bail!("{what} failed ({status}): {}", String::from_utf8_lossy(stderr));
    }
    Ok(())
}

/// The running `tandem serve`; killed when dropped, so also when the benchmark panics.
struct Server {
    child: Child,
    base: String,
    pid: u32,
}

impl Server {
    fn start(dir: &Path) -> anyhow::Result<Self> {
        let mut child = tandem(dir, &["serve"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start tandem serve")?;
        let pid = child.id();
        let stderr = child.stderr.take().context("the server's stderr")?;
        let (sender, receiver) = std::sync::mpsc::channel();
        // With `BENCH_SERVER_LOG` (a log filter such as `info,tandem::search=debug`) the server's logs are kept in
        // `server.log` in the dataset folder.
        let mut kept = match std::env::var_os("BENCH_SERVER_LOG") {
            Some(_) => Some(std::fs::File::create(dir.join("server.log")).context("server.log")?),
            None => None,
        };
        // Reads the port from the logs, then keeps draining them (a full pipe would block the server) and echoes
        // warnings and errors.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(file) = &mut kept {
                    let _ = writeln!(file, "{line}");
                }
                let Ok(log) = serde_json::from_str::<Value>(&line) else { continue };
                if let Some(port) = log["fields"]["port"].as_u64() {
                    let _ = sender.send(port);
                }
                if matches!(log["level"].as_str(), Some("WARN" | "ERROR")) {
                    eprintln!("server: {line}");
                }
            }
        });
        let mut server = Self { child, base: String::new(), pid };
        let port = receiver.recv_timeout(Duration::from_secs(120)).context("the server did not log its port")?;
        server.base = format!("http://127.0.0.1:{port}");
        Ok(server)
    }

    fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// `VmHWM`, `VmRSS`, `RssAnon`, `RssFile`… from `/proc/<pid>/status`, in bytes.
    fn memory(&self) -> anyhow::Result<BTreeMap<String, u64>> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).context("/proc/<pid>/status")?;
        Ok(status
            .lines()
            .filter_map(|line| {
                let (key, rest) = line.split_once(':')?;
                let kib = rest.trim().strip_suffix(" kB")?.trim().parse::<u64>().ok()?;
                Some((key.to_owned(), kib * 1024))
            })
            .collect())
    }

    fn memory_of(&self, key: &str) -> anyhow::Result<u64> {
        self.memory()?.get(key).copied().with_context(|| format!("{key} in /proc/<pid>/status"))
    }

    /// Resets the peak resident size (`VmHWM`) to the current one (Linux ≥ 4.0); false if the kernel refused.
    fn reset_peak(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5").is_ok()
    }

    /// User plus system CPU time the server has used.
    fn cpu(&self) -> Option<Duration> {
        cpu_of(&format!("/proc/{}/stat", self.pid))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// utime + stime from a `/proc/.../stat` file (clock ticks of 1/100 s, as on every Linux this runs on).
fn cpu_of(path: &str) -> Option<Duration> {
    let stat = std::fs::read_to_string(path).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// CPU time of this benchmark and of its subprocesses that have ended (`tandem generate`, `tandem import`).
fn own_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
    let ticks: u64 = fields.get(11..15)?.iter().map(|f| f.parse::<u64>().unwrap_or(0)).sum();
    Some(Duration::from_millis(ticks * 10))
}

/// CPU time the whole machine has spent busy (all cores; user, system, interrupts, steal), from `/proc/stat`.
fn machine_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> =
        stat.lines().next()?.split_whitespace().skip(1).take(8).map(|f| f.parse().unwrap_or(0)).collect();
    // user nice system idle iowait irq softirq steal: everything but idle and iowait.
    let busy: u64 = fields.iter().enumerate().filter(|(i, _)| *i != 3 && *i != 4).map(|(_, t)| t).sum();
    Some(Duration::from_millis(busy * 10))
}

/// CPU used so far by the machine, the server and this benchmark: two snapshots tell how much CPU other processes
/// (a compiler, say) took during a phase, that is how far the phase's figures can be trusted.
struct CpuSnapshot {
    machine: Option<Duration>,
    server: Option<Duration>,
    client: Option<Duration>,
    at: Instant,
}

impl CpuSnapshot {
    fn take(server: Option<&Server>) -> Self {
        Self {
            machine: machine_cpu(),
            server: server.map_or(Some(Duration::ZERO), Server::cpu),
            client: own_cpu(),
            at: Instant::now(),
        }
    }

    /// Server, benchmark and other processes' CPU between two snapshots, and the wall time.
    fn since(&self, before: &CpuSnapshot) -> Option<PhaseCpu> {
        let delta = |a: Option<Duration>, b: Option<Duration>| Some(a?.saturating_sub(b?));
        let machine = delta(self.machine, before.machine)?;
        let server = delta(self.server, before.server)?;
        let client = delta(self.client, before.client)?;
        Some(PhaseCpu {
            server,
            client,
            others: machine.saturating_sub(server + client),
            wall: self.at.duration_since(before.at),
        })
    }
}

struct PhaseCpu {
    server: Duration,
    client: Duration,
    others: Duration,
    wall: Duration,
}

impl PhaseCpu {
    fn describe(&self) -> String {
        format!(
            "server {:.1} s, benchmark {:.1} s, other processes {:.1} s of CPU in {:.1} s on {} cores",
            self.server.as_secs_f64(),
            self.client.as_secs_f64(),
            self.others.as_secs_f64(),
            self.wall.as_secs_f64(),
            cores()
        )
    }

    fn json(&self) -> Value {
        json!({"server_s": self.server.as_secs_f64(), "benchmark_s": self.client.as_secs_f64(),
               "others_s": self.others.as_secs_f64(), "wall_s": self.wall.as_secs_f64()})
    }
}

fn describe(phase: Option<&PhaseCpu>) -> String {
    phase.map_or_else(|| "unknown".to_owned(), PhaseCpu::describe)
}

fn size_under(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else { return 0 };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => size_under(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
}

fn database_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("tandem.db"))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

// ---------------------------------------------------------------------------------------------------------------
// Queries

struct Query {
    text: String,
    /// How many vocabulary entries (words or short phrases) the text was drawn from.
    entries: usize,
    typo: bool,
    filters: Vec<(&'static str, String)>,
    path: String,
}

fn pick<'a>(rng: &mut ChaCha8Rng, values: &[&'a str]) -> &'a str {
    values[rng.random_range(0..values.len())]
}

/// One deleted, doubled or swapped letter in a word of five letters or more; `None` if the text has no such word.
fn with_typo(rng: &mut ChaCha8Rng, text: &str) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    let eligible: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].chars().all(char::is_alphabetic) && words[i].chars().count() >= 5)
        .collect();
    if eligible.is_empty() {
        return None;
    }
    let target = eligible[rng.random_range(0..eligible.len())];
    let mut letters: Vec<char> = words[target].chars().collect();
    let at = rng.random_range(0..letters.len() - 1);
    match rng.random_range(0..3u8) {
        0 => {
            letters.remove(at);
        }
        1 => letters.insert(at, letters[at]),
        _ if letters[at] != letters[at + 1] => letters.swap(at, at + 1),
        _ => {
            letters.remove(at);
        }
    }
    let typo: String = letters.into_iter().collect();
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == target { typo.as_str() } else { w })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn filter_value(rng: &mut ChaCha8Rng, filter: &str) -> String {
    match filter {
        "technology" => pick(rng, TECHNOLOGIES).to_owned(),
        "domain" => pick(rng, DOMAINS).to_owned(),
        "sector" => pick(rng, SECTORS).to_owned(),
        "kind" => pick(rng, KINDS).to_owned(),
        "country" if rng.random_bool(0.5) => "FR".to_owned(),
        "country" => pick(rng, OTHER_COUNTRIES).to_owned(),
        "type" => pick(rng, TYPES).to_owned(),
        _ => rng.random_range(3..=8u8).to_string(),
    }
}

fn queries(seed: u64, count: usize) -> Vec<Query> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eac_4be7_c4ed_0001);
    (0..count)
        .map(|_| {
            let typo = rng.random_bool(TYPO_SHARE);
            let (text, entries) = loop {
                let entries = rng.random_range(2..=4usize);
                let mut chosen: Vec<&str> = Vec::with_capacity(entries);
                while chosen.len() < entries {
                    let entry = pick(&mut rng, VOCABULARY);
                    if !chosen.contains(&entry) {
                        chosen.push(entry);
                    }
                }
                let text = chosen.join(" ");
                if !typo {
                    break (text, entries);
                }
                if let Some(text) = with_typo(&mut rng, &text) {
                    break (text, entries);
                }
            };
            let mut filters: Vec<(&'static str, String)> = Vec::new();
            if rng.random_bool(FILTERED_SHARE) {
                let wanted = rng.random_range(1..=2usize);
                while filters.len() < wanted {
                    let filter = FILTERS[rng.random_range(0..FILTERS.len())];
                    if filters.iter().all(|(f, _)| *f != filter) {
                        filters.push((filter, filter_value(&mut rng, filter)));
                    }
                }
            }
            let mut query = form_urlencoded::Serializer::new(String::new());
            query.append_pair("q", &text);
            for (key, value) in &filters {
                query.append_pair(key, value);
            }
            let path = format!("/api/v1/search?{}", query.finish());
            Query { text, entries, typo, filters, path }
        })
        .collect()
}

impl Query {
    fn describe(&self) -> String {
        let mut out = format!("q={:?}", self.text);
        for (key, value) in &self.filters {
            let _ = write!(out, " {key}={value}");
        }
        if self.typo {
            out.push_str("  (typo)");
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP

struct Answer {
    status: u16,
    elapsed: Duration,
    bytes: usize,
    total: Option<u64>,
}

async fn send(client: &reqwest::Client, url: &str) -> anyhow::Result<(u16, Vec<u8>)> {
    let response = client.get(url).send().await.with_context(|| format!("GET {url}"))?;
    let status = response.status().as_u16();
    let body = response.bytes().await.with_context(|| format!("GET {url}: body"))?;
    Ok((status, body.to_vec()))
}

async fn ask(client: &reqwest::Client, base: &str, query: &Query) -> anyhow::Result<Answer> {
    let url = format!("{base}{}", query.path);
    let started = Instant::now();
    let (status, body) = send(client, &url).await?;
    let elapsed = started.elapsed();
    let total = serde_json::from_slice::<Value>(&body).ok().and_then(|v| v["total"].as_u64());
    Ok(Answer { status, elapsed, bytes: body.len(), total })
}

async fn get_json(client: &reqwest::Client, url: &str) -> anyhow::Result<Value> {
    let (status, body) = send(client, url).await?;
    if status != 200 {
        bail!("GET {url}: {status} {}", String::from_utf8_lossy(&body));
    }
    serde_json::from_slice(&body).with_context(|| format!("GET {url}: not JSON"))
}

/// Polls `/health/ready` until the index has applied `last_seq`; returns how far it got.
async fn wait_for_index(client: &reqwest::Client, server: &mut Server, last_seq: i64) -> anyhow::Result<i64> {
    let url = format!("{}/health/ready", server.base);
    let started = Instant::now();
    let mut reported = Instant::now();
    loop {
        if let Some(status) = server.exited() {
            bail!("the server exited while indexing ({status})");
        }
        // While the indexer holds the database the readiness check may briefly fail: poll again.
        let applied = match get_json(client, &url).await {
            Ok(ready) => ready["index"]["applied_seq"].as_i64().unwrap_or(0),
            Err(_) => 0,
        };
        if applied >= last_seq {
            return Ok(applied);
        }
        if reported.elapsed() >= Duration::from_secs(10) {
            eprintln!("  indexing: applied_seq {applied} of {last_seq} after {:.0} s", started.elapsed().as_secs_f64());
            reported = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Polls `/health/ready` until the index is in one segment (the merge after a large catch-up), at most ten minutes;
/// returns the number of segments.
async fn wait_for_merge(client: &reqwest::Client, server: &mut Server) -> anyhow::Result<u64> {
    let url = format!("{}/health/ready", server.base);
    let started = Instant::now();
    loop {
        if let Some(status) = server.exited() {
            bail!("the server exited while merging ({status})");
        }
        let segments = get_json(client, &url).await.ok().and_then(|ready| ready["index"]["segments"].as_u64());
        match segments {
            Some(count) if count > 1 && started.elapsed() < Duration::from_secs(600) => {}
            Some(count) => return Ok(count),
            None => {}
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics

/// Waits (two minutes at most) until the server uses under 5 % of a core over a second; false if it never does.
async fn settle(server: &Server) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        let Some(before) = server.cpu() else { return false };
        tokio::time::sleep(Duration::from_secs(1)).await;
        let Some(after) = server.cpu() else { return false };
        if after.saturating_sub(before) < Duration::from_millis(50) {
            return true;
        }
    }
    false
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    ms(sorted[rank - 1])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Summary {
    count: usize,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
}

fn summary(latencies: impl Iterator<Item = Duration>) -> Summary {
    let mut sorted: Vec<Duration> = latencies.collect();
    sorted.sort_unstable();
    Summary {
        count: sorted.len(),
        p50: percentile(&sorted, 0.50),
        p90: percentile(&sorted, 0.90),
        p99: percentile(&sorted, 0.99),
        max: sorted.last().map_or(f64::NAN, |d| ms(*d)),
    }
}

fn total_bucket(total: Option<u64>) -> &'static str {
    match total {
        None => "total unknown",
        Some(0..100) => "total < 100",
        Some(100..1000) => "total 100-999",
        Some(1000..10_000) => "total 1,000-9,999",
        Some(10_000..100_000) => "total 10,000-99,999",
        Some(_) => "total >= 100,000",
    }
}

/// Latency by query shape: the evidence for what to optimise.
fn breakdown(queries: &[Query], answers: &[Answer]) -> Vec<(String, Summary)> {
    let mut groups: BTreeMap<String, Vec<Duration>> = BTreeMap::new();
    for (query, answer) in queries.iter().zip(answers) {
        let mut keys = vec![
            "all".to_owned(),
            format!("filters: {}", query.filters.len()),
            format!("typo: {}", if query.typo { "yes" } else { "no" }),
            format!("vocabulary entries: {}", query.entries),
            format!("words: {}", query.text.split(' ').count().min(6)),
            total_bucket(answer.total).to_owned(),
        ];
        keys.extend(query.filters.iter().map(|(f, _)| format!("filter {f}")));
        for key in keys {
            groups.entry(key).or_default().push(answer.elapsed);
        }
    }
    groups.into_iter().map(|(key, latencies)| (key, summary(latencies.into_iter()))).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// The benchmark

#[derive(Default)]
struct Build {
    reused: bool,
    generate: Option<Duration>,
    jsonl_bytes: Option<u64>,
    import: Option<Duration>,
    indexing: Duration,
    server_cpu_indexing: Option<Duration>,
    last_seq: i64,
    applied_seq: i64,
    import_message: String,
}

fn main() -> anyhow::Result<()> {
    // reqwest uses rustls with the ring provider, installed once per process (as `tandem serve` does).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let options = options()?;
    if options.print_queries {
        for query in queries(options.seed, options.queries) {
            println!("{}", query.path);
        }
        return Ok(());
    }
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(CLIENTS).enable_all().build().context("runtime")?;
    runtime.block_on(bench(options))
}

async fn bench(options: Options) -> anyhow::Result<()> {
    let load_at_start = load_average();
    let (_temporary, dir) = match &options.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            (None, std::fs::canonicalize(dir).context("--keep folder")?)
        }
        None => {
            let temporary = tempfile::Builder::new().prefix("tandem-bench-").tempdir().context("temporary folder")?;
            let path = temporary.path().to_owned();
            (Some(temporary), path)
        }
    };
    println!(
        "search benchmark: {} profiles, seed {}, {} queries, in {}",
        options.profiles,
        options.seed,
        options.queries,
        dir.display()
    );
    println!("load average at start: {load_at_start}");
    println!("tandem binary: {}", tandem_binary().display());

    let mut build = Build::default();
    let mut import_cpu = None;
    let marker = dir.join("bench-dataset.json");
    let reuse = match std::fs::read_to_string(&marker) {
        Ok(text) => {
            let recorded: Value = serde_json::from_str(&text).context("bench-dataset.json")?;
            if recorded["profiles"] != json!(options.profiles) || recorded["seed"] != json!(options.seed) {
                bail!(
                    "{} holds a dataset of {} profiles with seed {}; use another --keep folder",
                    dir.display(),
                    recorded["profiles"],
                    recorded["seed"]
                );
            }
            true
        }
        Err(_) => false,
    };

    // 1. Generate (not part of the build time).
    if reuse {
        build.reused = true;
        println!("reusing the dataset built earlier in {}", dir.display());
    } else {
        if dir.join("tandem.db").exists() || dir.join("index").exists() {
            bail!("{} holds a database or an index but no bench-dataset.json; use an empty folder", dir.display());
        }
        let jsonl = dir.join("profiles.jsonl");
        let count = options.profiles.to_string();
        let seed = options.seed.to_string();
        let out = jsonl.to_string_lossy().into_owned();
        let (elapsed, _) =
            run(tandem(&dir, &["generate", "--count", &count, "--seed", &seed, "--out", &out]), "tandem generate")?;
        build.generate = Some(elapsed);
        build.jsonl_bytes = std::fs::metadata(&jsonl).ok().map(|m| m.len());
        println!(
            "generate: {:.2} s, {:.1} MiB of JSON Lines",
            elapsed.as_secs_f64(),
            build.jsonl_bytes.unwrap_or(0) as f64 / MIB
        );

        // 2a. Bulk import.
        let before = CpuSnapshot::take(None);
        let (elapsed, message) = run(tandem(&dir, &["import", &out]), "tandem import")?;
        // `tandem import` has ended: its CPU counts as the benchmark's.
        import_cpu = CpuSnapshot::take(None).since(&before);
        if let Some(cpu) = &import_cpu {
            println!(
                "  CPU meanwhile: tandem import {:.1} s, other processes {:.1} s",
                cpu.client.as_secs_f64(),
                cpu.others.as_secs_f64()
            );
        }
        build.import = Some(elapsed);
        build.import_message = message;
        println!("import: {:.2} s ({})", elapsed.as_secs_f64(), build.import_message);
        // The file is regenerated deterministically when needed; at a million profiles it weighs 2 GB.
        std::fs::remove_file(&jsonl).context("removing profiles.jsonl")?;
    }

    let store = tandem::store::Store::connect(&database_url(&dir), 1).await.context("opening the imported database")?;
    build.last_seq = store.last_seq().await.context("reading the last change-log sequence number")?;
    store.close().await;

    // 2b. Index: from the start of `tandem serve` until the index has applied the last change.
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().context("HTTP client")?;
    let before_indexing = CpuSnapshot::take(None);
    let started = Instant::now();
    let mut server = Server::start(&dir)?;
    let listening = started.elapsed();
    build.applied_seq = wait_for_index(&client, &mut server, build.last_seq).await?;
    build.indexing = started.elapsed();
    build.server_cpu_indexing = server.cpu();
    let indexing_cpu = CpuSnapshot::take(Some(&server)).since(&before_indexing);
    println!("  CPU while indexing: {}", describe(indexing_cpu.as_ref()));
    println!(
        "indexing: {:.2} s (listening after {:.2} s), applied_seq {} = last change-log seq {}",
        build.indexing.as_secs_f64(),
        listening.as_secs_f64(),
        build.applied_seq,
        build.last_seq
    );
    if !reuse {
        let recorded = json!({"profiles": options.profiles, "seed": options.seed});
        std::fs::write(&marker, recorded.to_string()).context("writing bench-dataset.json")?;
    }
    // 2c. The indexer merges the segments into one after a large catch-up: queries are timed on the merged index.
    // A kept dataset's index is searched as the run that built it left it.
    if !reuse {
        let merging = Instant::now();
        let segments = wait_for_merge(&client, &mut server).await?;
        println!("merging after indexing: {:.2} s, {segments} segment(s)", merging.elapsed().as_secs_f64());
    }
    // 2d. Start-up work in the background (the check that every stored matching analysis is current reads the whole
    // offers and needs tables: about a second at 100k, tens at 1M) is let finish before queries are timed.
    let settling = Instant::now();
    let settled = settle(&server).await;
    println!(
        "server {} after {:.1} s",
        if settled { "idle" } else { "still busy (timing anyway)" },
        settling.elapsed().as_secs_f64()
    );
    let peak_indexing = server.memory_of("VmHWM")?;
    let rss_after_indexing = server.memory_of("VmRSS")?;

    let mut documents = BTreeMap::new();
    for doc_type in TYPES {
        let answer = get_json(&client, &format!("{}/api/v1/search?type={doc_type}&limit=1", server.base)).await?;
        documents.insert(*doc_type, answer["total"].as_u64().unwrap_or(0));
    }
    println!("indexed documents: {documents:?}");

    // 4. Queries.
    let queries = queries(options.seed, options.queries);
    println!("sample queries:");
    for query in queries.iter().take(5) {
        println!("  {}", query.describe());
        println!("    GET {}", query.path);
    }

    // 5. Latency, one query at a time, after a warm-up.
    let peak_reset = server.reset_peak();
    let load_before_queries = load_average();
    let before_latency = CpuSnapshot::take(Some(&server));
    // The warm-up's own latencies: the first requests of a fresh server process, before its caches (weights, typo
    // expansions, the bitsets of words and filters) hold what the queries need.
    let mut first = Vec::with_capacity(WARM_UP);
    for query in queries.iter().cycle().take(WARM_UP) {
        first.push(ask(&client, &server.base, query).await?.elapsed);
    }
    let warm_up = summary(first.into_iter());
    println!(
        "warm-up (the first {} requests of the server process): p50 {:.2} ms, p90 {:.2} ms, max {:.2} ms",
        warm_up.count, warm_up.p50, warm_up.p90, warm_up.max
    );
    let mut answers = Vec::with_capacity(queries.len());
    for query in &queries {
        answers.push(ask(&client, &server.base, query).await?);
    }
    let ok = answers.iter().filter(|a| a.status == 200).count();
    let latency = summary(answers.iter().map(|a| a.elapsed));
    println!(
        "latency ({} queries): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {ok}/{} answered 200",
        latency.count,
        latency.p50,
        latency.p90,
        latency.p99,
        latency.max,
        answers.len()
    );
    let latency_cpu = CpuSnapshot::take(Some(&server)).since(&before_latency);
    println!("  CPU meanwhile: {}", describe(latency_cpu.as_ref()));
    for (query, answer) in queries.iter().zip(&answers).filter(|(_, a)| a.status != 200) {
        println!("  NOT 200: {} for {}", answer.status, query.describe());
    }

    // 6. Throughput: clients replaying the query set concurrently.
    let paths: Arc<Vec<String>> = Arc::new(queries.iter().map(|q| format!("{}{}", server.base, q.path)).collect());
    let stop = Arc::new(AtomicBool::new(false));
    let before_throughput = CpuSnapshot::take(Some(&server));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let (paths, stop, client) = (paths.clone(), stop.clone(), client.clone());
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut failed, mut times) = (0u64, 0u64, Vec::new());
            let mut i = c * paths.len() / CLIENTS;
            while !stop.load(Ordering::Relaxed) {
                let sent = Instant::now();
                match send(&client, &paths[i % paths.len()]).await {
                    Ok((200, _)) => {
                        ok += 1;
                        times.push(sent.elapsed());
                    }
                    _ => failed += 1,
                }
                i += 1;
            }
            (ok, failed, times)
        }));
    }
    tokio::time::sleep(THROUGHPUT_PHASE).await;
    stop.store(true, Ordering::Relaxed);
    let (mut done, mut failed, mut under_load) = (0u64, 0u64, Vec::new());
    for task in tasks {
        let (ok, bad, times) = task.await.context("throughput client")?;
        done += ok;
        failed += bad;
        under_load.extend(times);
    }
    let under_load = summary(under_load.into_iter());
    let wall = started.elapsed();
    let throughput = done as f64 / wall.as_secs_f64();
    let throughput_cpu = CpuSnapshot::take(Some(&server)).since(&before_throughput);
    let load_after_queries = load_average();
    println!(
        "throughput ({CLIENTS} clients, {:.1} s): {throughput:.0} searches/s ({done} answered 200, {failed} not)",
        wall.as_secs_f64()
    );
    println!(
        "  latency under that load: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        under_load.p50, under_load.p90, under_load.p99, under_load.max
    );
    println!("  CPU meanwhile: {}", describe(throughput_cpu.as_ref()));
    if let Some(cpu) = &throughput_cpu {
        println!("  server CPU per search: {:.2} ms", ms(cpu.server) / done.max(1) as f64);
    }

    // 7. Memory: the peak while serving queries, then the resident size once idle.
    let peak_serving = server.memory_of("VmHWM")?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = server.memory()?;
    let value = |key: &str| idle.get(key).copied().unwrap_or(0);

    // 3. Sizes, once the index has settled.
    let index_bytes = size_under(&dir.join("index"));
    let database_bytes = database_size(&dir);
    drop(server);

    // Report.
    println!();
    println!("latency by query shape (ms, one query at a time):");
    println!("| group | queries | p50 | p90 | p99 | max |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    let groups = breakdown(&queries, &answers);
    for (key, s) in &groups {
        println!("| {key} | {} | {:.2} | {:.2} | {:.2} | {:.2} |", s.count, s.p50, s.p90, s.p99, s.max);
    }
    println!();
    println!("the {} slowest queries:", options.slowest);
    let mut slowest: Vec<(&Query, &Answer)> = queries.iter().zip(&answers).collect();
    slowest.sort_by_key(|(_, answer)| std::cmp::Reverse(answer.elapsed));
    for (query, answer) in slowest.iter().take(options.slowest) {
        println!(
            "  {:>7.2} ms  total {:>7}  {:>6} B  {}",
            ms(answer.elapsed),
            answer.total.map_or("?".to_owned(), |t| t.to_string()),
            answer.bytes,
            query.describe()
        );
    }

    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name").map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned()))
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let secs = |d: Option<Duration>| d.map_or("reused".to_owned(), |d| format!("{:.2} s", d.as_secs_f64()));
    let mib = |b: u64| format!("{:.1} MiB", b as f64 / MIB);
    let typos = queries.iter().filter(|q| q.typo).count();
    let filtered = queries.iter().filter(|q| !q.filters.is_empty()).count();

    let mut rows: Vec<(&str, String)> = vec![
        ("profiles (organisations generated, seed)", format!("{} (seed {})", options.profiles, options.seed)),
        (
            "indexed documents (organisation / offer / need)",
            format!("{} / {} / {}", documents["organisation"], documents["offer"], documents["need"]),
        ),
        ("change-log rows applied (last seq)", build.applied_seq.to_string()),
        ("generate (`tandem generate`, not in build time)", secs(build.generate)),
        ("bulk import (`tandem import`)", secs(build.import)),
        (
            "indexing (`tandem serve` start → applied_seq = last seq)",
            if build.reused {
                format!("reused (ready after {:.2} s)", build.indexing.as_secs_f64())
            } else {
                format!("{:.2} s", build.indexing.as_secs_f64())
            },
        ),
        ("build total (import + indexing)", secs(build.import.map(|i| i + build.indexing))),
        ("index size on disk", mib(index_bytes)),
        ("database size (SQLite file + WAL)", mib(database_bytes)),
        ("queries (typo / filtered)", format!("{} ({typos} / {filtered})", queries.len())),
        (
            "latency p50 / p90 / p99 / max",
            format!("{:.2} / {:.2} / {:.2} / {:.2} ms", latency.p50, latency.p90, latency.p99, latency.max),
        ),
        ("answers 200", format!("{ok} / {}", answers.len())),
        ("throughput (2 clients, ~10 s)", format!("{throughput:.0} searches/s")),
        (
            "latency under that load p50 / p90 / p99 / max",
            format!("{:.2} / {:.2} / {:.2} / {:.2} ms", under_load.p50, under_load.p90, under_load.p99, under_load.max),
        ),
        ("server peak RSS while indexing (VmHWM)", mib(peak_indexing)),
        (
            "server peak RSS while serving the query phases (VmHWM)",
            if peak_reset {
                mib(peak_serving)
            } else {
                format!("{} (peak reset refused: includes indexing)", mib(peak_serving))
            },
        ),
        (
            "server RSS idle after the load (VmRSS: anon + file)",
            format!(
                "{} ({} + {})",
                mib(value("VmRSS")),
                mib(value("RssAnon")),
                mib(value("RssFile") + value("RssShmem"))
            ),
        ),
        ("machine", format!("{} cores ({cpu_model}), {rustc}", cores())),
        (
            "load average (start / before queries / after)",
            format!("{load_at_start} / {load_before_queries} / {load_after_queries}"),
        ),
    ];
    if let Some(cpu) = build.server_cpu_indexing {
        rows.insert(6, ("server CPU time until indexed", format!("{:.1} s", cpu.as_secs_f64())));
    }
    let others = |phase: &Option<PhaseCpu>| {
        phase.as_ref().map_or("unknown".to_owned(), |p| format!("{:.1} s", p.others.as_secs_f64()))
    };
    rows.push((
        "CPU used by other processes during import / indexing / latency / throughput",
        format!(
            "{} / {} / {} / {}",
            others(&import_cpu),
            others(&indexing_cpu),
            others(&latency_cpu),
            others(&throughput_cpu)
        ),
    ));
    println!();
    println!("| figure | value |");
    println!("| --- | --- |");
    for (figure, value) in &rows {
        println!("| {figure} | {value} |");
    }

    if options.json {
        let summary = json!({
            "profiles": options.profiles,
            "seed": options.seed,
            "queries": queries.len(),
            "reused_dataset": build.reused,
            "documents": documents,
            "last_seq": build.last_seq,
            "applied_seq": build.applied_seq,
            "generate_s": build.generate.map(|d| d.as_secs_f64()),
            "jsonl_bytes": build.jsonl_bytes,
            "import_s": build.import.map(|d| d.as_secs_f64()),
            "indexing_s": build.indexing.as_secs_f64(),
            "build_total_s": build.import.map(|i| (i + build.indexing).as_secs_f64()),
            "server_cpu_indexing_s": build.server_cpu_indexing.map(|d| d.as_secs_f64()),
            "index_bytes": index_bytes,
            "database_bytes": database_bytes,
            "latency_ms": {"p50": latency.p50, "p90": latency.p90, "p99": latency.p99, "max": latency.max},
            "warm_up_ms": {"p50": warm_up.p50, "p90": warm_up.p90, "max": warm_up.max},
            "answers_200": ok,
            "answers_not_200": answers.len() - ok,
            "throughput_per_s": throughput,
            "latency_under_load_ms": {
                "p50": under_load.p50, "p90": under_load.p90, "p99": under_load.p99, "max": under_load.max
            },
            "throughput_failed": failed,
            "rss_bytes": {
                "rss_after_indexing": rss_after_indexing,
                "peak_indexing": peak_indexing,
                "peak_serving": peak_serving,
                "peak_serving_reset": peak_reset,
                "idle": value("VmRSS"),
                "idle_anon": value("RssAnon"),
                "idle_file": value("RssFile"),
            },
            "groups": groups.iter().map(|(k, s)| (k.clone(), json!({"count": s.count, "p50": s.p50, "p90": s.p90, "p99": s.p99, "max": s.max}))).collect::<serde_json::Map<_, _>>(),
            "machine": {"cores": cores(), "cpu": cpu_model, "rustc": rustc},
            "cpu": {
                "import": import_cpu.as_ref().map(PhaseCpu::json),
                "indexing": indexing_cpu.as_ref().map(PhaseCpu::json),
                "latency": latency_cpu.as_ref().map(PhaseCpu::json),
                "throughput": throughput_cpu.as_ref().map(PhaseCpu::json),
            },
            "load_average": {"start": load_at_start, "before_queries": load_before_queries, "after": load_after_queries},
        });
        println!();
        println!("{summary}");
    }
    if ok != answers.len() || failed > 0 {
        bail!("{} searches did not answer 200 (see above)", answers.len() - ok + failed as usize);
    }
    Ok(())
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(0, usize::from)
}
