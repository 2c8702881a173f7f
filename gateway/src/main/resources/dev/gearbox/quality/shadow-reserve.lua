-- Holds part of the day's shadow budget if the day's spend stays within it, in one step across replicas.
-- KEYS[1] the day's tally (hash; field "s" is the day's shadow spend in USD)
-- ARGV[1] what to hold, ARGV[2] the daily budget, ARGV[3] when the tally expires (unix seconds)
-- Returns {1, spend after} when held, {0, spend as it was} when the budget has no room.
local spent = tonumber(redis.call("HGET", KEYS[1], "s") or "0")
if spent + tonumber(ARGV[1]) > tonumber(ARGV[2]) then
  return {0, tostring(spent)}
end
local now = redis.call("HINCRBYFLOAT", KEYS[1], "s", ARGV[1])
redis.call("EXPIREAT", KEYS[1], ARGV[3])
return {1, now}
