//! The preset bar: DESIGN.md's eight scenarios and the four of API keys and sessions ("Why
//! 403 on my POST?" first of them), then the attacks a server must refuse, one click each.

use authpath_engine::teach::mock::{attack_presets, presets};
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
    html! {
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
    }
}
