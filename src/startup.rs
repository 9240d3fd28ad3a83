//! Builds the application from settings: opens the store, binds the listener (port 0 picks a free one) and
//! reports the real address, so that tests and `serve` start it the same way.
use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{ErrorHandlers, NormalizePath};
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::api::error::{ApiError, problem_fallback};
use crate::api::{self, AppState};
use crate::auth::Passwords;
use crate::config::Settings;
use crate::store::Store;

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let store =
            Store::connect(&settings.database.url, settings.database.max_connections).await?;
        Self::with_store(settings, store)
    }

    pub fn with_store(settings: Settings, store: Store) -> anyhow::Result<Self> {
        let address = (settings.server.host.as_str(), settings.server.port);
        let listener = TcpListener::bind(address).map_err(|e| {
            anyhow::anyhow!(
                "cannot listen on {}:{}: {e}",
                settings.server.host,
                settings.server.port
            )
        })?;
        let port = listener.local_addr()?.port();
        let passwords = Passwords::new(
            settings.auth.argon2_memory_kib,
            settings.auth.argon2_iterations,
        )?;
        let workers = settings.server.workers;
        let max_body = settings.server.max_body_bytes;
        let state = web::Data::new(AppState::new(settings, store, passwords));
        let app_state = state.clone();
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(ErrorHandlers::new().default_handler(problem_fallback))
                .wrap(NormalizePath::trim())
                .wrap(TracingLogger::default())
                .app_data(app_state.clone())
                .app_data(web::PayloadConfig::new(max_body))
                .configure(api::configure)
                .default_service(web::to(|| async {
                    Err::<actix_web::HttpResponse, _>(ApiError::not_found_route())
                }))
        })
        .listen(listener)?;
        if workers > 0 {
            server = server.workers(workers);
        }
        tracing::info!(port, engine = state.store.engine(), "listening");
        Ok(Self {
            port,
            server: server.run(),
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from elsewhere (tests, signal handlers).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves until the process is asked to stop (SIGINT/SIGTERM are handled by actix), then closes the store.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.state.store.close().await;
        result
    }
}
