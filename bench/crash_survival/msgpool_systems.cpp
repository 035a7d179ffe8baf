// bench/crash_survival/msgpool_systems.cpp - msgpool's shared pools under
// msgpool-crash-survival: shared_pool (cas_scan) and shared_ring_pool
// (fetch_add_ring).  An explicit check calls recover(); an automatic one
// sets shared_pool_options::recover_after and lets a waiter recover.
#include <msgpool/shared_pools.hpp>

#include "systems.hpp"
#include "trials.hpp"

namespace crash_survival {
namespace {

template <class Pool>
struct msgpool_system {
    static constexpr bool has_recover = true;
    using handle = Pool;

    static std::string make_name() { return unique_name("/msgpool-crash-"); }
    static std::string shm_path(const std::string& name) { return name; }
    static msgpool::shared_pool_options options(const settings& s) {
        msgpool::shared_pool_options o;
        if (s.recovery == recovery_mode::automatic) o.recover_after = s.recover_after;
        return o;
    }
    static handle create(const std::string& name, const settings& s) {
        return Pool::create(name, s.capacity, options(s));
    }
    static handle open(const std::string& name, const settings& s) { return Pool::open(name, options(s)); }
    static void remove(const std::string& name) noexcept {
        try {
            Pool::remove(name);
        } catch (...) {  // the clean-up goes on with the next segment
        }
    }
    static void write(handle& h, const message& m) { h->write(m); }
    static void read(handle& h, message& m) { h->read(m); }
    static bool write_for(handle& h, const message& m, std::chrono::milliseconds d) { return h->write_for(m, d); }
    static bool read_for(handle& h, message& m, std::chrono::milliseconds d) { return h->read_for(m, d); }
    static unsigned owner_id(const handle& h) { return h.owner_id(); }
    static std::size_t attached(const handle& h) { return h.attached_processes(); }
    static void recover(handle& h, recovery_totals& t) {
        const msgpool::recovery_report r = h.recover();
        ++t.calls;
        t.processes += r.processes;
        t.writes_dropped += r.writes_dropped;
        t.messages_returned += r.messages_returned;
    }
};

struct shared_pool_system : msgpool_system<msgpool::shared_pool<message>> {
    static constexpr const char* name = "shared_pool";
};
struct shared_ring_pool_system : msgpool_system<msgpool::shared_ring_pool<message>> {
    static constexpr const char* name = "shared_ring_pool";
};

}  // namespace

std::vector<system_entry> msgpool_systems() {
    return {
        {shared_pool_system::name, "msgpool::shared_pool<T> (cas_scan + futex + inline_slots)", 1000,
         &run_trials<shared_pool_system>},
        {shared_ring_pool_system::name, "msgpool::shared_ring_pool<T> (fetch_add_ring + futex + aligned_slots)", 1000,
         &run_trials<shared_ring_pool_system>},
    };
}

}  // namespace crash_survival
