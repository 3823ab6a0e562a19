//! The three reference servers: `rfc` (the correct answers), `conceal` (hides what a caller may
//! not see behind 404) and `naive` (the mistakes of many tutorials).

use super::{
    Answer, Body, Case, Challenge, Code, Order, Param, Row, ServerProfile, BASIC, BEARER,
    TOKEN_FAILURES,
};
use crate::http::Status;
use crate::model::Profile;

/// A problem+json answer with these challenges.
const fn problem(status: Status, challenges: &'static [Challenge]) -> Answer {
    Answer {
        status: Code::Is(status),
        challenges,
        body: Body::Problem,
        conceals: false,
        allow: false,
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
    }
}

/// RFC 9110 §15.5.2 and RFC 6750 §3: both schemes offered, no error code.
const CHALLENGE_BOTH: &[Challenge] = &[BEARER, BASIC];
/// RFC 6750 §3.1: a token that failed.
const CHALLENGE_INVALID_TOKEN: &[Challenge] = &[
    Challenge {
        scheme: "Bearer",
        params: &[
            Param::Realm,
            Param::Error("invalid_token"),
            Param::Description,
        ],
    },
    BASIC,
];
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
};

const HANDLER: Answer = Answer {
    status: Code::Decided,
    challenges: &[],
    body: Body::Handler,
    conceals: false,
    allow: false,
};

/// The last guard of [`ServerProfile::answer`].
pub(super) static BAD_REQUEST: Answer = problem(Status::BadRequest, &[]);

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
    answers: &[
        Row {
            cases: &[Case::Malformed],
            answer: MALFORMED,
        },
        Row {
            cases: &[Case::UnknownRoute],
            answer: problem(Status::NotFound, &[]),
        },
        Row {
            cases: &[Case::WrongMethod],
            answer: Answer {
                allow: true,
                ..problem(Status::MethodNotAllowed, &[])
            },
        },
        Row {
            cases: &[
                Case::NoCredentials,
                Case::RightsWithoutCredentials,
                Case::UnsupportedScheme,
                Case::PasswordRejected,
                Case::PasswordUnreadable,
            ],
            answer: problem(Status::Unauthorized, CHALLENGE_BOTH),
        },
        Row {
            cases: &[
                Case::EmptyCredentials,
                Case::MalformedCredentials,
                Case::SeveralCredentials,
            ],
            answer: problem(Status::BadRequest, CHALLENGE_INVALID_REQUEST),
        },
        Row {
            cases: TOKEN_FAILURES,
            answer: problem(Status::Unauthorized, CHALLENGE_INVALID_TOKEN),
        },
        Row {
            cases: &[Case::MissingScope],
            answer: problem(Status::Forbidden, CHALLENGE_INSUFFICIENT_SCOPE),
        },
        Row {
            cases: &[
                Case::MissingRole,
                Case::MissingScopeWithPassword,
                Case::NotOwner,
            ],
            answer: problem(Status::Forbidden, &[]),
        },
        Row {
            cases: &[Case::Allowed],
            answer: HANDLER,
        },
    ],
    ..ServerProfile::BASE
};

/// The 404 `conceal` answers for what exists but may not be seen (RFC 9110 §15.5.4).
const CONCEALED: Answer = Answer {
    status: Code::Is(Status::NotFound),
    challenges: &[],
    body: Body::ProblemSaying(NOT_FOUND),
    conceals: true,
    allow: false,
};

const NOT_FOUND: &str = "The requested resource was not found.";

pub(super) static CONCEAL: ServerProfile = ServerProfile {
    profile: Profile::Conceal,
    title: "hide what you may not see (404)",
    models: "forbidden and unknown resources answer the same 404; credentials are checked before routing",
    sources: &["RFC 9110 §15.5.4", "RFC 9110 §15.5.5"],
    order: Order {
        credentials_first: true,
        rights_before_credentials: false,
        method_after_authorization: false,
        anonymous_refused_before_routing: false,
    },
    answers: &[
        Row {
            cases: &[Case::Malformed],
            answer: MALFORMED,
        },
        Row {
            cases: &[Case::UnknownRoute],
            answer: Answer {
                status: Code::Is(Status::NotFound),
                challenges: &[],
                body: Body::ProblemSaying(NOT_FOUND),
                conceals: false,
                allow: false,
            },
        },
        Row {
            cases: &[
                Case::WrongMethod,
                Case::NoCredentials,
                Case::RightsWithoutCredentials,
                Case::MissingRole,
                Case::MissingScope,
                Case::MissingScopeWithPassword,
                Case::NotOwner,
            ],
            answer: CONCEALED,
        },
        Row {
            cases: &[
                Case::UnsupportedScheme,
                Case::PasswordRejected,
                Case::PasswordUnreadable,
            ],
            answer: problem(Status::Unauthorized, CHALLENGE_BOTH),
        },
        Row {
            cases: &[
                Case::EmptyCredentials,
                Case::MalformedCredentials,
                Case::SeveralCredentials,
            ],
            answer: problem(Status::BadRequest, CHALLENGE_INVALID_REQUEST),
        },
        Row {
            cases: TOKEN_FAILURES,
            answer: problem(Status::Unauthorized, CHALLENGE_INVALID_TOKEN),
        },
        Row {
            cases: &[Case::Allowed],
            answer: HANDLER,
        },
    ],
    ..ServerProfile::BASE
};

pub(super) static NAIVE: ServerProfile = ServerProfile {
    profile: Profile::Naive,
    title: "common tutorial mistakes",
    models: "the common tutorial mistakes: 401 without a challenge, 403 for a bad token, rights checked before the user, plain-text errors",
    order: Order {
        credentials_first: false,
        rights_before_credentials: true,
        method_after_authorization: false,
        anonymous_refused_before_routing: false,
    },
    answers: &[
        Row {
            cases: &[Case::Malformed],
            answer: Answer {
                status: Code::Decided,
                ..text(Status::BadRequest)
            },
        },
        Row {
            cases: &[Case::UnknownRoute],
            answer: text(Status::NotFound),
        },
        Row {
            cases: &[Case::WrongMethod],
            answer: Answer {
                allow: true,
                ..text(Status::MethodNotAllowed)
            },
        },
        Row {
            cases: &[Case::NoCredentials, Case::UnsupportedScheme],
            answer: text(Status::Unauthorized),
        },
        Row {
            cases: &[
                Case::EmptyCredentials,
                Case::MalformedCredentials,
                Case::SeveralCredentials,
            ],
            answer: text(Status::BadRequest),
        },
        Row {
            // "Not allowed" and "not authenticated" confused both ways (R2, R3).
            cases: &[
                Case::RightsWithoutCredentials,
                Case::TokenUnreadable,
                Case::TokenAlgorithm,
                Case::TokenSignature,
                Case::TokenExpired,
                Case::TokenNotYetValid,
                Case::TokenIssuer,
                Case::TokenAudience,
                Case::TokenWithoutExpiry,
                Case::TokenUnknownUser,
                Case::PasswordRejected,
                Case::PasswordUnreadable,
                Case::MissingRole,
                Case::NotOwner,
            ],
            answer: text(Status::Forbidden),
        },
        Row {
            cases: &[Case::MissingScope, Case::MissingScopeWithPassword],
            answer: text(Status::Unauthorized),
        },
        Row {
            cases: &[Case::Allowed],
            answer: HANDLER,
        },
    ],
    ..ServerProfile::BASE
};
