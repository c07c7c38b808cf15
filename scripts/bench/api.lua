-- wrk script: check-ins through the JSON API, every request a participant not checked in yet.
--
--   wrk -s api.lua URL -- checkin TOKENS_FILE BASE THREADS OUT_PREFIX CLASS_SIZE
--                                   POST /api/v1/checkin {token, phone}
--   wrk -s api.lua URL -- badge IDS_FILE BASE THREADS OUT_PREFIX CLASS_SIZE BEARER
--                                   POST /api/v1/sessions/<id>/attendance {participant_code, method: "badge"}
-- Request k of a thread names participant n = BASE + (k - 1) * THREADS + (thread - 1), of class
-- n // CLASS_SIZE, whose session's token or id is line (n // CLASS_SIZE) + 1 of the file. Each thread appends
-- the numbers of the participants confirmed to it ("status": "checked_in") to OUT_PREFIX<thread> ("-":
-- none). At the end one line is printed: "phones: started=N confirmed=N refused=N failed=N top=N"
-- (refused: any other answer below 500; failed: a 5xx; top: one past the highest number used).

local threads_seen = 0
local all_threads = {}

function setup(thread)
  threads_seen = threads_seen + 1
  thread:set("id", threads_seen)
  table.insert(all_threads, thread)
end

local mode, targets, base, threads, size, headers, out = nil, {}, 0, 1, 200, nil, nil
started, confirmed, refused, failed, top = 0, 0, 0, 0, 0

function init(args)
  mode, base, threads, size = args[1], tonumber(args[3]), tonumber(args[4]), tonumber(args[6])
  for line in io.lines(args[2]) do table.insert(targets, line) end
  if args[5] ~= "-" then
    out = io.open(args[5] .. id, "w")
    out:setvbuf("line")
  end
  headers = {["Content-Type"] = "application/json"}
  if mode == "badge" then headers["Authorization"] = "Bearer " .. args[7] end
end

function request()
  started = started + 1
  local number = base + (started - 1) * threads + (id - 1)
  top = number + 1
  local target = targets[math.floor(number / size) % #targets + 1]  -- past the last class: refused
  if mode == "badge" then
    return wrk.format("POST", "/api/v1/sessions/" .. target .. "/attendance", headers,
                      string.format('{"participant_code":"B%07d","method":"badge"}', number))
  end
  return wrk.format("POST", "/api/v1/checkin", headers,
                    string.format('{"token":"%s","phone":"0977%06d"}', target, number))
end

function response(status, headers, body)
  if status == 200 and body:find('"status":%s*"checked_in"') then
    confirmed = confirmed + 1
    -- the name is "Học viên N" (JSON may escape its accents): N ends the full_name string
    if out then out:write((body:match('"full_name":%s*"[^"]-(%d+)"') or "?") .. "\n") end
  elseif status < 500 then
    refused = refused + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local totals = {started = 0, confirmed = 0, refused = 0, failed = 0}
  local highest = 0
  for _, thread in ipairs(all_threads) do
    for key in pairs(totals) do totals[key] = totals[key] + (thread:get(key) or 0) end
    highest = math.max(highest, thread:get("top") or 0)
  end
  io.write(string.format("phones: started=%d confirmed=%d refused=%d failed=%d top=%d\n", totals.started,
                         totals.confirmed, totals.refused, totals.failed, highest))
end
