-- bench/retention: CreateSession with a user check and a short lifetime (the rows a sign-in leaves: a session, its
-- event, its aggregate head), users ret-1..ret-USERS in turn. TOKEN and USERS from the environment.
local token = os.getenv("TOKEN")
local users = tonumber(os.getenv("USERS"))
local n = 0
function init(args)
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
end
function request()
  n = n + 1
  local body = '{"checks":{"user":{"userId":"ret-' .. (n % users + 1) .. '"}},"lifetime":"1s"}'
  return wrk.format("POST", "/v2/sessions", headers, body)
end
