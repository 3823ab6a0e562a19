//! The quiz: questions about random requests, answered by the pipeline. The seed is shown and
//! editable, so a quiz can be replayed. Fully keyboard playable: Tab to an option (or press
//! 1–4), Enter; focus then moves to "Next", and from there to the next question's options.

use std::rc::Rc;

use authpath_engine::teach::quiz::{generate_quiz, Question};
use authpath_engine::{graph, Profile, Scenario};
use yew::prelude::*;

use crate::components::decision_path::DecisionPath;
use crate::dom;
use crate::state::Action;

/// Questions per quiz.
pub const QUESTIONS: usize = 10;

#[derive(Properties, PartialEq)]
pub struct QuizViewProps {
    pub scenario: Rc<Scenario>,
    pub onaction: Callback<Action>,
    /// The seed to start with; a random one when absent.
    #[prop_or_default]
    pub seed: Option<u64>,
    /// Told the seed of the quiz being played, so the link can reproduce it.
    #[prop_or_default]
    pub onseed: Callback<u64>,
}

/// Where the player is: the seed, the question shown, and the option chosen for each.
#[derive(Clone, Debug, PartialEq)]
struct Play {
    seed: u64,
    at: usize,
    answers: Vec<Option<usize>>,
}

impl Play {
    fn new(seed: u64) -> Play {
        Play {
            seed,
            at: 0,
            answers: vec![None; QUESTIONS],
        }
    }
}

#[component]
pub fn QuizView(props: &QuizViewProps) -> Html {
    let initial = props.seed;
    let play = use_state(move || Play::new(initial.unwrap_or_else(random_seed)));
    let quiz = use_memo((props.scenario.clone(), play.seed), |(scenario, seed)| {
        generate_quiz(scenario, *seed, QUESTIONS)
    });
    {
        let onseed = props.onseed.clone();
        use_effect_with(play.seed, move |seed| onseed.emit(*seed));
    }
    let options_ref = use_node_ref();
    let next_ref = use_node_ref();
    // Focus follows the game: after an answer, "Next"; after "Next", the first option.
    let focus_target = use_mut_ref(|| None::<&'static str>);
    {
        let focus_target = focus_target.clone();
        let options_ref = options_ref.clone();
        let next_ref = next_ref.clone();
        use_effect(move || {
            let target = focus_target.borrow_mut().take();
            match target {
                Some("next") => dom::focus(&next_ref),
                Some("options") => dom::focus_first_button(&options_ref),
                _ => {}
            }
        });
    }

    let score = quiz
        .questions
        .iter()
        .zip(play.answers.iter())
        .filter(|(question, answer)| **answer == Some(question.answer))
        .count();
    let answered = play
        .answers
        .iter()
        .filter(|answer| answer.is_some())
        .count();
    let total = quiz.questions.len();
    let finished = play.at >= total;

    let restart = |seed: Option<u64>| {
        let play = play.clone();
        let focus_target = focus_target.clone();
        Callback::from(move |_: MouseEvent| {
            *focus_target.borrow_mut() = Some("options");
            play.set(Play::new(seed.unwrap_or_else(random_seed)));
        })
    };
    let onnew = restart(None);
    let onagain = restart(Some(play.seed));
    let onseed = {
        let play = play.clone();
        Callback::from(move |event: InputEvent| {
            if let Ok(seed) = dom::input_value(&event).trim().parse::<u64>() {
                play.set(Play::new(seed));
            }
        })
    };
    let onnext = {
        let play = play.clone();
        let focus_target = focus_target.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*play).clone();
            next.at += 1;
            *focus_target.borrow_mut() = Some("options");
            play.set(next);
        })
    };
    let choose = {
        let play = play.clone();
        let focus_target = focus_target.clone();
        move |option: usize| {
            if play.answers.get(play.at).copied().flatten().is_some() {
                return;
            }
            let mut next = (*play).clone();
            if let Some(answer) = next.answers.get_mut(next.at) {
                *answer = Some(option);
            }
            *focus_target.borrow_mut() = Some("next");
            play.set(next);
        }
    };
    let onkeydown = {
        let choose = choose.clone();
        Callback::from(move |event: KeyboardEvent| {
            // 1–4 answer without moving focus; a digit typed into the seed field stays there.
            if dom::typed_in_input(&event) {
                return;
            }
            if let Some(digit) = event
                .key()
                .parse::<usize>()
                .ok()
                .filter(|d| (1..=4).contains(d))
            {
                event.prevent_default();
                choose(digit - 1);
            }
        })
    };

    let body = match quiz.questions.get(play.at) {
        Some(question) if !finished => {
            let chosen = play.answers.get(play.at).copied().flatten();
            view_question(
                question,
                play.at,
                total,
                chosen,
                &choose,
                &options_ref,
                &next_ref,
                onnext,
                &props.onaction,
            )
        }
        _ => html! {
            <div class="quiz-result" data-testid="quiz-result" role="status">
                <p class="quiz-final">{format!("You scored {score} of {total}.")}</p>
                <p class="muted">{ match score * 10 / total.max(1) {
                    10 => "Every answer right: the server and you agree.",
                    7..=9 => "Nearly all: read the explanations of the ones you missed.",
                    4..=6 => "Half way: the Learn view lays out 401 against 403.",
                    _ => "Worth another round: the Learn view lays out 401 against 403.",
                } }</p>
                <div class="toolbar">
                    <button type="button" onclick={onagain} data-testid="quiz-again">{"Play this quiz again"}</button>
                    <button type="button" onclick={onnew.clone()} data-testid="quiz-new-end">{"New quiz"}</button>
                </div>
            </div>
        },
    };

    html! {
        <main class="view quiz-view" data-testid="quiz-view" {onkeydown}>
            <section class="column" aria-labelledby="quiz-heading">
                <div class="view-head">
                    <h2 id="quiz-heading">{"Quiz"}</h2>
                    <p class="quiz-score" data-testid="quiz-score" aria-live="polite">
                        {format!("Score {score} / {answered}")}<span class="muted">{format!(" · {total} questions")}</span>
                    </p>
                </div>
                <div class="quiz-controls">
                    <label class="field">
                        <span>{"Seed"}</span>
                        <input type="text" inputmode="numeric" value={play.seed.to_string()} oninput={onseed} data-testid="quiz-seed"
                            aria-describedby="quiz-seed-help" />
                    </label>
                    <button type="button" onclick={onnew} data-testid="quiz-new">{"New quiz"}</button>
                    <small id="quiz-seed-help" class="muted">{"The same seed gives the same questions. Answers come from the pipeline (profile rfc) and the current policy. Keys 1–4 answer."}</small>
                </div>
                {body}
            </section>
        </main>
    }
}

#[allow(clippy::too_many_arguments)]
fn view_question(
    question: &Question,
    at: usize,
    total: usize,
    chosen: Option<usize>,
    choose: &(impl Fn(usize) + Clone + 'static),
    options_ref: &NodeRef,
    next_ref: &NodeRef,
    onnext: Callback<MouseEvent>,
    onaction: &Callback<Action>,
) -> Html {
    let answered = chosen.is_some();
    let options = question.choices.iter().enumerate().map(|(index, choice)| {
        let onclick = {
            let choose = choose.clone();
            Callback::from(move |_: MouseEvent| choose(index))
        };
        let correct = index == question.answer;
        let state = match (chosen, answered) {
            (_, false) => None,
            (_, true) if correct => Some("correct"),
            (Some(picked), true) if picked == index => Some("wrong"),
            _ => Some("other"),
        };
        let mark = match state {
            Some("correct") => "✓ ",
            Some("wrong") => "✗ ",
            _ => "",
        };
        html! {
            <li>
                <button type="button" class={classes!("quiz-option", state)} {onclick} data-testid="quiz-option"
                    data-correct={answered.then(|| correct.to_string())} aria-disabled={answered.then_some("true")}
                    aria-pressed={(chosen == Some(index)).to_string()}>
                    <span class="option-key" aria-hidden="true">{index + 1}</span>
                    <span>{mark}{choice.label()}</span>
                </button>
            </li>
        }
    });
    let onopen = {
        let onaction = onaction.clone();
        let request = question.request.clone();
        Callback::from(move |_: MouseEvent| {
            onaction.emit(Action::Open(request.clone(), Profile::Rfc))
        })
    };
    let last = at + 1 == total;
    html! {
        <div class="quiz-question" data-testid="quiz-question" data-index={at.to_string()}>
            <p class="muted">{format!("Question {} of {total}", at + 1)}</p>
            <h3 class="quiz-prompt">{question.prompt.clone()}</h3>
            <p class="quiz-summary">{question.summary.clone()}</p>
            <pre class="code quiz-request" aria-label="The raw request" tabindex="0">{question.raw.clone()}</pre>
            <ol class="quiz-options" ref={options_ref.clone()} aria-label="Options">{ for options }</ol>
            if answered {
                <div class={classes!("quiz-explanation", if chosen == Some(question.answer) { "right" } else { "wrong" })}
                    data-testid="quiz-explanation" role="status">
                    <p><strong>{ if chosen == Some(question.answer) { "Right. " } else { "Not quite. " } }</strong>{question.explanation.clone()}</p>
                    <div class="toolbar">
                        <button type="button" ref={next_ref.clone()} onclick={onnext} data-testid="quiz-next">
                            { if last { "See the score" } else { "Next question" } }
                        </button>
                        <button type="button" onclick={onopen} data-testid="quiz-open">{"Open in the simulator"}</button>
                    </div>
                    <details class="quiz-path" open=true>
                        <summary>{"The path it took"}</summary>
                        <DecisionPath nodes={Rc::new(graph(Profile::Rfc))} evaluation={Rc::new(question.evaluation.clone())}
                            step={question.evaluation.trace.len().saturating_sub(1)} />
                    </details>
                </div>
            }
        </div>
    }
}

/// A fresh seed for "New quiz": small enough to read out and type.
fn random_seed() -> u64 {
    (dom::random() * 100_000.0) as u64
}
