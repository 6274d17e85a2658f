// libFuzzer's entry point for programs that have a main of their own (LLVM 11 and later).
// SwiftPM names an executable's entry point itself, so the fuzz target starts libFuzzer here.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
