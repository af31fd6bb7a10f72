# The dated nightly toolchain that builds the release wasm, and only it (sourced by
# scripts/setup.sh, which installs it, and scripts/build.sh, which uses it for Trunk's cargo).
# Everything else (fmt, clippy, cargo test, the CLI, the fuzzers) stays on the stable toolchain
# that rust-toolchain.toml pins. Why a nightly: rebuilding the standard library with the app
# (-Zbuild-std) and aborting on panic without the panic machinery (panic=immediate-abort), with
# no panic locations (-Zlocation-detail=none) and no Debug formatting (-Zfmt-debug=none),
# takes a measured share off the first load (docs/benchmarks.md, "First-load transfer").
# Moving the date: install the new one, build, run scripts/size-report.sh and the browser tests.
RELEASE_TOOLCHAIN="nightly-2026-10-30"
