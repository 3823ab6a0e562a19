//! What the landing page holds, and what it loads on demand.
//!
//! `cargo xtask dist` builds the app twice. The **full build** (feature `full`, the default)
//! holds every part; the **landing build** (`--no-default-features`) holds the simulator alone,
//! and the simulator's prerendered pages start it, so a first reader fetches only that. Where
//! the landing build meets a part it does not hold (a link or a tab opens another view, a
//! button asks for what would change the answer or for the code), it draws a visible wait and
//! hands the page's state over to the full build (`upgrade`), which assets/boot.js has fetched
//! in idle time after the page became interactive and the service worker keeps for offline use.
//!
//! A new feature is a new [`Part`], drawn only where `part.here()`: it lands outside the first
//! load unless [`Part::in_landing`] names it, and `cargo xtask test`'s size step counts only
//! what the landing page fetches. The compiler removes a part's code from the landing build,
//! because `here` is a constant there.

use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::state::{State, Theme, View};

/// A part of the page that a build may leave out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// A view: the simulator, or one of the views beside it.
    View(View),
    /// What would change the answer, under the response.
    Alternatives,
    /// The code that gives this response.
    Code,
    /// Verifying and signing with public keys (RSA, ECDSA, Ed25519): a scenario whose server
    /// holds one or accepts their algorithms (the attack presets, keys pasted or linked), or a
    /// token the attacker signed. A scenario of the HMAC secret alone answers the same without.
    PublicKeys,
}

impl Part {
    /// Whether the landing build holds this part: what a reader landing on a scenario sees at
    /// once, and nothing else.
    pub const fn in_landing(self) -> bool {
        matches!(self, Part::View(View::Simulator))
    }

    /// Whether this build holds the part.
    pub const fn here(self) -> bool {
        cfg!(feature = "full") || self.in_landing()
    }

    /// What the page is loading, in the words of its wait.
    pub fn title(self) -> &'static str {
        match self {
            Part::View(view) => view.title(),
            Part::Alternatives => "What would change the answer",
            Part::Code => "The code for this response",
            Part::PublicKeys => "The RSA, ECDSA and Ed25519 verifiers",
        }
    }

    /// The part `state` shows beyond the simulator of the HMAC secret, if any: another view,
    /// or public keys. Whichever build runs.
    pub fn shown(state: &State) -> Option<Part> {
        if state.view != View::Simulator {
            return Some(Part::View(state.view));
        }
        let attacker = state.custom.is_none() && state.mock.signed_by_the_attacker();
        (state.deferred_link.is_some() || state.scenario.uses_public_keys() || attacker)
            .then_some(Part::PublicKeys)
    }

    /// The part `state` shows that this build does not hold, if any.
    pub fn missing(state: &State) -> Option<Part> {
        Part::shown(state).filter(|part| !part.here())
    }
}

/// What the landing build hands the full build: the page's state, with what a link does not
/// carry (the credentials of a hand-edited request, the theme).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Handover {
    /// The state as a link writes it, credentials included.
    pub fragment: String,
    /// Whether the person chose to share credentials in links.
    pub share_credentials: bool,
    /// `light`, `dark`, or nothing for the system's.
    pub theme: Option<String>,
    pub embed: bool,
    /// The `data-testid` of what to focus once the full build shows the part.
    pub focus: Option<String>,
}

impl Handover {
    /// The handover of `state`, to show `part` (focusing `focus`).
    pub fn of(state: &State, embed: bool, focus: Option<&str>) -> Handover {
        let mut written = state.clone();
        written.share_credentials = true;
        Handover {
            fragment: state
                .deferred_link
                .clone()
                .unwrap_or_else(|| crate::link::encode(&written)),
            share_credentials: state.share_credentials,
            theme: state.theme.attribute().map(str::to_string),
            embed,
            focus: focus.map(str::to_string),
        }
    }

    /// The handover a landing build left for this one, if any.
    pub fn take() -> Option<Handover> {
        serde_json::from_str(&crate::dom::take_handover()?).ok()
    }

    /// The state the full build starts from.
    pub fn state(&self) -> State {
        let mut state = crate::link::decode(&self.fragment, &State::default()).state;
        state.share_credentials = self.share_credentials;
        state.theme = match self.theme.as_deref() {
            Some("dark") => Theme::Dark,
            Some("light") => Theme::Light,
            _ => Theme::System,
        };
        state
    }
}

thread_local! {
    /// The landing build's state at its last render, and whether the page is an embed: what it
    /// hands over when it leaves, so a change made while the full build loaded is kept.
    static SHOWN: std::cell::RefCell<Option<(State, bool)>> = const { std::cell::RefCell::new(None) };
}

/// Keeps the state the landing build shows, for [`leaving`]. A no-op in the full build.
pub fn remember(state: &State, embed: bool) {
    if !cfg!(feature = "full") {
        SHOWN.with(|shown| shown.replace(Some((state.clone(), embed))));
    }
}

/// The handover of the state shown last, to focus `focus` in the full build, as text.
pub fn leaving(focus: Option<String>) -> Option<String> {
    let (state, embed) = SHOWN.with(|shown| shown.take())?;
    let handover = Handover::of(&state, embed, focus.as_deref());
    serde_json::to_string(&handover).ok()
}

#[derive(Properties, PartialEq)]
pub struct WaitingProps {
    pub part: Part,
    /// The `data-testid` to focus once the full build shows the part.
    #[prop_or_default]
    pub focus: Option<&'static str>,
}

/// The landing build's stand-in for a part it does not hold: says what is loading, loads it, and
/// offers to try again if that failed (offline before the part was ever fetched).
#[component]
pub fn Waiting(props: &WaitingProps) -> Html {
    let failed = use_state_eq(|| false);
    let attempt = use_state_eq(|| 0u32);
    {
        let failed = failed.clone();
        // A view asked for by its tab keeps the focus on that tab.
        let focus = match (props.focus, props.part) {
            (Some(focus), _) => focus.to_string(),
            (None, Part::View(view)) => format!("view-{}", view.id()),
            (None, _) => String::new(),
        };
        use_effect_with(*attempt, move |_| {
            failed.set(false);
            crate::dom::upgrade(&focus, move || failed.set(true));
        });
    }
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |_: MouseEvent| attempt.set(*attempt + 1))
    };
    html! {
        <div class="part-waiting" data-testid="part-waiting" role="status" aria-live="polite">
            if *failed {
                <p>{format!("{} could not be loaded: this part of the page has not been fetched yet, and the network is not answering.", props.part.title())}</p>
                <button type="button" data-testid="part-retry" onclick={retry}>{"Try again"}</button>
            } else {
                <p>{format!("Loading {}…", props.part.title().to_lowercase())}</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct AskProps {
    pub part: Part,
    /// The button's `data-testid`.
    pub testid: &'static str,
    /// The `data-testid` to focus once the full build shows the part.
    pub focus: &'static str,
}

/// The landing build's button for a part of the simulator it does not hold: one click loads it.
#[component]
pub fn Ask(props: &AskProps) -> Html {
    let asked = use_state_eq(|| false);
    let onclick = {
        let asked = asked.clone();
        Callback::from(move |_: MouseEvent| asked.set(true))
    };
    // The button stays while the part loads, so the focus on it can move to the part.
    html! {
        <section class="part-ask">
            <button type="button" class="part-ask-button" data-testid={props.testid}
                aria-busy={asked.then_some("true")} {onclick}>
                {format!("{} ▸", props.part.title())}
            </button>
            if *asked {
                <Waiting part={props.part} focus={props.focus} />
            }
        </section>
    }
}
