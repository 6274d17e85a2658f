-- count: KEYS[1] the swarm's lifecycle hash; ARGV[1] announces. Adds announces counted and
-- held by a connection (RedisAnnounceCounts) to a swarm that still exists (a sweep may have
-- forgotten it since). Returns 1 when they were added.
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'announces', ARGV[1])
  return 1
end
return 0
