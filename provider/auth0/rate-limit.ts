/**
 * Everything the client knows about the tenant's rate limit, in one place: reading Auth0's
 * `x-ratelimit-*` and `Retry-After` headers, the cap on every wait derived from them, and the
 * gate that lets every Management API request through, so parallel operations share the limit
 * instead of storming it. Auth0's reset is an absolute time: with this machine's clock behind Auth0's (or a
 * proxy rewriting it) it can lie minutes ahead, so no header ever holds anything longer than a
 * cap, and a capped value is said in the wait's log line.
 *
 * The gate only spaces requests: it never retries or decides anything else. Until Auth0 shows its
 * bucket it is wide open but for the first request (the probe, below). A 429 holds every request
 * until the (capped) time Auth0 gives; a success saying no requests remain holds none but starts
 * pacing. Pacing is a local copy of Auth0's token bucket (GCRA: `burst` requests at once, then
 * one per interval). The interval starts from Auth0's (capped) reset and adapts: each success
 * shortens it slightly, each new wave of 429s lengthens it by half. Once Auth0 has shown a limit
 * the gate keeps pacing.
 */
import type { Clock } from "./clock";
import { seconds } from "./retry";

/** Pacing started by a success or by the probe (no request was refused) never uses a reset further ahead than this. */
export const MAX_PACING_MS = 5_000;

/** Answers needed before the measured refill rate sets the pace. */
const MIN_SAMPLES = 10;
/** Answers older than this no longer count in the measurement. */
const SAMPLE_WINDOW_MS = 2_000;
/** The shortest stretch of answers a rate is measured over. */
const MIN_SAMPLE_SPAN_MS = 200;
/** Pace a little slower than measured: the tenant's own jitter should not earn a 429. */
const PACE_MARGIN = 1.02;

/** What the answer to a Management API request said about the rate limit, as far as it matters here. */
export interface RateAnswer {
    status: number;
    headers: Record<string, unknown>;
}

/** Auth0's answer to a refused (429) request: how long to wait, and why, when a header was capped. */
export interface Refusal {
    /** Milliseconds Auth0 asked to wait (capped); undefined when it said nothing usable. */
    waitMs?: number;
    /** Set when a header asked for more than the cap: what it said, for the wait's log line. */
    capped?: string;
}

/** Caps and seams of {@link RateLimit}. */
export interface RateLimitOptions {
    clock: Clock;
    /** Receives one line when pacing starts from a success or the probe. */
    log: (line: string) => void;
    /** Longest hold after a 429, whatever Auth0's headers say. */
    maxHoldMs: number;
    /** The hold after a 429 that gives no usable hint. */
    unhintedHoldMs: number;
}

/** A bucket as the headers report it: size, what is left, and the (capped) time until it is full. */
interface Bucket {
    limit: number;
    remaining: number;
    resetMs: number;
    capped?: string;
}

/**
 * One per client. Every Management API request is let through by it (a PATCH in the slot its GET
 * took for it) and reports its answer to it; `/oauth/token`, another API, does neither.
 */
export class RateLimit {
    private openAt = 0;
    /** Theoretical arrival time of the next request (GCRA). */
    private tat = 0;
    private intervalMs = 0;
    private burst = 1;
    private lastSlowDown = 0;
    /** Recent successful answers (when, and what the bucket had left), to measure how fast it refills. */
    private readonly samples: { at: number; remaining: number }[] = [];
    private readonly waiting: { slots: number; go: () => void }[] = [];
    private releasing = false;
    /**
     * Until the first Management API answer shows the tenant's bucket, one unit of work goes
     * alone (the probe) and the rest wait for its answer: a tenant with room lets them all go,
     * a small bucket starts pacing before a wave of 429s. Costs one round trip per process.
     */
    private probe: "none" | "out" | "done" = "none";
    /**
     * The bucket as the latest answer reported it, counted down by each request let through
     * since: work that arrives after the probe's answer (a tenant's writes after its list) starts
     * pacing once it would empty the bucket, instead of going out together into a wave of 429s.
     */
    private known?: { limit: number; remaining: number; resetAt: number };

    constructor(private readonly options: RateLimitOptions) {}

    /**
     * Resolves when `slots` requests may be sent back to back (a GET and the PATCH that must
     * follow it at once take two). Waiters are released one at a time, first come first served,
     * each at the time the current pace allows, so a pace that speeds up applies to them at once.
     */
    async pass(slots = 1): Promise<void> {
        const now = this.options.clock.now();
        if (this.probe === "none") {
            this.probe = "out";
            return;
        }
        if (this.probe === "done" && this.intervalMs === 0 && this.known) {
            this.known.remaining -= slots;
            if (this.known.remaining < 0) {
                const bucket = {
                    ...this.known,
                    resetMs: Math.min(MAX_PACING_MS, Math.max(0, this.known.resetAt - now)),
                };
                this.limited(bucket.resetMs, bucket.limit, false);
                // The bucket is empty: no burst is left to spend, the next request waits its interval.
                this.tat = Math.max(this.tat, now + bucket.limit * this.intervalMs);
                this.announce(`rate limit: the ${bucket.limit}-request bucket is spent`, bucket);
            }
        }
        if (this.probe === "done" && this.waiting.length === 0 && now >= this.releaseAt(slots)) {
            this.tat = Math.max(this.tat, now) + slots * this.intervalMs;
            return;
        }
        await new Promise<void>((go) => {
            this.waiting.push({ slots, go });
            this.scheduleRelease();
        });
    }

    /**
     * A request that passed the gate is over: `answer` is what came back (undefined when nothing
     * did). For a 429, returns how long Auth0 asked to wait.
     */
    observe(answer: RateAnswer | undefined): Refusal | undefined {
        const bucket = answer && this.bucketOf(answer.headers, MAX_PACING_MS);
        let refusal: Refusal | undefined;
        if (answer?.status === 429) {
            refusal = this.refusalOf(answer.headers);
            // A rate limit is the tenant's, not this request's: the gate paces every request after it.
            this.limited(refusal.waitMs ?? this.options.unhintedHoldMs, burstOf(answer.headers), true);
        } else if (answer !== undefined && answer.status < 300) {
            if (bucket) this.known = { ...bucket, resetAt: this.options.clock.now() + bucket.resetMs };
            this.succeeded(bucket?.remaining);
            if (bucket) this.measure(bucket.remaining);
            if (bucket?.remaining === 0 && this.limited(bucket.resetMs, bucket.limit, false)) {
                this.announce("rate limit reached (x-ratelimit-remaining: 0)", bucket);
            }
        }
        this.endProbe(bucket);
        return refusal;
    }

    // The first answer ends the probe: a bucket smaller than what is queued starts pacing now.
    private endProbe(bucket: Bucket | undefined): void {
        if (this.probe === "out") {
            this.probe = "done";
            const demand = this.waiting.reduce((sum, waiter) => sum + waiter.slots, 0);
            if (bucket && demand > bucket.remaining) {
                // The same estimate a 429 gives (a whole bucket per reset); a reset rounded up to a
                // second says little about how fast a nearly full bucket refills.
                this.limited(bucket.resetMs, bucket.limit, false);
                // Count the bucket as Auth0 reported it, less one request the probe may still send.
                const now = this.options.clock.now();
                this.tat = Math.max(this.tat, now + (bucket.limit - bucket.remaining + 1) * this.intervalMs);
                this.announce(
                    `rate limit: ${bucket.remaining} of ${bucket.limit} requests left, ${demand} queued`,
                    bucket,
                );
            }
        }
        this.scheduleRelease();
    }

    // While pacing and before the refill rate is measured, speed up slightly unless the bucket is
    // empty: then the pace already matches the tenant's rate, and speeding up would only earn a 429.
    private succeeded(remaining: number | undefined): void {
        if (this.intervalMs === 0 || this.samples.length >= MIN_SAMPLES) return;
        // Once Auth0 has shown a limit, keep pacing: dropping it would only storm the tenant again.
        const factor = remaining === 0 ? 1 : 0.95;
        this.intervalMs = Math.max(1, this.intervalMs * factor);
    }

    // Measures the refill rate from the answers themselves: between two answers the bucket gained
    // what it shows more, plus one token for each request answered in between. Auth0's reset is
    // rounded to a whole second, so it only starts the pace; once enough answers are in, the pace
    // is the measured rate, with a margin, and no longer drifts into 429s.
    private measure(remaining: number): void {
        if (this.intervalMs === 0) return;
        const now = this.options.clock.now();
        this.samples.push({ at: now, remaining });
        while (this.samples.length > 1 && now - this.samples[0].at > SAMPLE_WINDOW_MS) this.samples.shift();
        if (this.samples.length < MIN_SAMPLES) return;
        const first = this.samples[0];
        const elapsed = now - first.at;
        const refilled = remaining - first.remaining + (this.samples.length - 1);
        if (elapsed < MIN_SAMPLE_SPAN_MS || refilled <= 0) return;
        // Only a bucket kept near empty shows its refill rate; one with room shows this pace,
        // which then is slower than the tenant allows: go a little faster (1 % an answer).
        const saturated = this.samples.some((sample) => sample.remaining <= 1);
        this.intervalMs = saturated
            ? Math.max(1, (elapsed / refilled) * PACE_MARGIN)
            : Math.max(1, this.intervalMs * 0.99);
    }

    // Auth0 said the limit is reached and resets in `resetMs`; `burst` is its bucket size. A 429
    // (`refused`) holds every request until the reset. True when this started or slowed the pacing.
    private limited(resetMs: number, burst: number, refused: boolean): boolean {
        const now = this.options.clock.now();
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

    private announce(what: string, bucket: Bucket): void {
        const capped = bucket.capped ? ` (${bucket.capped})` : "";
        this.options.log(`auth0: ${what}; pacing requests at one every ${seconds(this.intervalMs)}${capped}`);
    }

    // Releases every waiter whose time has come, then sleeps until the next one's. After each
    // sleep one waiter goes regardless, so the queue drains even with a clock that does not move.
    private scheduleRelease(): void {
        if (this.releasing || this.probe === "out") return;
        const { clock } = this.options;
        while (this.waiting.length > 0 && clock.now() >= this.releaseAt(this.waiting[0].slots)) this.releaseOne();
        if (this.waiting.length === 0) return;
        this.releasing = true;
        void clock.sleep(this.releaseAt(this.waiting[0].slots) - clock.now()).then(() => {
            this.releasing = false;
            this.releaseOne();
            this.scheduleRelease();
        });
    }

    private releaseOne(): void {
        const next = this.waiting.shift();
        if (!next) return;
        this.tat = Math.max(this.tat, this.options.clock.now()) + next.slots * this.intervalMs;
        next.go();
    }

    // The earliest time `slots` requests may go: after any hold, and (GCRA) within the burst.
    // A bucket smaller than `slots` is treated as holding them, one interval apart at most.
    private releaseAt(slots: number): number {
        const tolerance = Math.max(0, this.burst - slots) * this.intervalMs;
        return Math.max(this.openAt, this.intervalMs > 0 ? this.tat - tolerance : 0);
    }

    // The bucket the headers report, its reset capped at `capMs`; undefined when they say nothing usable.
    private bucketOf(headers: Record<string, unknown>, capMs: number): Bucket | undefined {
        const limit = Number(header(headers, "x-ratelimit-limit"));
        const remaining = Number(header(headers, "x-ratelimit-remaining"));
        const reset = this.waitOf(headers, "x-ratelimit-reset", capMs);
        if (!(Number.isFinite(limit) && limit > 0 && Number.isFinite(remaining) && reset)) return undefined;
        return { limit, remaining, resetMs: reset.ms, capped: reset.capped };
    }

    // How long a 429 asks to wait: Retry-After (seconds or an HTTP date), else x-ratelimit-reset.
    // A hint of "now" (a reset already past) is no hint: the caller backs off instead of spinning.
    private refusalOf(headers: Record<string, unknown>): Refusal {
        const { maxHoldMs } = this.options;
        const wait =
            this.waitOf(headers, "retry-after", maxHoldMs) ?? this.waitOf(headers, "x-ratelimit-reset", maxHoldMs);
        if (!wait || wait.ms === 0) return {};
        return wait.capped ? { waitMs: wait.ms, capped: wait.capped } : { waitMs: wait.ms };
    }

    // The wait one header asks for, at most `capMs`, saying so when it asked for more.
    private waitOf(
        headers: Record<string, unknown>,
        name: string,
        capMs: number,
    ): { ms: number; capped?: string } | undefined {
        const raw = header(headers, name);
        if (raw === undefined) return undefined;
        const now = this.options.clock.now();
        const asNumber = Number(raw);
        let at: number;
        if (name === "retry-after") at = Number.isFinite(asNumber) ? now + asNumber * 1000 : Date.parse(raw);
        else at = Number.isFinite(asNumber) && asNumber > 0 ? asNumber * 1000 : Number.NaN;
        if (!Number.isFinite(at)) return undefined;
        const ms = Math.max(0, at - now);
        if (ms <= capMs) return { ms };
        const skew = name === "x-ratelimit-reset" ? ": is this machine's clock behind Auth0's?" : "";
        return { ms: capMs, capped: `${name} is ${seconds(ms)} ahead; counting ${seconds(capMs)} at most${skew}` };
    }
}

// The bucket size Auth0 reports; 1 when absent, which paces most cautiously.
function burstOf(headers: Record<string, unknown>): number {
    const limit = Number(header(headers, "x-ratelimit-limit"));
    return Number.isFinite(limit) && limit > 0 ? limit : 1;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
    const value = headers[name];
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
