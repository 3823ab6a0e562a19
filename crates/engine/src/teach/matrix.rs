//! The matrix: every kind of credentials against every route of a policy, each cell the
//! status the pipeline answers and the reason the deciding step gives. The cells are real
//! evaluations of real raw requests; nothing here decides anything itself.

use serde::Serialize;

use super::mock::{CredentialKind, MockRequest, Validity};
use crate::http::Status;
use crate::model::{Node, Profile, Scenario};
use crate::pipeline::evaluate;
use crate::policy::{fill_pattern, Route};

/// A column of the matrix: the credentials every request in it sends. It is named for the
/// column, not for credentials: how a request carries them is [`CredentialKind`] (every
/// column sends a Bearer JWT, or nothing), and what is wrong with them is [`Validity`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Column {
    /// No `Authorization` header at all.
    None,
    /// A Bearer value that is not a JWT.
    Malformed,
    /// A JWT signed with another key.
    InvalidSignature,
    /// A JWT that expired an hour ago.
    Expired,
    /// A valid JWT for a user with the role `user`, no scopes.
    ValidUser,
    /// A valid JWT for a user with the role `admin`, no scopes.
    ValidAdmin,
    /// A valid JWT for the same user, with every scope the policy names.
    ValidUserWithScope,
}

/// One row of the matrix: a route of the policy and the concrete path sent for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatrixRow {
    /// The route as the policy writes it.
    pub route: Route,
    /// The path the requests of this row use: every `{param}` filled with the user's name,
    /// so an owner rule sees its owner.
    pub path: String,
}

/// One cell: what the pipeline answered for one column's credentials on one route.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The row (index into [`Matrix::rows`]).
    pub row: usize,
    /// The column the cell is in.
    pub column: Column,
    /// The builder toggles that produced the request, so the page can open it in the simulator.
    pub request: MockRequest,
    pub status: Status,
    /// The node of the deciding step.
    pub node: Node,
    /// The deciding step's check, e.g. `"exp"`.
    pub check: String,
    /// The deciding step's detail, e.g. `"role user ≠ admin"`.
    pub reason: String,
}

/// Routes × credentials for one profile. Invariant: `cells.len() == rows.len() * 7`, row-major
/// in the order of [`Column::all`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Matrix {
    pub profile: Profile,
    pub rows: Vec<MatrixRow>,
    pub cells: Vec<Cell>,
}

impl Column {
    /// Every column, in display order: from no credentials to the most rights.
    pub fn all() -> [Column; 7] {
        [
            Column::None,
            Column::Malformed,
            Column::InvalidSignature,
            Column::Expired,
            Column::ValidUser,
            Column::ValidAdmin,
            Column::ValidUserWithScope,
        ]
    }

    /// The stable id, for test hooks and exports: `none`, `malformed`, `invalid-signature`,
    /// `expired`, `valid-user`, `valid-admin`, `valid-user-with-scope`.
    pub fn id(self) -> &'static str {
        match self {
            Column::None => "none",
            Column::Malformed => "malformed",
            Column::InvalidSignature => "invalid-signature",
            Column::Expired => "expired",
            Column::ValidUser => "valid-user",
            Column::ValidAdmin => "valid-admin",
            Column::ValidUserWithScope => "valid-user-with-scope",
        }
    }

    /// The column heading.
    pub fn title(self) -> &'static str {
        match self {
            Column::None => "no credentials",
            Column::Malformed => "malformed",
            Column::InvalidSignature => "invalid signature",
            Column::Expired => "expired",
            Column::ValidUser => "valid user",
            Column::ValidAdmin => "valid admin",
            Column::ValidUserWithScope => "valid user + scope",
        }
    }

    /// The builder toggles for this column on `method path` in `scenario`: a Bearer JWT
    /// for the scenario's first `user` (or first `admin`), with the scopes the policy names.
    pub fn request(self, method: &str, path: &str, scenario: &Scenario) -> MockRequest {
        let (user, _) = demo_subject(scenario, "user", "alice");
        let (admin, admin_role) = demo_subject(scenario, "admin", "carol");
        let base = MockRequest {
            method: method.to_string(),
            path: path.to_string(),
            token: true,
            kind: CredentialKind::Bearer,
            validity: Validity::Valid,
            subject: user,
            role: "user".to_string(),
            scopes: Vec::new(),
            csrf: Default::default(),
        };
        match self {
            Column::None => MockRequest {
                token: false,
                ..base
            },
            Column::Malformed => MockRequest {
                validity: Validity::Malformed,
                ..base
            },
            Column::InvalidSignature => MockRequest {
                validity: Validity::BadSignature,
                ..base
            },
            Column::Expired => MockRequest {
                validity: Validity::Expired,
                ..base
            },
            Column::ValidUser => base,
            Column::ValidAdmin => MockRequest {
                subject: admin,
                role: admin_role,
                ..base
            },
            Column::ValidUserWithScope => MockRequest {
                scopes: scenario.policy.scopes(),
                ..base
            },
        }
    }
}

/// Evaluates every column on every route of `scenario.policy` under `scenario.profile`.
pub fn build_matrix(scenario: &Scenario) -> Matrix {
    let (user, _) = demo_subject(scenario, "user", "alice");
    let rows: Vec<MatrixRow> = scenario
        .policy
        .routes
        .iter()
        .map(|route| MatrixRow {
            route: route.clone(),
            path: fill_pattern(&route.path, &user),
        })
        .collect();
    let mut cells = Vec::with_capacity(rows.len() * Column::all().len());
    for (index, row) in rows.iter().enumerate() {
        for column in Column::all() {
            let request = column.request(&row.route.method, &row.path, scenario);
            let evaluation = evaluate(&request.to_raw(scenario), scenario);
            let decided = evaluation.decided();
            cells.push(Cell {
                row: index,
                column,
                status: evaluation.response.status,
                node: decided.map_or(Node::Parse, |step| step.node),
                check: decided.map(|step| step.check.clone()).unwrap_or_default(),
                reason: decided.map(|step| step.detail.clone()).unwrap_or_default(),
                request,
            });
        }
    }
    Matrix {
        profile: scenario.profile,
        rows,
        cells,
    }
}

impl Matrix {
    /// The cell of row `row` and column `column`.
    pub fn cell(&self, row: usize, column: Column) -> Option<&Cell> {
        let position = Column::all()
            .iter()
            .position(|candidate| *candidate == column)?;
        self.cells
            .get(row * Column::all().len() + position)
            .filter(|cell| cell.row == row)
    }

    /// How many cells have each status, in code order; statuses that never occur are left out.
    pub fn counts(&self) -> Vec<(Status, usize)> {
        Status::all()
            .into_iter()
            .map(|status| {
                let count = self
                    .cells
                    .iter()
                    .filter(|cell| cell.status == status)
                    .count();
                (status, count)
            })
            .filter(|(_, count)| *count > 0)
            .collect()
    }

    /// Whether the cell at `index` answers differently in `other` (a matrix of the same policy
    /// under another profile). A cell `other` lacks counts as different.
    pub fn differs(&self, other: &Matrix, index: usize) -> bool {
        match (self.cells.get(index), other.cells.get(index)) {
            (Some(mine), Some(theirs)) => mine.status != theirs.status,
            _ => true,
        }
    }

    /// How many cells answer differently in `other`.
    pub fn differences(&self, other: &Matrix) -> usize {
        (0..self.cells.len().max(other.cells.len()))
            .filter(|index| self.differs(other, *index))
            .count()
    }

    /// The matrix as CSV (RFC 4180): a header row, then one row per route with its status codes.
    pub fn to_csv(&self) -> String {
        let mut header = vec![
            "method".to_string(),
            "path".to_string(),
            "access".to_string(),
        ];
        header.extend(
            Column::all()
                .iter()
                .map(|column| column.title().to_string()),
        );
        let mut lines = vec![header
            .iter()
            .map(|field| csv_field(field))
            .collect::<Vec<_>>()
            .join(",")];
        for (index, row) in self.rows.iter().enumerate() {
            let mut fields = vec![
                csv_field(&row.route.method),
                csv_field(&row.route.path),
                csv_field(&row.route.access.describe()),
            ];
            fields.extend(self.row_codes(index));
            lines.push(fields.join(","));
        }
        let mut text = lines.join("\r\n");
        text.push_str("\r\n");
        text
    }

    /// The matrix as a Markdown table, for API documentation.
    pub fn to_markdown(&self) -> String {
        let mut header = vec!["route".to_string(), "access".to_string()];
        header.extend(
            Column::all()
                .iter()
                .map(|column| column.title().to_string()),
        );
        let mut lines = vec![
            format!("| {} |", header.join(" | ")),
            format!("|{}", " --- |".repeat(header.len())),
        ];
        for (index, row) in self.rows.iter().enumerate() {
            let route = format!("`{} {}`", row.route.method, row.route.path);
            let mut fields = vec![
                markdown_field(&route),
                markdown_field(&row.route.access.describe()),
            ];
            fields.extend(self.row_codes(index));
            lines.push(format!("| {} |", fields.join(" | ")));
        }
        lines.push(String::new());
        lines.push(format!(
            "Statuses from authpath, profile `{}`.",
            self.profile.id()
        ));
        let mut text = lines.join("\n");
        text.push('\n');
        text
    }

    fn row_codes(&self, row: usize) -> impl Iterator<Item = String> + '_ {
        Column::all().into_iter().map(move |column| {
            self.cell(row, column)
                .map(|cell| cell.status.code().to_string())
                .unwrap_or_default()
        })
    }
}

/// The first user with `role` in the scenario's user table, with that role; `fallback` if none.
fn demo_subject(scenario: &Scenario, role: &str, fallback: &str) -> (String, String) {
    scenario
        .users
        .iter()
        .find(|user| user.role == role)
        .map_or_else(
            || (fallback.to_string(), role.to_string()),
            |user| (user.name.clone(), user.role.clone()),
        )
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn markdown_field(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}
