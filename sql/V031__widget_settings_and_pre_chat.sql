-- The widget per center and its pre-chat form (issue 18): how a center's widget looks and what it asks
-- before a chat, and what each customer answered, kept with the conversation.

-- One row per center that changed its widget; a center without a row has the defaults
-- (io.sangdam.widget.WidgetSettings.DEFAULTS). The consent text's version goes up by one with every
-- change of the text, so that a conversation names exactly the text its customer agreed to.
CREATE TABLE center_widget (
  center_id        BIGINT        NOT NULL,
  tenant_id        BIGINT        NOT NULL,
  title            VARCHAR(40)   NULL COMMENT 'NULL: the widget''s own title in the reader''s language',
  brand_color      CHAR(7)       NOT NULL,
  welcome          VARCHAR(500)  NULL,
  logo_url         VARCHAR(500)  NULL,
  logo             MEDIUMBLOB    NULL COMMENT 'an uploaded logo; it wins over logo_url',
  logo_type        VARCHAR(20)   NULL,
  allow_transcript BOOLEAN       NOT NULL,
  form_enabled     BOOLEAN       NOT NULL,
  ask_name         VARCHAR(8)    NOT NULL COMMENT 'OFF, OPTIONAL or REQUIRED',
  ask_contact      VARCHAR(8)    NOT NULL COMMENT 'OFF, OPTIONAL or REQUIRED',
  inquiry_types    TEXT          NOT NULL COMMENT 'JSON array of names; empty: not asked',
  consent_required BOOLEAN       NOT NULL,
  consent_text     TEXT          NULL,
  consent_version  INT           NOT NULL,
  PRIMARY KEY (center_id),
  KEY ix_center_widget_tenant (tenant_id),
  CONSTRAINT fk_center_widget_center FOREIGN KEY (center_id) REFERENCES center (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What the customer gave in the pre-chat form of this conversation, and the consent they agreed to:
-- the text as it read then, its version and when (개인정보 수집·이용 동의). Never changed after.
CREATE TABLE conversation_pre_chat (
  conversation_id BIGINT       NOT NULL,
  tenant_id       BIGINT       NOT NULL,
  name            VARCHAR(50)  NULL,
  contact         VARCHAR(100) NULL,
  inquiry_type    VARCHAR(40)  NULL,
  consent_version INT          NULL,
  consent_text    TEXT         NULL,
  consented_at    DATETIME(3)  NULL,
  created_at      DATETIME(3)  NOT NULL,
  PRIMARY KEY (conversation_id),
  CONSTRAINT fk_pre_chat_conversation FOREIGN KEY (conversation_id) REFERENCES conversation (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
