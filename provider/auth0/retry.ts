/**
 * The retry policy, in one place, for every caller that retries: the writer's read–modify–write,
 * the token fetch, reads and the command line's paging. The client makes one attempt per call and
 * says what it came to; this loop decides whether and when to try again. A 429 waits as long as
 * Auth0 asked (capped, rate-limit.ts); everything else retryable, and a 429 without a usable hint,
 * backs off exponentially. Every wait has jitter and is logged as one line. Attempts are bounded,
 * and so is the whole operation: each attempt gets the deadline, so no request outlives it.
 */
import type { Clock } from "./clock";
import { StatedError } from "./errors";

/** Bounds on retrying. */
export interface RetryPolicy {
    /** Attempts in all that end in a failure other than a 429 (429s are bounded by time only). */
    maxAttempts: number;
    /** The whole operation, every attempt and wait included, ends within this. */
    maxTotalMs: number;
    /** First exponential backoff step. */
    baseDelayMs: number;
    /** Longest single wait, Auth0's own hints included. */
    maxDelayMs: number;
}

/** Defaults: 8 failed attempts within 2 minutes, backoff from 250 ms up to 30 s. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, maxTotalMs: 120_000, baseDelayMs: 250, maxDelayMs: 30_000 };

/**
 * The outcome of one attempt.
 * - `ok`: done.
 * - `retry`: worth another attempt. `hintMs` is the server's own wait (429); without it the
 *   loop backs off. `mayHaveApplied` marks a write whose outcome is unknown (timeout, lost
 *   answer, 5xx); `error` is what the caller sees when retries run out.
 * - `fatal`: retrying cannot help (bad credentials, missing scope, DNS, TLS, a 4xx).
 * - `expired`: the operation's deadline came before the request could be sent.
 */
export type Attempt<T> =
    | { kind: "ok"; value: T }
    | { kind: "retry"; reason: string; error: Error; hintMs?: number; rateLimited?: boolean; mayHaveApplied?: boolean }
    | { kind: "fatal"; error: Error }
    | { kind: "expired"; error: Error };

/** A policy with the seams it runs on: time, randomness and where wait lines go. */
export interface RetryEnvironment {
    policy: RetryPolicy;
    clock: Clock;
    random: () => number;
    log: (line: string) => void;
}

/** Runs units of work under one policy. */
export class Retrier implements RetryEnvironment {
    readonly policy: RetryPolicy;
    readonly clock: Clock;
    readonly random: () => number;
    readonly log: (line: string) => void;

    constructor(env: RetryEnvironment) {
        this.policy = env.policy;
        this.clock = env.clock;
        this.random = env.random;
        this.log = env.log;
    }

    /**
     * Runs `attempt` until it succeeds, fails for good, or the policy's bounds are reached; then
     * throws the last failure's error, saying how many attempts were made. Every attempt gets the
     * operation's deadline (epoch ms), by which it must be over: `maxTotalMs` from now, or
     * `within`, the deadline of the operation this work is part of (a token fetched mid-operation).
     */
    async run<T>(attempt: (deadline: number) => Promise<Attempt<T>>, within?: number): Promise<T> {
        const started = this.clock.now();
        const deadline = Math.min(within ?? Number.POSITIVE_INFINITY, started + this.policy.maxTotalMs);
        let failures = 0;
        let refusals = 0;
        let last: Error | undefined;
        for (let tries = 1; ; tries++) {
            const outcome = await attempt(deadline);
            if (outcome.kind === "ok") return outcome.value;
            if (outcome.kind === "fatal") throw outcome.error;
            if (outcome.kind === "expired") {
                // The attempt that found no time left sent nothing: the one before says what went wrong.
                throw counted(last ?? outcome.error, tries - 1, this.clock.now() - started);
            }
            last = outcome.error;
            if (outcome.rateLimited) refusals++;
            else failures++;
            const count = outcome.rateLimited ? refusals : failures;
            const delay = retryDelayMs(outcome, count, this, deadline - this.clock.now());
            if (delay === undefined) throw counted(outcome.error, tries, this.clock.now() - started);
            const next = outcome.rateLimited
                ? `attempt ${tries + 1}`
                : `attempt ${failures + 1} of ${this.policy.maxAttempts}`;
            this.log(`auth0: ${outcome.reason}; retrying in ${seconds(delay)} (${next})`);
            await this.clock.sleep(delay);
        }
    }
}

/**
 * Milliseconds to wait before the next attempt, or undefined when there is none: out of
 * attempts (429s excepted) or the wait would end past the deadline, `leftMs` from now. `count`
 * is how many failures of this kind (429, or anything else) came in a row so far, this one included.
 */
export function retryDelayMs(
    outcome: { hintMs?: number; rateLimited?: boolean },
    count: number,
    env: Pick<RetryEnvironment, "policy" | "random">,
    leftMs: number,
): number | undefined {
    const { policy } = env;
    if (!outcome.rateLimited && count >= policy.maxAttempts) return undefined;
    const backoff = policy.baseDelayMs * 2 ** (count - 1) * (0.9 + 0.2 * env.random());
    // A small jitter on top of the server's hint spreads out clients waiting for the same reset.
    const wait = outcome.hintMs !== undefined ? outcome.hintMs + env.random() * 100 : backoff;
    const delay = Math.round(Math.min(policy.maxDelayMs, wait));
    return delay >= leftMs ? undefined : delay;
}

/** `1.5 s`: how waits are shown in log lines. */
export function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}

// The attempt count belongs to what happened, before what the error says was written.
function counted(error: Error, attempts: number, elapsedMs: number): Error {
    const count = ` (${attempts} attempt${attempts === 1 ? "" : "s"} in ${seconds(elapsedMs)})`;
    if (error instanceof StatedError) error.amend(count);
    else error.message += count;
    return error;
}
