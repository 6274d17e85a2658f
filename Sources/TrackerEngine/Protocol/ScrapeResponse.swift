import NIOCore

/// Writes scrape replies (BEP 48): `files` maps each raw info-hash, in byte order, to
/// `{complete, downloaded, incomplete}`, and `name` when `names` knows the torrent's.
public enum ScrapeResponse {
    public static func write(_ entries: [ScrapeEntry], names: (InfoHash) -> String? = { _ in nil }, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("d5:filesd")
        for entry in entries.sorted(by: { $0.infoHash < $1.infoHash }) {
            buffer.writeStaticString("20:")
            entry.infoHash.raw.withBytes { _ = buffer.writeBytes($0) }
            buffer.writeStaticString("d8:complete")
            buffer.writeBencodeInteger(entry.counts.seeders)
            buffer.writeStaticString("10:downloaded")
            buffer.writeBencodeInteger(entry.counts.completed)
            buffer.writeStaticString("10:incomplete")
            buffer.writeBencodeInteger(entry.counts.leechers)
            if let name = names(entry.infoHash) {
                buffer.writeStaticString("4:name")
                buffer.writeBencodeString(name)
            }
            buffer.writeStaticString("e")
        }
        buffer.writeStaticString("ee")
    }
}
