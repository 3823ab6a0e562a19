//! The Policy view's OpenAPI import: open a spec file or paste its text; the engine reads it
//! and maps it onto a policy (`openapi::import`, through [`state::import_spec`]), which goes in
//! force, and every problem it names is listed with its JSON pointer, line and column. The
//! text stays in the page's state, never in a link; the mapped policy travels as any policy.

use authpath_engine::openapi::Problem;
use yew::prelude::*;

use crate::dom;
use crate::state::{self, SpecImport, SpecInput};

#[derive(Properties, PartialEq)]
pub struct SpecImportProps {
    pub spec: SpecInput,
    /// Whether the policy in force fits a link (`state::fits_a_link`).
    pub fits_a_link: bool,
    pub onaction: Callback<state::Action>,
}

#[component]
pub fn SpecImportPanel(props: &SpecImportProps) -> Html {
    let spec = &props.spec;
    let ontext = props
        .onaction
        .reform(|event: InputEvent| state::Action::SetSpecText(dom::textarea_value(&event)));
    let onimport = {
        let onaction = props.onaction.clone();
        let text = spec.text.clone();
        Callback::from(move |_: MouseEvent| {
            onaction.emit(state::Action::ImportSpec {
                text: text.to_string(),
                file: None,
            })
        })
    };
    let open = |onaction: Callback<state::Action>| {
        move |name: String, text: String| {
            onaction.emit(state::Action::ImportSpec {
                text,
                file: Some(name),
            })
        }
    };
    let onchoose = {
        let onaction = props.onaction.clone();
        Callback::from(move |event: Event| dom::read_chosen_file(&event, open(onaction.clone())))
    };
    let ondrop = {
        let onaction = props.onaction.clone();
        Callback::from(move |event: DragEvent| {
            dom::read_dropped_file(&event, open(onaction.clone()))
        })
    };
    let ondragover = Callback::from(|event: DragEvent| dom::allow_drop(&event));

    html! {
        <section class="column openapi-import" aria-labelledby="openapi-heading" data-testid="openapi">
            <h2 id="openapi-heading">{"OpenAPI: your API as it describes itself"}</h2>
            <div class="openapi-panes">
                <div class="openapi-open">
                    <p class="muted">{"Open or paste an OpenAPI 3.0 or 3.1 spec (FastAPI's /openapi.json, drf-spectacular, springdoc…): its security schemes and operations become the policy below, which the request builder's routes, the Matrix and Compare use. It is read in this page; the spec never goes into a link, the policy it maps onto does, when it is small enough."}</p>
                    <p class="openapi-yaml" data-testid="openapi-yaml">
                        {"JSON only here. For a YAML spec, convert it ("}<code>{"yq -o=json api.yaml > api.json"}</code>{") or use the command line, which reads both: "}<code>{"authpath eval --openapi api.yaml"}</code>{"."}
                    </p>
                    <div class="check-file" ondrop={ondrop} ondragover={ondragover} data-testid="openapi-drop">
                        <label class="field">
                            <span>{"Open a spec file (or drop it here)"}</span>
                            <input type="file" accept=".json,application/json,.yaml,.yml" onchange={onchoose} data-testid="openapi-file" />
                        </label>
                    </div>
                    { view_outcome(spec, props.fits_a_link) }
                </div>
                <div class="openapi-paste">
                    <label class="field">
                        <span>{"Or paste it"}</span>
                        <textarea id="openapi-text" class="code" rows="8" spellcheck="false" data-testid="openapi-text"
                            value={AttrValue::from(spec.text.clone())} oninput={ontext}
                            placeholder={"{\"openapi\": \"3.1.0\", \"paths\": {…}}"} />
                    </label>
                    <button type="button" onclick={onimport} disabled={spec.text.trim().is_empty()} data-testid="openapi-import">
                        {"Import the pasted spec"}
                    </button>
                </div>
            </div>
        </section>
    }
}

/// What the last import gave: in force or not, with the counts, and every problem.
fn view_outcome(spec: &SpecInput, fits_a_link: bool) -> Html {
    let Some(imported) = spec.imported.as_deref() else {
        return Html::default();
    };
    let from = spec
        .file
        .as_ref()
        .map(|name| format!("{name}: "))
        .unwrap_or_default();
    html! {
        <div class="openapi-outcome" data-testid="openapi-outcome">
            <p class={classes!("openapi-state", (!imported.in_force).then_some("stale"))}
                data-testid="openapi-state" data-in-force={imported.in_force.to_string()} aria-live="polite">
                { format!("{from}{}", summary(imported)) }
            </p>
            if imported.in_force && !fits_a_link {
                <p class="openapi-link" data-testid="openapi-link">{state::TOO_LARGE_FOR_A_LINK}</p>
            }
            { view_problems(&imported.problems) }
        </div>
    }
}

/// One sentence on the import: what went in force, or why nothing did.
fn summary(imported: &SpecImport) -> String {
    let problems = match imported.problems.len() {
        0 => "nothing left out".to_string(),
        1 => "1 problem below".to_string(),
        count => format!("{count} problems below"),
    };
    if imported.in_force {
        return format!(
            "✓ In force: {} operations → {} routes, {} schemes; {problems}.",
            imported.operations, imported.routes, imported.schemes
        );
    }
    if imported.operations == 0 && imported.routes == 0 && imported.schemes == 0 {
        return format!("Not imported: the text is not a spec that reads ({problems}); the policy in force is unchanged.");
    }
    format!(
        "Not imported: {} operations gave no usable policy ({problems}); the policy in force is unchanged.",
        imported.operations
    )
}

/// The problems, as the engine names them: line, column, JSON pointer and message.
fn view_problems(problems: &[Problem]) -> Html {
    if problems.is_empty() {
        return Html::default();
    }
    html! {
        <ul class="openapi-problems" data-testid="openapi-problems" data-count={problems.len().to_string()}>
            { for problems.iter().map(|problem| html! {
                <li data-testid="openapi-problem" data-line={problem.line.to_string()}
                    data-column={problem.column.to_string()} data-pointer={problem.pointer.clone()}>
                    <span class="openapi-place">{format!("line {}, column {}", problem.line, problem.column)}</span>
                    if !problem.pointer.is_empty() {
                        {" "}<code>{problem.pointer.clone()}</code>
                    }
                    {": "}{problem.message.clone()}
                </li>
            }) }
        </ul>
    }
}
