-- Interfaced booking software (docs/rules.md#publishers): the publishers an administrator
-- registered, with the health of their last pulls and the lease of the process pulling them
-- (a conditional update: several processes run the job), the structures whose availabilities
-- a publisher publishes, and the free slots last pulled, each matched to a place.
CREATE TABLE publishers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  base_url TEXT NOT NULL,
  certificate_file TEXT NOT NULL,
  key_file TEXT NOT NULL,
  ca_file TEXT NOT NULL,
  period_minutes INTEGER NOT NULL DEFAULT 5,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  claimed_until INTEGER NOT NULL DEFAULT 0,
  next_pull_at INTEGER NOT NULL DEFAULT 0,
  last_pull_at INTEGER,
  last_success_at INTEGER,
  last_duration_ms INTEGER NOT NULL DEFAULT 0,
  last_received INTEGER NOT NULL DEFAULT 0,
  last_matched INTEGER NOT NULL DEFAULT 0,
  last_unmatched INTEGER NOT NULL DEFAULT 0,
  last_professionals INTEGER NOT NULL DEFAULT 0,
  last_errors TEXT NOT NULL DEFAULT '',
  breaker_failures INTEGER NOT NULL DEFAULT 0,
  breaker_open_until INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE structures ADD COLUMN publisher_id INTEGER REFERENCES publishers(id);

CREATE TABLE pulled_slots (
  publisher_id INTEGER NOT NULL REFERENCES publishers(id) ON DELETE CASCADE,
  place_id INTEGER NOT NULL REFERENCES places(id) ON DELETE CASCADE,
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL,
  types INTEGER NOT NULL,
  booking_url TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pulled_slots_place ON pulled_slots(place_id);
CREATE INDEX pulled_slots_publisher ON pulled_slots(publisher_id, place_id);
