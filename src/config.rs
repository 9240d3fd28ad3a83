//! Typed settings: `config/default.toml` (also built into the binary), then `config/<TANDEM_ENV>.toml`,
//! then `TANDEM__SECTION__KEY` environment variables.
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;

const DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub index: IndexSettings,
    pub data: DataSettings,
    pub auth: AuthSettings,
    pub matching: MatchingSettings,
    pub introductions: IntroductionSettings,
    pub notifier: NotifierSettings,
    pub mail: MailSettings,
    pub webhooks: WebhookSettings,
    pub log: LogSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntroductionSettings {
    pub max_pending: i64,
    #[serde(with = "humantime_serde")]
    pub expire_after: Duration,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifierSettings {
    /// Off on API-only replicas: another replica (or a later start) delivers what they write to the outbox.
    pub enabled: bool,
    #[serde(with = "humantime_serde")]
    pub poll_interval: Duration,
    pub concurrency: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// `smtp://user:password@host:587` or `smtps://...`; empty: e-mails are written as .eml files.
    pub smtp_url: String,
    pub from: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    #[serde(with = "humantime_serde")]
    pub retry_base: Duration,
    #[serde(with = "humantime_serde")]
    pub retry_max: Duration,
    #[serde(with = "humantime_serde")]
    pub give_up_after: Duration,
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
    pub allow_private: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchingSettings {
    /// A call's end user is covered when it has an eligible suggestion scoring at least this (call statistics).
    pub coverage_threshold: f64,
    /// Index documents fetched as candidates for one suggestion list.
    pub candidates: usize,
    /// The subject's concepts (rarest first) that make the candidate query.
    pub candidate_concepts: usize,
    /// The candidate query stops taking concepts once their postings add up to this many documents (the rarest
    /// concepts come first), so that its cost stays bounded as the marketplace grows.
    pub candidate_postings: u64,
    /// Distinct partners rescored for one suggestion list.
    pub max_partners: usize,
    pub weights: MatchingWeights,
    pub congestion: CongestionSettings,
}

/// The weight of each part of a matching score; they sum to 1 so that a score stays in [0, 1].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchingWeights {
    pub offers_fit_needs: f64,
    pub needs_fit_offers: f64,
    pub reciprocity: f64,
    pub taxonomy: f64,
    pub maturity: f64,
    pub geography_language: f64,
    pub completeness_freshness: f64,
}

impl MatchingWeights {
    pub fn sum(&self) -> f64 {
        self.offers_fit_needs
            + self.needs_fit_offers
            + self.reciprocity
            + self.taxonomy
            + self.maturity
            + self.geography_language
            + self.completeness_freshness
    }
}

/// A partner shown at the top of many lists is discounted a little, so that suggestions spread.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CongestionSettings {
    /// The largest discount (0 turns congestion off).
    pub weight: f64,
    /// Exposures at which the discount reaches half of `weight`.
    pub saturation: f64,
    /// How fast past exposures are forgotten.
    #[serde(with = "humantime_serde")]
    pub half_life: Duration,
    /// How many of the top suggestions of each list count as exposed.
    pub top: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub workers: usize,
    pub max_body_bytes: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexSettings {
    pub dir: PathBuf,
    /// How often the indexer looks for new change-log rows.
    #[serde(with = "humantime_serde")]
    pub poll_interval: Duration,
    /// The least time between two index commits (0: commit after every pass).
    #[serde(with = "humantime_serde")]
    pub commit_interval: Duration,
    pub writer_memory_mb: usize,
    /// After this many changes applied in one go (a bulk import, a rebuild), the index's segments are merged into one
    /// once the indexer has caught up (0: never; tantivy's merge policy still merges as it goes).
    pub merge_after_changes: i64,
    /// How long a search with `min_seq` waits for the indexer before answering 503.
    #[serde(with = "humantime_serde")]
    pub read_after_write_timeout: Duration,
    /// Memory for the bitsets searches keep (frequent words, filters), in MiB; 0 follows the index's size.
    #[serde(default)]
    pub search_cache_mb: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSettings {
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    #[serde(with = "humantime_serde")]
    pub token_ttl: Duration,
    pub login_burst: u32,
    #[serde(with = "humantime_serde")]
    pub login_refill: Duration,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    pub level: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}", describe(.0))]
    Invalid(#[from] Box<figment::Error>),
    #[error("configuration key `{key}`: {message}")]
    Key { key: &'static str, message: String },
}

impl Settings {
    /// Loads the settings for the environment named by `TANDEM_ENV` (none by default), from `config_dir`.
    pub fn load(config_dir: &Path) -> Result<Self, ConfigError> {
        let env = std::env::var("TANDEM_ENV").ok();
        Self::figment(config_dir, env.as_deref()).and_then(Self::extract)
    }

    /// The layered sources, so that callers (tests) can merge their own overrides on top.
    pub fn figment(config_dir: &Path, env: Option<&str>) -> Result<Figment, ConfigError> {
        let mut figment = Figment::from(Toml::string(DEFAULTS));
        let default_file = config_dir.join("default.toml");
        if default_file.exists() {
            figment = figment.merge(Toml::file(default_file));
        }
        if let Some(env) = env {
            let file = config_dir.join(format!("{env}.toml"));
            if !file.exists() {
                return Err(ConfigError::Key {
                    key: "TANDEM_ENV",
                    message: format!("no configuration file {}", file.display()),
                });
            }
            figment = figment.merge(Toml::file(file));
        }
        Ok(figment.merge(Env::prefixed("TANDEM__").split("__")))
    }

    pub fn extract(figment: Figment) -> Result<Self, ConfigError> {
        let settings: Settings = figment.extract().map_err(Box::new)?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let url = &self.database.url;
        if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(ConfigError::Key {
                key: "database.url",
                message: format!("`{url}` is neither `sqlite://path` nor `postgres://...`"),
            });
        }
        if self.database.max_connections == 0 {
            return Err(key_error("database.max_connections", "must be at least 1"));
        }
        if self.server.max_body_bytes < 1024 {
            return Err(key_error("server.max_body_bytes", "must be at least 1024"));
        }
        if self.index.poll_interval.is_zero() {
            return Err(key_error("index.poll_interval", "must be longer than zero"));
        }
        if self.index.writer_memory_mb < 15 {
            return Err(key_error("index.writer_memory_mb", "must be at least 15"));
        }
        let weights = &self.matching.weights;
        if (weights.sum() - 1.0).abs() > 1e-6 {
            return Err(ConfigError::Key {
                key: "matching.weights",
                message: format!("the weights must add up to 1 (they add up to {})", weights.sum()),
            });
        }
        if !(0.0..=0.5).contains(&self.matching.congestion.weight) {
            return Err(key_error("matching.congestion.weight", "must be between 0 and 0.5"));
        }
        if self.matching.congestion.saturation <= 0.0 {
            return Err(key_error("matching.congestion.saturation", "must be above 0"));
        }
        if self.introductions.max_pending < 1 {
            return Err(key_error("introductions.max_pending", "must be at least 1"));
        }
        if self.introductions.expire_after < Duration::from_secs(1) {
            return Err(key_error("introductions.expire_after", "must be at least one second"));
        }
        if self.notifier.poll_interval.is_zero() || self.notifier.concurrency == 0 {
            return Err(key_error("notifier.poll_interval", "poll_interval and concurrency must be above zero"));
        }
        if !self.mail.smtp_url.is_empty() && !self.mail.smtp_url.starts_with("smtp") {
            return Err(key_error("mail.smtp_url", "must be empty or an smtp:// or smtps:// URL"));
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(key_error("mail.from", "must be a mailbox such as `Tandem <no-reply@example.org>`"));
        }
        if self.webhooks.retry_base.is_zero() || self.webhooks.retry_max < self.webhooks.retry_base {
            return Err(key_error("webhooks.retry_base", "must be above zero and at most webhooks.retry_max"));
        }
        if !(0.0..=1.0).contains(&self.matching.coverage_threshold) {
            return Err(key_error("matching.coverage_threshold", "must be between 0 and 1"));
        }
        for (key, value) in [
            ("matching.candidates", self.matching.candidates),
            ("matching.candidate_concepts", self.matching.candidate_concepts),
            ("matching.max_partners", self.matching.max_partners),
        ] {
            if value == 0 {
                return Err(key_error(key, "must be at least 1"));
            }
        }
        if self.auth.login_burst == 0 {
            return Err(key_error("auth.login_burst", "must be at least 1"));
        }
        if self.auth.login_refill.is_zero() {
            return Err(key_error("auth.login_refill", "must be longer than zero"));
        }
        if self.auth.token_ttl < Duration::from_secs(1) {
            return Err(key_error("auth.token_ttl", "must be at least one second"));
        }
        if argon2::Params::new(self.auth.argon2_memory_kib, self.auth.argon2_iterations, 1, None).is_err() {
            return Err(key_error(
                "auth.argon2_memory_kib",
                "argon2 refuses this memory/iterations pair (memory at least 8 KiB, iterations at least 1)",
            ));
        }
        Ok(())
    }
}

/// One line per problem, each naming the key as it is written in the files (`server.port`) and where it came from.
fn describe(error: &figment::Error) -> String {
    error
        .clone()
        .into_iter()
        .map(|e| {
            let key = e.path.join(".").to_lowercase();
            let source = e.metadata.as_ref().map(|m| format!(" (from {})", m.name)).unwrap_or_default();
            if key.is_empty() {
                format!("configuration: {}{source}", e.kind)
            } else {
                format!("configuration key `{key}`: {}{source}", e.kind)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn key_error(key: &'static str, message: &str) -> ConfigError {
    ConfigError::Key { key, message: message.to_owned() }
}
