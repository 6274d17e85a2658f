extension TrackerService {
    /// Puts the racks of `--rack` and of the `--racks` file in place: at start and on SIGHUP.
    /// A line of the file that does not parse is logged and skipped; a file that cannot be read
    /// leaves the racks as they were (a typo in a reload must not take every peer out of its rack).
    func loadRacks() {
        var definitions = configuration.racks
        if let path = configuration.racksFile {
            do {
                let (racks, problems) = RackDefinition.parse(file: try PrivateFiles.read(path, followingLinks: true) ?? [])
                for problem in problems {
                    logger.warning("racks file line skipped", metadata: ["file": "\(path)", "line": "\(problem.line)", "reason": "\(problem.reason)"])
                }
                for rack in racks {
                    if let i = definitions.firstIndex(where: { $0.name == rack.name }) { definitions[i].ranges += rack.ranges } else { definitions.append(rack) }
                }
            } catch {
                logger.error("racks file not read; the racks stay as they were", metadata: ["file": "\(path)", "error": "\(error)"])
                return
            }
        }
        guard definitions != racks.definitions else { return }
        do {
            try racks.replace(with: definitions)
            if let registry = store as? any RackRegistry {
                let logger = logger, published = definitions
                Task {
                    do { try await registry.publishRacks(published) } catch {
                        logger.warning("racks not shared with attached dashboards", metadata: ["error": "\(error)"])
                    }
                }
            }
            logger.notice("racks loaded", metadata: ["racks": "\(definitions.map(\.name).joined(separator: ", "))",
                                                     "ranges": "\(definitions.reduce(0) { $0 + $1.ranges.count })"])
        } catch {
            logger.error("racks not loaded", metadata: ["error": "\(error)"])
        }
    }
}
