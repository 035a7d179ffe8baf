// msgpool/detail/shared_segment.hpp - a named POSIX shared-memory segment
// (shm_open in /dev/shm) holding one shared pool: name checks, exclusive
// creation with reserved space, opening with an owner check, and the mapping.
//
// Choices a user would ask about:
//  * Mode 0600 unless asked otherwise, set with fchmod after creation, so the
//    umask can neither widen nor narrow it.
//  * Opening checks that the segment belongs to this process's effective user:
//    the trust model (the pool's control words are not checked at run time)
//    holds only among processes of one user.
//  * posix_fallocate reserves every byte at creation, so a full tmpfs (Docker's
//    /dev/shm is 64 MiB by default) is a clear error then, instead of a SIGBUS
//    at the first touch of an unbacked page later.
//  * MAP_POPULATE on request: the pages are faulted in at mapping time, not at
//    the first message.
//  * The mapping is MAP_SHARED: a fork() after attaching shares it with the
//    child (the pool is then used by both processes, as by any two); the
//    child's copy of the handle unmaps only the child's mapping.
#pragma once

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <msgpool/shared_pool_error.hpp>

namespace msgpool::detail {

/// A mapping of part of a segment (or nothing); unmapped when destroyed.
class segment_mapping {
public:
    segment_mapping() = default;
    segment_mapping(void* addr, std::size_t bytes) noexcept : addr_(addr), bytes_(bytes) {}
    segment_mapping(segment_mapping&& o) noexcept
        : addr_(std::exchange(o.addr_, nullptr)), bytes_(std::exchange(o.bytes_, 0)) {}
    segment_mapping& operator=(segment_mapping&& o) noexcept {
        if (this != &o) {
            reset();
            addr_ = std::exchange(o.addr_, nullptr);
            bytes_ = std::exchange(o.bytes_, 0);
        }
        return *this;
    }
    ~segment_mapping() { reset(); }

    void reset() noexcept {
        if (addr_ != nullptr) ::munmap(addr_, bytes_);
        addr_ = nullptr;
        bytes_ = 0;
    }
    void* data() const noexcept { return addr_; }
    std::size_t size() const noexcept { return bytes_; }

private:
    void* addr_ = nullptr;
    std::size_t bytes_ = 0;
};

/// A file descriptor closed when destroyed.
class segment_fd {
public:
    explicit segment_fd(int fd) noexcept : fd_(fd) {}
    segment_fd(const segment_fd&) = delete;
    segment_fd& operator=(const segment_fd&) = delete;
    ~segment_fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const noexcept { return fd_; }

private:
    int fd_;
};

[[noreturn]] inline void throw_errno(shared_pool_errc code, const std::string& what, int err) {
    throw shared_pool_error(code, what + ": " + std::strerror(err));
}

/// Checks a segment name and returns it as shm_open takes it.  A name is a
/// '/' followed by 1 to 200 characters from [A-Za-z0-9._-], not "." or "..".
inline std::string segment_path(std::string_view name) {
    auto bad = [&](const char* why) -> std::string {
        throw shared_pool_error(shared_pool_errc::invalid_argument,
                                "invalid segment name '" + std::string(name) + "': " + why);
    };
    if (name.empty() || name.front() != '/') return bad("it must start with '/'");
    const std::string_view rest = name.substr(1);
    if (rest.empty() || rest.size() > 200) return bad("it needs 1 to 200 characters after the '/'");
    if (rest == "." || rest == "..") return bad("'.' and '..' are not segment names");
    for (const char c : rest) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok) return bad("only letters, digits, '.', '_' and '-' may follow the '/'");
    }
    return std::string(name);
}


/// The shared_pool_errc for an errno of shm_open/mmap.
inline shared_pool_errc errc_of(int err) noexcept {
    switch (err) {
        case EEXIST: return shared_pool_errc::already_exists;
        case ENOENT: return shared_pool_errc::not_found;
        case EACCES:
        case EPERM: return shared_pool_errc::permission;
        case ENOSPC:
        case ENOMEM:
        case EFBIG: return shared_pool_errc::no_space;
        case EINVAL:
        case ENAMETOOLONG: return shared_pool_errc::invalid_argument;
        default: return shared_pool_errc::system;
    }
}

struct segment_options {
    unsigned mode = 0600;
    bool populate = false;
};

/// Creates `name` exclusively with `bytes` bytes reserved, and maps it.  The
/// memory is zero-filled.  On failure nothing is left behind.
inline segment_mapping create_segment(const std::string& path, std::size_t bytes, const segment_options& o) {
    if ((o.mode & ~0777u) != 0)
        throw shared_pool_error(shared_pool_errc::invalid_argument, "segment mode must be permission bits (0..0777)");
    const int fd = ::shm_open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw_errno(errc_of(errno), "cannot create segment '" + path + "'", errno);
    segment_fd guard(fd);
    auto undo = [&](shared_pool_errc code, const std::string& what, int err) {
        ::shm_unlink(path.c_str());
        throw_errno(code, what, err);
    };
    if (::fchmod(fd, static_cast<mode_t>(o.mode)) != 0) undo(errc_of(errno), "cannot set the mode of '" + path + "'", errno);
    if (const int err = ::posix_fallocate(fd, 0, static_cast<off_t>(bytes)); err != 0)
        undo(err == ENOSPC || err == EFBIG ? shared_pool_errc::no_space : errc_of(err),
             "cannot reserve " + std::to_string(bytes) + " bytes for segment '" + path + "'", err);
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | (o.populate ? MAP_POPULATE : 0), fd, 0);
    if (p == MAP_FAILED) undo(errc_of(errno), "cannot map segment '" + path + "'", errno);
    return segment_mapping(p, bytes);
}

/// Opens `name`, checks its owner, and maps its first `bytes` bytes, waiting
/// up to `patience` for it to reach that size (a creator may be between
/// shm_open and posix_fallocate).  `bytes` 0: map the whole segment as it is.
inline segment_mapping open_segment(const std::string& path, std::size_t bytes, std::chrono::milliseconds patience,
                                    bool populate) {
    const int fd = ::shm_open(path.c_str(), O_RDWR | O_CLOEXEC, 0);
    if (fd < 0) throw_errno(errc_of(errno), "cannot open segment '" + path + "'", errno);
    segment_fd guard(fd);
    const auto give_up = std::chrono::steady_clock::now() + patience;
    struct stat st {};
    for (;;) {
        if (::fstat(fd, &st) != 0) throw_errno(errc_of(errno), "cannot stat segment '" + path + "'", errno);
        if (st.st_uid != ::geteuid())
            throw shared_pool_error(shared_pool_errc::permission,
                                    "segment '" + path + "' belongs to uid " + std::to_string(st.st_uid) +
                                        ", not to this process's uid " + std::to_string(::geteuid()));
        if (bytes == 0 || static_cast<std::size_t>(st.st_size) >= bytes) break;
        if (std::chrono::steady_clock::now() >= give_up)
            throw shared_pool_error(shared_pool_errc::too_small,
                                    "segment '" + path + "' is " + std::to_string(st.st_size) + " bytes, fewer than " +
                                        std::to_string(bytes));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const std::size_t n = bytes != 0 ? bytes : static_cast<std::size_t>(st.st_size);
    if (n == 0) throw shared_pool_error(shared_pool_errc::too_small, "segment '" + path + "' is empty");
    void* p = ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_SHARED | (populate ? MAP_POPULATE : 0), fd, 0);
    if (p == MAP_FAILED) throw_errno(errc_of(errno), "cannot map segment '" + path + "'", errno);
    return segment_mapping(p, n);
}

/// The segment's size now, in bytes.
inline std::size_t segment_size(const std::string& path) {
    const int fd = ::shm_open(path.c_str(), O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) throw_errno(errc_of(errno), "cannot open segment '" + path + "'", errno);
    segment_fd guard(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw_errno(errc_of(errno), "cannot stat segment '" + path + "'", errno);
    return static_cast<std::size_t>(st.st_size);
}

/// Removes the name; processes that have the segment mapped keep using it.
/// False if there was no such segment.
inline bool remove_segment(const std::string& path) {
    if (::shm_unlink(path.c_str()) == 0) return true;
    if (errno == ENOENT) return false;
    throw_errno(errc_of(errno), "cannot remove segment '" + path + "'", errno);
}

}  // namespace msgpool::detail
