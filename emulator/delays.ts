import type { EmulatorClock } from "./types";

/**
 * Timers that can all be cancelled at once, so `stop()` does not leave injected latency or
 * `slow` faults holding the process open. A cancelled delay never resolves; the request waiting
 * on it belongs to a socket that `stop()` has already closed.
 */
export class Delays {
    private readonly pending = new Set<unknown>();

    constructor(private readonly clock: EmulatorClock) {}

    /** Resolves after `ms` milliseconds (at once when `ms` ≤ 0). */
    delay(ms: number): Promise<void> {
        if (!(ms > 0)) return Promise.resolve();
        return new Promise((resolve) => {
            const timer = this.clock.setTimeout(() => {
                this.pending.delete(timer);
                resolve();
            }, ms);
            this.pending.add(timer);
        });
    }

    /** Cancels every pending delay. */
    cancelAll(): void {
        for (const timer of this.pending) this.clock.clearTimeout(timer);
        this.pending.clear();
    }
}
