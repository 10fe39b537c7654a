-- Callback requests (콜백 예약, issue 18): a customer asks to be called at a time slot of the
-- center's business hours, from the widget out of hours or from the bot; the center's agents pick
-- the due ones from a queue, claim one, call, and record what came of it.

-- state: OPEN (waiting to be called; due from due_at), CLAIMED (an agent is calling: claimed_by),
-- DONE (outcome REACHED, WRONG_NUMBER or CANCELLED). A NO_ANSWER puts it back OPEN with a later
-- due_at. A claim is one conditional UPDATE (state = 'OPEN'), so two agents on any nodes cannot
-- both win it.
CREATE TABLE callback_request (
  id              BIGINT        NOT NULL AUTO_INCREMENT,
  tenant_id       BIGINT        NOT NULL,
  center_id       BIGINT        NOT NULL,
  queue_id        BIGINT        NOT NULL,
  customer_id     BIGINT        NOT NULL,
  conversation_id BIGINT        NULL COMMENT 'the bot conversation it was left from, if any',
  client_id       VARCHAR(64)   NOT NULL COMMENT 'the client''s key: a repeated request stores nothing new',
  phone           VARCHAR(20)   NOT NULL COMMENT 'normalised, 010-1234-5678; shown masked but to the claiming agent',
  customer_note   VARCHAR(1000) NULL,
  slot_at         DATETIME(3)   NOT NULL COMMENT 'the start of the slot the customer chose',
  due_at          DATETIME(3)   NOT NULL COMMENT 'when it is next to be called: the slot, or a retry after no answer',
  state           VARCHAR(8)    NOT NULL,
  claimed_by      BIGINT        NULL,
  claimed_at      DATETIME(3)   NULL,
  attempts        INT           NOT NULL DEFAULT 0,
  outcome         VARCHAR(16)   NULL COMMENT 'the last outcome recorded',
  outcome_note    VARCHAR(1000) NULL,
  done_at         DATETIME(3)   NULL,
  created_at      DATETIME(3)   NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_callback_client (customer_id, client_id),
  KEY ix_callback_center_due (center_id, state, due_at),
  KEY ix_callback_center_slot (center_id, slot_at),
  CONSTRAINT fk_callback_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id),
  CONSTRAINT fk_callback_center FOREIGN KEY (center_id) REFERENCES center (id),
  CONSTRAINT fk_callback_queue FOREIGN KEY (queue_id) REFERENCES chat_queue (id),
  CONSTRAINT fk_callback_customer FOREIGN KEY (customer_id) REFERENCES customer (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every call made: who, what came of it, their note. Never changed.
CREATE TABLE callback_attempt (
  id          BIGINT        NOT NULL AUTO_INCREMENT,
  callback_id BIGINT        NOT NULL,
  agent_id    BIGINT        NOT NULL,
  outcome     VARCHAR(16)   NOT NULL,
  note        VARCHAR(1000) NULL,
  at          DATETIME(3)   NOT NULL,
  PRIMARY KEY (id),
  KEY ix_callback_attempt (callback_id, at),
  CONSTRAINT fk_callback_attempt FOREIGN KEY (callback_id) REFERENCES callback_request (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
