//! `authpath serve`: the same pipeline behind a real HTTP/1.1 listener, so a real client can
//! be pointed at a server that answers exactly as the simulator shows.
//!
//! Each request is turned back into the raw text the engine takes (request line, headers as
//! received, body) and the engine's response is written out unchanged: status line with the
//! engine's reason phrase, headers in the engine's order and spelling, body. hyper adds
//! nothing (no `date`), and the header names keep the engine's case (see `casing`).
//!
//! Modules by job: `options` (the command line), `banner` (the startup text), `listener`
//! (accepting connections and stopping), `bridge` (one request: hyper's parts to raw text,
//! the engine's response back to hyper), `evaluation` (the "why" endpoint), `message` (what
//! those two share: the head as raw text, the server's own responses; it imports neither) and
//! `casing` (header names in the engine's spelling).

mod banner;
mod bridge;
mod casing;
mod evaluation;
mod listener;
mod message;
mod options;

use std::io::Write;
use std::time::Duration;

use authpath_engine::MAX_REQUEST_BYTES;
use tokio::net::TcpListener;

pub use banner::banner;
pub use listener::{serve, stop_signal};
pub use options::{command, help, parse, Clock, ServeOptions};

use crate::args::Arguments;
use crate::Failure;

/// The path of the "why" endpoint.
pub const EVALUATION_PATH: &str = "/.well-known/authpath/evaluation";

/// The largest header section handed to the engine; beyond it hyper refuses with its own 431.
/// Twice the engine's limit, so every request the engine would answer 413 reaches it.
const MAX_HEADER_SECTION_BYTES: usize = 2 * MAX_REQUEST_BYTES;

/// More header fields than any real request sends; beyond it hyper refuses with its own 431.
const MAX_HEADER_FIELDS: usize = 1000;

/// How long open requests may take to finish after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Parses the options, binds, prints the startup text and serves until Ctrl-C.
pub fn main(arguments: Arguments) -> Result<(), Failure> {
    let Some(options) = parse(arguments)? else {
        return Ok(());
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::Runtime(format!("cannot start the runtime: {error}")))?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(options.addr).await.map_err(|error| {
            Failure::Runtime(format!(
                "cannot listen on {}: {error} (choose another --addr, e.g. 127.0.0.1:0)",
                options.addr
            ))
        })?;
        let address = listener
            .local_addr()
            .map_err(|error| Failure::Runtime(format!("cannot read the bound address: {error}")))?;
        let mut stdout = std::io::stdout().lock();
        // A closed stdout must not stop the server; the banner is a courtesy.
        let _ = stdout
            .write_all(banner(&options, address).as_bytes())
            .and_then(|()| stdout.flush());
        drop(stdout);
        serve(listener, options, stop_signal())
            .await
            .map_err(|error| Failure::Runtime(format!("the server failed: {error}")))?;
        eprintln!("authpath serve: stopped");
        Ok(())
    })
}
