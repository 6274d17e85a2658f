-- Helpers shared by the scripts (loaded after layout.lua, before each script).

local function dropFields(key, names)
  for i = 1, #names, 1000 do
    redis.call('HDEL', key, unpack(names, i, math.min(i + 999, #names)))
  end
end

-- The rack sets of one family ('4' or '6') of the racks in `racks` (the lifecycle's field, or false).
local function rackSets(base, racks, family)
  local keys = {}
  if racks then
    for name in string.gmatch(racks, '%S+') do
      keys[#keys + 1] = base .. RACK .. name .. ':' .. SEEDERS .. family
      keys[#keys + 1] = base .. RACK .. name .. ':' .. LEECHERS .. family
    end
  end
  return keys
end

-- Takes `endpoints` (of one family) out of every rack set they may be in.
local function leaveRacks(base, racks, family, endpoints)
  if not racks or #endpoints == 0 then return end
  for _, key in ipairs(rackSets(base, racks, family)) do
    for i = 1, #endpoints, 1000 do
      redis.call('SREM', key, unpack(endpoints, i, math.min(i + 999, #endpoints)))
    end
  end
end

-- Every rack set of a swarm, both families: what forgetting or archiving it deletes.
local function allRackSets(base, racks)
  local keys = rackSets(base, racks, '4')
  for _, key in ipairs(rackSets(base, racks, '6')) do keys[#keys + 1] = key end
  return keys
end

-- Peers per client: `counts` maps clients to how many of their peers left.
local function uncount(clientsKey, counts)
  for client, n in pairs(counts) do
    if redis.call('HINCRBY', clientsKey, client, -n) <= 0 then redis.call('HDEL', clientsKey, client) end
  end
end

-- Counts a family's peers per client from scratch (once, when its swarm grows big enough to count).
local function countClients(clientsKey, peerKeys, clientSize)
  local counts, flat = {}, {}
  for _, key in ipairs(peerKeys) do
    for _, name in ipairs(redis.call('HKEYS', key)) do
      local client = string.sub(name, 1, clientSize)
      counts[client] = (counts[client] or 0) + 1
    end
  end
  for client, n in pairs(counts) do flat[#flat + 1] = client; flat[#flat + 1] = n end
  for i = 1, #flat, 1000 do
    redis.call('HSET', clientsKey, unpack(flat, i, math.min(i + 999, #flat)))
  end
end

-- One pruning step: one HSCAN page of each peer hash from where the swarm's last step stopped
-- (cursors in the lifecycle's `scan_<hash>` fields), dropping the peers last seen at or before
-- the cutoff, and blobs of the wrong size. Returns the number dropped and whether a hash has
-- pages left. HSCAN pages of a small (listpack) hash are the whole hash.
local function pruneStep(T, base, cutoff, pageSize, withV6)
  local names = {SEEDERS .. '4', LEECHERS .. '4'}
  if withV6 then names[3], names[4] = SEEDERS .. '6', LEECHERS .. '6' end
  local fields = {}
  for i, name in ipairs(names) do fields[i] = 'scan_' .. name end
  fields[#names + 1], fields[#names + 2], fields[#names + 3] = 'cc4', 'cc6', 'racks'
  local cursors = redis.call('HMGET', T, unpack(fields))
  local racks = cursors[#names + 3]
  local counting = {['4'] = cursors[#names + 1] ~= false, ['6'] = cursors[#names + 2] ~= false}
  local dropped, more = 0, false
  for i, name in ipairs(names) do
    local key, family = base .. name, string.sub(name, -1)
    local page = redis.call('HSCAN', key, cursors[i] or '0', 'COUNT', pageSize)
    local items, gone = page[2], {}
    for j = 2, #items, 2 do
      local blob = items[j]
      if #blob ~= BLOB_SIZE or struct.unpack('<I4', blob, BLOB_LAST_SEEN) <= cutoff then gone[#gone + 1] = items[j - 1] end
    end
    dropFields(key, gone)
    leaveRacks(base, racks, family, gone)
    dropped = dropped + #gone
    if counting[family] and #gone > 0 then
      local left = {}
      for _, endpoint in ipairs(gone) do
        local client = string.sub(endpoint, 1, family == '4' and CLIENT_SIZE_V4 or CLIENT_SIZE_V6)
        left[client] = (left[client] or 0) + 1
      end
      uncount(base .. CLIENTS .. family, left)
    end
    if page[1] ~= '0' then
      more = true
      redis.call('HSET', T, fields[i], page[1])
    elseif cursors[i] then
      redis.call('HDEL', T, fields[i])
    end
  end
  return dropped, more
end
