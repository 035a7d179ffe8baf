// tests/dsched/broken_recovery.hpp - a deliberately broken crash recovery,
// compiled only into tests/dsched/broken_variants.cpp to prove that the
// crash scenarios (crash_scenarios.hpp) catch it.  Never use it.
#pragma once

#include <cstddef>
#include <cstdint>

#include <msgpool/concepts/claim_policy.hpp>

#include "broken_claim.hpp"

namespace msgpool_test::dsched::broken {

/// A recoverer that frees slots a live thread owns: cas_scan's
/// recover_owner ([CS-C1]) with the owner id ignored.  It is called only
/// for an owner proven dead, and then frees *every* busy slot, writing ->
/// empty and reading -> full, whoever holds it: a live writer's slot is
/// claimed by another writer while the first still fills it (two writers in
/// one element, one message lost), a live reader's message is published
/// again (read twice though no dead process held it), and a stopped
/// process's slots change under it.
template <class Sync>
class recover_any_owner : public cas_scan_protocol<Sync> {
    using base = cas_scan_protocol<Sync>;

public:
    explicit recover_any_owner(std::size_t capacity) noexcept : base(capacity), capacity_(capacity) {}

    template <class Slots>
    msgpool::claim_recovery recover_owner(Slots& slots, unsigned) noexcept {  // BUG: whose slot it is, unasked
        msgpool::claim_recovery r;
        for (std::size_t i = 0; i < capacity_; ++i) {
            auto& lane = state_of(slots, i);
            std::uint8_t seen = lane.load(std::memory_order_relaxed);  // [CS-C2]
            const auto state = static_cast<std::uint8_t>(seen & 3);
            if (state == cas_state::writing) {
                if (lane.compare_exchange_strong(seen, cas_state::empty, std::memory_order_release,
                                                 std::memory_order_relaxed))
                    ++r.writes_dropped;
            } else if (state == cas_state::reading) {
                if (lane.compare_exchange_strong(seen, cas_state::full, std::memory_order_release,
                                                 std::memory_order_relaxed))
                    ++r.messages_returned;
            }
        }
        return r;
    }

private:
    const std::size_t capacity_;
};
using recovers_live_slots = cas_scan_with<recover_any_owner>;

}  // namespace msgpool_test::dsched::broken
