-- Sessions (issue 19, item 4): when a token was last used (written at most once a minute), so that one
-- idle longer than its policy allows is refused on every node; and whether it may only change its
-- user's password (signed in with a generated or expired one).
ALTER TABLE auth_token
  ADD COLUMN last_used_at DATETIME(3) NULL,
  ADD COLUMN password_change_only BOOLEAN NOT NULL DEFAULT FALSE;
