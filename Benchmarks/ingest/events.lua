-- POST batches of $BATCH access events with the device key in $TOKEN, each event id unique across
-- threads and requests (a retried id would take the cheaper duplicate path), dated $AT.
local counter = 0
local prefix = "t"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("prefix", "w" .. threads)
end

local batch = tonumber(os.getenv("BATCH") or "100")
local at = os.getenv("AT")
local methods = { "face", "face", "app", "card" }

request = function()
  counter = counter + 1
  local parts = {}
  for i = 1, batch do
    parts[i] = string.format('{"id":"%s-%d-%d","type":"access_granted","at":"%s","method":"%s","person":"resident-%04d"}',
      prefix, counter, i, at, methods[(i % 4) + 1], (counter * batch + i) % 5000)
  end
  local body = '{"events":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("EVENTS_PER_S %.0f\n", summary.requests / (summary.duration / 1e6) * batch))
end
