-- Conversations a bot owns before any queue does (state BOT). The scenario and the version the conversation
-- started on are kept with it, so an edit of the scenario never changes a conversation already walking it;
-- bot_state is where it stands (the engine's BotState as JSON), written with each of the bot's turns, so any
-- node carries on after a restart. bot_fields: what the forms collected, kept for the agent after the hand-off
-- (JSON, the values as given; staff see personal ones masked). handed_off_at: when the bot gave it to a queue;
-- its place in line and its waiting time count from then, not from created_at (the bot part is before it).
ALTER TABLE conversation
  ADD COLUMN bot_scenario BIGINT NULL,
  ADD COLUMN bot_version INT NULL,
  ADD COLUMN bot_state TEXT NULL,
  ADD COLUMN bot_fields TEXT NULL,
  ADD COLUMN handed_off_at DATETIME(3) NULL;

-- A bot's message: sender_kind BOT with the bot's name, and the buttons under it (JSON [{"id","label"}]).
-- A customer's reply keeps the id of the button they chose (button), for the bot's turn and the transcript.
ALTER TABLE message
  ADD COLUMN sender_name VARCHAR(100) NULL,
  ADD COLUMN buttons TEXT NULL,
  ADD COLUMN button VARCHAR(64) NULL;
