-- Sessions and customer turns (SPEC §5.2, §5.3) from the store's messages.parquet, as chatrev's
-- src/analytics/sessions.rs builds them. Shared by the three report queries.
--
-- Variables (SET VARIABLE, see bench/duckdb_reports.py): messages, orders (Parquet paths), tz, as_of_ms (NULL: the latest
-- message or order in the store), since_ms / until_ms (NULL: all time), gap_ms, abandon_ms.
--
-- Tables made: params (as_of_ms, …), m (messages taking part, with their session and segment),
-- sessions, turns.
SET TimeZone = 'UTC';

CREATE OR REPLACE TEMP MACRO week_of(ms) AS
    strftime(timezone(getvariable('tz'), epoch_ms(ms)::TIMESTAMPTZ), '%G-W%V');
CREATE OR REPLACE TEMP MACRO in_period(ms) AS
    (getvariable('since_ms') IS NULL OR ms >= getvariable('since_ms'))
    AND (getvariable('until_ms') IS NULL OR ms < getvariable('until_ms'));

-- Failed Cloud API sends never happened (SPEC §5.1); system lines count for as_of only.
CREATE OR REPLACE TEMP TABLE raw AS
SELECT person, epoch_ms(ts) AS ts_ms, class, kind, agent, text, stages, file, line
FROM read_parquet(getvariable('messages'))
WHERE delivery IS DISTINCT FROM 'failed';

-- as_of: the flag, else the latest message (any class) or order in the store.
CREATE OR REPLACE TEMP TABLE params AS
SELECT coalesce(
           getvariable('as_of_ms')::BIGINT,
           greatest((SELECT max(ts_ms) FROM raw),
                    (SELECT max(epoch_ms(created_at))
                     FROM read_parquet(getvariable('orders'))))) AS as_of_ms,
       getvariable('gap_ms')::BIGINT AS gap_ms,
       getvariable('abandon_ms')::BIGINT AS abandon_ms;

-- Messages that take part, in the store's order (person, ts, file, line). `seg` numbers the
-- stretches between human replies: an outbound_human row closes the segment it belongs to.
CREATE OR REPLACE TEMP TABLE m0 AS
WITH ordered AS (
    SELECT person, ts_ms, class, kind, agent, text, stages,
           row_number() OVER (ORDER BY person, ts_ms, file, line) AS pos
    FROM raw, params
    WHERE class IN ('inbound', 'outbound_human', 'outbound_auto', 'outbound_template')
      AND ts_ms <= params.as_of_ms
), w AS (
    SELECT *,
           ts_ms - lag(ts_ms) OVER p AS gap,
           coalesce(sum((class = 'outbound_human')::INT) OVER (p ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS seg
    FROM ordered
    WINDOW p AS (PARTITION BY person ORDER BY pos)
)
SELECT w.*,
       -- the segment's first customer message (the pending turn, if no session broke it)
       min(pos) FILTER (class = 'inbound') OVER s AS fin_pos,
       min(ts_ms) FILTER (class = 'inbound') OVER s AS fin_ts,
       -- the first customer message at or after this row in the segment
       min(pos) FILTER (class = 'inbound') OVER (s ORDER BY pos ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS nin_pos,
       min(ts_ms) FILTER (class = 'inbound') OVER (s ORDER BY pos ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS nin_ts
FROM w
WINDOW s AS (PARTITION BY person, seg);

-- A new session starts at m when ts(m) − ts(prev) ≥ gap and no customer turn is pending, or the
-- pending one is at least `abandon` old (it is then closed unanswered). Up to the first such
-- abandonment in a segment the pending turn is the segment's first customer message (`b1`);
-- after it, the pending turn restarts at the next customer message, so the later breaks of
-- that segment are found by a recursive walk over its few candidate rows.
CREATE OR REPLACE TEMP TABLE m1 AS
SELECT m0.*,
       gap IS NULL
       OR (gap >= gap_ms AND (fin_pos IS NULL OR fin_pos >= pos OR ts_ms - fin_ts >= abandon_ms)) AS b1,
       min(CASE WHEN gap >= gap_ms AND fin_pos < pos AND ts_ms - fin_ts >= abandon_ms THEN pos END)
           OVER (PARTITION BY person, seg) AS a1
FROM m0, params;

CREATE OR REPLACE TEMP TABLE hard AS
SELECT person, seg, pos, ts_ms, nin_pos, nin_ts
FROM m1, params
WHERE pos > a1 AND gap >= gap_ms;

CREATE OR REPLACE TEMP TABLE chain AS
WITH RECURSIVE walk(person, seg, b_pos, t_pos, t_ts) AS (
    SELECT person, seg, pos, nin_pos, nin_ts
    FROM m1
    WHERE pos = a1 AND (person, seg) IN (SELECT person, seg FROM hard)
    UNION ALL
    SELECT walk.person, walk.seg, min(h.pos), arg_min(h.nin_pos, h.pos), arg_min(h.nin_ts, h.pos)
    FROM walk
    JOIN hard h ON h.person = walk.person AND h.seg = walk.seg AND h.pos > walk.b_pos
    WHERE walk.t_pos IS NULL OR walk.t_pos >= h.pos
       OR h.ts_ms - walk.t_ts >= getvariable('abandon_ms')
    GROUP BY walk.person, walk.seg
)
SELECT b_pos AS pos FROM walk;

-- Each message's session: the position of the session's first message.
CREATE OR REPLACE TEMP TABLE m AS
WITH b AS (
    SELECT m1.*,
           CASE WHEN a1 IS NULL OR pos <= a1 THEN b1
                ELSE pos IN (SELECT pos FROM chain) END AS starts
    FROM m1
)
SELECT person, ts_ms, class, kind, agent, text, stages, pos, seg,
       max(CASE WHEN starts THEN pos END) OVER (PARTITION BY person ORDER BY pos ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS sess
FROM b;

-- A customer turn: the customer messages of one (session, segment); its reply is the segment's
-- closing human message when that is still in the same session.
CREATE OR REPLACE TEMP TABLE turns AS
SELECT sess, seg, any_value(person) AS person,
       min(ts_ms) FILTER (class = 'inbound') AS start_ms,
       min(pos) FILTER (class = 'inbound') AS start_pos,
       max(ts_ms) FILTER (class = 'outbound_human') AS reply_ms,
       max(pos) FILTER (class = 'outbound_human') AS reply_pos,
       any_value(agent) FILTER (class = 'outbound_human') AS agent,
       row_number() OVER (PARTITION BY sess ORDER BY min(pos) FILTER (class = 'inbound')) = 1 AS first
FROM m
GROUP BY sess, seg
HAVING count(*) FILTER (class = 'inbound') > 0;

-- Sessions; `engaged_ms` is the first customer message after the human reply to the first turn.
CREATE OR REPLACE TEMP TABLE sessions AS
WITH s AS (
    SELECT sess, any_value(person) AS person, min(ts_ms) AS start_ms, max(ts_ms) AS end_ms,
           CASE WHEN arg_min(class, pos) = 'inbound' THEN 'customer' ELSE 'business' END AS initiator,
           count(*) FILTER (class = 'inbound') AS messages_in
    FROM m
    GROUP BY sess
)
SELECT s.*, t.start_ms AS lead_ms, t.reply_ms AS first_reply_ms,
       (SELECT min(x.ts_ms) FROM m x
        WHERE x.sess = s.sess AND x.class = 'inbound' AND x.pos > t.reply_pos) AS engaged_ms
FROM s
LEFT JOIN turns t ON t.sess = s.sess AND t.first;
