-- OTP by SMS joins OTP by email: one table of OTP authenticators, one channel column.
alter table otp_email_authenticators rename to otp_authenticators;
alter table otp_authenticators add column channel text not null default 'email' check (channel in ('email', 'sms'));
alter table otp_authenticators alter column channel drop default;
drop index otp_email_address_key;
drop index otp_email_contact_key;
create unique index otp_authenticators_address_key on otp_authenticators (user_id, channel, lower(address)) where address is not null;
create unique index otp_authenticators_contact_key on otp_authenticators (user_id, channel) where address is null;
