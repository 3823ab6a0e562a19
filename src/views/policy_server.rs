//! The server's settings beside the policy: the realm every challenge names and the clock
//! tokens are checked against.

use yew::prelude::*;

use crate::dom;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ServerSettingsProps {
    pub realm: String,
    /// The clock, in Unix seconds.
    pub now: u64,
    pub onaction: Callback<Action>,
}

#[component]
pub fn ServerSettings(props: &ServerSettingsProps) -> Html {
    // The clock field as typed is not a number: the last valid clock stays, and says so.
    let clock_error = use_state(|| false);
    let onrealm = props
        .onaction
        .reform(|event: InputEvent| Action::SetRealm(dom::input_value(&event)));
    let onclock = {
        let onaction = props.onaction.clone();
        let clock_error = clock_error.clone();
        Callback::from(move |event: InputEvent| {
            match dom::input_value(&event).trim().parse::<u64>() {
                Ok(now) => {
                    clock_error.set(false);
                    onaction.emit(Action::SetClock(now));
                }
                Err(_) => clock_error.set(true),
            }
        })
    };
    let (date, time) = utc_date(props.now);
    html! {
        <section class="column" aria-labelledby="server-heading">
            <h2 id="server-heading">{"Server"}</h2>
            <div class="server-fields">
                <label class="field grow">
                    <span>{"Realm"}</span>
                    <input type="text" value={props.realm.clone()} oninput={onrealm} data-testid="policy-realm" spellcheck="false" />
                    <small class="muted">{"Named in every challenge: WWW-Authenticate: Bearer realm=\"…\" (RFC 9110 §11.5)."}</small>
                </label>
                <label class="field grow">
                    <span>{"Clock (Unix seconds)"}</span>
                    <input type="text" inputmode="numeric" value={props.now.to_string()} oninput={onclock} data-testid="policy-clock"
                        aria-invalid={clock_error.then_some("true")} />
                    <small class={classes!("muted", clock_error.then_some("error"))} data-testid="policy-clock-date">
                        { if *clock_error { "Not a whole number of seconds: the last valid clock stays.".to_string() } else { format!("{date} {time} UTC; tokens are checked against it (exp, nbf).") } }
                    </small>
                </label>
            </div>
        </section>
    }
}

/// The UTC date and time of a Unix time, e.g. ("2026-01-01", "00:00:00"), from the engine's
/// own formatting of its clock.
pub fn utc_date(seconds: u64) -> (String, String) {
    let stamp = authpath_engine::format_utc(seconds);
    let (date, time) = stamp.split_once('T').unwrap_or((stamp.as_str(), ""));
    (date.to_string(), time.trim_end_matches('Z').to_string())
}
