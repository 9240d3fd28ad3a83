//! Broker tools benchmark: whole-call pairings through the HTTP API, and brokerage-day scheduling.
//!
//! `cargo bench --bench broker -- [--side 2000] [--runs 3] [--skip-http]`
//!
//! 1. Scheduling: 2,000 meetings between 1,000 SMEs and 1,000 end users (at most 12 meetings each) into 12 slots,
//!    without and with availability limits (each organisation free in a random three quarters of the slots), timed
//!    on the library function the API calls.
//! 2. Pairings: `tandem generate` writes a synthetic marketplace, `tandem import` loads it, `tandem serve` serves it;
//!    an administrator creates a call, opts in `--side` SMEs and `--side` end users, and `GET /calls/{id}/pairings`
//!    is timed end to end (candidate graph, scores, eligibility, assignment, JSON).
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};
use tandem::broker::schedule::{Problem, schedule};

const TANDEM: &str = env!("CARGO_BIN_EXE_tandem");
const PASSWORD: &str = "bench-password-123";

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn scheduling(limited: bool) -> (Duration, usize, usize) {
    let mut state = 0x5EED_u64;
    let (left, right, slots, max_degree) = (1000usize, 1000usize, 12usize, 12usize);
    let mut degree = vec![0usize; left + right];
    let mut meetings = Vec::new();
    while meetings.len() < 2000 {
        let a = (next(&mut state) % left as u64) as usize;
        let b = left + (next(&mut state) % right as u64) as usize;
        if degree[a] < max_degree && degree[b] < max_degree && !meetings.contains(&(a, b)) {
            degree[a] += 1;
            degree[b] += 1;
            meetings.push((a, b));
        }
    }
    let available = (0..left + right)
        .map(|_| limited.then(|| (0..slots).map(|_| !next(&mut state).is_multiple_of(4)).collect()))
        .collect();
    let problem = Problem {
        organisations: left + right,
        slots,
        meetings,
        available,
        side: (0..left + right).map(|o| o >= left).collect(),
    };
    let started = Instant::now();
    let result = schedule(&problem);
    let elapsed = started.elapsed();
    (elapsed, result.iter().filter(|r| r.is_ok()).count(), result.len())
}

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tandem(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(TANDEM);
    command.args(args).current_dir(dir);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("TANDEM") {
            command.env_remove(key);
        }
    }
    command
        .env("TANDEM__DATABASE__URL", format!("sqlite://{}", dir.join("tandem.db").display()))
        .env("TANDEM__INDEX__DIR", dir.join("index"))
        .env("TANDEM__DATA__DIR", dir.join("data"))
        .env("TANDEM__SERVER__PORT", "0")
        .env("TANDEM__LOG__FORMAT", "json")
        .env("TANDEM__LOG__LEVEL", "info,sqlx=warn")
        .env("TANDEM_ADMIN_PASSWORD", PASSWORD)
        .stdin(Stdio::null());
    command
}

fn run(mut command: Command, what: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let output = command.output().with_context(|| format!("{what}: cannot start"))?;
    if !output.status.success() {
        bail!("{what} failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(started.elapsed())
}

fn serve(dir: &Path) -> anyhow::Result<Server> {
    let mut child = tandem(dir, &["serve"]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn()?;
    let stderr = child.stderr.take().context("stderr")?;
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let Ok(log) = serde_json::from_str::<Value>(&line) else { continue };
            if let Some(port) = log["fields"]["port"].as_u64() {
                let _ = sender.send(port);
            }
            if log["fields"]["message"].as_str().is_some_and(|m| m.starts_with("call graph")) {
                println!("  server: {}", log["fields"]);
            }
        }
    });
    let port = receiver.recv_timeout(Duration::from_secs(300)).context("the server did not log its port")?;
    Ok(Server(child, format!("http://127.0.0.1:{port}/api/v1")))
}

async fn ids_of(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    kind: &str,
    wanted: usize,
) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    let mut cursor = String::new();
    while ids.len() < wanted {
        let url = format!("{base}/organisations?kind={kind}&limit=100{cursor}");
        let page: Value = client.get(&url).bearer_auth(token).send().await?.json().await?;
        let items = page["items"].as_array().context("items")?;
        ids.extend(items.iter().filter_map(|o| o["id"].as_str().map(str::to_owned)));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    ids.truncate(wanted);
    Ok(ids)
}

async fn pairings(side: usize, runs: usize) -> anyhow::Result<()> {
    let temporary = tempfile::Builder::new().prefix("tandem-broker-bench-").tempdir()?;
    let dir = temporary.path();
    // The generator writes about 40 % SMEs and 30 % end users.
    let count = (side * 10 / 3 + 100).to_string();
    let jsonl = dir.join("profiles.jsonl").to_string_lossy().into_owned();
    run(tandem(dir, &["generate", "--count", &count, "--out", &jsonl]), "generate")?;
    let import = run(tandem(dir, &["import", &jsonl]), "import")?;
    run(tandem(dir, &["admin", "create", "--email", "admin@bench.example", "--name", "Bench"]), "admin create")?;
    println!("pairings: {count} profiles imported in {:.1} s", import.as_secs_f64());
    let server = serve(dir)?;
    let base = server.1.clone();
    let client = reqwest::Client::new();
    let login: Value = client
        .post(format!("{base}/auth/login"))
        .json(&json!({"email": "admin@bench.example", "password": PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().context("token")?.to_owned();
    let citadel: Value = client.get(format!("{base}/calls/citadel-oc1")).send().await?.json().await?;
    let now = chrono::Utc::now();
    let call: Value = client
        .post(format!("{base}/calls"))
        .bearer_auth(&token)
        .json(&json!({
            "slug": "bench-call", "name": {"fr": "Banc", "en": "Bench"}, "programme": "Bench", "opens_at": now,
            "closes_at": now + chrono::Duration::days(30), "time_zone": "Europe/Brussels", "roles": citadel["roles"],
        }))
        .send()
        .await?
        .json()
        .await?;
    let call = call["id"].as_str().context("call id")?.to_owned();
    let smes = ids_of(&client, &base, &token, "sme", side).await?;
    let end_users = ids_of(&client, &base, &token, "end_user", side).await?;
    let started = Instant::now();
    for id in smes.iter().chain(&end_users) {
        let status =
            client.put(format!("{base}/calls/{call}/participants/{id}")).bearer_auth(&token).send().await?.status();
        if !status.is_success() {
            bail!("opt-in failed: {status}");
        }
    }
    println!(
        "opted in {} SMEs and {} end users in {:.1} s",
        smes.len(),
        end_users.len(),
        started.elapsed().as_secs_f64()
    );
    let mut times = Vec::new();
    for run in 0..runs {
        let started = Instant::now();
        let response = client.get(format!("{base}/calls/{call}/pairings")).bearer_auth(&token).send().await?;
        let status = response.status();
        let body: Value = response.json().await?;
        let elapsed = started.elapsed();
        if !status.is_success() {
            bail!("pairings failed: {status} {body}");
        }
        println!(
            "run {run}: {:.3} s — {} pairings, total {:.2}, greedy {:.2}, {} candidate pairs, {} unpaired",
            elapsed.as_secs_f64(),
            body["pairings"].as_array().map_or(0, Vec::len),
            body["total_score"].as_f64().unwrap_or(0.0),
            body["greedy_total_score"].as_f64().unwrap_or(0.0),
            body["candidate_pairs"],
            body["unpaired"].as_array().map_or(0, Vec::len),
        );
        times.push(elapsed);
    }
    times.sort();
    println!(
        "pairings {side} × {side}: median {:.3} s, best {:.3} s over {runs} runs",
        times[times.len() / 2].as_secs_f64(),
        times[0].as_secs_f64()
    );
    drop(server);
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    // reqwest uses rustls with the ring provider, installed once per process (as `tandem serve` does).
    let _ = rustls::crypto::ring::default_provider().install_default();
    for limited in [false, true] {
        let (elapsed, placed, total) = scheduling(limited);
        println!(
            "schedule 2,000 meetings into 12 slots ({}): {:.1} ms, {placed} of {total} placed",
            if limited { "three quarters of slots free" } else { "no availability limits" },
            elapsed.as_secs_f64() * 1000.0
        );
    }
    if std::env::args().any(|a| a == "--skip-http") {
        return Ok(());
    }
    let side = arg("--side").and_then(|s| s.parse().ok()).unwrap_or(2000);
    let runs = arg("--runs").and_then(|s| s.parse().ok()).unwrap_or(3);
    pairings(side, runs).await
}
