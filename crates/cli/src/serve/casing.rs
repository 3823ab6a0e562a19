//! Header names in the engine's spelling, taught to hyper once at startup.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use authpath_engine::teach::mock::presets;
use authpath_engine::{evaluate, Scenario};
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::ext::ReasonPhrase;
use hyper::header::{HeaderName, HeaderValue};
use hyper::http::Extensions;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::StatusCode;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::MAX_HEADER_SECTION_BYTES;

/// Makes hyper write header names in the engine's spelling (`WWW-Authenticate`, not
/// `www-authenticate` or `Www-Authenticate`).
///
/// hyper stores header names in lower case. With `preserve_header_case` it remembers how a
/// *parsed* message spelled them, in a private extension that it also honours when writing a
/// response. So at startup a request carrying every header name the engine writes is parsed
/// once, in memory, and its extensions are attached to each response. Names not learnt this
/// way come out title-cased.
pub(super) struct HeaderCasing {
    extensions: Extensions,
}

impl HeaderCasing {
    pub(super) async fn learn(scenario: &Scenario) -> HeaderCasing {
        let names = engine_header_names(scenario);
        let extensions =
            match tokio::time::timeout(Duration::from_secs(5), parse_names(&names)).await {
                Ok(Some(extensions)) => extensions,
                _ => Extensions::default(),
            };
        HeaderCasing { extensions }
    }

    /// The engine's response as a hyper response: same status and reason phrase, same headers
    /// in the same order, same body. For HEAD the body is empty and Content-Length is what
    /// GET would carry (RFC 9110 §8.6), so only other requests have it checked.
    pub(super) fn to_hyper(
        &self,
        response: &authpath_engine::Response,
        head: bool,
    ) -> Result<hyper::Response<Full<Bytes>>, String> {
        let code = response.status.code();
        let status = StatusCode::from_u16(code)
            .map_err(|_| format!("the engine answered with the status {code}"))?;
        let body = Bytes::from(response.body.clone());
        let mut answer = hyper::Response::new(Full::new(body));
        *answer.status_mut() = status;
        *answer.extensions_mut() = self.extensions.clone();
        let reason = ReasonPhrase::try_from(response.status.reason().as_bytes().to_vec())
            .map_err(|_| format!("the reason phrase {:?}", response.status.reason()))?;
        answer.extensions_mut().insert(reason);
        let headers = answer.headers_mut();
        for header in &response.headers {
            let name = HeaderName::from_bytes(header.name.as_bytes())
                .map_err(|_| format!("the header name {:?}", header.name))?;
            let value = HeaderValue::from_bytes(header.value.as_bytes())
                .map_err(|_| format!("the value of {}: {:?}", header.name, header.value))?;
            if name == hyper::header::CONTENT_LENGTH
                && !head
                && header.value.trim() != response.body.len().to_string()
            {
                return Err(format!(
                    "Content-Length {} for a body of {} bytes",
                    header.value,
                    response.body.len()
                ));
            }
            headers.append(name, value);
        }
        Ok(answer)
    }
}

/// Every header name the engine writes for the presets and a few other requests, with the
/// most times each occurs in one response, plus the common ones.
fn engine_header_names(scenario: &Scenario) -> Vec<(String, usize)> {
    let mut names: Vec<(String, usize)> = [
        "WWW-Authenticate",
        "Content-Type",
        "Content-Length",
        "Cache-Control",
        "Allow",
        "Vary",
        "Pragma",
    ]
    .iter()
    .map(|name| (name.to_string(), 1))
    .collect();
    let mut requests: Vec<String> = presets()
        .iter()
        .map(|preset| preset.request.to_raw(scenario))
        .collect();
    requests.extend([
        "GET /nowhere HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n".to_string(),
        "POST /profile HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n".to_string(),
        "GET /profile HTTP/1.1\r\nHost: api.authpath.example\r\nAuthorization: Digest x\r\n\r\n"
            .to_string(),
        "BROKEN\r\n\r\n".to_string(),
    ]);
    for raw in requests {
        let response = evaluate(&raw, scenario).response;
        for header in &response.headers {
            let count = response
                .headers
                .iter()
                .filter(|other| other.name.eq_ignore_ascii_case(&header.name))
                .count();
            match names
                .iter_mut()
                .find(|(name, _)| name.eq_ignore_ascii_case(&header.name))
            {
                Some((name, most)) => {
                    name.clone_from(&header.name);
                    *most = (*most).max(count);
                }
                None => names.push((header.name.clone(), count)),
            }
        }
    }
    names
}

/// Has hyper parse a request carrying `names` and returns the parsed request's extensions.
async fn parse_names(names: &[(String, usize)]) -> Option<Extensions> {
    let mut request = String::from("GET / HTTP/1.1\r\nHost: localhost\r\n");
    for (name, count) in names {
        let lower = name.to_ascii_lowercase();
        // Fields that change how hyper reads the message itself are left out.
        if [
            "host",
            "connection",
            "transfer-encoding",
            "upgrade",
            "expect",
            "te",
        ]
        .contains(&lower.as_str())
            || HeaderName::from_bytes(name.as_bytes()).is_err()
        {
            continue;
        }
        let (value, count) = if lower == "content-length" {
            ("0", 1)
        } else {
            ("x", *count)
        };
        for _ in 0..count {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    request.push_str("Connection: close\r\n\r\n");

    let (mut client, server) = tokio::io::duplex(MAX_HEADER_SECTION_BYTES);
    let slot: Arc<Mutex<Option<Extensions>>> = Arc::new(Mutex::new(None));
    let service_slot = Arc::clone(&slot);
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        if let Ok(mut slot) = service_slot.lock() {
            *slot = Some(request.extensions().clone());
        }
        async { Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::new()))) }
    });
    let connection = http1::Builder::new()
        .preserve_header_case(true)
        .max_buf_size(MAX_HEADER_SECTION_BYTES)
        .serve_connection(TokioIo::new(server), service);
    let exchange = async {
        client.write_all(request.as_bytes()).await.ok()?;
        let mut answer = Vec::new();
        client.read_to_end(&mut answer).await.ok()?;
        Some(())
    };
    let (_, exchanged) = tokio::join!(connection, exchange);
    exchanged?;
    let extensions = slot.lock().ok()?.take();
    extensions
}
