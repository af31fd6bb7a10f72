//! Copilot Studio: billed messages, or events converted to messages (CS-1..4, AMB-22).

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::super::fields::{NumberField, NumberKind};
use super::to_count;
use crate::engine::{CopilotStudio, Scenario};

/// Reaches one count of [`CopilotStudio`].
type CountLens = fn(&mut CopilotStudio) -> &mut u64;

/// One input: field name (for the path), testid key, label, help, accessor.
struct Count {
    field: &'static str,
    key: &'static str,
    label: &'static str,
    help: &'static str,
    lens: CountLens,
}

fn counts() -> [Count; 6] {
    [
        Count {
            field: "messages",
            key: "messages",
            label: "Billed messages",
            help: "Billed messages as the Azure meter reports them (CS-1).",
            lens: |x| &mut x.messages,
        },
        Count {
            field: "classic_answers",
            key: "classic-answers",
            label: "Classic answers",
            help: "Answers from authored topics, converted with the 2025-02 book's messages per event: 1 (CS-3).",
            lens: |x| &mut x.classic_answers,
        },
        Count {
            field: "generative_answers",
            key: "generative-answers",
            label: "Generative answers",
            help: "Answers generated from knowledge sources, converted with the 2025-02 book's messages per event: 2 (CS-3).",
            lens: |x| &mut x.generative_answers,
        },
        Count {
            field: "agent_actions",
            key: "agent-actions",
            label: "Agent actions",
            help: "Autonomous actions taken by an agent, converted with the 2025-02 book's messages per event: 25 (CS-3).",
            lens: |x| &mut x.agent_actions,
        },
        Count {
            field: "graph_grounding",
            key: "graph-grounding",
            label: "Microsoft Graph grounding",
            help: "Answers grounded in tenant Microsoft Graph data, converted with the 2025-02 book's messages per event: 30 (CS-3).",
            lens: |x| &mut x.graph_grounding,
        },
        Count {
            field: "m365_licensed_messages",
            key: "m365-licensed-messages",
            label: "Messages of Microsoft 365 Copilot users",
            help: "Messages of Microsoft 365 Copilot-licensed users in employee-facing agents, which are not charged (AMB-22).",
            lens: |x| &mut x.m365_licensed_messages,
        },
    ]
}

fn copilot_ref(s: &Scenario, e: usize) -> Option<CopilotStudio> {
    s.environments.get(e).map(|x| x.copilot_studio)
}

fn copilot_mut(s: &mut Scenario, e: usize) -> Option<&mut CopilotStudio> {
    s.environments.get_mut(e).map(|x| &mut x.copilot_studio)
}

/// The Copilot Studio usage of one environment.
#[component]
pub fn CopilotForm(env: usize) -> impl IntoView {
    let e = env;
    view! {
        <p class="section-help">
            "The Copilot Studio meter exists from the 2025-02 book (pay-as-you-go from 1 Dec 2024, CS-1). "
            "Enter the billed messages from the Azure report, or count events and let them be converted to messages (CS-3)."
        </p>
        <div class="row-fields">
            {counts()
                .into_iter()
                .map(|x| {
                    let lens = x.lens;
                    view! {
                        <NumberField
                            label=x.label.to_string()
                            help=x.help
                            path=format!("environments[{e}].copilot_studio.{}", x.field)
                            kind=NumberKind::Count
                            testid=format!("copilot-{e}-{}", x.key)
                            get=move |s| copilot_ref(s, e).map(|mut c| Decimal::from(*lens(&mut c)))
                            set=move |s, v| if let Some(c) = copilot_mut(s, e) { *lens(c) = to_count(v) }
                        />
                    }
                })
                .collect_view()}
        </div>
    }
}
