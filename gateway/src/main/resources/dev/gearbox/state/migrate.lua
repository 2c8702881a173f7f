-- Moves the account documents from the names they had before their hash tag (gearbox:accounts:*, three
-- slots, which a Redis Cluster refuses in one script) to gearbox:{accounts}:*, in one step, and leaves a
-- string at each old name, so a replica still running an older version fails loudly on it (WRONGTYPE, or
-- a version that is not a number) instead of writing where no newer replica looks.
-- KEYS: old key hash, old team hash, old version, new key hash, new team hash, new version.
-- A document already at the new name (written by a newer replica) is kept. Returns the documents moved.
local moved = 0
for i = 1, 2 do
  local old, new = KEYS[i], KEYS[i + 3]
  if redis.call('TYPE', old).ok == 'hash' then
    local docs = redis.call('HGETALL', old)
    for j = 1, #docs, 2 do
      moved = moved + redis.call('HSETNX', new, docs[j], docs[j + 1])
    end
    redis.call('DEL', old)
    redis.call('SET', old, 'moved to ' .. new)
  end
end
local version = tonumber(redis.call('GET', KEYS[3]) or 'x')
if version then
  -- Past every version either layout has had, so every replica reloads.
  redis.call('SET', KEYS[6], math.max(version, tonumber(redis.call('GET', KEYS[6]) or '0')) + 1)
  redis.call('SET', KEYS[3], 'moved to ' .. KEYS[6])
elseif moved > 0 then
  redis.call('INCR', KEYS[6])
end
return moved
