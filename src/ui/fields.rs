//! Form fields bound to one place in the scenario.
//!
//! Every field keeps the raw text the user typed. Valid text updates the scenario at once
//! (and so the breakdown); invalid text shows a message next to the field, marks the input
//! `aria-invalid`, and is listed in the breakdown, while the scenario keeps the last valid
//! value. The text is never rewritten under the cursor.

use std::sync::atomic::{AtomicU64, Ordering};

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::state::{InvalidInput, use_state};
use crate::engine::Scenario;
use crate::input;

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// A field's reader and writer, boxed. Field components are instantiated hundreds of times;
/// each component takes plain `impl Fn` props (so closures infer their signatures) and at
/// once hands boxed versions to one non-generic body. Generic bodies would compile one copy
/// per call site, which tripled the wasm size.
type FieldGet<T> = Box<dyn Fn(&Scenario) -> Option<T> + Send + Sync>;
type FieldSet<T> = Box<dyn Fn(&mut Scenario, T) + Send + Sync>;
type FieldSetKey = Box<dyn Fn(&mut Scenario, &str) + Send + Sync>;

/// A unique DOM id for label/input/message wiring.
pub fn dom_id(prefix: &str) -> String {
    format!("{prefix}-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed))
}

/// How a numeric field parses and shows its value.
#[derive(Clone, Copy)]
pub enum NumberKind {
    /// Whole number ≥ 0 (users, runs, requests).
    Count,
    /// Whole number in a range (days, licences).
    Bounded(u64, u64),
    /// GB, exact decimal ≥ 0.
    Gigabytes,
    /// A price in USD, exact decimal ≥ 0.
    Price,
    /// A share in percent, exact decimal from 0 to 100.
    Percent,
}

impl NumberKind {
    fn parse(self, text: &str) -> Result<Decimal, String> {
        match self {
            NumberKind::Count => input::parse_count(text).map(Decimal::from),
            NumberKind::Bounded(lo, hi) => input::parse_bounded(text, lo, hi).map(Decimal::from),
            NumberKind::Gigabytes => input::parse_decimal(text, input::MAX_GB, "GB"),
            NumberKind::Price => input::parse_decimal(text, input::MAX_PRICE, "a price"),
            NumberKind::Percent => input::parse_decimal(text, 100, "a percentage"),
        }
    }

    fn input_mode(self) -> &'static str {
        match self {
            NumberKind::Count | NumberKind::Bounded(..) => "numeric",
            NumberKind::Gigabytes | NumberKind::Price | NumberKind::Percent => "decimal",
        }
    }
}

/// A numeric input. `get` reads the current value from the scenario (for the initial
/// text); `set` writes a valid value. Whole-number kinds hand `set` an integral Decimal.
#[component]
pub fn NumberField(
    /// Visible label.
    label: String,
    /// One sentence of help, ending with the rule the field feeds.
    #[prop(optional, into)]
    help: String,
    /// Field path used for the invalid-inputs list, e.g. `environments[0].apps[1].users`.
    path: String,
    kind: NumberKind,
    /// Reads the value from the scenario.
    get: impl Fn(&Scenario) -> Option<Decimal> + Send + Sync + 'static,
    /// Writes a valid value into the scenario.
    set: impl Fn(&mut Scenario, Decimal) + Send + Sync + 'static,
    /// `data-testid` of the input.
    #[prop(optional, into)]
    testid: String,
    /// Unit shown after the input (GB, $).
    #[prop(optional, into)]
    unit: String,
) -> impl IntoView {
    number_field(
        label,
        help,
        path,
        kind,
        Box::new(get),
        Box::new(set),
        testid,
        unit,
    )
}

#[allow(clippy::too_many_arguments)]
fn number_field(
    label: String,
    help: String,
    path: String,
    kind: NumberKind,
    get: FieldGet<Decimal>,
    set: FieldSet<Decimal>,
    testid: String,
    unit: String,
) -> AnyView {
    let state = use_state();
    let initial = state
        .scenario
        .with_untracked(|s| get(s))
        .map(|d| d.normalize().to_string())
        .unwrap_or_default();
    let text = RwSignal::new(initial);
    let error = RwSignal::new(None::<String>);
    let id = dom_id("f");
    let msg_id = format!("{id}-msg");
    let help_id = format!("{id}-help");
    let has_help = !help.is_empty();
    let describedby = {
        let (msg_id, help_id) = (msg_id.clone(), help_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_help {
                ids.push(help_id.clone());
            }
            if error.get().is_some() {
                ids.push(msg_id.clone());
            }
            ids.join(" ")
        }
    };
    let path_for_cleanup = path.clone();
    on_cleanup(move || {
        state.invalid.update(|m| {
            m.remove(&path_for_cleanup);
        });
    });
    let label_for_invalid = label.clone();
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        match kind.parse(&value) {
            Ok(v) => {
                error.set(None);
                // Notify the invalid-inputs list only when this field leaves it.
                if state.invalid.with_untracked(|m| m.contains_key(&path)) {
                    state.invalid.update(|m| {
                        m.remove(&path);
                    });
                }
                state.scenario.update(|s| set(s, v));
            }
            Err(message) => {
                error.set(Some(message.clone()));
                state.invalid.update(|m| {
                    m.insert(
                        path.clone(),
                        InvalidInput {
                            label: label_for_invalid.clone(),
                            message,
                        },
                    );
                });
            }
        }
        text.set(value);
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <span class="input-unit">
                <input
                    id=id.clone()
                    type="text"
                    inputmode=kind.input_mode()
                    autocomplete="off"
                    spellcheck="false"
                    data-testid=testid
                    prop:value=move || text.get()
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    aria-describedby=describedby
                    on:input=on_input
                />
                {(!unit.is_empty()).then(|| view! { <span class="unit">{unit}</span> })}
            </span>
            {has_help.then(|| view! { <small class="help" id=help_id>{help}</small> })}
            <span class="field-error" id=msg_id role="alert">
                {move || error.get()}
            </span>
        </div>
    }
    .into_any()
}

/// A text input (names). Any text is valid.
#[component]
pub fn TextField(
    label: String,
    get: impl Fn(&Scenario) -> Option<String> + Send + Sync + 'static,
    set: impl Fn(&mut Scenario, String) + Send + Sync + 'static,
    #[prop(optional, into)] testid: String,
    #[prop(optional, into)] class: String,
) -> impl IntoView {
    text_field(label, Box::new(get), Box::new(set), testid, class)
}

fn text_field(
    label: String,
    get: FieldGet<String>,
    set: FieldSet<String>,
    testid: String,
    class: String,
) -> AnyView {
    let state = use_state();
    let initial = state
        .scenario
        .with_untracked(|s| get(s))
        .unwrap_or_default();
    let id = dom_id("t");
    view! {
        <div class=format!("field {class}")>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                autocomplete="off"
                data-testid=testid
                prop:value=initial
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    state.scenario.update(|s| set(s, v));
                    // Names shown elsewhere (legends, headings) follow text and choice fields.
                    state.names.update(|n| *n = n.wrapping_add(1));
                }
            />
        </div>
    }
    .into_any()
}

/// A checkbox bound to a boolean in the scenario.
#[component]
pub fn CheckField(
    label: String,
    #[prop(optional, into)] help: String,
    get: impl Fn(&Scenario) -> Option<bool> + Send + Sync + 'static,
    set: impl Fn(&mut Scenario, bool) + Send + Sync + 'static,
    #[prop(optional, into)] testid: String,
) -> impl IntoView {
    check_field(label, help, Box::new(get), Box::new(set), testid)
}

fn check_field(
    label: String,
    help: String,
    get: FieldGet<bool>,
    set: FieldSet<bool>,
    testid: String,
) -> AnyView {
    let state = use_state();
    let id = dom_id("c");
    let help_id = format!("{id}-help");
    let has_help = !help.is_empty();
    view! {
        <div class="field field-check">
            <input
                id=id.clone()
                type="checkbox"
                data-testid=testid
                aria-describedby=if has_help { help_id.clone() } else { String::new() }
                // Read once: only this checkbox changes the value, and a replaced scenario
                // rebuilds the field. Tracking would re-run every checkbox on every keystroke.
                prop:checked=state.scenario.with_untracked(|s| get(s).unwrap_or(false))
                on:change=move |ev| {
                    let checked = event_target_checked(&ev);
                    state.scenario.update(|s| set(s, checked));
                }
            />
            <label for=id>{label}</label>
            {has_help.then(|| view! { <small class="help" id=help_id>{help}</small> })}
        </div>
    }
    .into_any()
}

/// A select among fixed options `(key, label)`, bound to the scenario.
#[component]
pub fn SelectField(
    label: String,
    #[prop(optional, into)] help: String,
    options: Vec<(&'static str, &'static str)>,
    get: impl Fn(&Scenario) -> Option<&'static str> + Send + Sync + 'static,
    set: impl Fn(&mut Scenario, &str) + Send + Sync + 'static,
    #[prop(optional, into)] testid: String,
) -> impl IntoView {
    select_field(label, help, options, Box::new(get), Box::new(set), testid)
}

fn select_field(
    label: String,
    help: String,
    options: Vec<(&'static str, &'static str)>,
    get: FieldGet<&'static str>,
    set: FieldSetKey,
    testid: String,
) -> AnyView {
    let state = use_state();
    let id = dom_id("s");
    let help_id = format!("{id}-help");
    let has_help = !help.is_empty();
    let current = state.scenario.with_untracked(|s| get(s)).unwrap_or("");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                data-testid=testid
                aria-describedby=if has_help { help_id.clone() } else { String::new() }
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    state.scenario.update(|s| set(s, &v));
                    state.names.update(|n| *n = n.wrapping_add(1));
                }
            >
                {options
                    .into_iter()
                    .map(|(key, text)| {
                        view! {
                            <option value=key selected=key == current>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {has_help.then(|| view! { <small class="help" id=help_id>{help}</small> })}
        </div>
    }
    .into_any()
}
