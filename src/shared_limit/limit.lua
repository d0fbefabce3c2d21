-- One shared rate limit, kept in the hash KEYS[1] and run atomically on
-- Redis's own clock (TIME; Redis 7 replicates the script's effects, not the
-- script, so reading the clock is allowed). A token bucket whose tokens may
-- be reserved a short time ahead: a grant of n tokens says when each may be
-- used, so one round trip serves several requests and their sum over time
-- still never exceeds rate x elapsed + burst.
--
-- ARGV: op ('take' or 'report'), importer id, its --rate, its --burst,
--       tokens wanted (take; 0 only refreshes the importer's presence),
--       lease ms, presence ms, regrow ms, decrease factor, 429s the
--       importer saw since its last call, the fewest 429s that cut, the
--       share of the tokens taken that 429s must reach to cut.
-- Returns (all strings): granted, wait us (when nothing was granted),
--       balance before the grant, effective rate, ceiling rate, burst,
--       live importers, Redis time us, 1 if this call cut the rate.
--
-- The hash holds b (balance, tokens; negative while reservations are
-- outstanding), t (time of b, us), r (effective rate at t), c (when the
-- limit began, us: a Redis restarted empty or a limit expired begins anew),
-- ct and cr (time and rate of the last cut for 429s), gs (the second the
-- counts below are in), gc and gp (tokens taken in that second and in the
-- one before), qc and qp (429s reported in them, since the last cut), and
-- one field 'i:<id>' = '<expiry us> <rate> <burst>' per importer.
local key = KEYS[1]
local op, id = ARGV[1], ARGV[2]
local my_rate, my_burst = tonumber(ARGV[3]), tonumber(ARGV[4])
local n = tonumber(ARGV[5])
local lease = tonumber(ARGV[6]) / 1000
local presence_us = tonumber(ARGV[7]) * 1000
local regrow_us = tonumber(ARGV[8]) * 1000
local factor = tonumber(ARGV[9])
local throttled = tonumber(ARGV[10])
local min_throttled = tonumber(ARGV[11])
local throttled_share = tonumber(ARGV[12])
local holdoff_us = 1000000  -- 429s within a second of a cut are the same episode
local min_rate = 0.5        -- a cut never goes below this (unless the ceiling does)

local function num(x) return string.format('%.17g', x) end

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

-- The ceiling is the smallest --rate and --burst among the live importers,
-- this one included; the others' presence lapses unless they call again.
local s = {}
local ceiling, burst, importers = my_rate, my_burst, 1
local me = 'i:' .. id
local flat = redis.call('HGETALL', key)
for i = 1, #flat, 2 do
  local f, v = flat[i], flat[i + 1]
  if string.sub(f, 1, 2) == 'i:' then
    if f ~= me then
      local exp, r, b = string.match(v, '^(%S+) (%S+) (%S+)$')
      if exp and tonumber(exp) > now then
        importers = importers + 1
        ceiling = math.min(ceiling, tonumber(r))
        burst = math.min(burst, tonumber(b))
      else
        redis.call('HDEL', key, f)
      end
    end
  else
    s[f] = tonumber(v)
  end
end
burst = math.max(1, burst)
redis.call('HSET', key, me, num(now + presence_us) .. ' ' .. num(my_rate) .. ' ' .. num(my_burst))

-- After a cut the rate climbs back linearly to the ceiling in regrow_us.
local function effective(at)
  if s.ct and at < s.ct + regrow_us then
    return math.min(ceiling, s.cr + (ceiling - s.cr) * (at - s.ct) / regrow_us)
  end
  return ceiling
end
local eff = effective(now)

-- Refill at the lower of the rates at the last call and now: never more
-- than the true integral while the rate climbs, and a lower ceiling that
-- just arrived applies at once.
local balance = burst
if s.t then
  local dt = math.max(0, now - s.t) / 1000000
  balance = math.min(burst, s.b + dt * math.min(s.r, eff))
end

-- A hash kept from before c was written counts as older than a second.
local began = s.c or (s.t and 0 or now)

local sec = math.floor(now / 1000000)
local gc, gp, qc, qp = s.gc or 0, s.gp or 0, s.qc or 0, s.qp or 0
if s.gs ~= sec then
  if s.gs == sec - 1 then gp, qp = gc, qc else gp, qp = 0, 0 end
  gc, qc = 0, 0
end
-- 429s within a second of a cut answer requests sent before it: they are
-- that episode, and count towards no other.
local episode = s.ct and now - s.ct < holdoff_us
if not episode then qc = qc + throttled end

local granted, wait_us, cut = 0, 0, 0
-- Over the last second (the previous second weighted by how much of it lies
-- within it): the tokens taken and the 429s reported. A cut needs 429s to be
-- a share of what was taken, not one stray answer: a request that met the
-- server's bucket a little early (the loop or the network late on the one
-- before) says nothing of the rate, and a cut costs every importer for the
-- whole climb back.
local frac = (now % 1000000) / 1000000
local taken = gp * (1 - frac) + gc
local q = qp * (1 - frac) + qc
if throttled > 0 and not episode and q >= min_throttled and q >= throttled_share * taken then
  -- Cut from what was really taken over the last second when that is below
  -- the rate: cutting an unused rate would slow nobody. A limit younger than
  -- a second has taken over its life only: per second of it.
  local life = math.min(1, math.max(0, now - began) / 1000000)
  local taken_rate = life > 0 and taken / life or eff
  local cut_rate = math.max(math.min(min_rate, ceiling), factor * math.min(eff, taken_rate))
  s.ct, s.cr = now, cut_rate
  eff = cut_rate
  cut = 1
  qc, qp = 0, 0  -- this episode's 429s are spent
end

local before = balance
if op == 'take' then
  -- No importer takes more than a lease of the rate at once, and all of them
  -- together reserve at most one lease each ahead of now.
  local lease_tokens = math.max(1, math.ceil(lease * eff))
  local room = balance + lease_tokens * importers
  granted = math.max(0, math.min(n, lease_tokens, math.floor(room)))
  if n > 0 and granted == 0 then
    wait_us = math.ceil((1 - room) / eff * 1000000)
  end
  balance = balance - granted
  gc = gc + granted
end

redis.call('HSET', key, 'b', num(balance), 't', num(now), 'r', num(eff), 'gs', num(sec),
           'gc', num(gc), 'gp', num(gp), 'qc', num(qc), 'qp', num(qp), 'c', num(began))
if s.ct then redis.call('HSET', key, 'ct', num(s.ct), 'cr', num(s.cr)) end
-- A limit nobody uses any more disappears on its own.
redis.call('PEXPIRE', key, math.max(60000, 2 * presence_us / 1000, 2 * regrow_us / 1000))

return {num(granted), num(wait_us), num(before), num(eff), num(ceiling), num(burst),
        num(importers), num(now), num(cut)}
