-- Retention (issue 29) of the Twilio Verify tables that came beside it: TOTP challenges past their expiration (and the
-- retention period of verifications), and rate-limit counts whose window has passed (creates also sweep some).
create index verify_challenges_expires_idx on verify_challenges (expires_at);

-- Tables whose rows come and go (retention deletes them in batches): vacuumed sooner and unthrottled, so the space of
-- deleted rows is reused before the table grows (the retention bench saw sessions and event_heads keep growing on
-- disk with a flat row count under the default scale factor 0.2 and cost delay).
alter table sessions set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
alter table event_heads set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
alter table outbox set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
alter table verification_codes set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
alter table verify_verifications set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
