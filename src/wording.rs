//! Wording shared by the parts of the app that talk to the user about scenarios: sentences
//! from messages, names cut to fit, the notice of an opened example. Plain Rust that imports
//! nothing of the app, so anything can use it without an import circle.

/// A message as a sentence: capital first letter, final full stop. Messages start with an
/// English word; ASCII case mapping keeps the Unicode case tables (9 KB) out of the wasm.
pub fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let mut out: String = match chars.next() {
        Some(first) => std::iter::once(first.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// A name from outside (a link, storage) cut to a length that fits in a message.
pub fn shorten(name: &str) -> String {
    const MAX: usize = 80;
    if name.chars().count() <= MAX {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

/// The notice shown when an example opens.
pub fn example_text(name: &str) -> String {
    format!(
        "Opened the example “{}”; it is not saved in this browser.",
        shorten(name)
    )
}
