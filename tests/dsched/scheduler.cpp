// tests/dsched/scheduler.cpp - fibers, the baton and the strategies; see scheduler.hpp.
//
// Threads are ucontext fibers on the caller's OS thread.  Only the fiber that
// holds the baton runs, and it hands the baton over only inside point(),
// block() or when it finishes, so the program between two scheduling points
// runs atomically.  Fibers rather than OS threads because a switch costs a
// fraction of a microsecond instead of a futex round trip, which is what makes
// tens of thousands of seeds per composition affordable.
//
// Thread-local state: every fiber shares the OS thread's thread_locals.  The
// library keeps exactly two (claim/detail/thread_cursor.hpp: the write and read scan
// cursors), so the scheduler saves and restores them per fiber at every switch
// and seeds them from the run's seed: each simulated thread keeps a cursor of
// its own, as on real threads, and the start cursors are deterministic, which
// exact replay needs.  A policy that adds thread-local state must be added to
// save_thread_locals()/load_thread_locals() below.
//
// Sanitizers: the fiber switches are annotated for ASan
// (__sanitizer_start/finish_switch_fiber) and TSan (__tsan_switch_to_fiber),
// so the suite runs in the sanitizer builds too (with fewer seeds, driver.hpp).
#include "scheduler.hpp"

#include <ucontext.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <unordered_map>
#include <utility>

#include <msgpool/claim/detail/thread_cursor.hpp>

#if defined(__SANITIZE_ADDRESS__)
#define MSGPOOL_DSCHED_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define MSGPOOL_DSCHED_TSAN 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MSGPOOL_DSCHED_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define MSGPOOL_DSCHED_TSAN 1
#endif
#endif
#if defined(MSGPOOL_DSCHED_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(MSGPOOL_DSCHED_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

namespace msgpool_test::dsched {

namespace {
thread_local scheduler* g_active = nullptr;
constexpr std::size_t stack_bytes = 256 * 1024;  // ample under ASan's larger frames
}  // namespace

const char* to_string(verdict v) noexcept {
    switch (v) {
        case verdict::ok: return "ok";
        case verdict::failed: return "failed";
        case verdict::deadlock: return "deadlock";
        case verdict::livelock: return "livelock (run too long)";
    }
    return "?";
}

const char* to_string(strategy s) noexcept { return s == strategy::random ? "random" : "pct"; }

const char* to_string(memory_model m) noexcept { return m == memory_model::sc ? "sc" : "tso"; }

static const char* to_string(op o) noexcept {
    switch (o) {
        case op::load: return "load";
        case op::store: return "store";
        case op::exchange: return "exchange";
        case op::cas: return "compare_exchange";
        case op::rmw: return "fetch_op";
        case op::lock: return "mutex.lock";
        case op::unlock: return "mutex.unlock";
        case op::try_lock: return "mutex.try_lock";
        case op::cv_wait: return "cv.wait";
        case op::cv_notify: return "cv.notify";
        case op::futex_wait: return "futex.wait";
        case op::futex_wake: return "futex.wake";
        case op::pause: return "pause";
        case op::yield: return "yield";
        case op::compiler_barrier: return "compiler_barrier";
        case op::fence: return "fence";
        case op::membarrier: return "membarrier";
        case op::drain: return "store drains";
        case op::user: return "mark";
        case op::kill: return "kill";
        case op::killed: return "KILLED here";
        case op::stopped: return "STOPPED here";
        case op::liveness: return "proof of death?";
        case op::watch: return "watch";
    }
    return "?";
}

std::string thread_name(unsigned t) {
    if (t == 0) return "main";
    std::string name(1, 'T');  // (not "T" + to_string: g++ 12 warns -Wrestrict on that, falsely)
    name += std::to_string(t);
    return name;
}

config config::from_seed(std::uint64_t seed, std::size_t pct_horizon, std::size_t max_steps) {
    config c;
    c.seed = seed;
    c.strat = (seed & 1) ? strategy::pct : strategy::random;
    c.pct_depth = 1 + static_cast<unsigned>((seed >> 1) % 3);
    c.spurious = ((seed >> 2) & 1) != 0;
    c.pct_horizon = pct_horizon;
    c.max_steps = max_steps;
    // Drain odds from a hash of the seed, not from its low bits (which pick
    // the strategy and the depth): every strategy meets every odds.
    c.drain_odds = 2u << ((seed * 0x9E3779B97F4A7C15ull) >> 62);
    return c;
}

std::string config::describe() const {
    std::ostringstream os;
    os << "seed " << seed << " (" << to_string(strat);
    if (strat == strategy::pct) os << " depth " << pct_depth << " horizon " << pct_horizon;
    os << (spurious ? ", spurious wake-ups" : "");
    if (model == memory_model::tso)
        os << ", tso, drain odds 1/" << drain_odds;
    else
        os << ", sc";
    os << ")";
    return os.str();
}

struct scheduler::fiber {
    ucontext_t ctx{};
    std::unique_ptr<char[]> stack;  // null for the main thread
    std::function<void()> body;
    state st = state::unused;
    const void* blocked_on = nullptr;
    op blocked_op = op::user;
    bool has_deadline = false;
    std::int64_t deadline = 0;
    wake_reason reason = wake_reason::notified;
    std::size_t write_cursor = 0, read_cursor = 0;  // the library's thread_locals, while switched out
    void* fake_stack = nullptr;                     // ASan's per-fiber fake stack
    void* tsan_fiber = nullptr;
    bool tsan_stale = false;  // abandoned mid-run: its TSan shadow stack must be rebuilt
};

scheduler* scheduler::active() noexcept { return g_active; }

scheduler::scheduler() : fibers_(max_threads) {
    for (std::size_t i = 1; i < max_threads; ++i) fibers_[i].stack = std::make_unique<char[]>(stack_bytes);
    for (auto& b : sb_) b.reserve(buffer_entries);  // never allocates while a fiber runs
}

scheduler::~scheduler() {
#if defined(MSGPOOL_DSCHED_TSAN)
    for (std::size_t i = 1; i < fibers_.size(); ++i)  // [0] is the OS thread's own fiber: not ours to destroy
        if (fibers_[i].tsan_fiber != nullptr) __tsan_destroy_fiber(fibers_[i].tsan_fiber);
#endif
    if (g_active == this) g_active = nullptr;
}

static void save_thread_locals(std::size_t& w, std::size_t& r) noexcept {
    w = msgpool::detail::thread_cursor<msgpool::detail::write_cursor>();
    r = msgpool::detail::thread_cursor<msgpool::detail::read_cursor>();
}
static void load_thread_locals(std::size_t w, std::size_t r) noexcept {
    msgpool::detail::thread_cursor<msgpool::detail::write_cursor>() = w;
    msgpool::detail::thread_cursor<msgpool::detail::read_cursor>() = r;
}

void scheduler::begin(const config& cfg) {
    g_active = this;
    cfg_ = cfg;
    sched_ = rng{cfg.seed * 0x2545F4914F6CDD1Dull + 0x1234567ull};
    params_ = rng{cfg.seed ^ 0x5EEDF00DCAFEull};
    steps_ = 0;
    now_ = 1'000'000;  // virtual ns; not zero so that time_since_epoch() is positive
    for (auto& v : vc_) v.fill(0);
    vc_[0][0] = 1;
    loc_clocks_.clear();
    verdict_ = verdict::ok;
    message_.clear();
    ring_.assign(std::max<std::size_t>(cfg.trace_keep, 1), trace_entry{0, 0, 0, op::user, nullptr});
    ring_next_ = 0;
    trace_hash_ = 0xcbf29ce484222325ull;
    aborted_ = false;
    element_checks_ = true;
    running_ = false;
    cur_ = 0;
    nthreads_ = 0;
    for (auto& f : fibers_) f.st = state::unused;
    fate_.fill(fate::none);
    fate_at_.fill(0);
    proc_steps_.fill(0);
    dead_.fill(false);
    stopped_.fill(false);
    for (auto& v : proc_clock_) v.fill(0);
    clear_buffers();  // an aborted run may have left entries for objects that are gone
    // The main thread's cursors too: set-up code (prefilling a pool) scans.
    load_thread_locals(static_cast<std::size_t>(sched_.next()), static_cast<std::size_t>(sched_.next()));
}

bool scheduler::run(std::vector<std::function<void()>> bodies, std::vector<unsigned> processes) {
    if (aborted_ || running_ || bodies.empty() || bodies.size() >= max_threads ||
        (!processes.empty() && processes.size() != bodies.size())) {
        std::fprintf(stderr, "dsched: run() misused (aborted=%d running=%d threads=%zu)\n", aborted_, running_,
                     bodies.size());
        std::abort();
    }
    for (unsigned p : processes)
        if (p >= max_processes || dead_[p] || stopped_[p]) {
            std::fprintf(stderr, "dsched: run() puts a thread in process %u, which is %s\n", p,
                         p >= max_processes ? "out of range" : dead_[p] ? "dead" : "stopped");
            std::abort();
        }
    nthreads_ = static_cast<unsigned>(bodies.size());
    process_.fill(0);
    for (std::size_t i = 0; i < processes.size(); ++i) process_[i + 1] = processes[i];
    ++vc_[0][0];
    for (unsigned i = 1; i < max_threads; ++i) {
        fiber& f = fibers_[i];
        if (i > nthreads_) {
            f.st = state::unused;
            continue;
        }
        f.body = std::move(bodies[i - 1]);
        f.st = state::runnable;
        f.blocked_on = nullptr;
        f.has_deadline = false;
        f.reason = wake_reason::notified;
        f.write_cursor = static_cast<std::size_t>(sched_.next());
        f.read_cursor = static_cast<std::size_t>(sched_.next());
        vc_[i] = vc_[0];  // spawn: everything main did so far happens before the thread
        ++vc_[i][i];
#if defined(MSGPOOL_DSCHED_ASAN)
        __asan_unpoison_memory_region(f.stack.get(), stack_bytes);
#endif
        getcontext(&f.ctx);
        f.ctx.uc_stack.ss_sp = f.stack.get();
        f.ctx.uc_stack.ss_size = stack_bytes;
        f.ctx.uc_link = nullptr;
        makecontext(&f.ctx, reinterpret_cast<void (*)()>(&scheduler::trampoline), 0);
#if defined(MSGPOOL_DSCHED_TSAN)
        if (f.tsan_fiber != nullptr && f.tsan_stale) {
            __tsan_destroy_fiber(f.tsan_fiber);
            f.tsan_fiber = nullptr;
        }
        if (f.tsan_fiber == nullptr) f.tsan_fiber = __tsan_create_fiber(0);
        f.tsan_stale = false;
#endif
    }
#if defined(MSGPOOL_DSCHED_TSAN)
    fibers_[0].tsan_fiber = __tsan_get_current_fiber();
#endif
    // PCT: distinct random priorities d .. d+n-1, and d-1 change points.
    prio_.assign(max_threads, 0);
    {
        std::vector<int> p(nthreads_);
        for (unsigned i = 0; i < nthreads_; ++i) p[i] = static_cast<int>(cfg_.pct_depth + i);
        for (unsigned i = nthreads_; i > 1; --i) std::swap(p[i - 1], p[sched_.below(i)]);
        for (unsigned i = 1; i <= nthreads_; ++i) prio_[i] = p[i - 1];
    }
    change_points_.clear();
    for (unsigned j = 1; j < cfg_.pct_depth; ++j) change_points_.push_back(steps_ + 1 + sched_.below(cfg_.pct_horizon));
    low_water_ = 1;

    running_ = true;
    cur_ = 0;
    switch_to(choose());
    // Back on the main thread: every thread finished, or the run was aborted.
    running_ = false;
    cur_ = 0;
    if (aborted_) return false;
    // Every thread drained its buffer as it finished (exit_current), died or stopped (end_process).
    for (unsigned i = 1; i <= nthreads_; ++i) {  // join: the threads' work happens before what main does next
        if (fibers_[i].st == state::stopped) continue;  // alive: nobody learns what it did (reaped: the killed)
        for (std::size_t k = 0; k < max_threads; ++k) vc_[0][k] = std::max(vc_[0][k], vc_[i][k]);
    }
    ++vc_[0][0];
    return true;
}

result scheduler::finish() {
    result r;
    r.kind = verdict_;
    r.message = message_;
    r.steps = steps_;
    r.trace_hash = trace_hash_;
    if (verdict_ != verdict::ok || cfg_.trace_keep > 48) r.trace = format_trace();
    g_active = nullptr;
    return r;
}

void scheduler::trampoline() {
    scheduler* s = g_active;
#if defined(MSGPOOL_DSCHED_ASAN)
    const void* bottom = nullptr;
    std::size_t size = 0;
    __sanitizer_finish_switch_fiber(nullptr, &bottom, &size);
    if (s->main_stack_bottom_ == nullptr && s->prev_ == 0) {
        s->main_stack_bottom_ = const_cast<void*>(bottom);
        s->main_stack_size_ = size;
    }
#endif
    try {
        s->fibers_[s->cur_].body();
    } catch (...) {
        s->fail(thread_name(s->cur_) + ": an exception escaped the thread body");
    }
    s->exit_current();
}

void scheduler::switch_to(unsigned next) noexcept {
    const unsigned from = cur_;
    if (next == from) return;
    fiber& f = fibers_[from];
    fiber& t = fibers_[next];
    save_thread_locals(f.write_cursor, f.read_cursor);
    load_thread_locals(t.write_cursor, t.read_cursor);
    const bool dying =
        from != 0 && (f.st == state::finished || f.st == state::killed || f.st == state::stopped || aborted_);
    if (dying && f.tsan_fiber != nullptr && aborted_ && f.st != state::finished) f.tsan_stale = true;
    prev_ = from;
    cur_ = next;
#if defined(MSGPOOL_DSCHED_TSAN)
    __tsan_switch_to_fiber(t.tsan_fiber, 0);
#endif
#if defined(MSGPOOL_DSCHED_ASAN)
    const void* bottom = next == 0 ? main_stack_bottom_ : static_cast<const void*>(t.stack.get());
    const std::size_t size = next == 0 ? main_stack_size_ : stack_bytes;
    __sanitizer_start_switch_fiber(dying ? nullptr : &f.fake_stack, bottom, size);
#endif
    swapcontext(&f.ctx, &t.ctx);
    // Resumed: somebody handed the baton back to `from`.
#if defined(MSGPOOL_DSCHED_ASAN)
    const void* old_bottom = nullptr;
    std::size_t old_size = 0;
    __sanitizer_finish_switch_fiber(f.fake_stack, &old_bottom, &old_size);
    if (main_stack_bottom_ == nullptr && prev_ == 0) {
        main_stack_bottom_ = const_cast<void*>(old_bottom);
        main_stack_size_ = old_size;
    }
#endif
}

void scheduler::record(op o, const void* obj, unsigned thread) noexcept {
    ring_[ring_next_ % ring_.size()] =
        trace_entry{steps_, static_cast<std::uint8_t>(thread), static_cast<std::uint8_t>(process_[thread]), o, obj};
    ++ring_next_;
    trace_hash_ = (trace_hash_ ^ (thread * 64u + static_cast<unsigned>(o))) * 0x100000001b3ull;
}

void scheduler::point(op o, const void* obj) noexcept {
    if (!running_ || cur_ == 0) return;
    if (const unsigned p = process_[cur_]; ++proc_steps_[p] == fate_at_[p] && fate_[p] != fate::none) {
        record(fate_[p] == fate::kill ? op::killed : op::stopped, obj, cur_);  // `o` never executes
        end_process(p, fate_[p]);
        reschedule();  // this fiber is never resumed
        std::abort();
    }
    record(o, obj, cur_);
    ++steps_;
    ++now_;
    if (steps_ > cfg_.max_steps) {
        set_abort(verdict::livelock, "more than " + std::to_string(cfg_.max_steps) +
                                         " scheduling points: a thread waits for something that never happens\n" +
                                         describe_threads());
        abandon();  // (a statement of its own: the message's temporaries are gone before the fiber is)
    }
    if (cfg_.strat == strategy::pct) {
        if (o == op::pause || o == op::yield) prio_[cur_] = --low_water_;  // a spinner goes to the bottom
        for (std::size_t j = 0; j < change_points_.size(); ++j)
            if (change_points_[j] == steps_) prio_[cur_] = static_cast<int>(cfg_.pct_depth - 1 - j);
    }
    expire_deadlines();
    maybe_spurious_wake();
    maybe_drain();
    switch_to(choose());
}

// ------------------------------------------------------------ store buffers

void scheduler::buffer(const buffered_store& e) noexcept {
    auto& b = sb_[cur_];
    if (b.size() == buffer_entries) drain_oldest(cur_);  // the buffer is full: the store stalls until one drains
    b.push_back(e);
    ++buffered_;
}

const buffered_store* scheduler::forwarded(const void* obj) const noexcept {
    if (buffered_ == 0 || !running_) return nullptr;
    const auto& b = sb_[cur_];
    for (auto it = b.rbegin(); it != b.rend(); ++it)
        if (it->obj == obj) return &*it;
    return nullptr;
}

void scheduler::drain_oldest(unsigned t) noexcept {
    auto& b = sb_[t];
    const buffered_store e = b.front();
    b.erase(b.begin());
    --buffered_;
    record(op::drain, e.obj, t);
    e.commit(e);
}

void scheduler::drain_self() noexcept {
    if (!running_) return;
    while (!sb_[cur_].empty()) drain_oldest(cur_);
}

void scheduler::drain_all() noexcept {
    for (unsigned t = 1; t < max_threads; ++t)
        while (!sb_[t].empty()) drain_oldest(t);
}

void scheduler::drain_process(unsigned p) noexcept {
    for (unsigned t = 1; t < max_threads; ++t)
        if (process_[t] == p)
            while (!sb_[t].empty()) drain_oldest(t);
}

void scheduler::discard(const void* obj) noexcept {
    if (buffered_ == 0) return;
    for (auto& b : sb_) {
        const auto n = b.size();
        b.erase(std::remove_if(b.begin(), b.end(), [obj](const buffered_store& e) { return e.obj == obj; }), b.end());
        buffered_ -= n - b.size();
    }
}

void scheduler::clear_buffers() noexcept {
    for (auto& b : sb_) b.clear();
    buffered_ = 0;
}

// At a scheduling point: with odds 1 in drain_odds the oldest store of a
// random thread with a non-empty buffer reaches memory, and again, until the
// coin says no.  Under SC nothing is ever buffered and the coin is not drawn,
// so SC schedules are exactly those of a scheduler without buffers.
void scheduler::maybe_drain() noexcept {
    while (buffered_ != 0 && sched_.below(cfg_.drain_odds) == 0) {
        unsigned cand[max_threads];
        unsigned n = 0;
        for (unsigned i = 1; i <= nthreads_; ++i)
            if (!sb_[i].empty()) cand[n++] = i;
        drain_oldest(cand[sched_.below(n)]);
    }
}

wake_reason scheduler::block(const void* obj, op o, const std::int64_t* deadline) noexcept {
    if (!in_thread()) {
        std::fprintf(stderr, "dsched: the main thread would block (a scenario's set-up or check blocks)\n");
        std::abort();
    }
    drain_self();  // into the kernel: the thread's stores reach memory before it sleeps
    fiber& f = fibers_[cur_];
    f.st = state::blocked;
    f.blocked_on = obj;
    f.blocked_op = o;
    f.has_deadline = deadline != nullptr;
    f.deadline = deadline != nullptr ? *deadline : 0;
    if (f.has_deadline && f.deadline <= now_) {
        f.st = state::runnable;
        f.reason = wake_reason::timeout;
        return f.reason;
    }
    if (o != op::watch) changed();  // (a watcher going to sleep would wake itself)
    reschedule();
    return fibers_[cur_].reason;  // resumed: cur_ is this thread again
}

void scheduler::reschedule() noexcept {
    expire_deadlines();
    auto any = [&](auto pred) {
        for (unsigned i = 1; i <= nthreads_; ++i)
            if (pred(fibers_[i])) return true;
        return false;
    };
    if (!any([](const fiber& x) { return x.st == state::runnable; })) {
        std::int64_t earliest = 0;
        bool timed = false;
        for (unsigned i = 1; i <= nthreads_; ++i) {
            const fiber& x = fibers_[i];
            if (x.st == state::blocked && x.has_deadline && (!timed || x.deadline < earliest)) {
                earliest = x.deadline;
                timed = true;
            }
        }
        if (timed) {
            now_ = std::max(now_, earliest);  // nobody can run: time jumps to the earliest deadline
            expire_deadlines();
        } else if (any([](const fiber& x) { return x.st == state::blocked; })) {
            set_abort(verdict::deadlock,
                      "every unfinished thread is blocked and none has a deadline (a lost wake-up?)\n" +
                          describe_threads());
            abandon();
        } else {
            switch_to(0);  // all finished: back to main (only exit_current gets here)
            return;
        }
    }
    switch_to(choose());
}

void scheduler::exit_current() noexcept {
    drain_self();  // a thread's stores are in memory once it is gone (its exit serialises)
    fibers_[cur_].st = state::finished;
    vclock& pc = proc_clock_[process_[cur_]];
    for (std::size_t k = 0; k < max_threads; ++k) pc[k] = std::max(pc[k], vc_[cur_][k]);
    changed();
    reschedule();
    std::abort();  // unreachable: a finished fiber is never resumed
}

// ------------------------------------------------------------ processes that die or stop

void scheduler::kill_at(unsigned p, std::size_t k) noexcept {
    if (p >= max_processes || k == 0) std::abort();
    fate_[p] = fate::kill;
    fate_at_[p] = proc_steps_[p] + k;
}

void scheduler::stop_at(unsigned p, std::size_t k) noexcept {
    if (p >= max_processes || k == 0) std::abort();
    fate_[p] = fate::stop;
    fate_at_[p] = proc_steps_[p] + k;
}

void scheduler::kill_process(unsigned p) noexcept {
    if (p >= max_processes) std::abort();
    if (!in_thread()) {  // the main thread, between runs: no thread of p is running
        end_process(p, fate::kill);
        return;
    }
    point(op::kill, nullptr);
    const bool self_too = process_[cur_] == p;
    end_process(p, fate::kill);
    if (self_too) {
        reschedule();  // this fiber is never resumed
        std::abort();
    }
}

bool scheduler::proven_dead(unsigned p) noexcept {
    if (p >= max_processes) return false;
    if (in_thread()) {
        point(op::liveness, nullptr);
        drain_self();  // a look at /proc: a system call
    }
    if (!dead_[p]) return false;
    // The dead process's exit passed a full barrier before its death could be seen (the main
    // thread: the checker, which reaped it).
    vclock& me = vc_[self()];
    for (std::size_t k = 0; k < max_threads; ++k) me[k] = std::max(me[k], proc_clock_[p][k]);
    return true;
}

bool scheduler::process_ended(unsigned p) const noexcept {
    for (unsigned t = 1; t <= nthreads_; ++t)
        if (process_[t] == p && (fibers_[t].st == state::runnable || fibers_[t].st == state::blocked)) return false;
    return true;
}

bool scheduler::process_blocked(unsigned p) const noexcept {
    bool any = false;
    for (unsigned t = 1; t <= nthreads_; ++t) {
        if (process_[t] != p) continue;
        if (fibers_[t].st == state::runnable) return false;
        any = any || fibers_[t].st == state::blocked;
    }
    return any;
}

// Every thread of p that has not ended ends here, its store buffer drained
// first (scheduler.hpp: a thread taken off its core serialises).  The
// threads' clocks join the process's, which proven_dead hands on.
void scheduler::end_process(unsigned p, fate how) noexcept {
    for (unsigned t = 1; t <= nthreads_; ++t) {
        if (process_[t] != p) continue;
        fiber& f = fibers_[t];
        if (f.st == state::runnable || f.st == state::blocked) {
            while (!sb_[t].empty()) drain_oldest(t);
            f.st = how == fate::kill ? state::killed : state::stopped;
            f.tsan_stale = true;  // left mid-body: its TSan shadow stack must be rebuilt
        }
        for (std::size_t k = 0; k < max_threads; ++k) proc_clock_[p][k] = std::max(proc_clock_[p][k], vc_[t][k]);
    }
    if (how == fate::kill) {
        dead_[p] = true;
        stopped_[p] = false;
    } else {
        stopped_[p] = true;
    }
    fate_[p] = fate::none;
    if (running_) changed();
}

void scheduler::changed() noexcept { wake(&watchers_, static_cast<std::size_t>(-1)); }

void scheduler::set_abort(verdict v, std::string why) {
    if (verdict_ == verdict::failed) why += "\n(an earlier check had already failed: " + message_ + ")";
    verdict_ = v;
    message_ = std::move(why);
}

// Leaves the running fiber for good.  Nothing on its stack is destroyed, so
// callers make sure no object owning heap memory is live in this frame (the
// message was built and stored by set_abort in a statement of its own).
void scheduler::abandon() noexcept {
    aborted_ = true;
    clear_buffers();  // the run is over; nobody looks at its objects again
    for (unsigned i = 1; i <= nthreads_; ++i)
        if (fibers_[i].st != state::finished) fibers_[i].tsan_stale = true;
    switch_to(0);
    std::abort();  // unreachable: an aborted run is never resumed
}

unsigned scheduler::choose() noexcept {
    unsigned cand[max_threads];
    unsigned n = 0;
    for (unsigned i = 1; i <= nthreads_; ++i)
        if (fibers_[i].st == state::runnable) cand[n++] = i;
    if (n == 0) return 0;
    if (cfg_.strat == strategy::random) return cand[sched_.below(n)];
    unsigned best = cand[0];
    for (unsigned k = 1; k < n; ++k)
        if (prio_[cand[k]] > prio_[best]) best = cand[k];
    return best;
}

void scheduler::expire_deadlines() noexcept {
    for (unsigned i = 1; i <= nthreads_; ++i) {
        fiber& x = fibers_[i];
        if (x.st == state::blocked && x.has_deadline && x.deadline <= now_) {
            x.st = state::runnable;
            x.reason = wake_reason::timeout;
        }
    }
}

void scheduler::maybe_spurious_wake() noexcept {
    if (!cfg_.spurious || sched_.below(64) != 0) return;
    unsigned cand[max_threads];
    unsigned n = 0;
    for (unsigned i = 1; i <= nthreads_; ++i) {
        const fiber& x = fibers_[i];
        if (x.st == state::blocked && (x.blocked_op == op::cv_wait || x.blocked_op == op::futex_wait)) cand[n++] = i;
    }
    if (n == 0) return;  // only ever called while the caller is runnable: a deadlock is never hidden
    fiber& x = fibers_[cand[sched_.below(n)]];
    x.st = state::runnable;
    x.reason = wake_reason::spurious;
}

std::size_t scheduler::wake(const void* obj, std::size_t n) noexcept {
    if (!running_) return 0;
    std::size_t woken = 0;
    while (woken < n) {
        unsigned cand[max_threads];
        unsigned k = 0;
        for (unsigned i = 1; i <= nthreads_; ++i)
            if (fibers_[i].st == state::blocked && fibers_[i].blocked_on == obj) cand[k++] = i;
        if (k == 0) break;
        fiber& x = fibers_[cand[sched_.below(k)]];  // which waiter: the seed decides (no FIFO promise)
        x.st = state::runnable;
        x.reason = wake_reason::notified;
        ++woken;
    }
    return woken;
}

bool scheduler::spurious_chance(unsigned n) noexcept {
    if (!cfg_.spurious || !in_thread()) return false;
    return sched_.below(n) == 0;
}

void scheduler::fail(std::string why) {
    if (verdict_ != verdict::ok) return;
    verdict_ = verdict::failed;
    message_ = std::move(why) + " [at step " + std::to_string(steps_) + ", " + thread_name(self()) + "]";
}

std::string scheduler::describe_threads() const {
    std::ostringstream os;
    for (unsigned i = 1; i <= nthreads_; ++i) {
        const fiber& x = fibers_[i];
        os << "  " << thread_name(i);
        if (process_[i] != 0) os << " (process " << process_[i] << ")";
        os << ": ";
        switch (x.st) {
            case state::runnable: os << "runnable"; break;
            case state::finished: os << "finished"; break;
            case state::unused: os << "unused"; break;
            case state::killed: os << "killed"; break;
            case state::stopped: os << "stopped"; break;
            case state::blocked:
                os << "blocked in " << to_string(x.blocked_op) << " on " << x.blocked_on;
                if (x.has_deadline) os << " until t=" << x.deadline;
                break;
        }
        os << "\n";
    }
    os << "  virtual time t=" << now_ << ", step " << steps_;
    return os.str();
}

std::string scheduler::format_trace() const {
    std::ostringstream os;
    const std::size_t keep = ring_.size();
    const std::size_t n = std::min(ring_next_, keep);
    std::unordered_map<const void*, unsigned> label;
    os << "last " << n << " of " << ring_next_ << " scheduling decisions (step thread operation object):\n";
    for (std::size_t k = ring_next_ - n; k < ring_next_; ++k) {
        const trace_entry& e = ring_[k % keep];
        auto it = label.emplace(e.obj, static_cast<unsigned>(label.size())).first;
        os << "  " << e.step << "  " << thread_name(e.thread);
        if (e.process != 0) os << " (process " << unsigned{e.process} << ")";
        os << "  " << to_string(e.what) << "  obj#" << it->second << "\n";
    }
    return os.str();
}

}  // namespace msgpool_test::dsched
