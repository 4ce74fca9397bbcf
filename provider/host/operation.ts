/**
 * The one provider operation every adapter serves (the two dynamic providers, the provider
 * plugin): parse the state, check the tenant, declare to the ledger, write each connection
 * through the writer, and return the outputs, or the partial-failure error, built here. What
 * differs between a ConnectionDenyList and a TenantDenyList (which connections, what state looks
 * like) is a {@link ResourceKind}; records and the stale-record update follow the same rules for
 * both, per connection.
 */
import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { Connection } from "../auth0/wire";
import type { Declaration } from "../core/declaration";
import { type Intent, normalise } from "../core/denylist";
import {
    exclusiveProblem,
    recordOf,
    type SharedWith,
    type Sources,
    stackWritten,
    staleRecord,
} from "../core/ownership";
import type { View } from "../core/view";
import type { HostContext, Session } from "./context";
import { UnverifiedWrite, WriteError } from "./writer";

/** One connection a resource writes, as its state records it. */
export interface ConnectionRecord {
    id: string;
    name: string;
    strategy?: string;
    /** Entries the resource wrote there: the only ones its delete removes. */
    owned: string[];
    /** For each owned entry, who else declares it (core/ownership.ts). */
    sharedWith: SharedWith;
    /** Declared entries the connection lacks: after a refresh, or a failed write. */
    lacking?: string[];
}

/** One connection a create or update writes. */
export interface Target {
    id: string;
    name: string;
    strategy?: string;
    intent: Intent;
    /** The connection name the program declared, for a connection declared by name. */
    expectedName?: string;
}

/** What a kind found to do for a create or update. */
export interface Targets {
    /** Connections to write. */
    work: Target[];
    /** Connections it covers that need no write: their records are renewed without a request. */
    untouched: ConnectionRecord[];
    /** Hears each write's end, for progress lines on long runs. */
    progress?: { written(): void; failed(): void; wrote(connection: Connection): void; stop(): void };
}

/** The inputs every kind has, besides its own. */
export interface CommonInputs {
    attributes: string[];
    triggers?: unknown[];
    declaredBy?: string;
    connectionFrom?: string;
    otherDeclarations?: View;
}

/** The state every kind has, besides its own. */
export interface CommonState {
    tenant?: string;
    declaredBy?: string;
}

/** What differs between the resource kinds; everything else is the operation's. */
export interface ResourceKind<I extends CommonInputs, S extends CommonState> {
    /** `ConnectionDenyList` or `TenantDenyList`, for messages. */
    readonly label: string;
    /** Validates inputs offline (never throws). */
    check(news: Record<string, unknown>): pulumi.dynamic.CheckResult;
    /** Inputs that passed check, parsed again (a bug upstream must not write garbage). */
    inputs(raw: Record<string, unknown>): I;
    /** The stored outputs; state of any earlier version reads. */
    state(id: string, raw: Record<string, unknown>): S;
    /** Who a stored resource is: its URN, or a stand-in for state from before URNs were recorded. */
    identity(id: string, state: S): string;
    /** "This ConnectionDenyList of NAME (con_…)", for the tenant message. */
    describe(state: S): string;
    /** What the inputs declare; `resolved` is the connection a ConnectionDenyList was found to be. */
    declaration(inputs: I, by: string, resolved?: string): Declaration;
    /** What the state says it declared, and its records per connection. */
    stored(id: string, state: S, by: string): { declaration: Declaration; records: ConnectionRecord[] };
    /** The diff with no ownership in it: offline, unknowns honest. */
    diff(id: string, state: S, news: Record<string, unknown>): pulumi.dynamic.DiffResult;
    /** The connections a create (`before` undefined) or update writes. */
    targets(inputs: I, by: string, before: S | undefined, session: Session): Promise<Targets>;
    /** The id of a new resource. */
    newId(targets: Targets): string;
    /** The outputs after a write; `failed` when some connection could not be written. */
    outputs(inputs: I, by: string, records: ConnectionRecord[], tenant: string, failed: boolean): S;
    /** What a refresh reports, or undefined when the resource is gone. */
    observe(id: string, state: S, session: Session): Promise<S | undefined>;
    /** The message of a run in which `failures` of `total` connections could not be written. */
    failureMessage(by: string, failures: readonly string[], total: number): string;
    /**
     * `pulumi import`: the resource `id` names, as it is live, adopted with no write: its state and
     * the inputs a program declaring it passes; undefined when it does not exist. A kind that
     * cannot be imported throws why.
     */
    adopt(id: string, by: string, session: Session): Promise<{ state: S; inputs: Record<string, unknown> } | undefined>;
}

/** A create or update that wrote some connections and not others: the engine keeps `properties` as the state. */
export class PartialFailure extends Error {
    override name = "PartialFailure";

    constructor(
        message: string,
        /** The resource's id. */
        readonly id: string,
        /** Its outputs: what was written, and what was not. */
        readonly properties: Record<string, unknown>,
    ) {
        super(message);
    }

    /** The reasons the engine shows. */
    get reasons(): string[] {
        return [this.message];
    }
}

/** The provider operation, shared by every adapter of one provider process. */
export class DenyListOperations {
    constructor(private readonly host: HostContext) {}

    /**
     * `diff`: offline; a resource that stays also tells this process what it declares and owns.
     * `urn` identifies the resource when its inputs do not (the provider plugin).
     */
    async diff<I extends CommonInputs, S extends CommonState>(
        kind: ResourceKind<I, S>,
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
        urn?: string,
    ): Promise<pulumi.dynamic.DiffResult> {
        const state = this.begin(kind, id, olds);
        let inputs: I | undefined;
        try {
            inputs = kind.inputs(news);
        } catch {
            // Not known yet (preview): the diff says "may change".
        }
        const by = inputs?.declaredBy ?? urn ?? kind.identity(id, state);
        const stored = kind.stored(id, state, by);
        // What the program declares counts before anything can refuse it (a renamed connection):
        // no other resource of this run then removes what this one declares.
        if (inputs) this.declare(kind.declaration(inputs, by), stored.records);
        const result = kind.diff(id, state, news);
        if (result.replaces?.length || !inputs) return result;
        const declaration = kind.declaration(
            inputs,
            by,
            stored.records.length === 1 ? stored.records[0].id : undefined,
        );
        this.declare(declaration, stored.records);
        // State from before records existed is left as it is: no diff on upgrade.
        if (result.changes || !state.declaredBy) return result;
        // An exclusive list beside another on one connection (one of them added by `up --target`,
        // where neither saw the other) takes an update, which refuses it and says why.
        const conflict = stored.records.some((record) => this.exclusiveOn(record, declaration, inputs));
        return conflict || this.recordsStale(declaration, inputs, stored.records)
            ? { ...result, changes: true }
            : result;
    }

    /** `create`: writes every connection the inputs reach. */
    async create<I extends CommonInputs, S extends CommonState>(
        kind: ResourceKind<I, S>,
        raw: Record<string, unknown>,
        urn?: string,
    ): Promise<{ id: string; outs: S }> {
        const inputs = kind.inputs(raw);
        const by = inputs.declaredBy ?? urn ?? `anonymous:${randomUUID()}`;
        return this.write(kind, undefined, inputs, by, undefined);
    }

    /** `update`: writes what changed, releases what it owned and no longer declares. */
    async update<I extends CommonInputs, S extends CommonState>(
        kind: ResourceKind<I, S>,
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
        urn?: string,
    ): Promise<S> {
        const state = this.begin(kind, id, olds);
        const inputs = kind.inputs(news);
        const by = inputs.declaredBy ?? urn ?? kind.identity(id, state);
        return (await this.write(kind, id, inputs, by, state)).outs;
    }

    /** `read`: what is live, without a write. */
    async read<I extends CommonInputs, S extends CommonState>(
        kind: ResourceKind<I, S>,
        id: string,
        olds: Record<string, unknown>,
    ): Promise<S | undefined> {
        const state = this.begin(kind, id, olds);
        return kind.observe(id, state, this.host.session());
    }

    /** `pulumi import`: the live resource adopted with no write (see {@link ResourceKind.adopt}). */
    async adopt<I extends CommonInputs, S extends CommonState>(
        kind: ResourceKind<I, S>,
        id: string,
        urn: string,
    ): Promise<{ state: S; inputs: Record<string, unknown> } | undefined> {
        return kind.adopt(id, urn, this.host.session());
    }

    /** `delete`: removes what it owns on every connection, except entries another resource declares. */
    async delete<I extends CommonInputs, S extends CommonState>(
        kind: ResourceKind<I, S>,
        id: string,
        olds: Record<string, unknown>,
        urn?: string,
    ): Promise<void> {
        const state = this.begin(kind, id, olds);
        const by = state.declaredBy ?? urn ?? kind.identity(id, state);
        const { declaration, records } = kind.stored(id, state, by);
        this.host.ledger.release(by, declaration, Object.fromEntries(records.map((r) => [r.id, r.owned])));
        const { writer } = this.host.session();
        const failures: string[] = [];
        await Promise.all(
            records.map(async (record) => {
                // Entries a deleted resource kept for the others here are this one's to remove if it is the last.
                const declared = new Set(declaration.attributes.names);
                const inherited = this.host.ledger.pendingOn(record.id).filter((entry) => declared.has(entry));
                const remove = normalise([...record.owned, ...inherited]);
                if (remove.length === 0) return;
                try {
                    await writer.apply(record.id, {
                        by,
                        intent: { kind: "release", remove },
                        record: record.sharedWith,
                    });
                } catch (error) {
                    failures.push(`${record.name} (${record.id}): ${(error as Error).message}`);
                }
            }),
        );
        if (failures.length > 0) throw new Error(kind.failureMessage(by, failures, records.length));
    }

    // Parses the state and refuses one written to another tenant than the stack's, before any request.
    private begin<I extends CommonInputs, S extends CommonState>(
        kind: ResourceKind<I, S>,
        id: string,
        olds: Record<string, unknown>,
    ): S {
        const state = kind.state(id, olds);
        this.host.sameTenant(state.tenant, kind.describe(state));
        return state;
    }

    private declare(declaration: Declaration, records: readonly ConnectionRecord[]): void {
        this.host.ledger.declare(declaration, Object.fromEntries(records.map((r) => [r.id, r.owned])));
    }

    // The shared create/update: declare, find the connections, write each on its own (one
    // refusing never stops the others), then the outputs, or the partial failure.
    private async write<I extends CommonInputs, S extends CommonState>(
        kind: ResourceKind<I, S>,
        id: string | undefined,
        inputs: I,
        by: string,
        before: S | undefined,
    ): Promise<{ id: string; outs: S }> {
        const session = this.host.session();
        const previous = before ? kind.stored(id ?? "", before, by).records : [];
        this.declare(kind.declaration(inputs, by), previous);
        const targets = await kind.targets(inputs, by, before, session);
        const resolved = targets.work.length === 1 && targets.untouched.length === 0 ? targets.work[0].id : undefined;
        const declaration = kind.declaration(inputs, by, resolved);
        this.declare(declaration, previous);
        const sources = (record?: SharedWith): Omit<Sources, "ledger"> => ({ view: inputs.otherDeclarations, record });
        const results = await Promise.all(
            targets.work.map((target) =>
                this.writeOne(
                    target,
                    by,
                    declaration,
                    inputs,
                    sources(previous.find((r) => r.id === target.id)?.sharedWith),
                    previous,
                    targets,
                ),
            ),
        );
        targets.progress?.stop();
        // Connections left as they are (every declared entry live) still get a record that follows the
        // program, unless an exclusive list there refuses this one beside it.
        const refused = targets.untouched.flatMap((record) => {
            const problem = this.exclusiveOn(record, declaration, inputs);
            return problem
                ? [{ record, failure: `${record.name} (${record.id}): ${new WriteError(problem).message}` }]
                : [];
        });
        const untouched = targets.untouched
            .filter((record) => !refused.some((r) => r.record === record))
            .map((record) => this.renewed(record, by, inputs, previous));
        const records = [...untouched, ...refused.map((r) => r.record), ...results.flatMap((r) => r.record ?? [])];
        const failures = [...refused.map((r) => r.failure), ...results.flatMap((r) => r.failure ?? [])];
        const newId = id ?? kind.newId(targets);
        const outs = kind.outputs(inputs, by, records, session.client.tenant, failures.length > 0);
        this.declare(declaration, records);
        if (failures.length === 0) return { id: newId, outs };
        const message = kind.failureMessage(by, failures, targets.work.length);
        // Nothing written anywhere: a plain failure, and the state stays as it was.
        if (untouched.length === 0 && results.every((r) => r.failure && !r.mayHaveWritten)) {
            const first = results.find((r) => r.error)?.error;
            throw targets.work.length === 1 && first ? first : new Error(message);
        }
        throw new PartialFailure(message, newId, outs as Record<string, unknown>);
    }

    // One connection's write; what it leaves in state either way.
    private async writeOne<I extends CommonInputs>(
        target: Target,
        by: string,
        declaration: Declaration,
        inputs: I,
        sources: Omit<Sources, "ledger">,
        previous: readonly ConnectionRecord[],
        targets: Targets,
    ): Promise<{ record?: ConnectionRecord; failure?: string; error?: Error; mayHaveWritten?: boolean }> {
        const { writer } = this.host.session();
        const recorded = previous.find((r) => r.id === target.id);
        try {
            // An exclusive list beside another that is surely on the connection already: refused before any request.
            const problem = target.intent.kind === "ensure" && this.exclusiveOn(target, declaration, inputs);
            if (problem) throw new WriteError(problem);
            const applied = await writer.apply(target.id, {
                by,
                intent: target.intent,
                declaration: target.intent.kind === "ensure" ? declaration : undefined,
                ...sources,
                from: inputs.connectionFrom,
                expectedName: target.expectedName,
            });
            targets.progress?.written();
            if (target.intent.kind === "release" || !applied) return {};
            // A run over many connections says each warning once, at its end (the kind's progress).
            if (targets.progress) targets.progress.wrote(applied.connection);
            else this.host.warnAboutConnection(applied.connection, inputs.attributes);
            const { connection } = applied;
            return {
                record: {
                    id: connection.id,
                    name: connection.name,
                    strategy: connection.strategy,
                    owned: normalise(applied.owned),
                    sharedWith: applied.sharedWith,
                },
            };
        } catch (error) {
            targets.progress?.failed();
            const unverified = error instanceof UnverifiedWrite;
            // Nothing known to be written beyond what it owned before, and what a write of unknown outcome tried.
            const owned = normalise([...(recorded?.owned ?? []), ...(unverified ? error.outcome.owned : [])]);
            const ensure = target.intent.kind === "ensure";
            const record =
                owned.length > 0 || ensure
                    ? {
                          id: target.id,
                          name: unverified ? error.connection.name : target.name,
                          strategy: target.strategy,
                          owned,
                          sharedWith: recorded?.sharedWith ?? {},
                          ...(ensure ? { lacking: normalise(inputs.attributes) } : {}),
                      }
                    : undefined;
            return {
                record,
                failure: `${target.name || target.id} (${target.id}): ${(error as Error).message}`,
                error: error as Error,
                mayHaveWritten: unverified,
            };
        }
    }

    // Why `declaration` cannot stand on `connection` beside an exclusive list (or, exclusive itself,
    // beside another), as far as the ledger and the view tell before any request.
    private exclusiveOn(
        connection: { id: string; name: string; strategy?: string },
        declaration: Declaration,
        inputs: CommonInputs,
    ): string | undefined {
        const facts = { id: connection.id, name: connection.name || undefined, strategy: connection.strategy };
        const sources: Sources = { ledger: this.host.ledger.snapshot(connection.id), view: inputs.otherDeclarations };
        return exclusiveProblem(declaration, facts, sources);
    }

    // A record renewed with no request, for a connection that holds every declared entry: it owns
    // those another resource of the stack wrote too, and its record of co-declarers follows the view.
    private renewed(
        record: ConnectionRecord,
        by: string,
        inputs: CommonInputs,
        previous: readonly ConnectionRecord[],
    ): ConnectionRecord {
        const facts = { id: record.id, name: record.name, strategy: record.strategy, from: inputs.connectionFrom };
        const ledger = this.host.ledger.snapshot(record.id);
        const written = stackWritten(by, record.id, ledger);
        const owned = normalise([...record.owned, ...inputs.attributes.filter((entry) => written.has(entry))]);
        const sources: Sources = {
            ledger,
            view: inputs.otherDeclarations,
            record: previous.find((r) => r.id === record.id)?.sharedWith,
        };
        return { ...record, owned, sharedWith: recordOf(owned, by, facts, sources) };
    }

    // True when a record no longer follows the program (its next `destroy --target` would keep or
    // remove the wrong entries), or another resource of the stack wrote an entry this one declares
    // and does not own yet (it owns it with them, so the last of them removes it).
    private recordsStale(
        declaration: Declaration,
        inputs: CommonInputs,
        records: readonly ConnectionRecord[],
    ): boolean {
        const declared = new Set(inputs.attributes);
        return records.some((record) => {
            const ledger = this.host.ledger.snapshot(record.id);
            const facts = { id: record.id, name: record.name, strategy: record.strategy, from: inputs.connectionFrom };
            const sources: Sources = { ledger, view: inputs.otherDeclarations, record: record.sharedWith };
            if (
                inputs.otherDeclarations &&
                staleRecord(record.owned, record.sharedWith, declaration.by, facts, sources)
            ) {
                return true;
            }
            const owned = new Set(record.owned);
            return [...stackWritten(declaration.by, record.id, ledger)].some((e) => declared.has(e) && !owned.has(e));
        });
    }
}
