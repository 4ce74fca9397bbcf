/**
 * The ConnectionDenyList dynamic provider: maps Pulumi's check/diff/create/read/update/delete onto
 * the pure deny-list algebra, the ownership rules and the writer. Outputs are a small,
 * secret-free shape (core/schema.ts).
 */
import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { Connection } from "../auth0/wire";
import { checkInputs } from "../core/check";
import { normalise, observedAttributes } from "../core/denylist";
import { canonical, diffInputs } from "../core/diff";
import { containsUnknown, type Inputs, InputsSchema, SCHEMA_VERSION, type State, StateSchema } from "../core/schema";
import { HostContext } from "./context";
import { liveList } from "./live-list";
import type { ProviderOptions } from "./options";
import {
    type ConnectionRef,
    type Declaration,
    exclusiveConflict,
    othersOn,
    type RemoverContext,
    staleRecord,
} from "./ownership";
import { type Applied, notFound, UnverifiedWrite, WriteError } from "./writer";

/** The ConnectionDenyList dynamic provider. */
export class ConnectionDenyListProvider implements pulumi.dynamic.ResourceProvider {
    private readonly host: HostContext;

    /** A provider with its own host context (sessions, writer, ledger). */
    constructor(options?: ProviderOptions);
    /** @internal One sharing `host` with the process's other providers (shared.ts). */
    constructor(options: ProviderOptions, host: HostContext);
    constructor(options: ProviderOptions = {}, host?: HostContext) {
        this.host = host ?? new HostContext(options);
    }

    /** Reads `auth0:*` stack config (values only; nothing is kept beyond this process). */
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.host.configure(req);
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
        const attributes = news.attributes as string[];
        this.declare({ by, connectionId: id, attributes, exclusive: news.exclusive === true }, stored.connectionName);
        // State from before the record existed is left as it is: no diff on upgrade.
        const view = InputsSchema.shape.otherDeclarations.safeParse(news.otherDeclarations);
        const connection = { id, name: stored.connectionName };
        if (!result.changes && stored.declaredBy && view.success && view.data) {
            if (staleRecord(stored.ownedAttributes, stored.sharedWith, connection, view.data)) {
                return { ...result, changes: true };
            }
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
    async read(id: string, props: Record<string, unknown> = {}): Promise<pulumi.dynamic.ReadResult> {
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
    // others. An exclusive resource beside another on one connection is refused before anything is
    // sent when that is certain already; the writer checks again once the connection is read.
    private declareWrite(id: string, inputs: Inputs, by: string): RemoverContext {
        const mine: Declaration = {
            by,
            connectionId: id,
            attributes: [...inputs.attributes],
            exclusive: inputs.exclusive,
        };
        const remover = { by, view: inputs.otherDeclarations ?? [] };
        this.declare(mine, inputs.connectionName, remover);
        return remover;
    }

    private declare(mine: Declaration, name: string | undefined, remover: RemoverContext = { by: mine.by }): void {
        this.ledger.declare(mine);
        const connection = { id: mine.connectionId ?? "", name: name ?? "" };
        const certain = othersOn(connection, remover, this.ledger).filter((d) => surelyOn(d, connection));
        const conflict = exclusiveConflict(connection, mine, certain);
        if (conflict) throw new WriteError(conflict);
    }

    // Runs a write and turns its result into outputs. A write Auth0 accepted but did not
    // confirm is reported as a partial failure whose state the next run can read and delete.
    private async write(
        raw: Record<string, unknown>,
        id: string,
        run: () => Promise<Applied>,
        inputs: Inputs,
        by: string,
    ): Promise<State> {
        const exclusive = inputs.exclusive ?? false;
        try {
            const applied = await run();
            this.host.warnAboutConnection(applied.connection, inputs.attributes);
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

    private get ledger() {
        return this.host.ledger;
    }

    private session() {
        return this.host.session();
    }

    private sameTenant(state: State): void {
        const what = `This ConnectionDenyList of ${state.connectionName || "connection"} (${state.connectionId})`;
        this.host.sameTenant(state.tenant, what);
    }
}

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

// True when a declaration is on `connection` whatever its strategy and name turn out to be.
function surelyOn(d: Declaration, connection: ConnectionRef): boolean {
    if (d.tenantWide)
        return (
            !d.strategies && !(d.excludeConnections ?? []).some((name) => !connection.name || name === connection.name)
        );
    return d.connectionId === connection.id || (!!connection.name && d.connectionName === connection.name);
}

/** Who a stored resource is: its URN, or for state that predates `declaredBy`, its outputs as before. */
function identityOf(state: State): string {
    return state.declaredBy ?? `state:${canonical(state)}`;
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
