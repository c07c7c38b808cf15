-- wrk script: phones checking in on the trainee page, as a phone's browser does.
--
-- A phone opens /c/<token> (the QR's link): the page sets a session cookie and carries a CSRF token and
-- a `grace` ticket in its form. The phone then posts the form with that cookie, `csrf_token`, `grace` and
-- its number, and is done; the connection goes on with the next phone, which has no cookie yet.
-- Each phone's number is new (participant `base + k`, k counted across threads), so every confirmed
-- POST is a first check-in. A page's answer carries the state forward: the POST is built from the GET's
-- response and sent as the next request of that thread (requests carry their own cookies, so which of
-- the thread's connections sends it does not matter).
--
-- Usage: wrk -s trainee.lua URL -- TOKEN BASE THREADS OUT_PREFIX
--   OUT_PREFIX: each thread appends the numbers of the participants confirmed to it to OUT_PREFIX<id>
--   ("-": none). At the end one line is printed: "phones: started=N confirmed=N refused=N failed=N top=N"
--   (refused: an answer below 500 that is not a confirmation, e.g. "already checked in"; failed: a 5xx;
--   top: one past the highest participant number used).

local threads_seen = 0
local all_threads = {}

function setup(thread)
  threads_seen = threads_seen + 1
  thread:set("id", threads_seen)
  table.insert(all_threads, thread)
end

local path, get_request, base, threads, out
local queue, head, tail = {}, 1, 0
started, confirmed, refused, failed, top = 0, 0, 0, 0, 0

function init(args)
  path = "/c/" .. args[1]
  base, threads = tonumber(args[2]), tonumber(args[3])
  if args[4] and args[4] ~= "-" then
    out = io.open(args[4] .. id, "w")
    out:setvbuf("line")
  end
  get_request = wrk.format("GET", path)
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
  return get_request
end

local SUCCESS = "Điểm danh thành công"

function response(status, headers, body)
  if status == 200 then
    local csrf = body:match('name="csrf_token" value="([^"]+)"')
    local grace = body:match('name="grace" value="([^"]*)"')
    if csrf and grace and not body:find('id="result"', 1, true) then  -- the phone form
      local cookie = (headers["Set-Cookie"] or ""):match("^[^;]+") or ""
      started = started + 1
      local number = base + (started - 1) * threads + (id - 1)
  top = number + 1
      local form = "csrf_token=" .. encode(csrf) .. "&grace=" .. encode(grace) ..
                   string.format("&phone=0977%06d", number)
      tail = tail + 1
      queue[tail] = wrk.format("POST", path, {["Content-Type"] = "application/x-www-form-urlencoded",
                                              ["Cookie"] = cookie}, form)
      return
    end
    if body:find(SUCCESS, 1, true) then
      confirmed = confirmed + 1
      if out then out:write((body:match("Học viên (%d+)") or "?") .. "\n") end
      return
    end
  end
  if status < 500 then refused = refused + 1 else failed = failed + 1 end  -- refused: answered, not stored
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
