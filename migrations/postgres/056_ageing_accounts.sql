-- PostgreSQL version of migrations/sqlite/056_ageing_accounts.sql.
-- Accounts that age (issue 18, item 4; docs/rules.md#delegates-and-ageing-accounts), and the
-- journal's reads (item 8).
-- last_used_at: the instant an account's inactivity counts from (its last login or its
-- reactivation; NULL: its creation). last_login_at: its last login, shown to account managers.
-- inactivity_warned_at: the warning of the current inactivity period (one per period).
-- inactive_since: set when the ageing disabled the account (« Inactif depuis le … »), cleared
-- when it is enabled again.
ALTER TABLE users ADD COLUMN last_used_at BIGINT;
ALTER TABLE users ADD COLUMN last_login_at BIGINT;
ALTER TABLE users ADD COLUMN inactivity_warned_at BIGINT;
ALTER TABLE users ADD COLUMN inactive_since BIGINT;
-- The journal reads the audit log by time, and by object or person (made first: the
-- last logins below read it by person).
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_object ON audit_log(object, at);
CREATE INDEX audit_log_user ON audit_log(user_id, at);
-- Accounts existing before: their last login as the audit log knows it; and, so that nobody is
-- disabled without a warning a month before, their clock starts no earlier than today.
UPDATE users SET last_login_at = (SELECT MAX(a.at) FROM audit_log a WHERE a.user_id = users.id
                                  AND a.action IN ('login', 'psc.login', 'account.activated',
                                                   'password.reset', 'psc.account_created'));
UPDATE users SET last_used_at = CAST(EXTRACT(EPOCH FROM now()) AS BIGINT);
CREATE INDEX users_last_used ON users(disabled, last_used_at);
