/**
 * One HTTP exchange with the tenant, and nothing about what it means: the body goes out as the
 * exact text given and comes back as text, the answer must be complete within a real deadline
 * (not an idle-socket timeout: a body trickling in is cut off), and a failure is a network error
 * code, never an exception carrying the request (its Authorization header included).
 */
import http from "node:http";
import https from "node:https";
import axios, { type AxiosInstance } from "axios";

// Large enough for any real connection (a few KB; a SAML one with certificates tens of KB), small
// enough that a hostile answer cannot exhaust memory.
/** The largest answer body read. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

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

/** Sends requests to one tenant over keep-alive connections. */
export class Transport {
    private readonly http: AxiosInstance;

    constructor(baseUrl: string) {
        this.http = axios.create({
            baseURL: baseUrl,
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
            // axios' default writes a list as `strategy[]=a`, which Auth0 does not read.
            paramsSerializer: { indexes: null },
            proxy: false,
        });
    }

    /**
     * Sends `request`. Its answer must be complete within `timeoutMs`; the request itself is
     * aborted after `keepOpenMs` (at least `timeoutMs`): a write that missed its deadline is kept
     * open so that the caller can wait until it can no longer land.
     */
    send(request: HttpRequest, timeoutMs: number, keepOpenMs = timeoutMs): Exchange {
        const abort = new AbortController();
        const response = this.http.request<string>({
            method: request.method,
            url: request.path,
            params: request.params,
            data: request.body,
            signal: abort.signal,
            headers: {
                ...(request.token ? { Authorization: `Bearer ${request.token}` } : {}),
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
        const abortTimer = setTimeout(() => abort.abort(), Math.max(timeoutMs, keepOpenMs));
        let deadlineTimer: NodeJS.Timeout | undefined;
        const deadline = new Promise<Answer>((resolve) => {
            deadlineTimer = setTimeout(() => resolve({ status: undefined, code: "ETIMEDOUT" }), timeoutMs);
        });
        const settled = outcome.then(() => clearTimeout(abortTimer));
        const answer = Promise.race([outcome, deadline]).finally(() => clearTimeout(deadlineTimer));
        return { answer, settled };
    }
}
