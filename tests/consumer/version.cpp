// A program outside msgpool checks the version it was built against: the
// macros of <msgpool/version.hpp> must agree with each other and with the
// version its build system found (find_package's msgpool_VERSION, or
// `pkg-config --modversion msgpool`), passed as EXPECTED_MAJOR, EXPECTED_MINOR
// and EXPECTED_PATCH.  Exit status 0 means they agree.
#include <msgpool/version.hpp>

#include <cstdio>
#include <cstring>

#if !defined(EXPECTED_MAJOR) || !defined(EXPECTED_MINOR) || !defined(EXPECTED_PATCH)
#error "compile with -DEXPECTED_MAJOR=.. -DEXPECTED_MINOR=.. -DEXPECTED_PATCH=.."
#endif

static_assert(MSGPOOL_VERSION_MAJOR == EXPECTED_MAJOR, "<msgpool/version.hpp>: major version differs from the package's");
static_assert(MSGPOOL_VERSION_MINOR == EXPECTED_MINOR, "<msgpool/version.hpp>: minor version differs from the package's");
static_assert(MSGPOOL_VERSION_PATCH == EXPECTED_PATCH, "<msgpool/version.hpp>: patch version differs from the package's");
static_assert(MSGPOOL_VERSION == EXPECTED_MAJOR * 10000 + EXPECTED_MINOR * 100 + EXPECTED_PATCH,
              "MSGPOOL_VERSION must be major * 10000 + minor * 100 + patch");

int main() {
    char composed[64];
    std::snprintf(composed, sizeof composed, "%d.%d.%d", MSGPOOL_VERSION_MAJOR, MSGPOOL_VERSION_MINOR,
                  MSGPOOL_VERSION_PATCH);
    if (std::strcmp(composed, MSGPOOL_VERSION_STRING) != 0) {
        std::fprintf(stderr, "version: MSGPOOL_VERSION_STRING is \"%s\", the numbers say %s\n", MSGPOOL_VERSION_STRING,
                     composed);
        return 1;
    }
    std::printf("version: msgpool %s\n", MSGPOOL_VERSION_STRING);
    return 0;
}
