-- GetSession shows the checked user's login name.
alter table sessions add column login_name text;
