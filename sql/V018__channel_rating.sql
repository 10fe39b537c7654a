-- A channel conversation's rating question (docs/protocol.md, "Ratings on channels"): when it reached the
-- customer, before the channel's end. The customer's next message within the channel's window is read as
-- the answer when it is a score; NULL: never asked (the widget's conversations, a channel that asks none).
ALTER TABLE conversation ADD COLUMN survey_asked_at DATETIME(3) NULL AFTER csat_comment;
