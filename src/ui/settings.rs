//! Scenario-wide settings (the name is in the app bar): month, price book, rule options; and the price editor.

use leptos::lazy;
use leptos::prelude::*;
use rust_decimal::Decimal;

use super::chunks::{self, ChunkUnavailable};
use super::fields::{CheckField, NumberField, NumberKind, SelectField, dom_id};
use super::show_more::BuiltWhenOpened;
use super::state::{InvalidInput, use_state};
use crate::engine::money::format_unit_price;
use crate::engine::{AllocationMode, DataverseMeasurement, PriceBookId, PriceKey, RequestStacking};
use crate::input;

/// Name, month, price book and the options for the documentation's ambiguities.
#[component]
pub fn ScenarioSettings() -> impl IntoView {
    // The options are built when first opened (see BuiltWhenOpened).
    let opened = RwSignal::new(false);
    view! {
        <section class="settings" aria-labelledby="settings-title">
            <h2 id="settings-title">"Scenario"</h2>
            <div class="row-fields">
                <SelectField
                    label="Price book".to_string()
                    help="The dated documentation whose prices and rules apply: 2023-06 (the seed), 2025-02 (daily Dataverse snapshots), 2025-05 on (Copilot Credits). docs/price-books.md lists every price with its source."
                    options=PriceBookId::ALL.into_iter().map(|b| (b.key(), b.key())).collect()
                    testid="price-book"
                    get=|s| Some(s.price_book.key())
                    set=|s, v| {
                        if let Some(b) = PriceBookId::from_key(v) {
                            s.price_book = b;
                        }
                    }
                />
                <NumberField
                    label="Year".to_string()
                    path="month.year".to_string()
                    kind=NumberKind::Bounded(crate::engine::limits::MIN_YEAR, crate::engine::limits::MAX_YEAR)
                    testid="month-year"
                    get=|s| Some(Decimal::from(s.month.year))
                    set=|s, v| s.month.year = u16::try_from(super::forms::to_count(v)).unwrap_or(s.month.year)
                />
                <NumberField
                    label="Month".to_string()
                    help="Calendar month in UTC (AMB-1); its days drive Dataverse snapshots (DV-7)."
                    path="month.month".to_string()
                    kind=NumberKind::Bounded(1, 12)
                    testid="month-month"
                    get=|s| Some(Decimal::from(s.month.month))
                    set=|s, v| s.month.month = u8::try_from(super::forms::to_count(v)).unwrap_or(s.month.month)
                />
            </div>
            <details class="options" on:toggle=move |_| if !opened.get_untracked() { opened.set(true) }>
                <summary>"Rule options (the documentation's ambiguities)"</summary>
                <BuiltWhenOpened opened=opened>
                <div class="row-fields">
                    <CheckField
                        label="Cap billed runs at 1,000 per flow per day".to_string()
                        help="Preview rule PA-14; runs above the cap are reported, not billed (AMB-8)."
                        testid="opt-flow-cap"
                        get=|s| Some(s.options.flow_daily_cap)
                        set=|s, v| s.options.flow_daily_cap = v
                    />
                    <CheckField
                        label="Process / per-flow licences also cover unattended runs".to_string()
                        help="Off by default: PAYG ignores unattended capacity, so those runs are charged (AMB-6)."
                        testid="opt-process-unattended"
                        get=|s| Some(s.options.process_licence_covers_unattended)
                        set=|s, v| s.options.process_licence_covers_unattended = v
                    />
                    <SelectField
                        label="Bill Power Platform requests".to_string()
                        help="Not billed in any known version of the documentation (PR-1, AMB-20)."
                        options=vec![("book", "As the price book says (not billed)"), ("on", "Bill them"), ("off", "Do not bill")]
                        testid="opt-requests-billing"
                        get=|s| Some(match s.options.requests_billing_active {
                            None => "book",
                            Some(true) => "on",
                            Some(false) => "off",
                        })
                        set=|s, v| s.options.requests_billing_active = match v {
                            "on" => Some(true),
                            "off" => Some(false),
                            _ => None,
                        }
                    />
                    <SelectField
                        label="Requests: several licences of one user".to_string()
                        help="Official limits add paid licences up; during the transition only the highest counts (PR-5, AMB-16)."
                        options=RequestStacking::ALL.map(|x| (x.key(), x.label())).to_vec()
                        testid="opt-stacking"
                        get=|s| Some(s.options.request_stacking.key())
                        set=|s, v| if let Some(x) = RequestStacking::from_key(v) { s.options.request_stacking = x }
                    />
                    <CheckField
                        label="Per-app meter users get 6,000 requests per app (not per user)".to_string()
                        help="The meters page says per user per app; the limits page says per user (PR-3, AMB-9)."
                        testid="opt-per-app-entitlement"
                        get=|s| Some(s.options.per_app_entitlement_per_app)
                        set=|s, v| s.options.per_app_entitlement_per_app = v
                    />
                    <SelectField
                        label="Dataverse measurement".to_string()
                        help="Simulate the book's snapshots (a 31-day month bills 31/30), or average overage × monthly rate (AMB-11)."
                        options=DataverseMeasurement::ALL.map(|x| (x.key(), x.label())).to_vec()
                        testid="opt-dataverse-measurement"
                        get=|s| Some(s.options.dataverse_measurement.key())
                        set=|s, v| if let Some(x) = DataverseMeasurement::from_key(v) { s.options.dataverse_measurement = x }
                    />
                    <SelectField
                        label="Dataverse allocated capacity and the free 1 GB".to_string()
                        help="2025-02 book: an allocation replaces the free GB, or the larger counts, or both add up (AMB-10)."
                        options=AllocationMode::ALL.map(|x| (x.key(), x.label())).to_vec()
                        testid="opt-dataverse-allocation"
                        get=|s| Some(s.options.dataverse_allocation.key())
                        set=|s, v| if let Some(x) = AllocationMode::from_key(v) { s.options.dataverse_allocation = x }
                    />
                </div>
                </BuiltWhenOpened>
            </details>
        </section>
    }
}

/// Every price of the book with an input for a negotiated price (empty = list price).
#[component]
pub fn PriceEditor() -> impl IntoView {
    let state = use_state();
    // The table (a row per price, 200 elements) is built when first opened, from a chunk of
    // its own: negotiating a price is rare, and the first total needs neither its elements
    // nor its code.
    let opened = RwSignal::new(false);
    // Negotiated prices are printed with the report, and printing cannot wait for a chunk: a
    // scenario that has any builds the table (and fetches its chunk) as soon as it has them.
    let negotiated = Memo::new(move |_| state.scenario.with(|s| !s.price_overrides.is_empty()));
    Effect::new(move |_| {
        if negotiated.get() && !opened.get_untracked() {
            opened.set(true);
        }
    });
    view! {
        <details
            class="price-editor"
            data-testid="price-editor"
            on:toggle=move |_| if !opened.get_untracked() { opened.set(true) }
        >
            <summary>
                <h2>"Prices"</h2>
                <span class="summary-note">
                    {move || {
                        let n = state.scenario.with(|s| s.price_overrides.len());
                        if n == 0 { "list prices".to_string() } else { format!("{n} negotiated") }
                    }}
                </span>
            </summary>
            <BuiltWhenOpened opened=opened>
                <PriceTable />
            </BuiltWhenOpened>
        </details>
    }
}

/// The price table, once its chunk is here; a note while it is fetched (see
/// [`super::chunks`]).
#[component]
fn PriceTable() -> impl IntoView {
    let table = Suspend::new(async move {
        price_table().await.unwrap_or_else(|ChunkUnavailable| {
            chunks::unavailable("price table", "Reload the page to retry.")
        })
    });
    // As the Copilot Credits form: CSS hides the note once the table follows it (`.pending`).
    view! {
        <p class="note pending">"Loading the prices…"</p>
        {table}
    }
}

/// The price table, in a chunk of its own.
#[lazy(fallible)]
fn price_table() -> Result<AnyView, ChunkUnavailable> {
    let state = use_state();
    // Building a book is not free; the list prices change only with the book, not per edit.
    let book = Memo::new(move |_| state.scenario.with(|s| s.price_book));
    Ok(view! {
        <p class="section-help">
            "Leave a price empty to use the book's list price. Lines that use a negotiated price are marked in the breakdown."
        </p>
        <table class="prices">
            <thead>
                <tr>
                    <th scope="col">"Price"</th>
                    <th scope="col">"List"</th>
                    <th scope="col">"Negotiated (USD)"</th>
                </tr>
            </thead>
            <tbody>
                {PriceKey::ALL.into_iter().map(|k| view! { <PriceRow key=k book=book /> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any())
}

/// One price: its list value in the current book and an override input.
#[component]
fn PriceRow(key: PriceKey, book: Memo<PriceBookId>) -> impl IntoView {
    let state = use_state();
    let id = dom_id("p");
    let msg_id = format!("{id}-msg");
    let initial = state
        .scenario
        .with_untracked(|s| {
            s.price_overrides
                .get(&key)
                .map(|d| d.normalize().to_string())
        })
        .unwrap_or_default();
    let text = RwSignal::new(initial);
    let error = RwSignal::new(None::<String>);
    let path = format!("price_overrides.{}", key.key());
    let list = move || match book.get().book().prices.get(&key) {
        Some(p) => format_unit_price(*p),
        None => "not in this book".to_string(),
    };
    view! {
        <tr>
            <th scope="row">
                <label for=id.clone()>{key.label()}</label>
            </th>
            <td>{list}</td>
            <td>
                <input
                    id=id
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    placeholder="list price"
                    data-testid=format!("price-{}", key.key())
                    prop:value=move || text.get()
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    aria-describedby=msg_id.clone()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        if v.trim().is_empty() {
                            error.set(None);
                            state.invalid.update(|m| { m.remove(&path); });
                            state.scenario.update(|s| { s.price_overrides.remove(&key); });
                        } else {
                            match input::parse_decimal(&v, input::MAX_PRICE, "a price") {
                                Ok(p) => {
                                    error.set(None);
                                    state.invalid.update(|m| { m.remove(&path); });
                                    state.scenario.update(|s| { s.price_overrides.insert(key, p); });
                                }
                                Err(message) => {
                                    error.set(Some(message.clone()));
                                    state.invalid.update(|m| {
                                        m.insert(path.clone(), InvalidInput { label: key.label().to_string(), message });
                                    });
                                }
                            }
                        }
                        text.set(v);
                    }
                />
                <span class="field-error" id=msg_id role="alert">{move || error.get()}</span>
            </td>
        </tr>
    }
}
