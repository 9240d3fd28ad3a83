//! HTTP API (actix-web): parse requests into domain types, authorise, call the store; one module per resource,
//! each registering its routes with `configure`.
pub mod accounts;
pub mod broker;
pub mod caller;
pub mod calls;
pub mod consortia;
pub mod error;
pub mod extract;
pub mod health;
pub mod introductions;
pub mod items;
pub mod matches;
pub mod notifications;
pub mod organisations;
pub mod search;
pub mod taxonomy;

use std::net::IpAddr;

use actix_web::web;
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::auth::Passwords;
use crate::config::Settings;
use crate::search::SearchIndex;
use crate::store::Store;

/// What every handler shares.
pub struct AppState {
    pub settings: Settings,
    pub store: Store,
    pub search: std::sync::Arc<SearchIndex>,
    pub passwords: Passwords,
    pub congestion: crate::matching::congestion::Congestion,
    pub login_limiter: DefaultKeyedRateLimiter<IpAddr>,
    /// Wakes this replica's notifier after a write that raised events.
    pub notifier_wake: std::sync::Arc<tokio::sync::Notify>,
}

impl AppState {
    pub fn new(
        settings: Settings,
        store: Store,
        search: std::sync::Arc<SearchIndex>,
        passwords: Passwords,
        notifier_wake: std::sync::Arc<tokio::sync::Notify>,
    ) -> Self {
        let burst = std::num::NonZeroU32::new(settings.auth.login_burst).unwrap_or(std::num::NonZeroU32::MIN);
        let quota = Quota::with_period(settings.auth.login_refill)
            .unwrap_or_else(|| Quota::per_second(std::num::NonZeroU32::MIN))
            .allow_burst(burst);
        let congestion = crate::matching::congestion::Congestion::new(&settings.matching.congestion);
        Self {
            settings,
            store,
            search,
            passwords,
            congestion,
            login_limiter: DefaultKeyedRateLimiter::dashmap(quota),
            notifier_wake,
        }
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.configure(health::configure).service(
        web::scope("/api/v1")
            .configure(accounts::configure)
            .configure(organisations::configure)
            .configure(items::configure)
            .configure(search::configure)
            .configure(matches::configure)
            .configure(calls::configure)
            .configure(consortia::configure)
            .configure(broker::configure)
            .configure(introductions::configure)
            .configure(notifications::configure)
            .configure(taxonomy::configure),
    );
}
