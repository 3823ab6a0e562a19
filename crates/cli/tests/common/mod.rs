//! Helpers shared by the command-line tests: running the built `authpath` binary, starting
//! and stopping `authpath serve` on a free loopback port, and raw HTTP exchanges.

// Each test file uses its own subset of these helpers.
#![allow(dead_code)]

/// The engine tests' support module (`scenario`, `claims`, `mint`, `json`, …), compiled in
/// here too, so the command-line tests share its one copy instead of keeping their own.
#[path = "../../../engine/tests/support/mod.rs"]
pub mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The `authpath` binary cargo built for these tests.
pub fn authpath() -> Command {
    Command::new(env!("CARGO_BIN_EXE_authpath"))
}

/// Runs `authpath` with `arguments`, feeding `stdin`, and waits for it.
pub fn run(arguments: &[&str], stdin: &str) -> Output {
    let mut child = authpath()
        .args(arguments)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the authpath binary starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    let text = stdin.to_string();
    // Written from a thread so a large input cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let output = child.wait_with_output().expect("authpath runs to the end");
    let _ = writer.join();
    output
}

/// `authpath eval <options>` with `raw` on stdin: its stdout, asserting exit status 0.
pub fn eval(options: &[&str], raw: &str) -> String {
    let mut arguments = vec!["eval"];
    arguments.extend_from_slice(options);
    let output = run(&arguments, raw);
    assert!(
        output.status.success(),
        "authpath {arguments:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("eval prints UTF-8")
}

/// A running `authpath serve`, stopped with SIGINT when dropped.
pub struct Server {
    child: Option<Child>,
    /// `127.0.0.1:<port>`.
    pub address: SocketAddr,
    /// The startup text printed on stdout.
    pub banner: String,
    /// Everything the server wrote on stderr so far (the request log).
    pub log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `authpath serve --addr 127.0.0.1:0 <options>` and waits for its startup text.
    pub fn start(options: &[&str]) -> Server {
        let mut child = authpath()
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(options)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("authpath serve starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(String::new()));
        let log_writer = Arc::clone(&log);
        // Drained continuously: a full pipe would block the server.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = log_writer.lock().expect("log lock");
                log.push_str(&line);
                log.push('\n');
            }
        });
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut banner = String::new();
            let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
            for line in lines.by_ref() {
                let done = line.starts_with("Ctrl-C");
                banner.push_str(&line);
                banner.push('\n');
                if done {
                    break;
                }
            }
            let _ = sender.send(banner);
            for _ in lines {}
        });
        let banner = receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("authpath serve prints its startup text");
        let address = banner
            .lines()
            .next()
            .and_then(|line| line.split("http://").nth(1))
            .and_then(|address| address.split_whitespace().next())
            .and_then(|address| address.parse().ok())
            .unwrap_or_else(|| panic!("no address in the startup text:\n{banner}"));
        Server {
            child: Some(child),
            address,
            banner,
            log,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Sends `raw` on a fresh connection and returns the raw response.
    pub fn exchange(&self, raw: &str) -> String {
        exchange(self.address, raw.as_bytes())
    }

    /// Sends SIGINT and waits for the exit status (killing the server after 10 s).
    pub fn interrupt(&mut self) -> Option<std::process::ExitStatus> {
        let mut child = self.child.take()?;
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    /// The request log so far.
    pub fn log_text(&self) -> String {
        self.log.lock().expect("log lock").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.interrupt();
    }
}

/// Writes `raw` to a new connection and reads one response: the header section and a
/// `Content-Length` body (or everything until the server closes).
pub fn exchange(address: SocketAddr, raw: &[u8]) -> String {
    let mut stream = TcpStream::connect(address).expect("connect to authpath serve");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("set a read timeout");
    stream.write_all(raw).expect("send the request");
    read_response(&mut stream)
}

/// Reads one response from `stream`.
pub fn read_response(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = bytes.windows(4).position(|window| window == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..end]).to_string();
            let length = head
                .split("\r\n")
                .filter_map(|line| line.split_once(':'))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, value)| value.trim().parse::<usize>().ok())
                // 204 and 304 have no body, whatever the headers say (RFC 9110 §6.4.1).
                .or_else(|| {
                    ["HTTP/1.1 204", "HTTP/1.1 304"]
                        .iter()
                        .any(|line| head.starts_with(line))
                        .then_some(0)
                });
            if let Some(length) = length {
                while bytes.len() < end + 4 + length {
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => break,
                        Ok(read) => bytes.extend_from_slice(&chunk[..read]),
                    }
                }
                bytes.truncate(end + 4 + length);
                return String::from_utf8(bytes).expect("the response is UTF-8");
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return String::from_utf8(bytes).expect("the response is UTF-8"),
            Ok(read) => bytes.extend_from_slice(&chunk[..read]),
        }
    }
}

/// The status code of a raw response.
pub fn status(response: &str) -> u16 {
    response
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// The first header `name` of a raw response (case-insensitive).
pub fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.split("\r\n")
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .find(|(field, _)| field.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim())
}

/// Whether `program` can be run (`program --version` succeeds).
pub fn available(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}
