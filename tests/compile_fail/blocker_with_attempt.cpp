// Must NOT compile: a blocker whose sleeps take a round counter the event
// count does not pass.  sleeping_wait checks its blocker against the concept
// (msgpool/wait/blocker.hpp), so the mistake is named where the wait policy
// is defined, instead of as a failed call deep inside a wait.
// Expected diagnostic mentions "must model msgpool::blocker".
#include <cstdint>

#include <msgpool/pool.hpp>
#include <msgpool/wait/detail/sleeping_wait.hpp>

template <class Sync>
struct blocker_with_attempt {
    using word = typename Sync::wait_word;
    void sleep_while(word&, std::uint32_t, unsigned /*attempt*/) noexcept {}
    bool sleep_while_until(word&, std::uint32_t, unsigned /*attempt*/, typename Sync::clock::time_point) noexcept {
        return false;
    }
    void advance_and_wake_one(word& w) noexcept { w.fetch_add(1, std::memory_order_seq_cst); }
    void advance_and_wake_all(word& w) noexcept { w.fetch_add(1, std::memory_order_seq_cst); }
};

struct wait_with_attempt : msgpool::detail::sleeping_wait<blocker_with_attempt> {};

int main() {
    msgpool::basic_pool<int, msgpool::claim::cas_scan, wait_with_attempt, msgpool::storage::inline_slots> pool(4);
    pool.write(1);
    return static_cast<int>(pool.was_size()) - 1;
}
