-- The layout the Lua scripts and Swift share: a peer's 57-byte blob (RedisPeerBlob), the
-- announce script's packed argument, and the suffixes of a swarm's keys after
-- `<prefix>:{<hex>}:` (RedisKeys). Offsets are 1-based, as string.sub and string.byte count.
-- A test (RedisScriptTests) checks every value here against the Swift side.
local BLOB_SIZE = 57
local BLOB_KEY = 21
local BLOB_FIRST_SEEN = 49
local BLOB_LAST_SEEN = 53
local BLOB_FLAGS = 57
local FLAG_HAS_KEY = 1
local FLAG_COMPLETION_COUNTED = 2
-- The announce argument: mode, now s, cutoff s, prune page, announces counted, most torrents,
-- most peers per client; then the blob.
local ANNOUNCE_FORMAT = '<BI4I4I2I4I4I2'
local ANNOUNCE_HEADER_SIZE = 21
local MODE_SEEDER = 128
local EVENT_COMPLETED = 2
local EVENT_STARTED = 1
local EVENT_STOPPED = 3
local LIFECYCLE = 't'
-- A swarm's key for an address family ('4' or '6') is one of these followed by the family: the
-- seeders and leechers hashes and the peers-per-client counts (S4, L4, C4, S6, L6, C6).
local SEEDERS = 'S'
local LEECHERS = 'L'
local CLIENTS = 'C'
-- A rack's members of a family and role: RACK .. <rack name> .. ':' .. SEEDERS or LEECHERS .. family
-- (SETs of endpoints), for the racks the lifecycle's `racks` field lists (names, space-separated).
local RACK = 'r:'
-- A client is an IPv4 address or an IPv6 /64: the endpoint's first 4 or 8 bytes.
local CLIENT_SIZE_V4 = 4
local CLIENT_SIZE_V6 = 8
local ENDPOINT_SIZE_V6 = 18
-- `<prefix>:torrents`, from the lifecycle key `<prefix>:{<hex>}:t`.
local TORRENTS_SUFFIX = ':torrents'
-- `<prefix>:archive`, the archive's index, likewise.
local ARCHIVE_SUFFIX = ':archive'

-- Scripts name a swarm's keys from `base`, `<prefix>:{<hex>}:`, the lifecycle key without
-- LIFECYCLE: every key of a swarm shares its hash tag, so they all live in its Cluster slot.

-- The bit library's functions, looked up once per call: every access to the global `bit` costs
-- redis-server more than the whole rest of a steady announce's Lua (measured with redis-benchmark).
local band, bor = bit.band, bit.bor
