-- Twilio Verify v2 (issue 28): a verification of a PSD2 Service is bound to its transaction (amount and payee, as
-- given: shown in the message, echoed in answers, required again at the check), and keeps its lookup (line type of
-- the number, when the Service has lookups on). Null: none.
alter table verify_verifications add column amount text, add column payee text, add column lookup jsonb;
