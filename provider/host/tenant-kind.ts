/**
 * TenantDenyList as the provider operation sees it (operation.ts): every connection of the tenant
 * (or of some strategies, minus exclusions), in merge mode (DESIGN.md §3b). It lists the tenant,
 * plans per connection (core/tenant-plan.ts) and writes only where an entry is missing or an
 * owned one goes; its state records per connection only id, name, strategy and what it wrote.
 */
import { randomUUID } from "node:crypto";
import { type Connection, NonPersistentAttrsSchema } from "../auth0/wire";
import { checkTenantInputs } from "../core/check";
import { known, nameOf } from "../core/declaration";
import { normalise, sameEntries } from "../core/denylist";
import { sameValue } from "../core/diff";
import {
    containsUnknown,
    SCHEMA_VERSION,
    type TenantInputs,
    TenantInputsSchema,
    type TenantState,
    TenantStateSchema,
} from "../core/schema";
import { type RootCopies, rootCopiesKept, rootCopiesWarning } from "../core/stored-data";
import { type ListedConnection, lackingOn, planTenant, reachOf, type TenantScope } from "../core/tenant-plan";
import { listAllConnections } from "./connection-list";
import { logsDeniedValues, type Session } from "./context";
import type { ConnectionRecord, ResourceKind, Targets } from "./operation";

/** How often a long run prints its progress. */
const PROGRESS_EVERY_MS = 5_000;

/** The TenantDenyList kind. */
export const tenantKind: ResourceKind<TenantInputs, TenantState> = {
    label: "TenantDenyList",

    check: (news) => checkTenantInputs(news ?? {}),

    inputs: (raw) => TenantInputsSchema.parse(raw),

    state: (_id, raw) => TenantStateSchema.parse(raw),

    // Without a URN (never written by a program), its id.
    identity: (id, state) => state.declaredBy ?? `state:${id}`,

    describe: () => "This TenantDenyList",

    declaration: (inputs, by) => ({
        by,
        reach: reachOf(scopeOf(inputs)),
        attributes: known(normalise(inputs.attributes)),
        exclusive: false,
    }),

    stored: (_id, state, by) => ({
        declaration: { by, reach: reachOf(scopeOf(state)), attributes: known(state.attributes), exclusive: false },
        records: state.connections.map((c) => ({ ...c, sharedWith: c.sharedWith ?? {} })),
    }),

    /**
     * Offline: a change of attributes, strategies, exclusions or triggers, or a covered connection
     * that a refresh found lacking an entry, is an update. Never a replace.
     */
    diff(_id, state, news) {
        // An update never moves it to another tenant, nor makes it another resource.
        const stables = ["tenant", "declaredBy"];
        const fields = [news.attributes, news.strategies, news.excludeConnections, news.triggers];
        if (containsUnknown(fields)) return { changes: true, stables };
        const inputs = TenantInputsSchema.parse(news);
        const changed =
            !sameEntries(inputs.attributes, state.attributes) ||
            !sameValue(inputs.strategies ? normalise(inputs.strategies) : undefined, state.strategies) ||
            !sameEntries(inputs.excludeConnections ?? [], state.excludeConnections) ||
            !sameValue(inputs.triggers ?? [], state.triggers) ||
            state.connections.some((c) => (c.lacking?.length ?? 0) > 0);
        return { changes: changed, stables };
    },

    async targets(inputs, by, before, session): Promise<Targets> {
        // Connections of the strategies it covered before are listed too, so it can release them.
        const covered = before ? before.strategies : inputs.strategies;
        const strategies = inputs.strategies && covered ? normalise([...inputs.strategies, ...covered]) : undefined;
        const listed = await list(session, strategies);
        const plan = planTenant(listed, inputs.attributes, scopeOf(inputs), before?.connections ?? []);
        const name = nameOf(by);
        for (const missing of plan.unknownExclusions) {
            session.log(
                `warning: TenantDenyList ${name}: excludeConnections names ${JSON.stringify(missing)}, which no connection of the tenant has`,
            );
        }
        const work = plan.work.map((w) => ({
            id: w.id,
            name: w.name,
            strategy: w.strategy,
            intent:
                w.kind === "ensure"
                    ? ({
                          kind: "ensure",
                          declared: inputs.attributes,
                          exclusive: false,
                          previouslyOwned: w.previouslyOwned,
                      } as const)
                    : ({ kind: "release", remove: w.remove } as const),
        }));
        const untouched: ConnectionRecord[] = plan.unchanged.map((c) => ({ ...c, sharedWith: c.sharedWith ?? {} }));
        return {
            work,
            untouched,
            progress: new Progress(session.log, name, listed.length, plan.unchanged.length, work.length),
        };
    },

    newId: () => `tdl_${randomUUID().replaceAll("-", "")}`,

    outputs: (inputs, by, records, tenant) => ({
        attributes: normalise(inputs.attributes),
        ...(inputs.strategies ? { strategies: normalise(inputs.strategies) } : {}),
        excludeConnections: normalise(inputs.excludeConnections ?? []),
        triggers: inputs.triggers ?? [],
        tenant,
        declaredBy: by,
        connections: records.map(covered).sort(byName),
        schemaVersion: SCHEMA_VERSION,
    }),

    /** Lists the tenant again: the outputs show what each covered connection lacks. */
    async observe(_id, state, session) {
        const listed = await list(session, state.strategies);
        const connections = lackingOn(listed, state.attributes, scopeOf(state), state.connections).sort(byName);
        return { ...state, tenant: session.client.tenant, connections };
    },

    failureMessage: (by, failures, total) =>
        `TenantDenyList ${nameOf(by)}: ${failures.length} of ${total} connection(s) could not be written:\n${failures.join("\n")}`,

    async adopt() {
        throw new Error(
            "A TenantDenyList cannot be imported: it is no object in Auth0 but one declaration over many " +
                "connections. Declare it in the program and run `pulumi up`: entries already on a connection " +
                "are adopted, not written, and its delete never removes them.",
        );
    },
};

// A record as state keeps it: no empty record, no empty list of what is lacking.
function covered(record: ConnectionRecord): TenantState["connections"][number] {
    const { id, name, strategy, owned, sharedWith, lacking } = record;
    return {
        id,
        name,
        ...(strategy ? { strategy } : {}),
        owned: normalise(owned),
        ...(lacking && lacking.length > 0 ? { lacking } : {}),
        ...(Object.keys(sharedWith).length > 0 ? { sharedWith } : {}),
    };
}

// Every connection of the tenant (of `strategies`), with its deny list when the list shows options.
async function list(session: Session, strategies?: readonly string[]): Promise<ListedConnection[]> {
    const connections = await listAllConnections(session.client, { strategies });
    return connections.map((c) => {
        const listed = c.options ? NonPersistentAttrsSchema.safeParse(c.options.non_persistent_attrs) : undefined;
        return {
            id: c.id,
            name: c.name,
            strategy: c.strategy,
            ...(listed?.success ? { live: listed.data ?? [] } : {}),
        };
    });
}

function scopeOf(value: { strategies?: readonly string[]; excludeConnections?: readonly string[] }): TenantScope {
    return { strategies: value.strategies, excludeConnections: value.excludeConnections ?? [] };
}

function byName(a: { name: string }, b: { name: string }): number {
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Prints checked / written / left every few seconds while a long run goes on; at its end says
 * once which written connections log denied values (samlp Debug Mode) or keep stored copies.
 */
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

    wrote(connection: Connection): void {
        if (logsDeniedValues(connection)) this.debugging.push(connection.name);
        const kept = rootCopiesKept(connection);
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
