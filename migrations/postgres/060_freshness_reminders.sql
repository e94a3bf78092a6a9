-- The freshness reminder (docs/rules.md#freshness-reminder): when the managers of each place
-- were last reminded that it has nothing in the next 72 h, so that they get one a week at most
-- (the claim is a conditional update: several processes may run the job).
CREATE TABLE freshness_reminders (
  place_id BIGINT PRIMARY KEY REFERENCES places(id) ON DELETE CASCADE,
  sent_at BIGINT NOT NULL
);
