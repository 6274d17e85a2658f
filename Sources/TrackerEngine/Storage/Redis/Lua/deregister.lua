-- deregister: KEYS[1] the swarm's lifecycle hash; ARGV[1] the archive key, ARGV[2] when it was
-- deregistered (ms), ARGV[3] the torrent's name ('' when unknown), ARGV[4] when a catalog
-- registered it (s, '' when unknown). Renames the lifecycle hash to the archive key with the
-- deregistration and the swarm's last counts noted in it, drops the swarm's peers and its place in the torrents set, and
-- indexes the archive key in `<prefix>:archive`. Given the same deregistration again (a node
-- following the change), it finds the archive written and does nothing.
-- Returns 1 when the swarm had a lifecycle, 0 when it had none, -1 when it was archived already.
local T, A, atMs, name, registered = KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local atS = math.floor(tonumber(atMs) / 1000)
if tonumber(redis.call('HGET', A, 'deregistered') or '-1') == atS then return -1 end
local base = string.sub(T, 1, -1 - #LIFECYCLE)
local prefix, hex = string.match(T, '^(.*):{(%x+)}:')
local had = redis.call('EXISTS', T) == 1
local racks = allRackSets(base, redis.call('HGET', T, 'racks'))
if #racks > 0 then redis.call('DEL', unpack(racks)) end
local seeders, leechers = 0, 0
for _, family in ipairs({'4', '6'}) do
  seeders = seeders + redis.call('HLEN', base .. SEEDERS .. family)
  leechers = leechers + redis.call('HLEN', base .. LEECHERS .. family)
end
if had then
  redis.call('RENAME', T, A)
else
  redis.call('DEL', A)
end
local fields = {'deregistered', atS}
if had then
  fields[3], fields[4], fields[5], fields[6] = 'seeders', seeders, 'leechers', leechers
end
if #name > 0 then fields[#fields + 1] = 'name'; fields[#fields + 1] = name end
if #registered > 0 then fields[#fields + 1] = 'registered'; fields[#fields + 1] = registered end
redis.call('HSET', A, unpack(fields))
redis.call('DEL', base .. SEEDERS .. '4', base .. LEECHERS .. '4', base .. CLIENTS .. '4',
           base .. SEEDERS .. '6', base .. LEECHERS .. '6', base .. CLIENTS .. '6')
redis.call('ZREM', prefix .. TORRENTS_SUFFIX, hex)
redis.call('ZADD', prefix .. ARCHIVE_SUFFIX, atMs, A)
if had then return 1 end
return 0
