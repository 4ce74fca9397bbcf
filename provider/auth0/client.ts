/**
 * The Auth0 Management API client. Each request method makes exactly one attempt and says what
 * it came to (retry.ts `Attempt`): a value, a retry (after how long, and whether a write may
 * have landed), or a fatal error with a hint. It holds the token cache and the rate gate, and
 * knows nothing about deny lists; whoever calls it decides what a retry redoes.
 */
import http from "node:http";
import https from "node:https";
import axios, { type AxiosInstance } from "axios";
import type { z } from "zod";
import type { Credentials } from "./credentials";
import {
    Auth0Error,
    errorFromBody,
    errorFromNetwork,
    errorFromResponse,
    networkFailureKind,
    type RequestContext,
    redact,
} from "./errors";
import { RateGate } from "./rate-gate";
import {
    type Attempt,
    DEFAULT_RETRY,
    emptyBucketDelayMs,
    type RetryEnvironment,
    rateLimitDelayMs,
    retrying,
    seconds,
} from "./retry";
import { TokenCache } from "./token";
import {
    type Connection,
    ConnectionPageSchema,
    ConnectionSchema,
    isConnectionNotFound,
    TokenResponseSchema,
} from "./wire";

/** Tunables and seams (clock, randomness, log) of the client. */
export interface ClientOptions {
    /** Deadline of one request, answer body included. Default 30 s. */
    timeoutMs?: number;
    retry?: RetryEnvironment["policy"];
    /** Receives one line per wait. Default: stderr. */
    log?: (line: string) => void;
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
    random?: () => number;
}

/** The body of a connection PATCH: only what must be sent. */
export interface ConnectionPatch {
    options: Record<string, unknown>;
    display_name?: string;
}

/** A PATCH attempt, and when its request is over for sure (answered, failed, or aborted). */
export interface SentPatch {
    attempt: Attempt<Connection>;
    /**
     * Resolves once the request can no longer land. A PATCH that missed its deadline is kept
     * open (up to the retry policy's total time, then aborted) so that nothing else is written
     * to the connection while it might still be applied.
     */
    settled: Promise<void>;
}

/** What one HTTP exchange got: an answer, or a network error code. */
type Answer = { status: number; headers: Record<string, unknown>; body: string } | { status: undefined; code: string };

interface Request<T> {
    method: "GET" | "PATCH" | "POST";
    path: string;
    params?: Record<string, string>;
    /** Sent as is: built with JSON.stringify by the caller, so no key is lost on the way. */
    body?: string;
    contentType?: string;
    context: RequestContext;
    schema: z.ZodType<T>;
    /** Whether the request may have changed something when its outcome is unknown. */
    writes?: boolean;
    /** How long a request that missed its deadline stays open before it is aborted. */
    settleMs?: number;
}

/** Connections asked for per page when listing: the Management API's maximum. */
const CONNECTIONS_PER_PAGE = 100;

// Large enough for any real connection (a few KB; a SAML one with certificates tens of KB), small
// enough that a hostile answer cannot exhaust memory.
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** A Management API client bound to one tenant and one set of credentials. */
export class Auth0Client {
    /** Policy, clock and log for everything that retries on behalf of this client. */
    readonly retry: RetryEnvironment;
    private readonly http: AxiosInstance;
    private readonly tokens: TokenCache;
    private readonly gate: RateGate;
    private readonly timeoutMs: number;

    constructor(
        private readonly credentials: Credentials,
        options: ClientOptions = {},
    ) {
        this.retry = {
            policy: options.retry ?? DEFAULT_RETRY,
            log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
            sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
            now: options.now ?? Date.now,
            random: options.random ?? Math.random,
        };
        this.timeoutMs = options.timeoutMs ?? 30_000;
        this.http = axios.create({
            baseURL: credentials.baseUrl,
            httpAgent: new http.Agent({ keepAlive: true }),
            httpsAgent: new https.Agent({ keepAlive: true }),
            maxRedirects: 0,
            maxContentLength: MAX_BODY_BYTES,
            responseType: "text",
            // Bodies go out exactly as built and come back as text: axios' own (de)serialisers
            // drop keys such as `__proto__` or `constructor` that user options may hold.
            transformRequest: [(data) => data],
            transformResponse: [(data) => data],
            validateStatus: () => true,
            proxy: false,
        });
        this.tokens = new TokenCache(() => this.fetchToken(), this.retry.now);
        this.gate = new RateGate(this.retry.now, this.retry.sleep);
    }

    /** The tenant this client talks to. */
    get tenant(): string {
        return this.credentials.baseUrl;
    }

    /** Waits until `slots` requests may be sent back to back under the tenant's rate limit. */
    pace(slots = 1): Promise<void> {
        return this.gate.pass(slots);
    }

    /**
     * One GET of a connection. `undefined` means Auth0 itself said the connection does not exist;
     * any other 404 (an HTML page, another host) is an error.
     */
    getConnection(id: string): Promise<Attempt<Connection | undefined>> {
        return this.send({
            method: "GET",
            path: connectionPath(id),
            context: { operation: "read connection", connection: id, tenant: this.tenant },
            schema: ConnectionSchema,
        }).then(({ attempt }) => attempt);
    }

    /** One PATCH of a connection; its value is the connection as Auth0 stored it. */
    async patchConnection(id: string, patch: ConnectionPatch): Promise<SentPatch> {
        const sent = await this.send({
            method: "PATCH",
            path: connectionPath(id),
            body: JSON.stringify(patch),
            contentType: "application/json",
            context: { operation: "update deny list", connection: id, tenant: this.tenant },
            schema: ConnectionSchema,
            writes: true,
            settleMs: this.retry.policy.maxTotalMs,
        });
        const { attempt } = sent;
        if (attempt.kind === "ok" && attempt.value === undefined) {
            // Deleted between our GET and this PATCH: nothing was written, and the next read says so.
            const reason = `PATCH ${connectionPath(id)} → HTTP 404 (inexistent_connection)`;
            return { ...sent, attempt: { kind: "retry", reason, error: new Auth0Error(reason), hintMs: 0 } };
        }
        return sent as SentPatch;
    }

    /** GET one connection, retried; undefined when Auth0 says it does not exist. */
    readConnection(id: string): Promise<Connection | undefined> {
        return retrying(async () => {
            await this.pace();
            return this.getConnection(id);
        }, this.retry);
    }

    /** The id of the connection named `name` (tenant-unique), or undefined. Its options are never used for a write. */
    async findConnectionId(name: string): Promise<string | undefined> {
        const page = await this.listPage(
            { name },
            { operation: "find connection", connection: name, tenant: this.tenant },
        );
        return page?.connections.find((connection) => connection.name === name)?.id;
    }

    /**
     * Every connection of the tenant, options included, read page by page. `onPage` hears the
     * progress after each page (`total` is undefined when Auth0 sent no totals). A connection
     * seen on two pages (the tenant changed while paging) is returned once.
     */
    async listConnections(onPage?: (fetched: number, total: number | undefined) => void): Promise<Connection[]> {
        const byId = new Map<string, Connection>();
        for (let page = 0; ; page++) {
            const answer = await this.listPage(
                { page: String(page), per_page: String(CONNECTIONS_PER_PAGE), include_totals: "true" },
                { operation: "list connections", tenant: this.tenant },
            );
            const connections = answer?.connections ?? [];
            const known = byId.size;
            for (const connection of connections) byId.set(connection.id, connection);
            onPage?.(byId.size, answer?.total);
            if (connections.length === 0) return [...byId.values()];
            if (byId.size === known) {
                // A server that ignores `page` would otherwise be asked forever.
                throw new Auth0Error(
                    `Auth0 list connections on ${this.tenant} failed: page ${page} held only connections already listed; the server seems to ignore paging`,
                );
            }
            // With totals, stop at the last page; without, at the first empty one.
            const start = answer?.start ?? page * (answer?.limit ?? CONNECTIONS_PER_PAGE);
            if (answer?.total !== undefined && start + connections.length >= answer.total) return [...byId.values()];
        }
    }

    // One page of GET /api/v2/connections, retried.
    private listPage(params: Record<string, string>, context: RequestContext) {
        return retrying(async () => {
            await this.pace();
            const request = {
                method: "GET",
                path: "/api/v2/connections",
                params,
                context,
                schema: ConnectionPageSchema,
            } as const;
            return (await this.send(request)).attempt;
        }, this.retry);
    }

    private async fetchToken(): Promise<{ accessToken: string; expiresInSeconds: number }> {
        const { clientId, clientSecret, apiToken, baseUrl } = this.credentials;
        if (apiToken) return { accessToken: apiToken, expiresInSeconds: Number.MAX_SAFE_INTEGER / 1000 };
        const token = await retrying(
            async () =>
                (
                    await this.send(
                        {
                            method: "POST",
                            path: "/oauth/token",
                            body: new URLSearchParams({
                                grant_type: "client_credentials",
                                client_id: clientId ?? "",
                                client_secret: clientSecret ?? "",
                                audience: `${baseUrl}/api/v2/`,
                            }).toString(),
                            contentType: "application/x-www-form-urlencoded",
                            context: { operation: "get token", tenant: this.tenant },
                            schema: TokenResponseSchema,
                        },
                        false,
                    )
                ).attempt,
            this.retry,
        );
        if (!token) throw new Auth0Error(`Auth0 get token on ${baseUrl} returned no token`);
        return { accessToken: token.access_token, expiresInSeconds: token.expires_in };
    }

    // One attempt: token, one HTTP exchange under a real deadline, and its classification.
    private async send<T>(
        request: Request<T>,
        authenticated = true,
    ): Promise<{ attempt: Attempt<T | undefined>; settled: Promise<void> }> {
        let answer: Answer | undefined;
        try {
            const token = authenticated ? await this.tokens.get() : undefined;
            const exchange = this.exchange(request, token);
            answer = await exchange.answer;
            return { attempt: this.classify(request, answer, token), settled: exchange.settled };
        } finally {
            // Every Management API request tells the gate what the bucket looks like (or that
            // it got no answer), also when it failed before it was sent.
            if (request.path.startsWith("/api/v2")) this.gate.observe(this.bucketOf(answer));
        }
    }

    private bucketOf(answer: Answer | undefined): { limit: number; remaining: number; resetMs: number } | undefined {
        if (answer?.status === undefined) return undefined;
        const limit = Number(answer.headers["x-ratelimit-limit"]);
        const remaining = Number(answer.headers["x-ratelimit-remaining"]);
        const resetMs = rateLimitDelayMs(answer.headers, this.retry.now());
        const known = Number.isFinite(limit) && limit > 0 && Number.isFinite(remaining) && resetMs !== undefined;
        return known ? { limit, remaining, resetMs } : undefined;
    }

    // The request is aborted when its deadline passes; a write is given until `settleMs` to
    // finish in the background, so the caller can wait until it can no longer land.
    private exchange(
        request: Request<unknown>,
        token: string | undefined,
    ): { answer: Promise<Answer>; settled: Promise<void> } {
        const abort = new AbortController();
        const response = this.http.request<string>({
            method: request.method,
            url: request.path,
            params: request.params,
            data: request.body,
            signal: abort.signal,
            headers: {
                ...(token ? { Authorization: `Bearer ${token}` } : {}),
                ...(request.contentType ? { "Content-Type": request.contentType } : {}),
            },
        });
        const outcome: Promise<Answer> = response.then(
            (res) => ({ status: res.status, headers: { ...res.headers }, body: String(res.data ?? "") }),
            (error: unknown) => {
                // Never rethrow axios' error: it carries the request config, Authorization header included.
                if (axios.isAxiosError(error) && /maxContentLength/.test(error.message)) {
                    return { status: undefined, code: "ERR_BODY_TOO_LARGE" };
                }
                if (abort.signal.aborted) return { status: undefined, code: "ETIMEDOUT" };
                return {
                    status: undefined,
                    code: axios.isAxiosError(error) ? (error.code ?? "ERR_NETWORK") : "ERR_UNKNOWN",
                };
            },
        );
        const settleMs = request.writes ? Math.max(this.timeoutMs, request.settleMs ?? 0) : this.timeoutMs;
        const abortTimer = setTimeout(() => abort.abort(), settleMs);
        let deadlineTimer: NodeJS.Timeout | undefined;
        const deadline = new Promise<Answer>((resolve) => {
            deadlineTimer = setTimeout(() => resolve({ status: undefined, code: "ETIMEDOUT" }), this.timeoutMs);
        });
        const settled = outcome.then(() => clearTimeout(abortTimer));
        const answer = Promise.race([outcome, deadline]).finally(() => clearTimeout(deadlineTimer));
        return { answer, settled };
    }

    private classify<T>(request: Request<T>, answer: Answer, token: string | undefined): Attempt<T | undefined> {
        const what = `${request.method} ${request.path} → ${answer.status === undefined ? answer.code : `HTTP ${answer.status}`}`;
        if (answer.status === undefined) {
            if (answer.code === "ERR_BODY_TOO_LARGE") {
                return this.unreadable(request, 200, `larger than ${MAX_BODY_BYTES} bytes`, what);
            }
            const error = this.scrub(errorFromNetwork(request.context, answer.code, this.timeoutMs, request.writes));
            const kind = networkFailureKind(answer.code);
            if (kind === "permanent") return { kind: "fatal", error };
            return { kind: "retry", reason: what, error, mayHaveApplied: request.writes && kind !== "not-sent" };
        }
        const { status, headers, body } = answer;
        if (status < 300) {
            this.tokens.accepted();
            this.gate.succeeded(this.bucketOf(answer)?.remaining);
            const pacing = emptyBucketDelayMs(headers, this.retry.now());
            if (pacing !== undefined && this.gate.limited(pacing, burstOf(headers), false)) {
                this.retry.log(
                    `auth0: rate limit reached (x-ratelimit-remaining: 0); pacing requests over the next ${seconds(pacing)}`,
                );
            }
            return this.parse(request, status, body, what);
        }
        if (status === 401 && token && !this.credentials.apiToken && this.tokens.invalidate(token)) {
            // Tokens can expire or be revoked mid-run: fetch a new one, once, and start over.
            return {
                kind: "retry",
                reason: `${what} (token rejected; fetching a new one)`,
                error: this.httpError(request, answer),
                hintMs: 0,
            };
        }
        if (
            status === 404 &&
            request.method !== "POST" &&
            request.path.startsWith("/api/v2/connections/") &&
            isConnectionNotFound(body)
        ) {
            return { kind: "ok", value: undefined };
        }
        const error = this.httpError(request, answer);
        if (status === 429) {
            // A hint of "now" (a reset already past) is no hint: back off instead of spinning.
            const hinted = rateLimitDelayMs(headers, this.retry.now());
            const hintMs = hinted !== undefined && hinted > 0 ? hinted : undefined;
            // A rate limit is the tenant's, not this request's: the gate paces every request after it.
            this.gate.limited(hintMs ?? this.retry.policy.baseDelayMs, burstOf(headers), true);
            return { kind: "retry", reason: what, error, hintMs, rateLimited: true };
        }
        if (status === 408 || status >= 500)
            return { kind: "retry", reason: what, error, mayHaveApplied: request.writes };
        return { kind: "fatal", error };
    }

    private parse<T>(request: Request<T>, status: number, body: string, what: string): Attempt<T> {
        let json: unknown;
        try {
            json = JSON.parse(body);
        } catch {
            return this.unreadable(request, status, "not JSON", what);
        }
        const parsed = request.schema.safeParse(json);
        if (!parsed.success) {
            const issue = parsed.error.issues[0];
            return this.unreadable(request, status, `${issue?.path.join(".") || "body"}: ${issue?.message}`, what);
        }
        return { kind: "ok", value: parsed.data };
    }

    // A success we cannot read. For a write it may still have been applied: the caller re-reads.
    private unreadable<T>(request: Request<T>, status: number, problem: string, what: string): Attempt<T> {
        const error = errorFromBody(request.context, status, problem, request.writes);
        return request.writes
            ? { kind: "retry", reason: `${what} (${problem})`, error, mayHaveApplied: true }
            : { kind: "fatal", error };
    }

    private httpError(request: Request<unknown>, answer: { status: number; body: string }): Auth0Error {
        return this.scrub(errorFromResponse(request.context, answer.status, answer.body, request.writes));
    }

    private scrub(error: Auth0Error): Auth0Error {
        error.message = redact(error.message, [this.credentials.clientSecret, this.credentials.apiToken]);
        return error;
    }
}

function connectionPath(id: string): string {
    return `/api/v2/connections/${encodeURIComponent(id)}`;
}

// The bucket size Auth0 reports; 1 when absent, which paces most cautiously.
function burstOf(headers: Record<string, unknown>): number {
    const limit = Number(headers["x-ratelimit-limit"]);
    return Number.isFinite(limit) && limit > 0 ? limit : 1;
}
