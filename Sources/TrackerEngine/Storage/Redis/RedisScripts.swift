/// The Lua scripts: each call is one round trip and touches one swarm's keys only (one Cluster
/// slot). Times: `now` in ms for peer deadlines, whole seconds in the lifecycle hash.
enum RedisScripts {
    /// KEYS: own-family seeders, leechers, other-family seeders, leechers, detail, lifecycle.
    /// ARGV: endpoint, now ms, deadline ms, seeder 0/1, event 0-4, detail blob, prune limit, now s.
    /// Returns {seeders, leechers, completed, touch 0/1, own-family seeders, own-family leechers};
    /// touch asks the caller to refresh the torrent in the torrents set (at most every 10 s per
    /// swarm). The peer sample is not picked here: plain commands pipelined right after the script
    /// return members for a quarter of the redis-server CPU that the same members cost when they
    /// pass through Lua (see `RedisPeerSampler`).
    /// Every redis.call costs: a swarm's expired peers are pruned here at most every 30 s (the
    /// sweep does the rest), the lifecycle is read with one HMGET and written with one HSET, and
    /// counts are ZCARDs (a peer past its deadline counts until its swarm is next pruned); the
    /// lifecycle's `v6` field notes that an IPv6 peer ever came, so IPv4-only swarms skip two.
    static let announce = """
        local S, L, OS, OL, D, T = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
        local ep, now, deadline = ARGV[1], tonumber(ARGV[2]), ARGV[3]
        local seeder, event, blob = ARGV[4] == '1', tonumber(ARGV[5]), ARGV[6]
        local limit, nowS = tonumber(ARGV[7]), ARGV[8]
        local life = redis.call('HMGET', T, 'last_activity', 'completed', 'prune_at', 'first_started', 'first_completed', 'announces', 'v6')
        local last, completed, pruneDue = life[1], tonumber(life[2] or '0'), now >= tonumber(life[3] or '0')
        if pruneDue then
          for _, key in ipairs({S, L, OS, OL}) do
            local gone = redis.call('ZRANGEBYSCORE', key, '-inf', now, 'LIMIT', 0, limit)
            if #gone > 0 then
              redis.call('ZREM', key, unpack(gone))
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
          if inS then redis.call('ZREM', S, ep) end
          if inL then redis.call('ZREM', L, ep) end
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
            if inL then redis.call('ZREM', L, ep) end
            redis.call('ZADD', S, deadline, ep)
          else
            if inS then redis.call('ZREM', S, ep) end
            redis.call('ZADD', L, deadline, ep)
          end
          redis.call('HSET', D, ep, blob)
        end
        local touch = 0
        if event ~= 3 or old or last then
          if not last or tonumber(nowS) - tonumber(last) >= 10 then touch = 1 end
          local fields = {'last_activity', nowS, 'announces', tonumber(life[6] or '0') + 1}
          if not last then fields[#fields + 1] = 'first_seen'; fields[#fields + 1] = nowS end
          if pruneDue then fields[#fields + 1] = 'prune_at'; fields[#fields + 1] = now + 30000 end
          if event == 1 then
            fields[#fields + 1] = 'last_started'; fields[#fields + 1] = nowS
            if not life[4] then fields[#fields + 1] = 'first_started'; fields[#fields + 1] = nowS end
          end
          if #ep == 18 and not life[7] then fields[#fields + 1] = 'v6'; fields[#fields + 1] = 1 end
          if completedNow then
            completed = completed + 1
            fields[#fields + 1] = 'completed'; fields[#fields + 1] = completed
            fields[#fields + 1] = 'last_completed'; fields[#fields + 1] = nowS
            if not life[5] then fields[#fields + 1] = 'first_completed'; fields[#fields + 1] = nowS end
          end
          redis.call('HSET', T, unpack(fields))
        end
        local ownS, ownL = redis.call('ZCARD', S), redis.call('ZCARD', L)
        -- An IPv4 announcer's swarm has IPv6 sets to count only if an IPv6 peer ever came.
        if #ep == 6 and not life[7] then return {ownS, ownL, completed, touch, ownS, ownL} end
        return {ownS + redis.call('ZCARD', OS), ownL + redis.call('ZCARD', OL), completed, touch, ownS, ownL}
        """

    /// KEYS: seeders4, leechers4, seeders6, leechers6, detail, lifecycle. ARGV: now ms, limit,
    /// forget-before s. Drops expired peers (at most `limit` per set); forgets an empty swarm that has no
    /// completions, or whose last activity is older than forget-before. Returns {dropped, forgotten 0/1}.
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
        local left = 0
        for i = 1, 4 do left = left + redis.call('ZCARD', KEYS[i]) end
        if left == 0 then
          local completed = tonumber(redis.call('HGET', KEYS[6], 'completed') or '0')
          local last = tonumber(redis.call('HGET', KEYS[6], 'last_activity') or '0')
          if completed == 0 or last < tonumber(ARGV[3]) then
            redis.call('DEL', KEYS[5], KEYS[6])
            return {dropped, 1}
          end
        end
        return {dropped, 0}
        """
}
