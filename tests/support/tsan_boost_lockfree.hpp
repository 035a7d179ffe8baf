// tests/support/tsan_boost_lockfree.hpp - the one ThreadSanitizer suppression
// the test suite carries: Boost.Lockfree recycling a node (claim::index_queue).
//
// Include in exactly one translation unit of a test executable that uses
// claim::index_queue (it defines the hook TSan reads its built-in suppressions
// from; a second definition in the same executable is a link error).
//
// What is suppressed, and why it is not our race.  Boost.Lockfree 1.81's
// queue keeps unused nodes on a Treiber-stack free list whose link is a plain
// (non-atomic) tagged pointer stored in the node's first word, the same word
// that is the atomic `next` of a queue node.  Its lock-free reads are
// optimistic: a thread reads a node it found through a head, tail or free-list
// pointer that may already be stale, and validates afterwards with a CAS on a
// tagged pointer (the tag changes whenever the node is recycled), discarding
// what it read if the node moved.  TSan sees the four forms of that pattern,
// always on a queue node (a heap block allocated by the queue's free list),
// and both accesses inside boost::lockfree:
//   - free list push (freelist.hpp, `next.set_ptr`: plain write) against a
//     queue pop or push that atomically loads `next` of the same node;
//   - free list pop (freelist.hpp, `next.get_ptr`: plain read) against the
//     atomic store or CAS of `next` by the thread that now owns the node;
//   - queue pop copying the payload before its claiming CAS (queue.hpp,
//     copy_payload: plain read) against a push constructing the recycled node
//     (queue.hpp, node(v): plain write);
//   - free list push against free list pop (both plain).
// Formally these are data races (mixed atomic and plain access, or two plain
// accesses, to one word), benign where aligned 8-byte accesses do not tear
// (x86-64, AArch64): every value so read is thrown away when the validating
// CAS fails.  Reported upstream as boostorg/lockfree#78 (open).
//
// Every one of those reports has both accesses inside boost::lockfree::queue
// (its own functions, or its free list and atomics, whose names carry
// `boost::lockfree::queue<...>` as a template argument).  The pattern below
// matches a report when either stack has such a frame, so it still matches
// when TSan fails to restore the stack of the earlier access (it does, now
// and then: "failed to restore the stack"), which a narrower free-list-only
// pattern did not.  Our own accesses to slots, elements and counters never
// run inside the queue, so races on them stay reported; claim_protocols.cpp
// was checked to fail under TSan with a deliberately racy element write.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define MSGPOOL_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MSGPOOL_TEST_TSAN 1
#endif
#endif

#if defined(MSGPOOL_TEST_TSAN)
extern "C" const char* __tsan_default_suppressions() {
    return "race:boost::lockfree::queue\n";
}
#endif
