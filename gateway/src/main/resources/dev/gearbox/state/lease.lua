-- One replica's lease on a team's limits, brought up to date in one step: the spend and usage of the requests
-- it settled since its last call are counted (once per batch id, so a call replayed after an outage counts
-- nothing twice), and for each scope (the team, a key) each of its shares (requests and tokens of the minute,
-- requests in flight, money) is set to what the replica holds of it, plus, when it asks, what it needs now and
-- a cushion: a share of the room left, so leases shrink as a limit nears. A share it holds is never taken back,
-- since requests were admitted against it; a share it returns goes back to the pool at once, and a lease its
-- replica stops renewing (a crash) goes back when it expires, swept here and by reserve.lua.
-- KEYS: per scope the 11 keys of reserve.lua (the minute's grants last: hash lease:r / lease:t -> granted), then
--       the team's ledger hash of the batch's day, then the team's settled requests and batches.
-- ARGV: lease id, batch id ('-' when it settles nothing), now ms, lease ttl ms, how long to keep a settled batch
--       and the scopes' reservation keys (ms), budget share, rate share, number of scopes; then per scope 15
--       values: 6 limits (-1 none: rpm, tpm, concurrent, daily, monthly, total), spend (nanos), and a held and
--       a needed amount for requests, tokens, slots and money (needed -1: keep what is held, no more); then
--       the number of ledger rows and per row: field prefix (key|model), requests, cost, baseline, prompt,
--       completion.
-- Returns per scope 11 integers: granted requests, tokens, slots, money; then what the scope's counts are now
-- (requests and tokens of the minute, requests in flight, money reserved) and its spend per period.
local lease, batch, now, ttl, keep = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local bshare, rshare, n = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local day = 86400000
local settled = KEYS[#KEYS]

local function unhold(holds, amounts, reserved, slots, leased, id)
  local v = redis.call('HGET', amounts, id)
  if v then
    redis.call('DECRBY', reserved, v)
    redis.call('HDEL', amounts, id)
  end
  local l = redis.call('HGET', slots, id)
  if l then
    redis.call('DECRBY', leased, tonumber(l) - 1)
    redis.call('HDEL', slots, id)
  end
  redis.call('ZREM', holds, id)
end

-- What is held, plus when asked for, what is needed and a share of the room beyond it, or as much of it as fits.
local function size(room, have, need, share)
  if need < 0 or room <= 0 then return have end
  return have + math.min(room, need + math.floor(share * math.max(0, room - need)))
end

local fresh = false
if batch ~= '-' then
  redis.call('ZREMRANGEBYSCORE', settled, '-inf', now)
  if not redis.call('ZSCORE', settled, batch) then
    fresh = true
    redis.call('ZADD', settled, now + keep, batch)
    redis.call('PEXPIRE', settled, keep)
  end
end

local out = {}
for s = 0, n - 1 do
  local k, a = s * 11, 8 + s * 15
  local holds, amounts, reserved = KEYS[k + 3], KEYS[k + 4], KEYS[k + 5]
  local slots, leased, grants = KEYS[k + 9], KEYS[k + 10], KEYS[k + 11]
  for _, r in ipairs(redis.call('ZRANGEBYSCORE', holds, '-inf', now)) do
    unhold(holds, amounts, reserved, slots, leased, r)
  end
  local spend = tonumber(ARGV[a + 7])
  if fresh and spend > 0 then
    redis.call('INCRBY', KEYS[k + 6], ARGV[a + 7])
    redis.call('PEXPIRE', KEYS[k + 6], 3 * day)
    redis.call('INCRBY', KEYS[k + 7], ARGV[a + 7])
    redis.call('PEXPIRE', KEYS[k + 7], 40 * day)
    redis.call('INCRBY', KEYS[k + 8], ARGV[a + 7])
  end
  -- What the others hold: the counts less this lease's part (its entry counts one slot, leased the rest).
  -- A lease missing from holds (its key expired whole) may have left its amounts behind: those go first.
  local present = redis.call('ZSCORE', holds, lease)
  local oldMoney, oldSlots = 0, 0
  if present then
    oldMoney = tonumber(redis.call('HGET', amounts, lease) or '0')
    oldSlots = tonumber(redis.call('HGET', slots, lease) or '0')
  else
    unhold(holds, amounts, reserved, slots, leased, lease)
  end
  -- The scope's counters in one read instead of seven (each command costs Redis about a microsecond): requests
  -- and tokens of the minute, reserved money, spend per period, leased slots; and this lease's grants.
  local counts = redis.call('MGET', KEYS[k + 1], KEYS[k + 2], reserved, KEYS[k + 6], KEYS[k + 7], KEYS[k + 8], leased)
  local mine = redis.call('HMGET', grants, lease .. ':r', lease .. ':t')
  local reservedOthers = tonumber(counts[3] or '0') - oldMoney
  local concOthers = redis.call('ZCARD', holds) + tonumber(counts[7] or '0')
  if present then concOthers = concOthers - oldSlots end

  local granted = {}
  for d = 0, 1 do
    local limit, have, need = tonumber(ARGV[a + 1 + d]), tonumber(ARGV[a + 8 + 2 * d]), tonumber(ARGV[a + 9 + 2 * d])
    local field = lease .. (d == 0 and ':r' or ':t')
    local old = tonumber(mine[d + 1] or '0')
    local others = tonumber(counts[d + 1] or '0') - old
    local new = 0
    if limit >= 0 then
      new = size(limit - others - have, have, need, rshare)
    end
    if new ~= old then
      redis.call('INCRBY', KEYS[k + 1 + d], new - old)
      redis.call('PEXPIRE', KEYS[k + 1 + d], 120000)
      redis.call('HSET', grants, field, new)
      redis.call('PEXPIRE', grants, 120000)
    end
    granted[d + 1] = new
    granted[d + 5] = others + new
  end

  local concLimit = tonumber(ARGV[a + 3])
  local newSlots = 0
  if concLimit >= 0 then
    newSlots = size(concLimit - concOthers - tonumber(ARGV[a + 12]), tonumber(ARGV[a + 12]), tonumber(ARGV[a + 13]), rshare)
  end

  local haveMoney, needMoney = tonumber(ARGV[a + 14]), tonumber(ARGV[a + 15])
  local spent, room = {}, nil
  for b = 0, 2 do
    spent[b + 1] = tonumber(counts[4 + b] or '0')
    local lim = tonumber(ARGV[a + 4 + b])
    if lim >= 0 then
      local r = lim - spent[b + 1] - reservedOthers - haveMoney
      if room == nil or r < room then room = r end
    end
  end
  local newMoney = 0
  if room ~= nil then
    newMoney = size(room, haveMoney, needMoney, bshare)
  end

  -- Counts are written only where they changed, so a call that only settles and renews costs a few commands.
  -- Every expiry is pushed back on each call, though: reserve.lua sets holds, amounts and reserved to expire
  -- with a request's reservation, and a lease whose entry outlived its amount would stop being counted.
  if newMoney == 0 and newSlots == 0 then
    if present then unhold(holds, amounts, reserved, slots, leased, lease) end
  else
    redis.call('ZADD', holds, now + ttl, lease)
    if not present then
      redis.call('INCRBY', leased, -1)
    end
    if newMoney ~= oldMoney or not present then
      redis.call('HSET', amounts, lease, newMoney)
      redis.call('INCRBY', reserved, newMoney - oldMoney)
    end
    if newSlots ~= oldSlots or not present then
      redis.call('HSET', slots, lease, newSlots)
      redis.call('INCRBY', leased, newSlots - oldSlots)
    end
    for j = 3, 5 do redis.call('PEXPIRE', KEYS[k + j], keep) end
    for j = 9, 10 do redis.call('PEXPIRE', KEYS[k + j], keep) end
  end
  granted[3], granted[4] = newSlots, newMoney
  granted[7], granted[8] = concOthers + newSlots, reservedOthers + newMoney
  granted[9], granted[10], granted[11] = spent[1], spent[2], spent[3]
  for j = 1, 11 do out[#out + 1] = granted[j] end
end

local base = 8 + n * 15
local rows = tonumber(ARGV[base + 1])
if fresh and rows > 0 then
  local u = KEYS[#KEYS - 1]
  for r = 0, rows - 1 do
    local f = base + 2 + r * 6
    redis.call('HINCRBY', u, ARGV[f] .. '|n', ARGV[f + 1])
    redis.call('HINCRBY', u, ARGV[f] .. '|c', ARGV[f + 2])
    redis.call('HINCRBY', u, ARGV[f] .. '|b', ARGV[f + 3])
    redis.call('HINCRBY', u, ARGV[f] .. '|p', ARGV[f + 4])
    redis.call('HINCRBY', u, ARGV[f] .. '|o', ARGV[f + 5])
  end
  redis.call('PEXPIRE', u, 400 * day)
end
return out
