-- System messages in the reader's language (issue 18): beside the text in the tenant's language, a
-- system message keeps a stable key (e.g. conversation.transferredToAgent) and its params as a JSON
-- object ({"agent":"김상담"}), so every app renders it in its reader's language from history too.
-- NULL for every other message, and for system messages stored before keys existed (apps show the text).
ALTER TABLE message
  ADD COLUMN system_key VARCHAR(64) NULL,
  ADD COLUMN system_params TEXT NULL;
