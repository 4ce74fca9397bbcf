/** The bucket's state after a request, as the `x-ratelimit-*` headers report it. */
export interface RateLimitStatus {
    /** Whether the request got a token. */
    allowed: boolean;
    /** Bucket size (`x-ratelimit-limit`). */
    limit: number;
    /** Whole tokens left (`x-ratelimit-remaining`). */
    remaining: number;
    /** Epoch seconds at which the bucket is full again (`x-ratelimit-reset`). */
    reset: number;
}

/** Auth0-style token bucket: holds up to `burst` tokens, refilled continuously at `perSecond`. */
export class TokenBucket {
    private tokens: number;
    private last: number;

    /**
     * @param burst bucket size, ≥ 1
     * @param perSecond refill rate, > 0
     * @param now clock in milliseconds (injectable for tests)
     */
    constructor(
        private readonly burst: number,
        private readonly perSecond: number,
        private readonly now: () => number = Date.now,
    ) {
        if (!(burst >= 1) || !(perSecond > 0)) {
            throw new RangeError(`rateLimit needs burst >= 1 and perSecond > 0, got ${burst} and ${perSecond}`);
        }
        this.tokens = burst;
        this.last = now();
    }

    /** Draws one token if there is one. */
    take(): RateLimitStatus {
        this.refill();
        const allowed = this.tokens >= 1;
        if (allowed) this.tokens -= 1;
        return this.status(allowed);
    }

    /** Reports the bucket without drawing from it. */
    peek(): RateLimitStatus {
        this.refill();
        return this.status(true);
    }

    private refill(): void {
        const now = this.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
        this.last = now;
    }

    private status(allowed: boolean): RateLimitStatus {
        const msUntilFull = ((this.burst - this.tokens) / this.perSecond) * 1000;
        return {
            allowed,
            limit: this.burst,
            remaining: Math.floor(this.tokens),
            reset: Math.ceil((this.last + msUntilFull) / 1000),
        };
    }
}

/** Headers reporting a bucket status. */
export function rateLimitHeaders(status: RateLimitStatus): Record<string, string> {
    return {
        "x-ratelimit-limit": String(status.limit),
        "x-ratelimit-remaining": String(status.remaining),
        "x-ratelimit-reset": String(status.reset),
    };
}
