// tests/dsched/crash_scenarios.hpp - processes killed (or stopped) at chosen
// steps of a shared pool's operations, and the recovery that survivors run
// (design.md section 6, "Crash recovery"; the model in crash_model.hpp).
//
// Every scenario puts its threads in processes (scheduler.hpp):
//   1  the victim: killed just before the kth scheduling point its threads
//      reach, k = 1 + seed % kill_span, so consecutive seeds kill it at every
//      step from the first to kill_span, each under another schedule (a k
//      past the victim's last step leaves it alive: a run without a crash);
//   2  surviving writers (the last of them closes the pool, once every
//      other writer has ended), 3 surviving readers (they read until the pool
//      is closed and empty);
//   4  the recoverer: it watches the others (scheduler::watch) and recovers
//      each death as it happens (crash_model.hpp, recover), until every
//      other thread has ended: what a real pool's long waiters do, with no
//      bound on the wait.  Where a recovery has taken a dead process's entry
//      and released nothing yet, it reads the owner records (visit_held:
//      the slots the dead process holds, and the message in each it holds
//      to read), exact since the dead make no step;
//   5  a second recoverer, or a stopped process (below);
//   6  the checker's thread in the phases before and after.
// The checks: no published message lost (every message whose write
// returned, and a dead writer's write in progress exactly when its publish
// store ran: with a write handle that is known, with a plain write it may
// or may not arrive, never twice, and never while the writer holds a write
// slot); every other message exactly once, and duplicates only of messages
// a dead process held to read, per the records (a dead reader's message it
// had moved out counts as read by it); recovery's report equal to the
// records, and nothing released of a process that held nothing; then, by
// one thread of a process that never waited: every slot back
// (wait_until_empty returns at once, `capacity` try_writes succeed and one
// more fails) and no waiter registration left (a try_write and a try_read
// take as many scheduling points as on the fresh pool, measured before the
// scenario: a stale waiter bit costs a notify its slow path); the table
// holds exactly the live processes.  A survivor that sleeps for ever (a lost
// registration, a wake nobody repeats, a slot nobody frees) is a deadlock,
// the model's sleeps being unbounded (sync_family.hpp).
//
//   writer_killed      the victim writes 2-3 messages (plain or through a
//                      write handle), sometimes beside a reader thread of its
//                      own; 1-2 survivor writers, one of which may call
//                      wait_until_empty before it closes, 1-2 readers
//   reader_killed      the victim's 1-2 readers (plain, or through read
//                      handles, which note a message before they release
//                      its slot); 1-2 writers, 1-2 other readers
//   waiter_killed      the victim's 1-2 threads wait: readers on an empty
//                      pool or a writer on a full one; killed at step k, or
//                      (sleeping waits, half the seeds) by the recoverer once
//                      every one of its threads is asleep, before the
//                      survivors start
//   recoverer_killed   a victim killed at step 1-40; the first recoverer is
//                      killed at step k (its recovery among them), and the
//                      second takes over the entries it left
//   stopped_not_dead   a victim killed at step 1-40 and process 5 *stopped*
//                      at step k (alive, for ever); once it has stopped, the
//                      recoverer recovers (the victim, if dead), and must
//                      leave every slot of the stopped process as it was;
//                      nobody may have had the message it holds.  Then the
//                      recoverer kills it, and a recovery returns what it
//                      held and wakes the survivors its stop left asleep.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <msgpool/wait/spin.hpp>

#include "checked.hpp"
#include "crash_model.hpp"
#include "driver.hpp"
#include "scheduler.hpp"
#include "sync_family.hpp"

namespace msgpool_test::dsched {

namespace crash {

inline constexpr unsigned victim = 1, writers = 2, readers = 3, recoverer = 4, fifth = 5, checker = 6;
inline constexpr unsigned processes = 7;  // table entries 1..6

/// Sightings by id, and what each id may do.
class ledger {
public:
    ledger(scheduler& s, std::size_t max_id)
        : s_(s), seen_(max_id + 1, 0), by_stopped_(max_id + 1, 0), rule_(max_id + 1, never) {}

    void got(std::uint64_t id, bool by_stopped = false) {
        if (id == 0 || id >= seen_.size()) {
            s_.fail("a read returned garbage (id " + std::to_string(id) + ")");
            return;
        }
        ++seen_[id];
        by_stopped_[id] += by_stopped;
    }
    void expect(std::uint64_t id) { rule_.at(id) = once; }         // published: exactly once
    void maybe(std::uint64_t id) { rule_.at(id) = at_most_once; }  // a write in progress at a death
    void held(std::uint64_t id) { held_.at(id) = 1; }  // a dead process held it to read: published, once more

    unsigned seen(std::uint64_t id) const { return seen_.at(id); }
    unsigned seen_by_stopped(std::uint64_t id) const { return by_stopped_.at(id); }

    void check() {
        for (std::size_t id = 1; id < seen_.size(); ++id) {
            const std::string m = "message " + std::to_string(id);
            const unsigned n = seen_[id];
            if (held_[id]) {  // published (a reader claimed it), and it may come again
                if (n == 0) s_.fail(m + ", held by a dead reader, was never read (lost)");
                if (n > 2) s_.fail(m + ", held by a dead reader, was read " + std::to_string(n) + " times");
                continue;
            }
            switch (rule_[id]) {
                case never:
                    if (n != 0) s_.fail(m + " was read but never published (a dead writer's slot delivered?)");
                    break;
                case at_most_once:
                    if (n > 1)
                        s_.fail(m + " (a write in progress at a death) was read " + std::to_string(n) + " times");
                    break;
                case once:
                    if (n == 0) s_.fail(m + " was published but never read (lost)");
                    if (n > 1) s_.fail(m + " was read " + std::to_string(n) + " times, and no dead process held it");
                    break;
            }
        }
    }

private:
    enum rule : std::uint8_t { never, at_most_once, once };
    scheduler& s_;
    std::vector<unsigned> seen_, by_stopped_;
    std::vector<rule> rule_;
    std::vector<unsigned char> held_ = std::vector<unsigned char>(seen_.size(), 0);
};

/// The owner records of one process: the slots it holds to write, and to
/// read with the message in each (the checker's look at the element, which
/// no step of recovery makes: not a read the race check should see).
/// At most N items kept inline, with no heap allocation: the recoverer that
/// reads the owner records may itself be killed while it fills one, and a
/// killed thread's stack is never unwound, so a vector it was filling would
/// leak.  The scenarios' pools hold at most 3 slots.
template <class T, std::size_t N = 8>
struct inline_list {
    std::array<T, N> items{};
    std::size_t n = 0;
    template <class... A>
    void emplace_back(A&&... a) {
        if (n == N) std::abort();  // more slots held than any scenario's pool has
        items[n++] = T{std::forward<A>(a)...};
    }
    void push_back(const T& x) { emplace_back(x); }
    std::size_t size() const noexcept { return n; }
    bool empty() const noexcept { return n == 0; }
    const T* begin() const noexcept { return items.data(); }
    const T* end() const noexcept { return items.data() + n; }
    bool operator==(const inline_list& o) const { return std::equal(begin(), end(), o.begin(), o.end()); }
};

struct holdings {
    inline_list<std::size_t> writing;
    inline_list<std::pair<std::size_t, std::uint64_t>> reading;
    bool operator==(const holdings&) const = default;
};

template <class Pool>
holdings held_by(const Pool& pool, unsigned owner) {
    holdings h;
    pool.visit_held([&](std::size_t i, unsigned o, bool for_writing, const void* element) {
        if (o != owner) return;
        if (for_writing)
            h.writing.push_back(i);
        else
            h.reading.emplace_back(i, static_cast<const copied_msg*>(element)->peek_id());
    });
    return h;
}

/// A door the survivors wait at (scaffolding: a mutex and a condition variable of the model).
class gate {
public:
    void pass() {
        std::unique_lock<mutex> lock(m_);
        while (!open_) cv_.wait(lock);
    }
    void open() {
        {
            std::lock_guard<mutex> lock(m_);
            open_ = true;
        }
        cv_.notify_all();
    }

private:
    mutex m_;
    condition_variable cv_;
    bool open_ = false;
};

/// What a try_write into an empty pool and a try_read from a full one cost in
/// scheduling points (each claims the first slot it tries, publishes, and
/// notifies: a few loads while nobody is registered, more with a stale bit).
struct probe_result {
    std::size_t write_steps = 0, read_steps = 0;
};

/// On one scheduled thread: wait_until_empty (returns at once on a whole,
/// empty pool), then `capacity` try_writes that must succeed and one that
/// must fail, the costs, and the pool emptied again.  False if aborted.
template <class Pool>
bool probe(scheduler& s, Pool& pool, std::size_t cap, probe_result& r) {
    return s.run(
        {[&] {
            pool.wait_until_empty();
            std::size_t t0 = s.steps();
            bool ok = pool.try_write(copied_msg(300));
            r.write_steps = s.steps() - t0;
            for (std::size_t k = 1; k < cap; ++k) ok = pool.try_write(copied_msg(300 + k)) && ok;
            if (!ok) s.fail("an empty pool of capacity " + std::to_string(cap) + " refused a try_write (a slot lost)");
            if (pool.try_write(copied_msg(399))) s.fail("a full pool accepted one message more than its capacity");
            copied_msg m;
            t0 = s.steps();
            std::size_t got = pool.try_read(m) ? 1 : 0;
            r.read_steps = s.steps() - t0;
            while (pool.try_read(m)) ++got;
            if (got != cap) s.fail("read back " + std::to_string(got) + " of " + std::to_string(cap) + " messages");
        }},
        {checker});
}

/// Whether composition C's waits sleep (so a waiter can be killed asleep).
template <class C>
inline constexpr bool sleeps = !std::is_same_v<typename crash_pool<C>::wait_type, msgpool::wait::spin>;

enum class kind { writer_killed, reader_killed, waiter_killed, recoverer_killed, stopped_not_dead };

inline constexpr const char* name_of(kind k) {
    switch (k) {
        case kind::writer_killed: return "writer_killed";
        case kind::reader_killed: return "reader_killed";
        case kind::waiter_killed: return "waiter_killed";
        case kind::recoverer_killed: return "recoverer_killed";
        case kind::stopped_not_dead: return "stopped_not_dead";
    }
    return "?";
}

/// The one crash scenario, shaped by `K` (see the preamble).
template <class C, kind K>
struct scenario {
    static constexpr const char* name = name_of(K);
    static constexpr limits lim{4, 300, 40'000};
    /// Steps of the process killed (or stopped) at step k = 1 + seed % kill_span.
    static constexpr std::size_t kill_span = K == kind::recoverer_killed ? 40 : K == kind::waiter_killed ? 60 : 80;
    /// Runs, and runs in which the process of kill_span was killed (stopped) before it ended.
    static inline std::size_t runs = 0, hit = 0;
    /// Slot handles where the claim offers them (not on the ring): a seed that
    /// would use one uses the plain form there.
    static constexpr bool handles = msgpool::claim_policy_write_handles<typename crash_pool<C>::claim_type>;

    void operator()(scheduler& s) const {
        rng& p = s.params();
        const std::size_t k = 1 + s.cfg().seed % kill_span;
        const bool stopping = K == kind::stopped_not_dead;
        const std::size_t cap = (stopping ? 2 : 1) + p.below(2);
        registrations regs;
        crash_pool<C> pool(cap);
        table_model table(processes);
        ledger book(s, 400);
        probe_result fresh;
        if (!probe(s, pool, cap, fresh)) return;

        // ------------------------------------------------------------ the shape
        // The victim's threads.
        const bool waiter = K == kind::waiter_killed;
        const bool empty_waits =
            waiter && p.below(2) == 0;  // waiters: readers on an empty pool, else a writer on a full one
        const bool asleep = waiter && sleeps<C> && p.below(2) == 0;  // killed asleep, not at step k
        unsigned victim_writers = 0, victim_readers = 0;
        switch (K) {
            case kind::writer_killed:
                victim_writers = 1;
                victim_readers = static_cast<unsigned>(p.below(3) == 0);
                break;
            case kind::reader_killed: victim_readers = 1 + static_cast<unsigned>(p.below(2)); break;
            case kind::waiter_killed:
                victim_readers = empty_waits ? 1 + static_cast<unsigned>(p.below(2)) : 0;
                victim_writers = empty_waits ? 0 : 1;
                break;
            default: (p.below(2) == 0 ? victim_writers : victim_readers) = 1; break;
        }
        const unsigned victim_writes = waiter ? 1 : 2 + static_cast<unsigned>(p.below(2));
        const bool victim_handles = p.below(2) == 0 && handles;
        const bool second_recoverer = K == kind::recoverer_killed;
        const unsigned stopped_role =
            stopping ? std::min(static_cast<unsigned>(p.below(3)), handles ? 2u : 1u) : 0;  // 0 reader, 1 writer, 2 handle writer

        // Survivors.
        // At least one survivor reader: the victim's readers may die, and writers would wait for good.
        const unsigned survivor_writers = static_cast<unsigned>(p.below(2)) + (waiter && !empty_waits ? 0 : 1);
        const unsigned survivor_readers = 1 + static_cast<unsigned>(p.below(2));
        const unsigned per_writer = 2;
        // One survivor writer may wait until the pool is empty before it closes: only
        // where nothing stays held for good (a stopped process's slot would keep it waiting).
        const bool drainer = !stopping && survivor_writers != 0 && p.below(2) == 0;

        // Prefill: a full pool for waiting writers, half the capacity otherwise.
        const std::size_t prefill = waiter ? (empty_waits ? 0 : cap) : p.below(2) * (cap / 2);
        for (std::size_t i = 0; i < prefill; ++i) {
            pool.write(copied_msg(200 + i));
            book.expect(200 + i);
        }

        // ------------------------------------------------------------ the threads
        gate start;
        if (!asleep) start.open();
        // The survivor writers close the pool, the last of them (the recoverer if there are none),
        // once every other writer has ended (finished, died or stopped: a write after the readers
        // have gone would wait for good); not later, since the victim's readers read until the
        // pool is closed, and the recoverer waits for the victim to end.  What a recovery returns
        // after the close, the last phase reads.
        unsigned closers = survivor_writers;
        bool victim_writer_done = victim_writers == 0, stopped_writer_done = !stopping || stopped_role == 0;
        bool closed = false;
        auto other_writers_ended = [&] {
            return (victim_writer_done || s.dead(victim)) && (stopped_writer_done || s.stopped(fifth) || s.dead(fifth));
        };
        auto close_one = [&] {
            if (--closers != 0) return;
            s.watch(other_writers_ended);
            pool.close();
            closed = true;
        };
        unsigned victim_returned = 0, stopped_returned = 0;           // a writer's writes that returned
        std::uint64_t victim_committing = 0, stopped_committing = 0;  // its handle write between fill and commit
        holdings victim_held, stopped_held, stopped_dead_held;
        bool records_taken = false, was_stopped = false;

        std::vector<std::function<void()>> threads;
        std::vector<unsigned> procs;
        // A reader of a process that may end reads into an inbox of the scenario's
        // (not its stack), which it empties as it notes the message (no scheduling
        // point between the two): a message it moved out and had not noted when its
        // process ended is still there, and counts as read by it.
        copied_msg inboxes[3];  // the victim's readers, the stopped reader
        auto reader_body = [&](bool by_handle, bool by_stopped, copied_msg& inbox) {
            return [&, by_handle, by_stopped] {
                for (;;) {
                    if constexpr (handles) {
                        if (by_handle) {
                            auto h = pool.claim_read();
                            if (!h) break;
                            book.got(h->id(), by_stopped);  // noted before the slot is released
                            h.release();
                            continue;
                        }
                    }
                    {
                        if (!pool.read(inbox)) break;
                        book.got(inbox.id(), by_stopped);
                        inbox = copied_msg();
                    }
                }
            };
        };
        auto writer_body = [&](std::uint64_t first, unsigned n, bool by_handle, unsigned* returned,
                               std::uint64_t* committing, bool* done) {
            return [&, first, n, by_handle, returned, committing, done] {
                for (unsigned j = 0; j < n; ++j) {
                    const std::uint64_t id = first + j;
                    if constexpr (handles) {
                        if (by_handle) {
                            auto h = pool.claim_write();
                            *h = copied_msg(id);
                            if (committing != nullptr) *committing = id;
                            h.commit();
                        }
                    }
                    if (!handles || !by_handle) {
                        pool.write(copied_msg(id));
                    }
                    if (returned != nullptr) ++*returned;
                }
                *done = true;
            };
        };

        for (unsigned t = 0; t < victim_writers; ++t) {
            threads.push_back(writer_body(100, victim_writes, victim_handles, &victim_returned, &victim_committing,
                                          &victim_writer_done));
            procs.push_back(victim);
        }
        for (unsigned t = 0; t < victim_readers; ++t) {
            threads.push_back(reader_body(victim_handles, false, inboxes[t]));
            procs.push_back(victim);
        }
        for (unsigned w = 0; w < survivor_writers; ++w) {
            const std::uint64_t first = 1 + w * per_writer;
            for (unsigned j = 0; j < per_writer; ++j) book.expect(first + j);
            const bool swap = p.below(2) == 0;
            const bool drains = drainer && w == 0;
            threads.push_back([&, first, swap, drains] {
                start.pass();
                for (unsigned j = 0; j < per_writer; ++j) {
                    if (swap) {
                        copied_msg displaced;
                        pool.write(copied_msg(first + j), displaced);
                    } else {
                        pool.write(copied_msg(first + j));
                    }
                }
                if (drains) pool.wait_until_empty();
                close_one();
            });
            procs.push_back(writers);
        }
        for (unsigned r = 0; r < survivor_readers; ++r) {
            threads.push_back([&, by_handle = p.below(2) == 0 && handles] {
                copied_msg inbox;
                reader_body(by_handle, false, inbox)();
            });
            procs.push_back(readers);
        }
        if (stopping) {
            if (stopped_role == 0) {
                threads.push_back(reader_body(p.below(2) == 0 && handles, true, inboxes[2]));
            } else {
                threads.push_back(writer_body(150, 2, stopped_role == 2, &stopped_returned, &stopped_committing,
                                              &stopped_writer_done));
            }
            procs.push_back(fifth);
        }

        // The recoverer(s): a thread that watches the other processes (scheduler::watch) and
        // recovers each death as it happens, until every thread but the recoverers' has ended:
        // what the real pool's waiters do when they have waited `recover_after`, here with no
        // bound on the wait.  The owner records of a dead process are read where its first
        // recovery has taken its entry and released nothing yet (exact: it makes no step).
        auto records = [&](unsigned id) {
            if (id == victim && !records_taken) {
                victim_held = held_by(pool, victim);
                records_taken = true;
            } else if (id == fifth && stopping) {
                stopped_dead_held = held_by(pool, fifth);
            }
        };
        auto others_ended = [&] {
            return s.process_ended(victim) && s.process_ended(writers) && s.process_ended(readers) &&
                   (!stopping || s.process_ended(fifth));
        };
        bool stopped_handled = false;
        auto stopped_pending = [&] { return stopping && !stopped_handled && s.stopped(fifth); };
        // A stopped process is alive: a recovery must leave its slots as they are, and nobody
        // else may have the message it holds.  Then it dies, and a recovery returns what it
        // held.  That recovery also wakes the survivors its stop may have left asleep: stopped
        // inside a notify, after the advance that took the sleepers bit and before the wake
        // (wait::futex), which on a real pool costs them a bounded sleep, and here (no bound)
        // would be a deadlock.
        auto add = [](recovery_totals& total, const recovery_totals& r) {
            total.processes += r.processes;
            for (unsigned q = 0; q < max_processes; ++q) {
                total.of[q].writes_dropped += r.of[q].writes_dropped;
                total.of[q].messages_returned += r.of[q].messages_returned;
            }
        };
        auto handle_stopped = [&](recovery_totals& total) {
            stopped_handled = true;
            was_stopped = true;
            stopped_held = held_by(pool, fifth);
            add(total, recover(pool, table, records));  // the victim's, if it died, or nothing
            const holdings after = held_by(pool, fifth);
            if (!(after == stopped_held))
                s.fail("recovery released a slot of a stopped (live) process: it held " +
                       std::to_string(stopped_held.writing.size()) + " to write and " +
                       std::to_string(stopped_held.reading.size()) + " to read, now " +
                       std::to_string(after.writing.size()) + " and " + std::to_string(after.reading.size()));
            for (const auto& [slot, id] : after.reading)
                if (book.seen(id) != book.seen_by_stopped(id))
                    s.fail("message " + std::to_string(id) + ", held by a stopped process, was read by another");
            s.kill_process(fifth);
            const recovery_totals r = recover(pool, table, records);
            add(total, r);
            if (r.of[fifth].writes_dropped != stopped_dead_held.writing.size() ||
                r.of[fifth].messages_returned != stopped_dead_held.reading.size())
                s.fail("recovering the process once stopped, now dead, differs from its owner records");
        };
        // (The second recoverer also waits for the first to end: killed, it leaves work.)
        auto daemon = [&](recovery_totals& total, bool second) {
            auto done = [&] { return others_ended() && (!second || s.process_ended(recoverer)); };
            auto close_due = [&] { return survivor_writers == 0 && !closed && other_writers_ended(); };
            for (;;) {
                s.watch([&] { return table.needs_recovery(s) || stopped_pending() || close_due() || done(); });
                if (close_due()) {  // no survivor writer to close the pool: the recoverer does
                    pool.close();
                    closed = true;
                } else if (stopped_pending()) {
                    handle_stopped(total);
                } else if (table.needs_recovery(s)) {
                    add(total, recover(pool, table, records));
                    const msgpool::claim_recovery& v = total.of[victim];
                    if (v.writes_dropped > victim_held.writing.size() ||
                        v.messages_returned > victim_held.reading.size())
                        s.fail("recovery released " + std::to_string(v.writes_dropped) + " write slot(s) and " +
                               std::to_string(v.messages_returned) + " message(s) of the victim, which held " +
                               std::to_string(victim_held.writing.size()) + " and " +
                               std::to_string(victim_held.reading.size()));
                    for (unsigned q = 1; q < processes; ++q)
                        if (q != victim && q != fifth &&
                            (total.of[q].writes_dropped | total.of[q].messages_returned) != 0)
                            s.fail("recovery released slots of process " + std::to_string(q) + ", which held none");
                } else {
                    break;
                }
            }
        };
        recovery_totals first_report, second_report;
        threads.push_back([&] {
            if (asleep) {  // kill -9 the victim once every thread of it sleeps, then let the survivors in
                s.watch([&] { return s.process_blocked(victim) || s.process_ended(victim); });
                if (!s.process_ended(victim)) s.kill_process(victim);
                start.open();
            }
            daemon(first_report, false);
        });
        procs.push_back(recoverer);
        if (second_recoverer) {
            threads.push_back([&] { daemon(second_report, true); });
            procs.push_back(fifth);
        }

        // The kill (or stop) points.
        if (second_recoverer) {
            s.kill_at(victim, 1 + p.below(40));
            s.kill_at(recoverer, k);
        } else if (stopping) {
            s.kill_at(victim, 1 + p.below(40));
            s.stop_at(fifth, k);
        } else if (!asleep) {
            s.kill_at(victim, k);
        }
        if (!s.run(std::move(threads), std::move(procs))) return;

        // ------------------------------------------------------------ after the run
        ++runs;
        hit += second_recoverer ? s.dead(recoverer) : stopping ? was_stopped : s.dead(victim);
        for (unsigned i = 0; i < 2; ++i)
            if (const std::uint64_t id = inboxes[i].id(); id != 0) book.got(id);  // moved out, not noted
        const bool victim_dead = s.dead(victim);
        if (victim_dead && !records_taken) s.fail("the victim died and no recoverer read its records");
        if (victim_dead) {  // every slot it held released once, by one recoverer or the two
            const std::size_t w = first_report.of[victim].writes_dropped + second_report.of[victim].writes_dropped;
            const std::size_t m =
                first_report.of[victim].messages_returned + second_report.of[victim].messages_returned;
            if (!second_recoverer && (w != victim_held.writing.size() || m != victim_held.reading.size()))
                s.fail("recovery's report differs from the victim's owner records");
        }
        if (victim_dead && table.attached(victim))
            s.fail("the dead victim's table entry is still taken after recovery");
        if (victim_dead && !held_by(pool, victim).writing.empty())
            s.fail("a slot the dead victim held to write is still held after recovery");
        // A writer's messages: those whose write returned, and the one in progress
        // when its process ended exactly when its publish store ran.
        auto settle_writer = [&](std::uint64_t first, unsigned n, unsigned returned, std::uint64_t committing,
                                 bool by_handle, bool ended, bool holds_write) {
            for (unsigned j = 0; j < n; ++j) {
                const std::uint64_t id = first + j;
                if (j < returned) {
                    book.expect(id);
                } else if (j == returned && ended) {
                    if (holds_write) continue;  // claimed, not published: never delivered
                    if (!by_handle)
                        book.maybe(id);  // claimed and published, or not claimed yet
                    else if (committing == id)
                        book.expect(id);  // filled and no longer held: published
                }
            }
        };
        if (victim_writers != 0)
            settle_writer(100, victim_writes, victim_returned, victim_committing, victim_handles, victim_dead,
                          !victim_held.writing.empty());
        for (const auto& [slot, id] : victim_held.reading) book.held(id);

        if (stopping) {  // the process once stopped, killed by the recoverer
            if (const std::uint64_t id = inboxes[2].id(); id != 0) book.got(id, true);  // moved out, not noted
            for (const auto& [slot, id] : stopped_dead_held.reading) book.held(id);
            if (stopped_role != 0)
                settle_writer(150, 2, stopped_returned, stopped_committing, stopped_role == 2, was_stopped,
                              !stopped_dead_held.writing.empty());
        }
        if (s.failed()) return;

        // ------------------------------------------------------------ the last phase
        if (!s.run({[&] {
                       copied_msg m;
                       while (pool.try_read(m)) book.got(m.id());
                   }},
                   {checker}))
            return;
        book.check();
        probe_result after;
        if (!probe(s, pool, cap, after)) return;
        if (after.write_steps != fresh.write_steps || after.read_steps != fresh.read_steps)
            s.fail("a try_write and a try_read take " + std::to_string(after.write_steps) + " and " +
                   std::to_string(after.read_steps) + " steps after recovery, " + std::to_string(fresh.write_steps) +
                   " and " + std::to_string(fresh.read_steps) + " on the fresh pool (a waiter registration left?)");
        for (unsigned q = 1; q < processes; ++q)
            if (s.dead(q) == table.attached(q))
                s.fail("process " + std::to_string(q) +
                       (s.dead(q) ? " is dead and still attached" : " lives and is not attached"));
        pool.visit_held([&](std::size_t i, unsigned o, bool, const void*) {
            s.fail("slot " + std::to_string(i) + " is still held by owner " + std::to_string(o));
        });
    }
};

}  // namespace crash

template <class C>
using writer_killed = crash::scenario<C, crash::kind::writer_killed>;
template <class C>
using reader_killed = crash::scenario<C, crash::kind::reader_killed>;
template <class C>
using waiter_killed = crash::scenario<C, crash::kind::waiter_killed>;
template <class C>
using recoverer_killed = crash::scenario<C, crash::kind::recoverer_killed>;
template <class C>
using stopped_not_dead = crash::scenario<C, crash::kind::stopped_not_dead>;

}  // namespace msgpool_test::dsched
