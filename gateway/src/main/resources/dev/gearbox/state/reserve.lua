-- Checks every scope's limits and, only if all have room, counts the request and reserves its estimate.
-- KEYS: per scope, 11 keys: rpm, tpm, holds (zset id -> expiry, requests' and leases'), amounts (hash id ->
--       nanos), reserved, spent day, spent month, spent total, slots (hash lease -> requests in flight it may
--       have), leased (the slots leases hold beyond the one their entry in holds counts), and the minute's
--       grants (unused here, as in lease.lua); then the team's settled requests (zset id -> until when kept).
--       All of one team, so they share a hash slot.
-- ARGV: id, now ms, estimate nanos, ttl ms, most tokens, then per scope 6 limits (-1 none): rpm, tpm,
--       concurrent, daily, monthly, total.
-- The tpm key counts the tokens of the minute's requests: their most tokens while in flight, what they used
-- once settled, so a minute's requests never use more than the limit.
-- Returns 'ok', or {scope index, limit index, allowed, used, reserved, requested}.
local id, now, est, ttl, tok = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local n = (#KEYS - 1) / 11
-- A reserve that reaches Redis after its request was settled (sent before an outage that timed it out, run
-- when Redis answered again) must hold nothing: nobody would release it.
if redis.call('ZSCORE', KEYS[#KEYS], id) then return 'ok' end
for s = 0, n - 1 do
  local k, a = s * 11, 5 + s * 6
  local holds, amounts, reserved, slots, leased = KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 9], KEYS[k + 10]
  -- A replica that crashed never settles: its reservations and leases end here, when they expire.
  local expired = redis.call('ZRANGEBYSCORE', holds, '-inf', now)
  for _, r in ipairs(expired) do
    local v = redis.call('HGET', amounts, r)
    if v then
      redis.call('DECRBY', reserved, v)
      redis.call('HDEL', amounts, r)
    end
    local l = redis.call('HGET', slots, r)
    if l then
      redis.call('DECRBY', leased, tonumber(l) - 1)
      redis.call('HDEL', slots, r)
    end
    redis.call('ZREM', holds, r)
  end
  local rpm = tonumber(ARGV[a + 1])
  if rpm >= 0 then
    local c = tonumber(redis.call('GET', KEYS[k + 1]) or '0')
    if c >= rpm then return {s, 0, rpm, c, 0, 1} end
  end
  local tpm = tonumber(ARGV[a + 2])
  if tpm >= 0 then
    local c = tonumber(redis.call('GET', KEYS[k + 2]) or '0')
    if c + tok > tpm then return {s, 1, tpm, c, 0, tok} end
  end
  local conc = tonumber(ARGV[a + 3])
  if conc >= 0 then
    local c = redis.call('ZCARD', holds) + tonumber(redis.call('GET', leased) or '0')
    if c >= conc then return {s, 2, conc, c, 0, 1} end
  end
  local r = tonumber(redis.call('GET', reserved) or '0')
  for b = 0, 2 do
    local lim = tonumber(ARGV[a + 4 + b])
    if lim >= 0 then
      local spent = tonumber(redis.call('GET', KEYS[k + 6 + b]) or '0')
      if spent + r + est > lim then return {s, 3 + b, lim, spent, r, est} end
    end
  end
end
for s = 0, n - 1 do
  local k = s * 11
  redis.call('INCR', KEYS[k + 1])
  redis.call('PEXPIRE', KEYS[k + 1], 120000)
  redis.call('INCRBY', KEYS[k + 2], ARGV[5])
  redis.call('PEXPIRE', KEYS[k + 2], 120000)
  redis.call('ZADD', KEYS[k + 3], now + ttl, id)
  redis.call('HSET', KEYS[k + 4], id, ARGV[3])
  redis.call('INCRBY', KEYS[k + 5], ARGV[3])
  for j = 3, 5 do redis.call('PEXPIRE', KEYS[k + j], ttl * 2) end
end
return 'ok'
