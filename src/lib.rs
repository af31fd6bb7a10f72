//! power-payg: a cost calculator for Microsoft Power Platform pay-as-you-go billing.
//!
//! - [`engine`]: the billing rules, pure Rust, tested natively.
//! - [`cards`]: which cards of the calculator are open, by default and as remembered.
//! - [`session`]: what must not be lost when scenarios are replaced or saved in several tabs.
//! - [`library`]: the scenarios saved in this browser and the app bar's rules for them.
//! - [`startup`]: which scenario the app opens at start-up, and what it says about it.
//! - [`wording`]: messages about scenarios, shared by the library and the app.
//! - `ui` (wasm32 only): the Leptos single-page app, a thin layer over the engine.
#![forbid(unsafe_code)]

pub mod cards;
pub mod engine;
pub mod import;
pub mod input;
pub mod library;
pub mod session;
pub mod share;
pub mod startup;
pub mod wording;

#[cfg(target_arch = "wasm32")]
pub mod ui;
