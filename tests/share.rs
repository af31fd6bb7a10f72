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
            "#s=2.AAAA",
            |e| matches!(e, LinkError::NewerFormat(v) if v == "2"),
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
