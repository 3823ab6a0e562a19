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
                        Callback::from(move |event: MouseEvent| {
                            // A click that asks for another tab or window keeps the link's own
                            // meaning; a plain one applies the preset in place.
                            if event.ctrl_key() || event.meta_key() || event.shift_key() || event.button() != 0 {
                                return;
                            }
                            event.prevent_default();
                            onaction.emit(Action::ApplyPreset(id));
                        })
                    };
                    let pressed = props.active == Some(preset.id);
                    // A real link to the preset's prerendered page: it works before the app has
                    // taken the page over, and without JavaScript at all.
                    html! {
                        <li>
                            <a
                                href={format!("preset-{}.html", preset.id)}
                                class={classes!("preset", pressed.then_some("active"))}
                                data-testid={format!("preset-{}", preset.id)}
                                aria-current={pressed.then_some("true")}
                                title={preset.summary}
                                {onclick}
                            >
                                {preset.title}
                            </a>
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
