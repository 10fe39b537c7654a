-- The key a clustered node gives each customer's start of a conversation, so that asking again (the
-- center's owner did not answer in time, or died right after committing) opens no second
-- conversation: the owner, or the center's next owner, finds the one stored under the key and
-- answers it. A single node stores none (NULL; a unique index lets many rows have NULL).
ALTER TABLE conversation
  ADD COLUMN start_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  ADD UNIQUE KEY ux_conversation_start_key (tenant_id, start_key);
