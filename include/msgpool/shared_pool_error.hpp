// msgpool/shared_pool_error.hpp - what can go wrong when a process creates,
// opens or places a pool that several processes share, as one exception
// type with a code a program can branch on.  The C API returns the same
// codes (msgpool.h, MSGPOOL_SHM_*).
#pragma once

#include <stdexcept>
#include <string>

namespace msgpool {

/// Why a shared pool could not be created, opened or placed.
enum class shared_pool_errc : int {
    invalid_argument = 1,   ///< a bad name, capacity, element size, memory or size
    already_exists = 2,     ///< create: a segment of that name exists
    not_found = 3,          ///< open: no segment of that name
    permission = 4,         ///< the segment belongs to another user, or access was refused
    no_space = 5,           ///< the segment's memory could not be reserved (a full /dev/shm)
    too_small = 6,          ///< the segment is smaller than its header says, or than a header
    corrupt = 7,            ///< the header is not a msgpool header, or fails its checksum
    mismatch = 8,           ///< the pool there differs from the one asked for (type, policies, capacity...)
    not_ready = 9,          ///< still being initialised, or its creator died while initialising it
    unsupported = 10,       ///< this process cannot take part (e.g. membarrier refused)
    system = 11,            ///< another system call failed
};

/// Thrown by msgpool::basic_shared_pool; what() names what differs or failed.
class shared_pool_error : public std::runtime_error {
public:
    shared_pool_error(shared_pool_errc code, const std::string& what)
        : std::runtime_error("msgpool: " + what), code_(code) {}
    shared_pool_errc code() const noexcept { return code_; }

private:
    shared_pool_errc code_;
};

}  // namespace msgpool
