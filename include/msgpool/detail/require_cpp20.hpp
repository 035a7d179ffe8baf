// msgpool/detail/require_cpp20.hpp - one clear error when the compiler is
// not in C++20 mode.
//
// msgpool is written with concepts, std::span and C++20 atomics.  Compiled as
// C++17 it would fail deep inside a header ("'concept' does not name a type");
// this check, included first by <msgpool/basic_pool.hpp>, <msgpool/pool.hpp>
// and <msgpool/compositions.hpp>, says what to change instead.  MSVC keeps
// __cplusplus at 199711L unless /Zc:__cplusplus is given; _MSVC_LANG tells
// the truth there.  GCC 10 reports 201709L for -std=c++20, so anything newer
// than C++17 passes.
#pragma once

#if defined(_MSVC_LANG) && _MSVC_LANG > __cplusplus
#define MSGPOOL_DETAIL_CPLUSPLUS _MSVC_LANG
#else
#define MSGPOOL_DETAIL_CPLUSPLUS __cplusplus
#endif

#if MSGPOOL_DETAIL_CPLUSPLUS <= 201703L
#error "msgpool needs C++20 (-std=c++20, or /std:c++20 with MSVC)"
// #error does not stop the compiler, and the rest of msgpool would add a few
// hundred errors after the one that matters.  A missing include is fatal in
// GCC, Clang and MSVC: compilation ends here.
#include <msgpool_needs_cxx20>
#endif

#undef MSGPOOL_DETAIL_CPLUSPLUS
