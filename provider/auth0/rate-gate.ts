/**
 * One gate per client that every request passes before it is sent, so parallel operations
 * share the tenant's rate limit instead of storming it.
 *
 * Until Auth0 signals its limit the gate is wide open. After a 429 (or an answer saying no
 * requests remain) it holds every request until the time Auth0 gives, then paces them with a
 * local copy of Auth0's token bucket (GCRA: `burst` requests at once, then one per interval).
 * The interval starts from Auth0's hint and adapts: each success shortens it slightly, each 429
 * lengthens it by half, so the pace settles just under the tenant's real rate.
 */
export class RateGate {
    private openAt = 0;
    /** Theoretical arrival time of the next request (GCRA). */
    private tat = 0;
    private intervalMs = 0;
    private burst = 1;
    private lastSlowDown = 0;

    constructor(
        private readonly now: () => number,
        private readonly sleep: (ms: number) => Promise<void>,
    ) {}

    /** Resolves when this request may be sent. Slots are handed out first come, first served. */
    async pass(): Promise<void> {
        const now = this.now();
        let sendAt = Math.max(now, this.openAt);
        if (this.intervalMs > 0) {
            const tolerance = (this.burst - 1) * this.intervalMs;
            sendAt = Math.max(sendAt, this.tat - tolerance);
            this.tat = Math.max(this.tat, sendAt) + this.intervalMs;
        }
        if (sendAt > now) await this.sleep(sendAt - now);
    }

    /** A request succeeded: while pacing, speed up slightly. */
    succeeded(): void {
        if (this.intervalMs === 0) return;
        this.intervalMs *= 0.95;
        if (this.intervalMs < 1) this.intervalMs = 0;
    }

    /**
     * Auth0 said the limit is reached, and resets in `resetMs`; `burst` is its bucket size
     * (`x-ratelimit-limit`). `refused` is true for a 429: then every request is held until the
     * reset. Returns true when this started or slowed the pacing (worth a log line).
     */
    limited(resetMs: number, burst: number, refused: boolean): boolean {
        const now = this.now();
        this.burst = Math.max(1, burst);
        if (this.intervalMs === 0) {
            // The bucket is empty now and full again at the reset, which Auth0 rounds up to a whole
            // second: half a second less is the unbiased guess of when it really refills.
            this.intervalMs = Math.max(1, (resetMs - 500) / this.burst);
            this.holdUntil(now + (refused ? resetMs : 0));
            return true;
        }
        // Already pacing: a refusal means too fast. Requests refused together count once.
        if (!refused || now - this.lastSlowDown < this.intervalMs * this.burst) return false;
        this.lastSlowDown = now;
        this.intervalMs *= 1.5;
        return true;
    }

    private holdUntil(time: number): void {
        this.openAt = Math.max(this.openAt, time);
        this.tat = Math.max(this.tat, this.openAt);
    }
}
