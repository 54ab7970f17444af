/* cuLaunchHostFunc, left out of the fake driver that plays an outdated libcuda. */
#include "fake_driver.h"

FAKE_UNSUPPORTED(cuLaunchHostFunc)
