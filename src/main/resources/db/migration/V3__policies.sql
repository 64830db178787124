-- Which second factors an org's users may use. owner_id '' is the instance default; an org
-- without a row of its own inherits it; the first change to an org's list copies the default.
create table second_factor_policies (
  owner_id  text   primary key,
  factors   text[] not null
);
insert into second_factor_policies (owner_id, factors)
  values ('', array['SECOND_FACTOR_TYPE_OTP', 'SECOND_FACTOR_TYPE_U2F']);

-- How many failed attempts lock a user (0 = off); same inheritance, no copy: an org either has
-- its own policy or uses the default.
create table lockout_policies (
  owner_id               text    primary key,
  max_password_attempts  integer not null check (max_password_attempts >= 0),
  max_otp_attempts       integer not null check (max_otp_attempts >= 0)
);
insert into lockout_policies (owner_id, max_password_attempts, max_otp_attempts) values ('', 0, 0);
