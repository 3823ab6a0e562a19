//! `evaluate` on typical and worst-case requests:
//! `cargo bench -p authpath-engine --bench evaluate`.

use authpath_engine::teach::mock::{MockRequest, Validity};
use authpath_engine::{evaluate, Scenario, MAX_REQUEST_BYTES};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(criterion: &mut Criterion) {
    let scenario = Scenario::default();
    let valid = MockRequest::default().to_raw(&scenario);
    let expired = MockRequest {
        validity: Validity::Expired,
        ..MockRequest::default()
    }
    .to_raw(&scenario);
    let malformed = "GET /profile HTTP/1.1\r\nHost api.authpath.example\r\n\r\n".to_string();
    // The largest request accepted: a valid token and a body that fills the 64 KiB limit.
    let head = valid.trim_end_matches("\r\n");
    let length_line = "Content-Length: 00000\r\n\r\n";
    let body_length = MAX_REQUEST_BYTES - head.len() - 2 - length_line.len();
    let largest = format!(
        "{head}\r\nContent-Length: {body_length:05}\r\n\r\n{}",
        "a".repeat(body_length)
    );
    assert_eq!(largest.len(), MAX_REQUEST_BYTES);
    assert_eq!(evaluate(&largest, &scenario).response.status.code(), 200);

    for (name, raw) in [
        ("valid-token", &valid),
        ("expired-token", &expired),
        ("malformed", &malformed),
        ("64KiB-request", &largest),
    ] {
        criterion.bench_function(&format!("evaluate/{name}"), |bencher| {
            bencher.iter(|| evaluate(black_box(raw), &scenario))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
