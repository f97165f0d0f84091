-- Last-touch attribution (SPEC §5.4, src/analytics/attribution.rs, model `last`): each order
-- created up to as_of goes to the latest session of its person that has a customer message and
-- started at or before the order (an ASOF join), when that session's last message at or before
-- the order (a second ASOF join on the messages) is within `window` of it. Needs sessions.sql.
-- Variables: attr_window_ms. Table made: credit (one row per order, credited or not).
CREATE OR REPLACE TEMP TABLE orders AS
SELECT file_row_number AS idx, order_id, person, epoch_ms(created_at) AS created_ms,
       epoch_ms(paid_at) AS paid_ms, status, currency, total_minor, refunded_minor,
       status IN ('paid', 'partially_refunded', 'refunded') AS paid
FROM read_parquet(getvariable('orders'), file_row_number = true), params
WHERE epoch_ms(created_at) <= as_of_ms;

CREATE OR REPLACE TEMP TABLE credit AS
WITH touch AS (
    SELECT o.*, s.sess, s.start_ms AS sess_start_ms, least(s.end_ms, lm.ts_ms) AS touch_ms
    FROM orders o
    ASOF LEFT JOIN (SELECT * FROM sessions WHERE messages_in > 0) s
        ON o.person = s.person AND o.created_ms >= s.start_ms
    ASOF LEFT JOIN (SELECT person, ts_ms FROM m) lm
        ON o.person = lm.person AND o.created_ms >= lm.ts_ms
)
SELECT touch.* EXCLUDE (sess, sess_start_ms, touch_ms),
       CASE WHEN credited THEN sess END AS sess,
       CASE WHEN credited THEN sess_start_ms END AS sess_start_ms,
       CASE WHEN credited THEN touch_ms END AS touch_ms,
       CASE WHEN credited THEN NULL
            WHEN person IS NULL THEN 'no_person'
            WHEN person NOT IN (SELECT person FROM sessions) THEN 'no_conversation'
            ELSE 'outside_window' END AS reason
FROM (SELECT *, coalesce(touch_ms >= created_ms - getvariable('attr_window_ms'), false) AS credited FROM touch) touch;
