//! `evaluate` on typical and worst-case requests.

use authpath_engine::{evaluate, MockRequest, Scenario, Validity};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(criterion: &mut Criterion) {
    let scenario = Scenario::default();
    let valid = MockRequest::default().to_raw(&scenario);
    criterion.bench_function("evaluate/valid-token", |bencher| {
        bencher.iter(|| evaluate(black_box(&valid), &scenario))
    });
    let expired = MockRequest {
        validity: Validity::Expired,
        ..MockRequest::default()
    }
    .to_raw(&scenario);
    criterion.bench_function("evaluate/expired-token", |bencher| {
        bencher.iter(|| evaluate(black_box(&expired), &scenario))
    });
    let malformed = "GET /profile HTTP/1.1\r\nHost api.authpath.example\r\n\r\n";
    criterion.bench_function("evaluate/malformed", |bencher| {
        bencher.iter(|| evaluate(black_box(malformed), &scenario))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
