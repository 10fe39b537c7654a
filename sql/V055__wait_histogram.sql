-- The waits of handled conversations as counts per bucket of io.sangdam.stats.WaitHistogram (tenths of a second
-- below 102.4 s, 32 buckets per doubling beyond), kept per hour under the same key as stats_hour: a percentile over
-- any range sums counts, at most one per bucket and hour, instead of reading every wait (issue 20).
CREATE TABLE stats_wait_hour (
  hour_start  DATETIME    NOT NULL,
  tenant_id   BIGINT      NOT NULL,
  center_id   BIGINT      NOT NULL,
  queue_id    BIGINT      NOT NULL,
  agent_id    BIGINT      NOT NULL,
  channel     VARCHAR(32) NOT NULL,
  bucket      SMALLINT    NOT NULL,
  waits       INT         NOT NULL,
  PRIMARY KEY (tenant_id, hour_start, center_id, queue_id, agent_id, channel, bucket),
  -- With the primary key's columns, which InnoDB keeps in every index, each covers a report's read.
  KEY ix_wait_hour_center (center_id, hour_start, waits),
  KEY ix_wait_hour_queue (queue_id, hour_start, waits),
  KEY ix_wait_hour_agent (agent_id, hour_start, waits)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- stats_wait is no longer written by this version but still by the one before, during a rolling upgrade; its rows
-- are counted into stats_wait_hour at start (JdbcStatisticsStore.countEarlierWaits), those of before this migration
-- on the first, and marked so that none is counted twice. It is dropped a release later.
ALTER TABLE stats_wait
  ADD COLUMN counted BOOLEAN NOT NULL DEFAULT FALSE,
  ADD KEY ix_wait_uncounted (counted, conversation_id);
