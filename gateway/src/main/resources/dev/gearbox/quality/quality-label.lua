-- Keeps a label of a day and adds it to the day's tally, in one step across replicas.
-- KEYS[1] the day's labels (hash: "<source>:<request id>" -> label JSON)
-- KEYS[2] the day's tally (hash: "v<US>route<US>tier<US>verdict" -> count, "f<US>route<US>tier<US>count|sum")
-- KEYS[3] the day's feedback scores (hash: request id -> score), so feedback given again replaces its score
-- ARGV[1] the label's field, ARGV[2] its JSON, ARGV[3] when the day's keys expire (unix seconds)
-- ARGV[4] "v" for a verdict, "f" for feedback; ARGV[5] "route<US>tier"; ARGV[6] the verdict or the score
-- ARGV[7] the request id
local sep = "\31"
local old = redis.call("HGET", KEYS[1], ARGV[1])
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
if ARGV[4] == "v" then
  -- A request is judged once; a verdict written again (a retried write) counts once.
  if not old then
    redis.call("HINCRBY", KEYS[2], "v" .. sep .. ARGV[5] .. sep .. ARGV[6], 1)
  end
else
  local previous = redis.call("HGET", KEYS[3], ARGV[7])
  redis.call("HSET", KEYS[3], ARGV[7], ARGV[6])
  if previous then
    redis.call("HINCRBYFLOAT", KEYS[2], "f" .. sep .. ARGV[5] .. sep .. "sum", tonumber(ARGV[6]) - tonumber(previous))
  else
    redis.call("HINCRBY", KEYS[2], "f" .. sep .. ARGV[5] .. sep .. "count", 1)
    redis.call("HINCRBYFLOAT", KEYS[2], "f" .. sep .. ARGV[5] .. sep .. "sum", ARGV[6])
  end
  redis.call("EXPIREAT", KEYS[3], ARGV[3])
end
redis.call("EXPIREAT", KEYS[1], ARGV[3])
redis.call("EXPIREAT", KEYS[2], ARGV[3])
return 1
