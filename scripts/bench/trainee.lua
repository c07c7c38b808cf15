-- wrk script: phones checking in on the trainee page, as a phone's browser does.
--
-- A phone opens /c/<token> (the QR of its class): the page sets a session cookie and carries a CSRF token
-- and a `grace` ticket in its form. The phone then posts the form with that cookie, `csrf_token`, `grace`
-- and its number, and is done; the connection goes on with the next phone, which has no cookie yet.
-- Phone k of a thread is participant n = BASE + (k - 1) * THREADS + (thread - 1), new to the scenario,
-- of class n // CLASS_SIZE, whose token is line (n // CLASS_SIZE) + 1 of TOKENS_FILE. A POST is built from
-- the page a GET brought (its cookie, fields and form action, whose session names the class) and is the
-- thread's next request: requests carry their own cookies, so which connection sends it does not matter.
--
-- Usage: wrk -s trainee.lua URL -- TOKENS_FILE BASE THREADS OUT_PREFIX CLASS_SIZE
--   OUT_PREFIX: each thread appends the numbers of the participants confirmed to it to OUT_PREFIX<thread>
--   ("-": none). At the end one line is printed: "phones: started=N confirmed=N refused=N failed=N top=N"
--   (refused: an answer below 500 that is neither the form nor a confirmation, e.g. "already checked in";
--   failed: a 5xx; top: one past the highest participant number used).

local threads_seen = 0
local all_threads = {}

function setup(thread)
  threads_seen = threads_seen + 1
  thread:set("id", threads_seen)
  table.insert(all_threads, thread)
end

local tokens, class_of, pending, base, threads, size, out = {}, {}, {}, 0, 1, 200, nil
local queue, head, tail = {}, 1, 0
started, confirmed, refused, failed, top = 0, 0, 0, 0, 0

function init(args)
  for line in io.lines(args[1]) do
    table.insert(tokens, line)
    class_of[line:match("^(%d+)-")] = #tokens - 1
  end
  base, threads, size = tonumber(args[2]), tonumber(args[3]), tonumber(args[5])
  if args[4] ~= "-" then
    out = io.open(args[4] .. id, "w")
    out:setvbuf("line")
  end
end

local function encode(value)
  return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  if head <= tail then
    local post = queue[head]
    queue[head] = nil
    head = head + 1
    return post
  end
  started = started + 1
  local number = base + (started - 1) * threads + (id - 1)
  top = number + 1
  local class = math.floor(number / size) % #tokens  -- past the last class: class 0, where it is refused
  pending[class] = pending[class] or {}
  table.insert(pending[class], number)
  return wrk.format("GET", "/c/" .. tokens[class + 1])
end

local SUCCESS = "Điểm danh thành công"

function response(status, headers, body)
  if status == 200 and not body:find('id="result"', 1, true) then
    local action = body:match('<form method="post"[^>]-action="([^"]+)"')
    local csrf = body:match('name="csrf_token" value="([^"]+)"')
    local grace = body:match('name="grace" value="([^"]*)"')
    local class = action and class_of[action:match("/c/(%d+)-") or ""]
    local numbers = class and pending[class]
    if csrf and grace and numbers and #numbers > 0 then  -- the phone form of a class: post it
      local number = table.remove(numbers, 1)
      local cookie = (headers["Set-Cookie"] or ""):match("^[^;]+") or ""
      local form = "csrf_token=" .. encode(csrf) .. "&grace=" .. encode(grace) ..
                   string.format("&phone=0977%06d", number)
      tail = tail + 1
      queue[tail] = wrk.format("POST", action, {["Content-Type"] = "application/x-www-form-urlencoded",
                                                ["Cookie"] = cookie}, form)
      return
    end
  end
  if status == 200 and body:find(SUCCESS, 1, true) then
    confirmed = confirmed + 1
    if out then out:write((body:match("Học viên (%d+)") or "?") .. "\n") end
    return
  end
  if status < 500 then refused = refused + 1 else failed = failed + 1 end
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
