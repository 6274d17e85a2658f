-- The announce rules of Swarm/AnnounceRules.swift, applied in Redis.
-- announce: KEYS[1] the swarm's lifecycle hash; ARGV[1] the endpoint (6 or 18 bytes), ARGV[2]
-- the packed argument (ANNOUNCE_FORMAT, then the peer's blob); ARGV[3], for a peer in a rack,
-- its rack's name: the peer is kept in that rack's set of its role (RACK in layout.lua), which
-- the caller's sample reads first.
-- Returns {seeders, leechers, completed, touch 0/1, own-family seeders, own-family leechers,
-- stored, pruning 0/1}, or {-1} when a new swarm would pass the most torrents (the torrents
-- set's size), {-2} when a new peer's client has the most peers allowed in the swarm (nothing is
-- written then).
-- stored: the bytes of the peer's blob an announce does not set (key, first seen, flags; 9
-- bytes, empty when the peer left), with which the caller writes the peer's next steady
-- announces itself with a plain HSET (RedisSteadyPeers); pruning: expired peers are left to
-- prune, a page at each of the next announces (which must run the script then).
-- Peers per client are counted (CLIENTS) only once a family's hashes hold as many peers as one
-- client may have (the lifecycle's `cc4`/`cc6` say so), so small swarms pay nothing.
-- touch asks the caller to refresh the torrent in the torrents set (at most every 10 s per
-- swarm). The peer sample is not drawn here: plain commands pipelined after the script return
-- members for a quarter of the CPU the same members cost passing through Lua.
-- A steady announce here is one HGET and one HSET of its peer, the lifecycle's HMGET and the
-- HLENs (and a SISMEMBER for a peer in a rack); the lifecycle is written only when it is handed
-- announces to count or something in it changes.
-- Expired peers are pruned here at most every 30 s a page at a time (the sweep does the rest);
-- the lifecycle's `v6` field notes that an IPv6 peer ever came, so IPv4-only swarms skip the
-- IPv6 hashes.
local T, endpoint, packed, rack = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local mode, nowS, cutoff, pageSize, counted, maxTorrents, maxPerClient = struct.unpack(ANNOUNCE_FORMAT, packed)
local blob = string.sub(packed, ANNOUNCE_HEADER_SIZE + 1)
local seeder, event = band(mode, MODE_SEEDER) ~= 0, band(mode, 7)
local base = string.sub(T, 1, -1 - #LIFECYCLE)
local own, other, clientSize = '4', '6', CLIENT_SIZE_V4
if #endpoint == ENDPOINT_SIZE_V6 then own, other, clientSize = '6', '4', CLIENT_SIZE_V6 end
local S, L = base .. SEEDERS .. own, base .. LEECHERS .. own
local life = redis.call('HMGET', T, 'last_activity', 'completed', 'prune_at', 'announces', 'v6', 'cc' .. own, 'racks')
local racks, newRacks = life[7], nil
local last, completed, v6 = life[1], tonumber(life[2] or '0'), life[5] or own == '6'
local pruneDue = nowS * 1000 >= tonumber(life[3] or '0')
local pruneMore = false
if pruneDue then
  local _, more = pruneStep(T, base, cutoff, pageSize, v6)
  pruneMore = more
end
-- A peer sits in exactly one of its family's two hashes; look where it says it belongs first.
local here, there = L, S
if seeder then here, there = S, L end
local old, inThere = redis.call('HGET', here, endpoint), false
if not old then
  old = redis.call('HGET', there, endpoint)
  inThere = old ~= false
end
local inHere = old ~= false and not inThere
local known = old ~= false
if old and #old ~= BLOB_SIZE then old = false end
local C, client, counting = base .. CLIENTS .. own, string.sub(endpoint, 1, clientSize), life[6] ~= false
local completedNow = false
local stored = ''
if event == EVENT_STOPPED then
  if inHere then redis.call('HDEL', here, endpoint) end
  if inThere then redis.call('HDEL', there, endpoint) end
  if counting and known then uncount(C, {[client] = 1}) end
  if known then leaveRacks(base, racks, own, {endpoint}) end
else
  if not known then
    if not last and redis.call('ZCARD', string.match(T, '^(.*):{') .. TORRENTS_SUFFIX) >= maxTorrents then return {-1} end
    if not counting and redis.call('HLEN', S) + redis.call('HLEN', L) >= maxPerClient then
      countClients(C, {S, L}, clientSize)
      redis.call('HSET', T, 'cc' .. own, 1)
      counting = true
    end
    if counting and redis.call('HINCRBY', C, client, 1) > maxPerClient then
      uncount(C, {[client] = 1})
      return {-2}
    end
  end
  -- The stored peer keeps its first-seen time, its counted completion and, when this announce
  -- has none, its key.
  local flags = string.byte(blob, BLOB_FLAGS)
  local key = string.sub(blob, BLOB_KEY, BLOB_KEY + 3)
  local firstSeen = string.sub(blob, BLOB_FIRST_SEEN, BLOB_FIRST_SEEN + 3)
  if old then
    local oldFlags = string.byte(old, BLOB_FLAGS)
    firstSeen = string.sub(old, BLOB_FIRST_SEEN, BLOB_FIRST_SEEN + 3)
    flags = bor(flags, band(oldFlags, FLAG_COMPLETION_COUNTED))
    if band(flags, FLAG_HAS_KEY) == 0 and band(oldFlags, FLAG_HAS_KEY) ~= 0 then
      flags = bor(flags, FLAG_HAS_KEY)
      key = string.sub(old, BLOB_KEY, BLOB_KEY + 3)
    end
  end
  if seeder and inThere and event == EVENT_COMPLETED and band(flags, FLAG_COMPLETION_COUNTED) == 0 then
    flags = bor(flags, FLAG_COMPLETION_COUNTED)
    completedNow = true
  end
  blob = string.sub(blob, 1, BLOB_KEY - 1) .. key .. string.sub(blob, BLOB_KEY + 4, BLOB_FIRST_SEEN - 1) .. firstSeen
    .. string.sub(blob, BLOB_FIRST_SEEN + 4, BLOB_FLAGS - 1) .. string.char(flags)
  redis.call('HSET', here, endpoint, blob)
  stored = key .. firstSeen .. string.char(flags)
  if inThere then redis.call('HDEL', there, endpoint) end
  if rack then
    local mine = base .. RACK .. rack .. ':' .. (seeder and SEEDERS or LEECHERS) .. own
    if redis.call('SISMEMBER', mine, endpoint) == 0 then
      leaveRacks(base, racks, own, {endpoint})
      redis.call('SADD', mine, endpoint)
      if not racks or not string.find(' ' .. racks .. ' ', ' ' .. rack .. ' ', 1, true) then
        newRacks = racks and (racks .. ' ' .. rack) or rack
      end
    end
  elseif racks and not inHere then
    leaveRacks(base, racks, own, {endpoint})
  end
end
local touch = 0
if event ~= EVENT_STOPPED or old or last then
  if not last or nowS - tonumber(last) >= 10 then touch = 1 end
  local fields = {}
  local function set(name, value) fields[#fields + 1] = name; fields[#fields + 1] = value end
  if counted > 0 then set('announces', tonumber(life[4] or '0') + counted) end
  if not last then set('first_seen', nowS) end
  if pruneDue then set('prune_at', (pruneMore and nowS or nowS + 30) * 1000) end
  if event == EVENT_STARTED then
    set('last_started', nowS)
    redis.call('HSETNX', T, 'first_started', nowS)
  end
  if own == '6' and not life[5] then set('v6', 1) end
  if newRacks then set('racks', newRacks) end
  if completedNow then
    completed = completed + 1
    set('completed', completed)
    set('last_completed', nowS)
    redis.call('HSETNX', T, 'first_completed', nowS)
  end
  if #fields > 0 then
    set('last_activity', nowS)
    redis.call('HSET', T, unpack(fields))
  end
end
local ownS, ownL = redis.call('HLEN', S), redis.call('HLEN', L)
local pruning = pruneMore and 1 or 0
if not v6 then return {ownS, ownL, completed, touch, ownS, ownL, stored, pruning} end
return {ownS + redis.call('HLEN', base .. SEEDERS .. other), ownL + redis.call('HLEN', base .. LEECHERS .. other),
        completed, touch, ownS, ownL, stored, pruning}
