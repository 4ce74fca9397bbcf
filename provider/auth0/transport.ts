/**
 * One HTTP exchange with the tenant, and nothing about what it means: the body goes out as the
 * exact text given and comes back as text, the answer must be complete within a real deadline
 * (not an idle-socket timeout: a body trickling in is cut off), and a failure is a network error
 * code, never an exception carrying the request (its Authorization header included).
 */
import http from "node:http";
import https from "node:https";

// Large enough for any real connection (a few KB; a SAML one with certificates tens of KB), small
// enough that a hostile answer cannot exhaust memory.
/** The largest answer body read. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

// Node sends no User-Agent of its own, and a firewall in front of a tenant may refuse a request
// without one; this names the tool to whoever reads the tenant's logs.
const USER_AGENT = `pulumi-auth0-deny-list (node ${process.version})`;

/** What one exchange got: an answer, or a network error code (`ETIMEDOUT` past the deadline). */
export type Answer =
    | { status: number; headers: Record<string, unknown>; body: string }
    | { status: undefined; code: string };

/** A request to send. */
export interface HttpRequest {
    method: "GET" | "PATCH" | "POST";
    /** Path under the tenant's base URL. */
    path: string;
    /** Query parameters; a list is sent as the parameter repeated (`strategy=a&strategy=b`), as Auth0 reads it. */
    params?: Record<string, string | readonly string[]>;
    /** Sent as is. */
    body?: string;
    contentType?: string;
    /** Sent as a bearer token. */
    token?: string;
}

/** An exchange under way. */
export interface Exchange {
    /** The answer, or `ETIMEDOUT` once the deadline passed. */
    answer: Promise<Answer>;
    /** Resolves once the request is over for sure: answered, failed, or aborted. */
    settled: Promise<void>;
}

/**
 * Sends requests to one tenant over keep-alive connections, with Node's own `http`/`https`: no
 * redirect is followed, no proxy variable is read, no compression is asked for, and the body goes
 * out exactly as given (an HTTP library's (de)serialisers would drop keys such as `__proto__` or
 * `constructor` that user options may hold). It is the whole HTTP stack of the provider, so it
 * is kept to what one exchange needs: the host spends per request only what this file does.
 */
export class Transport {
    private readonly base: string;
    private readonly agent: http.Agent;
    private readonly request: typeof http.request;

    constructor(baseUrl: string) {
        this.base = baseUrl.replace(/\/+$/, "");
        const secure = new URL(this.base).protocol === "https:";
        this.agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
        this.request = secure ? https.request : http.request;
    }

    /**
     * Sends `request`. Its answer must be complete within `timeoutMs`; the request itself is
     * aborted after `keepOpenMs` (at least `timeoutMs`): a write that missed its deadline is kept
     * open so that the caller can wait until it can no longer land.
     */
    send(request: HttpRequest, timeoutMs: number, keepOpenMs = timeoutMs): Exchange {
        const abort = new AbortController();
        const outcome = this.exchange(request, abort.signal);
        const abortTimer = setTimeout(() => abort.abort(), Math.max(timeoutMs, keepOpenMs));
        let deadlineTimer: NodeJS.Timeout | undefined;
        const deadline = new Promise<Answer>((resolve) => {
            deadlineTimer = setTimeout(() => resolve({ status: undefined, code: "ETIMEDOUT" }), timeoutMs);
        });
        const settled = outcome.then(() => clearTimeout(abortTimer));
        const answer = Promise.race([outcome, deadline]).finally(() => clearTimeout(deadlineTimer));
        return { answer, settled };
    }

    // One request and its whole answer. It never rejects: a failure is a network error code, never
    // an error object that could carry the request (its Authorization header included).
    private exchange(request: HttpRequest, signal: AbortSignal): Promise<Answer> {
        return new Promise<Answer>((resolve) => {
            const failed = (error: unknown) =>
                resolve({ status: undefined, code: signal.aborted ? "ETIMEDOUT" : codeOf(error) });
            const body = request.body === undefined ? undefined : Buffer.from(request.body, "utf8");
            const headers: http.OutgoingHttpHeaders = { Accept: "application/json", "User-Agent": USER_AGENT };
            if (request.token) headers.Authorization = `Bearer ${request.token}`;
            if (request.contentType) headers["Content-Type"] = request.contentType;
            if (body) headers["Content-Length"] = body.length;
            let sent: http.ClientRequest;
            try {
                sent = this.request(this.url(request), { method: request.method, agent: this.agent, headers, signal });
            } catch (error) {
                // An invalid header value (a token with a line break) throws before anything is sent.
                failed(error);
                return;
            }
            sent.on("error", failed);
            sent.on("response", (response) => {
                const chunks: Buffer[] = [];
                let size = 0;
                response.on("data", (chunk: Buffer) => {
                    size += chunk.length;
                    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
                    else {
                        resolve({ status: undefined, code: "ERR_BODY_TOO_LARGE" });
                        sent.destroy();
                    }
                });
                response.on("end", () =>
                    resolve({
                        status: response.statusCode ?? 0,
                        headers: { ...response.headers },
                        body: Buffer.concat(chunks).toString("utf8"),
                    }),
                );
                response.on("error", failed);
                // The connection closed before the answer was complete (no "end").
                response.on("close", () => {
                    if (!response.complete) failed(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
                });
            });
            sent.end(body);
        });
    }

    // The base URL with the path and its query; a list is sent as the parameter repeated.
    private url(request: HttpRequest): string {
        const query = new URLSearchParams();
        for (const [name, value] of Object.entries(request.params ?? {})) {
            for (const one of typeof value === "string" ? [value] : value) query.append(name, one);
        }
        const search = query.toString();
        return `${this.base}/${request.path.replace(/^\/+/, "")}${search ? `?${search}` : ""}`;
    }
}

// Node's error code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, HPE_…), which errors.ts explains.
function codeOf(error: unknown): string {
    const code = (error as { code?: unknown } | undefined)?.code;
    return typeof code === "string" ? code : "ERR_NETWORK";
}
