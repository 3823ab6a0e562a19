//! Accepting connections, and stopping: on Ctrl-C (or SIGTERM) no new connections, open
//! requests get a few seconds to finish.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::bridge::State;
use super::casing::HeaderCasing;
use super::{ServeOptions, MAX_HEADER_FIELDS, MAX_HEADER_SECTION_BYTES, SHUTDOWN_GRACE};

/// Resolves on Ctrl-C, or on SIGTERM where there is one.
pub async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    // Without a signal handler the server runs until the process is killed.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Serves connections from `listener` until `shutdown` resolves, then lets open requests
/// finish (for a few seconds) and returns.
pub async fn serve(
    listener: TcpListener,
    options: ServeOptions,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let casing = HeaderCasing::learn(&options.scenario).await;
    let state = Arc::new(State::new(options, casing));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(state.timeout)
        .auto_date_header(false)
        .title_case_headers(true)
        .max_buf_size(MAX_HEADER_SECTION_BYTES)
        .max_headers(MAX_HEADER_FIELDS);
    let (stop_sender, stop_receiver) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => {
                let (stream, _peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of file descriptors and the like: wait a little, keep serving.
                        eprintln!("authpath serve: accept failed: {error}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                // Small responses: send them now rather than wait for more to write.
                let _ = stream.set_nodelay(true);
                let state = Arc::clone(&state);
                let service = service_fn(move |request| {
                    let state = Arc::clone(&state);
                    async move { state.handle(request).await }
                });
                let connection = builder.serve_connection(TokioIo::new(stream), service);
                let stop = stop_receiver.clone();
                connections.spawn(async move {
                    tokio::pin!(connection);
                    tokio::select! {
                        _ = connection.as_mut() => {}
                        () = stopped(stop) => {
                            connection.as_mut().graceful_shutdown();
                            let _ = connection.await;
                        }
                    }
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stop_sender.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        connections.shutdown().await;
    }
    Ok(())
}

/// Resolves once the server is told to stop.
async fn stopped(mut stop: watch::Receiver<bool>) {
    loop {
        let stopping = *stop.borrow_and_update();
        if stopping {
            return;
        }
        if stop.changed().await.is_err() {
            // The server is gone without saying stop: nothing will ever say it.
            std::future::pending::<()>().await;
        }
    }
}
