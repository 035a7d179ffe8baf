// tests/support/stress.hpp - how big the stress tests are.
//
// MSGPOOL_STRESS scales every stress size: 1 (default) keeps CI fast, larger
// values (e.g. MSGPOOL_STRESS=50) run long soaks.  Sizes never drop below the
// minimum each test asks for.
#pragma once

#include <cstddef>
#include <cstdlib>

namespace msgpool_test {

inline double stress_factor() {
    static const double f = [] {
        const char* s = std::getenv("MSGPOOL_STRESS");
        const double v = s ? std::atof(s) : 1.0;
        return v > 0 ? v : 1.0;
    }();
    return f;
}

inline std::size_t scaled(std::size_t base) {
    const double v = static_cast<double>(base) * stress_factor();
    return v < 1 ? 1 : static_cast<std::size_t>(v);
}

}  // namespace msgpool_test
