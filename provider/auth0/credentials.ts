/**
 * Where the Management API credentials come from: stack config (`auth0:*`, the keys of the
 * official @pulumi/auth0 provider) or else `AUTH0_*` environment variables, each used whole.
 * Resolved at call time and never stored in the serialized provider.
 */
import { isIP } from "node:net";
import { nonEmpty } from "../core/text";
import { redact } from "./redact";

/** Which source the credentials were taken from. */
type CredentialSource = "stack config" | "environment";

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

/** The stack config keys, the official @pulumi/auth0 provider's. */
export const CONFIG_KEYS = {
    domain: "auth0:domain",
    clientId: "auth0:clientId",
    clientSecret: "auth0:clientSecret",
    apiToken: "auth0:apiToken",
} as const;
/** The environment variables, used when stack config sets none of the keys. */
export const ENV_KEYS = {
    domain: "AUTH0_DOMAIN",
    clientId: "AUTH0_CLIENT_ID",
    clientSecret: "AUTH0_CLIENT_SECRET",
    apiToken: "AUTH0_API_TOKEN",
} as const;

/** A credential setting: the Auth0 domain, a client id and secret, or a ready API token. */
export type Field = keyof typeof CONFIG_KEYS;

/**
 * How a reader names its stack config keys, so every message says what to set: the dynamic
 * provider reads `auth0:*` (the default), the provider plugin `auth0-deny-list:*`.
 */
export interface ConfigNaming {
    /** The key of each setting, e.g. `auth0:domain`. */
    keys: Readonly<Record<Field, string>>;
    /** Another way to set a setting, named after the `pulumi config set` command, e.g. a provider argument. */
    alternative?: (field: Field) => string;
}

/** Credentials that cannot be resolved: the message says how to fix `field`. */
export class CredentialSettingError extends Error {
    override name = "CredentialSettingError";
    constructor(
        message: string,
        readonly field: Field,
    ) {
        super(message);
    }
}

/** The dynamic provider's naming: `auth0:*`, the keys of the official @pulumi/auth0 provider. */
export const AUTH0_CONFIG: ConfigNaming = { keys: CONFIG_KEYS };

/**
 * Resolves credentials, or throws an error saying which setting is missing and how to set it.
 * One source is used whole: stack config when it sets any of its keys, else the environment.
 * Mixing them could send one tenant's secret to another tenant's domain, or let a token left
 * in a shell override the stack's own credentials.
 */
export function resolveCredentials(
    config: ConfigValues,
    env: NodeJS.ProcessEnv = process.env,
    naming: ConfigNaming = AUTH0_CONFIG,
): Credentials {
    const { keys } = naming;
    const set = (field: Field) => setCommand(naming, field);
    const fromConfig = valuesOf(config, keys);
    if (Object.values(fromConfig).some((value) => value !== undefined)) {
        const namespace = keys.domain.split(":")[0];
        return complete(
            fromConfig,
            "stack config",
            {
                domain: `stack config sets other ${namespace}:* keys but not ${keys.domain}: run ${set("domain")}`,
                credentials:
                    `stack config sets ${keys.domain} but no credentials: run ${set("clientId")} and ` +
                    `${set("clientSecret")} (or \`--secret ${keys.apiToken}\`)`,
                clientSecret: keys.clientSecret,
                clientId: keys.clientId,
            },
            keys,
        );
    }
    return complete(
        valuesOf(env, ENV_KEYS),
        "environment",
        {
            domain: `run ${set("domain")} or set AUTH0_DOMAIN`,
            credentials:
                `run ${set("clientId")} and ${set("clientSecret")} ` +
                "(or set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN)",
            clientSecret: "AUTH0_CLIENT_SECRET",
            clientId: "AUTH0_CLIENT_ID",
        },
        keys,
    );
}

const PLACEHOLDERS: Readonly<Record<Field, string>> = {
    domain: "<tenant>.auth0.com",
    clientId: "<id>",
    clientSecret: "<secret>",
    apiToken: "<token>",
};

// `pulumi config set [--secret] KEY <placeholder>`, then the naming's other way to set it, if any.
function setCommand(naming: ConfigNaming, field: Field): string {
    const secret = field === "clientSecret" || field === "apiToken" ? "--secret " : "";
    const command = `\`pulumi config set ${secret}${naming.keys[field]} ${PLACEHOLDERS[field]}\``;
    return naming.alternative ? `${command} (${naming.alternative(field)})` : command;
}

function valuesOf(source: Readonly<Record<string, string | undefined>>, keys: Record<Field, string>) {
    const values = {} as Record<Field, string | undefined>;
    for (const field of Object.keys(keys) as Field[]) values[field] = nonEmpty(source[keys[field]]);
    return values;
}

// The environment's values are never consulted here: the rule is "one source", not "key by key".
function complete(
    values: Record<Field, string | undefined>,
    source: CredentialSource,
    fix: { domain: string; credentials: string; clientId: string; clientSecret: string },
    keys: ConfigNaming["keys"],
): Credentials {
    if (!values.domain) throw new CredentialSettingError(`Auth0 domain is not set: ${fix.domain}`, "domain");
    const { clientId, clientSecret, apiToken } = values;
    if (!apiToken && !(clientId && clientSecret)) {
        if (clientId || clientSecret) {
            const missing = clientId ? "clientSecret" : "clientId";
            const also =
                source === "stack config" ? " (AUTH0_* environment variables are not mixed with stack config)" : "";
            throw new CredentialSettingError(
                `Auth0 credentials in ${source} are incomplete: ${fix[missing]} is not set${also}`,
                missing,
            );
        }
        throw new CredentialSettingError(`Auth0 credentials are not set: ${fix.credentials}`, "clientId");
    }
    try {
        return {
            baseUrl: baseUrlOf(values.domain, `${keys.clientId}/${keys.clientSecret}`),
            clientId,
            clientSecret,
            apiToken,
        };
    } catch (error) {
        throw new CredentialSettingError((error as Error).message, "domain");
    }
}

// A DNS host name: dot-separated labels of letters, digits and inner hyphens (RFC 1123).
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Turns `tenant.eu.auth0.com` or a full URL into a base URL. Plain http is accepted only for
 * loopback hosts (a local emulator): a token must never cross a network unencrypted. Anything
 * that cannot be a tenant's address fails here, before any request. `credentialsIn` names where
 * credentials belong instead, for a domain that carries them.
 */
export function baseUrlOf(
    domain: string,
    credentialsIn = `${CONFIG_KEYS.clientId}/${CONFIG_KEYS.clientSecret}`,
): string {
    // A domain may carry a password (https://user:pass@host): never echo it.
    const shown = JSON.stringify(redact(domain, []));
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(domain);
    let url: URL;
    try {
        url = new URL(hasScheme ? domain : `https://${domain}`);
    } catch {
        throw new Error(`Auth0 domain ${shown} is not a host name or URL: use e.g. acme.eu.auth0.com`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new Error(`Auth0 domain ${shown} must use https`);
    }
    // The local emulator speaks plain http; https:// implied for it fails later with a TLS error.
    if (!hasScheme && isLoopback(url.hostname)) {
        throw new Error(`Auth0 domain ${shown} is a loopback host without a scheme: use http://${url.host}`);
    }
    if (url.username || url.password) {
        throw new Error(
            `Auth0 domain ${shown} carries a user name or password: give only the host, e.g. ${url.protocol}//${url.host}, and the credentials in ${credentialsIn}`,
        );
    }
    if (url.pathname !== "/" || url.search || url.hash) {
        throw new Error(`Auth0 domain ${shown} has a path, query or fragment: use ${url.protocol}//${url.host}`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host) === 0 && !HOST_NAME.test(host)) {
        throw new Error(`Auth0 domain ${shown} is not a host name: use e.g. acme.eu.auth0.com`);
    }
    if (url.protocol === "http:" && !isLoopback(url.hostname)) {
        throw new Error(
            `Auth0 domain ${shown} uses plain http, allowed only for loopback hosts: use https://${url.host}`,
        );
    }
    return url.origin;
}

/** True for localhost, 127.0.0.0/8 and ::1. */
export function isLoopback(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, "");
    if (host === "localhost" || host === "::1") return true;
    return isIP(host) === 4 && host.startsWith("127.");
}

/** The environment variable that sets the per-request deadline. */
export const TIMEOUT_VARIABLE = "AUTH0_DENY_LIST_TIMEOUT_MS";

/**
 * The per-request timeout from `AUTH0_DENY_LIST_TIMEOUT_MS`, or undefined for the client's
 * default (30 s). Throws, naming the variable, when it is not a positive whole number.
 */
export function requestTimeoutMs(env: NodeJS.ProcessEnv): number | undefined {
    const raw = env[TIMEOUT_VARIABLE]?.trim();
    if (!raw) return undefined;
    const ms = Number(raw);
    if (!Number.isInteger(ms) || ms <= 0) {
        throw new Error(
            `${TIMEOUT_VARIABLE}=${JSON.stringify(raw)} is not a whole number of milliseconds: use e.g. 30000, or unset it`,
        );
    }
    return ms;
}
