//! One template per framework. Each writes the answer's status, headers and body as constants at
//! the top and one handler that sends them unchanged; the comments say what each framework would
//! otherwise add or change, and where that is in its source.

use super::literal::{latin1_bytes, string, Language};
use super::route::{pattern, segments, Segment, Syntax};
use super::Endpoint;
use crate::model::Response;

/// What a snippet sends, taken from the response: every header but `Content-Length`, which
/// each framework writes itself from the same body bytes.
pub struct Answer<'a> {
    method: &'a str,
    route: Vec<Segment>,
    status: u16,
    headers: Vec<(&'a str, &'a str)>,
    body: &'a str,
}

impl<'a> Answer<'a> {
    pub fn new(endpoint: &'a Endpoint, response: &'a Response) -> Answer<'a> {
        Answer {
            method: &endpoint.method,
            route: segments(&endpoint.path),
            status: response.status.code(),
            headers: response
                .headers
                .iter()
                .filter(|header| !header.name.eq_ignore_ascii_case("Content-Length"))
                .map(|header| (header.name.as_str(), header.value.as_str()))
                .collect(),
            body: &response.body,
        }
    }

    fn has_content_type(&self) -> bool {
        self.headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("Content-Type"))
    }

    fn ascii_headers(&self) -> bool {
        self.headers.iter().all(|(_, value)| value.is_ascii())
    }

    /// The headers with the values of one name joined into one field, comma-separated, at the
    /// place of the first (RFC 9110 §5.3), for frameworks that keep one value per name.
    fn joined_headers(&self) -> Vec<(&'a str, String)> {
        let mut joined: Vec<(&'a str, String)> = Vec::new();
        for (name, value) in &self.headers {
            match joined
                .iter_mut()
                .find(|(seen, _)| seen.eq_ignore_ascii_case(name))
            {
                Some((_, values)) => {
                    values.push_str(", ");
                    values.push_str(value);
                }
                None => joined.push((name, (*value).to_string())),
            }
        }
        joined
    }

    fn route(&self, syntax: Syntax, language: Language) -> String {
        string(language, &pattern(&self.route, syntax))
    }
}

/// A Python list of `(name, value)` pairs, values as Latin-1 bytes.
fn python_headers(answer: &Answer) -> String {
    let mut text = String::from("HEADERS = [\n");
    for (name, value) in &answer.headers {
        text.push_str(&format!(
            "    ({}, {}),\n",
            string(Language::Python, name),
            latin1_bytes(Language::Python, value)
        ));
    }
    text.push_str("]\n");
    if text == "HEADERS = [\n]\n" {
        return "HEADERS = []\n".to_string();
    }
    text
}

/// The note Python, JavaScript and Java snippets carry when a header value is not ASCII.
fn latin1_note(answer: &Answer, comment: &str) -> String {
    if answer.ascii_headers() {
        return String::new();
    }
    format!(
        "{comment} Header values go out as Latin-1, one byte a character: a non-ASCII character\n\
         {comment} is written as its UTF-8 bytes.\n"
    )
}

/// `STATUS`, `HEADERS` and `BODY` for Flask and FastAPI.
fn python_constants(answer: &Answer) -> String {
    format!(
        "STATUS = {}\n{}{}BODY = {}\n",
        answer.status,
        latin1_note(answer, "#"),
        python_headers(answer),
        string(Language::Python, answer.body)
    )
}

const PYTHON_PORT: &str = "int(os.environ.get(\"PORT\", \"8000\"))";

pub fn flask(answer: &Answer) -> String {
    let no_type = if answer.has_content_type() {
        ""
    } else {
        "    # Flask gives every response a Content-Type; this one has none.\n    \
         del response.headers[\"Content-Type\"]\n"
    };
    format!(
        "# Flask: one route that answers exactly the response authpath shows.\n\
         # Run: pip install flask && PORT=8000 python app.py\n\
         import os\n\n\
         from flask import Flask, Response\n\n\
         app = Flask(__name__)\n\n\
         {constants}\n\n\
         @app.route({route}, methods=[{method}])\n\
         def answer(**params):\n    \
             # The body goes out as these bytes, with the Content-Type given: no JSON encoder runs\n    \
             # and no charset is added (werkzeug/wrappers/response.py, Response.__init__).\n    \
             response = Response(BODY.encode(), STATUS, HEADERS)\n\
         {no_type}    \
             return response\n\n\n\
         if __name__ == \"__main__\":\n    \
             app.run(host=\"127.0.0.1\", port={PYTHON_PORT})\n",
        constants = python_constants(answer),
        route = answer.route(Syntax::Flask, Language::Python),
        method = string(Language::Python, answer.method),
    )
}

pub fn fastapi(answer: &Answer) -> String {
    format!(
        "# FastAPI: one route that answers exactly the response authpath shows.\n\
         # Run: pip install fastapi uvicorn && PORT=8000 python app.py\n\
         import os\n\n\
         import uvicorn\n\
         from fastapi import FastAPI, Response\n\n\
         # No /docs or /openapi.json beside this route.\n\
         app = FastAPI(openapi_url=None)\n\n\
         {constants}\n\n\
         @app.api_route({route}, methods=[{method}])\n\
         def answer():\n    \
             # A Response is sent as it is: FastAPI does not serialise its body again, and with no\n    \
             # media_type Starlette adds no Content-Type of its own (starlette/responses.py).\n    \
             response = Response(BODY.encode(), STATUS)\n    \
             for name, value in HEADERS:\n        \
                 response.headers.append(name, value)\n    \
             return response\n\n\n\
         if __name__ == \"__main__\":\n    \
             uvicorn.run(app, host=\"127.0.0.1\", port={PYTHON_PORT})\n",
        constants = python_constants(answer),
        route = answer.route(Syntax::Braces, Language::Python),
        method = string(Language::Python, answer.method),
    )
}

pub fn drf(answer: &Answer) -> String {
    let mut headers = String::from("HEADERS = {\n");
    for (name, value) in answer.joined_headers() {
        headers.push_str(&format!(
            "    {}: {},\n",
            string(Language::Python, name),
            latin1_bytes(Language::Python, &value)
        ));
    }
    headers.push_str("}\n");
    if answer.joined_headers().is_empty() {
        headers = "HEADERS = {}\n".to_string();
    }
    let joined = if answer.joined_headers().len() < answer.headers.len() {
        "# Django keeps one value per header name: several challenges share one field,\n\
         # comma-separated (RFC 9110, section 11.6.1).\n"
    } else {
        ""
    };
    let no_type = if answer.has_content_type() {
        ""
    } else {
        "    # Django gives every response a Content-Type; this one has none.\n    \
         del response[\"Content-Type\"]\n"
    };
    format!(
        "# Django REST framework: one route that answers exactly the response authpath shows.\n\
         # Run: pip install django djangorestframework && PORT=8000 python app.py\n\
         import os\n\
         import sys\n\n\
         import django\n\
         from django.conf import settings\n\n\
         settings.configure(\n    \
             DEBUG=False,\n    \
             SECRET_KEY=\"only-for-this-example\",\n    \
             ALLOWED_HOSTS=[\"127.0.0.1\", \"localhost\"],\n    \
             ROOT_URLCONF=__name__,\n    \
             INSTALLED_APPS=[\"rest_framework\"],\n    \
             MIDDLEWARE=[],\n    \
             # No authentication or permission classes: the route answers every request alike.\n    \
             REST_FRAMEWORK={{\n        \
                 \"DEFAULT_AUTHENTICATION_CLASSES\": [],\n        \
                 \"DEFAULT_PERMISSION_CLASSES\": [],\n        \
                 \"UNAUTHENTICATED_USER\": None,\n    \
             }},\n\
         )\n\
         django.setup()\n\n\
         from django.core.management import execute_from_command_line  # noqa: E402\n\
         from django.http import HttpResponse  # noqa: E402\n\
         from django.urls import path  # noqa: E402\n\
         from rest_framework.decorators import api_view  # noqa: E402\n\n\
         STATUS = {status}\n\
         {note}{joined}{headers}\
         BODY = {body}\n\n\n\
         @api_view([{method}])\n\
         def answer(request, **params):\n    \
             # An HttpResponse passes through DRF unrendered: the body goes out as these bytes.\n    \
             response = HttpResponse(BODY.encode(), status=STATUS, headers=HEADERS)\n\
         {no_type}    \
             return response\n\n\n\
         # DRF sets Allow (this view's methods) and Vary on each response (rest_framework/views.py,\n\
         # finalize_response): this one sends its own headers only.\n\
         answer.cls.default_response_headers = {{}}\n\n\
         urlpatterns = [path({route}, answer)]\n\n\
         if __name__ == \"__main__\":\n    \
             port = os.environ.get(\"PORT\", \"8000\")\n    \
             execute_from_command_line([sys.argv[0], \"runserver\", f\"127.0.0.1:{{port}}\", \"--noreload\"])\n",
        status = answer.status,
        note = latin1_note(answer, "#"),
        body = string(Language::Python, answer.body),
        method = string(Language::Python, answer.method),
        route = answer.route(Syntax::Django, Language::Python),
    )
}

/// The Express methods with a routing method of their own (`app.get`, …).
const EXPRESS_METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

pub fn express(answer: &Answer) -> String {
    let mut headers = String::from("const HEADERS = [\n");
    for (name, value) in &answer.headers {
        headers.push_str(&format!(
            "  [{}, {}],\n",
            string(Language::JavaScript, name),
            latin1_bytes(Language::JavaScript, value)
        ));
    }
    headers.push_str("];\n");
    if answer.headers.is_empty() {
        headers = "const HEADERS = [];\n".to_string();
    }
    let route = answer.route(Syntax::Express, Language::JavaScript);
    let routing = if EXPRESS_METHODS.contains(&answer.method) {
        format!("app.{}({route}, ", answer.method.to_ascii_lowercase())
    } else {
        "// Express has no routing method for this one: the route answers every method.\n\
         app.all("
            .to_string()
            + &route
            + ", "
    };
    format!(
        "// Express: one route that answers exactly the response authpath shows.\n\
         // Run: npm install express && PORT=8000 node app.js\n\
         const express = require(\"express\");\n\n\
         const STATUS = {status};\n\
         {note}{headers}\
         const BODY = {body};\n\n\
         const app = express();\n\
         app.disable(\"x-powered-by\");\n\n\
         {routing}(req, res) => {{\n  \
             res.status(STATUS);\n  \
             // Node's own appendHeader and end: Express's res.set would add a charset to the\n  \
             // Content-Type, res.send a Content-Type and an ETag (express/lib/response.js).\n  \
             for (const [name, value] of HEADERS) res.appendHeader(name, value);\n  \
             res.end(BODY);\n\
         }});\n\n\
         app.listen(Number(process.env.PORT || 8000), \"127.0.0.1\");\n",
        status = answer.status,
        note = latin1_note(answer, "//"),
        body = string(Language::JavaScript, answer.body),
    )
}

pub fn go(answer: &Answer) -> String {
    let mut headers = String::from("var headers = [][2]string{\n");
    for (name, value) in &answer.headers {
        headers.push_str(&format!(
            "\t{{{}, {}}},\n",
            string(Language::Go, name),
            string(Language::Go, value)
        ));
    }
    headers.push_str("}\n");
    if answer.headers.is_empty() {
        headers = "var headers = [][2]string{}\n".to_string();
    }
    let no_type = if answer.has_content_type() {
        ""
    } else {
        "\t\t// No Content-Type: without this, Go would sniff one from the body.\n\
         \t\tw.Header()[\"Content-Type\"] = nil\n"
    };
    let pattern = format!("{} {}", answer.method, pattern(&answer.route, Syntax::Go));
    format!(
        "// Go net/http (Go 1.22 or later): one route that answers exactly the response authpath\n\
         // shows. Run: PORT=8000 go run app.go\n\
         package main\n\n\
         import (\n\
         \t\"log\"\n\
         \t\"net/http\"\n\
         \t\"os\"\n\
         )\n\n\
         const status = {status}\n\n\
         {headers}\n\
         const body = {body}\n\n\
         func main() {{\n\
         \thttp.HandleFunc({pattern}, func(w http.ResponseWriter, r *http.Request) {{\n\
         \t\tfor _, header := range headers {{\n\
         \t\t\tw.Header().Add(header[0], header[1])\n\
         \t\t}}\n\
         {no_type}\
         \t\tw.WriteHeader(status)\n\
         \t\tw.Write([]byte(body))\n\
         \t}})\n\
         \tport := os.Getenv(\"PORT\")\n\
         \tif port == \"\" {{\n\
         \t\tport = \"8000\"\n\
         \t}}\n\
         \tlog.Fatal(http.ListenAndServe(\"127.0.0.1:\"+port, nil))\n\
         }}\n",
        status = answer.status,
        body = string(Language::Go, answer.body),
        pattern = string(Language::Go, &pattern),
    )
}

/// The methods Spring's `RequestMethod` names.
const SPRING_METHODS: [&str; 8] = [
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
];

pub fn spring(answer: &Answer) -> String {
    let mut headers = String::from("    static final String[][] HEADERS = {\n");
    for (name, value) in &answer.headers {
        headers.push_str(&format!(
            "        {{{}, {}}},\n",
            string(Language::Java, name),
            latin1_bytes(Language::Java, value)
        ));
    }
    headers.push_str("    };\n");
    let mapping = if SPRING_METHODS.contains(&answer.method) {
        format!(
            "    @RequestMapping(path = {}, method = RequestMethod.{})\n",
            answer.route(Syntax::Braces, Language::Java),
            answer.method
        )
    } else {
        format!(
            "    // RequestMethod has no constant for this method: the route answers every method.\n    \
             @RequestMapping(path = {})\n",
            answer.route(Syntax::Braces, Language::Java)
        )
    };
    let (body, send) = if answer.body.is_empty() {
        // With no body no message converter runs, so none adds a Content-Type.
        (String::new(), "build()".to_string())
    } else {
        (
            format!(
                "    static final String BODY = {};\n",
                string(Language::Java, answer.body)
            ),
            "body(BODY.getBytes(StandardCharsets.UTF_8))".to_string(),
        )
    };
    format!(
        "///usr/bin/env jbang \"$0\" \"$@\" ; exit $?\n\
         //DEPS org.springframework.boot:spring-boot-starter-web:3.5.7\n\
         // Spring Boot: one route that answers exactly the response authpath shows.\n\
         // Run: PORT=8000 jbang App.java\n\
         import java.nio.charset.StandardCharsets;\n\
         import java.util.Map;\n\n\
         import org.springframework.boot.SpringApplication;\n\
         import org.springframework.boot.autoconfigure.SpringBootApplication;\n\
         import org.springframework.http.HttpHeaders;\n\
         import org.springframework.http.ResponseEntity;\n\
         import org.springframework.web.bind.annotation.RequestMapping;\n\
         import org.springframework.web.bind.annotation.RequestMethod;\n\
         import org.springframework.web.bind.annotation.RestController;\n\n\
         @SpringBootApplication\n\
         @RestController\n\
         public class App {{\n    \
             static final int STATUS = {status};\n\
         {note}{headers}{body}\n\
         {mapping}    \
             // A byte[] body is written as it is, with the Content-Type given: no converter\n    \
             // serialises it again or adds a charset.\n    \
             ResponseEntity<byte[]> answer() {{\n        \
                 HttpHeaders headers = new HttpHeaders();\n        \
                 for (String[] header : HEADERS) {{\n            \
                     headers.add(header[0], header[1]);\n        \
                 }}\n        \
                 return ResponseEntity.status(STATUS).headers(headers).{send};\n    \
             }}\n\n    \
             public static void main(String[] args) {{\n        \
                 SpringApplication app = new SpringApplication(App.class);\n        \
                 app.setDefaultProperties(Map.of(\n            \
                     \"server.address\", \"127.0.0.1\",\n            \
                     \"server.port\", System.getenv().getOrDefault(\"PORT\", \"8000\")));\n        \
                 app.run(args);\n    \
             }}\n\
         }}\n",
        status = answer.status,
        note = latin1_note(answer, "    //"),
    )
}

pub fn aspnetcore(answer: &Answer) -> String {
    let mut headers = String::from("(string Name, string Value)[] headers =\n[\n");
    for (name, value) in &answer.headers {
        headers.push_str(&format!(
            "    ({}, {}),\n",
            string(Language::CSharp, name),
            string(Language::CSharp, value)
        ));
    }
    headers.push_str("];\n");
    if answer.headers.is_empty() {
        headers = "(string Name, string Value)[] headers = [];\n".to_string();
    }
    let kestrel = if answer.ascii_headers() {
        "builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);\n"
    } else {
        "builder.WebHost.ConfigureKestrel(options =>\n\
         {\n    \
             options.AddServerHeader = false;\n    \
             // Kestrel refuses non-ASCII header values unless told how to encode them.\n    \
             options.ResponseHeaderEncodingSelector = _ => Encoding.UTF8;\n\
         });\n"
    };
    let (body, write) = if answer.body.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!(
                "const string Body = {};\n",
                string(Language::CSharp, answer.body)
            ),
            "    var bytes = Encoding.UTF8.GetBytes(Body);\n    \
             context.Response.ContentLength = bytes.Length;\n    \
             await context.Response.Body.WriteAsync(bytes);\n"
                .to_string(),
        )
    };
    format!(
        "#:sdk Microsoft.NET.Sdk.Web\n\
         // ASP.NET Core minimal API (.NET 10 or later): one route that answers exactly the\n\
         // response authpath shows. Run: PORT=8000 dotnet run app.cs\n\
         using System.Text;\n\n\
         const int Status = {status};\n\
         {headers}{body}\n\
         var builder = WebApplication.CreateBuilder(args);\n\
         {kestrel}\
         builder.WebHost.UseUrls($\"http://127.0.0.1:{{Environment.GetEnvironmentVariable(\"PORT\") ?? \"8000\"}}\");\n\
         var app = builder.Build();\n\n\
         // The body is written as bytes: no result type serialises it again or adds a charset.\n\
         app.MapMethods({route}, [{method}], async (HttpContext context) =>\n\
         {{\n    \
             context.Response.StatusCode = Status;\n    \
             foreach (var (name, value) in headers)\n    \
             {{\n        \
                 context.Response.Headers.Append(name, value);\n    \
             }}\n\
         {write}\
         }});\n\n\
         app.Run();\n",
        status = answer.status,
        route = answer.route(Syntax::AspNetCore, Language::CSharp),
        method = string(Language::CSharp, answer.method),
    )
}
