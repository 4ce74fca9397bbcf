/**
 * Public types of the Auth0 Management API emulator. Kept apart from `index.ts` so the
 * implementation modules can share them without importing the entry point.
 */

/** A connection as the Management API returns it (`GET /api/v2/connections/{id}`). */
export interface Connection {
    /** `con_` followed by 16 alphanumerics. */
    id: string;
    /** Unique per tenant; cannot be changed by PATCH. */
    name: string;
    /** Kept by a PATCH that omits it; a connection without one stays without. */
    display_name?: string;
    /** `auth0`, `google-oauth2`, `samlp`, `waad`, `oidc`, … Cannot be changed by PATCH. */
    strategy: string;
    /** Strategy-specific settings; PATCH replaces the whole object. */
    options?: Record<string, unknown>;
    realms?: string[];
    enabled_clients?: string[];
    is_domain_connection?: boolean;
    show_as_button?: boolean;
    metadata?: Record<string, string>;
    authentication?: Record<string, unknown>;
    connected_accounts?: Record<string, unknown>;
    /** Cross App Access: the connection as a Requesting App. */
    cross_app_access_requesting_app?: { active: boolean };
    /** Cross App Access: the connection as a Resource App; a PATCH may send `null`, which is stored as is. */
    cross_app_access_resource_app?: { status: "enabled" | "disabled" } | null;
    /** Present on enterprise strategies. */
    provisioning_ticket_url?: string;
}

/**
 * What an injected fault does to a request:
 * `500`/`502`/`503`/`408` answer with that status and a JSON error body; `401` answers as Auth0
 * does for a token it refuses (`invalid_token`), whatever token was sent; `429` answers
 * `too_many_requests` (with `retry-after` when the rule sets `retryAfterSeconds`);
 * `drop` destroys the socket without answering; `slow` handles the request normally after
 * `slowMs` (a PATCH still lands even if the client has given up: the response is what is lost);
 * `nonjson` answers 200 with an HTML body; `huge` answers 200 with a JSON body over 2 MB that is
 * not a connection; `lost` carries the request out (a PATCH is applied) and then destroys the
 * socket, so the answer is lost; `stale` carries it out and answers with the connection as it
 * was before, as a broken proxy cache might; `quote` answers 400 with a message quoting the
 * request body, as a web application firewall or a validating proxy does.
 */
export type FaultKind =
    | "500"
    | "502"
    | "503"
    | "408"
    | "401"
    | "429"
    | "drop"
    | "slow"
    | "nonjson"
    | "huge"
    | "lost"
    | "stale"
    | "quote";

/** A queued fault: applied to the next `times` matching requests. */
export interface FaultRule {
    kind: FaultKind;
    /** HTTP method to match (case-insensitive); any when omitted. */
    method?: string;
    /**
     * Path to match (without the query string): a string matches that path and any path under
     * it, a RegExp is tested against the path. When omitted the rule matches `/api/v2` requests
     * only; give a path to fault `/oauth/token`.
     */
    path?: RegExp | string;
    /** How many requests the rule faults before it is used up. Default 1. */
    times?: number;
    /** For `429`: sent as the `retry-after` header (and reflected in `x-ratelimit-reset`). */
    retryAfterSeconds?: number;
    /** For `slow`: the delay in milliseconds. Default 5000. */
    slowMs?: number;
    /** For `quote`: the quote starts where this text first occurs in the body. Default: the whole body. */
    quoteFrom?: string;
}

/** Faults to inject: queued rules first, then random ones at the given rates. */
export interface FaultPlan {
    /** Queued in order; the first matching rule with uses left applies. */
    rules?: FaultRule[];
    /** Probability (0..1) that an `/api/v2` request gets each kind; the rates should sum to ≤ 1. */
    rates?: Partial<Record<FaultKind, number>>;
    /** Source of randomness for `rates`, returning [0, 1). Default: a fixed-seed deterministic PRNG. */
    random?: () => number;
}

/** One request as the emulator received it. */
export interface RecordedRequest {
    method: string;
    /** Path without the query string. */
    path: string;
    /** Query parameters; a repeated parameter's values are joined with `,`. */
    query: Record<string, string>;
    /** Parsed JSON or form body; the raw text when it could not be parsed; `undefined` when empty. */
    body: unknown;
    /** Status sent; 0 while pending or when the socket was dropped. */
    status: number;
    /** The emulator clock's `Date.now()` when the request arrived. */
    time: number;
    /** The fault injected into this request, if any. */
    fault?: FaultKind;
}

/**
 * The time the emulator lives in: `Date.now()` for the rate limit, token expiry and recorded
 * times; `setTimeout`/`clearTimeout` for latency and `slow` faults. A sinon fake clock
 * (`sinon.useFakeTimers(…)`) fits as is, so rate-limit tests can run on fake time.
 */
export interface EmulatorClock {
    Date: { now(): number };
    setTimeout(callback: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
}

/**
 * Made-up connections, in bulk: `count` of them, taking `strategies` in turn. Each copies the
 * built-in connection of its strategy (its option shapes, its FAKE secrets: `SEED_SECRETS` lists
 * every secret) under a new id, the name `${namePrefix}-${strategy}-${n}` (n counts from 1,
 * skipping names in use) and a domain alias of its own.
 *
 * @example startEmulator({ generated: { count: 1000, strategies: ["samlp", "oidc", "waad"] } })
 */
export interface GeneratedConnections {
    /** How many connections to make; thousands are fine. */
    count: number;
    /**
     * Strategies to take in turn, each one the built-in seed has: `auth0`, `google-oauth2`,
     * `samlp`, `waad`, `oidc`. Default: all five.
     */
    strategies?: readonly string[];
    /** First part of each name. Default `customer` (`customer-samlp-3`). */
    namePrefix?: string;
}

/**
 * How the headers report the bucket:
 * - `reset-full`: `x-ratelimit-limit/remaining/reset` on every answer, the reset being when the
 *   bucket is full again (the default);
 * - `reset-next`: the same, the reset being when the next request is allowed (now, while a token
 *   is left);
 * - `retry-after`: no `x-ratelimit-*`; a 429 says in `Retry-After` how many whole seconds until
 *   the next request is allowed;
 * - `none`: no rate header at all, only 429s.
 */
export type RateHeaders = "reset-full" | "reset-next" | "retry-after" | "none";

/** A rate limit: the bucket, and how its headers read. */
export interface RateLimitOptions {
    /** Bucket size, ≥ 1: requests that may go at once. */
    burst: number;
    /** Refill rate, > 0: tokens per second. */
    perSecond: number;
    /** How the headers report the bucket. Default `reset-full`. */
    headers?: RateHeaders;
    /**
     * Added to every `x-ratelimit-reset`: negative puts it in the past, positive far ahead (a
     * client's clock ahead of or behind Auth0's, a proxy rewriting it). Default 0.
     */
    resetOffsetSeconds?: number;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
    /** Port on 127.0.0.1. Default 0: any free port. */
    port?: number;
    /** Connections to start with. Default: `builtInSeed()`. Ignored when `stateFile` exists. */
    seed?: Connection[];
    /**
     * Made-up connections added after `seed`, for a tenant of realistic size (both list paging
     * styles serve them). Ignored when `stateFile` exists.
     */
    generated?: GeneratedConnections;
    /**
     * Scopes granted to the client. Default: `DEFAULT_SCOPES` (read/update connections and
     * connection options, create and delete connections).
     */
    scopes?: readonly string[];
    /**
     * Token bucket shared by all `/api/v2` requests (`/oauth/token` is Auth0's separate
     * Authentication API: it reports the bucket without drawing from it), and how its headers
     * read. Default: no limit, though the `x-ratelimit-*` headers are still sent, with a very
     * large limit.
     */
    rateLimit?: RateLimitOptions;
    /** Delay added before every response. */
    latencyMs?: number;
    /** Faults to inject. */
    faults?: FaultPlan;
    /** Lifetime of issued access tokens. Default 86400. */
    tokenTtlSeconds?: number;
    /** JSON file holding the connections: loaded when it exists, rewritten atomically after every change. */
    stateFile?: string;
    /** Client id accepted by `/oauth/token`. Default `DEFAULT_CLIENT_ID`. */
    clientId?: string;
    /** Client secret accepted by `/oauth/token`. Default `DEFAULT_CLIENT_SECRET`. */
    clientSecret?: string;
    /** The clock the emulator runs on. Default: the process's own (`globalThis`). */
    clock?: EmulatorClock;
}

/** A running emulator. */
export interface Emulator {
    /** Base URL, `http://127.0.0.1:PORT`; the token audience is `${url}/api/v2/`. */
    url: string;
    clientId: string;
    clientSecret: string;
    /** Closes the server and every open socket, keep-alive ones included. */
    stop(): Promise<void>;
    /** Deep copies of all connections, with their options. */
    connections(): Connection[];
    /** A deep copy of one connection, or `undefined`. */
    connection(id: string): Connection | undefined;
    /** Every request received, `/oauth/token` included, oldest first. */
    requests(): RecordedRequest[];
    /** Forgets the recorded requests. */
    clearRequests(): void;
    /** Queues a fault rule. */
    injectFault(rule: FaultRule): void;
    /**
     * Replaces the granted scopes. Tokens issued afterwards carry them, and every request is
     * checked against the current scopes, so existing tokens gain or lose them at once.
     */
    setScopes(scopes: readonly string[]): void;
    /** Makes every token issued so far expired. */
    expireTokens(): void;
    /** Every access token issued so far (for secret-leak scans). */
    issuedTokens(): string[];
    /**
     * Changes a connection out of band, as another admin would. `mutate` gets a copy that replaces
     * the stored connection when it returns. Throws when `id` is unknown.
     */
    update(id: string, mutate: (connection: Connection) => void): void;
    /**
     * Adds made-up connections after every existing one, as customers creating their own SSO
     * connections would; returns copies of them.
     */
    addConnections(spec: GeneratedConnections): Connection[];
}
