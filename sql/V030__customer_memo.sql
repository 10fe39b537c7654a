-- The agent's memo on a customer (고객 메모), edited in the agent console's customer panel beside the name and
-- contact; shown in full to the agent carrying the customer's chat, masked to everyone else.
ALTER TABLE customer ADD COLUMN memo VARCHAR(1000) NULL AFTER contact;
