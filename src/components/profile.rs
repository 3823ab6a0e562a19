//! Server profiles on the page: the grouped options every profile select offers, what a
//! profile models (with its version and sources for a framework), and how to fix a finding in
//! that framework. All of it is read from the engine's profile tables.

use authpath_engine::profile::{Family, Fix};
use authpath_engine::{Profile, Rule};
use yew::prelude::*;

/// The families in the order the selects group them, with each group's label.
const GROUPS: [(Family, &str); 2] = [
    (Family::Reference, "Reference servers"),
    (Family::Framework, "Frameworks"),
];

/// `rfc — as the RFCs say`, `fastapi — FastAPI ≥ 0.122 (HTTPBearer)`.
pub fn profile_label(profile: Profile) -> String {
    format!("{} — {}", profile.id(), profile.spec().title)
}

/// The profiles of one family, in the engine's order.
pub fn profiles_of(family: Family) -> impl Iterator<Item = Profile> {
    Profile::all()
        .into_iter()
        .filter(move |profile| profile.spec().family == family)
}

/// The `<optgroup>`s of a profile select, `selected` chosen; `except` is left out (a second
/// profile that must differ from the first).
pub fn profile_options(selected: Profile, except: Option<Profile>) -> Html {
    html! {
        { for GROUPS.into_iter().map(|(family, label)| html! {
            <optgroup {label}>
                { for profiles_of(family).filter(|profile| Some(*profile) != except).map(|profile| html! {
                    <option value={profile.id()} selected={profile == selected}>{profile_label(profile)}</option>
                }) }
            </optgroup>
        }) }
    }
}

/// What a profile models; for a framework also the version and the sources it was read from.
pub fn view_profile(profile: Profile) -> Html {
    let spec = profile.spec();
    let framework = spec.family == Family::Framework;
    html! {
        <div class="profile-info" data-testid="profile-info" data-profile={profile.id()}>
            <p class="profile-models" data-testid="profile-models">{spec.models}</p>
            if framework && !spec.version.is_empty() {
                <p class="profile-version" data-testid="profile-version">{format!("Read from {}", spec.version)}</p>
            }
            if framework && !spec.sources.is_empty() {
                <details class="profile-sources">
                    <summary>{format!("Sources ({})", spec.sources.len())}</summary>
                    <ul data-testid="profile-sources">
                        { for spec.sources.iter().map(|source| html! { <li><code>{*source}</code></li> }) }
                    </ul>
                </details>
            }
        </div>
    }
}

/// How to fix what `rule` found, in `profile`'s framework, with a link to its documentation;
/// nothing when the profile's table has no advice for that rule.
pub fn view_fix(profile: Profile, rule: Rule) -> Html {
    let spec = profile.spec();
    let Some(Fix { advice, docs, .. }) = spec.fix(rule) else {
        return Html::default();
    };
    html! {
        <span class="fix" data-testid="finding-fix" data-profile={profile.id()}>
            <strong>{format!("Fix it in {}: ", spec.title)}</strong>
            {*advice}
            if !docs.is_empty() {
                {" "}
                <a href={*docs} target="_blank" rel="noopener noreferrer">{docs_label(docs)}</a>
            }
        </span>
    }
}

/// A documentation address as link text: its host, so the reader sees where it goes (the whole
/// address is the link's target, shown by the browser on hover).
fn docs_label(docs: &str) -> String {
    let rest = docs
        .strip_prefix("https://")
        .or_else(|| docs.strip_prefix("http://"))
        .unwrap_or(docs);
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{host} documentation")
}
