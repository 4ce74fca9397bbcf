/**
 * What every dynamic provider of one provider process shares: the stack config, one session per
 * tenant (Auth0 client with its token cache and rate limit, the writer's per-connection queues,
 * shared reads) and the ownership ledger. ConnectionDenyList and TenantDenyList on one connection
 * therefore serialise and coalesce their writes, and neither removes what the other declares.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { Auth0Client } from "../auth0/client";
import {
    CONFIG_KEYS,
    type ConfigValues,
    type Credentials,
    ENV_KEYS,
    requestTimeoutMs,
    resolveCredentials,
    TIMEOUT_VARIABLE,
} from "../auth0/credentials";
import type { Connection } from "../auth0/wire";
import { rootCopiesKept, rootCopiesWarning } from "../core/stored-data";
import { OwnershipLedger } from "./ledger";
import type { ProviderOptions } from "./options";
import { SharedReads } from "./reads";
import { DenyListWriter, WriteError } from "./writer";

/** What a session depends on besides the stack config: the credential variables and the request deadline. */
const ENV_SETTINGS = [...Object.values(ENV_KEYS), TIMEOUT_VARIABLE];

/** One tenant's client, writer and shared reads; token cache and per-connection queues live here. */
export interface Session {
    client: Auth0Client;
    writer: DenyListWriter;
    reads: SharedReads;
    /** Where warnings and progress lines go. */
    log: (line: string) => void;
}

/** The state one provider process shares between its dynamic providers. */
export class HostContext {
    /** What every resource handled by this process declares and owns (ledger.ts). */
    readonly ledger = new OwnershipLedger();
    /** Receives warnings, waits and progress: stderr by default, which the Pulumi CLI shows. */
    readonly log: (line: string) => void;
    private config: ConfigValues = {};
    private readonly sessions = new Map<string, Session>();
    /** Connections already warned about for keeping root-profile copies: once per connection per process. */
    private readonly rootCopiesWarned = new Set<string>();
    /** The session for the settings last seen, so an unchanged setting is not resolved again. */
    private current?: { settings: string; session: Session };

    constructor(private readonly options: ProviderOptions = {}) {
        this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    }

    /** Reads `auth0:*` stack config (values only; nothing is kept beyond this process). */
    configure(req: pulumi.dynamic.ConfigureRequest): void {
        const config: Record<string, string | undefined> = {};
        for (const key of Object.values(CONFIG_KEYS)) {
            const value = safeConfigGet(req, key);
            if (typeof value === "string") config[key] = value;
        }
        this.config = config;
    }

    /** The session for the stack's tenant. Credentials are read on every call, so rotated secrets take effect. */
    session(): Session {
        const env = this.options.env ?? process.env;
        // Resolving is pure but not free (URL parsing, hashing): redo it only when a setting changed.
        const settings = JSON.stringify([this.config, ENV_SETTINGS.map((name) => env[name])]);
        if (this.current?.settings === settings) return this.current.session;
        const credentials = resolveCredentials(this.config, env);
        const key = sessionKey(credentials);
        let session = this.sessions.get(key);
        if (!session) {
            const client = new Auth0Client(credentials, {
                log: this.log,
                timeoutMs: requestTimeoutMs(env),
                ...this.options.client,
            });
            const writer = new DenyListWriter(client, this.ledger, this.log, this.options.gathering);
            session = { client, writer, reads: new SharedReads(client), log: this.log };
            this.sessions.set(key, session);
        }
        this.current = { settings, session };
        return session;
    }

    /**
     * Never one tenant's connection id sent to another: a resource written to another tenant
     * than the stack's credentials point at fails, naming both and the way out (DESIGN.md §3).
     * `written` undefined (state from before the tenant was recorded) is the stack's tenant.
     */
    sameTenant(written: string | undefined, what: string): void {
        if (written === undefined) return;
        const tenant = this.currentTenant();
        if (tenant === undefined || tenant === written) return;
        throw new WriteError(
            `${what} was written to tenant ${written}, but the stack's Auth0 credentials now point at tenant ` +
                `${tenant}. A resource never moves between tenants: its connection ids mean nothing in ${tenant}. ` +
                `To move the stack, point it back at ${written} (auth0:domain and credentials), run \`pulumi destroy\` ` +
                `to remove what it wrote there, then switch to ${tenant} and run \`pulumi up\`. To leave those entries in ` +
                `${written}, run \`pulumi state delete\` for this resource, then \`pulumi up\`. Nothing was sent.`,
        );
    }

    /** The tenant the stack's credentials point at, or undefined when they cannot be resolved. */
    currentTenant(): string | undefined {
        try {
            return this.session().client.tenant;
        } catch {
            // Then nothing can be sent either, and the request path says why.
            return undefined;
        }
    }

    /** One line when a write declares attributes on a connection that logs them anyway, or keeps stored copies. */
    warnAboutConnection(connection: Connection, attributes: readonly string[]): void {
        const kept = attributes.length > 0 ? rootCopiesKept(connection) : undefined;
        if (kept && !this.rootCopiesWarned.has(connection.id)) {
            this.rootCopiesWarned.add(connection.id);
            this.log(rootCopiesWarning([kept]));
        }
        if (logsDeniedValues(connection) && attributes.length > 0) {
            this.log(
                `warning: connection ${connection.name} is a samlp connection with Debug Mode on: Auth0 writes SAML ` +
                    "assertions to tenant logs, so the values of denied attributes still appear there. Turn Debug Mode off.",
            );
        }
    }
}

/** A samlp connection with Debug Mode on writes SAML assertions, denied values included, to tenant logs. */
export function logsDeniedValues(connection: Pick<Connection, "strategy" | "options">): boolean {
    return connection.strategy === "samlp" && connection.options?.debug === true;
}

function safeConfigGet(req: pulumi.dynamic.ConfigureRequest, key: string): unknown {
    try {
        return req.config.get(key);
    } catch {
        // The host passes no config when Configure was never called; env vars still apply.
        return undefined;
    }
}

// Hash the secret so the session map never holds it as a key.
function sessionKey(credentials: Credentials): string {
    const secret = createHash("sha256")
        .update(`${credentials.clientSecret ?? ""}\u0000${credentials.apiToken ?? ""}`)
        .digest("hex");
    return `${credentials.baseUrl}\u0000${credentials.clientId ?? ""}\u0000${secret}`;
}
