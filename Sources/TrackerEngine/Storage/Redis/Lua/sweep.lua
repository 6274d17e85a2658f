-- sweep: KEYS[1] the swarm's lifecycle hash; ARGV: cutoff s, page size, forget-before s, most
-- pages per call. Drops expired peers a page of each peer hash at a time, from where the last
-- step stopped; once every hash is through, forgets an empty swarm that has no completions, or
-- whose last activity is older than forget-before. Returns {dropped, forgotten 0/1, more 0/1}:
-- the caller calls again while there are more (each call is bounded).
local T = KEYS[1]
local base = string.sub(T, 1, -1 - #LIFECYCLE)
local cutoff, pageSize, forgetBefore = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local dropped, more = 0, true
for _ = 1, tonumber(ARGV[4]) do
  if not more then break end
  local gone
  gone, more = pruneStep(T, base, cutoff, pageSize, true)
  dropped = dropped + gone
end
if more then return {dropped, 0, 1} end
local left = 0
for _, family in ipairs({'4', '6'}) do
  left = left + redis.call('HLEN', base .. SEEDERS .. family) + redis.call('HLEN', base .. LEECHERS .. family)
end
if left == 0 then
  local life = redis.call('HMGET', T, 'completed', 'last_activity', 'racks')
  if tonumber(life[1] or '0') == 0 or tonumber(life[2] or '0') < forgetBefore then
    local racks = allRackSets(base, life[3])
    if #racks > 0 then redis.call('DEL', unpack(racks)) end
    redis.call('DEL', T, base .. CLIENTS .. '4', base .. CLIENTS .. '6')
    return {dropped, 1, 0}
  end
end
return {dropped, 0, 0}
