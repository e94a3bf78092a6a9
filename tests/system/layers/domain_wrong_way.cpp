// Compiled by ctest's layers_wrong_way with domain/'s include folder alone: a storage header
// is out of its sight, so the compiler must stop here.
#include "storage/database.hpp"
