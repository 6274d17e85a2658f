import TrackerEngine

/// Carries out the reducer's effects off the main thread and posts what came of them back to
/// the loop's inbox as intents.
final class EffectRunner: Sendable {
    private let source: any DashboardSource
    private let sampler: SnapshotSampler
    let inbox = Locked<[Intent]>([])
    /// The torrent whose peers are being fetched, so that refreshes do not pile up.
    private let loadingPeers = Locked<InfoHash?>(nil)

    /// Deregistered torrents the archive view lists, the latest first.
    static let archiveShown = 1000

    init(source: any DashboardSource, sampler: SnapshotSampler) {
        self.source = source
        self.sampler = sampler
    }

    /// Everything posted since the last call.
    func drain() -> [Intent] {
        var taken: [Intent] = []
        inbox.update { swap(&taken, &$0) }
        return taken
    }

    private func post(_ intent: Intent) {
        inbox.update { $0.append(intent) }
    }

    func run(_ effect: Effect) {
        let moderator = source.moderator, store = source.store, clock = source.clock, sampler = sampler, racks = source.racks
        switch effect {
        case .quit:
            return
        case .loadPeers(let hash):
            var busy = false
            loadingPeers.update { current in
                busy = current == hash
                current = hash
            }
            guard !busy else { return }
            Task {
                var peers = (try? await store.peers(of: hash, now: clock.now())) ?? []
                for i in peers.indices { peers[i].rack = racks.name(of: racks.rack(of: peers[i].endpoint)) }
                loadingPeers.update { $0 = nil }
                post(.peersLoaded(hash, peers))
            }
        case .blacklist(let hash):
            act("Blacklisted \(hash.hex.prefix(16))…; its swarm is purged.") {
                try await moderator.blacklist(hash)
                await sampler.requestFullListing()
            }
        case .unblacklist(let hash):
            act("Blacklist lifted on \(hash.hex.prefix(16))….") {
                try await moderator.unblacklist(hash)
                await sampler.requestFullListing()
            }
        case let .kick(peer, hash):
            act("Kicked \(peer).") { try await moderator.kick(peer, from: hash) }
        case let .ban(address, seconds, peer, hash):
            act("Banned \(address) for \(Format.duration(seconds)).") {
                try await moderator.ban(address, seconds: seconds, dropping: (peer, hash))
            }
        case .unban(let address):
            act("Ban lifted on \(address).") { try await moderator.unban(address) }
        case .deregister(let hash):
            act("Deregistered \(hash.hex.prefix(16))…; its history is in the archive (A).") {
                try await moderator.deregister(hash)
                await sampler.requestFullListing()
            }
        case .reregister(let hash):
            act("Registered \(hash.hex.prefix(16))… again.") { try await moderator.reregister(hash) }
        case .loadArchive:
            Task {
                if let records = try? await store.archive(limit: Self.archiveShown) { post(.archiveLoaded(records)) }
            }
        }
    }

    private func act(_ done: String, _ body: @escaping @Sendable () async throws -> Void) {
        Task {
            do {
                try await body()
                post(.actionFinished(done))
            } catch {
                post(.actionFailed("\(error)"))
            }
        }
    }
}
