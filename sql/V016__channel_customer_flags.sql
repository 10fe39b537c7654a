-- What a channel tells of its customer besides their messages (Naver TalkTalk so far):
-- under14: the channel said the customer is under 14 (TRUE) or not (FALSE) when they last opened the
-- chat; NULL: it never said. Agents see it in the customer's profile (a minor's personal data needs a
-- legal guardian's consent).
-- thread_control, thread_control_at: the last hand-over of the customer's thread the channel told us of
-- (Naver's passThread / takeThread), for bot ownership to follow.
ALTER TABLE customer
  ADD COLUMN under14           BOOLEAN     NULL,
  ADD COLUMN thread_control    VARCHAR(16) NULL,
  ADD COLUMN thread_control_at DATETIME(3) NULL;
