/**
 * The dynamic provider: maps Pulumi's check/diff/create/read/update/delete onto the pure
 * deny-list algebra and the Auth0 client. Outputs are a small, secret-free shape (schema.ts).
 */
import { createHash, randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { Auth0Client, type ClientOptions } from "../auth0/client";
import { type ConfigValues, type Credentials, requestTimeoutMs, resolveCredentials } from "../auth0/credentials";
import type { Connection } from "../auth0/wire";
import { checkInputs } from "../core/check";
import { normalise, observedAttributes } from "../core/denylist";
import { canonical, diffInputs } from "../core/diff";
import { containsUnknown, type Inputs, InputsSchema, SCHEMA_VERSION, type State, StateSchema } from "../core/schema";
import { liveList } from "./live-list";
import {
    type Declaration,
    exclusiveConflict,
    OwnershipLedger,
    type RemoverContext,
    staleRecord,
    targets,
} from "./ownership";
import { SharedReads } from "./reads";
import { type Applied, DenyListWriter, notFound, UnverifiedWrite, WriteError } from "./writer";

/** Seams for tests and embedding; production uses the defaults. */
export interface ProviderOptions {
    /** Environment to read `AUTH0_*` from. Default: `process.env`, read at each call. */
    env?: NodeJS.ProcessEnv;
    /**
     * Options for the Auth0 client (timeouts, retry policy, clock).
     * @internal Left out of the published types: they would reach zod's declarations, which need
     * `esModuleInterop` or `skipLibCheck`, and Pulumi's TypeScript template sets neither.
     */
    client?: ClientOptions;
    /** Receives warnings and retry lines. Default: stderr, which the Pulumi CLI shows. */
    log?: (line: string) => void;
}

/** The stack config keys read in `configure`. */
const CONFIG_KEYS = ["auth0:domain", "auth0:clientId", "auth0:clientSecret", "auth0:apiToken"] as const;

/** One tenant's client, writer and shared reads; token cache and per-connection queues live here. */
interface Session {
    client: Auth0Client;
    writer: DenyListWriter;
    reads: SharedReads;
}

/** The ConnectionDenyList dynamic provider. */
export class ConnectionDenyListProvider implements pulumi.dynamic.ResourceProvider {
    private config: ConfigValues = {};
    private readonly sessions = new Map<string, Session>();
    /** The session for the settings last seen, so an unchanged setting is not resolved again. */
    private current?: { settings: string; session: Session };
    /** What every resource handled by this process declares, per connection (ownership.ts). */
    private readonly ledger = new OwnershipLedger();
    private readonly log: (line: string) => void;

    constructor(private readonly options: ProviderOptions = {}) {
        this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    }

    /** Reads `auth0:*` stack config (values only; nothing is kept beyond this process). */
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        const config: Record<string, string | undefined> = {};
        for (const key of CONFIG_KEYS) {
            const value = safeConfigGet(req, key);
            if (typeof value === "string") config[key] = value;
        }
        this.config = config;
    }

    /** Validates inputs offline; bad input becomes failures, never an exception. */
    async check(_olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        return checkInputs(news ?? {});
    }

    /**
     * Diffs offline. A resource that stays on its connection also tells this process what it
     * declares there, so no other resource's removal takes those entries off (ownership.ts).
     * A resource written to another tenant than the stack's now fails here, before any request.
     */
    async diff(
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<pulumi.dynamic.DiffResult> {
        const stored = StateSchema.parse({ connectionId: id, ...olds });
        this.sameTenant(stored);
        const result = diffInputs(olds, news);
        const known = !containsUnknown([news.attributes, news.exclusive]);
        if (result.replaces?.length || !Array.isArray(news.attributes) || !known) return result;
        const by = typeof news.declaredBy === "string" ? news.declaredBy : identityOf(stored);
        this.declare(by, id, news.attributes as string[], news.exclusive === true);
        // State from before the record existed is left as it is: no diff on upgrade.
        const view = InputsSchema.shape.otherDeclarations.safeParse(news.otherDeclarations);
        const connection = { id, name: stored.connectionName };
        if (!result.changes && stored.declaredBy && view.success && view.data) {
            if (staleRecord(stored.ownedAttributes, stored.sharedWith, connection, view.data)) return { changes: true };
        }
        return result;
    }

    /** Adds the declared attributes (adopting those already there): GET + PATCH, or GET only. */
    async create(raw: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
        const inputs = parseInputs(raw);
        const { writer, reads, client } = this.session();
        // By name, only the id is taken from the list: the write reads the connection itself.
        const id = inputs.connectionName ? await reads.connectionId(inputs.connectionName) : inputs.connectionId;
        if (!id) throw new WriteError(notFound(inputs.connectionName ?? "", client.tenant));
        const intent = {
            kind: "ensure",
            declared: inputs.attributes,
            exclusive: inputs.exclusive ?? false,
            previouslyOwned: [],
        } as const;
        const remover = this.declareWrite(id, inputs, inputs.declaredBy ?? `anonymous:${randomUUID()}`);
        const applied = await this.write(raw, id, () => writer.apply(id, intent, remover), inputs, remover.by);
        return { id, outs: applied };
    }

    /**
     * Reports what is live. Only Auth0's own "connection does not exist" means gone; any other
     * 404 is an error that changes no state. In merge mode only declared entries still present.
     * Concurrent reads of one connection share one GET.
     */
    async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
        const state = StateSchema.parse({ connectionId: id, ...props });
        this.sameTenant(state);
        const connection = await this.session().reads.connection(id);
        if (!connection) return { id: "", props: {} };
        const live = liveList(connection, "read the deny list of");
        // Owned entries are declared ones too, so they survive a refresh that already reported drift.
        const declared = [...state.attributes, ...state.ownedAttributes];
        const attributes = observedAttributes(live, declared, state.exclusive);
        // Triggers are the program's, not Auth0's: a refresh keeps them, so it cannot cause an update.
        const observed = {
            ...stateOf(connection, attributes, state.exclusive, state.ownedAttributes, state.triggers),
            tenant: this.session().client.tenant,
            declaredBy: state.declaredBy,
            sharedWith: state.sharedWith,
        };
        return { id, props: withoutUndefined(observed) };
    }

    /** Adds new attributes, removes dropped ones it owns (all dropped ones in exclusive mode). */
    async update(
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<pulumi.dynamic.UpdateResult> {
        const state = StateSchema.parse({ connectionId: id, ...olds });
        this.sameTenant(state);
        const inputs = parseInputs(news);
        const intent = {
            kind: "ensure",
            declared: inputs.attributes,
            exclusive: inputs.exclusive ?? false,
            previouslyOwned: state.ownedAttributes,
        } as const;
        const { writer } = this.session();
        const remover = this.declareWrite(id, inputs, inputs.declaredBy ?? identityOf(state));
        const outs = await this.write(news, id, () => writer.apply(id, intent, remover), inputs, remover.by);
        return { outs };
    }

    /**
     * Removes what the resource owns, except entries another resource declares (its state's
     * record, or what this process saw); a connection that is already gone is fine.
     */
    async delete(id: string, props: Record<string, unknown>): Promise<void> {
        const state = StateSchema.parse({ connectionId: id, ...props });
        this.sameTenant(state);
        const by = identityOf(state);
        this.ledger.release(by);
        const remove = normalise([...state.ownedAttributes, ...this.ledger.inheritedBy(by, id)]);
        if (remove.length === 0) return;
        await this.session().writer.apply(id, { kind: "release", remove }, { by, recorded: state.sharedWith });
    }

    // Records what a create or update declares and returns who writes with what it knows of the
    // others; an exclusive resource beside any other on one connection is refused before anything is sent.
    private declareWrite(id: string, inputs: Inputs, by: string): RemoverContext {
        const exclusive = inputs.exclusive ?? false;
        this.declare(by, id, inputs.attributes, exclusive);
        const view: Declaration[] = inputs.otherDeclarations ?? [];
        const target = { id, name: inputs.connectionName ?? "" };
        const mine: Declaration = { by, connectionId: id, attributes: inputs.attributes, exclusive };
        const known = [mine, ...view.filter((d) => d.connectionId === id || d.connectionName === target.name)];
        const conflict = exclusiveConflict(id, known);
        if (conflict && (exclusive || view.some((d) => d.exclusive && targets(d, target)))) {
            throw new WriteError(conflict);
        }
        return { by, view };
    }

    private declare(by: string, id: string, attributes: readonly string[], exclusive: boolean): void {
        this.ledger.declare({ by, connectionId: id, attributes: [...attributes], exclusive });
        const conflict = this.ledger.conflict(id);
        if (conflict) throw new WriteError(conflict);
    }

    // Never one tenant's connection id sent to another: state written to another tenant than the
    // stack's credentials point at fails, naming both and the way out (DESIGN.md §3).
    private sameTenant(state: State): void {
        if (state.tenant === undefined) return;
        const tenant = this.currentTenant();
        if (tenant === undefined || tenant === state.tenant) return;
        throw new WriteError(tenantMoved(state, tenant));
    }

    // The tenant the stack's credentials point at, or undefined when they cannot be resolved
    // (then nothing can be sent either, and the request path says why).
    private currentTenant(): string | undefined {
        try {
            return this.session().client.tenant;
        } catch {
            return undefined;
        }
    }

    // Runs a write and turns its result into outputs. A write Auth0 accepted but did not
    // confirm is reported as a partial failure whose state the next run can read and delete.
    private async write(
        raw: Record<string, unknown>,
        id: string,
        run: () => Promise<Applied | undefined>,
        inputs: Inputs,
        by: string,
    ): Promise<State> {
        const exclusive = inputs.exclusive ?? false;
        try {
            const applied = await run();
            if (!applied) throw new WriteError(notFound(id, this.session().client.tenant));
            this.warnAboutConnection(applied.connection, inputs.attributes);
            return {
                ...stateOf(
                    applied.connection,
                    normalise(inputs.attributes),
                    exclusive,
                    applied.owned,
                    inputs.triggers ?? [],
                ),
                ...this.written(by, applied.sharedWith),
            };
        } catch (error) {
            if (!(error instanceof UnverifiedWrite)) throw error;
            // No triggers recorded: the declared list is not known to be live, so any trigger re-applies it.
            const recorded = {
                ...stateOf(error.connection, [], exclusive, error.outcome.owned, []),
                ...this.written(by, {}),
            };
            const properties = { ...recorded, __provider: raw.__provider };
            throw Object.assign(new Error(error.message), { id, properties, reasons: [error.message] });
        }
    }

    // What every write records besides the list: where, by whom, and who else declares what it owns.
    private written(by: string, sharedWith: State["sharedWith"]): Pick<State, "tenant" | "declaredBy" | "sharedWith"> {
        return {
            tenant: this.session().client.tenant,
            declaredBy: by,
            sharedWith,
        };
    }

    private warnAboutConnection(connection: Connection, attributes: string[]): void {
        if (connection.strategy === "samlp" && connection.options?.debug === true && attributes.length > 0) {
            this.log(
                `warning: connection ${connection.name} is a samlp connection with Debug Mode on: Auth0 writes SAML ` +
                    "assertions to tenant logs, so the values of denied attributes still appear there. Turn Debug Mode off.",
            );
        }
    }

    // Credentials are read on every call, so rotated secrets and changed env take effect.
    private session(): Session {
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
            const writer = new DenyListWriter(client, this.ledger, this.log);
            session = { client, writer, reads: new SharedReads(client) };
            this.sessions.set(key, session);
        }
        this.current = { settings, session };
        return session;
    }
}

/** The environment variables a session depends on (with the stack config). */
const ENV_SETTINGS = [
    "AUTH0_DOMAIN",
    "AUTH0_CLIENT_ID",
    "AUTH0_CLIENT_SECRET",
    "AUTH0_API_TOKEN",
    "AUTH0_DENY_LIST_TIMEOUT_MS",
];

/** The outputs for a connection: never its options, never a credential. */
function stateOf(
    connection: Connection,
    attributes: string[],
    exclusive: boolean,
    owned: string[],
    triggers: unknown[],
): Omit<State, "tenant" | "declaredBy" | "sharedWith"> {
    return {
        connectionId: connection.id,
        connectionName: connection.name,
        strategy: connection.strategy,
        attributes,
        exclusive,
        ownedAttributes: normalise(owned),
        triggers,
        schemaVersion: SCHEMA_VERSION,
    };
}

/** Who a stored resource is: its URN, or for state that predates `declaredBy`, its outputs as before. */
function identityOf(state: State): string {
    return state.declaredBy ?? `state:${canonical(state)}`;
}

/** The error for state written to another tenant than the stack's credentials point at. */
function tenantMoved(state: State, tenant: string): string {
    const connection = `${state.connectionName || "connection"} (${state.connectionId})`;
    return (
        `This ConnectionDenyList was written to ${connection} in tenant ${state.tenant}, but the stack's Auth0 ` +
        `credentials now point at tenant ${tenant}. A resource never moves between tenants: that connection id means ` +
        `nothing in ${tenant}. To move the stack, point it back at ${state.tenant} (auth0:domain and credentials), ` +
        `run \`pulumi destroy\` to remove what it wrote there, then switch to ${tenant} and run \`pulumi up\`. To leave ` +
        `those entries in ${state.tenant}, run \`pulumi state delete\` for this resource, then \`pulumi up\`. Nothing was sent.`
    );
}

// Pulumi state cannot hold undefined: leave such keys out.
function withoutUndefined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// create/update receive inputs that passed check; parse again so a bug upstream cannot write garbage.
function parseInputs(raw: Record<string, unknown>): Inputs {
    const parsed = InputsSchema.safeParse(raw);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`Invalid ConnectionDenyList inputs: ${issue?.path.join(".")} ${issue?.message}`);
    }
    return parsed.data;
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
