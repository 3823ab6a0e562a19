//! The three reference servers: `rfc` (the correct answers), `conceal` (hides what a caller may
//! not see behind 404) and `naive` (the mistakes of many tutorials).

use super::Profile;
use super::{
    order, Answer, Body, Case, Challenge, Code, Denied, Invalid, Missing, Param, Routing,
    ServerProfile, Unusable, HANDLER, REALM,
};
use crate::http::Status;

/// A problem+json answer with these challenges.
const fn problem(status: Status, challenges: &'static [Challenge]) -> Answer {
    Answer {
        status: Code::Is(status),
        challenges,
        body: Body::Problem,
        conceals: false,
        allow: false,
        per_scheme: None,
    }
}

/// A plain-text answer without any challenge, as the naive server sends.
const fn text(status: Status) -> Answer {
    Answer {
        status: Code::Is(status),
        challenges: &[],
        body: Body::ReasonAndDetail,
        conceals: false,
        allow: false,
        per_scheme: None,
    }
}

/// RFC 6750 §3.1: a token that failed; the route's other schemes follow.
const CHALLENGE_INVALID_TOKEN: &[Challenge] = &[Challenge {
    scheme: "Bearer",
    params: &[
        Param::Realm,
        Param::Error("invalid_token"),
        Param::Description,
    ],
}];

/// RFC 9110 §15.5.2 and RFC 6750 §3: a problem body and a challenge for each scheme the route
/// accepts (Bearer and Basic for the demo's routes), no error code.
const fn asking(status: Status) -> Answer {
    Answer {
        per_scheme: REALM,
        ..problem(status, &[])
    }
}

/// A failed token: `invalid_token`, then the route's other schemes.
const INVALID_TOKEN: Answer = Answer {
    per_scheme: REALM,
    ..problem(Status::Unauthorized, CHALLENGE_INVALID_TOKEN)
};
/// RFC 6750 §3.1: a request the server cannot read.
const CHALLENGE_INVALID_REQUEST: &[Challenge] = &[Challenge {
    scheme: "Bearer",
    params: &[
        Param::Realm,
        Param::Error("invalid_request"),
        Param::Description,
    ],
}];
/// RFC 6750 §3.1: a token without the scope the route needs.
const CHALLENGE_INSUFFICIENT_SCOPE: &[Challenge] = &[Challenge {
    scheme: "Bearer",
    params: &[
        Param::Realm,
        Param::Error("insufficient_scope"),
        Param::Scope,
    ],
}];

/// The parser's own status (400, 413, 431) with a problem body.
const MALFORMED: Answer = Answer {
    status: Code::Decided,
    challenges: &[],
    body: Body::Problem,
    conceals: false,
    allow: false,
    per_scheme: None,
};

pub(super) static RFC: ServerProfile = ServerProfile {
    profile: Profile::Rfc,
    title: "as the RFCs say",
    models: "everything as RFC 9110, RFC 6750, RFC 7617 and RFC 9457 say: the correct answers",
    sources: &[
        "RFC 9110 §15.5, §11",
        "RFC 6750 §3",
        "RFC 7617 §2",
        "RFC 9457 §3",
    ],
    answers: rfc,
    ..ServerProfile::BASE
};

/// The 404 `conceal` answers for what exists but may not be seen (RFC 9110 §15.5.4).
const CONCEALED: Answer = Answer {
    status: Code::Is(Status::NotFound),
    challenges: &[],
    body: Body::ProblemSaying(NOT_FOUND),
    conceals: true,
    allow: false,
    per_scheme: None,
};

const NOT_FOUND: &str = "The requested resource was not found.";

pub(super) static CONCEAL: ServerProfile = ServerProfile {
    profile: Profile::Conceal,
    title: "hide what you may not see (404)",
    models: "forbidden and unknown resources answer the same 404; credentials are checked before routing",
    sources: &["RFC 9110 §15.5.4", "RFC 9110 §15.5.5"],
    steps: order::CREDENTIALS_FIRST,
    answers: conceal,
    ..ServerProfile::BASE
};

pub(super) static NAIVE: ServerProfile = ServerProfile {
    profile: Profile::Naive,
    title: "common tutorial mistakes",
    models: "the common tutorial mistakes: 401 without a challenge, 403 for a bad token, rights checked before the user, plain-text errors",
    steps: order::RIGHTS_FIRST,
    answers: naive,
    ..ServerProfile::BASE
};

/// The answers of `RFC`.
pub(super) fn rfc(case: Case) -> Answer {
    match case {
        Case::Unparsable(_) => MALFORMED,
        Case::Routing(Routing::UnknownRoute) => problem(Status::NotFound, &[]),
        Case::Routing(Routing::WrongMethod) => Answer {
            allow: true,
            ..problem(Status::MethodNotAllowed, &[])
        },
        Case::Missing(_)
        | Case::Unusable(Unusable::UnsupportedScheme)
        | Case::Invalid(Invalid::Password(_) | Invalid::ApiKey(_) | Invalid::Session(_)) => {
            asking(Status::Unauthorized)
        }
        Case::Unusable(
            Unusable::EmptyCredentials(_)
            | Unusable::MalformedCredentials(_)
            | Unusable::SeveralCredentials,
        ) => problem(Status::BadRequest, CHALLENGE_INVALID_REQUEST),
        Case::Invalid(Invalid::Token(_)) => INVALID_TOKEN,
        // A live session refused for its CSRF token: who it is is known, the request is not
        // allowed.
        Case::Csrf(_) => problem(Status::Forbidden, &[]),
        Case::Denied(Denied::MissingScope) => {
            problem(Status::Forbidden, CHALLENGE_INSUFFICIENT_SCOPE)
        }
        Case::Denied(Denied::MissingRole | Denied::MissingScopeWithPassword | Denied::NotOwner) => {
            problem(Status::Forbidden, &[])
        }
        Case::Allowed => HANDLER,
    }
}

/// The answers of `CONCEAL`.
pub(super) fn conceal(case: Case) -> Answer {
    match case {
        Case::Unparsable(_) => MALFORMED,
        Case::Routing(Routing::UnknownRoute) => Answer {
            status: Code::Is(Status::NotFound),
            challenges: &[],
            body: Body::ProblemSaying(NOT_FOUND),
            conceals: false,
            allow: false,
            per_scheme: None,
        },
        Case::Routing(Routing::WrongMethod) | Case::Missing(_) | Case::Denied(_) => CONCEALED,
        Case::Unusable(Unusable::UnsupportedScheme)
        | Case::Invalid(Invalid::Password(_) | Invalid::ApiKey(_) | Invalid::Session(_)) => {
            asking(Status::Unauthorized)
        }
        Case::Unusable(
            Unusable::EmptyCredentials(_)
            | Unusable::MalformedCredentials(_)
            | Unusable::SeveralCredentials,
        ) => problem(Status::BadRequest, CHALLENGE_INVALID_REQUEST),
        Case::Invalid(Invalid::Token(_)) => INVALID_TOKEN,
        // A CSRF refusal says nothing of the resource: no need to hide it.
        Case::Csrf(_) => problem(Status::Forbidden, &[]),
        Case::Allowed => HANDLER,
    }
}

/// The answers of `NAIVE`.
pub(super) fn naive(case: Case) -> Answer {
    match case {
        Case::Unparsable(_) => Answer {
            status: Code::Decided,
            ..text(Status::BadRequest)
        },
        Case::Routing(Routing::UnknownRoute) => text(Status::NotFound),
        Case::Routing(Routing::WrongMethod) => Answer {
            allow: true,
            ..text(Status::MethodNotAllowed)
        },
        Case::Missing(Missing::NoCredentials) | Case::Unusable(Unusable::UnsupportedScheme) => {
            text(Status::Unauthorized)
        }
        Case::Unusable(
            Unusable::EmptyCredentials(_)
            | Unusable::MalformedCredentials(_)
            | Unusable::SeveralCredentials,
        ) => text(Status::BadRequest),
        // "Not allowed" and "not authenticated" confused both ways (R2, R3).
        Case::Missing(Missing::RightsFirst)
        | Case::Invalid(_)
        | Case::Csrf(_)
        | Case::Denied(Denied::MissingRole | Denied::NotOwner) => text(Status::Forbidden),
        Case::Denied(Denied::MissingScope | Denied::MissingScopeWithPassword) => {
            text(Status::Unauthorized)
        }
        Case::Allowed => HANDLER,
    }
}
