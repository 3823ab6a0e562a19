//! The lint rules' ids: a leaf, so the profiles (whose fixes name rules) and the lint (which
//! checks them) both use it without importing each other.

use serde::{Deserialize, Serialize};

/// The lint rules R1–R22 of DESIGN.md. Each rule's text, RFC citation and check live in its own
/// file under `lint/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rule {
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
    R16,
    R17,
    R18,
    R19,
    R20,
    R21,
    R22,
}
