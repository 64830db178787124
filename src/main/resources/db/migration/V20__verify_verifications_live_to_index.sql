-- A VerificationCheck by To looks for the newest pending or out-of-checks verification of a Service for that To; the
-- index of V15 covers pending ones only, so that check read the whole table (EXPLAIN on 200,000 rows: a sequential
-- scan). One index for both statuses, which both lookups' predicates imply.
create index verify_verifications_live_to_idx on verify_verifications (service_sid, to_address, created_at)
  where status in ('pending', 'max_attempts_reached');
drop index verify_verifications_to_idx;
