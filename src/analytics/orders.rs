//! Orders as attribution and the money reports see them: the columns they need from
//! `orders.parquet`, read with polars and turned into plain rows.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use polars::prelude::*;

use crate::sources::orders::OrderStatus;

/// One stored order, reduced to what attribution and the reports use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFact {
    /// The shop's order id (`#1001`).
    pub order_id: String,
    /// The person key (phone or e-mail), None when the order has neither.
    pub person: Option<String>,
    /// Creation instant, ms since the epoch.
    pub created_ms: i64,
    /// Payment instant, when the source gives one.
    pub paid_ms: Option<i64>,
    /// Normalised status.
    pub status: OrderStatus,
    /// ISO 4217 code (interned: a store holds a handful).
    pub currency: Arc<str>,
    /// Order total, minor units.
    pub total_minor: i64,
    /// Refunded amount, minor units.
    pub refunded_minor: i64,
}

impl OrderFact {
    /// Paid statuses (SPEC §5.7): `paid`, `partially_refunded`, `refunded` — the customer paid,
    /// whatever happened after. Only these orders carry revenue.
    pub fn is_paid(&self) -> bool {
        self.status.is_paid()
    }
}

fn scan(path: &Path) -> Result<LazyFrame> {
    LazyFrame::scan_parquet(
        PlRefPath::new(path.to_string_lossy().as_ref()),
        ScanArgsParquet::default(),
    )
    .map_err(anyhow::Error::from)
    .with_context(|| format!("cannot read {}", path.display()))
}

/// The latest order creation time in `orders.parquet` (None when there are no orders).
pub fn latest_created_ms(path: &Path) -> Result<Option<i64>> {
    if !path.exists() {
        return Ok(None);
    }
    let df = scan(path)?
        .select([col("created_at")
            .max()
            .dt()
            .timestamp(TimeUnit::Milliseconds)
            .alias("latest")])
        .collect()
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(df.column("latest")?.cast(&DataType::Int64)?.i64()?.get(0))
}

/// Reads the orders created at or before `as_of_ms`, in the store's order (person, creation);
/// empty when the store has no orders.
pub fn load(path: &Path, as_of_ms: i64) -> Result<Vec<OrderFact>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let created = col("created_at").dt().timestamp(TimeUnit::Milliseconds);
    let df = scan(path)?
        .filter(created.clone().lt_eq(lit(as_of_ms)))
        .select([
            col("order_id"),
            col("person"),
            created.alias("created_ms"),
            col("paid_at")
                .dt()
                .timestamp(TimeUnit::Milliseconds)
                .alias("paid_ms"),
            col("status"),
            col("currency"),
            col("total_minor").cast(DataType::Int64),
            col("refunded_minor").cast(DataType::Int64),
        ])
        .collect()
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let text = |n: &str| -> Result<&StringChunked> { Ok(df.column(n)?.str()?) };
    let int = |n: &str| -> Result<&Int64Chunked> { Ok(df.column(n)?.i64()?) };
    let (id, person, status, currency) = (
        text("order_id")?,
        text("person")?,
        text("status")?,
        text("currency")?,
    );
    let (created, paid, total, refunded) = (
        int("created_ms")?,
        int("paid_ms")?,
        int("total_minor")?,
        int("refunded_minor")?,
    );
    let mut currencies: HashMap<String, Arc<str>> = HashMap::new();
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let order_id = id.get(i).unwrap_or_default().to_string();
        let status_text = status.get(i).unwrap_or_default();
        let status = OrderStatus::from_name(status_text).ok_or_else(|| {
            anyhow!(
                "{}: order {order_id} has status `{status_text}`, not one of pending, paid, \
                 cancelled, refunded, partially_refunded (re-ingest with this version)",
                path.display()
            )
        })?;
        let code = currency.get(i).unwrap_or_default();
        let currency = match currencies.get(code) {
            Some(c) => c.clone(),
            None => currencies
                .entry(code.to_string())
                .or_insert_with(|| Arc::from(code))
                .clone(),
        };
        out.push(OrderFact {
            order_id,
            person: person.get(i).map(str::to_string),
            created_ms: created.get(i).unwrap_or_default(),
            paid_ms: paid.get(i),
            status,
            currency,
            total_minor: total.get(i).unwrap_or_default(),
            refunded_minor: refunded.get(i).unwrap_or_default(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Order;

    fn order(id: &str, person: Option<&str>, created_ms: i64, status: &str) -> Order {
        Order {
            order_id: id.into(),
            person: person.map(str::to_string),
            created_at_ms: created_ms,
            paid_at_ms: (status == "paid").then_some(created_ms + 1000),
            cancelled_at_ms: None,
            status: status.into(),
            currency: "BRL".into(),
            total_minor: 12_345,
            refunded_minor: 0,
            email: None,
            phone: None,
            coupon: None,
            file: "orders.csv".into(),
            line: 2,
        }
    }

    #[test]
    fn reads_back_what_the_store_wrote_up_to_as_of() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("orders.parquet");
        let mut df = crate::store::tables::orders_frame(&[
            order("#1", Some("tel:+5511987654321"), 5_000, "paid"),
            order("#2", None, 9_000, "pending"),
            order("#3", Some("tel:+5511987654321"), 20_000, "refunded"),
        ])
        .unwrap();
        let mut f = std::fs::File::create(&path).unwrap();
        crate::store::tables::write_table(&mut df, &mut f).unwrap();
        assert_eq!(latest_created_ms(&path).unwrap(), Some(20_000));
        let got = load(&path, 10_000).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].order_id, "#1");
        assert_eq!(got[0].paid_ms, Some(6_000));
        assert_eq!(got[0].status, OrderStatus::Paid);
        assert_eq!(&*got[0].currency, "BRL");
        assert_eq!(got[0].total_minor, 12_345);
        assert!(got[0].is_paid());
        assert_eq!(got[1].person, None);
        assert!(!got[1].is_paid());
        assert!(
            load(&tmp.path().join("none.parquet"), 0)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            latest_created_ms(&tmp.path().join("none.parquet")).unwrap(),
            None
        );
    }
}
