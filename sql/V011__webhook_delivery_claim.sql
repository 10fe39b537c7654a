-- Webhook deliveries are claimed per row, so that with several nodes on one database each delivery
-- is in flight on one node at a time. A node sets claimed_by (its cluster.nodeName, or its host
-- name) and claimed_until (the database's clock) on the rows it sends: when it writes a new
-- delivery it is about to send, and when it takes due rows that no live claim holds. A failed
-- attempt clears the claim (the row waits for its next attempt, for whichever node takes it then);
-- an answered one removes the row. A node that dies leaves claims that expire, and another node
-- takes those rows once they have.
ALTER TABLE webhook_delivery
  ADD COLUMN claimed_by    VARCHAR(255) NULL AFTER next_attempt_at,
  ADD COLUMN claimed_until DATETIME(3)  NULL AFTER claimed_by;
