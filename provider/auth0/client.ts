/**
 * The Auth0 Management API client: HTTP, tokens, retries and error mapping for the three calls
 * the provider needs. It knows nothing about deny lists.
 */
import http from "node:http";
import https from "node:https";
import axios, { type AxiosInstance } from "axios";
import type { z } from "zod";
import type { Credentials } from "./credentials";
import { Auth0Error, errorFromBody, errorFromNetwork, errorFromResponse, type RequestContext, redact } from "./errors";
import { RateGate } from "./rate-gate";
import { DEFAULT_RETRY, emptyBucketDelayMs, type RetryPolicy, retryDelayMs } from "./retry";
import { TokenCache } from "./token";
import { type Connection, ConnectionPageSchema, ConnectionSchema, TokenResponseSchema } from "./wire";

/** Tunables and seams (clock, randomness, log) of the client. */
export interface ClientOptions {
    /** Per-request timeout. Default 30 s. */
    timeoutMs?: number;
    retry?: RetryPolicy;
    /** Receives one line per retry wait. Default: stderr. */
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

interface Call<T> {
    method: "GET" | "PATCH" | "POST";
    path: string;
    params?: Record<string, string>;
    body?: unknown;
    form?: boolean;
    context: RequestContext;
    schema: z.ZodType<T>;
    /** Whether a 404 is an answer (undefined) rather than an error. */
    notFoundIsEmpty?: boolean;
    authenticated: boolean;
}

// The bucket size Auth0 reports; 1 when absent, which paces most cautiously.
function burstOf(headers: Record<string, unknown>): number {
    const limit = Number(headers["x-ratelimit-limit"]);
    return Number.isFinite(limit) && limit > 0 ? limit : 1;
}

function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}

/** What one attempt got: an HTTP answer, or a network error code. */
type Answer = { status: number; headers: Record<string, unknown>; body: string } | { status: undefined; code: string };

/** Connections asked for per page when listing: the Management API's maximum. */
const CONNECTIONS_PER_PAGE = 100;

// Large enough for any real connection, small enough that a hostile answer cannot exhaust memory.
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** A Management API client bound to one tenant and one set of credentials. */
export class Auth0Client {
    private readonly http: AxiosInstance;
    private readonly tokens: TokenCache;
    private readonly gate: RateGate;
    private readonly retry: RetryPolicy;
    private readonly log: (line: string) => void;
    private readonly sleep: (ms: number) => Promise<void>;
    private readonly now: () => number;
    private readonly random: () => number;

    constructor(
        private readonly credentials: Credentials,
        options: ClientOptions = {},
    ) {
        this.retry = options.retry ?? DEFAULT_RETRY;
        this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
        this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
        this.now = options.now ?? Date.now;
        this.random = options.random ?? Math.random;
        this.http = axios.create({
            baseURL: credentials.baseUrl,
            timeout: options.timeoutMs ?? 30_000,
            httpAgent: new http.Agent({ keepAlive: true }),
            httpsAgent: new https.Agent({ keepAlive: true }),
            maxRedirects: 0,
            maxContentLength: MAX_BODY_BYTES,
            responseType: "text",
            transformResponse: [(data) => data],
            validateStatus: () => true,
            proxy: false,
        });
        this.tokens = new TokenCache(() => this.fetchToken(), this.now);
        this.gate = new RateGate(this.now, this.sleep);
    }

    /** The tenant this client talks to. */
    get tenant(): string {
        return this.credentials.baseUrl;
    }

    /** GET one connection; undefined when it does not exist. */
    getConnection(id: string): Promise<Connection | undefined> {
        return this.call({
            method: "GET",
            path: `/api/v2/connections/${encodeURIComponent(id)}`,
            context: { operation: "read connection", connection: id, tenant: this.tenant },
            schema: ConnectionSchema,
            notFoundIsEmpty: true,
            authenticated: true,
        });
    }

    /** Finds a connection by its (tenant-unique) name; undefined when there is none. */
    async findConnectionByName(name: string): Promise<Connection | undefined> {
        const page = await this.call({
            method: "GET",
            path: "/api/v2/connections",
            params: { name },
            context: { operation: "find connection", connection: name, tenant: this.tenant },
            schema: ConnectionPageSchema,
            authenticated: true,
        });
        return page?.connections.find((connection) => connection.name === name);
    }

    /**
     * Every connection of the tenant, options included, read page by page. `onPage` hears the
     * progress after each page (`total` is undefined when Auth0 sent no totals). A connection
     * seen on two pages (the tenant changed while paging) is returned once.
     */
    async listConnections(onPage?: (fetched: number, total: number | undefined) => void): Promise<Connection[]> {
        const byId = new Map<string, Connection>();
        for (let page = 0; ; page++) {
            const answer = await this.call({
                method: "GET",
                path: "/api/v2/connections",
                params: { page: String(page), per_page: String(CONNECTIONS_PER_PAGE), include_totals: "true" },
                context: { operation: "list connections", tenant: this.tenant },
                schema: ConnectionPageSchema,
                authenticated: true,
            });
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

    /** PATCH a connection; returns the connection as Auth0 stored it. */
    async patchConnection(id: string, patch: ConnectionPatch): Promise<Connection> {
        const connection = await this.call({
            method: "PATCH",
            path: `/api/v2/connections/${encodeURIComponent(id)}`,
            body: patch,
            context: { operation: "update deny list", connection: id, tenant: this.tenant },
            schema: ConnectionSchema,
            authenticated: true,
        });
        if (!connection) throw new Auth0Error(`Auth0 update deny list for connection ${id} returned no connection`);
        return connection;
    }

    private async fetchToken(): Promise<{ accessToken: string; expiresInSeconds: number }> {
        const { clientId, clientSecret, apiToken, baseUrl } = this.credentials;
        if (apiToken) return { accessToken: apiToken, expiresInSeconds: Number.MAX_SAFE_INTEGER / 1000 };
        const token = await this.call({
            method: "POST",
            path: "/oauth/token",
            form: true,
            body: {
                grant_type: "client_credentials",
                client_id: clientId ?? "",
                client_secret: clientSecret ?? "",
                audience: `${baseUrl}/api/v2/`,
            },
            context: { operation: "get token", tenant: this.tenant },
            schema: TokenResponseSchema,
            authenticated: false,
        });
        if (!token) throw new Auth0Error(`Auth0 get token on ${baseUrl} returned no token`);
        return { accessToken: token.access_token, expiresInSeconds: token.expires_in };
    }

    // One logical call: retries, one token refresh on 401, and errors that leak nothing.
    private async call<T>(call: Call<T>): Promise<T | undefined> {
        const started = this.now();
        let refreshedToken = false;
        // 429s are bounded by the total time only: they say "later", not "broken".
        for (let attempt = 1, failures = 1; ; attempt++) {
            const token = call.authenticated ? await this.tokens.get() : undefined;
            await this.gate.pass();
            const outcome = await this.attempt(call, token);
            if (outcome.status === 401 && token && !refreshedToken && !this.credentials.apiToken) {
                // Tokens can expire or be revoked mid-run: fetch a new one, once.
                this.tokens.invalidate(token);
                refreshedToken = true;
                continue;
            }
            if (outcome.status !== undefined && outcome.status < 300) {
                this.gate.succeeded();
                this.holdIfBucketEmpty(outcome.headers);
                return this.parse(call, outcome.status, outcome.body);
            }
            if (outcome.status === 404 && call.notFoundIsEmpty) return undefined;
            const limited = outcome.status === 429;
            const delay = retryDelayMs(
                outcome,
                limited ? 1 : failures,
                this.now() - started,
                this.retry,
                this.now(),
                this.random,
            );
            if (delay === undefined) throw this.failure(call, outcome, attempt);
            if (!limited) failures++;
            const what = outcome.status === undefined ? outcome.code : `HTTP ${outcome.status}`;
            const next = limited ? `attempt ${attempt + 1}` : `attempt ${failures} of ${this.retry.maxAttempts}`;
            this.log(`auth0: ${call.method} ${call.path} → ${what}; retrying in ${seconds(delay)} (${next})`);
            // A rate limit is the tenant's, not this request's: the gate paces every request after it.
            if (limited) this.gate.limited(delay, burstOf(outcome.headers), true);
            await this.sleep(delay);
        }
    }

    private holdIfBucketEmpty(headers: Record<string, unknown>): void {
        const delay = emptyBucketDelayMs(headers, this.now());
        if (delay !== undefined && this.gate.limited(delay, burstOf(headers), false)) {
            this.log(
                `auth0: rate limit reached (x-ratelimit-remaining: 0); pacing requests over the next ${seconds(delay)}`,
            );
        }
    }

    private async attempt(call: Call<unknown>, token: string | undefined): Promise<Answer> {
        try {
            const response = await this.http.request<string>({
                method: call.method,
                url: call.path,
                params: call.params,
                data: call.form ? new URLSearchParams(call.body as Record<string, string>).toString() : call.body,
                headers: {
                    ...(token ? { Authorization: `Bearer ${token}` } : {}),
                    ...(call.form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
                },
            });
            return { status: response.status, headers: { ...response.headers }, body: String(response.data ?? "") };
        } catch (error) {
            // Never rethrow axios' error: it carries the request config, Authorization header included.
            if (axios.isAxiosError(error) && /maxContentLength/.test(error.message)) {
                throw errorFromBody(call.context, error.response?.status ?? 200, `larger than ${MAX_BODY_BYTES} bytes`);
            }
            const code = axios.isAxiosError(error) ? (error.code ?? "ERR_NETWORK") : "ERR_UNKNOWN";
            return { status: undefined, code };
        }
    }

    private parse<T>(call: Call<T>, status: number, body: string): T {
        let json: unknown;
        try {
            json = JSON.parse(body);
        } catch {
            throw errorFromBody(call.context, status, "not JSON");
        }
        const parsed = call.schema.safeParse(json);
        if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw errorFromBody(call.context, status, `${issue?.path.join(".") || "body"}: ${issue?.message}`);
        }
        return parsed.data;
    }

    private failure(call: Call<unknown>, outcome: Answer, attempts: number): Auth0Error {
        const error =
            outcome.status === undefined
                ? errorFromNetwork(call.context, outcome.code, attempts)
                : errorFromResponse(call.context, outcome.status, outcome.body);
        error.message = redact(error.message, [this.credentials.clientSecret, this.credentials.apiToken]);
        return error;
    }
}
