-- kick: KEYS[1] the swarm's lifecycle hash; ARGV[1] the endpoint. Removes the peer from its
-- family's hashes and from its client's count. Returns 1 when it was there.
local T, endpoint = KEYS[1], ARGV[1]
local base = string.sub(T, 1, -1 - #LIFECYCLE)
local family, clientSize = '4', CLIENT_SIZE_V4
if #endpoint == ENDPOINT_SIZE_V6 then family, clientSize = '6', CLIENT_SIZE_V6 end
local removed = redis.call('HDEL', base .. SEEDERS .. family, endpoint) + redis.call('HDEL', base .. LEECHERS .. family, endpoint)
if removed > 0 then leaveRacks(base, redis.call('HGET', T, 'racks'), family, {endpoint}) end
if removed > 0 and redis.call('HEXISTS', T, 'cc' .. family) == 1 then
  uncount(base .. CLIENTS .. family, {[string.sub(endpoint, 1, clientSize)] = 1})
end
return removed
