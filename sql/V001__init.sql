-- Sangdam schema, version 1: the whole domain of DESIGN.md.
-- Times are DATETIME(3) in UTC. Every table is InnoDB, utf8mb4.

CREATE TABLE tenant (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  code        VARCHAR(32)  NOT NULL,
  name        VARCHAR(100) NOT NULL,
  status      VARCHAR(16)  NOT NULL DEFAULT 'ACTIVE',
  -- HMAC key for verified customer identities passed by the company's page.
  identity_secret VARCHAR(128) NULL,
  created_at  DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_tenant_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE center (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id       BIGINT       NOT NULL,
  code            VARCHAR(32)  NOT NULL,
  name            VARCHAR(100) NOT NULL,
  timezone        VARCHAR(64)  NOT NULL DEFAULT 'Asia/Seoul',
  -- Weekly split ranges and holidays as JSON; NULL means always open.
  business_hours  TEXT         NULL,
  out_of_hours    VARCHAR(16)  NOT NULL DEFAULT 'OFFLINE_FORM',
  welcome_message VARCHAR(1000) NULL,
  service_level_seconds INT    NOT NULL DEFAULT 20,
  require_category BOOLEAN     NOT NULL DEFAULT FALSE,
  status          VARCHAR(16)  NOT NULL DEFAULT 'ACTIVE',
  created_at      DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_center_code (tenant_id, code),
  CONSTRAINT fk_center_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE chat_queue (
  id                     BIGINT       NOT NULL AUTO_INCREMENT,
  center_id              BIGINT       NOT NULL,
  code                   VARCHAR(32)  NOT NULL,
  name                   VARCHAR(100) NOT NULL,
  policy                 VARCHAR(16)  NOT NULL,
  max_chats_per_agent    INT          NOT NULL DEFAULT 3,
  priority               INT          NOT NULL DEFAULT 0,
  overflow_queue_id      BIGINT       NULL,
  overflow_after_seconds INT          NULL,
  prefer_previous_agent  BOOLEAN      NOT NULL DEFAULT FALSE,
  status                 VARCHAR(16)  NOT NULL DEFAULT 'ACTIVE',
  created_at             DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_queue_code (center_id, code),
  CONSTRAINT fk_queue_center FOREIGN KEY (center_id) REFERENCES center (id),
  CONSTRAINT fk_queue_overflow FOREIGN KEY (overflow_queue_id) REFERENCES chat_queue (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE app_user (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id     BIGINT       NULL,
  -- HQ users have no tenant; this makes (tenant, username) unique for them too.
  tenant_key    BIGINT AS (COALESCE(tenant_id, 0)) PERSISTENT,
  center_id     BIGINT       NULL,
  username      VARCHAR(32)  NOT NULL,
  display_name  VARCHAR(100) NOT NULL,
  role          VARCHAR(16)  NOT NULL,
  password_hash VARCHAR(200) NOT NULL,
  max_chats     INT          NULL,
  status        VARCHAR(16)  NOT NULL DEFAULT 'ACTIVE',
  created_at    DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_user_username (tenant_key, username),
  KEY ix_user_center (center_id),
  CONSTRAINT fk_user_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id),
  CONSTRAINT fk_user_center FOREIGN KEY (center_id) REFERENCES center (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The queues (skills) an agent serves.
CREATE TABLE user_queue (
  user_id  BIGINT NOT NULL,
  queue_id BIGINT NOT NULL,
  PRIMARY KEY (user_id, queue_id),
  KEY ix_user_queue_queue (queue_id),
  CONSTRAINT fk_user_queue_user FOREIGN KEY (user_id) REFERENCES app_user (id),
  CONSTRAINT fk_user_queue_queue FOREIGN KEY (queue_id) REFERENCES chat_queue (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE auth_token (
  token_hash BINARY(32)  NOT NULL,
  user_id    BIGINT      NOT NULL,
  created_at DATETIME(3) NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  revoked_at DATETIME(3) NULL,
  PRIMARY KEY (token_hash),
  KEY ix_token_user (user_id),
  CONSTRAINT fk_token_user FOREIGN KEY (user_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE customer (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id    BIGINT       NOT NULL,
  -- SHA-256 of the random visitor token the widget keeps.
  visitor_hash BINARY(32)   NOT NULL,
  external_id  VARCHAR(100) NULL,
  name         VARCHAR(100) NOT NULL,
  contact      VARCHAR(200) NULL,
  created_at   DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_customer_visitor (tenant_id, visitor_hash),
  KEY ix_customer_external (tenant_id, external_id),
  CONSTRAINT fk_customer_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Three-level categories (대/중/소 분류); disabled, never deleted, so history keeps them.
CREATE TABLE category (
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id  BIGINT       NOT NULL,
  parent_id  BIGINT       NULL,
  level      TINYINT      NOT NULL,
  name       VARCHAR(100) NOT NULL,
  enabled    BOOLEAN      NOT NULL DEFAULT TRUE,
  sort_order INT          NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY ix_category_tenant (tenant_id, parent_id),
  CONSTRAINT fk_category_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id),
  CONSTRAINT fk_category_parent FOREIGN KEY (parent_id) REFERENCES category (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE conversation (
  id                BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id         BIGINT       NOT NULL,
  center_id         BIGINT       NOT NULL,
  queue_id          BIGINT       NOT NULL,
  customer_id       BIGINT       NOT NULL,
  agent_id          BIGINT       NULL,
  state             VARCHAR(16)  NOT NULL,
  priority          INT          NOT NULL DEFAULT 0,
  category_id       BIGINT       NULL,
  created_at        DATETIME(3)  NOT NULL,
  assigned_at       DATETIME(3)  NULL,
  first_response_at DATETIME(3)  NULL,
  closed_at         DATETIME(3)  NULL,
  close_reason      VARCHAR(16)  NULL,
  transfers         INT          NOT NULL DEFAULT 0,
  csat_score        TINYINT      NULL,
  csat_comment      VARCHAR(1000) NULL,
  PRIMARY KEY (id),
  KEY ix_conversation_open (state, center_id, created_at),
  KEY ix_conversation_customer (customer_id, created_at),
  KEY ix_conversation_agent (agent_id, state),
  KEY ix_conversation_tenant_time (tenant_id, created_at),
  KEY ix_conversation_center_time (center_id, created_at),
  CONSTRAINT fk_conversation_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id),
  CONSTRAINT fk_conversation_center FOREIGN KEY (center_id) REFERENCES center (id),
  CONSTRAINT fk_conversation_queue FOREIGN KEY (queue_id) REFERENCES chat_queue (id),
  CONSTRAINT fk_conversation_customer FOREIGN KEY (customer_id) REFERENCES customer (id),
  CONSTRAINT fk_conversation_agent FOREIGN KEY (agent_id) REFERENCES app_user (id),
  CONSTRAINT fk_conversation_category FOREIGN KEY (category_id) REFERENCES category (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE conversation_tag (
  conversation_id BIGINT      NOT NULL,
  tag             VARCHAR(50) NOT NULL,
  PRIMARY KEY (conversation_id, tag),
  KEY ix_tag (tag),
  CONSTRAINT fk_tag_conversation FOREIGN KEY (conversation_id) REFERENCES conversation (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The customer-visible transcript: seq is per conversation and gapless; a client's cmid is
-- unique per sender, which is what makes a repeated send store nothing.
CREATE TABLE message (
  conversation_id BIGINT      NOT NULL,
  seq             INT         NOT NULL,
  sender_kind     VARCHAR(8)  NOT NULL,
  sender_id       BIGINT      NULL,
  cmid            VARCHAR(64) NULL,
  body            TEXT        NOT NULL,
  created_at      DATETIME(3) NOT NULL,
  PRIMARY KEY (conversation_id, seq),
  UNIQUE KEY uk_message_cmid (sender_kind, sender_id, cmid),
  CONSTRAINT fk_message_conversation FOREIGN KEY (conversation_id) REFERENCES conversation (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Internal notes and supervisor whispers: beside the transcript, never shown to the customer.
CREATE TABLE conversation_note (
  id              BIGINT      NOT NULL AUTO_INCREMENT,
  conversation_id BIGINT      NOT NULL,
  author_id       BIGINT      NOT NULL,
  kind            VARCHAR(8)  NOT NULL,
  cmid            VARCHAR(64) NULL,
  body            TEXT        NOT NULL,
  created_at      DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_note_cmid (author_id, cmid),
  KEY ix_note_conversation (conversation_id, id),
  CONSTRAINT fk_note_conversation FOREIGN KEY (conversation_id) REFERENCES conversation (id),
  CONSTRAINT fk_note_author FOREIGN KEY (author_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only: who did what, in which scope, when and from where.
CREATE TABLE audit_log (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  at          DATETIME(3)  NOT NULL,
  tenant_id   BIGINT       NULL,
  center_id   BIGINT       NULL,
  actor_id    BIGINT       NULL,
  actor_name  VARCHAR(100) NULL,
  action      VARCHAR(64)  NOT NULL,
  target      VARCHAR(200) NULL,
  detail      TEXT         NULL,
  remote_addr VARCHAR(64)  NULL,
  PRIMARY KEY (id),
  KEY ix_audit_time (at),
  KEY ix_audit_tenant_time (tenant_id, at),
  KEY ix_audit_actor_time (actor_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
