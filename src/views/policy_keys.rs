//! "Keys and tokens": the server's HMAC secret, its public keys (PEM, JWK or JWKS), the
//! algorithms it accepts, its issuers and audiences, the leeway and where it reads roles and
//! scopes. The engine reads what is typed; a text it cannot read shows the engine's message
//! where it was typed, and the last good settings stay in force.

use std::rc::Rc;

use authpath_engine::{parse_keys, Algorithm, ClaimPreset, Key, Scenario};
use serde_json::Value;
use yew::prelude::*;

use crate::dom;
use crate::state::{Action, TokenSetting};

#[derive(Properties, PartialEq)]
pub struct KeySettingsProps {
    pub scenario: Rc<Scenario>,
    pub onaction: Callback<Action>,
}

/// The keys in force as a JWKS, the text the key field starts from.
fn keys_text(keys: &[Key]) -> String {
    if keys.is_empty() {
        return String::new();
    }
    let keys: Vec<Value> = keys.iter().map(|key| Value::Object(key.to_jwk())).collect();
    serde_json::to_string_pretty(&serde_json::json!({ "keys": keys })).unwrap_or_default()
}

#[component]
pub fn KeySettings(props: &KeySettingsProps) -> Html {
    let scenario = &props.scenario;
    // What is typed in the key field, and why it does not read, if it does not.
    let typed = use_state(|| keys_text(&scenario.keys));
    let key_error = use_state(|| None::<String>);
    let leeway_error = use_state(|| false);
    // An attack preset may change the keys: the field follows, unless what is typed already
    // reads as those keys (as the person types) or does not read at all (its message stays).
    {
        let typed = typed.clone();
        let key_error = key_error.clone();
        use_effect_with(scenario.keys.clone(), move |keys: &Vec<Key>| {
            let same = parse_keys(&typed).is_ok_and(|read| read == *keys);
            if key_error.is_none() && !same {
                typed.set(keys_text(keys));
            }
        });
    }
    let emit = |setting: fn(String) -> TokenSetting| {
        props
            .onaction
            .reform(move |event: InputEvent| Action::SetTokens(setting(dom::input_value(&event))))
    };
    let onsecret = emit(TokenSetting::Secret);
    let onissuer = emit(TokenSetting::Issuers);
    let onaudience = emit(TokenSetting::Audiences);
    let onleeway = {
        let onaction = props.onaction.clone();
        let leeway_error = leeway_error.clone();
        Callback::from(move |event: InputEvent| {
            match dom::input_value(&event).trim().parse::<u64>() {
                Ok(leeway) => {
                    leeway_error.set(false);
                    onaction.emit(Action::SetTokens(TokenSetting::Leeway(leeway)));
                }
                Err(_) => leeway_error.set(true),
            }
        })
    };
    let onkeys = {
        let onaction = props.onaction.clone();
        let typed = typed.clone();
        let key_error = key_error.clone();
        Callback::from(move |event: InputEvent| {
            let text = dom::textarea_value(&event);
            match parse_keys(&text) {
                Ok(keys) => {
                    key_error.set(None);
                    onaction.emit(Action::SetTokens(TokenSetting::Keys(keys)));
                }
                Err(error) => key_error.set(Some(error.to_string())),
            }
            typed.set(text);
        })
    };
    let onclaims = {
        let onaction = props.onaction.clone();
        Callback::from(move |event: Event| {
            if let Some(preset) = ClaimPreset::from_id(&dom::select_value(&event)) {
                onaction.emit(Action::SetTokens(TokenSetting::Claims(preset.layout())));
            }
        })
    };
    let algorithms = Algorithm::ALL.into_iter().map(|algorithm| {
        let checked = scenario.algorithms.contains(&algorithm);
        let onchange = {
            let onaction = props.onaction.clone();
            let current = scenario.algorithms.clone();
            Callback::from(move |event: Event| {
                let mut next: Vec<Algorithm> = current
                    .iter()
                    .copied()
                    .filter(|other| *other != algorithm)
                    .collect();
                if dom::checkbox_checked(&event) {
                    next.push(algorithm);
                    next.sort();
                }
                onaction.emit(Action::SetTokens(TokenSetting::Algorithms(next)));
            })
        };
        html! {
            <label class="check">
                <input type="checkbox" {checked} {onchange} data-testid={format!("policy-alg-{}", algorithm.name())} />
                { algorithm.name() }
            </label>
        }
    });
    let issuers = scenario.issuers().collect::<Vec<_>>().join(", ");
    let audiences = scenario.audiences().collect::<Vec<_>>().join(", ");
    let in_force = format!(
        "{} key(s) in force{}",
        scenario.keys.len(),
        if scenario.key.is_empty() {
            ", no HMAC secret"
        } else {
            ", and the HMAC secret"
        }
    );
    html! {
        <section class="column" aria-labelledby="keys-heading">
            <h2 id="keys-heading">{"Keys and tokens"}</h2>
            <div class="server-fields">
                <label class="field grow">
                    <span>{"HMAC secret (HS256/384/512)"}</span>
                    <input type="text" value={scenario.key.clone()} oninput={onsecret} data-testid="policy-secret" spellcheck="false" autocomplete="off" />
                    <small class="muted">{"A secret: links carry it only when you tick the box for credentials in links. Empty for none."}</small>
                </label>
                <label class="field grow">
                    <span>{"Public keys: PEM, a JWK or a JWKS"}</span>
                    <textarea rows="6" value={(*typed).clone()} oninput={onkeys} data-testid="policy-keys" spellcheck="false"
                        aria-invalid={key_error.is_some().then_some("true")} />
                    <small class={classes!("muted", key_error.is_some().then_some("error"))} data-testid="policy-keys-state" aria-live="polite">
                        { match &*key_error {
                            Some(error) => format!("Not read: {error}. The last good keys stay in force ({in_force})."),
                            None => format!("✓ {in_force}. jku, x5u and embedded jwk headers are never fetched nor trusted."),
                        } }
                    </small>
                </label>
            </div>
            <fieldset class="field">
                <legend>{"Algorithms accepted (the key's type decides which it may verify, RFC 8725 §3.1)"}</legend>
                { for algorithms }
            </fieldset>
            <div class="server-fields">
                <label class="field grow">
                    <span>{"Issuers (iss), comma-separated"}</span>
                    <input type="text" value={issuers} oninput={onissuer} data-testid="policy-issuer" spellcheck="false" />
                    <small class="muted">{"Empty: iss is not checked."}</small>
                </label>
                <label class="field grow">
                    <span>{"Audiences (aud), comma-separated"}</span>
                    <input type="text" value={audiences} oninput={onaudience} data-testid="policy-audience" spellcheck="false" />
                    <small class="muted">{"Empty: aud is not checked."}</small>
                </label>
                <label class="field">
                    <span>{"Leeway (seconds)"}</span>
                    <input type="text" inputmode="numeric" value={scenario.leeway.to_string()} oninput={onleeway} data-testid="policy-leeway"
                        aria-invalid={leeway_error.then_some("true")} />
                    <small class={classes!("muted", leeway_error.then_some("error"))}>{ if *leeway_error { "Not a whole number: the last leeway stays." } else { "For exp, nbf and iat (RFC 7519 §4.1.4: small)." } }</small>
                </label>
                <label class="field">
                    <span>{"Roles and scopes are read from"}</span>
                    <select onchange={onclaims} data-testid="policy-claims">
                        { for ClaimPreset::ALL.into_iter().map(|preset| html! {
                            <option value={preset.id()} selected={scenario.claims.preset == preset}>{ preset.title() }</option>
                        }) }
                    </select>
                </label>
            </div>
        </section>
    }
}
