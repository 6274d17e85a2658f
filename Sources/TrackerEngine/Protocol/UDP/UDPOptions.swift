/// BEP 41's options after an announce: a type byte each; 0 ends them, 1 is padding, 2 carries
/// a length byte and that many bytes of URL data (concatenated across options). Anything
/// malformed (an unknown type, a length past the end) ends the options where it stands:
/// malformed options are treated as none beyond that point, never as an error.
public enum UDPOptions {
    public static let endOfOptions: UInt8 = 0
    public static let nop: UInt8 = 1
    public static let urlData: UInt8 = 2

    /// The concatenated URLData of `options`.
    public static func urlData(_ options: UnsafeRawBufferPointer) -> [UInt8] {
        var data: [UInt8] = []
        var at = 0
        while at < options.count {
            switch options[at] {
            case nop:
                at += 1
            case urlData:
                guard at + 1 < options.count else { return data }
                let length = Int(options[at + 1]), start = at + 2
                guard start + length <= options.count else { return data }
                data.append(contentsOf: options[start..<start + length])
                at = start + length
            default:  // endOfOptions, or a type this tracker does not know (its length is unknown)
                return data
            }
        }
        return data
    }
}
