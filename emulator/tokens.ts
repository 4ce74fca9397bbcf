import { randomBytes } from "node:crypto";

/** What a bearer token amounts to. */
export type TokenState = "valid" | "expired" | "unknown";

/** Issues opaque access tokens and tracks their expiry server side. */
export class TokenIssuer {
    private readonly expiries = new Map<string, number>();

    /**
     * @param ttlSeconds lifetime of each token
     * @param now clock in milliseconds
     */
    constructor(
        readonly ttlSeconds: number,
        private readonly now: () => number = Date.now,
    ) {}

    /** A new token, valid for `ttlSeconds`. */
    issue(): string {
        const token = `emu_${randomBytes(24).toString("base64url")}`;
        this.expiries.set(token, this.now() + this.ttlSeconds * 1000);
        return token;
    }

    /** Whether `token` may be used now. */
    check(token: string): TokenState {
        const expiry = this.expiries.get(token);
        if (expiry === undefined) return "unknown";
        return this.now() < expiry ? "valid" : "expired";
    }

    /** Expires every token issued so far. */
    expireAll(): void {
        for (const token of this.expiries.keys()) this.expiries.set(token, 0);
    }

    /** Every token issued so far. */
    issued(): string[] {
        return [...this.expiries.keys()];
    }
}
