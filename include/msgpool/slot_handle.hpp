// msgpool/slot_handle.hpp - zero-copy slot handles: a claimed slot as a
// move-only RAII object.
//
// The original library let a caller claim a slot, work on its element in
// place and release it later, and lost the slot when the caller forgot.  A
// handle makes that safe: it owns exactly one claimed slot (or none), and its
// destructor always gives the slot back.
//
//  * basic_write_handle (basic_pool::claim_write): an empty slot, claimed for
//    writing.  `*h` is the element the slot holds right now (whatever the last
//    reader left there: a moved-from value, a swap read's replacement, or the
//    initialiser's value), to be filled in place.  commit() publishes it as a
//    message.  A handle destroyed or reset() without commit() returns the slot:
//    it is empty again, no message appears, a blocked writer may take it.
//  * basic_read_handle (basic_pool::claim_read): a full slot, claimed for
//    reading.  `*h` is the message in place; read it, or move out of it.
//    release(), reset() or the destructor frees the slot; whatever is left in
//    the element stays there as the free slot's value (so a read handle can
//    also leave a recycled buffer behind, as a swap read does).  put_back()
//    instead returns the message to the pool unread (one blocked reader is
//    woken); wait_until_empty() never counts it as read.
//
// A handle that holds nothing (default-constructed, moved from, committed,
// released, or returned by a try_ or timed claim that failed) tests false.
// Dereferencing it is undefined (as for std::optional); commit() on it throws
// std::logic_error.
//
// Happens-before: what the writer does through `*h` before commit() is visible
// to the reader of the message (commit is the pool's publish_write); what a
// reader or an abandoning writer does through `*h` happens before the next
// writer of that slot claims it.  A handle is used by one thread at a time and
// must not outlive its pool.  What a held handle blocks depends on the claim
// policy (docs/design.md, "Bulk operations and slot handles").
//
// The handles reach into the pool through private members of basic_pool
// (it befriends both templates): handle_element (the element of a token) and
// the four ways a claim ends, each with the pool's notifications, named as
// the claim policy names them: publish_write (a write handle's commit()),
// abandon_write (a write handle dropped), publish_read (a read handle's
// release()) and abandon_read (a read handle's put_back()).
#pragma once

#include <stdexcept>
#include <utility>

namespace msgpool {

namespace detail {

/// What both handles share: one claimed slot (or none) of `Pool`, moved but
/// never copied, its element reachable in place.  `Handle` (CRTP) says how a
/// held slot ends: its reset() is called before a move-assignment takes over
/// another handle's slot, and by its destructor.
template <class Pool, class Handle>
class held_slot {
public:
    using pool_type = Pool;
    using value_type = typename Pool::value_type;

    explicit operator bool() const noexcept { return element_ != nullptr; }

    value_type& operator*() const noexcept { return *element_; }
    value_type* operator->() const noexcept { return element_; }
    /// The slot's element, or nullptr when the handle holds nothing.
    value_type* get() const noexcept { return element_; }

protected:
    held_slot() noexcept = default;
    held_slot(Pool& pool, typename Pool::token_type token) noexcept
        : pool_(&pool), element_(pool.handle_element(token)), token_(token) {}

    held_slot(held_slot&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), element_(std::exchange(other.element_, nullptr)),
          token_(other.token_) {}

    /// Ends this handle's slot (if any) as the handle's reset() does, then
    /// takes over `other`'s.
    held_slot& operator=(held_slot&& other) noexcept {
        if (this != &other) {
            static_cast<Handle&>(*this).reset();
            pool_ = std::exchange(other.pool_, nullptr);
            element_ = std::exchange(other.element_, nullptr);
            token_ = other.token_;
        }
        return *this;
    }

    ~held_slot() = default;

    /// Gives up the slot: the handle holds nothing afterwards; the caller ends
    /// the claim through the returned pool with token().  Null if nothing was held.
    Pool* release_ownership() noexcept {
        if (element_ == nullptr) return nullptr;
        element_ = nullptr;
        return std::exchange(pool_, nullptr);
    }
    typename Pool::token_type token() const noexcept { return token_; }

private:
    Pool* pool_ = nullptr;
    value_type* element_ = nullptr;  // null exactly when no slot is held
    typename Pool::token_type token_{};
};

}  // namespace detail

template <class Pool>
class basic_write_handle : public detail::held_slot<Pool, basic_write_handle<Pool>> {
    using base = detail::held_slot<Pool, basic_write_handle<Pool>>;

public:
    /// Holds nothing.
    basic_write_handle() noexcept = default;
    basic_write_handle(basic_write_handle&&) noexcept = default;
    /// Returns this handle's slot (if any), then takes over `other`'s.
    basic_write_handle& operator=(basic_write_handle&&) noexcept = default;

    /// Returns the slot unless it was committed: never loses it, never
    /// publishes a message.
    ~basic_write_handle() { reset(); }

    /// Publishes the element as a message (one reader is woken); the handle
    /// then holds nothing.  Throws std::logic_error if it held nothing.
    void commit() {
        Pool* pool = this->release_ownership();
        if (pool == nullptr) throw std::logic_error("msgpool: commit() on a write handle that holds no slot");
        pool->publish_write(this->token());
    }

    /// Returns the slot without publishing anything: it is empty again (one
    /// blocked writer is woken, and wait_until_empty callers if the pool is
    /// now drained).  No effect on a handle that holds nothing.
    void reset() noexcept {
        if (Pool* pool = this->release_ownership()) pool->abandon_write(this->token());
    }

private:
    friend Pool;
    basic_write_handle(Pool& pool, typename Pool::token_type token) noexcept : base(pool, token) {}
};

template <class Pool>
class basic_read_handle : public detail::held_slot<Pool, basic_read_handle<Pool>> {
    using base = detail::held_slot<Pool, basic_read_handle<Pool>>;

public:
    /// Holds nothing.
    basic_read_handle() noexcept = default;
    basic_read_handle(basic_read_handle&&) noexcept = default;
    /// Releases this handle's slot (if any), then takes over `other`'s.
    basic_read_handle& operator=(basic_read_handle&&) noexcept = default;

    /// Releases the slot: the message counts as read.
    ~basic_read_handle() { reset(); }

    /// Frees the slot (one blocked writer is woken, and wait_until_empty
    /// callers if the pool is now drained); the handle then holds nothing.
    /// No effect on a handle that holds nothing.
    void release() noexcept {
        if (Pool* pool = this->release_ownership()) pool->publish_read(this->token());
    }
    void reset() noexcept { release(); }

    /// Puts the message back unread: the slot is full again, as it was
    /// before the claim, with whatever was done to the element in place; one
    /// blocked reader is woken, and wait_until_empty() still waits for it.
    /// The handle then holds nothing.  Throws std::logic_error if it held
    /// nothing.  Only where the claim policy can (Pool::has_put_back).
    void put_back()
        requires Pool::has_put_back
    {
        Pool* pool = this->release_ownership();
        if (pool == nullptr) throw std::logic_error("msgpool: put_back() on a read handle that holds no slot");
        pool->abandon_read(this->token());
    }

private:
    friend Pool;
    basic_read_handle(Pool& pool, typename Pool::token_type token) noexcept : base(pool, token) {}
};

}  // namespace msgpool
