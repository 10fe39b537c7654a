-- The manager's live view (issue 18): the waiting count and the longest wait past which the
-- wallboard (and the dashboard) shows a center or a queue in alert. One row per center as a whole
-- (queue_id 0) and per queue that has its own; a NULL limit is no alert on that figure.
CREATE TABLE alert_threshold (
  center_id            BIGINT NOT NULL,
  queue_id             BIGINT NOT NULL COMMENT '0: the center as a whole',
  waiting              INT    NULL COMMENT 'alert when this many or more wait',
  longest_wait_seconds INT    NULL COMMENT 'alert when the longest wait reaches this',
  PRIMARY KEY (center_id, queue_id),
  CONSTRAINT fk_alert_threshold_center FOREIGN KEY (center_id) REFERENCES center (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
