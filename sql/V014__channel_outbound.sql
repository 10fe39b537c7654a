-- The channels' outbound cursor: one row per conversation of a channel (never the widget's), written in
-- the transaction that creates the conversation. What the conversation owes its channel is derived from
-- its own rows, not copied: its agent and system messages after delivered_seq, in seq order, then its end
-- once closed_at is set. So a message or an end that is committed is owed from that commit on, whatever
-- stops before its delivery, and the message writer's transaction is untouched. The row goes once the end
-- is delivered (or given up).
--
-- Deliveries are claimed per conversation, as webhook deliveries per row (V011): a node sets claimed_by
-- (its cluster.nodeName, or its host name) and claimed_until (the database's clock) while it delivers the
-- conversation's items, so each conversation has one attempt in flight at a time in the whole cluster; a
-- node that dies leaves claims that expire, and another node takes the conversation over then.
CREATE TABLE channel_outbound (
  conversation_id BIGINT       NOT NULL,
  channel_id      BIGINT       NOT NULL,
  -- The seq of the last message delivered or given up (0: none yet)
  delivered_seq   INT          NOT NULL DEFAULT 0,
  -- Failed attempts of the next item so far, and when to try it again
  attempts        INT          NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(3)  NOT NULL,
  last_error      VARCHAR(500) NULL,
  claimed_by      VARCHAR(255) NULL,
  claimed_until   DATETIME(3)  NULL,
  PRIMARY KEY (conversation_id),
  KEY ix_channel_outbound_due (next_attempt_at),
  KEY ix_channel_outbound_channel (channel_id),
  CONSTRAINT fk_channel_outbound_conversation FOREIGN KEY (conversation_id) REFERENCES conversation (id),
  CONSTRAINT fk_channel_outbound_channel FOREIGN KEY (channel_id) REFERENCES channel (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Channel conversations open at the upgrade owe from now on: what was said before had no outbox to go through.
INSERT INTO channel_outbound (conversation_id, channel_id, delivered_seq, next_attempt_at)
SELECT c.id, ch.id, COALESCE((SELECT MAX(m.seq) FROM message m WHERE m.conversation_id = c.id), 0), NOW(3)
FROM conversation c JOIN channel ch ON ch.tenant_id = c.tenant_id AND ch.code = c.channel
WHERE c.channel <> 'web' AND c.closed_at IS NULL;
