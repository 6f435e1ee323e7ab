//! Signature checks against fixed vectors computed independently with
//! openssl (the command is next to each vector), plus sign → verify
//! properties for random bodies and secrets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use storeops_webhooks::signature::{
    parse_generic_header, sign_generic, sign_shopify, sign_woocommerce, verify_generic,
    verify_shopify, verify_woocommerce, SignatureError,
};

const BODY: &[u8] = br#"{"id":1}"#;

// printf '%s' '{"id":1}' | openssl dgst -sha256 -hmac 'shpss_test' -binary | base64
const SHOPIFY_TEST: &str = "1GxccvotnkOedTjSm8S0m/VA3yAUKshyqT52ccNYHj4=";

// printf '%s' '{"id":1}' | openssl dgst -sha256 -hmac 'shpss_rotated' -binary | base64
const SHOPIFY_ROTATED: &str = "xBHfq0hBbc8RlD0LGZBz12oOu7YoHOc7cGPk1EboB88=";

// printf '%s' '' | openssl dgst -sha256 -hmac 'shpss_test' -binary | base64
const SHOPIFY_EMPTY_BODY: &str = "vuWKf+eeBkx28m4lHkRaZxBOyoh745FozsIREOlVUsE=";

const WOO_BODY: &[u8] = br#"{"id":1,"total_price":"199.00"}"#;
// printf '%s' '{"id":1,"total_price":"199.00"}' | openssl dgst -sha256 -hmac 'wc_secret' -binary | base64
const WOO_SIG: &str = "cx/0TvXi+KoqBa8kA4s144g2Iu9KOVyqu0TEVMHt+lk=";

const T: i64 = 1_700_000_000;
// printf '%s' '1700000000.{"id":1}' | openssl dgst -sha256 -hmac 'whsec_generic' -hex
const GENERIC_V1: &str = "255cef6479768bf5d189c9932c1b279c7d825edf53d8156754938b0a49fbd5f6";
// printf '%s' '1700000000.{"id":1}' | openssl dgst -sha256 -hmac 'whsec_other' -hex
const OTHER_V1: &str = "9c21515791baf591e45d7a07dd043081d85de11318bf326a8d6b19143d16c3e7";

fn malformed(result: Result<(), SignatureError>) -> String {
    match result {
        Err(SignatureError::Malformed { reason }) => reason,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn shopify_vectors_match() {
    assert_eq!(sign_shopify(b"shpss_test", BODY), SHOPIFY_TEST);
    assert_eq!(sign_shopify(b"shpss_rotated", BODY), SHOPIFY_ROTATED);
    assert_eq!(sign_shopify(b"shpss_test", b""), SHOPIFY_EMPTY_BODY);
    assert_eq!(
        verify_shopify(&[b"shpss_test"], BODY, Some(SHOPIFY_TEST)),
        Ok(())
    );
    assert_eq!(
        verify_shopify(&[b"shpss_test"], b"", Some(SHOPIFY_EMPTY_BODY)),
        Ok(())
    );
    // Surrounding whitespace in the header value is tolerated.
    let padded = format!(" {SHOPIFY_TEST} ");
    assert_eq!(
        verify_shopify(&[b"shpss_test"], BODY, Some(&padded)),
        Ok(())
    );
}

#[test]
fn shopify_wrong_secret_and_tampered_body_are_mismatches() {
    assert_eq!(
        verify_shopify(&[b"shpss_wrong"], BODY, Some(SHOPIFY_TEST)),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify_shopify(&[b"shpss_test"], br#"{"id":2}"#, Some(SHOPIFY_TEST)),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify_shopify(&[b"shpss_test"], br#"{"id":1} "#, Some(SHOPIFY_TEST)),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn shopify_rotation_accepts_any_configured_secret() {
    let secrets: [&[u8]; 2] = [b"shpss_test", b"shpss_rotated"];
    assert_eq!(
        verify_shopify(&secrets, BODY, Some(SHOPIFY_ROTATED)),
        Ok(())
    );
    assert_eq!(verify_shopify(&secrets, BODY, Some(SHOPIFY_TEST)), Ok(()));
    // An empty secret in the list is ignored, not a wildcard.
    let with_empty: [&[u8]; 2] = [b"", b"shpss_rotated"];
    assert_eq!(
        verify_shopify(&with_empty, BODY, Some(SHOPIFY_ROTATED)),
        Ok(())
    );
    assert_eq!(
        verify_shopify(&with_empty, BODY, Some(SHOPIFY_TEST)),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn missing_garbled_and_unconfigured() {
    assert_eq!(
        verify_shopify(&[b"shpss_test"], BODY, None),
        Err(SignatureError::Missing)
    );
    assert!(
        malformed(verify_shopify(&[b"shpss_test"], BODY, Some("not base64!!")))
            .contains("not base64")
    );
    assert!(
        malformed(verify_shopify(&[b"shpss_test"], BODY, Some("AAAA")))
            .contains("decodes to 3 bytes")
    );
    assert!(malformed(verify_shopify(&[b"shpss_test"], BODY, Some("  "))).contains("empty"));
    // A hex signature where base64 is expected is garbled, not a mismatch.
    assert!(
        malformed(verify_shopify(&[b"shpss_test"], BODY, Some(GENERIC_V1)))
            .contains("decodes to 48 bytes")
    );
    assert_eq!(
        verify_shopify(&[], BODY, Some(SHOPIFY_TEST)),
        Err(SignatureError::NoSecret)
    );
    assert_eq!(
        verify_shopify(&[b""], BODY, None),
        Err(SignatureError::NoSecret)
    );
    assert_eq!(
        verify_woocommerce(&[], WOO_BODY, Some(WOO_SIG)),
        Err(SignatureError::NoSecret)
    );
    assert_eq!(
        verify_generic(&[], BODY, None, T, 300),
        Err(SignatureError::NoSecret)
    );
}

#[test]
fn woocommerce_vectors() {
    assert_eq!(sign_woocommerce(b"wc_secret", WOO_BODY), WOO_SIG);
    assert_eq!(
        verify_woocommerce(&[b"wc_secret"], WOO_BODY, Some(WOO_SIG)),
        Ok(())
    );
    assert_eq!(
        verify_woocommerce(&[b"wc_other"], WOO_BODY, Some(WOO_SIG)),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify_woocommerce(
            &[b"wc_secret"],
            br#"{"id":1,"total_price":"1.00"}"#,
            Some(WOO_SIG)
        ),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify_woocommerce(&[b"wc_secret"], WOO_BODY, None),
        Err(SignatureError::Missing)
    );
}

#[test]
fn generic_vector_and_window() {
    let header = format!("t={T},v1={GENERIC_V1}");
    assert_eq!(sign_generic(b"whsec_generic", BODY, T), header);
    let secrets: [&[u8]; 1] = [b"whsec_generic"];
    assert_eq!(
        verify_generic(&secrets, BODY, Some(&header), T, 300),
        Ok(())
    );
    assert_eq!(
        verify_generic(&secrets, BODY, Some(&header), T + 300, 300),
        Ok(())
    );
    assert_eq!(
        verify_generic(&secrets, BODY, Some(&header), T - 300, 300),
        Ok(())
    );
    assert_eq!(
        verify_generic(&secrets, BODY, Some(&header), T + 301, 300),
        Err(SignatureError::Expired { age_s: 301 })
    );
    // A timestamp in the future is refused too.
    assert_eq!(
        verify_generic(&secrets, BODY, Some(&header), T - 301, 300),
        Err(SignatureError::Expired { age_s: -301 })
    );
    // A forged old header is a mismatch, not "expired".
    assert_eq!(
        verify_generic(&[b"whsec_wrong"], BODY, Some(&header), T + 10_000, 300),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify_generic(&secrets, br#"{"id":2}"#, Some(&header), T, 300),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify_generic(&secrets, BODY, None, T, 300),
        Err(SignatureError::Missing)
    );
}

#[test]
fn generic_accepts_any_of_several_v1_and_ignores_other_schemes() {
    let header = format!("t={T}, v0=deadbeef, v1={OTHER_V1}, v1={GENERIC_V1}");
    assert_eq!(
        verify_generic(&[b"whsec_generic"], BODY, Some(&header), T, 60),
        Ok(())
    );
    assert_eq!(
        verify_generic(&[b"whsec_other"], BODY, Some(&header), T, 60),
        Ok(())
    );
    assert_eq!(
        verify_generic(&[b"whsec_third"], BODY, Some(&header), T, 60),
        Err(SignatureError::Mismatch)
    );
    let parsed = parse_generic_header(&header).unwrap();
    assert_eq!(parsed.timestamp, T);
    assert_eq!(parsed.tags.len(), 2);
    // Rotation on the receiving side: the second secret matches.
    let only_other = format!("t={T},v1={OTHER_V1}");
    let secrets: [&[u8]; 2] = [b"whsec_generic", b"whsec_other"];
    assert_eq!(
        verify_generic(&secrets, BODY, Some(&only_other), T, 60),
        Ok(())
    );
}

#[test]
fn generic_malformed_headers_say_what_is_wrong() {
    let check = |header: &str, expected: &str| {
        let reason = malformed(verify_generic(
            &[b"whsec_generic"],
            BODY,
            Some(header),
            T,
            300,
        ));
        assert!(reason.contains(expected), "{header:?}: {reason}");
    };
    check("", "empty");
    check("garbage", "`garbage` is not a key=value pair");
    check(&format!("v1={GENERIC_V1}"), "no `t=` timestamp");
    check(&format!("t={T}"), "no `v1=` signature");
    check(
        &format!("t=abc,v1={GENERIC_V1}"),
        "timestamp `abc` is not a Unix time",
    );
    check(
        &format!("t=-5,v1={GENERIC_V1}"),
        "timestamp `-5` is not a Unix time",
    );
    check(&format!("t=1,t=2,v1={GENERIC_V1}"), "more than one `t=`");
    check(&format!("t={T},v1=zz"), "`v1=zz` is not 64 hex digits");
    check(
        &format!("t={T},v1={}", &GENERIC_V1[..62]),
        "is not 64 hex digits",
    );
    let many = (0..9)
        .map(|_| format!(",v1={GENERIC_V1}"))
        .collect::<String>();
    check(&format!("t={T}{many}"), "more than 8 `v1=` signatures");
}

proptest! {
    #[test]
    fn shopify_sign_then_verify(body in proptest::collection::vec(any::<u8>(), 0..512),
                                secret in proptest::collection::vec(any::<u8>(), 1..64),
                                flip in any::<prop::sample::Index>(), bit in 0u8..8) {
        let header = sign_shopify(&secret, &body);
        prop_assert_eq!(verify_shopify(&[&secret], &body, Some(&header)), Ok(()));
        prop_assert_eq!(verify_woocommerce(&[&secret], &body, Some(&sign_woocommerce(&secret, &body))), Ok(()));
        if !body.is_empty() {
            let mut tampered = body.clone();
            tampered[flip.index(body.len())] ^= 1 << bit;
            prop_assert_eq!(verify_shopify(&[&secret], &tampered, Some(&header)), Err(SignatureError::Mismatch));
        }
    }

    #[test]
    fn generic_sign_then_verify(body in proptest::collection::vec(any::<u8>(), 0..512),
                                secret in proptest::collection::vec(any::<u8>(), 1..64),
                                t in 0i64..4_000_000_000, skew in -300i64..=300,
                                flip in any::<prop::sample::Index>(), bit in 0u8..8) {
        let header = sign_generic(&secret, &body, t);
        prop_assert_eq!(verify_generic(&[&secret], &body, Some(&header), t + skew, 300), Ok(()));
        if !body.is_empty() {
            let mut tampered = body.clone();
            tampered[flip.index(body.len())] ^= 1 << bit;
            prop_assert_eq!(verify_generic(&[&secret], &tampered, Some(&header), t, 300), Err(SignatureError::Mismatch));
        }
    }

    #[test]
    fn header_parsing_never_panics(header in "\\PC{0,200}") {
        let _ = parse_generic_header(&header);
        let _ = verify_generic(&[b"s"], b"body", Some(&header), 0, 300);
        let _ = verify_shopify(&[b"s"], b"body", Some(&header));
    }
}
