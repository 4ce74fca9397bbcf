/**
 * Management API access tokens: a configured static token, or one obtained with client
 * credentials, cached until shortly before it expires, with one request in flight shared by all
 * callers. A token the API rejects (401: expired or revoked mid-run) is renewed once, for every
 * operation that used it; a renewed token rejected too means the credentials are wrong.
 */
import { classify } from "./classify";
import type { Credentials } from "./credentials";
import type { HintTerms } from "./errors";
import type { Retrier } from "./retry";
import type { Transport } from "./transport";
import { TokenResponseSchema } from "./wire";

/** Seconds before expiry at which a cached token is no longer used. */
const EXPIRY_MARGIN_SECONDS = 60;

/**
 * Fetches a new token, `{accessToken, expiresInSeconds}`, within `deadline` (epoch ms): that of
 * the operation that needs it, whose time bound covers the fetch.
 */
export type TokenFetcher = (deadline?: number) => Promise<{ accessToken: string; expiresInSeconds: number }>;

/** Hands out a valid token, fetching one only when needed. */
export class TokenCache {
    private cached?: { token: string; expiresAt: number };
    private inFlight?: Promise<string>;
    /** The next token fetched replaces one the API rejected. */
    private renewing = false;
    /** A token fetched to replace a rejected one, until the API accepts it. */
    private renewal?: string;
    private readonly handedOut = new Set<string>();

    /**
     * @param fetchToken gets a new token
     * @param now clock in milliseconds
     * @param renewable false for a configured token: fetching again cannot give another
     */
    constructor(
        private readonly fetchToken: TokenFetcher,
        private readonly now: () => number = Date.now,
        private readonly renewable = true,
    ) {}

    /**
     * A token valid for at least the margin, fetched (when needed) within `deadline`, the
     * operation's. Concurrent callers share one fetch, bounded by the deadline of the caller that
     * started it, so none waits past its own deadline; one that joined with more time left may see
     * a fetch cut short by that bound, which only happens while the token endpoint fails anyway.
     */
    async get(deadline?: number): Promise<string> {
        if (this.cached && this.cached.expiresAt > this.now()) return this.cached.token;
        this.inFlight ??= this.fetchToken(deadline)
            .then(({ accessToken, expiresInSeconds }) => {
                const lifetime = Math.max(0, expiresInSeconds - EXPIRY_MARGIN_SECONDS) * 1000;
                this.cached = { token: accessToken, expiresAt: this.now() + lifetime };
                this.handedOut.add(accessToken);
                if (this.renewing) this.renewal = accessToken;
                this.renewing = false;
                return accessToken;
            })
            .finally(() => {
                this.inFlight = undefined;
            });
        return this.inFlight;
    }

    /**
     * The API rejected `token` (401). Returns whether a request with a fresh token is worth
     * making: yes for a token not yet renewed (its renewal is shared by every operation that used
     * it), no for a configured token or one that was itself the renewal of a rejected token.
     */
    rejected(token: string): boolean {
        if (!this.renewable || token === this.renewal) return false;
        if (this.cached?.token === token) {
            this.cached = undefined;
            this.renewing = true;
        }
        return true;
    }

    /** The API accepted `token`: should it be rejected later (expiry, revocation), it is renewed again. */
    accepted(token: string): void {
        if (token === this.renewal) this.renewal = undefined;
    }

    /** Every token handed out so far: never to be printed. */
    issued(): string[] {
        return [...this.handedOut];
    }
}

/**
 * The token cache for `credentials`: their static token, or client-credentials tokens fetched
 * through `transport` (`POST /oauth/token`), each fetch retried under `retry`; `terms` name the
 * settings in its errors' hints.
 */
export function tokensFor(
    credentials: Credentials,
    transport: Transport,
    retry: Retrier,
    timeoutMs: number,
    terms?: HintTerms,
): TokenCache {
    const { apiToken, baseUrl, clientId, clientSecret } = credentials;
    if (apiToken) {
        const forever = Number.MAX_SAFE_INTEGER / 1000;
        const fixed = async () => ({ accessToken: apiToken, expiresInSeconds: forever });
        return new TokenCache(fixed, () => retry.clock.now(), false);
    }
    const asked = {
        method: "POST",
        path: "/oauth/token",
        context: { operation: "get token", tenant: baseUrl, terms },
        schema: TokenResponseSchema,
    } as const;
    const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId ?? "",
        client_secret: clientSecret ?? "",
        audience: `${baseUrl}/api/v2/`,
    }).toString();
    // One attempt: the Authentication API has its own limits, so the Management API's gate is not passed.
    const attempt = async (deadline: number) => {
        const budget = Math.min(timeoutMs, Math.max(1, deadline - retry.clock.now()));
        const request = { ...asked, body: form, contentType: "application/x-www-form-urlencoded" };
        const answer = await transport.send(request, budget).answer;
        return classify(asked, answer, { timeoutMs: budget, secrets: [clientSecret] });
    };
    const fetchToken = async (deadline?: number) => {
        const token = await retry.run(attempt, deadline);
        return { accessToken: token.access_token, expiresInSeconds: token.expires_in };
    };
    return new TokenCache(fetchToken, () => retry.clock.now());
}
