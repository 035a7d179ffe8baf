// tests/dsched/checked.hpp - msg, the element type of the deterministic
// scenarios: a move-only message id whose every access is checked for a
// happens-before edge to the previous conflicting access (a vector-clock race
// detector in the style of FastTrack, on the clocks sync_family.hpp keeps).
//
// Why: the scheduler runs x86-TSO (or SC) executions, in which a publish with
// memory_order_relaxed "works" (on x86 it is the same MOV as a release).  The contract (happens-before,
// design.md section 2.2) is stronger: the reader must be *ordered* after the
// writer's element write.  The check reports, as a failed run, any read of an
// element not ordered after its last write, and any write not ordered after
// the last write and every read since (the reader's move out must happen
// before the next writer's move in).  Moves leave the source at id 0, so a
// slot read twice yields 0 (garbage), and a failed operation that moved its
// argument anyway is visible.
#pragma once

#include <cstdint>
#include <string>

#include "scheduler.hpp"

namespace msgpool_test::dsched {

/// Whether a claim policy carries its happens-before edges on Sync's atomics,
/// so that the element check below can see them.  A policy that hands slots
/// over through atomics of its own (index_queue's Boost.Lockfree queues)
/// specialises this to false: its element accesses are then not checked.
template <class Claim>
inline constexpr bool element_hb_visible = true;

class msg {
public:
    msg() noexcept { wrote(); }
    explicit msg(std::uint64_t id) noexcept : id_(id) { wrote(); }
    msg(msg&& other) noexcept : id_(other.take()) { wrote(); }
    msg& operator=(msg&& other) noexcept {
        const std::uint64_t v = other.take();
        wrote();
        id_ = v;
        return *this;
    }
    msg(const msg&) = delete;
    msg& operator=(const msg&) = delete;
    ~msg() = default;

    /// The id; 0 for a default-constructed or moved-from message.
    std::uint64_t id() const noexcept {
        read();
        return id_;
    }

private:
    std::uint64_t take() noexcept {
        read();
        wrote();
        const std::uint64_t v = id_;
        id_ = 0;
        return v;
    }

    void read() const noexcept {
        scheduler* s = scheduler::active();
        if (s == nullptr || !s->element_checks()) return;
        const unsigned me = s->self();
        const vclock& vc = s->clock_of_self();
        if (wtid_ != me && wclk_ > vc[wtid_])
            s->fail("data race: " + thread_name(me) + " reads an element last written by " + thread_name(wtid_) +
                    " with no happens-before edge between them (a publish too weak?)");
        reads_[me] = vc[me];
    }
    void wrote() noexcept {
        scheduler* s = scheduler::active();
        if (s == nullptr || !s->element_checks()) return;
        const unsigned me = s->self();
        const vclock& vc = s->clock_of_self();
        if (wtid_ != me && wclk_ > vc[wtid_])
            s->fail("data race: " + thread_name(me) + " writes an element last written by " + thread_name(wtid_) +
                    " with no happens-before edge between them");
        for (unsigned u = 0; u < max_threads; ++u)
            if (u != me && reads_[u] > vc[u])
                s->fail("data race: " + thread_name(me) + " writes an element that " + thread_name(u) +
                        " read with no happens-before edge between them (a release of the slot too weak?)");
        wtid_ = static_cast<std::uint8_t>(me);
        wclk_ = vc[me];
        reads_.fill(0);
    }

    std::uint64_t id_ = 0;
    std::uint8_t wtid_ = 0;
    std::uint32_t wclk_ = 0;
    mutable vclock reads_{};
};

}  // namespace msgpool_test::dsched
