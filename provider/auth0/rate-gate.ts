/**
 * One gate per client that every request passes before it is sent, so parallel operations
 * share the tenant's rate limit instead of storming it.
 *
 * When Auth0 says the limit is reached (a 429, or `x-ratelimit-remaining: 0`), the gate closes
 * until the time Auth0 gives and then lets requests through one at a time, spaced by an estimate
 * of the refill interval. Each success shortens the spacing a little and each 429 lengthens it by half, so
 * the pace settles just under the tenant's real rate; once the spacing is negligible the gate
 * is fully open again.
 */
export class RateGate {
    private openAt = 0;
    private nextSlot = 0;
    private spacingMs = 0;

    constructor(
        private readonly now: () => number,
        private readonly sleep: (ms: number) => Promise<void>,
    ) {}

    /** Resolves when this request may be sent. Slots are handed out first come, first served. */
    async pass(): Promise<void> {
        const now = this.now();
        const slot = Math.max(now, this.openAt, this.nextSlot);
        if (this.spacingMs > 0) this.nextSlot = slot + this.spacingMs;
        if (slot > now) await this.sleep(slot - now);
    }

    /** A request succeeded while pacing: speed up slightly. */
    succeeded(): void {
        if (this.spacingMs === 0) return;
        this.spacingMs *= 0.95;
        if (this.spacingMs < 1) this.spacingMs = 0;
    }

    /**
     * The limit was reached: hold every request for `waitMs` (Auth0's reset time, or Retry-After),
     * then pace them. `burst` is the bucket size from `x-ratelimit-limit`. Returns false when the
     * gate was already closed at least that long.
     */
    limited(waitMs: number, burst: number, refused: boolean): boolean {
        const now = this.now();
        const refillEstimate = waitMs / Math.max(1, burst);
        // Requests refused together were sent together: only the first of them says "slower".
        const slowDown = refused && now >= this.openAt;
        if (this.spacingMs === 0) this.spacingMs = refillEstimate;
        else if (slowDown) this.spacingMs *= 1.5;
        const until = now + (refused ? waitMs : 0);
        if (until <= this.openAt) return false;
        this.openAt = until;
        return true;
    }
}
