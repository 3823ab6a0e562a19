//! A bounded load run of `authpath serve` on loopback: the server runs in this process on
//! one thread, a client on another keeps N connections busy with the eight preset requests
//! (a mix of 200, 204, 401 and 403 answers), then prints requests per second and latency
//! percentiles, and checks every answer against `evaluate` for the same request.
//!
//! ```text
//! cargo run --release -p authpath-cli --example load -- --seconds 10 --connections 16
//! ```
//!
//! Exits with status 1 if any response differs from what the engine gives for the request.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use authpath_cli::serve::{serve, Clock, ServeOptions};
use authpath_engine::teach::mock::presets;
use authpath_engine::{evaluate, Scenario};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The longest run allowed: a load run is a measurement, not a soak test.
const MAX_SECONDS: u64 = 30;

fn main() -> ExitCode {
    let (seconds, connections) = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("load: {message}\nusage: load [--seconds 1..=30] [--connections 1..=512]");
            return ExitCode::from(2);
        }
    };
    let scenario = Scenario::default();
    let (address_sender, address_receiver) = mpsc::channel();
    let server_scenario = scenario.clone();
    // The server thread lives until the process exits.
    std::thread::spawn(move || {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(error) => {
                let _ = address_sender.send(Err(format!("cannot start the runtime: {error}")));
                return;
            }
        };
        runtime.block_on(async move {
            let listener = match TcpListener::bind("127.0.0.1:0").await {
                Ok(listener) => listener,
                Err(error) => {
                    let _ = address_sender.send(Err(format!("cannot listen: {error}")));
                    return;
                }
            };
            let address = listener.local_addr().map_err(|error| error.to_string());
            let now = server_scenario.now;
            let options = ServeOptions {
                scenario: server_scenario,
                clock: Clock::Fixed(now),
                log: false,
                ..ServeOptions::default()
            };
            let _ = address_sender.send(address);
            let _ = serve(listener, options, std::future::pending()).await;
        });
    });
    let address = match address_receiver.recv() {
        Ok(Ok(address)) => address,
        Ok(Err(message)) => {
            eprintln!("load: {message}");
            return ExitCode::from(1);
        }
        Err(_) => {
            eprintln!("load: the server thread ended before listening");
            return ExitCode::from(1);
        }
    };

    let requests: Vec<(String, Vec<u8>)> = presets()
        .iter()
        .map(|preset| {
            let raw = preset.request.to_raw(&scenario);
            let expected = evaluate(&raw, &scenario).response.to_string().into_bytes();
            (raw, expected)
        })
        .collect();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("load: cannot start the client runtime: {error}");
            return ExitCode::from(1);
        }
    };
    println!(
        "load: {connections} connections for {seconds} s against http://{address} \
         (server: 1 thread, client: 1 thread, {} preset requests in turn)",
        requests.len()
    );
    let report = runtime.block_on(run(address, requests, seconds, connections));
    let failed = report.differing > 0 || report.failures > 0;
    report.print(seconds);
    if failed {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn options() -> Result<(u64, usize), String> {
    let mut seconds = 10;
    let mut connections = 16;
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        let value = arguments
            .next()
            .ok_or_else(|| format!("{argument} needs a value"))?;
        match argument.as_str() {
            "--seconds" => {
                seconds = value
                    .parse::<u64>()
                    .ok()
                    .filter(|seconds| (1..=MAX_SECONDS).contains(seconds))
                    .ok_or_else(|| format!("--seconds must be 1 to {MAX_SECONDS}, not {value}"))?;
            }
            "--connections" => {
                connections = value
                    .parse::<usize>()
                    .ok()
                    .filter(|connections| (1..=512).contains(connections))
                    .ok_or_else(|| format!("--connections must be 1 to 512, not {value}"))?;
            }
            _ => return Err(format!("unknown option {argument}")),
        }
    }
    Ok((seconds, connections))
}

/// What the client saw.
#[derive(Default)]
struct Report {
    /// Latency of each answered request, in microseconds.
    latencies: Vec<u32>,
    /// Answers per status code.
    statuses: Vec<(u16, u64)>,
    /// Answers whose bytes differ from the engine's response for the same request.
    differing: u64,
    /// Connections that failed (refused, reset, unreadable answer).
    failures: u64,
}

impl Report {
    fn merge(&mut self, other: Report) {
        self.latencies.extend(other.latencies);
        for (status, count) in other.statuses {
            self.count(status, count);
        }
        self.differing += other.differing;
        self.failures += other.failures;
    }

    fn count(&mut self, status: u16, count: u64) {
        match self.statuses.iter_mut().find(|(known, _)| *known == status) {
            Some((_, total)) => *total += count,
            None => self.statuses.push((status, count)),
        }
    }

    fn print(mut self, seconds: u64) {
        self.latencies.sort_unstable();
        self.statuses.sort_unstable();
        let total = self.latencies.len();
        let percentile = |fraction: f64| -> f64 {
            let index = ((total as f64) * fraction).ceil() as usize;
            let index = index.saturating_sub(1).min(total.saturating_sub(1));
            self.latencies.get(index).copied().unwrap_or(0) as f64 / 1000.0
        };
        let statuses: Vec<String> = self
            .statuses
            .iter()
            .map(|(status, count)| format!("{status}×{count}"))
            .collect();
        println!(
            "requests: {total} in {seconds} s = {:.0} req/s",
            total as f64 / seconds as f64
        );
        println!(
            "latency: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            percentile(0.50),
            percentile(0.90),
            percentile(0.99),
            percentile(1.0)
        );
        println!("statuses: {}", statuses.join(", "));
        println!(
            "responses differing from the engine's: {}; failed connections: {}",
            self.differing, self.failures
        );
    }
}

async fn run(
    address: SocketAddr,
    requests: Vec<(String, Vec<u8>)>,
    seconds: u64,
    connections: usize,
) -> Report {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let requests = std::sync::Arc::new(requests);
    let mut tasks = tokio::task::JoinSet::new();
    for connection in 0..connections {
        let requests = std::sync::Arc::clone(&requests);
        tasks.spawn(async move { client(address, &requests, connection, deadline).await });
    }
    let mut report = Report::default();
    while let Some(result) = tasks.join_next().await {
        match result {
            Ok(partial) => report.merge(partial),
            Err(_) => report.failures += 1,
        }
    }
    report
}

/// One keep-alive connection sending the requests in turn until the deadline.
async fn client(
    address: SocketAddr,
    requests: &[(String, Vec<u8>)],
    offset: usize,
    deadline: Instant,
) -> Report {
    let mut report = Report::default();
    let mut stream = match TcpStream::connect(address).await {
        Ok(stream) => stream,
        Err(_) => {
            report.failures += 1;
            return report;
        }
    };
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(4096);
    let mut index = offset;
    while Instant::now() < deadline {
        let Some((raw, expected)) = requests.get(index % requests.len().max(1)) else {
            break;
        };
        index += 1;
        let started = Instant::now();
        if stream.write_all(raw.as_bytes()).await.is_err() {
            report.failures += 1;
            break;
        }
        let Some(response) = read_response(&mut stream, &mut buffer).await else {
            report.failures += 1;
            break;
        };
        let elapsed = started.elapsed().as_micros();
        report
            .latencies
            .push(u32::try_from(elapsed).unwrap_or(u32::MAX));
        let status = std::str::from_utf8(response.get(9..12).unwrap_or(b"0"))
            .ok()
            .and_then(|status| status.parse::<u16>().ok())
            .unwrap_or(0);
        report.count(status, 1);
        if &response != expected {
            report.differing += 1;
        }
    }
    report
}

/// Reads one response (header section and `Content-Length` body) from the connection.
async fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    buffer.clear();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            let head = std::str::from_utf8(buffer.get(..end)?).ok()?;
            let length = head
                .split("\r\n")
                .filter_map(|line| line.split_once(':'))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, value)| value.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let total = end + 4 + length;
            while buffer.len() < total {
                let read = stream.read(&mut chunk).await.ok()?;
                if read == 0 {
                    return None;
                }
                buffer.extend_from_slice(chunk.get(..read)?);
            }
            return Some(buffer.get(..total)?.to_vec());
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(chunk.get(..read)?);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
