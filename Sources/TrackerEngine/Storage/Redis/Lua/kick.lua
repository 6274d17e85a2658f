-- kick: KEYS[1] the swarm's lifecycle hash; ARGV[1] the endpoint. Removes the peer from its
-- family's hashes and from its client's count. Returns 1 when it was there.
local T, endpoint = KEYS[1], ARGV[1]
local base, family = swarmBase(T), familyOf(endpoint)
local removed = redis.call('HDEL', base .. SEEDERS[family], endpoint) + redis.call('HDEL', base .. LEECHERS[family], endpoint)
if removed > 0 and redis.call('HEXISTS', T, 'cc' .. family) == 1 then
  uncount(base .. CLIENTS[family], {[string.sub(endpoint, 1, CLIENT_SIZE[family])] = 1})
end
return removed
