//! Logs through `tracing`: readable lines for people, JSON for collectors. Never log contacts or tokens.
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing::field::{Empty, display};
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, LogSettings};

pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new(&settings.level));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second initialisation (tests start many applications in one process) is harmless: keep the first.
    let _ = match settings.format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// The span each HTTP request runs in: whatever a request logs carries its method, path and id, and the span records
/// the status it answered (with the error, for a 4xx or 5xx). `tracing-actix-web`'s default span formats about twenty
/// fields on every request, most of them for OpenTelemetry, which this service does not export: that was about 2.5 %
/// of the server's CPU under a search load.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let id = request.extensions().get::<RequestId>().copied();
        tracing::info_span!(
            "request",
            method = %request.method(),
            path = request.path(),
            id = id.map(display),
            status = Empty,
            error = Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, error) = match outcome {
            Ok(response) => (response.status(), response.response().error()),
            Err(error) => (error.as_response_error().status_code(), Some(error)),
        };
        span.record("status", status.as_u16());
        if let Some(error) = error {
            span.record("error", display(error));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use actix_web::{App, HttpResponse, test, web};
    use tracing_actix_web::TracingLogger;

    use super::*;
    use crate::api::error::ApiError;

    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);

    impl Write for Lines {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("log buffer").extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What a request logs names the request, and the span's close line tells its status and error.
    #[actix_web::test]
    async fn a_request_logs_its_method_path_id_status_and_error() {
        let lines = Lines::default();
        let writer = lines.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let app = test::init_service(
            App::new()
                .wrap(TracingLogger::<RequestSpan>::new())
                .route(
                    "/ok/{name}",
                    web::get().to(|| async {
                        tracing::info!("inside");
                        HttpResponse::Ok().finish()
                    }),
                )
                .route("/bad", web::get().to(|| async { Err::<HttpResponse, _>(ApiError::not_found("offer")) })),
        )
        .await;
        let ok = test::call_service(&app, test::TestRequest::get().uri("/ok/port-of-antwerp?x=1").to_request()).await;
        assert_eq!(ok.status(), 200);
        // The span lives until the answer's body has been sent.
        test::read_body(ok).await;
        let bad = test::call_service(&app, test::TestRequest::get().uri("/bad").to_request()).await;
        assert_eq!(bad.status(), 404);
        test::read_body(bad).await;

        let text = String::from_utf8(lines.0.lock().expect("log buffer").clone()).expect("UTF-8 logs");
        let inside = text.lines().find(|l| l.contains("inside")).expect("the handler's event is logged");
        assert!(inside.contains("request{method=GET path=\"/ok/port-of-antwerp\" id="), "{inside}");
        let closes: Vec<&str> = text.lines().filter(|l| l.contains("close")).collect();
        assert_eq!(closes.len(), 2, "{text}");
        assert!(closes[0].contains("status=200") && !closes[0].contains("error="), "{}", closes[0]);
        assert!(closes[1].contains("path=\"/bad\"") && closes[1].contains("status=404"), "{}", closes[1]);
        assert!(closes[1].contains("error=404 Not found: no offer"), "{}", closes[1]);
        // Each request has its own id.
        let id = |line: &str| line.split(" id=").nth(1).and_then(|rest| rest.split(' ').next()).map(str::to_owned);
        assert!(id(closes[0]).is_some() && id(closes[0]) != id(closes[1]), "{text}");
    }
}
