-- Numbers of an SMS channel that sent the opt-out keyword (수신거부): nothing is sent to them while their
-- row is here. A later text from the number removes it (they wrote to us again).
CREATE TABLE sms_opt_out (
  channel_id    BIGINT       NOT NULL,
  number        VARCHAR(128) NOT NULL,
  opted_out_at  DATETIME(3)  NOT NULL,
  PRIMARY KEY (channel_id, number),
  CONSTRAINT fk_sms_opt_out_channel FOREIGN KEY (channel_id) REFERENCES channel (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
