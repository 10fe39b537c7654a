-- The bot at the front door (issue 17): a tenant's scenarios, where each one greets, and its FAQ.

-- A scenario and its current version; the versions themselves are below and never change, so a
-- conversation that started on version 3 walks version 3 to its end whatever is saved after.
-- name: the current version's own "name", kept here for lists.
CREATE TABLE bot_scenario (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id       BIGINT       NOT NULL,
  name            VARCHAR(100) NOT NULL,
  current_version INT          NOT NULL,
  created_at      DATETIME(3)  NOT NULL,
  updated_at      DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  KEY ix_bot_scenario_tenant (tenant_id),
  CONSTRAINT fk_bot_scenario_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every saved version: the JSON exactly as the admin sent it (docs/protocol.md 3.22), who saved it
-- and when. A save adds version n+1 in the transaction that moves bot_scenario.current_version.
CREATE TABLE bot_scenario_version (
  scenario_id BIGINT       NOT NULL,
  version     INT          NOT NULL,
  body        MEDIUMTEXT   NOT NULL,
  saved_by    BIGINT       NULL COMMENT 'NULL: seeded by the server (the demo tenant)',
  saved_by_name VARCHAR(64) NULL,
  saved_at    DATETIME(3)  NOT NULL,
  PRIMARY KEY (scenario_id, version),
  CONSTRAINT fk_bot_version_scenario FOREIGN KEY (scenario_id) REFERENCES bot_scenario (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Where a scenario greets new conversations: a whole center (queue and channel NULL), one queue of
-- it (channel NULL), or one channel (center and queue NULL: the channel names its own). One scenario
-- per place; no row, no bot there. The most specific place wins: channel, then queue, then center.
CREATE TABLE bot_entry (
  id          BIGINT      NOT NULL AUTO_INCREMENT,
  tenant_id   BIGINT      NOT NULL,
  center_id   BIGINT      NULL,
  queue_id    BIGINT      NULL,
  channel_id  BIGINT      NULL,
  place       VARCHAR(64) AS (CONCAT(COALESCE(center_id, 0), '/', COALESCE(queue_id, 0), '/',
                                     COALESCE(channel_id, 0))) PERSISTENT,
  scenario_id BIGINT      NOT NULL,
  set_by      BIGINT      NULL,
  set_at      DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_bot_entry_place (tenant_id, place),
  CONSTRAINT fk_bot_entry_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id),
  CONSTRAINT fk_bot_entry_center FOREIGN KEY (center_id) REFERENCES center (id),
  CONSTRAINT fk_bot_entry_queue FOREIGN KEY (queue_id) REFERENCES chat_queue (id),
  CONSTRAINT fk_bot_entry_channel FOREIGN KEY (channel_id) REFERENCES channel (id),
  CONSTRAINT fk_bot_entry_scenario FOREIGN KEY (scenario_id) REFERENCES bot_scenario (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The tenant's FAQ: a question, other ways customers say it (a JSON array of strings), its answer.
-- Disabled entries stay for their admins and are left out of matching.
CREATE TABLE bot_faq (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  tenant_id    BIGINT        NOT NULL,
  question     VARCHAR(200)  NOT NULL,
  alternatives TEXT          NOT NULL,
  answer       VARCHAR(2000) NOT NULL,
  enabled      BOOLEAN       NOT NULL DEFAULT TRUE,
  created_at   DATETIME(3)   NOT NULL,
  updated_at   DATETIME(3)   NOT NULL,
  PRIMARY KEY (id),
  KEY ix_bot_faq_tenant (tenant_id),
  CONSTRAINT fk_bot_faq_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
