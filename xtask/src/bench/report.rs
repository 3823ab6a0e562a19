//! Writing BENCHMARKS.md from the figures: one section per measurement, each naming the
//! command that reproduces it, and "not measured" with the reason where a figure is missing.

use std::fmt::Write as _;

use super::parse::{LoadFigures, LoadRun, LongUseFigures, PageFigures, ViewLoad};
use super::{
    CRITERION_ARGUMENTS, ENGINE_REQUESTS, LOAD_ARGUMENTS, LONG_USE_FILE, WASM_TIMING_TEST,
};
use crate::{pins, size};

/// The requirement: memory after all the interactions within this factor of after the first.
const LONG_USE_MAX_RATIO: f64 = 2.0;
/// The interaction goal of the issue: one frame at 60 Hz.
const FRAME_MILLISECONDS: f64 = 16.0;
/// The heading of the section of BENCHMARKS.md that `bench` leaves as it finds it.
const FUZZING_HEADING: &str = "## Fuzzing";

/// Everything measured, ready to be written out.
pub(super) struct Report {
    pub(super) machine: Vec<(&'static str, String)>,
    pub(super) versions: Vec<(&'static str, String)>,
    pub(super) load_before: String,
    pub(super) load_after: String,
    pub(super) minutes: f64,
    pub(super) native: Result<Vec<(String, f64)>, String>,
    pub(super) wasm: Result<Vec<(String, f64)>, String>,
    pub(super) page: Result<PageFigures, String>,
    pub(super) long_use: Result<LongUseFigures, String>,
    pub(super) load: Result<LoadFigures, String>,
    pub(super) sizes: Result<Vec<size::Row>, String>,
    pub(super) twiggy: Result<Vec<(u64, String)>, String>,
}

impl Report {
    /// What could not be measured, each with its error.
    pub(super) fn failures(&self) -> Vec<String> {
        [
            ("native engine", self.native.as_ref().err()),
            ("wasm engine", self.wasm.as_ref().err()),
            ("page", self.page.as_ref().err()),
            ("long use", self.long_use.as_ref().err()),
            ("load run", self.load.as_ref().err()),
            ("sizes", self.sizes.as_ref().err()),
        ]
        .into_iter()
        .filter_map(|(what, error)| error.map(|error| format!("{what}: {error}")))
        .collect()
    }

    /// The whole file but its fuzzing section.
    pub(super) fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Benchmarks\n\n\
             Written by `cargo xtask bench`, which runs every measurement below and rewrites this \
             file (≈ {:.0} min here). Each section gives the command that reproduces its figures \
             alone. Speed and size are measured here, not asserted in tests (the first-load size \
             limit is the one size check `cargo xtask test` runs).\n",
            self.minutes.ceil()
        );
        for (name, value) in self.machine.iter().chain(&self.versions) {
            let _ = writeln!(out, "- {name}: {value}");
        }
        let _ = writeln!(
            out,
            "- load average (1, 5, 15 min) before the run: {}; after: {}\n\n\
             The machine's two cores are shared with other builds: a load average above 2 \
             means the figures are upper bounds.\n",
            self.load_before, self.load_after
        );
        self.engine_section(&mut out);
        self.page_section(&mut out);
        self.long_use_section(&mut out);
        self.load_section(&mut out);
        self.size_section(&mut out);
        out
    }

    fn engine_section(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "## Engine: `evaluate`, native and in the browser\n\n\
             Native: `cargo {}` (criterion's median; the bench profile is the release profile: \
             `opt-level = \"z\"`, LTO).\n\n\
             In the browser: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target \
             {} -p authpath --test {WASM_TIMING_TEST} -- --nocapture` (the same requests in headless \
             Chromium, timed with `performance.now()`: the median of 21 rounds of 25 ms each, as \
             criterion takes the median of its samples).\n",
            CRITERION_ARGUMENTS.join(" "),
            pins::WASM_TARGET
        );
        let native = match &self.native {
            Ok(native) => native.as_slice(),
            Err(error) => {
                let _ = writeln!(out, "Native: not measured ({error}).\n");
                &[]
            }
        };
        let wasm = match &self.wasm {
            Ok(wasm) => wasm.as_slice(),
            Err(error) => {
                let _ = writeln!(out, "In the browser: not measured ({error}).\n");
                &[]
            }
        };
        let find = |figures: &[(String, f64)], name: &str| {
            figures
                .iter()
                .find(|(known, _)| known == name)
                .map(|(_, nanoseconds)| *nanoseconds)
        };
        let _ = writeln!(
            out,
            "| request | native | wasm in Chromium | wasm / native |\n| --- | --- | --- | --- |"
        );
        for (name, description) in ENGINE_REQUESTS {
            let native = find(native, name);
            let wasm = find(wasm, name);
            let ratio = match (native, wasm) {
                (Some(native), Some(wasm)) if native > 0.0 => format!("{:.1} ×", wasm / native),
                _ => "n/a".to_string(),
            };
            let _ = writeln!(
                out,
                "| {description} | {} | {} | {ratio} |",
                native.map_or("n/a".to_string(), duration),
                wasm.map_or("n/a".to_string(), duration),
            );
        }
        out.push('\n');
    }

    fn page_section(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "## The page: interaction, first answer and interactive\n\n\
             `cd e2e && npx playwright test --config bench.config.ts` after `cargo xtask dist` \
             (headless Chromium, the site served on 127.0.0.1); writes \
             `target/bench/interaction.json` and `target/bench/load.json`. Times are taken \
             inside the page with `performance.now()`, to the mutation of the DOM that shows \
             the new answer.\n"
        );
        let Some(page) = measured(out, &self.page) else {
            return;
        };
        let _ = writeln!(
            out,
            "| what | median | p95 | max | samples | p95 under 16 ms |\n\
             | --- | --- | --- | --- | --- | --- |"
        );
        let matrix = format!(
            "whole matrix, {} requests, `build_matrix` as the page times it (`matrix-timing`)",
            page.matrix_requests
        );
        for (what, figures) in [
            (
                "toggle click → updated raw response",
                page.toggle_click.as_ref(),
            ),
            (
                "keystroke in the raw request (`input` event) → updated raw response",
                page.keystroke.as_ref(),
            ),
            (matrix.as_str(), page.matrix.as_ref()),
            (
                "profile change in the matrix view → updated matrix in the DOM",
                page.matrix_to_dom.as_ref(),
            ),
        ] {
            match figures {
                Some(figures) => {
                    let _ = writeln!(
                        out,
                        "| {what} | {:.1} ms | {:.1} ms | {:.1} ms | {} | {} |",
                        figures.median,
                        figures.p95,
                        figures.max,
                        figures.count,
                        if figures.p95 < FRAME_MILLISECONDS {
                            "yes"
                        } else {
                            "no"
                        }
                    );
                }
                None => {
                    let _ = writeln!(out, "| {what} | n/a | | | | |");
                }
            }
        }
        load_table(out, &page.loads);
        view_table(out, &page.views);
        out.push('\n');
    }

    fn long_use_section(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "## Long use: random interactions in one page session\n\n\
             `cd e2e && npx playwright test --config bench.config.ts {LONG_USE_FILE}` after \
             `cargo xtask dist`; writes `target/bench/longuse.json`. The run of \
             `e2e/tests/longuse.spec.ts`, which asserts the bound: random clicks, choices and \
             edits of the real controls of every view (builder, presets, raw request, stepper, \
             tabs, theme, policy editor, matrix, compare, learn, quiz), from a fixed seed \
             (`AUTHPATH_LONGUSE_SEED` sets another), each interaction its own task, the page \
             drawn once every 100 interactions unless `AUTHPATH_LONGUSE_RENDER=1`. Memory after \
             a forced garbage collection (DevTools `HeapProfiler.collectGarbage`): the JS heap is \
             `performance.memory.usedJSHeapSize` (with `--enable-precise-memory-info`), the wasm \
             memory the size of the app's linear memory, which never shrinks (a high-water \
             mark).\n"
        );
        let Some(long_use) = measured(out, &self.long_use) else {
            return;
        };
        let _ = writeln!(
            out,
            "| interactions | seed | page drawn | duration | per interaction |\n\
             | --- | --- | --- | --- | --- |\n\
             | {} | {} | {} | {:.1} s | {:.1} ms |\n",
            long_use.interactions,
            long_use.seed,
            if long_use.render {
                "after each"
            } else {
                "every 100"
            },
            long_use.duration_ms / 1000.0,
            long_use.duration_ms / long_use.interactions.max(1) as f64,
        );
        let _ = writeln!(
            out,
            "| memory | after {} | after {} | ratio | within {LONG_USE_MAX_RATIO:.0} × |\n\
             | --- | --- | --- | --- | --- |",
            long_use.after_first, long_use.interactions
        );
        for (what, first, all) in [
            (
                "JS heap",
                long_use.memory_after_first.js_heap_bytes,
                long_use.memory_after_all.js_heap_bytes,
            ),
            (
                "wasm memory",
                long_use.memory_after_first.wasm_memory_bytes,
                long_use.memory_after_all.wasm_memory_bytes,
            ),
        ] {
            let ratio = if first > 0.0 { all / first } else { f64::NAN };
            let _ = writeln!(
                out,
                "| {what} | {} | {} | {ratio:.2} × | {} |",
                mebibytes(first),
                mebibytes(all),
                if ratio < LONG_USE_MAX_RATIO {
                    "yes"
                } else {
                    "no"
                }
            );
        }
        out.push('\n');
    }

    fn load_section(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "## `authpath serve` under load, loopback\n\n\
             `cargo {}` (the eight presets in turn against a server on one thread, a client on \
             another; every response is checked byte for byte against `evaluate`).\n",
            LOAD_ARGUMENTS.join(" ")
        );
        if let Some(load) = measured(out, &self.load) {
            let _ = writeln!(
                out,
                "| connections | requests/s | p50 | p90 | p99 | max |\n\
                 | --- | --- | --- | --- | --- | --- |\n\
                 | 16 | {:.0} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms |\n\n\
                 Statuses: {}. {}\n",
                load.per_second,
                load.p50,
                load.p90,
                load.p99,
                load.max,
                load.statuses,
                load.checked
            );
        }
    }

    fn size_section(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "## Size of `dist/`\n\n\
             `cargo xtask dist` prints this table (`gzip -9`, and brotli at quality 11 through \
             Node.js). The first load is what a reader's browser fetches for the landing page: \
             index.html and what it preloads, links and runs (the landing build, \
             src/parts.rs); the full build (`authpath-web-…`) is fetched in idle time and \
             started on demand.\n"
        );
        if let Some(rows) = measured(out, &self.sizes) {
            let _ = writeln!(
                out,
                "| file | raw | gzip -9 | brotli | first load |\n| --- | --- | --- | --- | --- |"
            );
            for row in rows {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {} |",
                    row.name,
                    size::kilobytes(row.raw),
                    size::kilobytes(row.gzip),
                    row.brotli_kilobytes(),
                    if row.first_load { "yes" } else { "" }
                );
            }
            let total = size::first_load_total(rows);
            let full = size::on_demand_total(rows);
            let _ = writeln!(
                out,
                "| on demand: the full build | {} | {} | {} | |",
                size::kilobytes(full.raw),
                size::kilobytes(full.gzip),
                full.brotli_kilobytes(),
            );
            let _ = writeln!(
                out,
                "| **first load** | **{}** | **{}** | **{}** | |\n\n\
                 The goal (#27): a first load of {} gzip or less: {}. `cargo xtask test` fails \
                 above {}, a ratchet just over today's size (`FIRST_LOAD_GZIP_LIMIT`).\n",
                size::kilobytes(total.raw),
                size::kilobytes(total.gzip),
                total.brotli_kilobytes(),
                size::kilobytes(FIRST_LOAD_GOAL_GZIP),
                if total.gzip <= FIRST_LOAD_GOAL_GZIP {
                    "met"
                } else {
                    "**not met**"
                },
                size::kilobytes(pins::FIRST_LOAD_GZIP_LIMIT),
            );
        }
        let _ = writeln!(
            out,
            "### The ten largest items of the wasm (twiggy)\n\n\
             On a build that keeps the function names: the release wasm through \
             `wasm-bindgen --keep-debug`, then `wasm-opt -Oz -g` (the shipped build is the same \
             code without names), then `twiggy top -n 11`; written to `target/bench/twiggy/`.\n"
        );
        match &self.twiggy {
            Ok(items) => {
                let _ = writeln!(out, "{}", twiggy_markdown(items).trim_end());
            }
            Err(error) => {
                let _ = writeln!(out, "Not measured ({error}).");
            }
        }
    }
}

/// `text` followed by the fuzzing section of `previous` (the BENCHMARKS.md being replaced),
/// if it has one: those figures come from `cargo xtask fuzz`, not from here.
pub(super) fn with_fuzzing_of(mut text: String, previous: &str) -> String {
    if let Some(at) = previous.find(FUZZING_HEADING) {
        text.push('\n');
        text.push_str(&previous[at..]);
    }
    text
}

/// The first-load issue's size goal (#27), in bytes of gzip.
const FIRST_LOAD_GOAL_GZIP: u64 = 250_000;

/// The goals of the first-load issue (#27), as ratios to the floor page or as times.
const THROTTLED_FIRST_ANSWER_RATIO: f64 = 1.3;
const THROTTLED_INTERACTIVE_MS: f64 = 1200.0;
const UNTHROTTLED_FIRST_ANSWER_RATIO: f64 = 1.5;

/// First answer and interactive beside the floor page, per network and encoding, with the
/// goals they are held to.
fn load_table(out: &mut String, loads: &[LoadRun]) {
    let _ = writeln!(
        out,
        "\nFirst load (`e2e/bench/load.bench.ts`): cold loads, each in a fresh browser context \
         (no cache, no service worker), served by the harness's static server compressed as a \
         host would (`gzip -9`, brotli 11), unthrottled and throttled through the DevTools \
         protocol (`Network.emulateNetworkConditions`: 1.6 Mbit/s down, 750 kbit/s up, 150 ms \
         latency). *First answer*: the response's status readable (in the DOM, not hidden, no \
         earlier than the first contentful paint). *Interactive* (the goal's figure): a preset, \
         clicked as soon as the first answer is shown, has changed the answer (before the app \
         has taken the page over a preset is a link to its prerendered page, so this may cross \
         a navigation, timed from the first page's start). *App live*: the token toggle, \
         clicked as soon as the app has taken the page over, has changed the answer. The floor is a \
         static page whose one inline script writes one line, loaded alternately with \
         authpath in the same run; *plain HTML* is authpath's own prerendered page with its \
         scripts and preloads taken out, loaded the same way: what showing that answer costs \
         a browser at all. Medians, with the p95 after the slash.\n\n\
         | network | encoding | first answer | floor | ratio | goal | plain HTML | ratio to it | interactive | goal | app live |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    if loads.is_empty() {
        let _ = writeln!(out, "| n/a | | | | | | | | | | |");
    }
    for run in loads {
        let ratio = run.first_answer.median / run.floor.median.max(1.0);
        let throttled = run.network == "throttled";
        let ratio_goal = if throttled {
            THROTTLED_FIRST_ANSWER_RATIO
        } else {
            UNTHROTTLED_FIRST_ANSWER_RATIO
        };
        let verdict = |met: bool| if met { "met" } else { "**not met**" };
        // Figures from before the preset was measured hold the goal to the toggle.
        let interactive = run.preset.as_ref().unwrap_or(&run.interactive);
        let interactive_goal = if throttled {
            format!(
                "≤ {:.1} s: {}",
                THROTTLED_INTERACTIVE_MS / 1000.0,
                verdict(interactive.median <= THROTTLED_INTERACTIVE_MS)
            )
        } else {
            "-".to_string()
        };
        let (plain, to_plain) = match &run.plain {
            Some(plain) => (
                format!("{:.0} / {:.0} ms", plain.median, plain.p95),
                format!("{:.1} ×", run.first_answer.median / plain.median.max(1.0)),
            ),
            None => ("-".to_string(), "-".to_string()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} / {:.0} ms | {:.0} / {:.0} ms | {ratio:.1} × | ≤ {ratio_goal:.1} ×: {} | {plain} | {to_plain} | {:.0} / {:.0} ms | {interactive_goal} | {:.0} / {:.0} ms |",
            run.network,
            run.encoding,
            run.first_answer.median,
            run.first_answer.p95,
            run.floor.median,
            run.floor.p95,
            verdict(ratio <= ratio_goal),
            interactive.median,
            interactive.p95,
            run.interactive.median,
            run.interactive.p95,
        );
    }
}

/// The first answer of each view's first load.
fn view_table(out: &mut String, views: &[ViewLoad]) {
    if views.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nFirst load per view, at the page a link to it opens (its prerendered page; the quiz \
         has none and opens `./#v=1&view=quiz&seed=1`): the view's content readable, medians.\n\n\
         | view | network | encoding | first answer | loads |\n| --- | --- | --- | --- | --- |"
    );
    for view in views {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.0} ms | {} |",
            view.view,
            view.network,
            view.encoding,
            view.first_answer.median,
            view.first_answer.count
        );
    }
}

/// The figures of a section, or `None` after writing why they are missing.
fn measured<'a, T>(out: &mut String, figures: &'a Result<T, String>) -> Option<&'a T> {
    if let Err(error) = figures {
        let _ = writeln!(out, "Not measured ({error}).\n");
    }
    figures.as_ref().ok()
}

/// The ten largest items as a table. The names subsection exists only in this build (the
/// shipped wasm has none), so it is left out, and shares are of the wasm without it.
fn twiggy_markdown(items: &[(u64, String)]) -> String {
    let is_names = |name: &str| name.contains("\"function names\" subsection");
    let is_total = |name: &str| name.starts_with('Σ');
    let names: u64 = items
        .iter()
        .filter(|(_, name)| is_names(name))
        .map(|(bytes, _)| bytes)
        .sum();
    let total = items
        .iter()
        .find(|(_, name)| is_total(name))
        .map_or(0, |(bytes, _)| bytes.saturating_sub(names));
    let mut out = String::from("| bytes | share | item |\n| --- | --- | --- |\n");
    for (bytes, name) in items
        .iter()
        .filter(|(_, name)| !is_names(name) && !is_total(name))
        .take(10)
    {
        let share = if total > 0 {
            format!("{:.1} %", *bytes as f64 * 100.0 / total as f64)
        } else {
            "n/a".to_string()
        };
        let _ = writeln!(
            out,
            "| {bytes} | {share} | `{}` |",
            name.replace('|', "\\|")
        );
    }
    let _ = writeln!(
        out,
        "\nShares are of the wasm without its names ({} bytes).",
        total
    );
    out
}

/// Bytes in MiB, two decimals.
fn mebibytes(bytes: f64) -> String {
    format!("{:.2} MiB", bytes / 1024.0 / 1024.0)
}

/// Nanoseconds in the unit that reads best.
fn duration(nanoseconds: f64) -> String {
    if nanoseconds >= 1_000_000.0 {
        format!("{:.2} ms", nanoseconds / 1_000_000.0)
    } else if nanoseconds >= 1_000.0 {
        format!("{:.1} µs", nanoseconds / 1_000.0)
    } else {
        format!("{nanoseconds:.0} ns")
    }
}

#[cfg(test)]
mod tests {
    use super::{duration, load_table, twiggy_markdown, with_fuzzing_of};
    use crate::bench::parse::{LoadRun, Summary};

    fn median(median: f64) -> Summary {
        Summary {
            median,
            p95: median + 1.0,
            max: median + 2.0,
            count: 5,
        }
    }

    fn check_load_row(network: &str, first: f64, interactive: f64, floor: f64, expected: &str) {
        check_load_row_plain(network, [first, interactive, floor], None, None, expected);
    }

    fn check_load_row_plain(
        network: &str,
        [first, interactive, floor]: [f64; 3],
        plain: Option<f64>,
        preset: Option<f64>,
        expected: &str,
    ) {
        let mut out = String::new();
        let run = LoadRun {
            network: network.to_string(),
            encoding: "gzip".to_string(),
            first_answer: median(first),
            interactive: median(interactive),
            preset: preset.map(median),
            floor: median(floor),
            plain: plain.map(median),
        };
        load_table(&mut out, &[run]);
        assert_eq!(out.lines().last(), Some(expected), "{out}");
    }

    #[test]
    fn load_rows_hold_the_goals() {
        // Without a preset figure (written before it was measured) the toggle is held to it.
        check_load_row("throttled", 300.0, 1100.0, 250.0,
            "| throttled | gzip | 300 / 301 ms | 250 / 251 ms | 1.2 × | ≤ 1.3 ×: met | - | - | 1100 / 1101 ms | ≤ 1.2 s: met | 1100 / 1101 ms |");
        check_load_row("throttled", 950.0, 2400.0, 250.0,
            "| throttled | gzip | 950 / 951 ms | 250 / 251 ms | 3.8 × | ≤ 1.3 ×: **not met** | - | - | 2400 / 2401 ms | ≤ 1.2 s: **not met** | 2400 / 2401 ms |");
        check_load_row("unthrottled", 160.0, 700.0, 100.0,
            "| unthrottled | gzip | 160 / 161 ms | 100 / 101 ms | 1.6 × | ≤ 1.5 ×: **not met** | - | - | 700 / 701 ms | - | 700 / 701 ms |");
        // Beside the same page as plain HTML: the ratio to it, which has no goal of its own.
        check_load_row_plain("unthrottled", [150.0, 250.0, 50.0], Some(125.0), None,
            "| unthrottled | gzip | 150 / 151 ms | 50 / 51 ms | 3.0 × | ≤ 1.5 ×: **not met** | 125 / 126 ms | 1.2 × | 250 / 251 ms | - | 250 / 251 ms |");
        // The preset, a link before the app is live, is the interactive figure the goal holds.
        check_load_row_plain("throttled", [300.0, 2400.0, 250.0], None, Some(900.0),
            "| throttled | gzip | 300 / 301 ms | 250 / 251 ms | 1.2 × | ≤ 1.3 ×: met | - | - | 900 / 901 ms | ≤ 1.2 s: met | 2400 / 2401 ms |");
    }

    #[test]
    fn twiggy_table() {
        // The rows `parse::twiggy_items` reads from a `twiggy top` table.
        let items: Vec<(u64, String)> = [
            (200, "\"function names\" subsection"),
            (400, "data segment \".rodata.7\""),
            (100, "a | b"),
            (1000, "Σ [5 Total Rows]"),
        ]
        .into_iter()
        .map(|(bytes, name)| (bytes, name.to_string()))
        .collect();
        assert_eq!(
            twiggy_markdown(&items),
            "| bytes | share | item |\n| --- | --- | --- |\n\
             | 400 | 50.0 % | `data segment \".rodata.7\"` |\n\
             | 100 | 12.5 % | `a \\| b` |\n\
             \nShares are of the wasm without its names (800 bytes).\n"
        );
    }

    fn check_fuzzing(previous: &str, expected: &str) {
        assert_eq!(
            with_fuzzing_of("# Benchmarks\n".to_string(), previous),
            expected,
            "{previous:?}"
        );
    }

    #[test]
    fn the_fuzzing_section_is_kept() {
        check_fuzzing(
            "# Benchmarks\nold figures\n## Fuzzing\n600 s each\n",
            "# Benchmarks\n\n## Fuzzing\n600 s each\n",
        );
        check_fuzzing("# Benchmarks\nold figures\n", "# Benchmarks\n");
        check_fuzzing("", "# Benchmarks\n");
    }

    #[test]
    fn durations() {
        let check = |nanoseconds: f64, expected: &str| {
            assert_eq!(duration(nanoseconds), expected, "{nanoseconds}");
        };
        check(850.0, "850 ns");
        check(19_312.25, "19.3 µs");
        check(2_500_000.0, "2.50 ms");
    }
}
