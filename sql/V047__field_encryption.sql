-- Personal fields sealed at rest (issue 19): AES-256-GCM under keys kept outside the database (crypto.keyFile).
-- A sealed value is text, enc:v1:<key id>:<base64>, about 4/3 of its plain length plus 60 characters, so the
-- columns that hold one are widened here; rows stored before this version are sealed by the first start after it
-- (in small batches, while the server runs; reads take plain values until then).

-- The keys that have sealed values here: a start refuses a key file that lacks one of them, or whose key of that
-- id opens no probe (the constant sealed with it), instead of reading garbage. index_probe: the blind-index key's
-- HMAC of a constant, so a different index key (whose look-ups would silently find nothing) is refused as well.
-- A key's row goes when no value is sealed with it any more (bin/sangdam rotate-keys): then it may leave the file.
CREATE TABLE field_key (
  key_id      VARCHAR(8)   NOT NULL,
  probe       VARCHAR(200) NOT NULL,
  index_probe VARCHAR(80)  NOT NULL,
  created_at  DATETIME(3)  NOT NULL,
  PRIMARY KEY (key_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- contact_index, channel_user_index: the blind index (HMAC-SHA256 under the index key) of the normalised contact
-- and of the channel's user key, for look-ups by the whole value. The channel user's unique key moves to its index,
-- as sealed values of one user differ (random nonces); the old key stays for rows not sealed yet.
ALTER TABLE customer
  MODIFY contact TEXT NULL,
  MODIFY memo TEXT NULL,
  MODIFY channel_user VARCHAR(300) NULL,
  ADD COLUMN contact_index BINARY(32) NULL,
  ADD COLUMN channel_user_index BINARY(32) NULL,
  ADD KEY ix_customer_contact_index (tenant_id, contact_index),
  ADD UNIQUE KEY uk_customer_channel_user_index (channel_id, channel_user_index);

ALTER TABLE conversation
  MODIFY channel_user VARCHAR(300) NULL,
  MODIFY bot_state MEDIUMTEXT NULL,
  MODIFY bot_fields MEDIUMTEXT NULL;

ALTER TABLE conversation_pre_chat
  MODIFY name TEXT NULL,
  MODIFY contact TEXT NULL;

ALTER TABLE callback_request
  MODIFY phone VARCHAR(200) NOT NULL COMMENT 'sealed; normalised before, 010-1234-5678; shown masked but to the claiming agent',
  MODIFY customer_note TEXT NULL;

ALTER TABLE offline_inquiry
  MODIFY contact TEXT NOT NULL,
  MODIFY body MEDIUMTEXT NOT NULL;
