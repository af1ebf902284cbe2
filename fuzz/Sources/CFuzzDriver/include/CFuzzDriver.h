#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

// libFuzzer's entry for programs that have their own `main` (https://llvm.org/docs/LibFuzzer.html):
// SwiftPM gives every executable target a `main` of its own, so the fuzz targets start
// libFuzzer through this instead of using the `main` of libFuzzer's runtime.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
