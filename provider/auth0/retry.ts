/**
 * When to retry a Management API request and how long to wait, following Auth0's SDKs: 429
 * waits for Retry-After, else until x-ratelimit-reset; 408, 5xx and network errors back off
 * exponentially. Every wait has jitter, attempts and total time are bounded.
 */

/** Bounds on retrying. */
export interface RetryPolicy {
    /** Attempts in all, the first included. */
    maxAttempts: number;
    /** No wait may end later than this after the first attempt started. */
    maxTotalMs: number;
    /** First exponential backoff step. */
    baseDelayMs: number;
    /** Longest single wait. */
    maxDelayMs: number;
}

/** Defaults: 8 attempts within 2 minutes, backoff from 250 ms up to 30 s. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, maxTotalMs: 120_000, baseDelayMs: 250, maxDelayMs: 30_000 };

/** What came back from one attempt: an HTTP status with headers, or no answer at all. */
export type AttemptResult = { status: number; headers: Record<string, unknown> } | { status: undefined };

/** True for answers worth another attempt: 408, 429, 5xx and network failures. */
function isRetryable(result: AttemptResult): boolean {
    const { status } = result;
    return status === undefined || status === 408 || status === 429 || status >= 500;
}

/**
 * Milliseconds to wait before attempt `attempt + 1` (attempts count from 1), or undefined when
 * the request should not be retried (not retryable, out of attempts, or past the time bound).
 */
export function retryDelayMs(
    result: AttemptResult,
    attempt: number,
    elapsedMs: number,
    policy: RetryPolicy,
    now: number,
    random: () => number,
): number | undefined {
    if (!isRetryable(result) || attempt >= policy.maxAttempts) return undefined;
    const hinted = result.status === 429 ? rateLimitDelayMs(result.headers, now) : undefined;
    const backoff = policy.baseDelayMs * 2 ** (attempt - 1) * (0.9 + 0.2 * random());
    // A small jitter on top of the server's hint spreads out clients waiting for the same reset.
    const delay = Math.min(policy.maxDelayMs, hinted !== undefined ? hinted + random() * 100 : backoff);
    return elapsedMs + delay > policy.maxTotalMs ? undefined : Math.round(delay);
}

/**
 * How long to hold requests after a successful answer that says the rate-limit bucket is
 * empty (`x-ratelimit-remaining: 0`), or undefined when requests may go on.
 */
export function emptyBucketDelayMs(headers: Record<string, unknown>, now: number): number | undefined {
    if (header(headers, "x-ratelimit-remaining") !== "0") return undefined;
    return rateLimitDelayMs(headers, now);
}

// Retry-After (seconds or an HTTP date), else x-ratelimit-reset (epoch seconds).
function rateLimitDelayMs(headers: Record<string, unknown>, now: number): number | undefined {
    const retryAfter = header(headers, "retry-after");
    if (retryAfter !== undefined) {
        const seconds = Number(retryAfter);
        const at = Number.isFinite(seconds) ? now + seconds * 1000 : Date.parse(retryAfter);
        if (Number.isFinite(at)) return Math.max(0, at - now);
    }
    const reset = Number(header(headers, "x-ratelimit-reset"));
    return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
    const value = headers[name];
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
