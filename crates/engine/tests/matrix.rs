//! The matrix: each cell is what `evaluate` answers for its column's credentials on its route,
//! under the matrix's profile; counts, differences and the CSV / Markdown exports follow the
//! cells.

use authpath_engine::teach::matrix::{build_matrix, Column, Matrix};
use authpath_engine::{evaluate, Policy, Profile, Scenario, Status};

fn matrix(profile: Profile) -> Matrix {
    let scenario = Scenario {
        profile,
        ..Scenario::default()
    };
    build_matrix(&scenario)
}

/// The cell of the default policy's route `method path` for `column` answers `status`.
fn check(profile: Profile, route: &str, column: Column, status: u16) {
    let matrix = matrix(profile);
    let row = matrix
        .rows
        .iter()
        .position(|row| format!("{} {}", row.route.method, row.route.path) == route)
        .unwrap_or_else(|| panic!("no row {route}"));
    let cell = matrix
        .cell(row, column)
        .unwrap_or_else(|| panic!("no cell {route} × {}", column.id()));
    assert_eq!(
        cell.status.code(),
        status,
        "{} {route} × {}: {}",
        profile.id(),
        column.id(),
        cell.reason
    );
}

#[test]
fn cells_follow_the_rules() {
    use Column::*;
    let rfc = Profile::Rfc;
    let naive = Profile::Naive;
    let conceal = Profile::Conceal;
    // R3: no credentials → 401, never 403.
    check(rfc, "GET /profile", None, 401);
    check(rfc, "GET /admin", None, 401);
    // RFC 6750 §3.1 invalid_token: malformed, wrongly signed and expired tokens → 401.
    check(rfc, "GET /profile", Malformed, 401);
    check(rfc, "GET /admin", InvalidSignature, 401);
    check(rfc, "GET /reports", Expired, 401);
    // R2: valid credentials, too few rights → 403, never 401.
    check(rfc, "GET /admin", ValidUser, 403);
    check(rfc, "DELETE /users/{id}", ValidUser, 403);
    check(rfc, "GET /reports", ValidAdmin, 403);
    // Allowed: 200, and 204 for DELETE.
    check(rfc, "GET /admin", ValidAdmin, 200);
    check(rfc, "DELETE /users/{id}", ValidAdmin, 204);
    check(rfc, "GET /reports", ValidUserWithScope, 200);
    // The owner rule: the row's {id} is the user's own name.
    check(rfc, "GET /users/{id}/notes", ValidUser, 200);
    // A public route needs nothing.
    check(rfc, "GET /public", None, 200);
    check(rfc, "GET /public", Expired, 200);
    // naive: a bad token gets 403 (the mistake the lint flags as R5).
    check(naive, "GET /profile", Expired, 403);
    check(naive, "GET /profile", None, 401);
    // conceal (R10): forbidden answers 404; credentials are checked before routing.
    check(conceal, "GET /admin", ValidUser, 404);
    check(conceal, "GET /public", Malformed, 401);
}

#[test]
fn every_cell_is_the_evaluation_of_its_own_request() {
    for profile in Profile::all() {
        let scenario = Scenario {
            profile,
            ..Scenario::default()
        };
        let matrix = build_matrix(&scenario);
        assert_eq!(matrix.cells.len(), matrix.rows.len() * Column::all().len());
        for cell in &matrix.cells {
            let evaluation = evaluate(&cell.request.to_raw(&scenario), &scenario);
            let decided = evaluation.decided().expect("a trace is never empty");
            assert_eq!(cell.status, evaluation.response.status);
            assert_eq!(cell.node, decided.node);
            assert_eq!(cell.reason, decided.detail);
            let row = matrix.rows.get(cell.row).expect("the cell's row");
            assert_eq!(cell.request.method, row.route.method);
            assert_eq!(cell.request.path, row.path);
        }
    }
}

#[test]
fn counts_add_up_to_every_cell() {
    let matrix = matrix(Profile::Rfc);
    let counts = matrix.counts();
    let total: usize = counts.iter().map(|(_, count)| count).sum();
    assert_eq!(total, matrix.cells.len());
    assert!(counts.iter().all(|(_, count)| *count > 0));
    let unauthorized = counts
        .iter()
        .find(|(status, _)| *status == Status::Unauthorized)
        .map(|(_, count)| *count);
    // Six protected routes that take a Bearer token × four kinds of missing or bad
    // credentials, and every column of GET /metrics, which takes an API key only (7).
    assert_eq!(unauthorized, Some(31));
}

#[test]
fn differences_between_profiles_are_the_cells_that_change() {
    let rfc = matrix(Profile::Rfc);
    let naive = matrix(Profile::Naive);
    assert_eq!(rfc.differences(&rfc), 0);
    // naive answers 403 instead of 401 for the 3 bad tokens on the 6 protected routes that
    // take a token (18), 403 instead of 401 without credentials on the 5 routes that need
    // rights (5), and 401 instead of 403 where a valid user or admin lacks the reports scope
    // (2). On GET /metrics, which reads no token, both answer 401.
    assert_eq!(rfc.differences(&naive), 25);
    for (index, cell) in rfc.cells.iter().enumerate() {
        let other = naive.cells.get(index).expect("same shape");
        assert_eq!(rfc.differs(&naive, index), cell.status != other.status);
    }
}

#[test]
fn an_empty_policy_gives_an_empty_matrix() {
    let scenario = Scenario {
        policy: Policy {
            schemes: Default::default(),
            routes: Vec::new(),
        },
        ..Scenario::default()
    };
    let matrix = build_matrix(&scenario);
    assert!(matrix.cells.is_empty());
    assert!(matrix.counts().is_empty());
    assert_eq!(matrix.to_csv().lines().count(), 1);
}

#[test]
fn csv_has_a_header_and_one_line_of_codes_per_route() {
    let matrix = matrix(Profile::Rfc);
    let csv = matrix.to_csv();
    let lines: Vec<&str> = csv.split("\r\n").filter(|line| !line.is_empty()).collect();
    assert_eq!(
        lines.first().copied(),
        Some("method,path,access,no credentials,malformed,invalid signature,expired,valid user,valid admin,valid user + scope")
    );
    assert_eq!(lines.len(), matrix.rows.len() + 1);
    assert!(lines.contains(&"GET,/admin,role admin,401,401,401,401,403,200,403"));
    assert!(lines.contains(&"DELETE,/users/{id},role admin,401,401,401,401,403,204,403"));
}

#[test]
fn csv_quotes_fields_with_commas_and_quotes() {
    let scenario = Scenario {
        policy: Policy::from_json(
            r#"{"routes":[{"method":"GET","path":"/a,\"b\"","access":"public"}]}"#,
        )
        .expect("a valid policy"),
        ..Scenario::default()
    };
    let csv = build_matrix(&scenario).to_csv();
    assert!(csv.contains("GET,\"/a,\"\"b\"\"\",public,200"), "{csv}");
}

#[test]
fn markdown_is_a_table_with_an_escaped_pipe() {
    let scenario = Scenario {
        policy: Policy::from_json(
            r#"{"routes":[{"method":"GET","path":"/a|b","access":"authenticated"}]}"#,
        )
        .expect("a valid policy"),
        ..Scenario::default()
    };
    let markdown = build_matrix(&scenario).to_markdown();
    let lines: Vec<&str> = markdown.lines().collect();
    assert_eq!(
        lines.get(1).copied(),
        Some("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    );
    assert_eq!(
        lines.get(2).copied(),
        Some("| `GET /a\\|b` | any authenticated user | 401 | 401 | 401 | 401 | 200 | 200 | 200 |")
    );
    assert!(markdown.contains("profile `rfc`"));
}
