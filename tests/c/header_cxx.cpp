// Compile-only check: <msgpool.h> is also valid C++ (C++20 here, and C++11 in
// a second object: see CMakeLists.txt), with C linkage and no exceptions.
#include <msgpool.h>

#include <type_traits>

static_assert(std::is_standard_layout<MsgPool>::value, "MsgPool is a C struct");
static_assert(noexcept(msgpool_read(nullptr, nullptr, nullptr)), "the C API never throws");

int msgpool_header_cxx_check();
int msgpool_header_cxx_check()
{
  MsgPool q = MsgPool();
  int v = 1, out = 0;
  if (msgpool_try_alloc(&q, 2, sizeof v, 1, 1) != 0) return 1;
  msgpool_write(&q, &v, 0);
  const int got = msgpool_read(&q, &out, 0);
  msgpool_dealloc(&q);
  return got == static_cast<int>(sizeof v) && out == 1 ? 0 : 1;
}
