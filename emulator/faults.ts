import { apiError, json, type Reply, tooManyRequests, unauthorized } from "./http";
import type { FaultKind, FaultPlan, FaultRule } from "./types";

/** Every fault kind, in the order rates are drawn. */
export const FAULT_KINDS: readonly FaultKind[] = [
    "500",
    "502",
    "503",
    "408",
    "401",
    "429",
    "drop",
    "slow",
    "nonjson",
    "huge",
    "lost",
    "stale",
    "quote",
];

/** Default delay of a `slow` fault. */
export const DEFAULT_SLOW_MS = 5000;

/** Size of a `huge` body: past the 2 MB a client should refuse to buffer. */
const HUGE_BYTES = 2.5 * 1024 * 1024;

/** Seed of the default PRNG, so a run with fault rates is reproducible. */
const DEFAULT_SEED = 0x5eed;

/** Decides which requests get a fault: queued rules first, then the plan's rates. */
export class FaultInjector {
    private readonly queue: { rule: FaultRule; remaining: number }[] = [];
    private readonly rates: Partial<Record<FaultKind, number>>;
    private readonly random: () => number;

    constructor(plan: FaultPlan = {}) {
        this.rates = plan.rates ?? {};
        this.random = plan.random ?? mulberry32(DEFAULT_SEED);
        for (const rule of plan.rules ?? []) this.add(rule);
    }

    /** Queues a rule after those already queued. */
    add(rule: FaultRule): void {
        if (!FAULT_KINDS.includes(rule.kind)) throw new TypeError(`unknown fault kind: ${String(rule.kind)}`);
        this.queue.push({ rule, remaining: rule.times ?? 1 });
    }

    /** The fault for this request, if any; consumes one use of a matching rule. */
    pick(method: string, path: string): FaultRule | undefined {
        const index = this.queue.findIndex((entry) => matches(entry.rule, method, path));
        if (index >= 0) {
            const entry = this.queue[index];
            entry.remaining -= 1;
            if (entry.remaining <= 0) this.queue.splice(index, 1);
            return entry.rule;
        }
        return isManagementApi(path) ? this.draw() : undefined;
    }

    /** One draw per request keeps each kind's probability equal to its rate. */
    private draw(): FaultRule | undefined {
        const kinds = FAULT_KINDS.filter((kind) => (this.rates[kind] ?? 0) > 0);
        if (kinds.length === 0) return undefined;
        const roll = this.random();
        let threshold = 0;
        for (const kind of kinds) {
            threshold += this.rates[kind] ?? 0;
            if (roll < threshold) return { kind };
        }
        return undefined;
    }
}

/** How much of a request body a `quote` fault quotes, as a firewall's block page might. */
const QUOTE_CHARS = 300;

/**
 * The reply of a fault that answers at once, or `undefined` for `drop`, `slow`, `lost` and
 * `stale`, which change how (or whether) the normal reply is sent. `body` is the request's, as sent.
 */
export function faultReply(rule: FaultRule, now: number, body: string): Reply | undefined {
    switch (rule.kind) {
        case "quote": {
            const from = rule.quoteFrom === undefined ? 0 : Math.max(0, body.indexOf(rule.quoteFrom));
            return apiError(400, `Request blocked by a firewall rule near: ${body.slice(from, from + QUOTE_CHARS)}`);
        }
        case "500":
            return apiError(500, "Internal Server Error");
        case "502":
            return apiError(502, "Bad Gateway");
        case "503":
            return apiError(503, "Service Unavailable");
        case "408":
            return apiError(408, "Request Timeout");
        case "401":
            return unauthorized("Invalid token.");
        case "429":
            return tooManyRequests(retryHeaders(rule, now));
        case "nonjson":
            return {
                status: 200,
                contentType: "text/html; charset=utf-8",
                payload:
                    "<html><head><title>Gateway</title></head><body><h1>Upstream returned garbage</h1></body></html>",
            };
        case "huge":
            return json(200, { note: "not a connection", padding: "x".repeat(HUGE_BYTES) });
        default:
            return undefined;
    }
}

/** `/api/v2` and everything under it. */
export function isManagementApi(path: string): boolean {
    return path === "/api/v2" || path.startsWith("/api/v2/");
}

function matches(rule: FaultRule, method: string, path: string): boolean {
    if (rule.method !== undefined && rule.method.toUpperCase() !== method) return false;
    if (rule.path === undefined) return isManagementApi(path);
    // search(), unlike test(), ignores lastIndex, so a /g pattern matches every time.
    if (rule.path instanceof RegExp) return path.search(rule.path) !== -1;
    return path === rule.path || path.startsWith(rule.path.endsWith("/") ? rule.path : `${rule.path}/`);
}

/** A 429 fault empties the bucket as far as the client can tell. */
function retryHeaders(rule: FaultRule, now: number): Record<string, string> {
    const headers: Record<string, string> = { "x-ratelimit-remaining": "0" };
    if (rule.retryAfterSeconds !== undefined) {
        headers["retry-after"] = String(rule.retryAfterSeconds);
        headers["x-ratelimit-reset"] = String(Math.ceil(now / 1000 + rule.retryAfterSeconds));
    }
    return headers;
}

/** Small deterministic PRNG (mulberry32) returning [0, 1). */
function mulberry32(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
