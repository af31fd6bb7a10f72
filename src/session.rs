//! What must not be lost while scenarios are opened, replaced and saved, in one browser with
//! any number of tabs: the rules, as plain Rust (no web crate), tested natively. The browser
//! layer (`ui::persistence`) reads and writes storage and asks these functions what to do.
//!
//! - [`RecentlyClosed`]: scenarios that were replaced or about to be overwritten while they
//!   held work kept nowhere else (a new scenario, an example, a file or a link opened over
//!   edits; an autosave written by another tab or a newer version; a saved scenario changed in
//!   two tabs). The user reopens them from the scenario bar.
//! - [`autosave_write`] and [`named_write`]: compare what storage holds with what this tab
//!   last wrote or read there (by [`fingerprint`]), so that a tab never silently overwrites
//!   what another tab (or an earlier visit) put there.

/// The first line of a stored list ([`RecentlyClosed::to_text`]).
const RECENT_FORMAT: &str = "recent/1\n";

/// How many closed scenarios are kept: enough to undo a few mistakes, few enough that the list
/// stays a glance (and storage small).
pub const RECENT_MAX: usize = 8;

/// A fingerprint of a stored text (FNV-1a, 64 bits): stable across tabs and builds, which
/// `DefaultHasher` does not promise. Tabs only compare their own fingerprints with the text
/// they read, so collisions could at worst miss a conflict between two different texts with
/// the same 64-bit fingerprint.
pub fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// One scenario that left the screen (or storage) with work in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedScenario {
    /// The scenario's name, for the list.
    pub name: String,
    /// Why it was kept ("replaced by the example “contoso”", "autosave of another tab" …).
    pub why: String,
    /// When, in milliseconds since 1970 (the browser's clock).
    pub closed_at_ms: u64,
    /// The scenario as stored (the file format); kept as text so that a scenario this version
    /// cannot read (written by a newer one) is kept too.
    pub text: String,
}

/// The recently closed scenarios, newest first, at most [`RECENT_MAX`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecentlyClosed {
    pub entries: Vec<ClosedScenario>,
}

impl RecentlyClosed {
    /// Reads the stored list; a damaged one reads as empty (it only ever holds copies), and
    /// so does one of another format version.
    ///
    /// The format is `recent/1\n` and, per entry, four length-prefixed fields (`LEN:TEXT`, the
    /// length in bytes): name, reason, time, scenario text. Hand-written rather than serde:
    /// derived (de)serialisers for these types cost kilobytes of wasm, this costs a few hundred
    /// bytes, and the scenario text inside is stored as it is, not escaped.
    pub fn from_text(text: &str) -> RecentlyClosed {
        fn field<'a>(rest: &mut &'a str) -> Option<&'a str> {
            let (len, tail) = rest.split_once(':')?;
            let len: usize = len.parse().ok()?;
            let value = tail.get(..len)?;
            *rest = tail.get(len..)?;
            Some(value)
        }
        let Some(mut rest) = text.strip_prefix(RECENT_FORMAT) else {
            return RecentlyClosed::default();
        };
        let mut entries = Vec::new();
        while !rest.is_empty() && entries.len() < RECENT_MAX {
            let entry = (|| {
                Some(ClosedScenario {
                    name: field(&mut rest)?.to_string(),
                    why: field(&mut rest)?.to_string(),
                    closed_at_ms: field(&mut rest)?.parse().ok()?,
                    text: field(&mut rest)?.to_string(),
                })
            })();
            match entry {
                Some(e) => entries.push(e),
                None => return RecentlyClosed::default(),
            }
        }
        RecentlyClosed { entries }
    }

    pub fn to_text(&self) -> String {
        let mut out = String::from(RECENT_FORMAT);
        for e in &self.entries {
            let time = e.closed_at_ms.to_string();
            for value in [
                e.name.as_str(),
                e.why.as_str(),
                time.as_str(),
                e.text.as_str(),
            ] {
                out.push_str(&value.len().to_string());
                out.push(':');
                out.push_str(value);
            }
        }
        out
    }

    /// Keeps `entry` first. The same text is kept once (the newest reason wins), and an entry
    /// with the same name and reason is replaced: two tabs writing the autosave in turn would
    /// otherwise fill the list with every intermediate version of each other.
    pub fn keep(&mut self, entry: ClosedScenario) {
        self.entries
            .retain(|e| e.text != entry.text && !(e.name == entry.name && e.why == entry.why));
        self.entries.insert(0, entry);
        self.entries.truncate(RECENT_MAX);
    }

    /// Takes the entry at `index` out of the list (it is being reopened).
    pub fn take(&mut self, index: usize) -> Option<ClosedScenario> {
        (index < self.entries.len()).then(|| self.entries.remove(index))
    }
}

/// Whether the open scenario holds work that replacing it would lose: it was edited since it
/// was opened (or it was reopened from the recently closed list, which only holds work), and
/// it is not exactly what is saved under its name.
pub fn worth_keeping(edited: bool, open_text: &str, saved_text: Option<&str>) -> bool {
    edited && saved_text != Some(open_text)
}

/// Before this tab writes the autosave: what storage holds there now, and what this tab last
/// wrote there or opened from there (`None`: it never did). Returns the stored text to keep
/// in the recently closed list first, if it is work this tab does not have: written by
/// another tab, an earlier visit, or a newer version of the app.
pub fn autosave_write<'a>(
    stored: Option<&'a str>,
    known: Option<u64>,
    new_text: &str,
) -> Option<&'a str> {
    let stored = stored?;
    let ours = known == Some(fingerprint(stored));
    (!ours && stored != new_text).then_some(stored)
}

/// What to do with a write to the scenario saved under this tab's name for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NamedWrite {
    /// Storage holds what this tab last wrote or opened: write.
    Write,
    /// Storage holds something else: another tab changed it. Do not overwrite; the user
    /// chooses (both versions stay: the other in storage, this one open).
    ChangedElsewhere,
    /// Nothing is saved under the name any more, and no saved scenario holds this tab's
    /// last version: it was deleted (or renamed and then changed) in another tab.
    Gone,
    /// The scenario was renamed in another tab: the name that now holds this tab's last
    /// version.
    Renamed(String),
}

/// Decides a write under `name`. `stored` is what storage holds under that name, `known` the
/// fingerprint of what this tab last wrote or opened there, `saved` every saved scenario (name,
/// text) to recognise a rename.
pub fn named_write<'a>(
    stored: Option<&str>,
    known: Option<u64>,
    saved: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> NamedWrite {
    match (stored, known) {
        (Some(_), None) => NamedWrite::Write,
        (Some(text), Some(k)) if fingerprint(text) == k => NamedWrite::Write,
        (Some(_), Some(_)) => NamedWrite::ChangedElsewhere,
        (None, known) => known
            .and_then(|k| {
                saved
                    .into_iter()
                    .find(|(_, text)| fingerprint(text) == k)
                    .map(|(name, _)| NamedWrite::Renamed(name.to_string()))
            })
            .unwrap_or(NamedWrite::Gone),
    }
}

/// The first `"name"` string in a stored scenario's JSON text, found without parsing it: for
/// labelling a scenario this version cannot decode (a newer version's). The scenario format
/// writes the scenario's own name before any nested one.
pub fn name_in(text: &str) -> Option<String> {
    let after_key = text.split_once("\"name\"")?.1.trim_start();
    let value = after_key
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    let mut name = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(name),
            '\\' => name.push(chars.next()?),
            c => name.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closed(name: &str, why: &str, text: &str) -> ClosedScenario {
        ClosedScenario {
            name: name.to_string(),
            why: why.to_string(),
            closed_at_ms: 1,
            text: text.to_string(),
        }
    }

    #[test]
    fn fingerprints_differ_for_one_changed_character_and_are_stable() {
        assert_ne!(fingerprint("{\"users\":5}"), fingerprint("{\"users\":6}"));
        assert_eq!(fingerprint(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fingerprint("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn recently_closed_keeps_the_newest_first_once_each_and_at_most_eight() {
        let mut r = RecentlyClosed::default();
        for i in 0..10 {
            r.keep(closed(&format!("S{i}"), "replaced", &format!("t{i}")));
        }
        assert_eq!(r.entries.len(), RECENT_MAX);
        assert_eq!(r.entries[0].name, "S9");
        assert_eq!(r.entries[7].name, "S2");
        // The same text again moves to the front instead of appearing twice.
        r.keep(closed("S5 again", "replaced", "t5"));
        assert_eq!(r.entries.iter().filter(|e| e.text == "t5").count(), 1);
        assert_eq!(r.entries[0].name, "S5 again");
        // Same name and reason: the newer version replaces the older.
        r.keep(closed("Other tab", "autosave of another tab", "v1"));
        r.keep(closed("Other tab", "autosave of another tab", "v2"));
        assert_eq!(
            r.entries.iter().filter(|e| e.name == "Other tab").count(),
            1
        );
        assert_eq!(r.entries[0].text, "v2");
    }

    #[test]
    fn recently_closed_round_trips_and_a_damaged_list_reads_empty() {
        let mut r = RecentlyClosed::default();
        r.keep(closed("A", "replaced", "{}"));
        assert_eq!(RecentlyClosed::from_text(&r.to_text()), r);
        assert_eq!(
            RecentlyClosed::from_text("{not json"),
            RecentlyClosed::default()
        );
        assert_eq!(r.clone().take(0).map(|e| e.name), Some("A".to_string()));
        assert_eq!(r.take(3), None);
    }

    #[test]
    fn the_name_of_a_scenario_this_version_cannot_read_is_found_by_a_scan() {
        let text =
            r#"{"version": 99, "name": "From \"the\" future", "environments": [{"name": "e"}]}"#;
        assert_eq!(name_in(text).as_deref(), Some(r#"From "the" future"#));
        assert_eq!(name_in("{\"version\": 99}"), None);
        assert_eq!(name_in("{\"name\": \"cut"), None);
    }

    #[test]
    fn only_edited_work_that_is_not_saved_as_it_is_is_worth_keeping() {
        assert!(!worth_keeping(false, "x", None), "opened and not edited");
        assert!(worth_keeping(true, "x", None), "edited, never saved");
        assert!(
            !worth_keeping(true, "x", Some("x")),
            "edited and saved as it is"
        );
        assert!(
            worth_keeping(true, "x", Some("y")),
            "edited after its last save"
        );
    }

    #[test]
    fn the_autosave_of_another_tab_is_kept_before_it_is_overwritten() {
        // Nothing stored: nothing to keep.
        assert_eq!(autosave_write(None, None, "new"), None);
        // This tab's own last write: overwrite freely.
        assert_eq!(
            autosave_write(Some("mine"), Some(fingerprint("mine")), "new"),
            None
        );
        // A tab that opened a link and never wrote: the stored autosave is another's work.
        assert_eq!(autosave_write(Some("theirs"), None, "new"), Some("theirs"));
        // Another tab wrote since this tab did.
        assert_eq!(
            autosave_write(Some("theirs"), Some(fingerprint("mine")), "new"),
            Some("theirs")
        );
        // Writing the very same text loses nothing.
        assert_eq!(autosave_write(Some("same"), None, "same"), None);
    }

    #[test]
    fn a_saved_scenario_changed_renamed_or_deleted_in_another_tab_is_not_overwritten() {
        let mine = "version 1";
        let k = Some(fingerprint(mine));
        let none: [(&str, &str); 0] = [];
        assert_eq!(named_write(Some(mine), k, none), NamedWrite::Write);
        assert_eq!(named_write(Some("whatever"), None, none), NamedWrite::Write);
        assert_eq!(
            named_write(Some("changed in B"), k, none),
            NamedWrite::ChangedElsewhere
        );
        assert_eq!(
            named_write(None, k, [("Other", "x"), ("Mine renamed", mine)]),
            NamedWrite::Renamed("Mine renamed".to_string())
        );
        assert_eq!(named_write(None, k, [("Other", "x")]), NamedWrite::Gone);
        assert_eq!(named_write(None, None, none), NamedWrite::Gone);
    }
}
