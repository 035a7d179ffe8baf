// Must NOT compile: an element with a pointer-owning member (std::string)
// means nothing in another process.  Expected diagnostic: "must be trivially
// copyable".
#include <string>

#include <msgpool/basic_shared_pool.hpp>
#include <msgpool/claim/cas_scan.hpp>
#include <msgpool/storage/inline_slots.hpp>
#include <msgpool/wait/futex.hpp>

int main() {
    using P = msgpool::basic_shared_pool<std::string, msgpool::claim::cas_scan, msgpool::wait::futex,
                                         msgpool::storage::inline_slots>;
    auto p = P::open("/never-created");
    return static_cast<int>(p->capacity());
}
