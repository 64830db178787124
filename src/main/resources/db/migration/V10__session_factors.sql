-- Session v2: the second factors a session proved, one jsonb object (name -> {verifiedAt, ...}) as GetSession
-- shows them, so that a new factor needs no new column.
alter table sessions add column factors jsonb not null default '{}';
update sessions set factors = jsonb_strip_nulls(jsonb_build_object(
  'totp', case when totp_verified_at is null then null
    else jsonb_build_object('verifiedAt', to_char(totp_verified_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) end,
  'otpSms', case when otp_sms_verified_at is null then null
    else jsonb_build_object('verifiedAt', to_char(otp_sms_verified_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) end,
  'otpEmail', case when otp_email_verified_at is null then null
    else jsonb_build_object('verifiedAt', to_char(otp_email_verified_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) end));
alter table sessions drop column totp_verified_at, drop column otp_sms_verified_at, drop column otp_email_verified_at;
