//! The ISV's view: customers in the Power Automate embed program (EM-1..5).

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::super::fields::{NumberField, NumberKind, TextField};
use super::super::state::use_state;
use super::{RemoveButton, rows, to_count};
use crate::engine::{IsvCustomer, Scenario};

fn customer_ref(s: &Scenario, c: usize) -> Option<&IsvCustomer> {
    s.isv_customers.get(c)
}

fn customer_mut(s: &mut Scenario, c: usize) -> Option<&mut IsvCustomer> {
    s.isv_customers.get_mut(c)
}

/// The customers of an ISV in the embed program, for the whole scenario.
#[component]
pub fn EmbedForm() -> impl IntoView {
    let state = use_state();
    let count = move || state.scenario.with_untracked(|s| s.isv_customers.len());
    view! {
        <section class="embed" aria-labelledby="embed-title" data-testid="embed">
            <h2 id="embed-title">"ISV embed program"</h2>
            <p class="section-help">
                "For ISVs whose premium connectors are in the Power Automate embed program: you pay $0.60 per run "
                "for customers' makers without a premium Power Automate licence (EM-1, EM-5); runs by makers who "
                "already have one are free (EM-3)."
            </p>
            {rows(count, move |c| view! { <CustomerRow customer=c /> })}
            <button
                type="button"
                class="add"
                data-testid="add-isv-customer"
                on:click=move |_| {
                    state
                        .restructure(|s| {
                            let n = s.isv_customers.len() + 1;
                            s.isv_customers
                                .push(IsvCustomer {
                                    name: format!("Customer {n}"),
                                    makers: 0,
                                    premium_licensed_makers: 0,
                                    runs_per_maker: 0,
                                });
                        })
                }
            >
                "Add customer"
            </button>
        </section>
    }
}

/// One customer: name, makers, makers with a premium licence, runs per maker.
#[component]
fn CustomerRow(customer: usize) -> impl IntoView {
    let state = use_state();
    let c = customer;
    let path = format!("isv_customers[{c}]");
    view! {
        <fieldset class="row-card" data-testid=format!("isv-{c}")>
            <legend>{super::name_of(move |s| customer_ref(s, c).map(|x| x.name.as_str()))}</legend>
            <div class="row-fields">
                <TextField
                    label="Customer name".to_string()
                    testid=format!("isv-{c}-name")
                    get=move |s| customer_ref(s, c).map(|x| x.name.clone())
                    set=move |s, v| if let Some(x) = customer_mut(s, c) { x.name = v }
                />
                <NumberField
                    label="Makers".to_string()
                    help="Makers at this customer who run flows with your premium connectors (EM-1)."
                    path=format!("{path}.makers")
                    kind=NumberKind::Count
                    testid=format!("isv-{c}-makers")
                    get=move |s| customer_ref(s, c).map(|x| Decimal::from(x.makers))
                    set=move |s, v| if let Some(x) = customer_mut(s, c) { x.makers = to_count(v) }
                />
                <NumberField
                    label="Makers with a premium licence".to_string()
                    help="Of those makers, how many already hold a premium Power Automate licence; their runs are free (EM-3)."
                    path=format!("{path}.premium_licensed_makers")
                    kind=NumberKind::Count
                    testid=format!("isv-{c}-premium-makers")
                    get=move |s| customer_ref(s, c).map(|x| Decimal::from(x.premium_licensed_makers))
                    set=move |s, v| if let Some(x) = customer_mut(s, c) { x.premium_licensed_makers = to_count(v) }
                />
                <NumberField
                    label="Runs per maker".to_string()
                    help="Flow runs per maker this month that involve your connectors (EM-2, EM-5)."
                    path=format!("{path}.runs_per_maker")
                    kind=NumberKind::Count
                    testid=format!("isv-{c}-runs")
                    get=move |s| customer_ref(s, c).map(|x| Decimal::from(x.runs_per_maker))
                    set=move |s, v| if let Some(x) = customer_mut(s, c) { x.runs_per_maker = to_count(v) }
                />
            </div>
            <div class="row-actions">
                <RemoveButton
                    label="Remove customer".to_string()
                    on_remove=move || state.restructure(|s| {
                        if c < s.isv_customers.len() { s.isv_customers.remove(c); }
                    })
                />
            </div>
        </fieldset>
    }
}
