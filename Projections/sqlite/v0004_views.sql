-- Schema version 4: views for people who query the ledger with sqlite3, Datasette or Grafana.
-- They read the events (json_extract) and the runs table, and store nothing: a `rebuild` leaves
-- them in place and they show the rebuilt rows. Times are the ledger's recorded_at (RFC 3339, UTC),
-- which SQLite's date functions read as they are.
--
-- What was deployed to production last Tuesday:
--   SELECT time, app, sha, image, outcome, actor FROM deployments
--   WHERE date(time) = date('now', 'weekday 2', '-7 days') ORDER BY position;

-- One row per deploy event, failed ones included. `run` is the candidate's run the deploy belongs
-- to (runs are opened by their first step, so it is the last run opened at or before the event).
CREATE VIEW IF NOT EXISTS deployments AS
SELECT
    e.position,
    e.recorded_at                                             AS time,
    e.sha,
    (SELECT max(r.run) FROM runs r WHERE r.sha = e.sha AND r.opened_position <= e.position) AS run,
    json_extract(e.data, '$.app')                             AS app,
    json_extract(e.data, '$.image')                           AS image,
    json_extract(e.data, '$.outcome')                         AS outcome,
    json_extract(e.metadata, '$.actor')                       AS actor,
    json_extract(e.metadata, '$.runId')                       AS ci_run_id,
    -- The CI run's page, built as `EventMetadata.ciRunURL` builds it.
    CASE WHEN json_extract(e.metadata, '$.runId') IS NOT NULL
              AND (json_extract(e.metadata, '$.source') LIKE 'https://%' OR json_extract(e.metadata, '$.source') LIKE 'http://%')
         THEN CASE WHEN substr(json_extract(e.metadata, '$.source'), -1) = '/'
                   THEN substr(json_extract(e.metadata, '$.source'), 1, length(json_extract(e.metadata, '$.source')) - 1)
                   ELSE json_extract(e.metadata, '$.source') END
              || '/actions/runs/' || json_extract(e.metadata, '$.runId')
              || coalesce('/attempts/' || json_extract(e.metadata, '$.runAttempt'), '')
    END                                                       AS ci_run_url
FROM events e
WHERE e.type = 'deploy.recorded';

-- One row per verdict that decided a run (a verdict with no open run changes nothing and is not
-- shown). The decision is the run's, as the rules read it.
CREATE VIEW IF NOT EXISTS decisions AS
SELECT
    e.position,
    e.recorded_at                                             AS time,
    e.sha,
    r.run,
    r.kind                                                    AS run_kind,
    r.decision,
    json_extract(e.data, '$.reason')                          AS reason,
    json_extract(e.metadata, '$.actor')                       AS actor,
    json_extract(e.metadata, '$.runId')                       AS ci_run_id
FROM events e
JOIN runs r ON r.sha = e.sha AND r.decided_position = e.position
WHERE e.type = 'verdict.recorded';

-- Released and serving over time: per app, one `released` row for each YES decision (the images
-- the candidate was frozen with) and one `serving` row for each deploy that succeeded.
CREATE VIEW IF NOT EXISTS production_timeline AS
SELECT d.position, d.time, 'released' AS kind, a.app, d.sha, d.run,
       json_extract(f.data, '$.images.' || a.app)             AS image
FROM decisions d
JOIN (SELECT 'api' AS app UNION ALL SELECT 'web') a
JOIN events f ON f.sha = d.sha AND f.type = 'candidate.frozen'
WHERE d.decision = 'YES'
UNION ALL
SELECT position, time, 'serving', app, sha, run, image
FROM deployments
WHERE outcome = 'succeeded';
