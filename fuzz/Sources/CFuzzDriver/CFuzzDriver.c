// The declaration in include/CFuzzDriver.h is all this target provides; the definition is in
// libFuzzer's runtime, linked by -sanitize=fuzzer.
#include "CFuzzDriver.h"
