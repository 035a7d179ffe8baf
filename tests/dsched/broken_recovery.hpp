// tests/dsched/broken_recovery.hpp - a deliberately broken crash recovery,
// compiled only into tests/dsched/broken_variants.cpp to prove that the
// crash scenarios (crash_scenarios.hpp) catch it.  Never use it.
#pragma once

#include <cstddef>
#include <cstdint>

#include <msgpool/concepts/claim_policy.hpp>

#include "broken_claim.hpp"
#include "broken_ring.hpp"

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

/// A ring recoverer that makes holes without proof of death: fetch_add_ring's
/// recover_owner run for the dead owner and then for every other owner seen
/// holding a position (visit_held), as if each were dead.  A live writer's
/// position becomes a hole while it fills the slot: its publish lands on the
/// hole (a message the readers never take, or taken after the hole was
/// passed and the slot reused), and a live reader's message is returned and
/// read twice.
template <class Sync>
class ring_recover_any_owner : public ring_protocol<Sync> {
    using base = ring_protocol<Sync>;

public:
    using base::base;

    template <class Slots>
    msgpool::claim_recovery recover_owner(Slots& slots, unsigned owner) noexcept {
        msgpool::claim_recovery r = base::recover_owner(slots, owner);
        std::uint64_t others = 0;  // owners 1..63 that hold a position
        this->visit_held(slots, [&](std::size_t, unsigned o, bool) { others |= std::uint64_t{1} << o; });
        for (unsigned o = 1; o < 64; ++o)
            if ((others >> o & 1) != 0) base::recover_owner(slots, o);  // BUG: alive or not, unasked
        return r;  // the dead owner's report alone: what it did to the others must show in the messages
    }
};
using ring_holes_without_proof = ring_with<ring_recover_any_owner>;

}  // namespace msgpool_test::dsched::broken
