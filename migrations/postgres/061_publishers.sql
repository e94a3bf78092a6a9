-- Interfaced booking software (docs/rules.md#publishers): the publishers an administrator
-- registered, with the health of their last pulls and the lease of the process pulling them
-- (a conditional update: several processes run the job), the structures whose availabilities
-- a publisher publishes, and the free slots last pulled, each matched to a place.
CREATE TABLE publishers (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  base_url TEXT NOT NULL,
  certificate_file TEXT NOT NULL,
  key_file TEXT NOT NULL,
  ca_file TEXT NOT NULL,
  period_minutes BIGINT NOT NULL DEFAULT 5,
  enabled BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  claimed_until BIGINT NOT NULL DEFAULT 0,
  next_pull_at BIGINT NOT NULL DEFAULT 0,
  last_pull_at BIGINT,
  last_success_at BIGINT,
  last_duration_ms BIGINT NOT NULL DEFAULT 0,
  last_received BIGINT NOT NULL DEFAULT 0,
  last_matched BIGINT NOT NULL DEFAULT 0,
  last_unmatched BIGINT NOT NULL DEFAULT 0,
  last_professionals BIGINT NOT NULL DEFAULT 0,
  last_errors TEXT NOT NULL DEFAULT '',
  breaker_failures BIGINT NOT NULL DEFAULT 0,
  breaker_open_until BIGINT NOT NULL DEFAULT 0
);

ALTER TABLE structures ADD COLUMN publisher_id BIGINT REFERENCES publishers(id);

CREATE TABLE pulled_slots (
  publisher_id BIGINT NOT NULL REFERENCES publishers(id) ON DELETE CASCADE,
  place_id BIGINT NOT NULL REFERENCES places(id) ON DELETE CASCADE,
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  types BIGINT NOT NULL,
  booking_url TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pulled_slots_place ON pulled_slots(place_id);
CREATE INDEX pulled_slots_publisher ON pulled_slots(publisher_id, place_id);
