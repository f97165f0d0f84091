-- chatrev report funnel [--by week] (SPEC §5.6, §5.7, src/analytics/funnel.rs), unit = session,
-- default stages lead → engaged → quote → order → paid. A stage counts at or after the previous
-- one (same minute counts as equal: compared with the previous stage's minute floor) and within
-- funnel window of the lead and as_of. Units whose window is still open and have not paid are
-- immature. Variables: funnel_window_ms, quote_regex, by_week (false: no period column, one
-- group). Needs sessions.sql and attribution.sql.
CREATE OR REPLACE TEMP MACRO floor_min(t) AS (t // 60000) * 60000;

CREATE OR REPLACE TEMP TABLE funnel_paths AS
WITH units AS (
    SELECT sess, lead_ms, engaged_ms,
           least(lead_ms + getvariable('funnel_window_ms'), as_of_ms) AS deadline,
           lead_ms + getvariable('funnel_window_ms') <= as_of_ms AS window_closed
    FROM sessions, params
    WHERE lead_ms IS NOT NULL AND in_period(lead_ms) AND lead_ms <= as_of_ms
), engaged AS (
    SELECT *, CASE WHEN engaged_ms <= deadline THEN greatest(engaged_ms, lead_ms) END AS t2
    FROM units
), quote AS (
    -- the first human message matching the quote rule, or catalog order, from the engaged minute on
    SELECT e.*,
           (SELECT min(x.ts_ms) FROM m x
            WHERE x.sess = e.sess AND x.ts_ms >= floor_min(e.t2) AND x.ts_ms <= e.lead_ms + getvariable('funnel_window_ms')
              AND (x.kind = 'order'
                   OR (x.class = 'outbound_human'
                       AND (regexp_matches(x.text, getvariable('quote_regex'))
                            OR (x.text IS NULL AND list_contains(string_split(x.stages, ','), 'quote')))))) AS q
    FROM engaged e
), quoted AS (
    SELECT *, CASE WHEN q <= deadline THEN greatest(q, t2) END AS t3 FROM quote
), placed AS (
    -- the earliest credited order, not cancelled, from the quote minute on
    SELECT qd.*, o.created_ms AS o_created, o.paid AS o_paid, o.paid_ms AS o_paid_ms
    FROM quoted qd
    LEFT JOIN (
        SELECT qd2.sess, arg_min(c, (c.created_ms, c.idx)) AS o
        FROM quoted qd2 JOIN credit c ON c.sess = qd2.sess
        WHERE c.status <> 'cancelled' AND c.created_ms >= floor_min(qd2.t3)
        GROUP BY qd2.sess
    ) first_order ON first_order.sess = qd.sess
), ordered AS (
    SELECT *, CASE WHEN o_created <= deadline THEN greatest(o_created, t3) END AS t4 FROM placed
), paid AS (
    SELECT *,
           CASE WHEN o_paid AND coalesce(o_paid_ms, o_created) >= floor_min(t4)
                     AND coalesce(o_paid_ms, o_created) <= deadline
                THEN greatest(coalesce(o_paid_ms, o_created), t4) END AS t5
    FROM ordered
)
SELECT sess, lead_ms,
       [lead_ms, t2, CASE WHEN t2 IS NOT NULL THEN t3 END,
        CASE WHEN t3 IS NOT NULL AND t2 IS NOT NULL THEN t4 END,
        CASE WHEN t4 IS NOT NULL AND t3 IS NOT NULL AND t2 IS NOT NULL THEN t5 END] AS times,
       window_closed OR (t2 IS NOT NULL AND t3 IS NOT NULL AND t4 IS NOT NULL AND t5 IS NOT NULL) AS decided
FROM paid;

WITH stages(step, stage) AS (VALUES (1, 'lead'), (2, 'engaged'), (3, 'quote'), (4, 'order'), (5, 'paid')),
u AS (
    SELECT CASE WHEN getvariable('by_week') THEN week_of(lead_ms) END AS period, times, decided
    FROM funnel_paths
), groups AS (
    -- without --by, one group even when no lead falls in the period
    SELECT DISTINCT period FROM u
    UNION ALL
    SELECT NULL WHERE NOT getvariable('by_week') AND NOT EXISTS (SELECT 1 FROM u)
), per_stage AS (
    SELECT g.period, step, stage,
           count(*) FILTER (decided AND times[step] IS NOT NULL) AS units,
           count(*) FILTER (NOT decided AND times[step] IS NOT NULL) AS immature,
           quantile_cont((times[step] - times[step - 1]) / 1000.0, 0.5) FILTER (decided AND step > 1 AND times[step] IS NOT NULL) AS p50,
           quantile_cont((times[step] - times[step - 1]) / 1000.0, 0.9) FILTER (decided AND step > 1 AND times[step] IS NOT NULL) AS p90
    FROM groups g CROSS JOIN stages LEFT JOIN u ON u.period IS NOT DISTINCT FROM g.period
    GROUP BY g.period, step, stage
)
SELECT period, step, stage, units,
       round(units / nullif(first_value(units) OVER g, 0), 4) AS from_start,
       CASE WHEN step > 1 THEN round(units / nullif(lag(units) OVER g, 0), 4) END AS from_previous,
       CASE WHEN step > 1 THEN lag(units) OVER g - units END AS dropped,
       immature,
       round(p50) AS time_from_previous_p50_s,
       round(p90) AS time_from_previous_p90_s
FROM per_stage
WINDOW g AS (PARTITION BY period ORDER BY step)
ORDER BY period, step;
