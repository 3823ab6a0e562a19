//! Running external programs: echoed before they run, failures turned into plain messages.

use std::env;
use std::ffi::OsString;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The root of the workspace (the folder holding the root `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf)
}

/// A `cargo` command: the same cargo that runs this task, so toolchain overrides carry over.
pub fn cargo() -> Command {
    Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Cargo's target folder for the workspace at `root`.
pub fn target_dir(root: &Path) -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// The folder `cargo install` writes binaries to.
pub fn cargo_bin_dir() -> Option<PathBuf> {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
    Some(home.join("bin"))
}

/// `PATH` with the project's tool folders first: npm's binaryen `wasm-opt` must shadow any other
/// `wasm-opt` (an older one breaks the release build), and freshly installed cargo binaries
/// must be found even when `~/.cargo/bin` is not on the caller's `PATH`.
pub fn tool_path() -> OsString {
    let mut folders = vec![workspace_root()
        .join("e2e")
        .join("node_modules")
        .join(".bin")];
    folders.extend(cargo_bin_dir());
    folders.extend(env::var_os("PATH").iter().flat_map(env::split_paths));
    env::join_paths(folders).unwrap_or_else(|_| env::var_os("PATH").unwrap_or_default())
}

/// A command for a program looked up on [`tool_path`], with that `PATH` passed on to it.
pub fn tool(program: &str) -> Command {
    let path = tool_path();
    let resolved = find_on(&path, program).unwrap_or_else(|| PathBuf::from(program));
    let mut command = Command::new(resolved);
    command.env("PATH", path);
    command
}

/// The first executable file called `program` in the folders of `path`.
pub fn find_on(path: &OsString, program: &str) -> Option<PathBuf> {
    env::split_paths(path)
        .map(|folder| folder.join(program))
        .find(|candidate| is_executable(candidate))
}

/// Whether `path` is a file with an execute bit.
pub fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// The text of the file at `path`, or an error naming it.
pub fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))
}

/// Runs `command` with inherited output, echoing it first; a non-zero exit is an error.
pub fn run(command: &mut Command) -> Result<(), String> {
    let shown = describe(command);
    println!("  $ {shown}");
    let status = command
        .status()
        .map_err(|error| format!("could not start `{shown}`: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs `command` quietly and returns its trimmed standard output, or `None` if it could not
/// start or failed. Used to probe installed tools.
pub fn probe(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Runs `command` with its standard error inherited and returns its standard output once it
/// has exited successfully. A program that has not finished within `limit` is killed and is an
/// error: a hung child must fail the step, not hold the run until CI's own limit.
pub fn output_within(command: &mut Command, limit: Duration) -> Result<Vec<u8>, String> {
    let shown = describe(command);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|error| format!("`{shown}` did not start ({error})"))?;
    // Read while it runs, so a full pipe never stops it.
    let mut stdout = child.stdout.take().ok_or("no standard output to read")?;
    let reader = thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child
            .try_wait()
            .map_err(|error| format!("`{shown}`: {error}"))?
        {
            break status;
        }
        if started.elapsed() > limit {
            // It may have exited just now: neither result changes the verdict.
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "`{shown}` did not finish within {} s and was stopped",
                limit.as_secs()
            ));
        }
        thread::sleep(Duration::from_millis(20));
    };
    let bytes = reader
        .join()
        .map_err(|_| format!("reading the output of `{shown}` failed"))?
        .map_err(|error| format!("reading the output of `{shown}`: {error}"))?;
    if status.success() {
        Ok(bytes)
    } else {
        Err(format!("`{shown}` failed: {status}"))
    }
}

/// The command as a person would type it (program name without its folder, then arguments).
pub fn describe(command: &Command) -> String {
    let program = Path::new(command.get_program())
        .file_name()
        .unwrap_or(command.get_program())
        .to_string_lossy()
        .into_owned();
    let mut words = vec![program];
    words.extend(
        command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned()),
    );
    words.join(" ")
}

/// Runs `action` under a heading, then prints how long it took and whether it worked.
pub fn timed<T>(what: &str, action: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    println!("▶ {what}");
    let start = Instant::now();
    let result = action();
    let seconds = start.elapsed().as_secs_f64();
    match &result {
        Ok(_) => println!("  done: {what} ({seconds:.1} s)"),
        Err(_) => println!("  FAILED: {what} ({seconds:.1} s)"),
    }
    result
}

#[cfg(test)]
mod tests {
    use std::process::Command;
    use std::time::{Duration, Instant};

    use super::output_within;

    #[test]
    fn a_child_gives_its_output_or_is_stopped_at_the_limit() {
        let limit = Duration::from_secs(20);
        assert_eq!(
            output_within(Command::new("sh").args(["-c", "echo signed"]), limit),
            Ok(b"signed\n".to_vec())
        );
        let failed = output_within(Command::new("sh").args(["-c", "exit 3"]), limit);
        assert!(failed.is_err_and(|error| error.contains("failed")));
        let started = Instant::now();
        let hung = output_within(Command::new("sleep").arg("30"), Duration::from_millis(200));
        assert!(hung.is_err_and(|error| error.contains("did not finish within")));
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
