#if !FUZZING
import Foundation

/// Without libFuzzer (an ordinary build): replays files through a target, so the seed corpora
/// run in `make test` and a crash found by `make fuzz` can be reproduced under a debugger.
/// Usage: trackertui-fuzz TARGET FILE_OR_DIRECTORY...
@main
struct Replay {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: trackertui-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE_OR_DIRECTORY...")
            exit(2)
        }
        var replayed = 0
        for path in arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let files = isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 } : [path]
            for file in files {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                bytes.withUnsafeBytes { target.run($0) }
                replayed += 1
            }
        }
        print("\(target.rawValue): \(replayed) inputs replayed, 0 crashes")
    }
}
#endif
