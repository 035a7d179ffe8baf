// bench/crash_survival/message_queue_system.cpp - Boost.Interprocess
// message_queue under msgpool-crash-survival.  It has no recovery call: the
// check runs the same drain and round trip without one.  Its mutex is a
// robust process-shared pthread mutex; a lock that finds its owner dead
// throws lock_exception (not_recoverable), and so does every lock after it.
// Its timed calls take an absolute time that it hands to pthread's
// CLOCK_REALTIME waits as it is: a system_clock time point.
#include <boost/interprocess/ipc/message_queue.hpp>

#include <boost/version.hpp>

#include <memory>
#include <string>

#include "systems.hpp"
#include "trials.hpp"

namespace crash_survival {
namespace {

namespace bip = boost::interprocess;

struct message_queue_system {
    static constexpr const char* name = "message_queue";
    static constexpr bool has_recover = false;
    using handle = std::unique_ptr<bip::message_queue>;

    static std::string make_name() { return unique_name("msgpool-crash-mq-"); }
    static std::string shm_path(const std::string& name) { return "/" + name; }
    static handle create(const std::string& name, const settings& s) {
        return std::make_unique<bip::message_queue>(bip::create_only, name.c_str(), s.capacity, sizeof(message));
    }
    static handle open(const std::string& name, const settings&) {
        return std::make_unique<bip::message_queue>(bip::open_only, name.c_str());
    }
    static void remove(const std::string& name) noexcept { bip::message_queue::remove(name.c_str()); }
    static void write(handle& h, const message& m) { h->send(&m, sizeof m, 0); }
    static void read(handle& h, message& m) {
        bip::message_queue::size_type got = 0;
        unsigned priority = 0;
        h->receive(&m, sizeof m, got, priority);
    }
    static bool write_for(handle& h, const message& m, std::chrono::milliseconds d) {
        return h->timed_send(&m, sizeof m, 0, std::chrono::system_clock::now() + d);
    }
    static bool read_for(handle& h, message& m, std::chrono::milliseconds d) {
        bip::message_queue::size_type got = 0;
        unsigned priority = 0;
        return h->timed_receive(&m, sizeof m, got, priority, std::chrono::system_clock::now() + d);
    }
    static void recover(handle&, recovery_totals&) {}
};

}  // namespace

std::vector<system_entry> message_queue_systems() {
    return {{message_queue_system::name, "boost::interprocess::message_queue (Boost " + std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) + ")", 100,
             &run_trials<message_queue_system>}};
}

}  // namespace crash_survival
