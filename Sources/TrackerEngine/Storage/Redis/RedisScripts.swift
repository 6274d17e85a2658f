/// The Lua scripts: each call is one round trip and touches one swarm's keys only (one Cluster
/// slot). Times: `now` in ms for peer deadlines, whole seconds in the lifecycle hash.
enum RedisScripts {
    /// KEYS: own-family seeders, leechers, other-family seeders, leechers, detail, lifecycle.
    /// ARGV: endpoint, now ms, deadline ms, seeder 0/1, event 0-4, detail blob, prune limit, now s,
    ///       own family 4/6.
    /// Returns {seeders, leechers, completed, touch 0/1, own-family seeders, own-family leechers};
    /// touch asks the caller to refresh the torrent in the torrents set (at most every 10 s per
    /// swarm). The peer sample is not picked here: plain commands pipelined right after the script
    /// return members for a quarter of the redis-server CPU that the same members cost when they
    /// pass through Lua (see `RedisPeerSampler`).
    /// Every redis.call costs, so: the four sets' sizes live in the lifecycle hash (fields s4 l4 s6
    /// l6, kept by the ZADD/ZREM results, set again by every sweep; a swarm without them counts its
    /// sets once), the lifecycle is read with one HMGET and written with one HSET, and a swarm's
    /// expired peers are pruned here at most every 30 s (the sweep does the rest). Counts include a
    /// peer past its deadline until its swarm is next pruned.
    static let announce = """
        local S, L, OS, OL, D, T = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
        local ep, now, deadline = ARGV[1], tonumber(ARGV[2]), ARGV[3]
        local seeder, event, blob = ARGV[4] == '1', tonumber(ARGV[5]), ARGV[6]
        local limit, nowS, fam = tonumber(ARGV[7]), ARGV[8], ARGV[9]
        local other = fam == '4' and '6' or '4'
        local sets = {S, L, OS, OL}
        local fields = {'s' .. fam, 'l' .. fam, 's' .. other, 'l' .. other}
        local life = redis.call('HMGET', T, 'last_activity', 'completed', 'prune_at', 'first_started', 'first_completed', 'announces',
                                fields[1], fields[2], fields[3], fields[4])
        local last, completed, pruneDue = life[1], tonumber(life[2] or '0'), now >= tonumber(life[3] or '0')
        local count = {}
        for i = 1, 4 do count[i] = tonumber(life[6 + i]) or redis.call('ZCARD', sets[i]) end
        if pruneDue then
          for i = 1, 4 do
            local gone = redis.call('ZRANGEBYSCORE', sets[i], '-inf', now, 'LIMIT', 0, limit)
            if #gone > 0 then
              count[i] = count[i] - redis.call('ZREM', sets[i], unpack(gone))
              redis.call('HDEL', D, unpack(gone))
            end
          end
        end
        -- The detail hash holds exactly the peers of the sets; its flag 128 says seeder.
        local old = redis.call('HGET', D, ep)
        if old and #old ~= 57 then old = false end
        local inS = old and string.byte(old, 57) >= 128
        local inL = old and not inS
        local completedNow = false
        if event == 3 then
          if inS then count[1] = count[1] - redis.call('ZREM', S, ep) end
          if inL then count[2] = count[2] - redis.call('ZREM', L, ep) end
          if old then redis.call('HDEL', D, ep) end
        else
          local flags = string.byte(blob, 57)
          local key, firstSeen = string.sub(blob, 21, 24), string.sub(blob, 49, 52)
          if old then
            local oldFlags = string.byte(old, 57) % 128
            firstSeen = string.sub(old, 49, 52)
            if oldFlags % 4 >= 2 then flags = flags + 2 end
            if flags % 2 == 0 and oldFlags % 2 == 1 then flags = flags + 1; key = string.sub(old, 21, 24) end
          end
          if seeder and inL and event == 2 and flags % 4 < 2 then
            flags = flags + 2
            completedNow = true
          end
          if seeder then flags = flags + 128 end
          blob = string.sub(blob, 1, 20) .. key .. string.sub(blob, 25, 48) .. firstSeen .. string.sub(blob, 53, 56) .. string.char(flags)
          if seeder then
            if inL then count[2] = count[2] - redis.call('ZREM', L, ep) end
            count[1] = count[1] + redis.call('ZADD', S, deadline, ep)
          else
            if inS then count[1] = count[1] - redis.call('ZREM', S, ep) end
            count[2] = count[2] + redis.call('ZADD', L, deadline, ep)
          end
          redis.call('HSET', D, ep, blob)
        end
        local touch = 0
        if event ~= 3 or old or last then
          if not last or tonumber(nowS) - tonumber(last) >= 10 then touch = 1 end
          local set = {'last_activity', nowS, 'announces', tonumber(life[6] or '0') + 1}
          for i = 1, 4 do
            if count[i] ~= tonumber(life[6 + i]) then set[#set + 1] = fields[i]; set[#set + 1] = count[i] end
          end
          if not last then set[#set + 1] = 'first_seen'; set[#set + 1] = nowS end
          if pruneDue then set[#set + 1] = 'prune_at'; set[#set + 1] = now + 30000 end
          if event == 1 then
            set[#set + 1] = 'last_started'; set[#set + 1] = nowS
            if not life[4] then set[#set + 1] = 'first_started'; set[#set + 1] = nowS end
          end
          if completedNow then
            completed = completed + 1
            set[#set + 1] = 'completed'; set[#set + 1] = completed
            set[#set + 1] = 'last_completed'; set[#set + 1] = nowS
            if not life[5] then set[#set + 1] = 'first_completed'; set[#set + 1] = nowS end
          end
          redis.call('HSET', T, unpack(set))
        end
        return {count[1] + count[3], count[2] + count[4], completed, touch, count[1], count[2]}
        """

    /// KEYS: seeders4, leechers4, seeders6, leechers6, detail, lifecycle. ARGV: now ms, limit,
    /// forget-before s. Drops expired peers (at most `limit` per set) and writes the sets' sizes
    /// again (s4 l4 s6 l6 in the lifecycle: whatever drifted is right after a sweep); forgets an
    /// empty swarm that has no completions, or whose last activity is older than forget-before.
    /// Returns {dropped, forgotten 0/1}.
    static let sweep = """
        local dropped = 0
        for i = 1, 4 do
          local gone = redis.call('ZRANGEBYSCORE', KEYS[i], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
          if #gone > 0 then
            redis.call('ZREM', KEYS[i], unpack(gone))
            redis.call('HDEL', KEYS[5], unpack(gone))
            dropped = dropped + #gone
          end
        end
        local sizes = {}
        for i = 1, 4 do sizes[i] = redis.call('ZCARD', KEYS[i]) end
        if sizes[1] + sizes[2] + sizes[3] + sizes[4] == 0 then
          local completed = tonumber(redis.call('HGET', KEYS[6], 'completed') or '0')
          local last = tonumber(redis.call('HGET', KEYS[6], 'last_activity') or '0')
          if completed == 0 or last < tonumber(ARGV[3]) then
            redis.call('DEL', KEYS[5], KEYS[6])
            return {dropped, 1}
          end
        end
        if redis.call('EXISTS', KEYS[6]) == 1 then
          redis.call('HSET', KEYS[6], 's4', sizes[1], 'l4', sizes[2], 's6', sizes[3], 'l6', sizes[4])
        end
        return {dropped, 0}
        """
}
