//! What the pipeline decided, grouped by what happened: the request did not parse, routing,
//! no credentials, credentials the server cannot use, credentials that failed a check, a
//! verified caller the route refuses, or allowed. A profile's table answers a group with one
//! arm and overrides only what differs; every case is enumerated from the types
//! ([`Case::all`]), so a new one cannot be left out of a table or a test.

use strum::{EnumDiscriminants, EnumIter, IntoEnumIterator};

/// What the pipeline decided: the facts a profile's answer is chosen by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumDiscriminants)]
#[strum_discriminants(derive(EnumIter))]
pub enum Case {
    /// The request text does not parse.
    Unparsable(Unparsable),
    /// No route for the request.
    Routing(Routing),
    /// No credentials the server reads, on a route that needs them.
    Missing(Missing),
    /// Credentials the server cannot use: a scheme it does not read, or a value it cannot
    /// parse, or two at once.
    Unusable(Unusable),
    /// Credentials read and refused by one of their checks.
    Invalid(Invalid),
    /// A session whose unsafe request lacks the CSRF token, or carries a wrong one.
    Csrf(Csrf),
    /// A verified caller whom the route's rule refuses.
    Denied(Denied),
    /// Everything passed: the handler answers.
    Allowed,
}

/// Why the parser refused the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter)]
pub enum Unparsable {
    /// Not HTTP/1.1 syntax (400).
    Syntax,
    /// Over a size limit (413 or 431, as the parser decided).
    TooLarge,
}

/// The request's path or method has no route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter)]
pub enum Routing {
    /// No route has this path.
    UnknownRoute,
    /// The path exists for other methods.
    WrongMethod,
}

/// Nothing the server reads was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter)]
pub enum Missing {
    /// No credentials, on a route that needs them.
    NoCredentials,
    /// No credentials, on a route that needs a role, a scope or ownership, under a profile that
    /// checks rights before credentials.
    RightsFirst,
}

/// Credentials the server cannot read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumDiscriminants)]
#[strum_discriminants(derive(EnumIter))]
pub enum Unusable {
    /// An `Authorization` scheme the server does not accept.
    UnsupportedScheme,
    /// `Authorization: Bearer` (or `Basic`, `Token`) with nothing after it: which kind.
    EmptyCredentials(Kind),
    /// Credentials that do not parse as their scheme's syntax: which kind.
    MalformedCredentials(Kind),
    /// Credentials sent two ways at once, or twice.
    SeveralCredentials,
}

/// Which kind of credential a reader took and could not use: a server's messages differ by
/// the class that read it (DRF's BasicAuthentication and TokenAuthentication each have theirs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter)]
pub enum Kind {
    /// A Bearer token.
    Token,
    /// Basic's `user:password`.
    Password,
    /// An API key (DRF's `Authorization: Token`).
    Key,
}

impl Unusable {
    /// Every unusable credential, read from the types.
    pub fn all() -> impl Iterator<Item = Unusable> {
        UnusableDiscriminants::iter().flat_map(|unusable| -> Vec<Unusable> {
            match unusable {
                UnusableDiscriminants::UnsupportedScheme => vec![Unusable::UnsupportedScheme],
                UnusableDiscriminants::EmptyCredentials => {
                    Kind::iter().map(Unusable::EmptyCredentials).collect()
                }
                UnusableDiscriminants::MalformedCredentials => {
                    Kind::iter().map(Unusable::MalformedCredentials).collect()
                }
                UnusableDiscriminants::SeveralCredentials => vec![Unusable::SeveralCredentials],
            }
        })
    }
}

/// Credentials that failed a check: which reader's verifier, which check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumDiscriminants)]
#[strum_discriminants(derive(EnumIter))]
pub enum Invalid {
    /// A Bearer token (a JWT).
    Token(TokenCheck),
    /// Basic credentials.
    Password(PasswordCheck),
    /// An API key (in a header, the query, a cookie, or DRF's `Authorization: Token`).
    ApiKey(KeyCheck),
    /// A session cookie.
    Session(SessionCheck),
}

/// The API key check that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter)]
pub enum KeyCheck {
    /// No key the server issued.
    Unknown,
}

/// The session check that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter)]
pub enum SessionCheck {
    /// No session the server holds.
    Unknown,
    /// A session the server holds, expired.
    Expired,
}

/// Why the CSRF check refused an unsafe request (double submit: the token in the cookie and
/// the same token in the header).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter)]
pub enum Csrf {
    /// No CSRF cookie.
    CookieMissing,
    /// The cookie, but no token in the header.
    TokenMissing,
    /// A token in the header that is not the cookie's.
    TokenWrong,
}

/// The token check that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter)]
pub enum TokenCheck {
    /// Not three base64url parts of JSON.
    Unreadable,
    /// An `alg` the server refuses (`none`, or one it did not configure).
    Algorithm,
    /// The signature does not verify.
    Signature,
    /// Past its `exp` (beyond the leeway).
    Expired,
    /// Before its `nbf` (beyond the leeway).
    NotYetValid,
    /// From another issuer.
    Issuer,
    /// For another audience.
    Audience,
    /// No `exp`, where the profile wants every token to expire.
    WithoutExpiry,
    /// A verified token whose `sub` names no user the server knows (only where the profile
    /// looks users up).
    UnknownUser,
}

/// The password check that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter)]
pub enum PasswordCheck {
    /// No colon, no such user, or a wrong password.
    Rejected,
    /// Not base64 of UTF-8 text.
    Undecodable,
}

/// Why the route's rule refuses a verified caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter)]
pub enum Denied {
    /// The caller lacks the route's role.
    MissingRole,
    /// The caller, who sent a token, lacks the route's scope.
    MissingScope,
    /// The caller, who sent something other than a token (a password, a key, a session), lacks
    /// the route's scope: only tokens carry scopes.
    MissingScopeWithPassword,
    /// The caller is neither the resource's owner nor an admin.
    NotOwner,
}

impl Case {
    /// Every case, each once, read from the types: a new variant anywhere is in this list
    /// without an edit (the match below is exhaustive over the groups).
    pub fn all() -> Vec<Case> {
        CaseDiscriminants::iter()
            .flat_map(|group| -> Vec<Case> {
                match group {
                    CaseDiscriminants::Unparsable => {
                        Unparsable::iter().map(Case::Unparsable).collect()
                    }
                    CaseDiscriminants::Routing => Routing::iter().map(Case::Routing).collect(),
                    CaseDiscriminants::Missing => Missing::iter().map(Case::Missing).collect(),
                    CaseDiscriminants::Unusable => Unusable::all().map(Case::Unusable).collect(),
                    CaseDiscriminants::Invalid => Invalid::all().map(Case::Invalid).collect(),
                    CaseDiscriminants::Csrf => Csrf::iter().map(Case::Csrf).collect(),
                    CaseDiscriminants::Denied => Denied::iter().map(Case::Denied).collect(),
                    CaseDiscriminants::Allowed => vec![Case::Allowed],
                }
            })
            .collect()
    }
}

impl Invalid {
    /// Every failed check of every verifier, read from the types as [`Case::all`] is.
    pub fn all() -> impl Iterator<Item = Invalid> {
        InvalidDiscriminants::iter().flat_map(|verifier| -> Vec<Invalid> {
            match verifier {
                InvalidDiscriminants::Token => TokenCheck::iter().map(Invalid::Token).collect(),
                InvalidDiscriminants::Password => {
                    PasswordCheck::iter().map(Invalid::Password).collect()
                }
                InvalidDiscriminants::ApiKey => KeyCheck::iter().map(Invalid::ApiKey).collect(),
                InvalidDiscriminants::Session => {
                    SessionCheck::iter().map(Invalid::Session).collect()
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_is_listed_once() {
        let all = Case::all();
        let unique: std::collections::HashSet<Case> = all.iter().copied().collect();
        assert_eq!(all.len(), unique.len());
        assert_eq!(all.len(), 36);
        // Each group is there.
        for group in CaseDiscriminants::iter() {
            assert!(
                all.iter()
                    .any(|case| CaseDiscriminants::from(case) == group),
                "{group:?}"
            );
        }
        assert!(all.contains(&Case::Invalid(Invalid::Password(
            PasswordCheck::Undecodable
        ))));
        assert!(all.contains(&Case::Invalid(Invalid::Token(TokenCheck::UnknownUser))));
    }
}
