//! The page's state and its one reducer. Pure data: how toggles become a request, which step
//! is shown. No auth logic lives here: the engine decides, this only describes the request.

use std::rc::Rc;

use authpath_engine::exchange::{Exchange, ExchangeError, Source};
use authpath_engine::identities::ProbeReport;
use authpath_engine::openapi::{import, Problem};
use authpath_engine::teach::mock::{
    attack_presets, preset, presets, CredentialKind, CsrfToken, MockRequest, Validity,
};
use authpath_engine::{fill_pattern, Policy, Profile, RouteMatch, Scenario, MAX_REQUEST_BYTES};
use yew::Reducible;

/// The colour theme the person chose; `System` follows `prefers-color-scheme`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    /// The value written to `<html data-theme>`; `None` leaves the media query in charge.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }
}

/// The views of the page. Each is a tab, and part of the link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum View {
    #[default]
    Simulator,
    Policy,
    Matrix,
    Compare,
    Check,
    Learn,
    Quiz,
}

impl View {
    /// Every view, in tab order.
    pub const ALL: [View; 7] = [
        View::Simulator,
        View::Policy,
        View::Matrix,
        View::Compare,
        View::Check,
        View::Learn,
        View::Quiz,
    ];

    /// The short name used in links and test hooks.
    pub fn id(self) -> &'static str {
        match self {
            View::Simulator => "simulator",
            View::Policy => "policy",
            View::Matrix => "matrix",
            View::Compare => "compare",
            View::Check => "check",
            View::Learn => "learn",
            View::Quiz => "quiz",
        }
    }

    /// The tab's label.
    pub fn title(self) -> &'static str {
        match self {
            View::Simulator => "Simulator",
            View::Policy => "Policy",
            View::Matrix => "Matrix",
            View::Compare => "Compare",
            View::Check => "Check",
            View::Learn => "Learn",
            View::Quiz => "Quiz",
        }
    }

    /// The view named `id`, if any.
    pub fn from_id(id: &str) -> Option<View> {
        View::ALL.into_iter().find(|view| view.id() == id)
    }
}

/// Everything the page remembers.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// What every view evaluates in: policy, realm, clock, and the server profile, which lives
    /// here alone (see [`State::profile`]).
    pub scenario: Rc<Scenario>,
    pub mock: MockRequest,
    /// The route of the policy the builder points at; `None` for a free path.
    pub route: Option<usize>,
    /// A raw request edited by hand; `None` while the toggles build it.
    pub custom: Option<String>,
    /// How long the hand-edited text was before the page cut it to `KEPT_BYTES`, if it did;
    /// `None` whenever `custom` is.
    pub cut_from: Option<usize>,
    /// The step shown in the diagram and table; `None` shows the whole path.
    pub step: Option<usize>,
    pub playing: bool,
    pub theme: Theme,
    pub view: View,
    /// The seed of the quiz being played, so a link replays the same questions.
    pub quiz_seed: Option<u64>,
    /// The person ticked "include my credentials in the link" for a hand-edited request.
    pub share_credentials: bool,
    /// What a link could not restore, shown until dismissed.
    pub notices: Vec<String>,
    /// Bumped by changes worth a history entry (preset, view, opening a scenario); other
    /// changes replace the current entry, so typing does not flood the back button.
    pub history_mark: u32,
    /// The preset the request came from, until something is changed.
    pub preset: Option<&'static str>,
    /// What was pasted or opened in the Check view. The link never carries it (link.rs
    /// writes nothing of it): a pasted exchange holds someone's real credentials.
    pub check: CheckInput,
    /// Bumped by "Reset to the demo API", so the server's fields drop what was typed and did
    /// not read: the settings in force may not change, and then nothing else would tell them.
    pub server_resets: u32,
    /// The OpenAPI spec pasted or opened in the Policy view, and what importing it gave. The
    /// link never carries the spec: the policy it mapped onto travels instead.
    pub spec: SpecInput,
    /// A link this build could not read whole (public keys, which the landing build does not
    /// read: src/parts.rs), kept as it came to hand it to the full build; gone with the next
    /// change.
    pub deferred_link: Option<String>,
}

/// The Policy view's OpenAPI input: the text as pasted or opened, and the last import.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpecInput {
    /// Shared, so the reducer's copy of the state does not copy a spec of megabytes.
    pub text: Rc<str>,
    /// The file the text came from; `None` once it is edited.
    pub file: Option<String>,
    /// What the last import gave; `None` until a spec is imported.
    pub imported: Option<Rc<SpecImport>>,
}

/// What importing a spec gave: the engine's counts and problems, and whether its policy went
/// in force.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecImport {
    /// The operations the spec declares (0 when the text did not read).
    pub operations: usize,
    /// The routes and schemes of the policy it mapped onto.
    pub routes: usize,
    pub schemes: usize,
    /// Everything the engine did not understand or map, with its pointer, line and column.
    pub problems: Vec<Problem>,
    /// Whether the mapped policy is now in force; otherwise the policy in force is unchanged.
    pub in_force: bool,
}

/// How long, as JSON, a policy may be and still go into a link: many mail, chat and issue
/// tools cut or refuse links past a few thousand characters. A larger one is left out of the
/// link, and the page says so ([`TOO_LARGE_FOR_A_LINK`]).
pub const LINK_POLICY_CHARS: usize = 8000;

/// The notice shown while the policy in force is too large for a link.
pub const TOO_LARGE_FOR_A_LINK: &str = "The policy in force is too large for a link (over 8,000 characters as JSON): links and the address leave it out, and open the demo API's policy. To share it, share the OpenAPI file or the policy's text.";

/// Whether `policy` goes into a link (see [`LINK_POLICY_CHARS`]).
pub fn fits_a_link(policy: &Policy) -> bool {
    policy.to_json().len() <= LINK_POLICY_CHARS
}

/// Imports the spec `text` with the engine: the policy it maps onto, when that policy is one
/// to put in force (it read, has routes, and is valid), and what the import gave.
pub fn import_spec(text: &str) -> (Option<Policy>, SpecImport) {
    match import(text) {
        Err(problem) => (
            None,
            SpecImport {
                operations: 0,
                routes: 0,
                schemes: 0,
                problems: vec![problem],
                in_force: false,
            },
        ),
        Ok(imported) => {
            let usable = !imported.policy.routes.is_empty() && imported.policy.validate().is_ok();
            let outcome = SpecImport {
                operations: imported.spec.operations.len(),
                routes: imported.policy.routes.len(),
                schemes: imported.policy.schemes.len(),
                problems: imported.problems,
                in_force: usable,
            };
            (usable.then_some(imported.policy), outcome)
        }
    }
}

/// A file opened in the Check view: its name, and the exchanges read from it or why none.
pub type OpenedFile = (String, Result<Vec<(Source, Exchange)>, ExchangeError>);

/// A probe report opened in the Check view: its file name and the report.
pub type OpenedReport = (String, ProbeReport);

/// The Check view's input: the pasted request and response (or a transcript in one of them),
/// or an opened HAR file, and which of its exchanges is shown; or an opened probe report and
/// which of its cells is open.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckInput {
    pub request: String,
    pub response: String,
    /// The HAR file opened, by name, and what reading it gave; `None` once text is pasted.
    pub file: Option<Rc<OpenedFile>>,
    /// The exchange shown, by its index among those read; `None` shows the first listed.
    pub picked: Option<usize>,
    /// The probe report opened (`authpath probe --identities --format json`); `None` once
    /// text is pasted or another file opened.
    pub report: Option<Rc<OpenedReport>>,
    /// The report's cell open, by its exchange's index; `None` opens the first with an error.
    pub cell: Option<usize>,
    /// Judge with the page's scenario (its keys, users, routes and clock), not only with what
    /// the texts show.
    pub with_scenario: bool,
}

impl Default for State {
    fn default() -> Self {
        let scenario = Rc::new(Scenario::default());
        let mock = MockRequest::default();
        let route = route_index(&scenario.policy, &mock.method, &mock.path);
        State {
            scenario,
            mock,
            route,
            custom: None,
            cut_from: None,
            step: None,
            playing: false,
            theme: Theme::default(),
            view: View::default(),
            quiz_seed: None,
            share_credentials: false,
            notices: Vec::new(),
            history_mark: 0,
            server_resets: 0,
            preset: None,
            check: CheckInput::default(),
            spec: SpecInput::default(),
            deferred_link: None,
        }
    }
}

impl State {
    /// The server profile the simulator evaluates under: the scenario's.
    pub fn profile(&self) -> Profile {
        self.scenario.profile
    }

    /// Chooses the server profile; the scenario is copied only when it changes.
    pub fn set_profile(&mut self, profile: Profile) {
        if self.scenario.profile != profile {
            Rc::make_mut(&mut self.scenario).profile = profile;
        }
    }

    /// The raw request text the engine evaluates.
    pub fn raw_request(&self) -> String {
        match &self.custom {
            Some(text) => text.clone(),
            None => self.mock.to_raw(&self.scenario),
        }
    }

    /// Puts `policy` in force: the builder's route follows it, and the notices say whether it
    /// is too large for a link.
    pub fn set_policy(&mut self, policy: Policy) {
        self.route = route_index(&policy, &self.mock.method, &self.mock.path);
        self.notices.retain(|notice| notice != TOO_LARGE_FOR_A_LINK);
        if !fits_a_link(&policy) {
            self.notices.push(TOO_LARGE_FOR_A_LINK.to_string());
        }
        Rc::make_mut(&mut self.scenario).policy = policy;
    }

    /// The index of the step shown, for a trace of `len` steps.
    pub fn current_step(&self, len: usize) -> usize {
        let last = len.saturating_sub(1);
        self.step.map_or(last, |step| step.min(last))
    }
}

/// Every change the page can make to its state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    SelectRoute(Option<usize>),
    SetMethod(String),
    SetPath(String),
    SetToken(bool),
    SetKind(CredentialKind),
    SetValidity(Validity),
    /// The CSRF token a session's unsafe request carries: sent, missing or wrong.
    SetCsrf(CsrfToken),
    SetSubject(String),
    SetRole(String),
    ToggleScope(String),
    SetProfile(Profile),
    /// The raw request was edited by hand.
    EditRaw(String),
    /// Drop the hand edits and build the request from the toggles again.
    Rebuild,
    ApplyPreset(&'static str),
    ShowStep(Option<usize>),
    SetPlaying(bool),
    /// One tick of play, for a trace of this many steps.
    Tick(usize),
    SetTheme(Theme),
    SetView(View),
    /// Open a request in the simulator (from another view: a matrix cell, a quiz answer…).
    Open(MockRequest, Profile),
    /// One of the engine's "what would change the answer" alternatives was chosen: its raw
    /// request becomes the hand-edited request, under its profile when it names one.
    ApplyAlternative(String, Option<Profile>),
    /// A valid policy was written in the policy editor.
    SetPolicy(Policy),
    /// The realm named in every challenge was edited.
    SetRealm(String),
    /// The server's clock (Unix seconds) was set.
    SetClock(u64),
    /// Policy, realm, clock and token settings go back to the demo API's; the profile stays.
    ResetServer,
    /// The server's token settings (keys, algorithms, issuer, audience, leeway, claim
    /// layout) were edited; each carries only a value that parsed.
    SetTokens(TokenSetting),
    SetShareCredentials(bool),
    SetQuizSeed(u64),
    DismissNotices,
    /// Show the state a link describes (back/forward, a pasted fragment).
    Load(Box<State>),
    /// The Check view's request text was edited (a transcript may stand in it alone).
    SetCheckRequest(String),
    /// The Check view's response text was edited.
    SetCheckResponse(String),
    /// A HAR file was opened in the Check view: its name and what reading it gave.
    OpenCheckFile(Rc<OpenedFile>),
    /// One exchange of those read was chosen, by index.
    PickExchange(usize),
    /// A probe report was opened in the Check view.
    OpenProbeReport(Rc<OpenedReport>),
    /// One cell of the probe report was opened, by its exchange's index.
    PickCell(usize),
    /// Judge the pasted exchange with the page's scenario, or without.
    SetCheckScenario(bool),
    /// The OpenAPI text in the Policy view was edited (not imported yet).
    SetSpecText(String),
    /// Import an OpenAPI spec: the text, and the file it was opened from. Its policy goes in
    /// force when it maps onto one; the text is kept whatever happens.
    ImportSpec {
        text: String,
        file: Option<String>,
    },
}

/// One of the server's token settings, as the "Keys and tokens" part of the Policy view sets it.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenSetting {
    /// The HMAC secret (empty for none).
    Secret(String),
    /// The public keys, read by the engine from what was pasted.
    Keys(Vec<authpath_engine::Key>),
    Algorithms(Vec<authpath_engine::Algorithm>),
    /// The issuers accepted, comma-separated as typed.
    Issuers(String),
    /// The audiences accepted, comma-separated as typed.
    Audiences(String),
    Leeway(u64),
    Claims(authpath_engine::ClaimLayout),
}

/// How much hand-edited text the page keeps: a little over the engine's limit, so the engine
/// still sees too much and answers 413, while a pasted megabyte does not make every keystroke
/// copy, encode and lay out the whole of it again.
pub const KEPT_BYTES: usize = MAX_REQUEST_BYTES + 1024;

impl State {
    /// Takes `text` as the hand-edited request, cut to `KEPT_BYTES` at a character boundary.
    pub fn edit_raw(&mut self, mut text: String) {
        self.cut_from = None;
        if text.len() > KEPT_BYTES {
            self.cut_from = Some(text.len());
            let mut end = KEPT_BYTES;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
        }
        self.custom = Some(text);
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = State::clone(&self);
        next.deferred_link = None;
        // A toggle rewrites the request, so hand edits give way to it.
        let toggles = matches!(
            action,
            Action::SelectRoute(_)
                | Action::SetMethod(_)
                | Action::SetPath(_)
                | Action::SetToken(_)
                | Action::SetKind(_)
                | Action::SetValidity(_)
                | Action::SetCsrf(_)
                | Action::SetSubject(_)
                | Action::SetRole(_)
                | Action::ToggleScope(_)
        );
        let request_changed = !matches!(
            action,
            Action::ShowStep(_)
                | Action::SetPlaying(_)
                | Action::Tick(_)
                | Action::SetTheme(_)
                | Action::SetView(_)
                | Action::SetShareCredentials(_)
                | Action::SetQuizSeed(_)
                | Action::DismissNotices
                | Action::SetCheckRequest(_)
                | Action::SetCheckResponse(_)
                | Action::OpenCheckFile(_)
                | Action::PickExchange(_)
                | Action::OpenProbeReport(_)
                | Action::PickCell(_)
                | Action::SetCheckScenario(_)
                | Action::SetSpecText(_)
        );
        match action {
            Action::SelectRoute(index) => {
                next.route = index;
                if let Some(route) = index.and_then(|i| self.scenario.policy.routes.get(i)) {
                    next.mock.method = route.method.clone();
                    next.mock.path = fill_pattern(&route.path, &self.mock.subject);
                }
            }
            Action::SetMethod(method) => {
                next.mock.method = method;
                next.route = route_index(&self.scenario.policy, &next.mock.method, &next.mock.path);
            }
            Action::SetPath(path) => {
                next.mock.path = path;
                next.route = route_index(&self.scenario.policy, &next.mock.method, &next.mock.path);
            }
            Action::SetToken(token) => next.mock.token = token,
            Action::SetKind(kind) => {
                next.mock.kind = kind;
                keep_a_validity_of_the_kind(&mut next.mock);
            }
            Action::SetValidity(validity) => next.mock.validity = validity,
            Action::SetCsrf(csrf) => next.mock.csrf = csrf,
            Action::SetSubject(subject) => {
                // A new subject takes the role the user table gives it; the role stays editable.
                if let Some(user) = self.scenario.users.iter().find(|u| u.name == subject) {
                    next.mock.role = user.role.clone();
                }
                next.mock.subject = subject;
            }
            Action::SetRole(role) => next.mock.role = role,
            Action::ToggleScope(scope) => {
                if let Some(at) = next.mock.scopes.iter().position(|s| *s == scope) {
                    next.mock.scopes.remove(at);
                } else {
                    next.mock.scopes.push(scope);
                }
            }
            Action::SetProfile(profile) => next.set_profile(profile),
            Action::EditRaw(text) => next.edit_raw(text),
            Action::Rebuild => {
                next.custom = None;
                next.share_credentials = false;
            }
            Action::ApplyPreset(id) => {
                if let Some(preset) = preset(id) {
                    // The attack presets bring the key settings they need (the demo JWKS).
                    if preset.server.is_some() {
                        next.scenario = Rc::new(preset.scenario(&self.scenario));
                    }
                    next.route = route_index(
                        &self.scenario.policy,
                        &preset.request.method,
                        &preset.request.path,
                    );
                    next.mock = preset.request;
                    next.custom = None;
                    next.set_profile(Profile::Rfc);
                    next.history_mark += 1;
                }
            }
            Action::ShowStep(step) => {
                next.step = step;
                next.playing = false;
            }
            Action::SetPlaying(playing) => {
                next.playing = playing;
                if playing {
                    next.step = Some(0);
                }
            }
            Action::Tick(len) => {
                let at = self.current_step(len) + 1;
                if at + 1 >= len {
                    next.step = None;
                    next.playing = false;
                } else {
                    next.step = Some(at);
                }
            }
            Action::SetTheme(theme) => next.theme = theme,
            Action::SetView(view) => {
                next.view = view;
                next.history_mark += 1;
            }
            Action::SetShareCredentials(share) => next.share_credentials = share,
            Action::SetQuizSeed(seed) => next.quiz_seed = Some(seed),
            Action::DismissNotices => next.notices.clear(),
            Action::SetCheckRequest(text) => {
                next.check.request = text;
                next.check.file = None;
                next.check.picked = None;
                next.check.report = None;
            }
            Action::SetCheckResponse(text) => {
                next.check.response = text;
                next.check.file = None;
                next.check.picked = None;
                next.check.report = None;
            }
            Action::OpenCheckFile(file) => {
                next.check.request.clear();
                next.check.response.clear();
                next.check.file = Some(file);
                next.check.picked = None;
                next.check.report = None;
            }
            Action::PickExchange(index) => next.check.picked = Some(index),
            Action::OpenProbeReport(report) => {
                next.check.request.clear();
                next.check.response.clear();
                next.check.file = None;
                next.check.picked = None;
                next.check.report = Some(report);
                next.check.cell = None;
            }
            Action::PickCell(index) => next.check.cell = Some(index),
            Action::SetCheckScenario(with) => next.check.with_scenario = with,
            Action::Load(state) => {
                let theme = next.theme;
                // The link never carries the Check view's input nor the spec; moving in
                // history keeps them.
                let check = std::mem::take(&mut next.check);
                let spec = std::mem::take(&mut next.spec);
                let large =
                    (!fits_a_link(&self.scenario.policy)).then(|| self.scenario.policy.clone());
                next = *state;
                next.check = check;
                next.spec = spec;
                next.theme = theme;
                next.history_mark = self.history_mark;
                // A link without a policy from a page whose policy was too large for one
                // (back, forward, a tab) keeps that policy rather than lose it unsaid.
                if let Some(policy) = large {
                    if next.scenario.policy == Scenario::default().policy {
                        next.set_policy(policy);
                    }
                }
                return Rc::new(next);
            }
            Action::Open(mock, profile) => {
                next.route = route_index(&self.scenario.policy, &mock.method, &mock.path);
                next.mock = mock;
                next.set_profile(profile);
                next.custom = None;
                next.view = View::Simulator;
                next.history_mark += 1;
            }
            Action::ApplyAlternative(request, profile) => {
                next.edit_raw(request);
                if let Some(profile) = profile {
                    next.set_profile(profile);
                }
                // A step the person can go back from, like a preset.
                next.history_mark += 1;
            }
            Action::SetPolicy(policy) => next.set_policy(policy),
            Action::SetSpecText(text) => {
                next.spec.text = text.into();
                next.spec.file = None;
            }
            // Only the Policy view imports a spec, and the landing build has none (src/parts.rs):
            // there the engine's OpenAPI reader stays out of the first load.
            Action::ImportSpec { .. } if !cfg!(feature = "full") => {}
            Action::ImportSpec { text, file } => {
                let (policy, imported) = import_spec(&text);
                if let Some(policy) = policy {
                    next.set_policy(policy);
                    // Back returns to the policy before the import.
                    next.history_mark += 1;
                }
                next.spec = SpecInput {
                    text: text.into(),
                    file,
                    imported: Some(Rc::new(imported)),
                };
            }
            Action::SetRealm(realm) => Rc::make_mut(&mut next.scenario).realm = realm,
            Action::SetClock(now) => Rc::make_mut(&mut next.scenario).now = now,
            Action::ResetServer => {
                next.server_resets = next.server_resets.wrapping_add(1);
                next.notices.retain(|notice| notice != TOO_LARGE_FOR_A_LINK);
                let defaults = Scenario::default();
                next.route = route_index(&defaults.policy, &next.mock.method, &next.mock.path);
                let scenario = Rc::make_mut(&mut next.scenario);
                scenario.policy = defaults.policy;
                scenario.realm = defaults.realm;
                scenario.now = defaults.now;
                // The server's token settings are part of the server: the demo's again too.
                scenario.key = defaults.key;
                scenario.keys = defaults.keys;
                scenario.algorithms = defaults.algorithms;
                scenario.issuer = defaults.issuer;
                scenario.other_issuers = defaults.other_issuers;
                scenario.audience = defaults.audience;
                scenario.other_audiences = defaults.other_audiences;
                scenario.leeway = defaults.leeway;
                scenario.claims = defaults.claims;
            }
            Action::SetTokens(setting) => {
                let scenario = Rc::make_mut(&mut next.scenario);
                match setting {
                    TokenSetting::Secret(secret) => scenario.key = secret,
                    TokenSetting::Keys(keys) => scenario.keys = keys,
                    TokenSetting::Algorithms(algorithms) => scenario.algorithms = algorithms,
                    TokenSetting::Issuers(list) => scenario.set_issuers(&list),
                    TokenSetting::Audiences(list) => scenario.set_audiences(&list),
                    TokenSetting::Leeway(leeway) => scenario.leeway = leeway,
                    TokenSetting::Claims(layout) => scenario.claims = layout,
                }
            }
        }
        if toggles {
            next.custom = None;
            next.share_credentials = false;
        }
        if next.custom.is_none() {
            // Only hand-edited text is ever cut.
            next.cut_from = None;
        }
        if request_changed {
            next.step = None;
            next.playing = false;
            next.preset = preset_of(&next);
        }
        Rc::new(next)
    }
}

/// Keeps the request's validity if its kind offers it (`Validity::for_kind`), or else makes it
/// valid: a session cannot have a bad signature, nor a token a wrong password.
pub fn keep_a_validity_of_the_kind(mock: &mut MockRequest) {
    if !Validity::for_kind(mock.kind).contains(&mock.validity) {
        mock.validity = Validity::Valid;
    }
}

/// A preset stays marked only while the request is exactly that preset's.
pub fn preset_of(state: &State) -> Option<&'static str> {
    if state.custom.is_some() || state.profile() != Profile::Rfc {
        return None;
    }
    presets()
        .into_iter()
        .chain(attack_presets())
        .find(|preset| preset.request == state.mock)
        .map(|preset| preset.id)
}

/// The policy route this request reaches, for the route selector (the engine's own matching).
pub fn route_index(policy: &Policy, method: &str, path: &str) -> Option<usize> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    match policy.resolve(method, path) {
        RouteMatch::Found { route, .. } => {
            policy.routes.iter().position(|r| std::ptr::eq(r, route))
        }
        _ => None,
    }
}
