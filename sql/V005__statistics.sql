-- Statistics roll-ups, maintained as conversations end and are rated, so a report reads hours,
-- never messages. A conversation counts in the UTC hour it was created, under the queue and the
-- agent it ended with (agent 0: it never had one).
CREATE TABLE stats_hour (
  hour_start            DATETIME NOT NULL,
  tenant_id             BIGINT   NOT NULL,
  center_id             BIGINT   NOT NULL,
  queue_id              BIGINT   NOT NULL,
  agent_id              BIGINT   NOT NULL,
  offered               INT      NOT NULL DEFAULT 0,
  handled               INT      NOT NULL DEFAULT 0,
  abandoned             INT      NOT NULL DEFAULT 0,
  -- Over handled conversations: creation to first assignment.
  wait_ms               BIGINT   NOT NULL DEFAULT 0,
  answered_in_target    INT      NOT NULL DEFAULT 0,
  -- Over handled conversations: first assignment to the end.
  handle_ms             BIGINT   NOT NULL DEFAULT 0,
  -- Over conversations an agent answered: creation to the agent's first message.
  first_responses       INT      NOT NULL DEFAULT 0,
  first_response_ms     BIGINT   NOT NULL DEFAULT 0,
  transfers             INT      NOT NULL DEFAULT 0,
  csat_responses        INT      NOT NULL DEFAULT 0,
  csat_sum              INT      NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, hour_start, center_id, queue_id, agent_id),
  KEY ix_stats_center (center_id, hour_start),
  KEY ix_stats_queue (queue_id, hour_start),
  KEY ix_stats_agent (agent_id, hour_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Each handled conversation's wait, for percentiles, which sums cannot give. Narrow, so a
-- year of one tenant is a short index range scan.
CREATE TABLE stats_wait (
  conversation_id BIGINT      NOT NULL,
  tenant_id       BIGINT      NOT NULL,
  center_id       BIGINT      NOT NULL,
  queue_id        BIGINT      NOT NULL,
  agent_id        BIGINT      NOT NULL,
  created_at      DATETIME(3) NOT NULL,
  wait_ms         INT         NOT NULL,
  PRIMARY KEY (conversation_id),
  KEY ix_wait_tenant (tenant_id, created_at, wait_ms),
  KEY ix_wait_center (center_id, created_at, wait_ms),
  KEY ix_wait_queue (queue_id, created_at, wait_ms),
  KEY ix_wait_agent (agent_id, created_at, wait_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
