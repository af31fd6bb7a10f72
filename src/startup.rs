//! Which scenario the app opens at start-up, and what it says about it: a link's scenario (or
//! the autosave when the link is the one this browser wrote), a built-in example by name, the
//! autosave, or the first-visit example; a bad link or an unreadable autosave explained; a
//! browser that keeps nothing told so once.
//!
//! Plain Rust, tested natively: `ui::persistence` reads the address and the storage and hands
//! them here, then wires the result to the page.

use crate::engine::{Scenario, examples};
use crate::share::LinkTarget;
use crate::wording::{example_text, sentence, shorten};

/// The notice of a scenario opened from a shared link.
pub const SHARED_LINK_TEXT: &str =
    "Opened from a shared link; it is not saved in this browser yet.";

/// What a browser that keeps nothing is told to do instead.
pub const NOTHING_KEPT: &str = "Nothing you enter will be kept after this tab closes: copy the \
    link or export the scenario as a file to keep it.";

/// A message shown with the opened scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartNotice {
    /// Something went wrong (a bad link, an unreadable autosave), rather than information.
    pub error: bool,
    pub text: String,
}

/// The scenario to open and what to say.
#[derive(Clone, Debug, PartialEq)]
pub struct Start {
    pub scenario: Scenario,
    pub notice: Option<StartNotice>,
    /// The autosave was opened: this tab may overwrite it (any other autosave is kept first).
    pub opened_autosave: bool,
}

/// Chooses the start-up scenario.
///
/// - `target`: what the address asks to open ([`crate::share::decode_location`]), or why it
///   cannot be read;
/// - `example_name`: turns an `#example=` value into the name (percent-decoding is the
///   browser's);
/// - `load_autosave`: reads the autosave (`Ok(None)` when there is none, `Err` with a message
///   when it cannot be read; [`crate::library::UNAVAILABLE`] when storage cannot be reached at
///   all, which `storage_available` reports instead). Called at most once, and only when needed.
pub fn choose(
    target: Result<LinkTarget, String>,
    example_name: impl FnOnce(&str) -> String,
    load_autosave: impl FnOnce() -> Result<Option<Scenario>, String>,
    storage_available: bool,
) -> Start {
    let start = match target {
        Ok(LinkTarget::Scenario(linked)) => match load_autosave() {
            // A reload keeps the fragment the app wrote: it is the autosave, not a new link.
            Ok(Some(current)) if current == *linked => Start {
                scenario: current,
                notice: None,
                opened_autosave: true,
            },
            _ => Start {
                scenario: *linked,
                notice: Some(info(SHARED_LINK_TEXT.to_string())),
                opened_autosave: false,
            },
        },
        Ok(LinkTarget::Example(raw)) => {
            let name = example_name(&raw);
            match examples::scenario(&name) {
                Some(scenario) => Start {
                    scenario,
                    notice: Some(info(example_text(&name))),
                    opened_autosave: false,
                },
                None => fallback(
                    Some(format!(
                        "There is no built-in example named “{}”.",
                        shorten(&name)
                    )),
                    load_autosave,
                ),
            }
        }
        Ok(LinkTarget::Nothing) => fallback(None, load_autosave),
        Err(e) => fallback(Some(sentence(&e)), load_autosave),
    };
    if storage_available {
        return start;
    }
    let blocked = format!("{} {NOTHING_KEPT}", sentence(crate::library::UNAVAILABLE));
    let notice = match start.notice {
        Some(mut n) => {
            n.text = format!("{} {blocked}", n.text);
            n
        }
        None => info(blocked),
    };
    Start {
        notice: Some(notice),
        ..start
    }
}

fn info(text: String) -> StartNotice {
    StartNotice { error: false, text }
}

/// The autosave, else the first-visit example; `problem` (a bad link) is explained.
fn fallback(
    problem: Option<String>,
    load_autosave: impl FnOnce() -> Result<Option<Scenario>, String>,
) -> Start {
    let example = || examples::scenario(examples::FIRST_VISIT).unwrap_or_else(Scenario::new_empty);
    let instead_example = || format!("The example “{}” opened instead", examples::FIRST_VISIT);
    let (scenario, instead, storage_problem, opened_autosave) = match load_autosave() {
        Ok(Some(s)) => (
            s,
            "The scenario you last worked on opened instead".to_string(),
            None,
            true,
        ),
        Ok(None) => (example(), instead_example(), None, false),
        // Storage that cannot be reached at all is told once, by `choose`.
        Err(m) => (
            example(),
            instead_example(),
            (m != crate::library::UNAVAILABLE).then_some(m),
            false,
        ),
    };
    let mut texts = Vec::new();
    if let Some(p) = problem {
        texts.push(format!(
            "{p} {instead}; your saved scenarios are untouched."
        ));
    }
    if let Some(m) = storage_problem {
        texts.push(sentence(&m));
    }
    Start {
        scenario,
        notice: (!texts.is_empty()).then(|| StartNotice {
            error: true,
            text: texts.join(" "),
        }),
        opened_autosave,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::UNAVAILABLE;

    fn ex(name: &str) -> Scenario {
        examples::scenario(name).expect("a built-in example")
    }
    fn same(s: &str) -> String {
        s.to_string()
    }
    fn no_autosave() -> Result<Option<Scenario>, String> {
        Ok(None)
    }

    #[test]
    fn a_first_visit_opens_the_first_visit_example_without_a_word() {
        let start = choose(Ok(LinkTarget::Nothing), same, no_autosave, true);
        assert_eq!(start.scenario, ex(examples::FIRST_VISIT));
        assert_eq!(start.notice, None);
        assert!(!start.opened_autosave);
    }

    #[test]
    fn a_return_visit_opens_the_autosave() {
        let mine = ex("doc-apps-month1");
        let start = choose(
            Ok(LinkTarget::Nothing),
            same,
            || Ok(Some(mine.clone())),
            true,
        );
        assert_eq!(start.scenario, mine);
        assert_eq!(start.notice, None);
        assert!(start.opened_autosave);
    }

    #[test]
    fn a_shared_link_opens_unsaved_unless_it_is_this_browsers_own_autosave() {
        let linked = ex("doc-pages-month1");
        let mine = ex("doc-apps-month1");
        let start = choose(
            Ok(LinkTarget::Scenario(Box::new(linked.clone()))),
            same,
            || Ok(Some(mine.clone())),
            true,
        );
        assert_eq!(start.scenario, linked);
        assert_eq!(start.notice.unwrap().text, SHARED_LINK_TEXT);
        assert!(!start.opened_autosave);
        // A reload of the address the app wrote: the autosave, silently.
        let start = choose(
            Ok(LinkTarget::Scenario(Box::new(mine.clone()))),
            same,
            || Ok(Some(mine.clone())),
            true,
        );
        assert_eq!(start.scenario, mine);
        assert_eq!(start.notice, None);
        assert!(start.opened_autosave);
    }

    #[test]
    fn an_example_by_name_and_an_unknown_one() {
        let start = choose(
            Ok(LinkTarget::Example("doc%2Dapps-month1".into())),
            |raw| raw.replace("%2D", "-"),
            || panic!("the autosave is not read for a known example"),
            true,
        );
        assert_eq!(start.scenario, ex("doc-apps-month1"));
        assert_eq!(
            start.notice.unwrap().text,
            "Opened the example “doc-apps-month1”; it is not saved in this browser."
        );
        let start = choose(
            Ok(LinkTarget::Example("nope".into())),
            same,
            no_autosave,
            true,
        );
        assert_eq!(start.scenario, ex(examples::FIRST_VISIT));
        let notice = start.notice.unwrap();
        assert!(notice.error);
        assert_eq!(
            notice.text,
            "There is no built-in example named “nope”. The example “contoso” opened instead; \
             your saved scenarios are untouched."
        );
    }

    #[test]
    fn a_bad_link_falls_back_to_the_autosave_and_says_so() {
        let mine = ex("doc-apps-month1");
        let start = choose(
            Err("this link was changed or cut after it was made".into()),
            same,
            || Ok(Some(mine.clone())),
            true,
        );
        assert_eq!(start.scenario, mine);
        assert!(start.opened_autosave);
        assert_eq!(
            start.notice.unwrap().text,
            "This link was changed or cut after it was made. The scenario you last worked on \
             opened instead; your saved scenarios are untouched."
        );
    }

    #[test]
    fn an_unreadable_autosave_is_named_and_the_example_opens() {
        let start = choose(
            Ok(LinkTarget::Nothing),
            same,
            || Err("the autosaved scenario could not be read (2 problems)".into()),
            true,
        );
        assert_eq!(start.scenario, ex(examples::FIRST_VISIT));
        let notice = start.notice.unwrap();
        assert!(notice.error);
        assert_eq!(
            notice.text,
            "The autosaved scenario could not be read (2 problems)."
        );
    }

    #[test]
    fn a_browser_that_keeps_nothing_is_told_once() {
        let start = choose(
            Ok(LinkTarget::Nothing),
            same,
            || Err(UNAVAILABLE.into()),
            false,
        );
        assert_eq!(start.scenario, ex(examples::FIRST_VISIT));
        let notice = start.notice.unwrap();
        assert!(!notice.error);
        assert_eq!(notice.text.matches("keep data").count(), 1);
        assert!(notice.text.ends_with(NOTHING_KEPT));
        // With a link, the link's notice comes first, then the same sentence.
        let start = choose(
            Ok(LinkTarget::Scenario(Box::new(ex("doc-apps-month1")))),
            same,
            || Err(UNAVAILABLE.into()),
            false,
        );
        let text = start.notice.unwrap().text;
        assert!(text.starts_with(SHARED_LINK_TEXT), "{text}");
        assert!(text.ends_with(NOTHING_KEPT));
    }
}
