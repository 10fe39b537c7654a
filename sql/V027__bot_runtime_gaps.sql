-- The bot runtime's gaps (issue 17): turns recovered after a crash, scenarios deleted, entries without a bot.

-- The seq of the customer's last message whose bot turn was kept (for the greeting: the customer's last message
-- before it); NULL before the first turn. It is written with bot_state, on the condition that it grows, so each
-- message is answered once; a node that takes the conversation up (a start, its center from another node) answers
-- the customer's messages after it, in order: one stored just before a crash, whose turn never ran, is not left
-- unanswered until the customer writes again.
ALTER TABLE conversation ADD COLUMN bot_answered_seq INT NULL;

-- Conversations with a bot at the upgrade: what their customers wrote so far counts as answered, so nothing said
-- before is answered again.
UPDATE conversation c
SET c.bot_answered_seq = (SELECT COALESCE(MAX(m.seq), 0) FROM message m
                          WHERE m.conversation_id = c.id AND m.sender_kind = 'CUSTOMER')
WHERE c.state = 'BOT' AND c.bot_state IS NOT NULL;

-- A deleted scenario: left out of lists and of new entries; its row and versions stay, so conversations walking one
-- of its versions go on to their end, and transcripts keep naming it.
ALTER TABLE bot_scenario ADD COLUMN deleted_at DATETIME(3) NULL;

-- An entry whose scenario_id is NULL says "no bot here": the most specific entry wins as before, so one channel,
-- or one queue, of a center whose entry has a scenario goes straight to its queue.
ALTER TABLE bot_entry MODIFY scenario_id BIGINT NULL;
