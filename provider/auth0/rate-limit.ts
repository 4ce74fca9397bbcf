/**
 * The tenant's rate limit, in one model. Auth0 meters a tenant with a token bucket: it holds up
 * to `limit` requests, refills at some rate, and refuses a request (429) when it is empty. What its
 * headers mean is not settled — `x-ratelimit-reset` may be the next allowed request or a full
 * bucket, a tenant or proxy may send only `Retry-After` or nothing, and a client's clock may be
 * hours off — so the model rests only on what every reading shares:
 *
 * - `x-ratelimit-limit`: the bucket's size; without it, what went through before the first 429;
 * - `x-ratelimit-remaining`: whole tokens left after this request drew one; a 429: less than one;
 * - and our own answers: each success drew one token, in the order the answers come back.
 *
 * From them it estimates two things.
 * 1. The **level**, tokens in the bucket now: set from each answer (`remaining`, never a
 *    fraction more: the estimate errs low), less the requests still in flight, plus the refill
 *    since at the pace below, never above `limit`.
 * 2. The **refill rate**, bounded from both sides by counting. Between two answers the bucket
 *    gained (level now − level then) + (successes in between), give or take the one token
 *    `remaining` rounds away; over the time between them that bounds the rate, and the bounds
 *    close in as the window grows. A full bucket wastes refill, so an upper bound needs a window
 *    in which the bucket cannot have been full: with `remaining` an answer at the brim
 *    (`remaining` = limit − 1) shows it and starts a new window; without, an upper estimate of the
 *    level (refilled at the fastest rate allowed) must not have reached the bucket's size.
 *
 * A unit of work goes when the level holds its slots (a GET and the PATCH that must follow it
 * take two). Between answers the level grows at the **pace**, taken from the bounds:
 * - before any lower bound, the prior: a bucket per {@link PRIOR_REFILL_MS} (at most half an
 *   upper bound);
 * - bounds within {@link PRECISION} of each other: the lower one, which earns no 429;
 * - a bucket no larger than a {@link PAIR}: the prior while no answer rules it out (then the rules
 *   below) — a faster refill would show only as a refused PATCH, whose GET's token is lost;
 * - with `remaining`: the prior while no answer rules it out, or a step of {@link PRECISION} above
 *   the lower bound if that is faster — a bucket paced too slowly shows more left, which raises
 *   the lower bound by itself, and a lower bound that already is the tenant's rate costs one 429;
 * - without: {@link EXPLORE_FACTOR} times the lower bound while no useful upper bound exists, then
 *   the geometric middle of the bounds: only 429s speak.
 * Every answer corrects the level, so a pace somewhat off costs little.
 *
 * `Retry-After` and `x-ratelimit-reset` serve one purpose: how long a refused request waits
 * (never more than a cap). `Retry-After` is relative and explicit, and is honoured; the reset is an
 * absolute time that may mean a full bucket and that a skewed clock moves by hours, so the wait
 * it asks for is cut to when the model expects a token. Before the first answer at most
 * {@link FIRST_CONTACT_IN_FLIGHT} requests go at once; while answers show no bucket, at most
 * {@link BLIND_IN_FLIGHT}, until a 429 after some successes shows its size.
 */
import type { Clock } from "./clock";
import { seconds } from "./retry";

/** The longest the gate holds work after it arrived or after the last release, whatever the estimate. */
export const MAX_PACING_MS = 5_000;

/**
 * Before any answer bounds the refill rate from below, a bucket is taken to refill whole in this
 * time: Auth0's free tier does (2 requests, 2 a second), and faster tenants show it within a few
 * answers.
 */
const PRIOR_REFILL_MS = 1_000;

/**
 * Without `remaining`, while no answer bounds the refill rate usefully from above (not within this
 * factor squared of the lower bound), the pace is this many times the lower bound, and before any
 * lower bound at most the upper one divided by it: a refusal or two finds the limit where creeping
 * up on it would take seconds.
 */
const EXPLORE_FACTOR = 2;

/**
 * Bounds on the refill rate this close (upper ÷ lower) are close enough: the pace is the lower one,
 * which earns no 429 and is at most 5 % slow. Wider bounds are explored one such step at a time.
 */
const PRECISION = 1.05;

/** The first hold at least this long is said in one line; shorter ones follow a stray 429 on a tenant far from its limit. */
const NOTICEABLE_HOLD_MS = 100;

/** The most requests one unit of work sends back to back: a GET and the PATCH that must follow it. */
const PAIR = 2;

/**
 * Requests in flight at once before the first answer: what a first `up` of up to 32 connections
 * sends at once (no round trip spent waiting to learn the bucket), and the most 429s the first
 * wave can earn on the smallest bucket. Larger stacks wait one round trip for the first answer.
 */
const FIRST_CONTACT_IN_FLIGHT = 64;

/**
 * Requests in flight at once while answers come without a bucket size and no 429 has shown it: the
 * most 429s a first refusal costs, and enough to keep a fast tenant busy (8 in flight at 100 ms a
 * round trip is 80 requests a second).
 */
const BLIND_IN_FLIGHT = 8;

/** What the answer to a Management API request said about the rate limit, as far as it matters here. */
export interface RateAnswer {
    status: number;
    headers: Record<string, unknown>;
}

/** Auth0's answer to a refused (429) request: how long to wait, and why, when a header was capped. */
export interface Refusal {
    /** Milliseconds to wait before trying again; undefined when no header says (the caller backs off). */
    waitMs?: number;
    /** Set when a header asked for more than the cap: what it said, for the wait's log line. */
    capped?: string;
}

/** Caps and seams of {@link RateLimit}. */
export interface RateLimitOptions {
    clock: Clock;
    /** Receives one line when the gate first holds work. */
    log: (line: string) => void;
    /** Longest wait a refused request is told, whatever Auth0's headers say. */
    maxHoldMs: number;
}

/** A request let through the gate. */
export interface Ticket {
    /** A GET whose PATCH has a slot kept for it. */
    keepsPatchSlot: boolean;
}

/** What one answer shows of the bucket, right after its request drew (or, refused, did not draw) a token. */
interface Sighting {
    at: number;
    /** Answers that drew a token so far, this one included: the bucket's own order of draws. */
    drawn: number;
    /** The level lies in [low, high]. */
    low: number;
    high: number;
    /** A success showing `remaining`, a 429, or a success that shows nothing more than that it drew. */
    kind: "remaining" | "refused" | "drew";
    /** `remaining` = limit − 1: it may follow a full bucket that wasted refill, so it bounds the rate from below only. */
    atBrim: boolean;
}

/**
 * One per client. Every Management API request passes it (a PATCH in the slot its GET kept for
 * it) and reports its answer to it; `/oauth/token`, another API, does neither.
 */
export class RateLimit {
    /** Bucket size: from `x-ratelimit-limit`, or learned at the first 429. */
    private limit?: number;
    /** Answers have come that show no bucket size, and no 429 has shown it either. */
    private blind = false;
    /** Successes so far: before the first 429 without headers, they are the bucket's size. */
    private drawn = 0;
    /** Successes show `remaining`: a full bucket then always shows as a sighting at the brim. */
    private showsRemaining = false;

    /** Estimated whole tokens at `levelAt`, after every request let through so far. */
    private level = 0;
    private levelAt = 0;
    /** Refill rate bounds, tokens per millisecond. */
    private slowest = 0;
    private fastest = Number.POSITIVE_INFINITY;
    /** The sighting the counting window starts at. */
    private window?: Sighting;
    /**
     * An upper estimate of the level since the window's start (refilled at the fastest rate the
     * answers allow, less each success), and whether it reached the bucket's size: only then can a
     * full bucket have wasted refill in the window.
     */
    private ceiling = { level: Number.POSITIVE_INFINITY, at: 0, reachedFull: true };

    /** Requests let through and not answered yet. */
    private inFlight = 0;
    /** PATCH slots kept by their GET and not used yet; GETs answered whose PATCH may follow now. */
    private keptSlots = 0;
    private readonly patchMayFollow: Ticket[] = [];

    private readonly waiting: { slots: number; since: number; go: (ticket: Ticket) => void }[] = [];
    private lastRelease = 0;
    private wakeAt = Number.POSITIVE_INFINITY;
    private announced = false;

    constructor(private readonly options: RateLimitOptions) {}

    /**
     * Resolves when `slots` requests may be sent back to back, first come first served. A GET
     * with the PATCH that must follow it at once takes two; the PATCH then passes with 0, at once.
     */
    async pass(slots = 1): Promise<Ticket> {
        if (slots === 0) return this.sendPatch();
        const since = this.now();
        if (this.waiting.length === 0 && this.mayGo(slots, since)) return this.letThrough(slots);
        return new Promise<Ticket>((go) => {
            this.waiting.push({ slots, since, go });
            this.release();
        });
    }

    /**
     * A request that passed the gate is over: `answer` is what came back (undefined when nothing
     * did). For a 429, returns how long to wait before trying again.
     */
    observe(ticket: Ticket, answer: RateAnswer | undefined): Refusal | undefined {
        this.inFlight--;
        const ok = answer !== undefined && answer.status < 300;
        if (ticket.keepsPatchSlot) this.settleKeptSlot(ticket, ok);
        let refusal: Refusal | undefined;
        if (answer?.status === 429) {
            this.learnLimit();
            this.sight({ low: 0, high: 1, kind: "refused", atBrim: false });
            refusal = this.refusalOf(answer.headers);
        } else if (ok) {
            this.drawn++;
            this.sightSuccess(answer.headers);
        }
        // Nothing came back, or an error: whether it drew a token is unknown, and it is counted as not.
        this.release();
        return refusal;
    }

    // ─── What the answers show ──────────────────────────────────────────────────────────────

    // With `remaining`, the level lies in [remaining, remaining + 1], and is exactly limit − 1 at
    // the brim; without, a token was there, no more is known.
    private sightSuccess(headers: Record<string, unknown>): void {
        const limit = Number(header(headers, "x-ratelimit-limit"));
        const remaining = Number(header(headers, "x-ratelimit-remaining"));
        this.showsRemaining = limit > 0 && remaining >= 0;
        if (!this.showsRemaining) {
            if (this.limit === undefined) this.blind = true;
            const high = (this.limit ?? Number.POSITIVE_INFINITY) - 1;
            this.sight({ low: 0, high, kind: "drew", atBrim: false });
            return;
        }
        if (this.limit === undefined) this.level = limit;
        this.limit = limit;
        this.blind = false;
        const atBrim = remaining >= limit - 1;
        const low = Math.min(remaining, limit - 1);
        this.sight({ low, high: atBrim ? low : remaining + 1, kind: "remaining", atBrim });
    }

    // Without a size in the headers, the bucket is what went through before the first refusal (a
    // refusal before any success shows nothing of it).
    private learnLimit(): void {
        if (this.limit !== undefined || this.drawn === 0) return;
        this.limit = this.drawn;
        this.blind = false;
    }

    // Sets the level from what an answer shows, and counts the refill since the window's start.
    private sight(seen: Pick<Sighting, "low" | "high" | "kind" | "atBrim">): void {
        if (this.limit === undefined) return;
        const now = this.now();
        // Requests still in flight, and the PATCHes that will follow their GETs, draw after this answer.
        const after = this.inFlight + this.keptSlots;
        const level = seen.kind === "drew" ? clamp(this.levelNow(now) + after, seen.low, seen.high) : seen.low;
        this.level = level - after;
        this.levelAt = now;
        this.raiseCeiling(now, seen);
        this.count({ ...seen, at: now, drawn: this.drawn });
    }

    // The level's upper estimate: refilled at the fastest rate allowed, capped at the bucket's size
    // (noting that it got there), less this answer's draw, and no higher than the answer shows.
    private raiseCeiling(now: number, seen: Pick<Sighting, "high" | "kind">): void {
        const { ceiling } = this;
        const limit = this.limit ?? Number.POSITIVE_INFINITY;
        const grown = now > ceiling.at ? ceiling.level + this.fastest * (now - ceiling.at) : ceiling.level;
        if (!(grown < limit)) ceiling.reachedFull = true;
        const drew = seen.kind === "refused" ? 0 : 1;
        this.ceiling = { ...ceiling, level: Math.min(limit - drew, grown - drew, seen.high), at: now };
    }

    // Each sighting after the window's start bounds the rate from below, and, when no full bucket
    // can have wasted refill in between, from above. A 429 or a sighting at the brim starts a new
    // window: each pins the level (below one token, or exactly).
    private count(sighting: Sighting): void {
        const start = this.window;
        if (start === undefined || sighting.at <= start.at) {
            if (start === undefined && sighting.kind !== "drew") this.startWindow(sighting);
            return;
        }
        const span = sighting.at - start.at;
        const gained = sighting.drawn - start.drawn;
        const slowest = (sighting.low + gained - start.high) / span;
        const fastest = this.neverFull(sighting, gained)
            ? (sighting.high + gained - start.low) / span
            : Number.POSITIVE_INFINITY;
        if (fastest <= 0 || slowest > this.fastest || fastest < this.slowest) {
            // The answers contradict the bounds (another client draws from the bucket, the limit
            // changed, or a 429 came from another limit): what this window shows of the rate from
            // below is all that counts.
            this.slowest = Math.max(0, slowest);
            this.fastest = Number.POSITIVE_INFINITY;
        } else {
            this.slowest = Math.max(this.slowest, slowest);
            this.fastest = Math.min(this.fastest, fastest);
        }
        if (sighting.kind === "refused" || sighting.atBrim) this.startWindow(sighting);
    }

    private startWindow(sighting: Sighting): void {
        this.window = sighting;
        this.ceiling = { level: sighting.high, at: sighting.at, reachedFull: false };
    }

    // Whether the bucket cannot have been full since the window's start. With `remaining`, a full
    // bucket shows as a sighting at the brim, which starts a new window; without, a bucket full at
    // some moment needs more than limit − 1 draws after it to be below one token again, and the
    // level's upper estimate must have reached the bucket's size.
    private neverFull(sighting: Sighting, gained: number): boolean {
        if (sighting.kind === "drew" || sighting.atBrim) return false;
        return this.showsRemaining || gained < (this.limit ?? 0) || !this.ceiling.reachedFull;
    }

    /** Tokens per millisecond the level is taken to grow at between answers: the rules, in order, at the top. */
    private pace(): number {
        const { slowest, fastest } = this;
        const prior = (this.limit ?? 1) / PRIOR_REFILL_MS;
        const priorStands = prior < fastest;
        if (slowest <= 0) return Math.min(prior, fastest / EXPLORE_FACTOR);
        if (fastest <= slowest * PRECISION) return slowest;
        if ((this.limit ?? 0) <= PAIR && priorStands) return Math.max(slowest, prior);
        if (this.showsRemaining) return Math.max(slowest * PRECISION, priorStands ? prior : 0);
        if (fastest >= slowest * EXPLORE_FACTOR * EXPLORE_FACTOR) return slowest * EXPLORE_FACTOR;
        return Math.sqrt(slowest * fastest);
    }

    private levelNow(now: number): number {
        if (this.limit === undefined) return Number.POSITIVE_INFINITY;
        return Math.min(this.limit, this.level + this.pace() * Math.max(0, now - this.levelAt));
    }

    // When the level will hold `slots`, at the pace, to the millisecond the clock counts in.
    private dueAt(slots: number, now: number): number {
        const missing = Math.min(slots, this.limit ?? slots) - this.levelNow(now);
        return now + Math.max(0, Math.ceil(missing / this.pace()));
    }

    // ─── The gate ───────────────────────────────────────────────────────────────────────────

    // Work of `slots` that arrived at `since` may go when the level holds it, or when it has been
    // held for the cap (counted from its arrival or from the last release, whichever is later).
    private mayGo(slots: number, since: number): boolean {
        if (this.limit === undefined) {
            return this.inFlight + this.keptSlots + slots <= (this.blind ? BLIND_IN_FLIGHT : FIRST_CONTACT_IN_FLIGHT);
        }
        const now = this.now();
        return this.dueAt(slots, now) <= now || now >= this.capAt(since);
    }

    private capAt(since: number): number {
        return Math.max(since, this.lastRelease) + MAX_PACING_MS;
    }

    private letThrough(slots: number): Ticket {
        const now = this.now();
        this.level = this.levelNow(now) - slots;
        this.levelAt = now;
        this.lastRelease = now;
        this.inFlight++;
        if (slots > 1) this.keptSlots++;
        return { keepsPatchSlot: slots > 1 };
    }

    // A PATCH goes at once, in the slot its GET kept; if that slot lapsed, it is counted now.
    private sendPatch(): Ticket {
        if (this.patchMayFollow.shift()) this.keptSlots--;
        else this.level -= 1;
        this.inFlight++;
        return { keepsPatchSlot: false };
    }

    // The PATCH follows its GET's answer at once or never: a failed GET gives its kept slot back
    // now, a successful one when no PATCH has come by the next turn of the event loop.
    private settleKeptSlot(ticket: Ticket, ok: boolean): void {
        if (!ok) {
            this.giveBack();
            return;
        }
        this.patchMayFollow.push(ticket);
        setImmediate(() => {
            const unused = this.patchMayFollow.indexOf(ticket);
            if (unused === -1) return;
            this.patchMayFollow.splice(unused, 1);
            this.giveBack();
            this.release();
        });
    }

    private giveBack(): void {
        this.keptSlots--;
        this.level += 1;
    }

    // Lets through every waiter that may go, then sleeps until the first one left may. That one goes
    // when the sleep ends, also on a clock whose sleep returns early (a test's): nothing spins.
    private release(): void {
        while (this.waiting.length > 0 && this.mayGo(this.waiting[0].slots, this.waiting[0].since)) {
            const next = this.waiting.shift() as (typeof this.waiting)[number];
            next.go(this.letThrough(next.slots));
        }
        if (this.waiting.length === 0 || this.limit === undefined) return;
        const now = this.now();
        const head = this.waiting[0];
        const due = Math.min(this.dueAt(head.slots, now), this.capAt(head.since));
        // A new estimate moves the wake-up either way: the one scheduled before no longer lets anyone go.
        if (due === this.wakeAt) return;
        if (!this.announced && due - now >= NOTICEABLE_HOLD_MS) this.announce();
        this.wakeAt = due;
        void this.options.clock.sleep(Math.max(0, due - now)).then(() => {
            if (this.wakeAt !== due) return; // another wake-up took over
            this.wakeAt = Number.POSITIVE_INFINITY;
            const next = this.waiting.shift();
            if (next) next.go(this.letThrough(next.slots));
            this.release();
        });
    }

    private announce(): void {
        this.announced = true;
        const bucket =
            this.limit === undefined
                ? "no size shown yet"
                : `${this.limit} requests, refilling at about ${(this.pace() * 1000).toFixed(1)} a second so far`;
        this.options.log(`auth0: the tenant's rate limit is reached (${bucket}); pacing requests`);
    }

    private now(): number {
        return this.options.clock.now();
    }

    // ─── Refusals ───────────────────────────────────────────────────────────────────────────

    // How long a 429 asks to wait, at most the cap: Retry-After (seconds or an HTTP date) as it
    // says, for it is relative and explicit; else x-ratelimit-reset, no longer than a token takes at
    // the pace (the request then passes the gate like any other), for it is an absolute time a
    // skewed clock moves and may mean a full bucket. A hint of "now" (a reset already past) is no
    // hint: the caller backs off.
    private refusalOf(headers: Record<string, unknown>): Refusal {
        const { maxHoldMs } = this.options;
        const retryAfter = this.waitOf(headers, "retry-after", maxHoldMs);
        const reset = retryAfter ? undefined : this.waitOf(headers, "x-ratelimit-reset", maxHoldMs);
        const hint = retryAfter ?? reset;
        if (!hint || hint.ms === 0) return {};
        const waitMs = reset ? Math.min(hint.ms, Math.ceil(1 / this.pace())) : hint.ms;
        return hint.capped ? { waitMs, capped: hint.capped } : { waitMs };
    }

    // The wait one header asks for, at most `capMs`, saying so when it asked for more.
    private waitOf(
        headers: Record<string, unknown>,
        name: string,
        capMs: number,
    ): { ms: number; capped?: string } | undefined {
        const raw = header(headers, name);
        if (raw === undefined) return undefined;
        const now = this.now();
        const asNumber = Number(raw);
        let at: number;
        if (name === "retry-after") at = Number.isFinite(asNumber) ? now + asNumber * 1000 : Date.parse(raw);
        else at = Number.isFinite(asNumber) && asNumber > 0 ? asNumber * 1000 : Number.NaN;
        if (!Number.isFinite(at)) return undefined;
        const ms = Math.max(0, at - now);
        if (ms <= capMs) return { ms };
        const skew = name === "x-ratelimit-reset" ? ": is this machine's clock behind Auth0's?" : "";
        return { ms: capMs, capped: `${name} is ${seconds(ms)} ahead, past the ${seconds(capMs)} cap${skew}` };
    }
}

function clamp(value: number, low: number, high: number): number {
    return Math.min(high, Math.max(low, value));
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
    const value = headers[name];
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
