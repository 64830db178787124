-- SMS pumping and caller/IP send limits (SEC B1, B2): what each outbox row is counted by, besides its
-- recipient and user. All nullable: rows written before this migration, email rows (no prefix or country),
-- and sends whose end-user IP is unknown are simply not counted under those keys.
alter table outbox
  add column caller_id        text,
  add column end_user_ip      text,
  add column recipient_prefix text,
  add column country_code     integer;

create index outbox_prefix_idx  on outbox (recipient_prefix, created_at) where recipient_prefix is not null;
create index outbox_country_idx on outbox (country_code, created_at)     where country_code is not null;
create index outbox_caller_idx  on outbox (caller_id, created_at)        where caller_id is not null;
create index outbox_ip_idx      on outbox (end_user_ip, created_at)      where end_user_ip is not null;

-- The end user's IP a login app named in CreateSession (userAgent.ip), for the challenges of later SetSession calls
-- (ZITADEL's SetSession carries no user agent). Kept only when the creating caller manages the session's user.
alter table sessions add column user_agent_ip text;
