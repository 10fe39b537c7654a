-- Statistics by channel: the roll-ups count each conversation under its channel ('web' for the widget,
-- else the channel's code), so a report filters by channel or kind without reading conversations. Rows
-- kept before this migration count as 'web' (so do channel conversations that ended before it).
ALTER TABLE stats_hour
  ADD COLUMN channel VARCHAR(32) NOT NULL DEFAULT 'web' AFTER agent_id,
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (tenant_id, hour_start, center_id, queue_id, agent_id, channel);

ALTER TABLE stats_wait
  ADD COLUMN channel VARCHAR(32) NOT NULL DEFAULT 'web' AFTER agent_id;
