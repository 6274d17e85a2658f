#if FUZZING
import CFuzzDriver

/// The executable's entry point when built with `-sanitize=fuzzer`: SwiftPM links `main` to this
/// symbol (named after the target), so libFuzzer's own `main` is not used; its driver is started here.
@_cdecl("trackertui_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
#endif
