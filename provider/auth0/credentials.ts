/**
 * Where the Management API credentials come from: stack config (`auth0:*`, the keys of the
 * official @pulumi/auth0 provider) first, then `AUTH0_*` environment variables. Resolved at
 * call time and never stored in the serialized provider.
 */
import { isIP } from "node:net";

/** Resolved credentials for one tenant. */
export interface Credentials {
    /** `https://tenant.auth0.com` (or `http://127.0.0.1:PORT` for a loopback emulator), no trailing slash. */
    baseUrl: string;
    clientId?: string;
    clientSecret?: string;
    /** A ready Management API token, used instead of client credentials when set. */
    apiToken?: string;
}

/** Stack config values as `configure` received them, keyed `auth0:domain` etc. */
export type ConfigValues = Readonly<Record<string, string | undefined>>;

const KEYS = {
    domain: ["auth0:domain", "AUTH0_DOMAIN"],
    clientId: ["auth0:clientId", "AUTH0_CLIENT_ID"],
    clientSecret: ["auth0:clientSecret", "AUTH0_CLIENT_SECRET"],
    apiToken: ["auth0:apiToken", "AUTH0_API_TOKEN"],
} as const;

/** Resolves credentials, or throws an error saying which setting is missing and how to set it. */
export function resolveCredentials(config: ConfigValues, env: NodeJS.ProcessEnv = process.env): Credentials {
    const pick = ([configKey, envKey]: readonly [string, string]) =>
        nonEmpty(config[configKey]) ?? nonEmpty(env[envKey]);
    const domain = pick(KEYS.domain);
    if (!domain) {
        throw new Error(
            "Auth0 domain is not set: run `pulumi config set auth0:domain <tenant>.auth0.com` or set AUTH0_DOMAIN",
        );
    }
    const credentials: Credentials = {
        baseUrl: baseUrlOf(domain),
        clientId: pick(KEYS.clientId),
        clientSecret: pick(KEYS.clientSecret),
        apiToken: pick(KEYS.apiToken),
    };
    if (!credentials.apiToken && !(credentials.clientId && credentials.clientSecret)) {
        throw new Error(
            "Auth0 credentials are not set: run `pulumi config set auth0:clientId <id>` and " +
                "`pulumi config set --secret auth0:clientSecret <secret>` (or set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN)",
        );
    }
    return credentials;
}

function nonEmpty(value: string | undefined): string | undefined {
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
}

/**
 * Turns `tenant.eu.auth0.com` or a full URL into a base URL. Plain http is accepted only for
 * loopback hosts (a local emulator): a token must never cross a network unencrypted.
 */
export function baseUrlOf(domain: string): string {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(domain) ? domain : `https://${domain}`;
    let url: URL;
    try {
        url = new URL(withScheme);
    } catch {
        throw new Error(`Auth0 domain ${JSON.stringify(domain)} is not a host name or URL: use e.g. acme.eu.auth0.com`);
    }
    if (url.protocol === "http:" && !isLoopback(url.hostname)) {
        throw new Error(
            `Auth0 domain ${JSON.stringify(domain)} uses plain http, allowed only for loopback hosts: use https://${url.host}`,
        );
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new Error(`Auth0 domain ${JSON.stringify(domain)} must use https`);
    }
    return url.origin;
}

/** True for localhost, 127.0.0.0/8 and ::1. */
export function isLoopback(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, "");
    if (host === "localhost" || host === "::1") return true;
    return isIP(host) === 4 && host.startsWith("127.");
}

/**
 * The per-request timeout from `AUTH0_DENY_LIST_TIMEOUT_MS`, or undefined for the client's
 * default (30 s). Throws, naming the variable, when it is not a positive whole number.
 */
export function requestTimeoutMs(env: NodeJS.ProcessEnv): number | undefined {
    const raw = env.AUTH0_DENY_LIST_TIMEOUT_MS?.trim();
    if (!raw) return undefined;
    const ms = Number(raw);
    if (!Number.isInteger(ms) || ms <= 0) {
        throw new Error(
            `AUTH0_DENY_LIST_TIMEOUT_MS=${JSON.stringify(raw)} is not a whole number of milliseconds: use e.g. 30000, or unset it`,
        );
    }
    return ms;
}
