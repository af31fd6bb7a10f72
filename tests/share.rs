//! Scenario links: round trips, golden links of every released format, hostile links.

use power_payg::engine::{self, Licence, Scenario, examples};
use power_payg::share::{self, LinkError, LinkTarget};
use proptest::prelude::*;

/// A link written by format 1 (three apps, 2 + 3 + 4 unlicensed users). Links never expire:
/// this must keep opening, with the same total, in every later version.
const GOLDEN_V1: &str = "s=1.lY7NCoNADIRfRXLeQrXFw96sB6-9llLE2mAX3WRZf0DEd2-EtiAUiuSSzEy-ZIIBfWuYQIcKqLAIGjJuHkhBY6gOhhAUOG9KzO_MtbjRPjrs9rHIlql7gp5gxMKDFiP-imE4K0AajGeySF0L-jp9DqSS4ZaDc3LJFnwxVqA736OCwrlVNHEuSCRTMhGWHXtx5R-0prci9y36vPLcv7eWWbpIQSMvU7kgiAlhvs1qBT1thh7-Q9PN0OMv6FIv";

fn open(link: &str) -> Result<Scenario, LinkError> {
    match share::decode_link(link)? {
        LinkTarget::Scenario(s) => Ok(*s),
        other => panic!("expected a scenario, got {other:?}"),
    }
}

#[test]
fn golden_v1_link_still_opens_with_the_same_total() {
    let s = open(&format!("#{GOLDEN_V1}")).expect("golden link opens");
    assert_eq!(s.name, "Golden link v1");
    assert_eq!(s.environments[0].apps.len(), 3);
    assert_eq!(
        s.environments[0].apps[2].user_groups[0].licence,
        Licence::None
    );
    let b = engine::price(&s).expect("prices");
    assert_eq!(engine::money::format_plain(b.total_billed), "90.00");
}

#[test]
fn every_example_round_trips_and_the_three_app_link_is_short() {
    assert!(!examples::list().is_empty());
    for ex in examples::list() {
        let s = examples::scenario(ex.name).expect("example exists");
        let fragment = share::encode_fragment(&s);
        assert_eq!(
            open(&fragment).expect(ex.name),
            s,
            "{} round-trips",
            ex.name
        );
        if ex.name == "doc-apps-month1" {
            assert!(
                fragment.len() + 1 < 500,
                "three-app link is {} chars",
                fragment.len() + 1
            );
        }
    }
}

#[test]
fn example_links_name_a_built_in_example() {
    assert_eq!(
        share::decode_link("#example=contoso"),
        Ok(LinkTarget::Example("contoso".into()))
    );
    assert_eq!(
        share::decode_link("?example=doc-apps-month1"),
        Ok(LinkTarget::Example("doc-apps-month1".into()))
    );
    assert_eq!(share::decode_link(""), Ok(LinkTarget::Nothing));
    assert_eq!(share::decode_link("#section-2"), Ok(LinkTarget::Nothing));
}

#[test]
fn names_with_markup_survive_as_text() {
    let mut s = Scenario::new_empty();
    s.name = "<script>alert('x')</script> & <b>bold</b>".into();
    s.environments[0].name = "\"quoted\" 'env' </div>".into();
    let back = open(&share::encode_fragment(&s)).expect("opens");
    assert_eq!(back, s);
}

#[test]
fn hostile_links_give_clear_errors() {
    type Expect = fn(&LinkError) -> bool;
    let cases: Vec<(&str, Expect)> = vec![
        ("#s=1.!!!not-base64!!!", |e| *e == LinkError::BadEncoding),
        ("#s=1.", |e| {
            *e == LinkError::Corrupt || *e == LinkError::BadEncoding
        }),
        ("#s=1.AAAA", |e| *e == LinkError::Corrupt),
        (
            "#s=3.AAAA",
            |e| matches!(e, LinkError::NewerFormat(v) if v == "3"),
        ),
        ("#s=2.AAAA", |e| *e == LinkError::Damaged),
        ("#s=2.", |e| *e == LinkError::Damaged),
        (
            "#s=0.AAAA",
            |e| matches!(e, LinkError::UnknownFormat(v) if v == "0"),
        ),
        (
            "#s=01.AAAA",
            |e| matches!(e, LinkError::UnknownFormat(v) if v == "01"),
        ),
        ("#s=99.whatever", |e| matches!(e, LinkError::NewerFormat(_))),
        ("#s=x.AAAA", |e| *e == LinkError::BadEncoding),
        ("#s=nodot", |e| *e == LinkError::BadEncoding),
        ("#s=1.%%%", |e| *e == LinkError::BadEncoding),
    ];
    for (link, expected) in cases {
        let err = share::decode_link(link).expect_err(link);
        assert!(expected(&err), "{link}: unexpected {err:?}");
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn a_truncated_link_is_damaged_not_a_crash() {
    let full = format!("#{GOLDEN_V1}");
    for cut in [10, 40, full.len() / 2, full.len() - 3] {
        let err = share::decode_link(&full[..cut]).expect_err("truncated");
        assert!(
            matches!(err, LinkError::Corrupt | LinkError::BadEncoding),
            "cut at {cut}: {err:?}"
        );
    }
}

#[test]
fn a_decompression_bomb_is_refused() {
    use base64::Engine as _;
    let zeros = vec![b' '; 64 * 1024 * 1024];
    let bomb = miniz_oxide::deflate::compress_to_vec(&zeros, 9);
    let link = format!(
        "#s=1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bomb)
    );
    assert!(link.len() < 200_000, "the bomb is small: {}", link.len());
    assert_eq!(share::decode_link(&link), Err(LinkError::TooLarge));
}

fn link_of_json(json: &str) -> String {
    use base64::Engine as _;
    let z = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
    format!(
        "#s=1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(z)
    )
}

#[test]
fn invalid_scenarios_inside_a_valid_link_list_their_problems() {
    let cases = [
        "not json",
        "{}",
        "[]",
        "null",
        r#"{"version": 2, "name": "x"}"#,
        r#"{"version": 1, "name": "x", "price_book": "2023-06", "month": {"year": 2026, "month": 13}, "environments": []}"#,
        r#"{"version": 1, "name": "x", "price_book": "1999-01", "month": {"year": 2026, "month": 1}, "environments": []}"#,
        r#"{"version": 1, "name": "x", "price_book": "2023-06", "month": {"year": 2026, "month": 1}, "environments": [{"name": "e", "payg": true, "apps": [{"name": "a", "connectors": "premium", "user_groups": [{"users": 1e30, "licence": "none"}]}]}]}"#,
        r#"{"version": 1, "name": "x", "price_book": "2023-06", "month": {"year": 2026, "month": 1}, "environments": [{"name": "e", "payg": true, "apps": [{"name": "a", "connectors": "premium", "user_groups": [{"users": -3, "licence": "none"}]}]}]}"#,
    ];
    for json in cases {
        match share::decode_link(&link_of_json(json)) {
            Err(LinkError::Invalid(problems)) => assert!(!problems.is_empty(), "{json}"),
            Err(LinkError::NewerFormat(_)) => {}
            other => panic!("{json}: expected problems, got {other:?}"),
        }
    }
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        share::decode_link(&link_of_json(&deep)),
        Err(LinkError::Invalid(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

    /// Fuzzing the link decoder: arbitrary text never panics.
    #[test]
    fn arbitrary_fragments_never_panic(s in "#?s=[0-9]{0,2}\\.?[A-Za-z0-9_\\-=%.]{0,200}") {
        let _ = share::decode_link(&s);
    }

    /// Random bytes, compressed into a well-formed link, never panic the decoder.
    #[test]
    fn arbitrary_payloads_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        use base64::Engine as _;
        let z = miniz_oxide::deflate::compress_to_vec(&bytes, 1);
        let link = format!("#s=1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(z));
        let _ = share::decode_link(&link);
        let raw = format!("#s=1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes));
        let _ = share::decode_link(&raw);
    }
}

/// The same scenario as [`GOLDEN_V1`], written by format 2 (with its checksum).
const GOLDEN_V2: &str = "s=2.lY7NCoNADIRfRXLeQrXFw96sB6-9llLE2mAX3WRZf0DEd2-EtiAUiuSSzEy-ZIIBfWuYQIcKqLAIGjJuHkhBY6gOhhAUOG9KzO_MtbjRPjrs9rHIlql7gp5gxMKDFiP-imE4K0AajGeySF0L-jp9DqSS4ZaDc3LJFnwxVqA736OCwrlVNHEuSCRTMhGWHXtx5R-0prci9y36vPLcv7eWWbpIQSMvU7kgiAlhvs1qBT1thh7-Q9PN0OMv6FIvGBVZTA";

#[test]
fn golden_v2_link_opens_with_the_same_total() {
    let s = open(&format!("#{GOLDEN_V2}")).expect("golden link opens");
    assert_eq!(s, open(&format!("#{GOLDEN_V1}")).expect("v1 opens"));
    let b = engine::price(&s).expect("prices");
    assert_eq!(engine::money::format_plain(b.total_billed), "90.00");
}

#[test]
fn links_are_written_in_format_2() {
    let s = open(&format!("#{GOLDEN_V1}")).expect("golden link opens");
    assert!(share::encode_fragment(&s).starts_with("s=2."));
    assert_eq!(share::encode_fragment(&s), GOLDEN_V2);
}

/// Every link of `link` with one character replaced by each of `alphabet`, or removed.
fn one_character_edits(link: &str, alphabet: &[char]) -> Vec<String> {
    let chars: Vec<char> = link.chars().collect();
    let mut out = Vec::new();
    for i in 0..chars.len() {
        for &c in alphabet {
            if c != chars[i] {
                let mut edited = chars.clone();
                edited[i] = c;
                out.push(edited.into_iter().collect());
            }
        }
        let mut cut = chars.clone();
        cut.remove(i);
        out.push(cut.into_iter().collect());
    }
    out
}

fn edit_alphabet() -> Vec<char> {
    let mut alphabet: Vec<char> = ('A'..='Z').chain('a'..='z').chain('0'..='9').collect();
    alphabet.extend(['-', '_', '=', '.', '%', '&', '#', '?', ' ', '+', '/']);
    alphabet
}

#[test]
fn no_one_character_edit_of_a_format_2_link_opens_a_different_scenario() {
    for name in ["doc-apps-month1", "doc-requests-month2"] {
        let s = examples::scenario(name).expect("example");
        let link = format!("#{}", share::encode_fragment(&s));
        let edits = one_character_edits(&link, &edit_alphabet());
        let (mut refused, mut same) = (0, 0);
        for edited in &edits {
            match share::decode_link(edited) {
                Err(_) => refused += 1,
                Ok(LinkTarget::Scenario(back)) if *back == s => same += 1,
                other => panic!("{name}: {edited} opened {other:?}"),
            }
        }
        // Only edits that leave the link equivalent open it: the `#`, `S` for `s`, a `?` or
        // `&` before it, and `1` for `2` (format 1 inflates the same bytes, ignoring the
        // checksum after them).
        eprintln!(
            "{name}: {} one-character edits, {refused} refused, {same} open the same scenario",
            edits.len()
        );
        assert!(same <= 8, "{name}: {same} edits opened it");
        assert_eq!(refused + same, edits.len());
    }
}

#[test]
fn format_1_links_still_open_without_a_checksum() {
    // A format-1 link edited by one character may open another scenario (it has no checksum):
    // that is the reason for format 2, and old links keep working as they did.
    let s = open(&format!("#{GOLDEN_V1}")).expect("opens");
    assert_eq!(s.name, "Golden link v1");
    assert!(matches!(
        share::decode_link(&format!("#{}", &GOLDEN_V1[..GOLDEN_V1.len() - 5])),
        Err(LinkError::Corrupt | LinkError::BadEncoding)
    ));
}

#[test]
fn a_damaged_format_2_link_says_so() {
    let link = format!("#{GOLDEN_V2}");
    let mid = link.len() / 2;
    let flipped = if &link[mid..=mid] == "A" { "B" } else { "A" };
    let edited = format!("{}{flipped}{}", &link[..mid], &link[mid + 1..]);
    let err = share::decode_link(&edited).expect_err("damaged");
    assert_eq!(err, LinkError::Damaged);
    assert_eq!(
        err.to_string(),
        "this link is damaged: it was changed or cut after it was made"
    );
    for cut in [10, link.len() / 2, link.len() - 1] {
        assert_eq!(
            share::decode_link(&link[..cut]),
            Err(LinkError::Damaged),
            "cut at {cut}"
        );
    }
}

#[test]
fn other_spellings_of_a_link_open_it() {
    let expected = open(&format!("#{GOLDEN_V2}")).expect("opens");
    let payload = GOLDEN_V2.strip_prefix("s=").expect("s=");
    for link in [
        format!("#S={payload}"),
        format!("#s%3D{payload}"),
        format!("#s%3d{payload}"),
        format!("#S%3D{payload}"),
        format!("?s={payload}"),
        format!("#other=1&s={payload}"),
    ] {
        assert_eq!(open(&link).expect(&link), expected, "{link}");
    }
}

#[test]
fn the_location_says_when_a_link_came_from_the_query_string() {
    let expected = open(&format!("#{GOLDEN_V2}")).expect("opens");
    let from_query = share::decode_location("", &format!("?utm=x&{GOLDEN_V2}")).expect("opens");
    assert!(from_query.from_query);
    assert_eq!(
        from_query.target,
        LinkTarget::Scenario(Box::new(expected.clone()))
    );
    let from_fragment = share::decode_location(&format!("#{GOLDEN_V2}"), "?utm=x").expect("opens");
    assert!(!from_fragment.from_query);
    let example = share::decode_location("", "?example=contoso").expect("opens");
    assert_eq!(
        example,
        share::Opened {
            target: LinkTarget::Example("contoso".into()),
            from_query: true
        }
    );
    let nothing = share::decode_location("", "?utm=x").expect("nothing");
    assert_eq!(nothing.target, LinkTarget::Nothing);
    assert!(!nothing.from_query);

    assert_eq!(
        share::query_without_link(&format!("?utm=x&{GOLDEN_V2}&b=2")),
        "?utm=x&b=2"
    );
    assert_eq!(share::query_without_link(&format!("?{GOLDEN_V2}")), "");
    assert_eq!(share::query_without_link("?S%3D2.abc"), "");
    assert_eq!(share::query_without_link("?example=contoso"), "");
    assert_eq!(share::query_without_link(""), "");
}

#[test]
fn link_messages_name_the_real_trouble() {
    assert_eq!(
        share::decode_link("#s=0.AAAA").unwrap_err().to_string(),
        "this link's format (0) is not one power-payg writes: was it edited?"
    );
    assert_eq!(
        share::decode_link("#s=7.AAAA").unwrap_err().to_string(),
        "this link was made by a newer version of power-payg (link format 7); this version opens formats 1 to 2"
    );
    // Bytes that are not UTF-8, compressed into a well-formed link.
    let err = share::decode_link(&link_of_bytes(&[0x7b, 0xff, 0xfe, 0x00, 0x7d])).unwrap_err();
    assert_eq!(err, LinkError::NotText);
    assert_eq!(
        err.to_string(),
        "this link is damaged: its scenario is not text (not UTF-8)"
    );
}

#[test]
fn an_invalid_linked_scenario_counts_its_problems_right() {
    let one = share::decode_link(&link_of_json("{}"))
        .unwrap_err()
        .to_string();
    assert!(
        one.starts_with("this link's scenario is invalid (5 problems): "),
        "{one}"
    );
    let v = r#"{"version": 1, "name": "x", "price_book": "2023-06", "month": {"year": 2026, "month": 1}, "environments": []}"#;
    let single = share::decode_link(&link_of_json(&v.replace("\"x\"", "5")))
        .unwrap_err()
        .to_string();
    assert_eq!(
        single,
        "this link's scenario is invalid (1 problem): name: must be a string \"…\", got 5"
    );
    let runs = vec![r#"{"day": 99, "runs": 1, "licence": "none"}"#; 5_000].join(",");
    let many = v.replace(
        r#""environments": []"#,
        &format!(
            r#""environments": [{{"name": "e", "payg": true, "flows": [{{"name": "f", "trigger": "instant", "mode": "cloud", "connectors": "premium", "owner": {{"kind": "user", "licence": "none"}}, "daily_runs": [{runs}]}}]}}]"#
        ),
    );
    let message = share::decode_link(&link_of_json(&many))
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("this link's scenario is invalid (more than 1,000 problems): "),
        "{message}"
    );
    assert!(message.ends_with("; and more"), "{message}");
}

fn link_of_bytes(bytes: &[u8]) -> String {
    use base64::Engine as _;
    let z = miniz_oxide::deflate::compress_to_vec(bytes, 6);
    format!(
        "#s=1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(z)
    )
}

#[test]
fn format_1_links_were_not_protected_against_edits() {
    // Why format 2 exists, measured: the same edits of a format-1 link open other scenarios.
    let s = examples::scenario("doc-apps-month1").expect("example");
    let link = link_of_json(&serde_json::to_string(&s).expect("json"));
    let edits = one_character_edits(&link, &edit_alphabet());
    let different = edits
        .iter()
        .filter(|e| matches!(share::decode_link(e), Ok(LinkTarget::Scenario(b)) if *b != s))
        .count();
    eprintln!(
        "format 1: {different} of {} one-character edits open a different scenario",
        edits.len()
    );
    assert!(different > 0);
}
