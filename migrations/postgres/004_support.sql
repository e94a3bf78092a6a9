-- PostgreSQL version of migrations/sqlite/004_support.sql (same tables, PostgreSQL types).
-- « Formulaire d'assistance »: support requests, their files (stored under server-made names),
-- and the files attached to emails of the outbox.
CREATE TABLE support_requests (
  id BIGSERIAL PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  idempotency_key TEXT NOT NULL UNIQUE,
  user_id BIGINT REFERENCES users(id),
  user_kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  last_name TEXT NOT NULL,
  first_name TEXT NOT NULL,
  phone TEXT NOT NULL,
  email TEXT NOT NULL,
  territory_id BIGINT REFERENCES territories(id),
  territory_name TEXT NOT NULL,
  message TEXT NOT NULL,
  routed_to TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX support_requests_created ON support_requests(created_at);

CREATE TABLE support_attachments (
  request_id BIGINT NOT NULL REFERENCES support_requests(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  stored_name TEXT NOT NULL UNIQUE,
  size BIGINT NOT NULL,
  PRIMARY KEY (request_id, position)
);

CREATE TABLE outbox_attachments (
  outbox_id BIGINT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  stored_path TEXT NOT NULL,
  PRIMARY KEY (outbox_id, position)
);
