-- Files sent in a conversation. The bytes live under data.dir/attachments, named by their
-- SHA-256, so the same file sent twice is stored once; a row per upload keeps who sent what where.
CREATE TABLE attachment (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  conversation_id BIGINT       NOT NULL,
  name            VARCHAR(255) NOT NULL,
  content_type    VARCHAR(100) NOT NULL,
  size_bytes      BIGINT       NOT NULL,
  sha256          CHAR(64)     NOT NULL,
  -- A smaller image for images that could be decoded; NULL for every other file.
  preview_sha256  CHAR(64)     NULL,
  uploader_kind   VARCHAR(8)   NOT NULL,
  uploader_id     BIGINT       NOT NULL,
  created_at      DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  KEY ix_attachment_conversation (conversation_id),
  CONSTRAINT fk_attachment_conversation FOREIGN KEY (conversation_id) REFERENCES conversation (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The message that announced the file in the conversation.
ALTER TABLE message
  ADD COLUMN attachment_id BIGINT NULL,
  ADD CONSTRAINT fk_message_attachment FOREIGN KEY (attachment_id) REFERENCES attachment (id);

-- A customer proves who they are over HTTP (uploading a file) by their visitor token alone.
CREATE INDEX ix_customer_visitor_hash ON customer (visitor_hash);
