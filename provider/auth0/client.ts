/**
 * The Auth0 Management API client. Each method makes one attempt and says what it came to
 * (retry.ts `Attempt`): a value, a retry (after how long, and whether a write may have landed),
 * or a fatal error with a hint. It holds no loop: whoever calls it retries under {@link
 * Auth0Client.retry} and decides what a retry redoes. One attempt walks down and back: a token
 * (token.ts), the rate limit's gate (rate-limit.ts), one exchange under the operation's deadline
 * (transport.ts), the rate limit told what came back, and the answer classified (classify.ts).
 * It knows nothing about deny lists.
 */
import { type Asked, answerLine, classify } from "./classify";
import { type Clock, SYSTEM_CLOCK } from "./clock";
import type { Credentials } from "./credentials";
import { Auth0Error, errorFromExpiry, type HintTerms, type Operation, type RequestContext } from "./errors";
import { stringifyJson } from "./json";
import { RateLimit, type Refusal } from "./rate-limit";
import { type Attempt, DEFAULT_RETRY, Retrier, type RetryPolicy } from "./retry";
import { type TokenCache, tokensFor } from "./token";
import { type Answer, type HttpRequest, Transport } from "./transport";
import {
    type Connection,
    type ConnectionPage,
    ConnectionPageSchema,
    ConnectionSchema,
    isConnectionNotFound,
} from "./wire";

/** Tunables and seams (clock, randomness, log) of the client and of the retry policy it hands out. */
export interface ClientOptions {
    /** Deadline of one request, answer body included. Default 30 s. */
    timeoutMs?: number;
    retry?: RetryPolicy;
    /** Receives one line per wait. Default: stderr. */
    log?: (line: string) => void;
    sleep?: Clock["sleep"];
    now?: Clock["now"];
    random?: () => number;
    /** How error hints name the settings the reader used. Default: the provider's (stack config, `AUTH0_*`). */
    terms?: HintTerms;
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
     * open until the operation's deadline, then aborted, so that nothing else is written to
     * the connection while it might still be applied.
     */
    settled: Promise<void>;
}

/** A Management API request: what is sent, and what its answer must be. */
interface ApiRequest<T> extends Asked<T>, Omit<HttpRequest, "token"> {
    method: HttpRequest["method"];
}

/** A Management API client bound to one tenant and one set of credentials. */
export class Auth0Client {
    /** The retry policy for work on this tenant: the loop its callers run around its attempts. */
    readonly retry: Retrier;
    private readonly transport: Transport;
    private readonly tokens: TokenCache;
    private readonly rateLimit: RateLimit;
    private readonly timeoutMs: number;
    private readonly terms?: HintTerms;

    constructor(
        private readonly credentials: Credentials,
        options: ClientOptions = {},
    ) {
        const clock: Clock = {
            now: options.now ?? SYSTEM_CLOCK.now,
            sleep: options.sleep ?? SYSTEM_CLOCK.sleep,
        };
        const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
        const policy = options.retry ?? DEFAULT_RETRY;
        this.retry = new Retrier({ policy, clock, log, random: options.random ?? Math.random });
        this.timeoutMs = options.timeoutMs ?? 30_000;
        this.terms = options.terms;
        this.transport = new Transport(credentials.baseUrl);
        this.tokens = tokensFor(credentials, this.transport, this.retry, this.timeoutMs, options.terms);
        this.rateLimit = new RateLimit({ clock, log, maxHoldMs: policy.maxDelayMs });
    }

    /** The tenant this client talks to. */
    get tenant(): string {
        return this.credentials.baseUrl;
    }

    /**
     * Starts fetching a token when none is valid, so its round trip overlaps what comes before the
     * first request (a writer gathering operations); the request that needs it shares the fetch.
     * A failure here is the request's to report.
     */
    prepare(): void {
        const deadline = this.retry.clock.now() + this.retry.policy.maxTotalMs;
        this.tokens.get(deadline).catch(() => undefined);
    }

    /**
     * One GET of a connection, over by `deadline`. `undefined` means Auth0 itself said the
     * connection does not exist; any other 404 (an HTML page, another host) is an error. With
     * `thenPatch`, the rate limit lets the PATCH built from this GET follow it without waiting.
     */
    async getConnection(
        id: string,
        deadline: number,
        { thenPatch = false } = {},
    ): Promise<Attempt<Connection | undefined>> {
        const request = {
            method: "GET",
            path: connectionPath(id),
            context: this.context("read connection", id),
            schema: ConnectionSchema,
        } as const;
        return (await this.send(request, thenPatch ? 2 : 1, deadline)).attempt;
    }

    /**
     * One PATCH of `connection`, right after the GET it was built from (which passed the rate
     * limit for it); its value is the connection as Auth0 stored it.
     */
    async patchConnection(
        connection: Pick<Connection, "id" | "name">,
        patch: ConnectionPatch,
        deadline: number,
    ): Promise<SentPatch> {
        const context = this.context("update deny list", `${connection.name} (${connection.id})`);
        const request = {
            method: "PATCH",
            path: connectionPath(connection.id),
            body: stringifyJson(patch),
            contentType: "application/json",
            context,
            schema: ConnectionSchema,
            writes: true,
            carried: optionValues(patch.options),
        } as const;
        const sent = await this.send(request, 0, deadline);
        const { attempt } = sent;
        if (attempt.kind === "ok" && attempt.value === undefined) {
            // Deleted between our GET and this PATCH: nothing was written, and the next read says so.
            const reason = `PATCH ${request.path} → HTTP 404 (inexistent_connection)`;
            return { ...sent, attempt: { kind: "retry", reason, error: new Auth0Error(reason), hintMs: 0 } };
        }
        return sent as SentPatch;
    }

    /**
     * One page of `GET /api/v2/connections` (`query`: Auth0's paging and filters; a list is sent
     * as the parameter repeated). Its options are never written back.
     */
    async listConnections(
        query: Record<string, string | readonly string[]>,
        deadline: number,
    ): Promise<Attempt<ConnectionPage>> {
        const request = {
            method: "GET",
            path: "/api/v2/connections",
            params: query,
            context: this.context("list connections"),
            schema: ConnectionPageSchema,
        } as const;
        // Only a connection's own path answers `undefined` (Auth0's "does not exist").
        return (await this.send(request, 1, deadline)).attempt as Attempt<ConnectionPage>;
    }

    /** The id of the connection named `name` (tenant-unique), or undefined: one list request. */
    async findConnectionId(name: string, deadline: number): Promise<Attempt<string | undefined>> {
        const request = {
            method: "GET",
            path: "/api/v2/connections",
            params: { name },
            context: this.context("find connection", name),
            schema: ConnectionPageSchema,
        } as const;
        const { attempt } = await this.send(request, 1, deadline);
        if (attempt.kind !== "ok") return attempt;
        return { kind: "ok", value: attempt.value?.connections.find((connection) => connection.name === name)?.id };
    }

    // What an error of this request says it was doing, and in whose terms.
    private context(operation: Operation, connection?: string): RequestContext {
        return {
            operation,
            tenant: this.tenant,
            ...(connection === undefined ? {} : { connection }),
            terms: this.terms,
        };
    }

    // One attempt: a token, `slots` at the rate limit's gate (0: a PATCH in the slot its GET kept),
    // one exchange under the deadline, the rate limit told what came back (also when nothing did),
    // and the answer classified.
    private async send<T>(
        request: ApiRequest<T>,
        slots: number,
        deadline: number,
    ): Promise<{ attempt: Attempt<T | undefined>; settled: Promise<void> }> {
        const token = await this.tokens.get(deadline);
        const ticket = await this.rateLimit.pass(slots);
        let observed = false;
        try {
            const left = deadline - this.retry.clock.now();
            if (left <= 0) {
                const error = errorFromExpiry(request.context, this.retry.policy.maxTotalMs);
                return { attempt: { kind: "expired", error }, settled: Promise.resolve() };
            }
            const timeoutMs = Math.min(this.timeoutMs, left);
            const exchange = this.transport.send({ ...request, token }, timeoutMs, request.writes ? left : timeoutMs);
            const answer = await exchange.answer;
            const refusal = this.rateLimit.observe(ticket, answer.status === undefined ? undefined : answer);
            observed = true;
            return { attempt: this.classify(request, answer, token, timeoutMs, refusal), settled: exchange.settled };
        } finally {
            // A request that got no answer (or was never sent) is over too.
            if (!observed) this.rateLimit.observe(ticket, undefined);
        }
    }

    private classify<T>(
        request: ApiRequest<T>,
        answer: Answer,
        token: string,
        timeoutMs: number,
        refusal: Refusal | undefined,
    ): Attempt<T | undefined> {
        const secrets = [this.credentials.clientSecret, this.credentials.apiToken, ...this.tokens.issued()];
        if (answer.status === 401 && this.tokens.rejected(token)) {
            // Tokens can expire or be revoked mid-run: every operation that used this one gets the one renewal.
            const refused = classify(request, answer, { timeoutMs, secrets });
            const error = refused.kind === "ok" ? new Auth0Error("HTTP 401") : refused.error;
            return {
                kind: "retry",
                reason: `${answerLine(request, answer)} (token rejected; fetching a new one)`,
                error,
                hintMs: 0,
            };
        }
        if (answer.status !== undefined && answer.status !== 401) this.tokens.accepted(token);
        if (
            answer.status === 404 &&
            request.path.startsWith("/api/v2/connections/") &&
            isConnectionNotFound(answer.body)
        ) {
            return { kind: "ok", value: undefined };
        }
        return classify(request, answer, { timeoutMs, refusal, secrets });
    }
}

function connectionPath(id: string): string {
    return `/api/v2/connections/${encodeURIComponent(id)}`;
}

// Every string a connection's options hold, at any depth (client secrets, private keys, encrypted
// settings …), but the deny list: its entries are the program's own input, in state already.
function optionValues(options: Record<string, unknown>): string[] {
    const values: string[] = [];
    const walk = (value: unknown): void => {
        if (typeof value === "string") values.push(value);
        else if (value !== null && typeof value === "object") for (const inner of Object.values(value)) walk(inner);
    };
    for (const [key, value] of Object.entries(options)) if (key !== "non_persistent_attrs") walk(value);
    return values;
}
