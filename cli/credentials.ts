/**
 * Credentials of the command line: `--domain`/`--client-id` or `AUTH0_*` for the tenant, and the
 * `--compare` target (an env file, or, with `--same-credentials`, a domain reached with the first
 * tenant's credentials). Secrets come from the environment or the env file only. Validation and
 * URL rules are the provider's (`resolveCredentials`); this module only says, in the command
 * line's terms, what is missing.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { baseUrlOf, type Credentials, ENV_KEYS, resolveCredentials } from "../provider/auth0/credentials";
import type { HintTerms } from "../provider/auth0/errors";
import { nonEmpty } from "../provider/core/text";
import type { TargetFlags } from "./args";

/** Credentials that cannot be used; the message says what to set. */
export class CredentialsError extends Error {
    override name = "CredentialsError";
}

/** A tenant's credentials and where they were read, so messages can name the setting to fix. */
export interface CliTenant {
    credentials: Credentials;
    /** "the environment" or the env file given to `--compare`. */
    source: string;
    /** Where the domain and the client id were given, as the reader gave them: `--domain`, `AUTH0_DOMAIN in dev.env`. */
    given: { domain: string; clientId: string };
}

/**
 * The tenant to audit: flags first, then `AUTH0_*` from `env`. With `--client-id` the client
 * credentials are used even when `AUTH0_API_TOKEN` is set.
 */
export function primaryCredentials(flags: TargetFlags, env: NodeJS.ProcessEnv): CliTenant {
    // --client-id names the credentials to use: a token left in the environment must not override it.
    const used = flags.clientId === undefined ? env : { ...env, AUTH0_API_TOKEN: undefined };
    const given = {
        domain: flags.domain === undefined ? "AUTH0_DOMAIN" : "--domain",
        clientId: flags.clientId === undefined ? "AUTH0_CLIENT_ID" : "--client-id",
    };
    const credentials = resolve(
        { AUTH0_DOMAIN: flags.domain, AUTH0_CLIENT_ID: flags.clientId },
        used,
        "the environment",
        {
            domain: "set AUTH0_DOMAIN or pass --domain <tenant>.auth0.com",
            credentials:
                "set AUTH0_CLIENT_ID (or pass --client-id) and AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN; " +
                "the secret is read from the environment only, never from a flag",
        },
        given.domain,
    );
    return { credentials, source: "the environment", given };
}

/**
 * The tenant given to `--compare`: when `target` names an existing file, the `AUTH0_*` lines of
 * that file and nothing else. Otherwise `target` is a domain, reached with `primary`'s
 * credentials (the same client id and secret, or API token) only when `sameCredentials` says so:
 * a mistyped file name must not send the first tenant's secret to whatever host it spells.
 */
export function compareCredentials(
    target: string,
    primary: CliTenant,
    cwd: string,
    sameCredentials = false,
): CliTenant {
    const file = path.resolve(cwd, target);
    if (isFile(file)) {
        if (sameCredentials) {
            throw new CredentialsError(
                `--same-credentials applies to a --compare domain, but ${JSON.stringify(target)} is a file: ` +
                    "its own AUTH0_* lines are used. Drop --same-credentials.",
            );
        }
        const values = parseEnvFile(readFileSync(file, "utf8"), target);
        const given = { domain: `AUTH0_DOMAIN in ${target}`, clientId: `AUTH0_CLIENT_ID in ${target}` };
        const credentials = resolve(
            values,
            {},
            target,
            {
                domain: `add an AUTH0_DOMAIN=<tenant>.auth0.com line to ${target}`,
                credentials: `add AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (or AUTH0_API_TOKEN) lines to ${target}`,
            },
            given.domain,
        );
        return { credentials, source: target, given };
    }
    if (looksLikeFile(target)) {
        throw new CredentialsError(
            `--compare ${JSON.stringify(target)}: no such file (${file}). Give an existing env file with the other ` +
                "tenant's AUTH0_* lines, or a domain such as acme-dev.eu.auth0.com with --same-credentials.",
        );
    }
    const baseUrl = wrap(() => baseUrlOf(target, CLI_CREDENTIALS), "--compare");
    if (!sameCredentials) {
        throw new CredentialsError(
            `--compare ${JSON.stringify(target)} is not an existing file, so it is a domain (${baseUrl}), and reaching ` +
                "it would send the first tenant's client secret or token there. Add --same-credentials if both tenants " +
                "share these credentials, or give an env file with the other tenant's AUTH0_* lines.",
        );
    }
    return {
        ...primary,
        credentials: { ...primary.credentials, baseUrl },
        given: { ...primary.given, domain: "--compare" },
    };
}

/** How the Auth0 client's hints name this tenant's settings: as the reader gave them, never stack config. */
export function hintTermsOf(tenant: CliTenant): HintTerms {
    return { domain: tenant.given.domain, rejectedCredentials: rejectedCredentialHint(tenant) };
}

// Where the command line's credentials go, for a domain that carries them in its URL.
const CLI_CREDENTIALS = "AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET";

// File extensions of the env files people keep; no Auth0 tenant's domain ends in one of them.
const FILE_EXTENSIONS = new Set(["env", "dotenv", "txt", "json", "yaml", "yml", "ini", "conf", "cfg", "local", "sh"]);

/** True when `target` reads as a path or a file name rather than a domain. */
function looksLikeFile(target: string): boolean {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return false;
    if (/[/\\]/.test(target) || target.startsWith(".") || target.startsWith("~")) return true;
    const host = target.replace(/:\d+$/, "");
    // A tenant's domain has at least two labels; "prod" or "dev.env" is a file name.
    return !host.includes(".") || FILE_EXTENSIONS.has(host.split(".").pop()?.toLowerCase() ?? "");
}

/**
 * Which credential the tool sends, in its own terms (`AUTH0_*` variables and flags, never the
 * `auth0:*` stack config a Pulumi program reads): a token wins over client credentials.
 */
export function credentialInUse({ credentials, source, given }: CliTenant): string {
    const where = source === "the environment" ? "" : ` from ${source}`;
    if (credentials.apiToken !== undefined) return `AUTH0_API_TOKEN${where}`;
    const clientId = given.clientId === "--client-id" ? "--client-id" : "AUTH0_CLIENT_ID";
    return `${clientId} and AUTH0_CLIENT_SECRET${where}`;
}

/** A note when both a token and client credentials are set: which one is used, and how to use the other. */
export function bothCredentialsNote(tenant: CliTenant): string | undefined {
    const { apiToken, clientId, clientSecret } = tenant.credentials;
    if (apiToken === undefined || clientId === undefined || clientSecret === undefined) return undefined;
    const where = tenant.source === "the environment" ? "" : ` in ${tenant.source}`;
    return (
        `note: both AUTH0_API_TOKEN and AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET are set${where}; using AUTH0_API_TOKEN ` +
        "(pass --client-id, or unset it, to use the client credentials)."
    );
}

/** The hint for a 401: the credential that was rejected, named as the tool reads it. */
export function rejectedCredentialHint(tenant: CliTenant): string {
    const used = credentialInUse(tenant);
    if (tenant.credentials.apiToken !== undefined) {
        return `Check ${used}: Auth0 rejected the token (expired, revoked, or issued for another tenant's Management API).`;
    }
    return `Check ${used}: they must belong to a Machine-to-Machine application authorised for the Management API.`;
}

/**
 * Reads a dotenv-style file: `KEY=VALUE` lines, optional `export `, `#` comments, values in
 * single or double quotes. Errors name the file and line, never the line's content (it may
 * hold a secret).
 */
export function parseEnvFile(text: string, label: string): Record<string, string> {
    const values: Record<string, string> = {};
    text.split(/\r?\n/).forEach((raw, index) => {
        const line = raw.trim();
        if (line === "" || line.startsWith("#")) return;
        const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
        if (!match) throw new CredentialsError(`${label}, line ${index + 1}: expected KEY=VALUE`);
        values[match[1]] = unquote(match[2]);
    });
    return values;
}

function unquote(value: string): string {
    const quoted = /^(["'])(.*)\1(\s+#.*)?$/.exec(value);
    if (!quoted) return value.replace(/\s+#.*$/, "").trim();
    const inner = quoted[2];
    return quoted[1] === "'" ? inner : inner.replace(/\\([\\"n])/g, (_, c: string) => (c === "n" ? "\n" : c));
}

// Says what is missing in the command line's terms, then lets the provider's rules resolve the rest;
// their complaints about the domain name where it was given (`domainSetting`).
function resolve(
    given: Record<string, string | undefined>,
    env: NodeJS.ProcessEnv,
    source: string,
    fix: { domain: string; credentials: string },
    domainSetting: string,
): Credentials {
    const pick = (key: string) => nonEmpty(given[key]) ?? nonEmpty(env[key]);
    if (!pick("AUTH0_DOMAIN")) throw new CredentialsError(`No Auth0 tenant in ${source}: ${fix.domain}.`);
    const hasToken = pick("AUTH0_API_TOKEN") !== undefined;
    if (!hasToken && !(pick("AUTH0_CLIENT_ID") && pick("AUTH0_CLIENT_SECRET"))) {
        const missing = ["AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"].filter((key) => !pick(key)).join(" and ");
        throw new CredentialsError(`No Auth0 credentials in ${source} (${missing} not set): ${fix.credentials}.`);
    }
    const keys = Object.values(ENV_KEYS);
    const values = Object.fromEntries(keys.map((key) => [key, pick(key)]));
    return wrap(() => {
        // Checked first in this tool's terms: resolveCredentials would name stack config.
        baseUrlOf(values.AUTH0_DOMAIN ?? "", CLI_CREDENTIALS);
        return resolveCredentials({}, values);
    }, domainSetting);
}

// A domain the provider's rules refuse: its message, after the setting it came from.
function wrap<T>(make: () => T, setting: string): T {
    try {
        return make();
    } catch (error) {
        throw new CredentialsError(`${setting}: ${(error as Error).message}`);
    }
}

function isFile(file: string): boolean {
    try {
        return statSync(file).isFile();
    } catch {
        return false;
    }
}
