-- Bot statistics (issue 17): roll-ups kept in the transactions that change a conversation with a bot, so a report
-- reads hours, never messages. A conversation counts in the UTC hour it was created (when the customer met the
-- bot), under the center, queue and channel it entered at and the scenario that greeted it.
--   conversations: its bot part is over: handed to a queue (handed_off, at the first hand-off) or ended while the
--     bot had it, by the bot (ended_by_bot: an end node, or an offline inquiry, counted in inquiries too) or by the
--     customer leaving or going away (left_with_bot);
--   faq_*: the customer's free text matched against the FAQ (questions), answered at once (answered), answered
--     with suggestions (suggested), a suggestion then chosen (chosen); helpful / unhelpful: the clicks under answers.
CREATE TABLE stats_bot_hour (
  hour_start     DATETIME    NOT NULL,
  tenant_id      BIGINT      NOT NULL,
  center_id      BIGINT      NOT NULL,
  queue_id       BIGINT      NOT NULL,
  scenario_id    BIGINT      NOT NULL,
  channel        VARCHAR(32) NOT NULL,
  conversations  INT         NOT NULL DEFAULT 0,
  handed_off     INT         NOT NULL DEFAULT 0,
  ended_by_bot   INT         NOT NULL DEFAULT 0,
  inquiries      INT         NOT NULL DEFAULT 0,
  left_with_bot  INT         NOT NULL DEFAULT 0,
  faq_questions  INT         NOT NULL DEFAULT 0,
  faq_answered   INT         NOT NULL DEFAULT 0,
  faq_suggested  INT         NOT NULL DEFAULT 0,
  faq_chosen     INT         NOT NULL DEFAULT 0,
  helpful        INT         NOT NULL DEFAULT 0,
  unhelpful      INT         NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, hour_start, center_id, queue_id, scenario_id, channel),
  KEY ix_stats_bot_center (center_id, hour_start),
  KEY ix_stats_bot_queue (queue_id, hour_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The same per FAQ entry: how often its answer was given (at once or chosen) and what the clicks under it said,
-- so an admin sees which answers do not help. faq_id is bot_faq.id; no foreign key, so that deleting an entry
-- keeps its past.
CREATE TABLE stats_bot_faq_hour (
  hour_start     DATETIME    NOT NULL,
  tenant_id      BIGINT      NOT NULL,
  center_id      BIGINT      NOT NULL,
  queue_id       BIGINT      NOT NULL,
  scenario_id    BIGINT      NOT NULL,
  channel        VARCHAR(32) NOT NULL,
  faq_id         BIGINT      NOT NULL,
  answered       INT         NOT NULL DEFAULT 0,
  helpful        INT         NOT NULL DEFAULT 0,
  unhelpful      INT         NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, hour_start, center_id, queue_id, scenario_id, channel, faq_id),
  KEY ix_stats_bot_faq_center (center_id, hour_start),
  KEY ix_stats_bot_faq_queue (queue_id, hour_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
