-- « Exporter vers un agenda (iCalendar) » (docs/rules.md#calendar-export): a place's secret
-- subscription link, of which only the key's BLAKE2b digest is kept (as for sessions and
-- emailed links). One in force per place; a revoked one stays with its date (the journal says
-- who made and who revoked it).
CREATE TABLE calendar_links (
  id INTEGER PRIMARY KEY,
  place_id INTEGER NOT NULL REFERENCES places(id) ON DELETE CASCADE,
  digest TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  revoked_at INTEGER
);
-- One link in force per place (a second made at once waits for the first, then revokes it).
CREATE UNIQUE INDEX calendar_links_in_force ON calendar_links(place_id) WHERE revoked_at IS NULL;
