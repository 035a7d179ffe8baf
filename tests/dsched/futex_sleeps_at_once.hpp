// tests/dsched/futex_sleeps_at_once.hpp - wait::futex's and
// wait::futex_counted's real blockers with no spin phase: a wait reaches the
// Dekker pair (and sleeps) within a few scheduling points, where behind the
// spin phase the window is the last few steps of a long spin.  The forms the
// scenarios across processes and the crash scenarios run besides the
// policies themselves.
#pragma once

#include <msgpool/wait/detail/event_count.hpp>
#include <msgpool/wait/detail/spin_then_sleep.hpp>
#include <msgpool/wait/futex.hpp>
#include <msgpool/wait/futex_counted.hpp>

namespace msgpool_test::dsched {

struct futex_sleeps_at_once {
    template <class Sync>
    using channel =
        msgpool::detail::spin_then_sleep<Sync, msgpool::detail::event_count<Sync, msgpool::wait::futex::blocker<Sync>>,
                                         0, 0>;
};

struct futex_counted_sleeps_at_once {
    template <class Sync>
    using channel = msgpool::detail::spin_then_sleep<
        Sync, msgpool::detail::event_count<Sync, msgpool::wait::futex_counted::blocker<Sync>>, 0, 0>;
};

}  // namespace msgpool_test::dsched
