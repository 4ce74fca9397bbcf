/**
 * Errors from the Management API, turned into messages a platform engineer can act on: the
 * operation, the connection, the HTTP status, Auth0's errorCode and message, and a hint. They
 * never carry a token, a secret or connection options — not even when an answer quotes them.
 */
import { truncate } from "../core/text";
import { isLoopback } from "./credentials";
import { redactQuoted } from "./redact";
import { seconds } from "./retry";
import { ErrorBodySchema, isConnectionNotFound } from "./wire";

/** What a request was doing: each names the scope it needs when Auth0 refuses it (403). */
export type Operation = "read connection" | "find connection" | "list connections" | "update deny list" | "get token";

/** What was being done when a request failed. */
export interface RequestContext {
    operation: Operation;
    /** Connection id or name, when the request concerns one. */
    connection?: string;
    /** Base URL of the tenant. */
    tenant: string;
    /** How hints name what the reader sets and runs; the provider's when absent. */
    terms?: HintTerms;
}

/**
 * How hints name what the reader can change or run, so a hint never names a setting the reader
 * did not use: a Pulumi stack's readers set `auth0:*` config or `AUTH0_*`, a command line's
 * readers its flags and variables.
 */
export interface HintTerms {
    /** Where the tenant's domain was given, e.g. `auth0:domain / AUTH0_DOMAIN` or `--domain`. */
    domain: string;
    /** The whole hint for credentials Auth0 rejected (401): which to check, and what they must be. */
    rejectedCredentials: string;
}

/**
 * The command that starts the local emulator from the installed package: it works in a Pulumi
 * project that installed the package and in a clone of this repository alike (both link its bin).
 */
export const EMULATOR_COMMAND = "npx pulumi-auth0-deny-list emulator";

/** The provider's terms: a Pulumi program reads stack config, else the environment. */
export const PROVIDER_TERMS: HintTerms = {
    domain: "auth0:domain / AUTH0_DOMAIN",
    rejectedCredentials:
        "Check auth0:clientId/auth0:clientSecret (or AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET, AUTH0_API_TOKEN): they must " +
        "belong to a Machine-to-Machine application authorised for the Management API.",
};

/**
 * What a failure may have changed in Auth0: `nothing`, or `maybe` the update (a write whose answer
 * never came). Undefined for a read, which changes nothing and need not say so.
 */
export type Written = "nothing" | "maybe";

/** What an error says when a write may have landed. */
export const MAY_HAVE_APPLIED = "The update may have been applied: run `pulumi refresh` to see what Auth0 stored.";

/** What an error says when nothing was sent that could change Auth0. */
export const NOTHING_WRITTEN = "Nothing was written.";

/**
 * An error that says, once and at its end, whether anything may have been written. The outcome
 * travels as a value (`written`), never as text to be read back: what happened (`detail`) can
 * grow (an attempt count) and another layer can restate the outcome, and the message stays whole.
 */
export class StatedError extends Error {
    override name = "StatedError";
    /** What happened, without the outcome. */
    detail: string;

    constructor(
        detail: string,
        readonly written?: Written,
    ) {
        super(stated(detail, written));
        this.detail = detail;
    }

    /** Adds `more` to what happened, before the outcome. */
    amend(more: string): void {
        this.detail += more;
        this.message = stated(this.detail, this.written);
    }
}

/** `detail` followed by what `written` says. */
export function stated(detail: string, written: Written | undefined): string {
    if (written === undefined) return detail;
    return `${detail} ${written === "maybe" ? MAY_HAVE_APPLIED : NOTHING_WRITTEN}`;
}

/** A failed Management API call. `status` is undefined for network errors and timeouts. */
export class Auth0Error extends StatedError {
    override name = "Auth0Error";

    constructor(
        detail: string,
        written?: Written,
        readonly status?: number,
        readonly errorCode?: string,
    ) {
        super(detail, written);
    }
}

// The scope each operation needs, named in the hint when Auth0 answers 403 without naming one.
const SCOPE_FOR: Record<Operation, string> = {
    "read connection": "read:connections and read:connections_options",
    "find connection": "read:connections and read:connections_options",
    "list connections": "read:connections and read:connections_options",
    "update deny list": "update:connections and update:connections_options",
    "get token": "(none: the application must be authorised for the Auth0 Management API)",
};

/**
 * Builds the error for an HTTP response that was not a success. `carried` are the values the
 * request sent (a PATCH's options): a proxy or firewall may quote them back, so the answer's
 * message is redacted of them before any of it is shown.
 */
export function errorFromResponse(
    context: RequestContext,
    status: number,
    rawBody: string,
    writes = false,
    carried: readonly string[] = [],
): Auth0Error {
    const body = parseErrorBody(rawBody);
    const auth0Message = clip(redactQuoted(body.message ?? body.error_description ?? body.error ?? "", carried));
    const code = body.errorCode ?? (status === 401 && body.error ? body.error : undefined);
    const detail = [`HTTP ${status}`, code, auth0Message && `"${auth0Message}"`].filter(Boolean).join(" ");
    const sentence = hint(context, status, auth0Message, rawBody);
    return new Auth0Error(
        `${prefix(context)}: ${detail}.${sentence ? ` ${sentence}` : ""}`,
        writtenAfter(status, writes),
        status,
        code,
    );
}

/**
 * Builds the error for a request that got no complete HTTP answer: a DNS, TLS or protocol
 * failure, or nothing listening on a loopback address (permanent: says the fix), or a timeout or
 * dropped connection (transient). For a write it says the truth: it may have been applied,
 * unless the connection was refused.
 */
export function errorFromNetwork(context: RequestContext, code: string, timeoutMs: number, writes = false): Auth0Error {
    const sent = code !== "ECONNREFUSED";
    return new Auth0Error(
        `${prefix(context)}: ${networkProblem(context, code, timeoutMs)}.`,
        writes && sent ? "maybe" : "nothing",
    );
}

/** Builds the error for a request not sent because the operation's time bound was reached. */
export function errorFromExpiry(context: RequestContext, boundMs: number): Auth0Error {
    return new Auth0Error(
        `${prefix(context)}: the operation's time bound (${seconds(boundMs)}) was reached before the request was sent.`,
        "nothing",
    );
}

/** Builds the error for a response whose body is not what the Management API sends. */
export function errorFromBody(context: RequestContext, status: number, problem: string, writes = false): Auth0Error {
    return new Auth0Error(
        `${prefix(context)}: HTTP ${status} with an unexpected body (${problem}). Is the domain really an Auth0 tenant?`,
        writes ? "maybe" : "nothing",
        status,
    );
}

/**
 * What a network error code says about a request to `tenant` (its base URL): `permanent` (DNS,
 * TLS, protocol, or nothing listening on a loopback address: retrying cannot fix it), `not-sent`
 * (the connection was refused: a write cannot have landed) or `transient`.
 */
export function networkFailureKind(code: string, tenant: string): "permanent" | "not-sent" | "transient" {
    if (
        /^(ENOTFOUND|EAI_FAIL|EPROTO|ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HPE_|ERR_INVALID_)/.test(
            code,
        )
    ) {
        return "permanent";
    }
    if (code !== "ECONNREFUSED") return "transient";
    // A local emulator that is not running does not start while we retry.
    return isLoopback(new URL(tenant).hostname) ? "permanent" : "not-sent";
}

// What an answer that was not a success says was written: a write Auth0 refused (a 4xx other
// than 408) was not applied; a server error (5xx, 408) may have been; a refused read need not say.
function writtenAfter(status: number, writes: boolean): Written | undefined {
    if (status >= 500 || status === 408) return writes ? "maybe" : "nothing";
    return writes ? "nothing" : undefined;
}

function networkProblem({ tenant, terms = PROVIDER_TERMS }: RequestContext, code: string, timeoutMs: number): string {
    if (code === "ENOTFOUND" || code === "EAI_FAIL") {
        return `the host of ${tenant} does not resolve (${code}): check ${terms.domain} (e.g. acme.eu.auth0.com)`;
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
    if (code === "ECONNREFUSED" && isLoopback(new URL(tenant).hostname)) {
        return `nothing is listening on ${tenant} (ECONNREFUSED): start the emulator (${EMULATOR_COMMAND}) or correct ${terms.domain}`;
    }
    if (code === "ETIMEDOUT") {
        return `no complete answer from ${tenant} within ${seconds(timeoutMs)} (ETIMEDOUT; AUTH0_DENY_LIST_TIMEOUT_MS sets the deadline)`;
    }
    return `no answer from ${tenant} (${code}): check the domain and your network`;
}

function prefix(context: RequestContext): string {
    const target = context.connection ? ` for connection ${context.connection}` : "";
    return `Auth0 ${context.operation}${target} on ${context.tenant} failed`;
}

function hint(context: RequestContext, status: number, auth0Message: string, rawBody: string): string {
    switch (status) {
        case 401:
            return (context.terms ?? PROVIDER_TERMS).rejectedCredentials;
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
            if (status >= 500 || status === 408) return "Auth0 had a server error; retrying later usually succeeds.";
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
