//! First / back / next / play over the trace. Arrow keys step while the control has focus.

use yew::prelude::*;

use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct StepperProps {
    /// The index of the step shown.
    pub step: usize,
    /// How many steps the trace has.
    pub len: usize,
    pub playing: bool,
    pub onaction: Callback<Action>,
}

#[component]
pub fn Stepper(props: &StepperProps) -> Html {
    let StepperProps {
        step,
        len,
        playing,
        onaction,
    } = props;
    let (step, len, playing) = (*step, *len, *playing);
    let last = len.saturating_sub(1);
    let show = |target: usize| {
        let onaction = onaction.clone();
        Callback::from(move |_: MouseEvent| onaction.emit(Action::ShowStep(Some(target))))
    };
    let onplay = {
        let onaction = onaction.clone();
        Callback::from(move |_: MouseEvent| onaction.emit(Action::SetPlaying(!playing)))
    };
    let onkeydown = {
        let onaction = onaction.clone();
        Callback::from(move |event: KeyboardEvent| {
            let target = match event.key().as_str() {
                "ArrowLeft" | "ArrowUp" => step.saturating_sub(1),
                "ArrowRight" | "ArrowDown" => (step + 1).min(last),
                "Home" => 0,
                "End" => last,
                _ => return,
            };
            event.prevent_default();
            onaction.emit(Action::ShowStep(Some(target)));
        })
    };
    html! {
        <div class="stepper" role="toolbar" aria-label="Step through the path" {onkeydown}>
            <button type="button" data-testid="step-first" onclick={show(0)} disabled={step == 0}
                aria-label="First step" title="First step (Home)">{"⇤"}</button>
            <button type="button" data-testid="step-prev" onclick={show(step.saturating_sub(1))} disabled={step == 0}
                aria-label="Previous step" title="Previous step (←)">{"← Back"}</button>
            <button type="button" data-testid="step-play" onclick={onplay} aria-pressed={playing.to_string()}
                aria-label={if playing { "Pause" } else { "Play the path" }}>{ if playing { "❚❚ Pause" } else { "▶ Play" } }</button>
            <button type="button" data-testid="step-next" onclick={show((step + 1).min(last))} disabled={step >= last}
                aria-label="Next step" title="Next step (→)">{"Next →"}</button>
            <span class="step-count" data-testid="step-count" aria-live="polite">
                {format!("step {} of {}", step + 1, len)}
            </span>
        </div>
    }
}
