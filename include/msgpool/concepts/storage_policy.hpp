// msgpool/concepts/storage_policy.hpp - what a storage policy provides.
//
// A storage policy owns the layout: where slot i's control word (the claim
// policy names its type) and its element live.  It allocates raw, correctly
// aligned memory for `capacity` slots of a runtime element layout and
// constructs the control words; the frame constructs and destroys the elements
// (exactly once each).  `slots_per_control` leaves room for layouts where one
// control word governs several slots (a cache line holding a state word and
// seven values); a claim policy states which values it supports.
//
// Every member below is used by the frame or by the claim policies:
//   capacity()            basic_pool::capacity()
//   control(i)            the claims' state machine (claims, publishes)
//   control(i) const      the claims' const observers (was_size, is_drained),
//                         which basic_pool::was_size() and wait_until_empty() call
//   element(i)            the frame's element moves
//   slots_per_control     how many slots one control word governs
// and one optional member, storage_footprint below:
//   footprint_bytes()     bytes the slot array allocated; basic_pool::slot_bytes()
//                         exists when the storage provides it (the benchmark reports it)
// and one optional form, storage_placeable below: slots<Control, in_place>,
// laid out in memory the caller provides (the shared-memory pool's).
#pragma once

#include <concepts>
#include <cstddef>

#include <msgpool/detail/element_layout.hpp>

namespace msgpool {

namespace detail {
/// The control word used to check storage policies in isolation.
struct control_archetype {
    unsigned value = 0;
};
}  // namespace detail

/// Where a storage's slots live.  `S::slots<Control>` (that is,
/// `S::slots<Control, on_heap>`) allocates them itself; a storage that can lay
/// them out in memory the caller provides, such as a shared-memory segment
/// that several processes map, also offers `S::slots<Control, in_place>`:
/// constructible from (capacity, element layout, void* memory), with a static
/// `plan(capacity, layout)` whose `bytes` and `align` say what that memory
/// must be, and holding no pointer, so that the object means the same in
/// every process that maps it (storage_placeable below).
struct on_heap {};
struct in_place {};

template <class Slots, class Control>
concept storage_slots = (std::constructible_from<Slots, std::size_t, detail::element_layout> ||
                         std::constructible_from<Slots, std::size_t, detail::element_layout, void*>) &&
    requires(Slots& s, const Slots& cs, std::size_t i) {
        { cs.capacity() } noexcept -> std::same_as<std::size_t>;
        { s.control(i) } noexcept -> std::same_as<Control&>;
        { cs.control(i) } noexcept -> std::same_as<const Control&>;  // for the claims' const was_size / is_drained
        { s.element(i) } noexcept -> std::same_as<void*>;
        { Slots::slots_per_control } -> std::convertible_to<std::size_t>;
    };

/// Optional: the slots say how many bytes they allocated (control words,
/// elements and padding); basic_pool::slot_bytes() is offered exactly then.
template <class Slots>
concept storage_footprint = requires(const Slots& cs) {
    { cs.footprint_bytes() } noexcept -> std::same_as<std::size_t>;
};

/// A storage policy: `S::slots<Control>` lays out capacity slots, each with a
/// `Control` and an element of a runtime size and alignment.
template <class S>
concept storage_policy = storage_slots<typename S::template slots<detail::control_archetype>, detail::control_archetype>;

/// Optional: the storage lays out its slots in memory the caller provides
/// (see in_place above); the shared-memory pool needs it.
template <class S>
concept storage_placeable = requires(std::size_t n, detail::element_layout e, void* memory) {
    requires std::constructible_from<typename S::template slots<detail::control_archetype, in_place>, std::size_t,
                                     detail::element_layout, void*>;
    { S::template slots<detail::control_archetype, in_place>::plan(n, e).bytes } -> std::convertible_to<std::size_t>;
    { S::template slots<detail::control_archetype, in_place>::plan(n, e).align } -> std::convertible_to<std::size_t>;
};

}  // namespace msgpool
