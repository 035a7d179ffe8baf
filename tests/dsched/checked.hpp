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
// before the next writer's move in).  msg's moves leave the source at id 0,
// so a slot read twice yields 0 (garbage), and a failed operation that moved
// its argument anyway is visible; copied_msg's leave it as it was, as the
// bytes of a shared pool's trivially copyable element are.
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

/// The race check of one element: its last write and the reads since, as
/// vector-clock entries (FastTrack).  read()/wrote() report an access that is
/// not ordered after the previous conflicting one as a failed run.
class element_access {
public:
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

private:
    std::uint8_t wtid_ = 0;
    std::uint32_t wclk_ = 0;
    mutable vclock reads_{};
};

/// A message id whose every access is race-checked.  MoveClears: a move
/// leaves its source at 0 (msg); otherwise it copies, as a pool shared
/// between processes moves a message out of a slot: its type is trivially
/// copyable there, so the slot's bytes stay as they were, and a move only
/// reads its source (copied_msg).  The crash scenarios use copied_msg: a
/// message a killed reader held is delivered again, and it must arrive
/// intact, not as the 0 that msg's move would leave.
template <bool MoveClears>
class basic_msg {
public:
    basic_msg() noexcept { check_.wrote(); }
    explicit basic_msg(std::uint64_t id) noexcept : id_(id) { check_.wrote(); }
    basic_msg(basic_msg&& other) noexcept : id_(other.take()) { check_.wrote(); }
    basic_msg& operator=(basic_msg&& other) noexcept {
        const std::uint64_t v = other.take();
        check_.wrote();
        id_ = v;
        return *this;
    }
    basic_msg(const basic_msg&) = delete;
    basic_msg& operator=(const basic_msg&) = delete;
    ~basic_msg() = default;

    /// The id; 0 for a default-constructed or (msg) moved-from message.
    std::uint64_t id() const noexcept {
        check_.read();
        return id_;
    }
    /// The id without the race check: for a checker's snapshot of slots that
    /// others hold, a look that no step of the protocol makes.
    std::uint64_t peek_id() const noexcept { return id_; }

private:
    std::uint64_t take() noexcept {
        check_.read();
        const std::uint64_t v = id_;
        if constexpr (MoveClears) {
            check_.wrote();
            id_ = 0;
        }
        return v;
    }

    std::uint64_t id_ = 0;
    element_access check_;
};

using msg = basic_msg<true>;
using copied_msg = basic_msg<false>;

}  // namespace msgpool_test::dsched
