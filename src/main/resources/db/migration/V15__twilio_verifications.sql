-- Twilio Verify v2 Verifications (issue 28). A verification (VE sid) of a Service: its code kept sealed with the
-- keyring (bound to the sid), because Twilio re-sends the same code on a new create within its 10 minutes; its
-- sends (send_code_attempts) and wrong checks counted on the row; every step is also an event.
create table verify_verifications (
  sid            text        primary key,
  org_id         text        not null references orgs (id),
  service_sid    text        not null,
  account_sid    text        not null,
  to_address     text        not null,
  channel        text        not null,
  status         text        not null,
  code_sealed    bytea,
  failed_checks  int         not null,
  attempts       jsonb       not null,
  expires_at     timestamptz not null,
  sequence       bigint      not null,
  created_at     timestamptz not null,
  updated_at     timestamptz not null
);
-- A create or a check by To finds the newest pending verification of a Service for that To.
create index verify_verifications_to_idx on verify_verifications (service_sid, to_address, created_at) where status = 'pending';
