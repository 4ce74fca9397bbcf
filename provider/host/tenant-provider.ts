/**
 * The TenantDenyList dynamic provider: one deny list for every connection of a tenant (or of
 * some strategies), in merge mode, through the same writer and ownership rules as
 * ConnectionDenyList (DESIGN.md §3b). Lists the tenant, plans per connection (core/tenant-plan.ts),
 * writes only where an entry is missing or an owned one goes, and records per connection only
 * its id, name and the entries it wrote.
 */
import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { NonPersistentAttrsSchema } from "../auth0/wire";
import { checkTenantInputs } from "../core/check";
import { normalise, sameEntries } from "../core/denylist";
import { sameValue } from "../core/diff";
import {
    type CoveredConnection,
    containsUnknown,
    SCHEMA_VERSION,
    type TenantInputs,
    TenantInputsSchema,
    type TenantState,
    TenantStateSchema,
} from "../core/schema";
import { type RootCopies, rootCopiesKept, rootCopiesWarning } from "../core/stored-data";
import {
    type ConnectionWork,
    type ListedConnection,
    lackingOn,
    planTenant,
    type TenantScope,
} from "../core/tenant-plan";
import { listAllConnections } from "./connection-list";
import { HostContext, logsDeniedValues } from "./context";
import type { ProviderOptions } from "./options";
import { nameOf, type RemoverContext } from "./ownership";
import { UnverifiedWrite } from "./writer";

/** How often a long run prints its progress. */
const PROGRESS_EVERY_MS = 5_000;

/** The TenantDenyList dynamic provider; shares its process's sessions, writer and ledger. */
export class TenantDenyListProvider implements pulumi.dynamic.ResourceProvider {
    private readonly host: HostContext;

    /** A provider with its own host context (sessions, writer, ledger). */
    constructor(options?: ProviderOptions);
    /** @internal One sharing `host` with the process's other providers (shared.ts). */
    constructor(options: ProviderOptions, host: HostContext);
    constructor(options: ProviderOptions = {}, host?: HostContext) {
        this.host = host ?? new HostContext(options);
    }

    /** Reads `auth0:*` stack config. */
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.host.configure(req);
    }

    /** Validates inputs offline. */
    async check(_olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        return checkTenantInputs(news ?? {});
    }

    /**
     * Offline: a change of attributes, strategies, exclusions or triggers, or a covered connection
     * that a refresh found lacking an entry, is an update. Never a replace.
     */
    async diff(
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<pulumi.dynamic.DiffResult> {
        const state = TenantStateSchema.parse(olds);
        this.sameTenant(state);
        const fields = [news.attributes, news.strategies, news.excludeConnections, news.triggers];
        // An update never moves it to another tenant, nor makes it another resource.
        const stables = ["tenant", "declaredBy"];
        if (containsUnknown(fields)) return { changes: true, stables };
        const inputs = TenantInputsSchema.parse(news);
        this.host.ledger.declare(declarationOf(inputs, inputs.declaredBy ?? identityOf(id, state)));
        const changed =
            !sameEntries(inputs.attributes, state.attributes) ||
            !sameValue(inputs.strategies ? normalise(inputs.strategies) : undefined, state.strategies) ||
            !sameEntries(inputs.excludeConnections ?? [], state.excludeConnections) ||
            !sameValue(inputs.triggers ?? [], state.triggers) ||
            state.connections.some((c) => (c.lacking?.length ?? 0) > 0);
        return { changes: changed, stables };
    }

    /** Lists the tenant and writes every covered connection that lacks an entry. */
    async create(raw: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
        const id = `tdl_${randomUUID().replaceAll("-", "")}`;
        return { id, outs: await this.apply(id, raw) };
    }

    /** Lists the tenant again: the outputs show what each covered connection lacks. */
    async read(id: string, props: Record<string, unknown> = {}): Promise<pulumi.dynamic.ReadResult> {
        const state = TenantStateSchema.parse(props);
        this.sameTenant(state);
        const listed = await this.list(state.strategies);
        const connections = lackingOn(listed, state.attributes, scopeOf(state), state.connections);
        return { id, props: { ...state, tenant: this.host.session().client.tenant, connections } };
    }

    /** Writes what changed: new entries, covered connections that lack one, and releases. */
    async update(
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<pulumi.dynamic.UpdateResult> {
        const state = TenantStateSchema.parse(olds);
        this.sameTenant(state);
        return { outs: await this.apply(id, news, state) };
    }

    /** Removes what it wrote on every connection, except entries another resource declares. */
    async delete(id: string, props: Record<string, unknown>): Promise<void> {
        const state = TenantStateSchema.parse(props);
        this.sameTenant(state);
        const by = identityOf(id, state);
        this.host.ledger.release(by);
        const { writer } = this.host.session();
        const failures: string[] = [];
        await Promise.all(
            state.connections.map(async (c) => {
                const remove = normalise([...c.owned, ...this.host.ledger.inheritedBy(by, c.id)]);
                if (remove.length === 0) return;
                try {
                    await writer.apply(c.id, { kind: "release", remove }, { by, recorded: c.sharedWith });
                } catch (error) {
                    failures.push(`${c.name} (${c.id}): ${(error as Error).message}`);
                }
            }),
        );
        if (failures.length > 0) {
            throw new Error(
                `TenantDenyList could not remove its entries from ${failures.length} connection(s):\n${failures.join("\n")}`,
            );
        }
    }

    // Plans and writes one create or update, every connection on its own: one refusing never
    // stops the others. Fails at the end naming each failed connection, with state recording
    // what was written (a partial failure), so destroy removes it and the next up retries the rest.
    // `before` is the state of the last deployment; undefined for a create.
    private async apply(id: string, raw: Record<string, unknown>, before?: TenantState): Promise<TenantState> {
        const inputs = TenantInputsSchema.parse(raw);
        const by = inputs.declaredBy ?? (before ? identityOf(id, before) : `anonymous:${randomUUID()}`);
        const previous = before?.connections ?? [];
        this.host.ledger.declare(declarationOf(inputs, by));
        const scope = scopeOf(inputs);
        // Connections of the strategies it covered before are listed too, so it can release them.
        const covered = before ? before.strategies : inputs.strategies;
        const strategies = inputs.strategies && covered ? normalise([...inputs.strategies, ...covered]) : undefined;
        const listed = await this.list(strategies);
        const plan = planTenant(listed, inputs.attributes, scope, previous);
        const name = nameOf(by);
        for (const missing of plan.unknownExclusions) {
            this.host.log(
                `warning: TenantDenyList ${name}: excludeConnections names ${JSON.stringify(missing)}, which no connection of the tenant has`,
            );
        }
        const remover: RemoverContext = { by, view: inputs.otherDeclarations ?? [] };
        const progress = new Progress(this.host.log, name, listed.length, plan.unchanged.length, plan.work.length);
        const outcomes = await Promise.all(
            plan.work.map((work) => this.write(work, inputs.attributes, remover, previous, progress)),
        );
        progress.stop();
        const state: TenantState = {
            attributes: inputs.attributes,
            ...(inputs.strategies ? { strategies: normalise(inputs.strategies) } : {}),
            excludeConnections: normalise(inputs.excludeConnections ?? []),
            triggers: inputs.triggers ?? [],
            tenant: this.host.session().client.tenant,
            declaredBy: by,
            connections: [...plan.unchanged, ...outcomes.flatMap((o) => o.connection ?? [])].sort(byName),
            schemaVersion: SCHEMA_VERSION,
        };
        const failed = outcomes.flatMap((o) => o.failure ?? []);
        if (failed.length > 0) {
            const message = `TenantDenyList ${name}: ${failed.length} of ${plan.work.length} connection(s) could not be written (the others were):\n${failed.join("\n")}`;
            throw Object.assign(new Error(message), {
                id,
                properties: { ...state, __provider: raw.__provider },
                reasons: [message],
            });
        }
        return state;
    }

    // One connection's write; what it leaves in state either way.
    private async write(
        work: ConnectionWork,
        declared: string[],
        remover: RemoverContext,
        previous: readonly CoveredConnection[],
        progress: Progress,
    ): Promise<{ connection?: CoveredConnection; failure?: string }> {
        const { writer } = this.host.session();
        const recorded = previous.find((c) => c.id === work.id);
        const intent =
            work.kind === "ensure"
                ? ({ kind: "ensure", declared, exclusive: false, previouslyOwned: work.previouslyOwned } as const)
                : ({ kind: "release", remove: work.remove } as const);
        try {
            const applied = await writer.apply(work.id, intent, { ...remover, recorded: recorded?.sharedWith });
            progress.written();
            if (work.kind === "release" || !applied) return {};
            if (logsDeniedValues(applied.connection)) progress.debugMode(applied.connection.name);
            progress.rootCopies(rootCopiesKept(applied.connection));
            const sharedWith = Object.keys(applied.sharedWith).length > 0 ? { sharedWith: applied.sharedWith } : {};
            return {
                connection: {
                    id: work.id,
                    name: applied.connection.name,
                    owned: normalise(applied.owned),
                    ...sharedWith,
                },
            };
        } catch (error) {
            progress.failed();
            // Nothing known to be written beyond what it owned before, and what a write of unknown outcome tried.
            const tried = error instanceof UnverifiedWrite ? error.outcome.owned : [];
            const owned = normalise([...(recorded?.owned ?? []), ...tried]);
            const lacking = work.kind === "ensure" ? { lacking: declared } : {};
            return {
                connection:
                    owned.length > 0 || work.kind === "ensure"
                        ? { id: work.id, name: work.name, owned, ...lacking }
                        : undefined,
                failure: `${work.name} (${work.id}): ${(error as Error).message}`,
            };
        }
    }

    // Every connection of the tenant (of `strategies`), with its deny list when the list shows options.
    private async list(strategies?: readonly string[]): Promise<ListedConnection[]> {
        const { client } = this.host.session();
        const connections = await listAllConnections(client, { strategies });
        return connections.map((c) => {
            const list = c.options ? NonPersistentAttrsSchema.safeParse(c.options.non_persistent_attrs) : undefined;
            return {
                id: c.id,
                name: c.name,
                strategy: c.strategy,
                ...(list?.success ? { live: list.data ?? [] } : {}),
            };
        });
    }

    private sameTenant(state: TenantState): void {
        this.host.sameTenant(state.tenant, "This TenantDenyList");
    }
}

/** Prints checked / written / left every few seconds while a long run goes on. */
class Progress {
    private done = 0;
    private failures = 0;
    private readonly debugging: string[] = [];
    private readonly keepingRootCopies: RootCopies[] = [];
    private readonly timer: NodeJS.Timeout;

    constructor(
        private readonly log: (line: string) => void,
        name: string,
        private readonly listed: number,
        private readonly unchanged: number,
        private readonly work: number,
    ) {
        this.timer = setInterval(() => {
            const left = this.work - this.done - this.failures;
            this.log(
                `TenantDenyList ${name}: ${this.listed} connections listed, ${this.unchanged} already complete, ` +
                    `${this.done} written, ${this.failures} failed, ${left} left`,
            );
        }, PROGRESS_EVERY_MS);
        this.timer.unref();
    }

    written(): void {
        this.done++;
    }

    failed(): void {
        this.failures++;
    }

    /** A written connection that logs denied values anyway (samlp Debug Mode): said once, at the end. */
    debugMode(connection: string): void {
        this.debugging.push(connection);
    }

    /** A written connection that keeps root-profile copies of denied attributes: said once, at the end. */
    rootCopies(kept: RootCopies | undefined): void {
        if (kept) this.keepingRootCopies.push(kept);
    }

    stop(): void {
        clearInterval(this.timer);
        if (this.keepingRootCopies.length > 0) this.log(rootCopiesWarning(this.keepingRootCopies));
        if (this.debugging.length === 0) return;
        const shown = this.debugging.slice(0, 10).join(", ") + (this.debugging.length > 10 ? ", …" : "");
        this.log(
            `warning: ${this.debugging.length} samlp connection(s) with Debug Mode on (${shown}): Auth0 writes SAML ` +
                "assertions to tenant logs, so the values of denied attributes still appear there. Turn Debug Mode off.",
        );
    }
}

function scopeOf(value: { strategies?: readonly string[]; excludeConnections?: readonly string[] }): TenantScope {
    return { strategies: value.strategies, excludeConnections: value.excludeConnections ?? [] };
}

function declarationOf(inputs: TenantInputs, by: string) {
    return {
        by,
        tenantWide: true,
        attributes: inputs.attributes,
        strategies: inputs.strategies,
        excludeConnections: inputs.excludeConnections ?? [],
    };
}

/** Who a stored TenantDenyList is: its URN, or without one (never written by a program), its id. */
function identityOf(id: string, state: TenantState): string {
    return state.declaredBy ?? `state:${id}`;
}

function byName(a: CoveredConnection, b: CoveredConnection): number {
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
