-- wrk script for bench/sandbox_vs_nginx.sh: Add Prospect POSTs as the
-- importer sends them, each with a new profile URL (so the sandbox's store
-- grows as in a real import); nginx gets the same bytes and ignores them.
local counter = 0
local prefix = "t" .. tostring(math.random(1, 1000000000)) .. "-"

local headers = {
  ["Content-Type"] = "application/json",
  ["X-API-Key"] = "sandbox-key",
}

request = function()
  counter = counter + 1
  local body = '{"prospectListId":"cf33282b-b171-4d23-ae02-848499d793e4",'
    .. '"prospectProfileUrl":"https://www.linkedin.com/in/' .. prefix .. counter .. '",'
    .. '"campaignId":"8d256aa6-9b12-49a7-93ee-bf41634b5b60","moveDuplicatedProspect":false}'
  return wrk.format("POST", "/api/client/v1/prospects", headers, body)
end

-- Each thread has its own Lua state; seed per thread so prefixes differ.
setup = function(thread)
  thread:set("seed", math.random(1, 1000000000))
end

init = function(args)
  math.randomseed(seed or os.time())
  prefix = "t" .. tostring(math.random(1, 1000000000)) .. "-"
end
