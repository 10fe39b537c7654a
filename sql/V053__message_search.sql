-- Conversation search by text (issue 20): every node keeps its own text index on local disk, fed by reading the
-- message table by ascending id. The id orders messages as they were stored; existing rows are numbered in key
-- order (conversation, seq) by this rebuild of the table (minutes for tens of millions of messages, once).
ALTER TABLE message
  ADD COLUMN id BIGINT NOT NULL AUTO_INCREMENT,
  ADD UNIQUE KEY uk_message_id (id);

-- Conversations whose messages were erased (retention or an erasure request), logged in the transaction that marks
-- them: every node's index reads it by ascending id and drops their messages. Rows hold no personal data.
CREATE TABLE conversation_erasure (
  id              BIGINT      NOT NULL AUTO_INCREMENT,
  conversation_id BIGINT      NOT NULL,
  erased_at       DATETIME(3) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
