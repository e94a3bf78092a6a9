-- PostgreSQL version of migrations/sqlite/002_accounts.sql (same tables, PostgreSQL types).
-- Territories, the links sent by email, the outbox of emails, and failed logins.
CREATE TABLE territories (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE territory_departements (
  territory_id BIGINT NOT NULL REFERENCES territories(id) ON DELETE CASCADE,
  departement TEXT NOT NULL,
  PRIMARY KEY (territory_id, departement)
);

ALTER TABLE users ADD COLUMN territory_id BIGINT REFERENCES territories(id);
ALTER TABLE users ADD COLUMN expiry_warned_at BIGINT;
ALTER TABLE users ADD COLUMN terms_accepted_at BIGINT;

-- Single-use links: only a digest of the token is kept.
CREATE TABLE user_tokens (
  digest TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose TEXT NOT NULL,
  new_email TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX user_tokens_user ON user_tokens(user_id, purpose);

-- Every email is a row here, written in the transaction of the change that causes it; a
-- sender delivers it (lease_until keeps two senders off the same row) and marks it sent.
CREATE TABLE outbox (
  id BIGSERIAL PRIMARY KEY,
  created_at BIGINT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL DEFAULT 0,
  sent_at BIGINT,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(sent_at, next_attempt_at);

-- Failed logins by email typed (known or not) and client address: throttling survives a restart.
CREATE TABLE login_failures (
  id BIGSERIAL PRIMARY KEY,
  at BIGINT NOT NULL,
  email TEXT NOT NULL,
  client_address TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, at);
CREATE INDEX login_failures_address ON login_failures(client_address, at);
