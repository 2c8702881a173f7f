-- Ends a reservation with what the request used, and writes the usage ledger; once per request, so a settle
-- replayed after an outage (its first try applied, its answer lost) counts nothing twice.
-- KEYS: per scope the 11 keys of reserve.lua, then the team's ledger hash of the day, then the team's settled
--       requests (zset id -> until when kept).
-- Counts are passed on as the strings they came in: a Lua number prints large integers in exponent form.
-- ARGV: id, cost nanos, tokens, ledger field prefix (key|model), baseline nanos, prompt, completion,
--       '1' to write a ledger row, tokens used minus tokens held (the tpm count's correction), the
--       reservation's time (ms), until when to remember the settle (ms), and for how long (ms).
local id, cost, delta = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[9])
local n = (#KEYS - 2) / 11
local day = 86400000
local settled = KEYS[#KEYS]
redis.call('ZREMRANGEBYSCORE', settled, '-inf', ARGV[10])
if redis.call('ZSCORE', settled, id) then return 'settled' end
redis.call('ZADD', settled, ARGV[11], id)
redis.call('PEXPIRE', settled, ARGV[12])
for s = 0, n - 1 do
  local k = s * 11
  local v = redis.call('HGET', KEYS[k + 4], id)
  if v then
    redis.call('DECRBY', KEYS[k + 5], v)
    redis.call('HDEL', KEYS[k + 4], id)
  end
  redis.call('ZREM', KEYS[k + 3], id)
  if delta ~= 0 then
    -- The minute's count held the request's most tokens: they give way to what it used.
    redis.call('INCRBY', KEYS[k + 2], ARGV[9])
    redis.call('PEXPIRE', KEYS[k + 2], 120000)
  end
  if cost > 0 then
    redis.call('INCRBY', KEYS[k + 6], ARGV[2])
    redis.call('PEXPIRE', KEYS[k + 6], 3 * day)
    redis.call('INCRBY', KEYS[k + 7], ARGV[2])
    redis.call('PEXPIRE', KEYS[k + 7], 40 * day)
    redis.call('INCRBY', KEYS[k + 8], ARGV[2])
  end
end
if ARGV[8] == '1' then
  local u, f = KEYS[#KEYS - 1], ARGV[4]
  redis.call('HINCRBY', u, f .. '|n', 1)
  redis.call('HINCRBY', u, f .. '|c', ARGV[2])
  redis.call('HINCRBY', u, f .. '|b', ARGV[5])
  redis.call('HINCRBY', u, f .. '|p', ARGV[6])
  redis.call('HINCRBY', u, f .. '|o', ARGV[7])
  redis.call('PEXPIRE', u, 400 * day)
end
return 'ok'
