-- At most one open conversation per customer of a channel (that is, per channel and user: a channel's
-- customer is one row per both, V013), across every node: while a channel's conversation is open,
-- channel_open_customer holds its customer's id, set in the transaction that opens it and cleared in the
-- one that ends it. A node whose start meets the key has lost a race to another node (a partner's retry,
-- or two quick messages on two nodes): it sends the customer's message into the conversation that won.
-- Widget conversations and ended ones hold NULL (a unique index lets many rows have NULL). A node of an
-- earlier version (during a rolling upgrade) ends conversations without clearing it: a start that meets
-- the key on an ended conversation clears it there and opens all the same.
ALTER TABLE conversation
  ADD COLUMN channel_open_customer BIGINT NULL,
  ADD UNIQUE KEY ux_conversation_channel_open (channel_open_customer);

-- The channels' conversations open now: if a customer has more than one (opened before this key), only
-- the newest gets the key, as it is the one their next message goes into; the others stay open until an
-- agent ends them.
UPDATE conversation c
  JOIN (SELECT MAX(o.id) AS id
        FROM conversation o JOIN customer cu ON cu.id = o.customer_id
        WHERE cu.channel_id IS NOT NULL AND o.state IN ('WAITING', 'ASSIGNED', 'HOLD')
        GROUP BY o.customer_id) newest ON newest.id = c.id
SET c.channel_open_customer = c.customer_id;
