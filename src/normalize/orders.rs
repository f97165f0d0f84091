//! Parsed orders → stored orders: the person key from the phone, else the e-mail, through the
//! identity links (SPEC §3.5, §5.7).

use crate::model::Order;
use crate::normalize::identity::{IdentityMap, email_key, normalize_phone, phone_key};
use crate::sources::orders::RawOrder;

/// The person key of an order: its phone (E.164, Brazil's ninth digit) else its e-mail, resolved
/// through the identity links; None when it has neither.
pub fn order_person(
    raw: &RawOrder,
    default_country: &str,
    identities: &IdentityMap,
) -> Option<String> {
    let key = raw
        .phone
        .as_deref()
        .and_then(|p| normalize_phone(p, default_country))
        .map(|p| phone_key(&p))
        .or_else(|| raw.email.as_deref().and_then(email_key))?;
    Some(identities.resolve(&key).to_string())
}

/// A stored order from a parsed one.
pub fn normalize_order(
    raw: RawOrder,
    file: &str,
    default_country: &str,
    identities: &IdentityMap,
) -> Order {
    Order {
        person: order_person(&raw, default_country, identities),
        order_id: raw.order_id,
        created_at_ms: raw.created_at_ms,
        paid_at_ms: raw.paid_at_ms,
        cancelled_at_ms: raw.cancelled_at_ms,
        status: raw.status.as_str().to_string(),
        currency: raw.currency,
        total_minor: raw.total_minor,
        refunded_minor: raw.refunded_minor,
        email: raw.email,
        phone: raw.phone,
        coupon: raw.coupon,
        file: file.to_string(),
        line: raw.line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::orders::OrderStatus;

    fn raw(phone: Option<&str>, email: Option<&str>) -> RawOrder {
        RawOrder {
            order_id: "#1001".into(),
            created_at_ms: 0,
            paid_at_ms: None,
            cancelled_at_ms: None,
            status: OrderStatus::Paid,
            currency: "BRL".into(),
            total_minor: 18_990,
            refunded_minor: 0,
            phone: phone.map(str::to_string),
            email: email.map(str::to_string),
            coupon: None,
            line: 2,
        }
    }

    #[test]
    fn phone_then_email_then_none() {
        let ids = IdentityMap::default();
        // Legacy 8-digit mobile gets the ninth digit, as in chats.
        assert_eq!(
            order_person(&raw(Some("(41) 8888-7777"), Some("a@b.com")), "BR", &ids).as_deref(),
            Some("tel:+5541988887777")
        );
        assert_eq!(
            order_person(&raw(None, Some(" Ana@Example.COM ")), "BR", &ids).as_deref(),
            Some("email:ana@example.com")
        );
        assert_eq!(order_person(&raw(Some("n/a"), None), "BR", &ids), None);
        let mut linked = IdentityMap::default();
        linked.link("email:ana@example.com", "tel:+5511987654321", "contacts");
        assert_eq!(
            order_person(&raw(None, Some("ana@example.com")), "BR", &linked).as_deref(),
            Some("tel:+5511987654321")
        );
        let o = normalize_order(raw(None, None), "orders.csv", "BR", &ids);
        assert_eq!(
            (o.status.as_str(), o.file.as_str(), o.person),
            ("paid", "orders.csv", None)
        );
    }
}
