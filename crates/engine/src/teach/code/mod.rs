//! "The code that gives this answer": for a response, a whole one-file app in a web framework
//! that answers one route with exactly that response — its status, its `WWW-Authenticate`
//! challenges, its other headers (`Content-Type`, `Allow`, `Cache-Control`) and its body, byte
//! for byte. One template per framework; the body is sent as the bytes given, never through the
//! framework's JSON encoder, and each template turns off what its framework would add or change
//! (a charset, a default `Content-Type`, an `ETag`). Every app listens on 127.0.0.1 at the port in
//! `$PORT` (8000 when it is unset).
//!
//! ```
//! use authpath_engine::teach::code::{snippet, Endpoint, Framework};
//! use authpath_engine::{evaluate, Scenario};
//!
//! let scenario = Scenario::default();
//! let evaluation = evaluate("GET /profile HTTP/1.1\r\nHost: api.example\r\n\r\n", &scenario);
//! let endpoint = Endpoint::of(&evaluation, &scenario.policy).unwrap_or_default();
//! let code = snippet(Framework::Flask, &endpoint, &evaluation.response);
//! assert!(code.contains("@app.route(\"/profile\", methods=[\"GET\"])"));
//! assert!(code.contains("STATUS = 401"));
//! ```

mod literal;
mod route;
mod templates;

use serde::Serialize;

use crate::model::{Evaluation, Response};
use crate::policy::{Policy, RouteMatch};

pub use literal::{latin1_bytes, string, Language};
pub use route::Segment;

/// A framework a snippet can be written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Framework {
    Flask,
    FastApi,
    Drf,
    Express,
    Spring,
    AspNetCore,
    Go,
}

impl Framework {
    /// Every framework, in the order a choice lists them.
    pub const ALL: [Framework; 7] = [
        Framework::Flask,
        Framework::FastApi,
        Framework::Drf,
        Framework::Express,
        Framework::Spring,
        Framework::AspNetCore,
        Framework::Go,
    ];

    /// The id `authpath eval --code` takes: `flask`, `fastapi`, `drf`, `express`, `spring`,
    /// `aspnetcore`, `go`.
    pub fn id(self) -> &'static str {
        match self {
            Framework::Flask => "flask",
            Framework::FastApi => "fastapi",
            Framework::Drf => "drf",
            Framework::Express => "express",
            Framework::Spring => "spring",
            Framework::AspNetCore => "aspnetcore",
            Framework::Go => "go",
        }
    }

    /// The framework with that id.
    pub fn from_id(id: &str) -> Option<Framework> {
        Framework::ALL
            .into_iter()
            .find(|framework| framework.id() == id)
    }

    /// Its name, as a person would say it.
    pub fn title(self) -> &'static str {
        match self {
            Framework::Flask => "Flask",
            Framework::FastApi => "FastAPI",
            Framework::Drf => "Django REST framework",
            Framework::Express => "Express",
            Framework::Spring => "Spring Boot",
            Framework::AspNetCore => "ASP.NET Core",
            Framework::Go => "Go net/http",
        }
    }

    /// The file the snippet is meant to be saved as.
    pub fn file_name(self) -> &'static str {
        match self {
            Framework::Flask | Framework::FastApi | Framework::Drf => "app.py",
            Framework::Express => "app.js",
            Framework::Spring => "App.java",
            Framework::AspNetCore => "app.cs",
            Framework::Go => "app.go",
        }
    }

    /// The command that starts the saved snippet (with `PORT` in the environment).
    pub fn run(self) -> &'static str {
        match self {
            Framework::Flask | Framework::FastApi | Framework::Drf => "python app.py",
            Framework::Express => "node app.js",
            Framework::Spring => "jbang App.java",
            Framework::AspNetCore => "dotnet run app.cs",
            Framework::Go => "go run app.go",
        }
    }
}

/// The route a snippet answers at: the request's method, and its path as the policy's route
/// pattern writes it (`/users/{id}/notes`), or the path itself where no route matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub method: String,
    /// A path pattern: `/`-separated segments, each plain text or a whole `{name}`.
    pub path: String,
}

impl Default for Endpoint {
    /// `GET /`.
    fn default() -> Self {
        Endpoint {
            method: "GET".to_string(),
            path: "/".to_string(),
        }
    }
}

impl Endpoint {
    /// The evaluated request's method and route; `None` when the request did not parse, so
    /// there is no method or path to answer at.
    pub fn of(evaluation: &Evaluation, policy: &Policy) -> Option<Endpoint> {
        let request = evaluation.request.as_ref().ok()?;
        let path = match policy.resolve(&request.method, &request.path) {
            RouteMatch::Found { route, .. } => route.path.clone(),
            RouteMatch::MethodNotAllowed { .. } | RouteMatch::NotFound => request.path.clone(),
        };
        Some(Endpoint {
            method: request.method.clone(),
            path,
        })
    }
}

/// The whole one-file app in `framework` that answers `endpoint` with `response`.
pub fn snippet(framework: Framework, endpoint: &Endpoint, response: &Response) -> String {
    let answer = templates::Answer::new(endpoint, response);
    match framework {
        Framework::Flask => templates::flask(&answer),
        Framework::FastApi => templates::fastapi(&answer),
        Framework::Drf => templates::drf(&answer),
        Framework::Express => templates::express(&answer),
        Framework::Spring => templates::spring(&answer),
        Framework::AspNetCore => templates::aspnetcore(&answer),
        Framework::Go => templates::go(&answer),
    }
}

#[cfg(test)]
mod tests;
