//! The preset bar: DESIGN.md's eight scenarios and the four of API keys and sessions ("Why
//! 403 on my POST?" first of them), then the attacks a server must refuse, one click each; an
//! attack of the catalogue, once chosen, cites why it fails.

use authpath_engine::teach::mock::{attack_presets, preset, presets};
use yew::prelude::*;

use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct PresetBarProps {
    /// The preset the current request equals, if any.
    pub active: Option<&'static str>,
    pub onaction: Callback<Action>,
}

#[component]
pub fn PresetBar(props: &PresetBarProps) -> Html {
    // An attack of the catalogue names the RFC 8725 section or CVE that says why it fails.
    let cited = props
        .active
        .and_then(preset)
        .and_then(|found| found.attack.map(|attack| (found.summary, attack)));
    html! {
        <>
        <nav class="presets" aria-label="Presets">
            <span class="presets-label">{"Try:"}</span>
            <ul>
                { for presets().into_iter().chain(attack_presets()).map(|preset| {
                    let onclick = {
                        let onaction = props.onaction.clone();
                        let id = preset.id;
                        Callback::from(move |_: MouseEvent| onaction.emit(Action::ApplyPreset(id)))
                    };
                    let pressed = props.active == Some(preset.id);
                    html! {
                        <li>
                            <button
                                type="button"
                                class={classes!("preset", pressed.then_some("active"))}
                                data-testid={format!("preset-{}", preset.id)}
                                aria-pressed={pressed.to_string()}
                                title={preset.summary}
                                {onclick}
                            >
                                {preset.title}
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </nav>
        if let Some((summary, attack)) = cited {
            <p class="preset-source" data-testid="preset-source">
                <span>{summary}</span>{" — "}
                <a href={attack.source_url()} target="_blank" rel="noopener noreferrer">{attack.source()}</a>
            </p>
        }
        </>
    }
}
