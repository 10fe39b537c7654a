-- A bot's last turn (one that hands off, ends, or leaves an inquiry) runs again after a crash between its count and
-- its hand-off or end (its customer message is still unanswered): it must count, and leave its inquiry, once.

-- The seq of the customer message whose last turn was counted in the bot statistics; written on the condition that
-- it grows, so a turn run again counts nothing.
ALTER TABLE conversation ADD COLUMN bot_counted_seq INT NULL;

-- The conversation whose bot left the inquiry (NULL for one left at a closed center's door): at most one each.
ALTER TABLE offline_inquiry ADD COLUMN conversation_id BIGINT NULL,
  ADD UNIQUE KEY uq_inquiry_conversation (conversation_id);
