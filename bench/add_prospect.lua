-- wrk script for bench/import_throughput.sh and bench/sandbox_vs_nginx.sh: the
-- request prospect-import sends (same header fields, same body layout and
-- size), a new profile URL each, so the store grows as in a real import.
local counter = 0
local prefix = "w"

local headers = {
  ["X-API-Key"] = "sandbox-key",
  ["User-Agent"] = "prospect-import/0.1.0",
  ["Accept"] = "application/json",
  ["Content-Type"] = "application/json",
}

request = function()
  counter = counter + 1
  local body = '{"prospectListId":"cf33282b-b171-4d23-ae02-848499d793e4",'
    .. '"prospectProfileUrl":"https://www.linkedin.com/in/' .. prefix .. counter .. '",'
    .. '"campaignId":"8d256aa6-9b12-49a7-93ee-bf41634b5b60","moveDuplicatedProspect":false}'
  return wrk.format("POST", "/api/client/v1/prospects", headers, body)
end

-- Each thread has its own Lua state: a prefix per thread keeps URLs distinct.
setup = function(thread)
  thread:set("seed", math.random(1, 1000000000))
end

init = function(args)
  math.randomseed(seed or os.time())
  prefix = "w" .. tostring(math.random(1, 1000000000)) .. "-"
end
