// Handover between two threads through counters in shared memory (the two-stage reduction's
// pipelined bulge chasing, the paired panel products of the one-stage reduction). A waiter
// first spins (a handover between two running threads takes microseconds, where a pool call
// costs tens), then blocks in short timed waits, so that on a machine with more runnable
// threads than cores a waiting thread gives its core to the one it waits for instead of
// burning its time slice. A publisher stores, then notifies only when a waiter has announced
// itself in the shared `sleepers` count (a notify costs a lock in the engine even when nobody
// waits: per bulge-chasing step that doubled the chase's time). The announcement is checked
// after the store and the waiter re-reads the counter inside wait32, so no wake-up is lost.
// Builds without threads (one thread, nothing to wait for) compile these to nothing.

// Spins before the first blocking wait (~0.1 ms: longer than a bulge-chasing sweep takes to
// get two steps ahead, so two running threads never block).
const SPINS: i32 = 1 << 16;
// Nanoseconds per blocking wait, and how many of them before giving up (a minute: the other
// thread has failed, and the caller reports it instead of hanging).
const WAIT_NS: i64 = 1_000_000;
const WAITS: i32 = 60_000;

/**
 * Waits until the i32 at p is at least `value` (`sleepers`: the i32 the threads of this
 * handover share to announce blocking waits); false when it gave up.
 */
export function waitAtLeast(p: usize, value: i32, sleepers: usize): bool {
  if (ASC_FEATURE_THREADS) {
    for (let s = 0; s < SPINS; s++) if (atomic.load<i32>(p) >= value) return true;
    for (let w = 0; w < WAITS; w++) {
      atomic.add<i32>(sleepers, 1);
      const cur = atomic.load<i32>(p);
      if (cur < value) memory.atomic.wait32(p, cur, WAIT_NS);
      atomic.sub<i32>(sleepers, 1);
      if (cur >= value) return true;
    }
    return false;
  }
  return true;
}

/** Stores `value` at p (after every earlier write of this thread) and wakes a waiter if any. */
export function publish(p: usize, value: i32, sleepers: usize): void {
  if (ASC_FEATURE_THREADS) {
    atomic.store<i32>(p, value);
    if (atomic.load<i32>(sleepers) > 0) atomic.notify(p);
  }
}
