/**
 * Waiting on a signal, not a sleep: an object that changes (jobs arriving, calls seen) notifies
 * after each change, and each waiter re-checks its condition then. No timers or allocations while
 * nobody waits.
 */
export class ChangeSignal {
  private readonly checks = new Set<() => void>();

  /** Call after every change. */
  notify(): void {
    if (this.checks.size === 0) return; // no iterator to allocate: the bench calls this per message
    for (const check of this.checks) check();
  }

  /**
   * Resolves once `done()` holds, checked now and after every change; fails after `timeoutMs`
   * with "timed out waiting for <what()>" (`what` is read then, so it can say what was seen).
   */
  until(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done()) return;
        clearTimeout(timer);
        this.checks.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.checks.delete(check);
        reject(new Error(`timed out waiting for ${what()}`));
      }, timeoutMs);
      this.checks.add(check);
    });
  }
}
