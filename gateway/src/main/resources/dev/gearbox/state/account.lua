-- Writes (or deletes) one account document if its condition holds, and bumps the accounts version, so the
-- check and the write are one step: of two replicas creating the same team at once, one wins.
-- KEYS: the kind's hash, the accounts version, the hash of the document a create depends on (else KEYS[1]).
-- ARGV: id, document ('' deletes it), condition (absent, absent_while_exists, present, unchanged), then the
--       id of the document depended on, or the version expected.
-- Returns 1 when written, 0 when the condition did not hold.
local exists = redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1
local condition = ARGV[3]
local holds
if condition == 'absent' then
  holds = not exists
elseif condition == 'absent_while_exists' then
  holds = (not exists) and redis.call('HEXISTS', KEYS[3], ARGV[4]) == 1
elseif condition == 'present' then
  holds = exists
else
  holds = (redis.call('GET', KEYS[2]) or '0') == ARGV[4]
end
if not holds then return 0 end
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
redis.call('INCR', KEYS[2])
return 1
