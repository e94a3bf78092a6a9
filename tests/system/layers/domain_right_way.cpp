// Compiled by ctest's layers_right_way with domain/'s include folder alone: it must build.
#include "domain/calendar.hpp"
