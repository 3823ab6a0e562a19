//! Explaining further what the engine answered: what would change the answer (the engine's
//! alternatives, each applied with one click), the run told in words, and the code that gives
//! the response in a web framework. The engine writes all three; this only draws them.

use std::rc::Rc;

use authpath_engine::teach::alternatives::{alternatives, Alternative};
use authpath_engine::teach::code::{snippet, Endpoint, Framework};
use authpath_engine::teach::narrate::narrate;
use authpath_engine::{Evaluation, Scenario};
use yew::prelude::*;

use crate::components::copy::use_copy;
use crate::components::status::status_class;
use crate::dom;
use crate::state::Action;

/// How many alternatives are shown before the disclosure holds the rest: enough for the
/// changes to the request, which come first; the other profiles' answers come last.
pub const SHOWN_ALTERNATIVES: usize = 4;

/// The words before an alternative's change: "to get 200 OK" for a success, "this would be 403
/// Forbidden instead" for any other status.
pub fn lead(alternative: &Alternative) -> String {
    let status = alternative.status;
    if (200..300).contains(&status.code()) {
        format!("to get {} {}", status.code(), status.reason())
    } else {
        format!(
            "this would be {} {} instead",
            status.code(),
            status.reason()
        )
    }
}

/// The alternatives shown at once and those behind the disclosure: the first
/// [`SHOWN_ALTERNATIVES`] that change the request (those that get a 2xx before the others),
/// then everything else (the changes past the first few, another profile's answer).
pub fn split(found: &[Alternative]) -> (Vec<&Alternative>, Vec<&Alternative>) {
    let success = |alternative: &&Alternative| (200..300).contains(&alternative.status.code());
    // The ways through first ("to get 200"), then the other changes of the request, then
    // another profile's answer; each group in the engine's order. (Partitions, not a sort:
    // the stable sort's code costs the first load a kilobyte.)
    let (through, other): (Vec<&Alternative>, Vec<&Alternative>) = found
        .iter()
        .filter(|alternative| alternative.profile.is_none())
        .partition(success);
    let request: Vec<&Alternative> = through.into_iter().chain(other).collect();
    let profile = found
        .iter()
        .filter(|alternative| alternative.profile.is_some());
    let at = request.len().min(SHOWN_ALTERNATIVES);
    let mut rest = request[at..].to_vec();
    rest.extend(profile);
    (request[..at].to_vec(), rest)
}

#[derive(Properties, PartialEq)]
pub struct AlternativesProps {
    /// The raw request on screen.
    pub raw: Rc<str>,
    pub scenario: Rc<Scenario>,
    pub onaction: Callback<Action>,
}

/// "What would change the answer": each of the engine's alternatives as a button that sets its
/// request (and profile).
#[component]
pub fn Alternatives(props: &AlternativesProps) -> Html {
    let found = use_memo(
        (props.raw.clone(), props.scenario.clone()),
        |(raw, scenario)| alternatives(raw, scenario),
    );
    let (shown, rest) = split(&found);
    let item = |alternative: &Alternative| {
        let onclick = {
            let onaction = props.onaction.clone();
            let request = alternative.request.clone();
            let profile = alternative.profile;
            Callback::from(move |_: MouseEvent| {
                onaction.emit(Action::ApplyAlternative(request.clone(), profile))
            })
        };
        let status = alternative.status;
        html! {
            <li data-testid="alternative" data-status={status.code().to_string()}>
                <button type="button" class={classes!("alternative", status_class(status))} {onclick}>
                    <span class="alternative-lead">{lead(alternative)}</span>
                    {": "}
                    <span class="alternative-change">{alternative.change.clone()}</span>
                </button>
            </li>
        }
    };
    html! {
        <section class="alternatives" data-testid="alternatives" aria-labelledby="alternatives-heading">
            <h3 id="alternatives-heading">{"What would change the answer"}</h3>
            if found.is_empty() {
                <p class="muted">{"Nothing small: no change the engine tried gives another status."}</p>
            } else {
                <ul>{ for shown.into_iter().map(item) }</ul>
                if !rest.is_empty() {
                    <details class="alternatives-more">
                        <summary>{format!("{} more (other profiles and changes)", rest.len())}</summary>
                        <ul>{ for rest.into_iter().map(item) }</ul>
                    </details>
                }
            }
        </section>
    }
}

/// The run in words, under the decision path: plain text, so a screen reader reads it.
pub fn view_narration(evaluation: &Evaluation) -> Html {
    html! {
        <div class="narration-box">
            <h3 id="narration-heading">{"In words"}</h3>
            <p class="narration" data-testid="narration" aria-labelledby="narration-heading">{narrate(evaluation)}</p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CodePanelProps {
    pub evaluation: Rc<Evaluation>,
    pub scenario: Rc<Scenario>,
}

/// The code that gives this response: a one-file app in the chosen framework, written by the
/// engine from the response on screen, with a copy button.
#[component]
pub fn CodePanel(props: &CodePanelProps) -> Html {
    let framework = use_state_eq(|| Framework::Flask);
    let code = use_memo(
        (*framework, props.evaluation.clone(), props.scenario.clone()),
        |(framework, evaluation, scenario)| {
            Endpoint::of(evaluation, &scenario.policy)
                .map(|endpoint| snippet(*framework, &endpoint, &evaluation.response))
        },
    );
    let copy = use_copy((*framework, props.evaluation.clone()));
    let onchange = {
        let framework = framework.clone();
        Callback::from(move |event: Event| {
            if let Some(chosen) = Framework::from_id(&dom::select_value(&event)) {
                framework.set(chosen);
            }
        })
    };
    let oncopy = copy.onclick("code", (*code).clone());
    html! {
        <section class="code-panel" aria-labelledby="code-heading">
            <h3 id="code-heading">{"Code that gives this response"}</h3>
            <div class="toolbar">
                <label class="code-language">
                    <span>{"Framework"}</span>
                    <select {onchange} data-testid="code-language">
                        { for Framework::ALL.into_iter().map(|each| html! {
                            <option value={each.id()} selected={each == *framework}>{each.title()}</option>
                        }) }
                    </select>
                </label>
                <button type="button" onclick={oncopy} disabled={code.is_none()} data-testid="copy-code">
                    { copy.label("code", "Copy code", "✓ Copied") }
                </button>
            </div>
            { match &*code {
                Some(code) => html! {
                    <>
                        <p class="muted code-run">
                            {format!("Save as {} and start it with ", framework.file_name())}
                            <code>{format!("PORT=8000 {}", framework.run())}</code>
                            {"; it answers this route with exactly this response."}
                        </p>
                        <pre class="code code-snippet" data-testid="code-snippet" data-language={framework.id()}
                            tabindex="0" aria-label={format!("{} app", framework.title())}>{code.clone()}</pre>
                    </>
                },
                None => html! {
                    <p class="muted" data-testid="code-snippet">{"The request does not parse, so there is no route to answer at."}</p>
                },
            } }
        </section>
    }
}
