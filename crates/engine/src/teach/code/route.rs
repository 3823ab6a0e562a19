//! A route pattern in each framework's own syntax: `/users/{id}/notes` is Flask's
//! `/users/<id>/notes`, Django's `users/<str:id>/notes`, Express's `/users/:id/notes`.

/// One segment of a path pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Plain text, as sent.
    Literal(String),
    /// A `{name}` parameter; the name is a usable identifier in every language (a leading
    /// digit gets an underscore before it).
    Param(String),
}

/// The segments of `path` (the text after each `/`). A `{name}` segment whose name is letters,
/// digits and underscores is a parameter, anything else plain text.
pub fn segments(path: &str) -> Vec<Segment> {
    let path = path.strip_prefix('/').unwrap_or(path);
    path.split('/')
        .map(|segment| {
            let name = segment
                .strip_prefix('{')
                .and_then(|rest| rest.strip_suffix('}'))
                .filter(|name| {
                    !name.is_empty()
                        && name
                            .chars()
                            .all(|character| character.is_ascii_alphanumeric() || character == '_')
                });
            match name {
                Some(name) if name.starts_with(|first: char| first.is_ascii_digit()) => {
                    Segment::Param(format!("_{name}"))
                }
                Some(name) => Segment::Param(name.to_string()),
                None => Segment::Literal(segment.to_string()),
            }
        })
        .collect()
}

/// How a framework writes a parameter and escapes plain text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// Werkzeug: `/<id>`.
    Flask,
    /// Starlette, Spring, Go 1.22 `ServeMux`: `/{id}`.
    Braces,
    /// ASP.NET Core: `/{id}`, a literal brace doubled.
    AspNetCore,
    /// Django's `path()`: `<str:id>`, no leading slash.
    Django,
    /// Express 5 (path-to-regexp 8): `/:id`, its reserved characters escaped with `\`.
    Express,
    /// Go 1.22 `ServeMux`: `/{id}`, and `{$}` after a final slash so the pattern matches that
    /// path alone rather than the subtree under it.
    Go,
}

/// The pattern in `syntax`.
pub fn pattern(segments: &[Segment], syntax: Syntax) -> String {
    let parts: Vec<String> = segments
        .iter()
        .map(|segment| match segment {
            Segment::Param(name) => match syntax {
                Syntax::Flask => format!("<{name}>"),
                Syntax::Django => format!("<str:{name}>"),
                Syntax::Express => format!(":{name}"),
                Syntax::Braces | Syntax::AspNetCore | Syntax::Go => format!("{{{name}}}"),
            },
            Segment::Literal(text) => match syntax {
                Syntax::Express => text
                    .chars()
                    .flat_map(|character| {
                        let reserved = "{}()[]+?!:*\\".contains(character);
                        reserved.then_some('\\').into_iter().chain([character])
                    })
                    .collect(),
                Syntax::AspNetCore => text.replace('{', "{{").replace('}', "}}"),
                _ => text.clone(),
            },
        })
        .collect();
    let joined = parts.join("/");
    match syntax {
        Syntax::Django => joined,
        Syntax::Go if joined.is_empty() || joined.ends_with('/') => format!("/{joined}{{$}}"),
        _ => format!("/{joined}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_framework_writes_parameters_its_way() {
        let notes = segments("/users/{id}/notes");
        let cases = [
            (Syntax::Flask, "/users/<id>/notes"),
            (Syntax::Braces, "/users/{id}/notes"),
            (Syntax::AspNetCore, "/users/{id}/notes"),
            (Syntax::Django, "users/<str:id>/notes"),
            (Syntax::Express, "/users/:id/notes"),
            (Syntax::Go, "/users/{id}/notes"),
        ];
        for (syntax, expected) in cases {
            assert_eq!(pattern(&notes, syntax), expected, "{syntax:?}");
        }
    }

    #[test]
    fn the_root_a_final_slash_and_reserved_text() {
        let root = segments("/");
        assert_eq!(pattern(&root, Syntax::Flask), "/");
        assert_eq!(pattern(&root, Syntax::Django), "");
        assert_eq!(pattern(&root, Syntax::Go), "/{$}");
        assert_eq!(pattern(&segments("/a/"), Syntax::Go), "/a/{$}");
        assert_eq!(
            pattern(&segments("/v1/things:batch*"), Syntax::Express),
            "/v1/things\\:batch\\*"
        );
        assert_eq!(
            pattern(&segments("/{1}/{a-b}"), Syntax::AspNetCore),
            "/{_1}/{{a-b}}"
        );
    }
}
