-- Issue 12: support files held in the database (every process reads them), the sender's
-- address for the throttle, the request's body deleted after support.retention_days, and
-- outbox rows that forget their body once sent (one-time links, copies of a request).
ALTER TABLE support_attachments ADD COLUMN content TEXT;
ALTER TABLE support_requests ADD COLUMN client_address TEXT NOT NULL DEFAULT '';
ALTER TABLE support_requests ADD COLUMN purged_at INTEGER;
CREATE INDEX support_requests_email ON support_requests(email, created_at);
CREATE INDEX support_requests_address ON support_requests(client_address, created_at);
ALTER TABLE outbox_attachments ADD COLUMN support_file TEXT;
ALTER TABLE outbox ADD COLUMN forget_body INTEGER NOT NULL DEFAULT 0;
