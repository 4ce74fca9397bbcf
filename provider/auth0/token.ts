/**
 * Management API access tokens: a configured static token, or one obtained with client
 * credentials, cached until shortly before it expires, with one request in flight shared by
 * all callers.
 */

/** Seconds before expiry at which a cached token is no longer used. */
export const EXPIRY_MARGIN_SECONDS = 60;

/** Fetches a new token: `{accessToken, expiresInSeconds}`. */
export type TokenFetcher = () => Promise<{ accessToken: string; expiresInSeconds: number }>;

/** Hands out a valid token, fetching one only when needed. */
export class TokenCache {
    private cached?: { token: string; expiresAt: number };
    private inFlight?: Promise<string>;
    private rejectedInARow = 0;

    constructor(
        private readonly fetchToken: TokenFetcher,
        private readonly now: () => number = Date.now,
    ) {}

    /** A token valid for at least the margin; concurrent callers share one fetch. */
    async get(): Promise<string> {
        if (this.cached && this.cached.expiresAt > this.now()) return this.cached.token;
        this.inFlight ??= this.fetchToken()
            .then(({ accessToken, expiresInSeconds }) => {
                const lifetime = Math.max(0, expiresInSeconds - EXPIRY_MARGIN_SECONDS) * 1000;
                this.cached = { token: accessToken, expiresAt: this.now() + lifetime };
                return accessToken;
            })
            .finally(() => {
                this.inFlight = undefined;
            });
        return this.inFlight;
    }

    /**
     * Forgets `token` after the API rejected it (401), unless a newer one already replaced it.
     * Returns false when a token was already rejected since the last accepted request: a fresh
     * token that is refused too means the credentials are wrong, and asking again cannot help.
     */
    invalidate(token: string): boolean {
        if (this.cached?.token === token) this.cached = undefined;
        this.rejectedInARow++;
        return this.rejectedInARow <= 1;
    }

    /** The API accepted a token: a later 401 (expiry, revocation) deserves a refresh again. */
    accepted(): void {
        this.rejectedInARow = 0;
    }
}
