-- chatrev report conversion --by week (SPEC §5.5, §5.7, src/analytics/conversion.rs), last-touch
-- model. Session columns by the week each session started; money columns sum the credits of
-- those sessions (paid statuses only); order-side columns (unattributed, match rate) by the week
-- each order was created. One row per (week, currency) for every currency in the orders.
-- Money in major units with 2 decimals. Needs sessions.sql and attribution.sql.
WITH s AS (
    SELECT sess, week_of(start_ms) AS period,
           start_ms + getvariable('attr_window_ms') <= as_of_ms AS mature,
           sess IN (SELECT sess FROM credit WHERE paid AND sess IS NOT NULL) AS converted
    FROM sessions, params
    WHERE in_period(start_ms) AND start_ms <= as_of_ms
), session_side AS (
    SELECT period, count(*) AS sessions, count(*) FILTER (mature) AS mature_sessions,
           count(*) FILTER (NOT mature) AS immature_sessions,
           count(*) FILTER (mature AND converted) AS converted_sessions
    FROM s GROUP BY period
), money AS (
    SELECT s.period, c.currency, count(DISTINCT c.order_id) AS attributed_orders,
           sum(total_minor) AS gross, sum(refunded_minor) AS refunds,
           sum(total_minor - refunded_minor) AS net,
           quantile_cont((created_ms - sess_start_ms) / 1000.0, 0.5) AS to_order_p50
    FROM credit c JOIN s USING (sess)
    WHERE c.paid
    GROUP BY s.period, c.currency
), order_side AS (
    SELECT week_of(created_ms) AS period, currency, count(*) AS orders,
           count(*) FILTER (person IN (SELECT person FROM sessions)) AS matched_orders,
           count(*) FILTER (paid AND sess IS NULL) AS unattributed_orders,
           coalesce(sum(total_minor - refunded_minor) FILTER (paid AND sess IS NULL), 0) AS unattributed_net
    FROM credit
    WHERE in_period(created_ms)
    GROUP BY ALL
), periods AS (
    SELECT period FROM session_side UNION SELECT period FROM order_side
), currencies AS (
    -- every currency in the orders; without orders one row per period with no money
    SELECT DISTINCT currency FROM orders
    UNION ALL
    SELECT NULL WHERE NOT EXISTS (SELECT 1 FROM orders)
)
SELECT p.period, cur.currency,
       coalesce(sessions, 0) AS sessions, coalesce(mature_sessions, 0) AS mature_sessions,
       coalesce(immature_sessions, 0) AS immature_sessions,
       coalesce(converted_sessions, 0) AS converted_sessions,
       round(converted_sessions / nullif(mature_sessions, 0), 4) AS conversion_rate,
       coalesce(attributed_orders, 0) AS attributed_orders,
       -- money columns are empty when there is no currency (no orders at all)
       (CASE WHEN cur.currency IS NOT NULL THEN coalesce(gross, 0) END / 100)::DECIMAL(18, 2) AS gross_revenue,
       (CASE WHEN cur.currency IS NOT NULL THEN coalesce(refunds, 0) END / 100)::DECIMAL(18, 2) AS refunds,
       (CASE WHEN cur.currency IS NOT NULL THEN coalesce(net, 0) END / 100)::DECIMAL(18, 2) AS net_revenue,
       -- money per session / per order, rounded half away from zero to the cent
       (CASE WHEN cur.currency IS NOT NULL THEN sign(coalesce(net, 0)) * ((2 * abs(coalesce(net, 0)) + sessions) // (2 * sessions)) END / 100)::DECIMAL(18, 2) AS revenue_per_session,
       (sign(gross) * ((2 * abs(gross) + attributed_orders) // (2 * attributed_orders)) / 100)::DECIMAL(18, 2) AS average_order_value,
       round(to_order_p50) AS time_to_order_p50_s,
       coalesce(unattributed_orders, 0) AS unattributed_orders,
       (CASE WHEN cur.currency IS NOT NULL THEN coalesce(unattributed_net, 0) END / 100)::DECIMAL(18, 2) AS unattributed_revenue,
       round(matched_orders / nullif(orders, 0), 4) AS match_rate,
       coalesce(matched_orders, 0) AS matched_orders,
       coalesce(orders, 0) AS orders
FROM periods p
CROSS JOIN currencies cur
LEFT JOIN session_side USING (period)
LEFT JOIN money m ON m.period = p.period AND m.currency = cur.currency
LEFT JOIN order_side o ON o.period = p.period AND o.currency = cur.currency
ORDER BY p.period, cur.currency;
