//! `exchange::read_exchanges` and `exchange::check` on a 10 MB HAR file, as a browser exports it
//! after a long session: `cargo bench -p authpath-engine --bench exchange`.

use authpath_engine::exchange::{check, parse_response, read_exchanges};
use authpath_engine::Scenario;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

/// The bytes the HAR reaches, at least.
const TARGET_BYTES: usize = 10 * 1024 * 1024;

/// One HAR entry: a request with a JWT and browser headers, a response with `status` and a body
/// of `body_bytes`, and the timings and cache members browsers write (which the reader skips).
fn entry(index: usize, status: u16, body_bytes: usize) -> String {
    let token =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ1c2VyIn0.c2lnbmF0dXJl";
    let body = format!("{{\\\"items\\\":\\\"{}\\\"}}", "x".repeat(body_bytes));
    format!(
        r#"{{"startedDateTime":"2026-01-01T00:00:00.000Z","time":12.5,"request":{{"method":"GET","url":"https://api.example/items/{index}?page=2","httpVersion":"HTTP/1.1","headers":[{{"name":"Host","value":"api.example"}},{{"name":"Accept","value":"application/json"}},{{"name":"Authorization","value":"Bearer {token}"}},{{"name":"User-Agent","value":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"}}],"queryString":[{{"name":"page","value":"2"}}],"cookies":[],"headersSize":-1,"bodySize":0}},"response":{{"status":{status},"statusText":"","httpVersion":"HTTP/1.1","headers":[{{"name":"Content-Type","value":"application/json"}},{{"name":"WWW-Authenticate","value":"Bearer realm=\"api\", error=\"invalid_token\""}}],"cookies":[],"content":{{"size":{body_bytes},"mimeType":"application/json","text":"{body}"}},"redirectURL":"","headersSize":-1,"bodySize":-1}},"cache":{{}},"timings":{{"blocked":0.1,"dns":-1,"connect":-1,"send":0.1,"wait":11.9,"receive":0.4}}}}"#
    )
}

/// A HAR of at least 10 MB: mostly 200s with 4 KB bodies, every tenth entry a 401 or 403.
fn har() -> String {
    let mut entries = Vec::new();
    let mut bytes = 0;
    let mut index = 0;
    while bytes < TARGET_BYTES {
        let status = match index % 10 {
            3 => 401,
            7 => 403,
            _ => 200,
        };
        let text = entry(index, status, 4096);
        bytes += text.len() + 1;
        entries.push(text);
        index += 1;
    }
    format!(
        r#"{{"log":{{"version":"1.2","creator":{{"name":"bench","version":"1"}},"pages":[],"entries":[{}]}}}}"#,
        entries.join(",")
    )
}

/// Reads the HAR, then checks every 4xx entry under the scenario, as the Check view lists them.
fn read_and_check_errors(text: &str, scenario: &Scenario) -> usize {
    let Ok(exchanges) = read_exchanges(text) else {
        return 0;
    };
    exchanges
        .iter()
        .filter(|(_, exchange)| {
            parse_response(&exchange.response)
                .is_ok_and(|response| (400..500).contains(&response.status.code()))
        })
        .map(|(_, exchange)| check(exchange, Some(scenario)).findings.len())
        .sum()
}

fn bench(criterion: &mut Criterion) {
    let text = har();
    let scenario = Scenario::default();
    let entries = read_exchanges(&text)
        .map(|exchanges| exchanges.len())
        .unwrap_or(0);
    assert!(
        text.len() >= TARGET_BYTES && entries > 2000,
        "{} bytes, {entries} entries",
        text.len()
    );
    assert!(read_and_check_errors(&text, &scenario) > 0);
    eprintln!("HAR: {} bytes, {entries} entries", text.len());
    let mut group = criterion.benchmark_group("exchange");
    group.sample_size(10);
    group.bench_function("read_exchanges/10MB-HAR", |bencher| {
        bencher.iter(|| read_exchanges(black_box(&text)))
    });
    group.bench_function("read-and-check-4xx/10MB-HAR", |bencher| {
        bencher.iter(|| read_and_check_errors(black_box(&text), &scenario))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
