//! The node graph the page draws, made from the same declared steps the driver runs.

use crate::http::Status;
use crate::model::{Exit, GraphNode, Profile};
use crate::profile::{Case, Code, ServerProfile, To, Unparsable};

/// The node graph of a profile: its steps in order, each exit labelled with the statuses its
/// table answers when the request ends there, or the node it leads to.
pub fn graph(profile: Profile) -> Vec<GraphNode> {
    let spec = profile.spec();
    let order = spec.steps;
    order
        .iter()
        .enumerate()
        .map(|(index, step)| GraphNode {
            node: step.node(),
            title: step.node().title().to_string(),
            exits: step
                .exits(spec)
                .into_iter()
                .map(|exit| {
                    let target = match exit.to {
                        To::Next => order.get(index + 1),
                        To::After(node) => order
                            .iter()
                            .position(|step| step.node() == node)
                            .and_then(|at| order.get(at + 1)),
                        To::Node(node) => order.iter().find(|step| step.node() == node),
                        To::End(_) => None,
                    };
                    let To::End(ends) = exit.to else {
                        return Exit {
                            id: exit.id.to_string(),
                            label: exit.label.to_string(),
                            to: target.map(|step| step.node()),
                            status: Vec::new(),
                        };
                    };
                    let cases: Vec<Case> =
                        Case::all().into_iter().filter(|case| ends(*case)).collect();
                    let concealed = cases.iter().any(|case| spec.answer(*case).conceals);
                    Exit {
                        id: exit.id.to_string(),
                        label: if concealed {
                            format!("{} (concealed)", exit.label)
                        } else {
                            exit.label.to_string()
                        },
                        to: None,
                        status: statuses(spec, &cases),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The statuses a table answers these cases with, each once, in the order first met; where
/// the pipeline decides the status, the ones it can decide.
fn statuses(spec: &ServerProfile, cases: &[Case]) -> Vec<Status> {
    let mut found = Vec::new();
    for case in cases {
        let answered = match (spec.answer(*case).status, case) {
            (Code::Is(status), _) => vec![status],
            (Code::Decided, Case::Unparsable(Unparsable::Syntax)) => vec![Status::BadRequest],
            (Code::Decided, Case::Unparsable(Unparsable::TooLarge)) => {
                vec![Status::ContentTooLarge, Status::HeaderFieldsTooLarge]
            }
            (Code::Decided, _) => vec![Status::Ok, Status::NoContent],
        };
        for status in answered {
            if !found.contains(&status) {
                found.push(status);
            }
        }
    }
    found
}
