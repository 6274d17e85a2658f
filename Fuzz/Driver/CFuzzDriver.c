// Declarations only (see include/CFuzzDriver.h): the symbol comes from libFuzzer's runtime.
#include "CFuzzDriver.h"
