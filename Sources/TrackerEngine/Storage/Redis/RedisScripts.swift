/// The Lua scripts: each call is one round trip and touches one swarm's keys only (one Cluster
/// slot). A script is given the swarm's lifecycle key alone and derives its peer hashes' names
/// from it (`<prefix>:{<hex>}:t` → `…:S4`, `…:L4`, `…:S6`, `…:L6`, see `RedisKeys`): every key
/// of a swarm carries the same hash tag, so they all live in the declared key's slot, and each
/// declared key or argument costs redis-server about as much as a cheap command.
enum RedisScripts {
    /// KEYS: the lifecycle hash. ARGV: the endpoint (6 or 18 bytes), then `RedisPeerBlob.announceArgument`:
    /// mode (event 0-4, +128 for a seeder), now s, cutoff s (peers last seen then or before are
    /// expired), prune page size, announces to add to the count, most torrents, most peers per
    /// client, the 57-byte blob.
    /// Returns {seeders, leechers, completed, touch 0/1, own-family seeders, own-family leechers},
    /// or {-1} when a new swarm would pass the most torrents (the torrents set's size), {-2} when
    /// a new peer's client (IPv4 address, IPv6 /64: the endpoint's first 4 or 8 bytes) has the
    /// most peers allowed in the swarm; nothing of the peer or the swarm is written then.
    /// Peers per client are counted (`C4`/`C6`, client → peers) only once a family's hashes hold
    /// as many peers as one client may have (the lifecycle's `cc4`/`cc6` say so), so small swarms
    /// pay nothing; the counts follow every insert and removal from then on.
    /// touch asks the caller to refresh the torrent in the torrents set (at most every 10 s per
    /// swarm). The peer sample is not picked here: plain commands pipelined right after the script
    /// return members for a quarter of the redis-server CPU that the same members cost when they
    /// pass through Lua (see `RedisPeerSampler`).
    /// Every redis.call costs, so a steady announce is one HGET and one HSET of its peer, the
    /// lifecycle's HMGET and the counts (HLENs: a peer past its deadline counts until its swarm is
    /// next pruned). The lifecycle is written only when it is handed announces to count (about
    /// once a second per busy swarm and connection, see `RedisAnnounceCounts`) or something else
    /// in it changes. A swarm's expired peers are pruned here at most every 30 s, a
    /// page of each peer hash at a time (the sweep does the rest); the lifecycle's `v6` field
    /// notes that an IPv6 peer ever came, so IPv4-only swarms skip the IPv6 hashes.
    static let announce = pruneStep + """
        local T, ep, packed = KEYS[1], ARGV[1], ARGV[2]
        local mode, nowS, cutoff, pageSize, counted, maxTorrents, maxPerClient = struct.unpack('<BI4I4I2I4I4I2', packed)
        local blob = string.sub(packed, 22)
        local seeder, event = mode >= 128, mode % 8
        local base = string.sub(T, 1, -2)
        local own, other = '4', '6'
        if #ep == 18 then own, other = '6', '4' end
        local S, L = base .. 'S' .. own, base .. 'L' .. own
        local life = redis.call('HMGET', T, 'last_activity', 'completed', 'prune_at', 'announces', 'v6', 'cc' .. own)
        local last, completed, v6 = life[1], tonumber(life[2] or '0'), life[5] or #ep == 18
        local pruneDue = nowS * 1000 >= tonumber(life[3] or '0')
        local pruneMore = false
        if pruneDue then
          local _, more = pruneStep(T, base, cutoff, pageSize, v6)
          pruneMore = more
        end
        -- A peer sits in exactly one of its family's two hashes; look where it says it belongs first.
        local here, there = L, S
        if seeder then here, there = S, L end
        local old, inThere = redis.call('HGET', here, ep), false
        if not old then
          old = redis.call('HGET', there, ep)
          inThere = old ~= false
        end
        local inHere = old ~= false and not inThere
        local known = old ~= false
        if old and #old ~= 57 then old = false end
        local C, client, counting = base .. 'C' .. own, string.sub(ep, 1, #ep == 6 and 4 or 8), life[6] ~= false
        local completedNow = false
        if event == 3 then
          if inHere then redis.call('HDEL', here, ep) end
          if inThere then redis.call('HDEL', there, ep) end
          if counting and known then uncount(C, {[client] = 1}) end
        else
          if not known then
            if not last and redis.call('ZCARD', string.match(T, '^(.*):{') .. ':torrents') >= maxTorrents then return {-1} end
            if not counting and redis.call('HLEN', S) + redis.call('HLEN', L) >= maxPerClient then
              countClients(C, {S, L}, #ep == 6 and 4 or 8)
              redis.call('HSET', T, 'cc' .. own, 1)
              counting = true
            end
            if counting and redis.call('HINCRBY', C, client, 1) > maxPerClient then
              uncount(C, {[client] = 1})
              return {-2}
            end
          end
          local flags = string.byte(blob, 57)
          local key, firstSeen = string.sub(blob, 21, 24), string.sub(blob, 49, 52)
          if old then
            local oldFlags = string.byte(old, 57)
            firstSeen = string.sub(old, 49, 52)
            if oldFlags % 4 >= 2 then flags = flags + 2 end
            if flags % 2 == 0 and oldFlags % 2 == 1 then flags = flags + 1; key = string.sub(old, 21, 24) end
          end
          if seeder and inThere and event == 2 and flags % 4 < 2 then
            flags = flags + 2
            completedNow = true
          end
          blob = string.sub(blob, 1, 20) .. key .. string.sub(blob, 25, 48) .. firstSeen .. string.sub(blob, 53, 56) .. string.char(flags)
          redis.call('HSET', here, ep, blob)
          if inThere then redis.call('HDEL', there, ep) end
        end
        local touch = 0
        if event ~= 3 or old or last then
          if not last or nowS - tonumber(last) >= 10 then touch = 1 end
          local fields = {}
          local function set(name, value) fields[#fields + 1] = name; fields[#fields + 1] = value end
          if counted > 0 then set('announces', tonumber(life[4] or '0') + counted) end
          if not last then set('first_seen', nowS) end
          if pruneDue then set('prune_at', (pruneMore and nowS or nowS + 30) * 1000) end
          if event == 1 then
            set('last_started', nowS)
            redis.call('HSETNX', T, 'first_started', nowS)
          end
          if #ep == 18 and not life[5] then set('v6', 1) end
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
        if not v6 then return {ownS, ownL, completed, touch, ownS, ownL} end
        return {ownS + redis.call('HLEN', base .. 'S' .. other), ownL + redis.call('HLEN', base .. 'L' .. other),
                completed, touch, ownS, ownL}
        """

    /// KEYS: the lifecycle hash. ARGV: the endpoint. Removes the peer from its family's hashes
    /// (a kick) and from its client's count. Returns 1 when it was there.
    static let kick = pruneStep + """
        local T, ep = KEYS[1], ARGV[1]
        local base = string.sub(T, 1, -2)
        local family = #ep == 18 and '6' or '4'
        local removed = redis.call('HDEL', base .. 'S' .. family, ep) + redis.call('HDEL', base .. 'L' .. family, ep)
        if removed > 0 and redis.call('HEXISTS', T, 'cc' .. family) == 1 then
          uncount(base .. 'C' .. family, {[string.sub(ep, 1, family == '4' and 4 or 8)] = 1})
        end
        return removed
        """

    /// KEYS: the lifecycle hash. ARGV: announces. Adds announces counted and held by a connection
    /// (`RedisAnnounceCounts`) to a swarm that still exists (a sweep may have forgotten it since).
    static let count = """
        if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HINCRBY', KEYS[1], 'announces', ARGV[1]) end
        return 0
        """

    /// KEYS: the lifecycle hash. ARGV: cutoff s, page size, forget-before s, most pages per call.
    /// Drops expired peers, a page of each peer hash at a time, from where the last step stopped;
    /// once every hash is through, forgets an empty swarm that has no completions, or whose last
    /// activity is older than forget-before. Returns {dropped, forgotten 0/1, more pages 0/1}:
    /// the caller calls again while there are more (each call is bounded).
    static let sweep = pruneStep + """
        local T = KEYS[1]
        local base = string.sub(T, 1, -2)
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
        for _, name in ipairs({'S4', 'L4', 'S6', 'L6'}) do left = left + redis.call('HLEN', base .. name) end
        if left == 0 then
          local life = redis.call('HMGET', T, 'completed', 'last_activity')
          if tonumber(life[1] or '0') == 0 or tonumber(life[2] or '0') < forgetBefore then
            redis.call('DEL', T, base .. 'C4', base .. 'C6')
            return {dropped, 1, 0}
          end
        end
        return {dropped, 0, 0}
        """

    /// One pruning step, shared by both scripts: one HSCAN page of each peer hash from where the
    /// swarm's last step stopped (cursors in the lifecycle's `scan_<hash>` fields), dropping the
    /// peers last seen at or before the cutoff (a blob's bytes 53-56). Returns the number dropped
    /// and whether a hash has pages left. HSCAN pages of a small (listpack) hash are the whole hash.
    private static let pruneStep = """
        local function dropFields(key, names)
          for i = 1, #names, 1000 do
            redis.call('HDEL', key, unpack(names, i, math.min(i + 999, #names)))
          end
        end
        -- Peers per client: `counts` maps clients to how many of their peers left.
        local function uncount(C, counts)
          for client, n in pairs(counts) do
            if redis.call('HINCRBY', C, client, -n) <= 0 then redis.call('HDEL', C, client) end
          end
        end
        local function countClients(C, keys, clientSize)
          local counts, pairsList = {}, {}
          for _, key in ipairs(keys) do
            for _, name in ipairs(redis.call('HKEYS', key)) do
              local client = string.sub(name, 1, clientSize)
              counts[client] = (counts[client] or 0) + 1
            end
          end
          for client, n in pairs(counts) do pairsList[#pairsList + 1] = client; pairsList[#pairsList + 1] = n end
          for i = 1, #pairsList, 1000 do
            redis.call('HSET', C, unpack(pairsList, i, math.min(i + 999, #pairsList)))
          end
        end
        local function pruneStep(T, base, cutoff, pageSize, withV6)
          local names = withV6 and {'S4', 'L4', 'S6', 'L6'} or {'S4', 'L4'}
          local fields = {}
          for i, name in ipairs(names) do fields[i] = 'scan_' .. name end
          fields[#names + 1], fields[#names + 2] = 'cc4', 'cc6'
          local cursors = redis.call('HMGET', T, unpack(fields))
          local counting = {['4'] = cursors[#names + 1] ~= false, ['6'] = cursors[#names + 2] ~= false}
          local dropped, more = 0, false
          for i, name in ipairs(names) do
            local key = base .. name
            local page = redis.call('HSCAN', key, cursors[i] or '0', 'COUNT', pageSize)
            local items, gone = page[2], {}
            for j = 2, #items, 2 do
              local v = items[j]
              if #v ~= 57 or struct.unpack('<I4', v, 53) <= cutoff then gone[#gone + 1] = items[j - 1] end
            end
            dropFields(key, gone)
            dropped = dropped + #gone
            local family = string.sub(name, 2)
            if counting[family] and #gone > 0 then
              local left = {}
              for _, ep in ipairs(gone) do
                local client = string.sub(ep, 1, family == '4' and 4 or 8)
                left[client] = (left[client] or 0) + 1
              end
              uncount(base .. 'C' .. family, left)
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

        """
}

/// The scripts a session loads, by name.
enum RedisScript: CaseIterable {
    case announce, count, sweep, kick

    var source: String {
        switch self {
        case .announce: return RedisScripts.announce
        case .count: return RedisScripts.count
        case .sweep: return RedisScripts.sweep
        case .kick: return RedisScripts.kick
        }
    }
}
