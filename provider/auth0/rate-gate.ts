/**
 * One gate per client that every unit of work passes before its requests are sent, so parallel
 * operations share the tenant's rate limit instead of storming it. It only spaces requests:
 * it never retries or decides anything else. A read–modify–write passes once for both of its
 * requests (two slots), so its PATCH never waits behind others after its GET.
 *
 * Until Auth0 signals its limit the gate is wide open. A 429 holds every request until the time
 * Auth0 gives; a success saying no requests remain holds none but starts pacing. Pacing is a
 * local copy of Auth0's token bucket (GCRA: `burst` requests at once, then one per interval).
 * The interval starts from Auth0's hint and adapts: each success shortens it slightly, each 429
 * lengthens it by half, so the pace settles around the tenant's real rate. Once Auth0 has shown
 * a limit the gate keeps pacing.
 */
export class RateGate {
    private openAt = 0;
    /** Theoretical arrival time of the next request (GCRA). */
    private tat = 0;
    private intervalMs = 0;
    private burst = 1;
    private lastSlowDown = 0;
    private readonly waiting: { slots: number; go: () => void }[] = [];
    private releasing = false;
    /**
     * Until the first Management API answer shows the tenant's bucket, one unit of work goes
     * alone (the probe) and the rest wait for its answer: a tenant with room lets them all go,
     * a small bucket starts pacing before a wave of 429s. Costs one round trip per process.
     */
    private probe: "none" | "out" | "done" = "none";

    constructor(
        private readonly now: () => number,
        private readonly sleep: (ms: number) => Promise<void>,
    ) {}

    /**
     * Resolves when `slots` requests may be sent back to back. Waiters are released one at a
     * time, first come first served, each at the time the current pace allows, so a pace that
     * speeds up while they wait applies to them at once.
     */
    async pass(slots = 1): Promise<void> {
        const now = this.now();
        if (this.probe === "none") {
            this.probe = "out";
            return;
        }
        if (this.probe === "done" && this.waiting.length === 0 && now >= this.releaseAt(slots)) {
            this.tat = Math.max(this.tat, now) + slots * this.intervalMs;
            return;
        }
        // Otherwise queue behind the others.
        await new Promise<void>((go) => {
            this.waiting.push({ slots, go });
            this.scheduleRelease();
        });
    }

    /**
     * A request succeeded, and Auth0 says `remaining` requests are left in its bucket (undefined
     * when it did not say). While pacing, speed up slightly, unless the bucket is empty: then the
     * pace already matches the tenant's rate, and speeding up would only earn a 429.
     */
    succeeded(remaining?: number): void {
        if (this.intervalMs === 0) return;
        // Once Auth0 has shown a limit, keep pacing: dropping it would only storm the tenant again.
        const factor = remaining === 0 ? 1 : 0.95;
        this.intervalMs = Math.max(1, this.intervalMs * factor);
    }

    /**
     * A Management API request is over; `bucket` is what its answer's rate headers said (none
     * for a request that got no answer). The first one ends the probe.
     */
    observe(bucket?: { limit: number; remaining: number; resetMs: number }): void {
        if (this.probe === "out") {
            this.probe = "done";
            const demand = this.waiting.reduce((sum, waiter) => sum + waiter.slots, 0);
            if (bucket && demand > bucket.remaining) {
                // The same estimate a 429 gives (a whole bucket per reset); a reset rounded up to a
                // second says little about how fast a nearly full bucket refills.
                this.limited(bucket.resetMs, bucket.limit, false);
                // Count the bucket as Auth0 reported it, less one request the probe may still send.
                this.tat = Math.max(this.tat, this.now() + (bucket.limit - bucket.remaining + 1) * this.intervalMs);
            }
        }
        this.scheduleRelease();
    }

    /**
     * Auth0 said the limit is reached, and resets in `resetMs`; `burst` is its bucket size
     * (`x-ratelimit-limit`). `refused` is true for a 429: then every request is held until the
     * reset. Returns true when this started or slowed the pacing (worth a log line).
     */
    limited(resetMs: number, burst: number, refused: boolean): boolean {
        const now = this.now();
        if (this.probe !== "done") {
            // What a probe would learn is known now: let the queue move once this returns.
            this.probe = "done";
            void Promise.resolve().then(() => this.scheduleRelease());
        }
        this.burst = Math.max(1, burst);
        if (this.intervalMs === 0) {
            // The bucket is empty now and full again at the reset, which Auth0 rounds up to a whole
            // second: half a second less is the unbiased guess of when it really refills. A reset
            // less than a second ahead says only "within a second" (it may be rounded to now).
            this.intervalMs = Math.max(1, (Math.max(resetMs, 1000) - 500) / this.burst);
            this.openAt = Math.max(this.openAt, now + (refused ? resetMs : 0));
            this.tat = Math.max(this.tat, this.openAt);
            return true;
        }
        // Already pacing: a refusal means too fast. Requests refused together count once.
        if (!refused || now - this.lastSlowDown < this.intervalMs * this.burst) return false;
        this.lastSlowDown = now;
        this.intervalMs *= 1.5;
        return true;
    }

    // Releases every waiter whose time has come, then sleeps until the next one's. After each
    // sleep one waiter goes regardless, so the queue drains even with a clock that does not move.
    private scheduleRelease(): void {
        if (this.releasing || this.probe === "out") return;
        while (this.waiting.length > 0 && this.now() >= this.releaseAt(this.waiting[0].slots)) this.releaseOne();
        if (this.waiting.length === 0) return;
        this.releasing = true;
        void this.sleep(this.releaseAt(this.waiting[0].slots) - this.now()).then(() => {
            this.releasing = false;
            this.releaseOne();
            this.scheduleRelease();
        });
    }

    private releaseOne(): void {
        const next = this.waiting.shift();
        if (!next) return;
        this.tat = Math.max(this.tat, this.now()) + next.slots * this.intervalMs;
        next.go();
    }

    // The earliest time `slots` requests may go: after any hold, and (GCRA) within the burst.
    // A bucket smaller than `slots` is treated as holding them, one interval apart at most.
    private releaseAt(slots: number): number {
        const tolerance = Math.max(0, this.burst - slots) * this.intervalMs;
        return Math.max(this.openAt, this.intervalMs > 0 ? this.tat - tolerance : 0);
    }
}
