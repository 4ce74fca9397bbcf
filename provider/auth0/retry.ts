/**
 * What one attempt came to, and the loop that retries a unit of work. The unit is whatever the
 * caller passes: one GET for a read, the whole GET → change → PATCH for a write, so a retry
 * after any wait starts from a fresh read. Waits follow Auth0's SDKs: 429 waits for Retry-After,
 * else until x-ratelimit-reset; everything else retryable (and a 429 without hints) backs off
 * exponentially. Every wait has jitter and is logged as one line; attempts and total time are
 * bounded.
 */

/** Bounds on retrying. */
export interface RetryPolicy {
    /** Attempts in all that end in a failure other than a 429 (429s are bounded by time only). */
    maxAttempts: number;
    /** No wait may end later than this after the first attempt started. */
    maxTotalMs: number;
    /** First exponential backoff step. */
    baseDelayMs: number;
    /** Longest single wait. */
    maxDelayMs: number;
}

/** Defaults: 8 failed attempts within 2 minutes, backoff from 250 ms up to 30 s. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, maxTotalMs: 120_000, baseDelayMs: 250, maxDelayMs: 30_000 };

/** Proactive pacing (after a success that says the bucket is empty) never holds longer than this. */
export const MAX_PACING_MS = 5_000;

/**
 * The outcome of one attempt.
 * - `ok`: done.
 * - `retry`: worth another attempt. `hintMs` is the server's own wait (429); without it the
 *   loop backs off. `mayHaveApplied` marks a write whose outcome is unknown (timeout, lost
 *   answer, 5xx); `error` is what the caller sees when retries run out.
 * - `fatal`: retrying cannot help (bad credentials, missing scope, DNS, TLS, a 4xx).
 */
export type Attempt<T> =
    | { kind: "ok"; value: T }
    | { kind: "retry"; reason: string; error: Error; hintMs?: number; rateLimited?: boolean; mayHaveApplied?: boolean }
    | { kind: "fatal"; error: Error };

/** Seams of the loop: time, randomness and where wait lines go. */
export interface RetryEnvironment {
    policy: RetryPolicy;
    sleep: (ms: number) => Promise<void>;
    now: () => number;
    random: () => number;
    log: (line: string) => void;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the policy's bounds are reached; then
 * throws the last error, which says how many attempts were made.
 */
export async function retrying<T>(attempt: () => Promise<Attempt<T>>, env: RetryEnvironment): Promise<T> {
    const started = env.now();
    let failures = 0;
    let refusals = 0;
    for (let tries = 1; ; tries++) {
        const outcome = await attempt();
        if (outcome.kind === "ok") return outcome.value;
        if (outcome.kind === "fatal") throw outcome.error;
        if (outcome.rateLimited) refusals++;
        else failures++;
        const delay = retryDelayMs(outcome, outcome.rateLimited ? refusals : failures, env, env.now() - started);
        if (delay === undefined) {
            outcome.error.message += ` (${tries} attempt${tries === 1 ? "" : "s"} in ${seconds(env.now() - started)})`;
            throw outcome.error;
        }
        const next = outcome.rateLimited
            ? `attempt ${tries + 1}`
            : `attempt ${failures + 1} of ${env.policy.maxAttempts}`;
        env.log(`auth0: ${outcome.reason}; retrying in ${seconds(delay)} (${next})`);
        await env.sleep(delay);
    }
}

/**
 * Milliseconds to wait before the next attempt, or undefined when there is none: out of
 * attempts (429s excepted) or past the time bound. `count` is how many failures of this kind
 * (429, or anything else) came in a row so far, counting this one.
 */
export function retryDelayMs(
    outcome: { hintMs?: number; rateLimited?: boolean },
    count: number,
    env: Pick<RetryEnvironment, "policy" | "random">,
    elapsedMs: number,
): number | undefined {
    const { policy, random } = env;
    if (!outcome.rateLimited && count >= policy.maxAttempts) return undefined;
    const backoff = policy.baseDelayMs * 2 ** (count - 1) * (0.9 + 0.2 * random());
    // A small jitter on top of the server's hint spreads out clients waiting for the same reset.
    const wait = outcome.hintMs !== undefined ? outcome.hintMs + random() * 100 : backoff;
    const delay = Math.min(policy.maxDelayMs, wait);
    return elapsedMs + delay > policy.maxTotalMs ? undefined : Math.round(delay);
}

/**
 * How long Auth0 asks us to wait: Retry-After (seconds or an HTTP date), else
 * x-ratelimit-reset (epoch seconds); undefined when it says nothing usable.
 */
export function rateLimitDelayMs(headers: Record<string, unknown>, now: number): number | undefined {
    const retryAfter = header(headers, "retry-after");
    if (retryAfter !== undefined) {
        const secs = Number(retryAfter);
        const at = Number.isFinite(secs) ? now + secs * 1000 : Date.parse(retryAfter);
        if (Number.isFinite(at)) return Math.max(0, at - now);
    }
    const reset = Number(header(headers, "x-ratelimit-reset"));
    return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined;
}

/**
 * How long to pace requests after a successful answer that says the bucket is empty
 * (`x-ratelimit-remaining: 0`), or undefined when requests may go on. Capped: a reset far
 * ahead (clock skew, a proxy's header) must not stall a deployment; real 429s still say how
 * long to wait.
 */
export function emptyBucketDelayMs(headers: Record<string, unknown>, now: number): number | undefined {
    if (header(headers, "x-ratelimit-remaining") !== "0") return undefined;
    const delay = rateLimitDelayMs(headers, now);
    return delay === undefined ? undefined : Math.min(delay, MAX_PACING_MS);
}

/** `1.5 s`: how waits are shown in log lines. */
export function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
    const value = headers[name];
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
