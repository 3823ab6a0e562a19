//! The notice that says what a link could not restore, or what its sender withheld, until it
//! is dismissed.

use yew::prelude::*;

use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<String>,
    pub onaction: Callback<Action>,
}

#[component]
pub fn Notices(props: &NoticesProps) -> Html {
    if props.notices.is_empty() {
        return html! {};
    }
    let ondismiss = {
        let onaction = props.onaction.clone();
        Callback::from(move |_: MouseEvent| onaction.emit(Action::DismissNotices))
    };
    html! {
        <div class="notice" role="status" data-testid="link-notice">
            <div>
                <strong>{"Part of this link was left out or could not be used:"}</strong>
                <ul>{ for props.notices.iter().map(|notice| html! { <li>{notice.clone()}</li> }) }</ul>
            </div>
            <button type="button" onclick={ondismiss} data-testid="dismiss-notice" aria-label="Dismiss this notice">{"Dismiss"}</button>
        </div>
    }
}
