//! Builds the application from settings: opens the store, binds the listener (port 0 picks a free one) and
//! reports the real address, so that tests and `serve` start it the same way.
use std::net::TcpListener;
use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use actix_web::dev::Server;
use actix_web::middleware::{ErrorHandlers, NormalizePath};
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::api::error::{ApiError, problem_fallback};
use crate::api::{self, AppState};
use crate::auth::Passwords;
use crate::config::Settings;
use crate::notify::Notifier;
use crate::search::indexer::{self, IndexerSettings};
use crate::search::{CacheBudget, SearchError, SearchIndex};
use crate::store::Store;
use crate::telemetry::RequestSpan;

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
    stop_indexer: watch::Sender<bool>,
    indexer: JoinHandle<Result<(), SearchError>>,
    notifier: JoinHandle<()>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let store = Store::connect(&settings.database.url, settings.database.max_connections).await?;
        Self::with_store(settings, store)
    }

    pub fn with_store(settings: Settings, store: Store) -> anyhow::Result<Self> {
        let address = (settings.server.host.as_str(), settings.server.port);
        let listener = TcpListener::bind(address)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}:{}: {e}", settings.server.host, settings.server.port))?;
        let port = listener.local_addr()?.port();
        let passwords = Passwords::new(settings.auth.argon2_memory_kib, settings.auth.argon2_iterations)?;
        let search = Arc::new(SearchIndex::open(
            &settings.index.dir,
            CacheBudget::from_megabytes(settings.index.search_cache_mb),
        )?);
        let (stop_indexer, stop) = watch::channel(false);
        let indexer_settings = IndexerSettings {
            poll_interval: settings.index.poll_interval,
            commit_interval: settings.index.commit_interval,
            writer_memory_bytes: settings.index.writer_memory_mb << 20,
            merge_after_changes: settings.index.merge_after_changes,
        };
        let indexer = tokio::spawn(indexer::run(search.clone(), store.clone(), indexer_settings, stop.clone()));
        // Offers and needs written before their matching analysis was stored (or before it changed) get it now;
        // until then suggestions analyse their texts when they read them.
        let refreshing = store.clone();
        tokio::spawn(async move {
            match refreshing.refresh_analyses().await {
                Ok(0) => {}
                Ok(rows) => tracing::info!(rows, "offers and needs analysed for matching"),
                Err(error) => tracing::warn!(%error, "offers and needs could not be analysed for matching"),
            }
        });
        // Webhooks and SMTP use rustls with ring; installing it twice (several apps in one test process) is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let wake = Arc::new(tokio::sync::Notify::new());
        let notifier = Notifier::new(store.clone(), settings.clone())?;
        let notifier = if settings.notifier.enabled {
            tokio::spawn(notifier.run(wake.clone(), stop))
        } else {
            tokio::spawn(async {})
        };
        let workers = settings.server.workers;
        let max_body = settings.server.max_body_bytes;
        let state = web::Data::new(AppState::new(settings, store, search, passwords, wake));
        let app_state = state.clone();
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(ErrorHandlers::new().default_handler(problem_fallback))
                .wrap(NormalizePath::trim())
                .wrap(TracingLogger::<RequestSpan>::new())
                .app_data(app_state.clone())
                .app_data(web::PayloadConfig::new(max_body))
                .configure(api::configure)
                .default_service(web::to(|| async { Err::<actix_web::HttpResponse, _>(ApiError::not_found_route()) }))
        })
        .listen(listener)?;
        if workers > 0 {
            server = server.workers(workers);
        }
        tracing::info!(port, engine = state.store.engine(), "listening");
        Ok(Self { port, server: server.run(), state, stop_indexer, indexer, notifier })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from elsewhere (tests, signal handlers).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Stops the background tasks (indexer, notifier) when `true` is sent; the server stops through `handle()`.
    pub fn background_stop(&self) -> watch::Sender<bool> {
        self.stop_indexer.clone()
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves until the process is asked to stop (SIGINT/SIGTERM are handled by actix), then lets the indexer
    /// commit what it applied, lets the notifier finish its round, and closes the store.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.stop_indexer.send_replace(true);
        match self.indexer.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::error!(%error, "the indexer stopped with an error"),
            Err(error) => tracing::error!(%error, "the indexer task failed"),
        }
        if let Err(error) = self.notifier.await {
            tracing::error!(%error, "the notifier task failed");
        }
        self.state.store.close().await;
        result
    }
}
