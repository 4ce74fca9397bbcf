/**
 * The emulator's rate limit: Auth0's token bucket, and the headers that report it. Auth0 documents
 * `x-ratelimit-reset` only as "the time until the limit resets, in UTC epoch seconds"; a tenant, a
 * proxy or a future Auth0 may mean the next allowed request or a full bucket, send only
 * `Retry-After`, or nothing at all, and a client's clock may be off. Each {@link RateHeaders}
 * reading, with an offset, lets a client be tested against every one of them.
 */
import type { RateHeaders, RateLimitOptions } from "./types";

/** Every reading, in the order benchmarks print them. */
export const RATE_HEADERS: readonly RateHeaders[] = ["reset-full", "reset-next", "retry-after", "none"];

/** The bucket's state after a request. */
export interface RateLimitStatus {
    /** Whether the request got a token. */
    allowed: boolean;
    /** Bucket size (`x-ratelimit-limit`). */
    limit: number;
    /** Whole tokens left (`x-ratelimit-remaining`). */
    remaining: number;
    /** Epoch seconds at which the bucket is full again. */
    fullAt: number;
    /** Epoch milliseconds at which the next request will be allowed (now, while a token is left). */
    nextAt: number;
    /** Epoch milliseconds of this status. */
    at: number;
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
        const msUntil = (tokens: number) => (Math.max(0, tokens - this.tokens) / this.perSecond) * 1000;
        return {
            allowed,
            limit: this.burst,
            remaining: Math.floor(this.tokens),
            fullAt: Math.ceil((this.last + msUntil(this.burst)) / 1000),
            nextAt: this.last + msUntil(1),
            at: this.last,
        };
    }
}

/** The rate headers of an answer, as `options` reads them; `allowed: false` is a 429. */
export function rateLimitHeaders(
    status: RateLimitStatus,
    options: Pick<RateLimitOptions, "headers" | "resetOffsetSeconds"> = {},
): Record<string, string> {
    const reading = options.headers ?? "reset-full";
    if (reading === "none") return {};
    if (reading === "retry-after") {
        const seconds = Math.max(1, Math.ceil((status.nextAt - status.at) / 1000));
        return status.allowed ? {} : { "retry-after": String(seconds) };
    }
    const reset = reading === "reset-full" ? status.fullAt : Math.ceil(status.nextAt / 1000);
    return {
        "x-ratelimit-limit": String(status.limit),
        "x-ratelimit-remaining": String(status.remaining),
        "x-ratelimit-reset": String(reset + (options.resetOffsetSeconds ?? 0)),
    };
}
