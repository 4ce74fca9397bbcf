/**
 * Errors from the Management API, turned into messages a platform engineer can act on: the
 * operation, the connection, the HTTP status, Auth0's errorCode and message, and a hint. They
 * never carry a token, a secret or connection options.
 */
import { truncate } from "../text";
import { ErrorBodySchema, isConnectionNotFound } from "./wire";

/** What was being done when a request failed. */
export interface RequestContext {
    /** e.g. "read connection", "update deny list". */
    operation: string;
    /** Connection id or name, when the request concerns one. */
    connection?: string;
    /** Base URL of the tenant. */
    tenant: string;
}

/** A failed Management API call. `status` is undefined for network errors and timeouts. */
export class Auth0Error extends Error {
    override name = "Auth0Error";

    constructor(
        message: string,
        readonly status?: number,
        readonly errorCode?: string,
    ) {
        super(message);
    }
}

// The scope each operation needs, named in the hint when Auth0 answers 403 without naming one.
const SCOPE_FOR: Record<string, string> = {
    "read connection": "read:connections and read:connections_options",
    "find connection": "read:connections and read:connections_options",
    "list connections": "read:connections and read:connections_options",
    "update deny list": "update:connections and update:connections_options",
    "get token": "(none: the application must be authorised for the Auth0 Management API)",
};

/** Builds the error for an HTTP response that was not a success. */
export function errorFromResponse(
    context: RequestContext,
    status: number,
    rawBody: string,
    writes = false,
): Auth0Error {
    const body = parseErrorBody(rawBody);
    const auth0Message = clip(body.message ?? body.error_description ?? body.error ?? "");
    const code = body.errorCode ?? (status === 401 && body.error ? body.error : undefined);
    const detail = [`HTTP ${status}`, code, auth0Message && `"${auth0Message}"`].filter(Boolean).join(" ");
    return new Auth0Error(
        `${prefix(context)}: ${detail}. ${hint(context, status, auth0Message, writes, rawBody)}`,
        status,
        code,
    );
}

/**
 * Builds the error for a request that got no complete HTTP answer: a DNS, TLS or protocol
 * failure (permanent: says the fix), or a timeout or dropped connection (transient). For a
 * write it says the truth: it may have been applied.
 */
export function errorFromNetwork(context: RequestContext, code: string, timeoutMs: number, writes = false): Auth0Error {
    return new Auth0Error(
        `${prefix(context)}: ${networkProblem(context.tenant, code, timeoutMs)}. ${outcomeOf(writes)}`,
    );
}

/** Builds the error for a response whose body is not what the Management API sends. */
export function errorFromBody(context: RequestContext, status: number, problem: string, writes = false): Auth0Error {
    return new Auth0Error(
        `${prefix(context)}: HTTP ${status} with an unexpected body (${problem}). ` +
            `Is the domain really an Auth0 tenant? ${outcomeOf(writes)}`,
        status,
    );
}

/**
 * What a network error code says: `permanent` (DNS, TLS, protocol: retrying cannot fix it),
 * `not-sent` (the connection was refused: a write cannot have landed) or `transient`.
 */
export function networkFailureKind(code: string): "permanent" | "not-sent" | "transient" {
    if (
        /^(ENOTFOUND|EAI_FAIL|EPROTO|ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HPE_|ERR_INVALID_)/.test(
            code,
        )
    ) {
        return "permanent";
    }
    return code === "ECONNREFUSED" ? "not-sent" : "transient";
}

// What a failed request may have changed.
function outcomeOf(writes: boolean): string {
    return writes
        ? "The update may have been applied: run `pulumi refresh` to see what Auth0 stored."
        : "Nothing was written.";
}

function networkProblem(tenant: string, code: string, timeoutMs: number): string {
    if (code === "ENOTFOUND" || code === "EAI_FAIL") {
        return `the host of ${tenant} does not resolve (${code}): check auth0:domain / AUTH0_DOMAIN (e.g. acme.eu.auth0.com)`;
    }
    if (/^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_CERT)/.test(code)) {
        return (
            `the TLS certificate of ${tenant} is not trusted (${code}); verification is never turned off: ` +
            "use the tenant's real domain, or add a corporate CA with NODE_EXTRA_CA_CERTS"
        );
    }
    if (/^(EPROTO|ERR_SSL_|ERR_TLS_|HPE_)/.test(code)) {
        return `${tenant} does not speak HTTPS as an Auth0 tenant does (${code}): for a local emulator use http://127.0.0.1:PORT`;
    }
    if (code === "ETIMEDOUT") {
        return `no complete answer from ${tenant} within ${(timeoutMs / 1000).toFixed(1)} s (ETIMEDOUT; AUTH0_DENY_LIST_TIMEOUT_MS sets the deadline)`;
    }
    return `no answer from ${tenant} (${code}): check the domain and your network`;
}

function prefix(context: RequestContext): string {
    const target = context.connection ? ` for connection ${context.connection}` : "";
    return `Auth0 ${context.operation}${target} on ${context.tenant} failed`;
}

function hint(context: RequestContext, status: number, auth0Message: string, writes: boolean, rawBody: string): string {
    switch (status) {
        case 401:
            return "Check auth0:clientId/auth0:clientSecret (or AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET, AUTH0_API_TOKEN): they must belong to a Machine-to-Machine application authorised for the Management API.";
        case 403: {
            const named = /expected any of: ([\w:, ]+)/.exec(auth0Message)?.[1];
            const scope = named ?? SCOPE_FOR[context.operation] ?? "the connection scopes";
            return `Grant the scope ${scope} to the Machine-to-Machine application (Applications → APIs → Auth0 Management API → Machine to Machine Applications).`;
        }
        case 404:
            if (context.connection === undefined) {
                return `The Management API was not found on ${context.tenant}: check that the domain is your Auth0 tenant's.`;
            }
            if (!isConnectionNotFound(rawBody)) {
                // Not Auth0's answer for a missing connection: a wrong host, a proxy, a custom domain.
                return `This 404 is not Auth0's answer for a missing connection: check that ${context.tenant} is your tenant's Management API domain. Nothing was changed in state.`;
            }
            return `Connection ${context.connection} does not exist in tenant ${context.tenant}: check connectionId/connectionName for this stack.`;
        case 429:
            return "The tenant's rate limit was still exceeded after retrying; try again later or run with fewer parallel operations (pulumi up --parallel).";
        default:
            if (status >= 500 || status === 408) {
                return `Auth0 had a server error; retrying later usually succeeds. ${outcomeOf(writes)}`;
            }
            return "";
    }
}

function parseErrorBody(raw: string): {
    message?: string;
    error?: string;
    error_description?: string;
    errorCode?: string;
} {
    try {
        const parsed = ErrorBodySchema.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : {};
    } catch {
        return {};
    }
}

// Auth0 messages are short; a long one is not Auth0's and is not worth echoing.
function clip(text: string): string {
    return truncate(text.replace(/\s+/g, " ").trim(), 200);
}

/**
 * Replaces every occurrence of the given secrets in `text` with `[redacted]`: as written,
 * URL-encoded and form-encoded (a secret travels in a token request's form body and in query
 * strings), and the password of any `scheme://user:password@host` in the text.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
    const variants = new Set<string>();
    for (const secret of secrets) {
        if (!secret || secret.length < 4) continue;
        variants.add(secret);
        variants.add(encodeURIComponent(secret));
        variants.add(new URLSearchParams({ s: secret }).toString().slice(2));
    }
    // Longest first, so a shorter variant never leaves the tail of a longer one behind.
    const withoutSecrets = [...variants]
        .sort((a, b) => b.length - a.length)
        .reduce<string>((out, variant) => out.split(variant).join("[redacted]"), text);
    return withoutSecrets.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]*@/gi, "$1:[redacted]@");
}
