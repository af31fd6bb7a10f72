//! The browser app's entry point: install the panic hook, mount the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    power_payg::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("power-payg-web is the browser app: build it with `trunk build` (see README.md).");
    std::process::exit(2);
}
