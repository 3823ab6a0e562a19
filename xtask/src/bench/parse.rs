//! Reading what the measurements wrote or printed: criterion's `estimates.json`, the
//! `engine-timing` lines of the browser test and the Playwright figures as JSON (each value at
//! its own path, so a key of the same name elsewhere is never taken for it), the load
//! example's report and the `twiggy top` table as text.

use serde::Deserialize;
use serde_json::Value;

/// Median, p95, maximum and sample count of one figure, in milliseconds, as
/// e2e/bench/figures.ts's `summary` writes it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(super) struct Summary {
    #[serde(rename = "median_ms")]
    pub(super) median: f64,
    #[serde(rename = "p95_ms")]
    pub(super) p95: f64,
    #[serde(rename = "max_ms")]
    pub(super) max: f64,
    pub(super) count: u64,
}

/// What the Playwright benchmarks measured; a figure the files lack, or that does not read
/// as a summary, is `None`.
#[derive(Debug, PartialEq)]
pub(super) struct PageFigures {
    pub(super) toggle_click: Option<Summary>,
    pub(super) keystroke: Option<Summary>,
    pub(super) matrix: Option<Summary>,
    /// The requests of the matrix, 0 when not written.
    pub(super) matrix_requests: u64,
    pub(super) matrix_to_dom: Option<Summary>,
    /// The first loads beside the floor page, one per network and encoding.
    pub(super) loads: Vec<LoadRun>,
    /// The first answer of each view's first load.
    pub(super) views: Vec<ViewLoad>,
}

/// Cold loads of the page on one network, served with one encoding (e2e/bench/load.bench.ts).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(super) struct LoadRun {
    /// `unthrottled` or `throttled`.
    pub(super) network: String,
    /// `gzip` or `br`.
    pub(super) encoding: String,
    /// From navigation start to the answer readable on screen.
    pub(super) first_answer: Summary,
    /// From navigation start to a toggle having changed the answer.
    pub(super) interactive: Summary,
    /// From navigation start to the answer of a preset clicked as soon as the first answer was
    /// shown (a link to its prerendered page until the app is live). Absent from figures
    /// written before it was measured.
    #[serde(default)]
    pub(super) preset: Option<Summary>,
    /// The floor page's first line, loaded the same way.
    pub(super) floor: Summary,
    /// The same prerendered page with its scripts taken out, as plain HTML: what the answer
    /// costs to show at all. Absent from figures written before it was measured.
    #[serde(default)]
    pub(super) plain: Option<Summary>,
}

/// The first load of one view.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(super) struct ViewLoad {
    pub(super) view: String,
    pub(super) network: String,
    pub(super) encoding: String,
    pub(super) first_answer: Summary,
}

/// What the long-use benchmark measured: target/bench/longuse.json, as e2e/longuse.ts's
/// `LongUseFigures` writes it (its other fields are not reported).
#[derive(Debug, PartialEq, Deserialize)]
pub(super) struct LongUseFigures {
    pub(super) seed: u64,
    /// Whether the page was drawn after every interaction, not once a batch.
    pub(super) render: bool,
    pub(super) interactions: u64,
    pub(super) duration_ms: f64,
    /// After how many interactions the first memory figures were taken.
    pub(super) after_first: u64,
    pub(super) memory_after_first: Memory,
    pub(super) memory_after_all: Memory,
}

/// The page's memory at one point of the long-use run, in bytes.
#[derive(Debug, PartialEq, Deserialize)]
pub(super) struct Memory {
    pub(super) js_heap_bytes: f64,
    pub(super) wasm_memory_bytes: f64,
}

/// What the load run printed.
#[derive(Debug, PartialEq)]
pub(super) struct LoadFigures {
    pub(super) per_second: f64,
    pub(super) p50: f64,
    pub(super) p90: f64,
    pub(super) p99: f64,
    pub(super) max: f64,
    pub(super) statuses: String,
    pub(super) checked: String,
}

/// The median of a criterion `estimates.json`, in nanoseconds.
pub(super) fn criterion_median(json: &str) -> Result<f64, String> {
    /// The part of `estimates.json` read here.
    #[derive(Deserialize)]
    struct Estimates {
        median: Estimate,
    }
    #[derive(Deserialize)]
    struct Estimate {
        point_estimate: f64,
    }
    let estimates: Estimates = serde_json::from_str(json).map_err(|error| error.to_string())?;
    Ok(estimates.median.point_estimate)
}

/// One `engine-timing {"name":"…","iterations":…,"ns_per_evaluate":…}` line
/// (tests/engine_timing.rs): the request's name and its time in nanoseconds.
pub(super) fn engine_timing_line(line: &str) -> Option<(String, f64)> {
    #[derive(Deserialize)]
    struct EngineTiming {
        name: String,
        ns_per_evaluate: f64,
    }
    let json = line.split_once("engine-timing ")?.1;
    // The first JSON value on the line; whatever the runner prints after it is not ours.
    let timing = serde_json::Deserializer::from_str(json)
        .into_iter::<EngineTiming>()
        .next()?
        .ok()?;
    Some((timing.name, timing.ns_per_evaluate))
}

/// The figures of target/bench/interaction.json and target/bench/load.json.
pub(super) fn page_figures(interaction: &str, load: &str) -> Result<PageFigures, String> {
    let interaction: Value = serde_json::from_str(interaction)
        .map_err(|error| format!("interaction.json is not JSON: {error}"))?;
    let load: Value =
        serde_json::from_str(load).map_err(|error| format!("load.json is not JSON: {error}"))?;
    Ok(PageFigures {
        toggle_click: summary(&interaction, "toggle_click"),
        keystroke: summary(&interaction, "keystroke"),
        matrix: summary(&interaction, "matrix"),
        matrix_requests: interaction
            .pointer("/matrix/requests")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        matrix_to_dom: summary(&interaction, "matrix_to_dom"),
        loads: list(&load, "runs"),
        views: list(&load, "views"),
    })
}

/// The figures of target/bench/longuse.json.
pub(super) fn long_use_figures(json: &str) -> Result<LongUseFigures, String> {
    serde_json::from_str(json).map_err(|error| error.to_string())
}

/// The entries under the top-level `key` of a figures file that read as `T`.
fn list<T: for<'de> Deserialize<'de>>(figures: &Value, key: &str) -> Vec<T> {
    figures
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| T::deserialize(item).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The summary under the top-level `key` of a figures file.
fn summary(figures: &Value, key: &str) -> Option<Summary> {
    Summary::deserialize(figures.get(key)?).ok()
}

/// The figures in the load example's report (see crates/cli/examples/load.rs).
pub(super) fn load_figures(output: &str) -> Option<LoadFigures> {
    let line = |prefix: &str| {
        output
            .lines()
            .find_map(|line| line.strip_prefix(prefix).map(str::trim))
    };
    let requests = line("requests:")?;
    let per_second = requests
        .split_once('=')?
        .1
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let latency = line("latency:")?;
    let percentile = |name: &str| -> Option<f64> {
        latency
            .split(',')
            .find_map(|part| part.trim().strip_prefix(name))?
            .trim()
            .trim_end_matches("ms")
            .trim()
            .parse()
            .ok()
    };
    Some(LoadFigures {
        per_second,
        p50: percentile("p50")?,
        p90: percentile("p90")?,
        p99: percentile("p99")?,
        max: percentile("max")?,
        statuses: line("statuses:")?.to_string(),
        checked: line("responses differing")
            .map(|rest| format!("Responses differing {rest}."))
            .unwrap_or_default(),
    })
}

/// The rows of a `twiggy top` table, bytes and item, including its `Σ` total row but not
/// its "… and N more" row.
pub(super) fn twiggy_items(table: &str) -> Vec<(u64, String)> {
    table
        .lines()
        .filter_map(|line| {
            let mut cells = line.split('┊').map(str::trim);
            let bytes = cells.next()?.parse().ok()?;
            let name = cells.nth(1)?;
            (!name.starts_with("...")).then(|| (bytes, name.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{
        criterion_median, engine_timing_line, load_figures, long_use_figures, page_figures,
        twiggy_items, LoadFigures, LoadRun, LongUseFigures, Memory, PageFigures, Summary, ViewLoad,
    };

    fn check_median(json: &str, expected: Option<f64>) {
        assert_eq!(criterion_median(json).ok(), expected, "{json}");
    }

    #[test]
    fn criterion_medians() {
        // As criterion writes it, keys in order: the mean's point estimate comes first.
        let criterion = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":20.0,"upper_bound":21.0},"point_estimate":20.5,"standard_error":0.2},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":18.0,"upper_bound":20000.0},"point_estimate":19312.25,"standard_error":3.0},"median_abs_dev":{"point_estimate":7.5},"slope":null,"std_dev":{"point_estimate":4.0}}"#;
        check_median(criterion, Some(19312.25));
        check_median(r#"{"median": {"point_estimate": 1e3}}"#, Some(1000.0));
        check_median(r#"{"median": {"point_estimate": -2}}"#, Some(-2.0));
        // Decoys: a key of the name inside another object, or as a string value, is not it.
        check_median(
            r#"{"mean": {"median": {"point_estimate": 5}}, "median": {"point_estimate": 19.0}}"#,
            Some(19.0),
        );
        check_median(
            r#"{"label": "median", "mean": {"point_estimate": 20.5}}"#,
            None,
        );
        check_median(
            r#"{"median": {"standard_error": 3.0}, "median_abs_dev": {"point_estimate": 7.5}}"#,
            None,
        );
        check_median(r#"{"median": {"point_estimate": "text"}}"#, None);
        check_median(r#"{"median" {"point_estimate": 1}}"#, None);
        check_median("", None);
    }

    fn check_page(interaction: &str, load: &str, expected: Option<PageFigures>) {
        assert_eq!(
            page_figures(interaction, load).ok(),
            expected,
            "{interaction} {load}"
        );
    }

    fn summary(median: f64, p95: f64, max: f64, count: u64) -> Option<Summary> {
        Some(Summary {
            median,
            p95,
            max,
            count,
        })
    }

    #[test]
    fn page_figures_from_the_benchmark_files() {
        // As e2e/bench/figures.ts writes them: JSON.stringify(figures, null, 2).
        let interaction = r#"{
  "toggle_click": { "count": 200, "median_ms": 14.8, "p95_ms": 38.2, "max_ms": 80.2 },
  "keystroke": { "count": 100, "median_ms": 9, "p95_ms": 12.5, "max_ms": 20 },
  "matrix": { "requests": 42, "count": 30, "median_ms": 4, "p95_ms": 14.3, "max_ms": 17 },
  "matrix_to_dom": { "count": 30, "median_ms": 6.5, "p95_ms": 15, "max_ms": 18.25 }
}"#;
        let load = r#"{
  "runs": [
    { "network": "throttled", "encoding": "br",
      "first_answer": { "count": 5, "median_ms": 180, "p95_ms": 230.5, "max_ms": 260 },
      "interactive": { "count": 5, "median_ms": 900, "p95_ms": 950, "max_ms": 990 },
      "floor": { "count": 5, "median_ms": 40, "p95_ms": 55, "max_ms": 61 } }
  ],
  "views": [
    { "view": "matrix", "network": "unthrottled", "encoding": "gzip",
      "first_answer": { "count": 3, "median_ms": 120, "p95_ms": 130, "max_ms": 130 } }
  ]
}"#;
        check_page(
            interaction,
            load,
            Some(PageFigures {
                toggle_click: summary(14.8, 38.2, 80.2, 200),
                keystroke: summary(9.0, 12.5, 20.0, 100),
                matrix: summary(4.0, 14.3, 17.0, 30),
                matrix_requests: 42,
                matrix_to_dom: summary(6.5, 15.0, 18.25, 30),
                loads: vec![LoadRun {
                    network: "throttled".to_string(),
                    encoding: "br".to_string(),
                    first_answer: Summary {
                        median: 180.0,
                        p95: 230.5,
                        max: 260.0,
                        count: 5,
                    },
                    interactive: Summary {
                        median: 900.0,
                        p95: 950.0,
                        max: 990.0,
                        count: 5,
                    },
                    preset: None,
                    floor: Summary {
                        median: 40.0,
                        p95: 55.0,
                        max: 61.0,
                        count: 5,
                    },
                    plain: None,
                }],
                views: vec![ViewLoad {
                    view: "matrix".to_string(),
                    network: "unthrottled".to_string(),
                    encoding: "gzip".to_string(),
                    first_answer: Summary {
                        median: 120.0,
                        p95: 130.0,
                        max: 130.0,
                        count: 3,
                    },
                }],
            }),
        );
    }

    #[test]
    fn page_figures_are_read_at_their_own_keys() {
        // The toggle summary lacks its count, and the keystroke summary is missing: a key
        // of the same name later in the file (the matrix's count, a nested "keystroke", a
        // "requests" outside the matrix) must not stand in for either.
        let interaction = r#"{
  "toggle_click": { "median_ms": 14.8, "p95_ms": 38.2, "max_ms": 80.2 },
  "requests": 99,
  "matrix_to_dom": {
    "keystroke": { "count": 1, "median_ms": 1, "p95_ms": 1, "max_ms": 1 },
    "count": 30, "median_ms": 6.5, "p95_ms": 15, "max_ms": 18.25
  },
  "matrix": { "count": 30, "median_ms": null, "p95_ms": 14.3, "max_ms": 17 }
}"#;
        // A run without its floor is left out, not filled in; a list elsewhere is not read.
        let load = r#"{ "runs": [ { "network": "throttled", "encoding": "gzip",
  "first_answer": { "count": 5, "median_ms": 1, "p95_ms": 1, "max_ms": 1 },
  "interactive": { "count": 5, "median_ms": 1, "p95_ms": 1, "max_ms": 1 } } ],
  "other": { "views": [ { "view": "matrix", "network": "throttled", "encoding": "gzip",
  "first_answer": { "count": 3, "median_ms": 1, "p95_ms": 1, "max_ms": 1 } } ] } }"#;
        check_page(
            interaction,
            load,
            Some(PageFigures {
                toggle_click: None,
                keystroke: None,
                matrix: None,
                matrix_requests: 0,
                matrix_to_dom: summary(6.5, 15.0, 18.25, 30),
                loads: vec![],
                views: vec![],
            }),
        );
        check_page("{}", "{\"runs\": ", None);
        check_page("", "{}", None);
    }

    #[test]
    fn engine_timing_lines() {
        let check = |line: &str, expected: Option<(&str, f64)>| {
            assert_eq!(
                engine_timing_line(line),
                expected.map(|(name, ns)| (name.to_string(), ns)),
                "{line}"
            );
        };
        check(
            r#"engine-timing {"name":"valid-token","iterations":4096,"ns_per_evaluate":51234}"#,
            Some(("valid-token", 51234.0)),
        );
        check(
            r#"    engine-timing {"name":"64KiB-request","iterations":16,"ns_per_evaluate":90000}"#,
            Some(("64KiB-request", 90000.0)),
        );
        // Key order is free, and a "name" as a value or inside another object is a decoy.
        check(
            r#"engine-timing {"label":"name","ns_per_evaluate":700,"meta":{"name":"x"},"name":"malformed"}"#,
            Some(("malformed", 700.0)),
        );
        check(
            r#"engine-timing {"name":"expired-token","ns_per_evaluate":1200} (round 21)"#,
            Some(("expired-token", 1200.0)),
        );
        check("test evaluate_timing ... ok", None);
        check(r#"engine-timing {"iterations":16}"#, None);
        check(
            r#"engine-timing {"name":"valid-token","meta":{"ns_per_evaluate":5}}"#,
            None,
        );
    }

    #[test]
    fn twiggy_table() {
        let table = " Shallow Bytes │ Shallow % │ Item\n\
            ───────────────┼───────────┼──────\n\
            \x20       200 ┊    20.00% ┊ \"function names\" subsection\n\
            \x20       400 ┊    40.00% ┊ data segment \".rodata.7\"\n\
            \x20       100 ┊    10.00% ┊ a | b\n\
            \x20       300 ┊    30.00% ┊ ... and 2 more.\n\
            \x20      1000 ┊   100.00% ┊ Σ [5 Total Rows]\n";
        let expected: Vec<(u64, String)> = [
            (200, "\"function names\" subsection"),
            (400, "data segment \".rodata.7\""),
            (100, "a | b"),
            (1000, "Σ [5 Total Rows]"),
        ]
        .into_iter()
        .map(|(bytes, name)| (bytes, name.to_string()))
        .collect();
        assert_eq!(twiggy_items(table), expected);
    }

    #[test]
    fn load_report() {
        let output = "load: 16 connections for 10 s against http://127.0.0.1:1 (…)\n\
            requests: 120000 in 10 s = 12000 req/s\n\
            latency: p50 0.950 ms, p90 2.100 ms, p99 5.500 ms, max 12.000 ms\n\
            statuses: 200×60000, 401×60000\n\
            responses differing from the engine's: 0; failed connections: 0\n";
        assert_eq!(
            load_figures(output),
            Some(LoadFigures {
                per_second: 12000.0,
                p50: 0.95,
                p90: 2.1,
                p99: 5.5,
                max: 12.0,
                statuses: "200×60000, 401×60000".to_string(),
                checked: "Responses differing from the engine's: 0; failed connections: 0."
                    .to_string(),
            })
        );
        assert_eq!(load_figures("requests: none\n"), None);
    }

    #[test]
    fn long_use_file() {
        // As e2e/longuse.ts writes it: JSON.stringify(figures, null, 2).
        let json = r#"{
  "seed": 20240601,
  "render": false,
  "interactions": 10000,
  "duration_ms": 111634,
  "after_first": 100,
  "memory_after_first": {
    "js_heap_bytes": 2506124,
    "wasm_memory_bytes": 1441792
  },
  "memory_after_all": {
    "js_heap_bytes": 2998764,
    "wasm_memory_bytes": 1572864
  },
  "js_heap_ratio": 1.197,
  "wasm_memory_ratio": 1.091,
  "kinds": {
    "toggle-token": 232
  }
}"#;
        let expected = LongUseFigures {
            seed: 20240601,
            render: false,
            interactions: 10000,
            duration_ms: 111634.0,
            after_first: 100,
            memory_after_first: Memory {
                js_heap_bytes: 2506124.0,
                wasm_memory_bytes: 1441792.0,
            },
            memory_after_all: Memory {
                js_heap_bytes: 2998764.0,
                wasm_memory_bytes: 1572864.0,
            },
        };
        assert_eq!(long_use_figures(json).as_ref(), Ok(&expected));
        let drawn = json.replace("\"render\": false", "\"render\": true");
        assert!(long_use_figures(&drawn).is_ok_and(|figures| figures.render));
        assert!(long_use_figures(&json.replace("memory_after_all", "x")).is_err());
        // A kind named like a figure is a decoy: the top-level figure is the one read.
        let decoy = json.replace(
            "\"kinds\": {",
            "\"kinds\": {\n    \"interactions\": 5,\n    \"seed\": 7,",
        );
        assert_eq!(long_use_figures(&decoy).as_ref(), Ok(&expected));
        // Figures in the wrong place (memory flattened to the top) are not taken.
        let flattened = r#"{"seed": 1, "render": true, "interactions": 2, "duration_ms": 3,
            "after_first": 1, "js_heap_bytes": 4, "wasm_memory_bytes": 5,
            "memory_after_first": {"js_heap_bytes": 6}, "memory_after_all": {}}"#;
        assert!(long_use_figures(flattened).is_err());
    }
}
