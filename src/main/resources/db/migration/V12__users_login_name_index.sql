-- Sign-in by loginName looks users up by lower(username) across orgs: users_org_username_key leads with org_id
-- and cannot serve it, so each such sign-in read the whole users table.
create index users_lower_username_idx on users (lower(username));
