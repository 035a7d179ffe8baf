// msgpool/version.hpp - the library's version, as macros.
//
// Plain preprocessor definitions, usable from any C++ standard and from C, so
// a build can test the version before it includes anything that needs C++20:
//
//   #include <msgpool/version.hpp>
//   #if MSGPOOL_VERSION >= 100  // 0.1.0 or later
//
// The same version is in CMakeLists.txt's project() and in CHANGELOG.md.
#pragma once

#define MSGPOOL_VERSION_MAJOR 0
#define MSGPOOL_VERSION_MINOR 1
#define MSGPOOL_VERSION_PATCH 0
#define MSGPOOL_VERSION_STRING "0.1.0"

/// One number for comparisons: major * 10000 + minor * 100 + patch.
#define MSGPOOL_VERSION (MSGPOOL_VERSION_MAJOR * 10000 + MSGPOOL_VERSION_MINOR * 100 + MSGPOOL_VERSION_PATCH)
