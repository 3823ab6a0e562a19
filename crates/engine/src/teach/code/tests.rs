use super::*;
use crate::http::{Header, Status};
use crate::model::Scenario;
use crate::pipeline::evaluate;

fn response(status: Status, headers: &[(&str, &str)], body: &str) -> Response {
    Response {
        status,
        headers: headers
            .iter()
            .map(|(name, value)| Header {
                name: (*name).to_string(),
                value: (*value).to_string(),
            })
            .collect(),
        body: body.to_string(),
    }
}

fn endpoint(method: &str, path: &str) -> Endpoint {
    Endpoint {
        method: method.to_string(),
        path: path.to_string(),
    }
}

const BEARER: &str = "Bearer realm=\"authpath-demo\"";
const BASIC: &str = "Basic realm=\"authpath-demo\", charset=\"UTF-8\"";

fn no_token() -> Response {
    response(
        Status::Unauthorized,
        &[
            ("Content-Type", "application/problem+json"),
            ("WWW-Authenticate", BEARER),
            ("WWW-Authenticate", BASIC),
            ("Content-Length", "2"),
        ],
        "{}",
    )
}

#[test]
fn ids_name_every_framework_once() {
    for framework in Framework::ALL {
        assert_eq!(Framework::from_id(framework.id()), Some(framework));
    }
    assert_eq!(Framework::from_id("django"), None);
    let ids: Vec<&str> = Framework::ALL
        .iter()
        .map(|framework| framework.id())
        .collect();
    assert_eq!(
        ids,
        [
            "flask",
            "fastapi",
            "drf",
            "express",
            "spring",
            "aspnetcore",
            "go"
        ]
    );
}

#[test]
fn the_endpoint_is_the_route_pattern_or_else_the_path() {
    let scenario = Scenario::default();
    let of = |raw: &str| Endpoint::of(&evaluate(raw, &scenario), &scenario.policy);
    assert_eq!(
        of("GET /users/bob/notes?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"),
        Some(endpoint("GET", "/users/{id}/notes"))
    );
    assert_eq!(
        of("PATCH /nowhere HTTP/1.1\r\nHost: a\r\n\r\n"),
        Some(endpoint("PATCH", "/nowhere"))
    );
    // A method the path has no route for keeps the path as sent.
    assert_eq!(
        of("POST /profile HTTP/1.1\r\nHost: a\r\n\r\n"),
        Some(endpoint("POST", "/profile"))
    );
    assert_eq!(of("nonsense\r\n\r\n"), None);
}

/// Each snippet's route, in its framework's own words, with the request's method.
#[test]
fn each_snippet_routes_the_method_and_path_its_framework_s_way() {
    let notes = endpoint("GET", "/users/{id}/notes");
    let cases = [
        (
            Framework::Flask,
            "@app.route(\"/users/<id>/notes\", methods=[\"GET\"])",
        ),
        (
            Framework::FastApi,
            "@app.api_route(\"/users/{id}/notes\", methods=[\"GET\"])",
        ),
        (Framework::Drf, "@api_view([\"GET\"])"),
        (Framework::Drf, "path(\"users/<str:id>/notes\", answer)"),
        (Framework::Express, "app.get(\"/users/:id/notes\", "),
        (
            Framework::Spring,
            "@RequestMapping(path = \"/users/{id}/notes\", method = RequestMethod.GET)",
        ),
        (
            Framework::AspNetCore,
            "app.MapMethods(\"/users/{id}/notes\", [\"GET\"], ",
        ),
        (Framework::Go, "http.HandleFunc(`GET /users/{id}/notes`, "),
    ];
    for (framework, expected) in cases {
        let code = snippet(framework, &notes, &no_token());
        assert!(code.contains(expected), "{framework:?}: {expected}\n{code}");
    }
    // A method with no routing method of its own still gets a route.
    let odd = endpoint("PROPFIND", "/files");
    assert!(snippet(Framework::Express, &odd, &no_token()).contains("app.all(\"/files\", "));
    assert!(snippet(Framework::Spring, &odd, &no_token())
        .contains("@RequestMapping(path = \"/files\")\n"));
    assert!(snippet(Framework::Flask, &odd, &no_token()).contains("methods=[\"PROPFIND\"]"));
}

#[test]
fn each_snippet_sends_the_status_every_challenge_and_the_body_but_not_content_length() {
    let profile = endpoint("GET", "/profile");
    for framework in Framework::ALL {
        let code = snippet(framework, &profile, &no_token());
        let language = match framework {
            Framework::Flask | Framework::FastApi | Framework::Drf => Language::Python,
            Framework::Express => Language::JavaScript,
            Framework::Spring => Language::Java,
            Framework::AspNetCore => Language::CSharp,
            Framework::Go => Language::Go,
        };
        assert!(code.contains("401"), "{framework:?}");
        assert!(
            code.contains(&string(language, "{}")),
            "{framework:?}: body"
        );
        assert!(
            code.contains(&string(language, "application/problem+json")),
            "{framework:?}: Content-Type"
        );
        assert!(!code.contains("Content-Length"), "{framework:?}");
        if framework == Framework::Drf {
            // One field, the challenges comma-separated in order.
            let joined = format!("{BEARER}, {BASIC}");
            assert!(code.contains(&string(language, &joined)), "{code}");
        } else {
            assert!(code.contains(&string(language, BEARER)), "{framework:?}");
            assert!(code.contains(&string(language, BASIC)), "{framework:?}");
        }
        assert!(code.contains("127.0.0.1"), "{framework:?}");
        assert!(code.contains("PORT"), "{framework:?}");
    }
}

#[test]
fn a_hostile_body_and_header_are_escaped_and_every_snippet_is_ascii() {
    let body = "{\"detail\":\"a \\\"quote\\\", a \\\\ and\\nline</script>\"}\r\n\u{0}é☃😀'`";
    let hostile = response(
        Status::Forbidden,
        &[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("WWW-Authenticate", "Basic realm=\"Zürich ☃\""),
        ],
        body,
    );
    let route = endpoint("DELETE", "/a b/{id}");
    for framework in Framework::ALL {
        let code = snippet(framework, &route, &hostile);
        assert!(code.is_ascii(), "{framework:?}\n{code}");
        let (language, latin1) = match framework {
            Framework::Flask | Framework::FastApi | Framework::Drf => (Language::Python, true),
            Framework::Express => (Language::JavaScript, true),
            Framework::Spring => (Language::Java, true),
            Framework::AspNetCore => (Language::CSharp, false),
            Framework::Go => (Language::Go, false),
        };
        assert!(
            code.contains(&string(language, body)),
            "{framework:?}: body"
        );
        let challenge = "Basic realm=\"Zürich ☃\"";
        let written = if latin1 {
            latin1_bytes(language, challenge)
        } else {
            string(language, challenge)
        };
        assert!(code.contains(&written), "{framework:?}: {written}\n{code}");
        assert_eq!(
            code.contains("Latin-1") || code.contains("ResponseHeaderEncodingSelector"),
            framework != Framework::Go,
            "{framework:?}: a note on how non-ASCII header values are sent"
        );
    }
}

#[test]
fn a_response_without_content_type_keeps_frameworks_from_adding_one() {
    let bare = response(Status::Unauthorized, &[("WWW-Authenticate", BEARER)], "no");
    let profile = endpoint("GET", "/profile");
    let removed = [
        (Framework::Flask, "del response.headers[\"Content-Type\"]"),
        (Framework::Drf, "del response[\"Content-Type\"]"),
        (Framework::Go, "w.Header()[\"Content-Type\"] = nil"),
    ];
    for (framework, line) in removed {
        assert!(
            snippet(framework, &profile, &bare).contains(line),
            "{framework:?}"
        );
        assert!(
            !snippet(framework, &profile, &no_token()).contains(line),
            "{framework:?}"
        );
    }
    // An empty body is no body: Spring builds without a converter, ASP.NET writes nothing.
    let empty = response(Status::NoContent, &[], "");
    let spring = snippet(Framework::Spring, &profile, &empty);
    assert!(
        spring.contains(".build();") && !spring.contains("BODY"),
        "{spring}"
    );
    let aspnet = snippet(Framework::AspNetCore, &profile, &empty);
    assert!(!aspnet.contains("Body"), "{aspnet}");
    assert!(snippet(Framework::Flask, &profile, &empty).contains("HEADERS = []\n"));
    assert!(snippet(Framework::Drf, &profile, &empty).contains("HEADERS = {}\n"));
}

#[test]
fn the_whole_flask_snippet() {
    let code = snippet(Framework::Flask, &endpoint("GET", "/profile"), &no_token());
    let expected = r#"# Flask: one route that answers exactly the response authpath shows.
# Run: pip install flask && PORT=8000 python app.py
import os

from flask import Flask, Response

app = Flask(__name__)

STATUS = 401
HEADERS = [
    ("Content-Type", "application/problem+json"),
    ("WWW-Authenticate", 'Bearer realm="authpath-demo"'),
    ("WWW-Authenticate", 'Basic realm="authpath-demo", charset="UTF-8"'),
]
BODY = "{}"


@app.route("/profile", methods=["GET"])
def answer(**params):
    # The body goes out as these bytes, with the Content-Type given: no JSON encoder runs
    # and no charset is added (werkzeug/wrappers/response.py, Response.__init__).
    response = Response(BODY.encode(), STATUS, HEADERS)
    return response


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
"#;
    assert_eq!(code, expected);
}
