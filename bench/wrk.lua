-- wrk scenarios for bench/run (SCENARIO, TOKEN, USERS_FILE from the environment). Each wrk thread
-- takes its own slice of the users, so RegisterTOTP always meets users it has not touched.
local scenario = os.getenv("SCENARIO")
local token = os.getenv("TOKEN")
local ids = {}
if os.getenv("USERS_FILE") then
  for line in io.lines(os.getenv("USERS_FILE")) do ids[#ids + 1] = line end
end
local threads = {}
local counter = 0

function setup(thread)
  thread:set("slice", #threads)
  table.insert(threads, thread)
end

function init(args)
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  n = 0
end

local function next_user()
  n = n + 1
  -- thread k walks users k, k + T, k + 2T, … (T = 8 slots, enough for -t up to 8)
  local index = ((n - 1) * 8 + slice) % #ids + 1
  return ids[index]
end

function request()
  if scenario == "healthz" then
    return wrk.format("GET", "/healthz")
  elseif scenario == "get-user" then
    return wrk.format("GET", "/v2/users/" .. next_user(), headers)
  elseif scenario == "register-totp" then
    return wrk.format("POST", "/v2/users/" .. next_user() .. "/totp", headers, "{}")
  elseif scenario == "add-otp-email" then
    local user = next_user()
    local body = '{"email":{"address":"' .. user .. "-" .. n .. "-" .. slice .. '@bench.test","returnCode":{}}}'
    return wrk.format("POST", "/v3alpha/users/" .. user .. "/otp_email", headers, body)
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format('{"scenario":"%s","connections":%s,"seconds":%.1f,"requests":%d,"errors":%d,"rps":%d,'
    .. '"p50_ms":%.2f,"p99_ms":%.2f,"p999_ms":%.2f,"client":"wrk"}\n',
    scenario, os.getenv("CONNECTIONS"), seconds, summary.requests, errors, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
end
