//! Phone and identity normalisation (`normalize::identity`) on any bytes, plus the contacts
//! parsers that feed it. The first byte picks the default country. Checks: no panic;
//! `normalize_phone` is idempotent (also under another default country) and its result is a
//! `+` and 8–15 digits; a phone-looking author's person key is that phone's key.

use chatrev::normalize::identity::{
    email_key, looks_like_phone, name_key, normalize_phone, person_key_for_author, phone_key,
};
use chatrev::sources::contacts::{parse_contacts_csv, parse_vcard};

const COUNTRIES: [&str; 8] = ["BR", "US", "PT", "AR", "DE", "IN", "ZZ", ""];

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Some((&first, rest)) = data.split_first() else {
            return;
        };
        let country = COUNTRIES[usize::from(first) % COUNTRIES.len()];
        let other = COUNTRIES[usize::from(first / 8) % COUNTRIES.len()];
        let text = String::from_utf8_lossy(rest);
        if let Some(e164) = normalize_phone(&text, country) {
            let digits = &e164[1..];
            assert!(e164.starts_with('+') && digits.bytes().all(|b| b.is_ascii_digit()));
            assert!((8..=15).contains(&digits.len()), "{e164}");
            assert_eq!(
                normalize_phone(&e164, country).as_deref(),
                Some(e164.as_str())
            );
            assert_eq!(
                normalize_phone(&e164, other).as_deref(),
                Some(e164.as_str())
            );
            if looks_like_phone(&text) {
                assert_eq!(person_key_for_author(&text, country), phone_key(&e164));
            }
        }
        let _ = person_key_for_author(&text, country);
        let _ = email_key(&text);
        let _ = name_key(&text);
        if first & 0x80 != 0 {
            let _ = parse_contacts_csv(&text);
            let _ = parse_vcard(&text);
        }
    });
}
