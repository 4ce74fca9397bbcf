/**
 * ConnectionDenyList as the provider operation sees it (operation.ts): one connection, by id or
 * by name, and a flat state (core/schema.ts) that holds its one record.
 */
import { checkInputs } from "../core/check";
import { type Declaration, known } from "../core/declaration";
import { normalise, observedAttributes } from "../core/denylist";
import { canonical, diffInputs } from "../core/diff";
import { type Inputs, InputsSchema, SCHEMA_VERSION, type State, StateSchema } from "../core/schema";
import { didYouMean } from "../core/suggest";
import { listAllConnections } from "./connection-list";
import { liveList } from "./live-list";
import type { ConnectionRecord, ResourceKind, Targets } from "./operation";
import { notFound, WriteError } from "./writer";

/** The ConnectionDenyList kind. */
export const connectionKind: ResourceKind<Inputs, State> = {
    label: "ConnectionDenyList",

    check: (news) => checkInputs(news ?? {}),

    inputs(raw) {
        const parsed = InputsSchema.safeParse(raw);
        if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw new Error(`Invalid ConnectionDenyList inputs: ${issue?.path.join(".")} ${issue?.message}`);
        }
        return parsed.data;
    },

    state: (id, raw) => StateSchema.parse({ connectionId: id, ...raw }),

    // State from before URNs were recorded is told apart by its outputs, as that version did.
    identity: (_id, state) => state.declaredBy ?? `state:${canonical(state)}`,

    describe: (state) => `This ConnectionDenyList of ${state.connectionName || "connection"} (${state.connectionId})`,

    declaration(inputs, by, resolved): Declaration {
        const id = resolved ?? inputs.connectionId;
        return {
            by,
            reach: {
                kind: "connection",
                ...(id !== undefined ? { id } : {}),
                ...(inputs.connectionName !== undefined ? { name: inputs.connectionName } : {}),
            },
            attributes: known(normalise(inputs.attributes)),
            exclusive: inputs.exclusive ?? false,
        };
    },

    stored(_id, state, by) {
        const declared = normalise([...state.attributes, ...(state.lacking ?? [])]);
        return {
            declaration: {
                by,
                reach: { kind: "connection", id: state.connectionId, name: state.connectionName },
                attributes: known(declared),
                exclusive: state.exclusive,
            },
            records: [recordOf(state)],
        };
    },

    diff: (_id, state, news) => diffInputs(state, news),

    async targets(inputs, _by, before, session): Promise<Targets> {
        // An update stays on its connection (another target is a replace); a create by name takes
        // only the id from the list: the write reads the connection itself.
        const id =
            before?.connectionId ??
            (inputs.connectionName ? await session.reads.connectionId(inputs.connectionName) : inputs.connectionId);
        if (!id) {
            // Only now, on the way to an error, is the whole tenant listed: for the names closest to the one given.
            const names = (await listAllConnections(session.client)).map((c) => c.name);
            const hint = didYouMean(inputs.connectionName ?? "", names, true);
            throw new WriteError(`${notFound(inputs.connectionName ?? "", session.client.tenant)}${hint}`);
        }
        const intent = {
            kind: "ensure",
            declared: inputs.attributes,
            exclusive: inputs.exclusive ?? false,
            previouslyOwned: before?.ownedAttributes ?? [],
        } as const;
        const name = before?.connectionName ?? inputs.connectionName ?? "";
        return { work: [{ id, name, intent, expectedName: inputs.connectionName }], untouched: [] };
    },

    newId: (targets) => targets.work[0].id,

    outputs(inputs, by, records, tenant, failed) {
        const [record] = records;
        return withoutUndefined({
            connectionId: record.id,
            connectionName: record.name,
            strategy: record.strategy ?? "",
            // After a failed write the declared list is not known to be live: it is lacking, and with
            // no triggers recorded any trigger re-applies it.
            attributes: failed ? [] : normalise(inputs.attributes),
            lacking: failed ? normalise(inputs.attributes) : undefined,
            exclusive: inputs.exclusive ?? false,
            ownedAttributes: normalise(record.owned),
            triggers: failed ? [] : (inputs.triggers ?? []),
            tenant,
            declaredBy: by,
            sharedWith: record.sharedWith,
            schemaVersion: SCHEMA_VERSION,
        });
    },

    /**
     * What is live. Only Auth0's own "connection does not exist" means gone; any other 404 is an
     * error that changes no state. In merge mode the declared entries still present, and those
     * missing as `lacking`; an owned entry kept for another resource is not declared, so it is no drift.
     */
    async observe(id, state, session) {
        const connection = await session.reads.connection(id);
        if (!connection) return undefined;
        const live = liveList(connection, "read the deny list of");
        const declared = normalise([...state.attributes, ...(state.lacking ?? [])]);
        const attributes = observedAttributes(live, declared, state.exclusive);
        const present = new Set(live);
        const lacking = state.exclusive ? [] : declared.filter((entry) => !present.has(entry));
        // Triggers, the record and the name the program declared are the program's, not Auth0's:
        // a refresh keeps them, so it cannot cause an update; a rename shows as `renamedTo`.
        return withoutUndefined({
            ...state,
            strategy: connection.strategy,
            attributes,
            lacking: lacking.length > 0 ? lacking : undefined,
            renamedTo: connection.name !== state.connectionName ? connection.name : undefined,
            tenant: session.client.tenant,
        });
    },

    failureMessage: (_by, failures) => failures.join("\n"),

    /** Adopts the live list as declared: merge mode, owning nothing, so its delete never removes any of it. */
    async adopt(id, by, session) {
        if (!InputsSchema.shape.connectionId.safeParse(id).success) {
            throw new Error(
                `Importing a ConnectionDenyList takes the connection's id (con_ followed by letters and digits, as ` +
                    `the Auth0 dashboard shows it); ${JSON.stringify(id)} is not one. Nothing was read or written.`,
            );
        }
        const connection = await session.reads.connection(id);
        if (!connection) return undefined;
        const attributes = normalise(liveList(connection, "import the deny list of"));
        const state: State = {
            connectionId: connection.id,
            connectionName: connection.name,
            strategy: connection.strategy,
            attributes,
            exclusive: false,
            ownedAttributes: [],
            triggers: [],
            tenant: session.client.tenant,
            declaredBy: by,
            sharedWith: {},
            schemaVersion: SCHEMA_VERSION,
        };
        return { state, inputs: { connectionId: connection.id, attributes } };
    },
};

function recordOf(state: State): ConnectionRecord {
    return {
        id: state.connectionId,
        name: state.connectionName,
        strategy: state.strategy || undefined,
        owned: state.ownedAttributes,
        sharedWith: state.sharedWith,
        ...(state.lacking ? { lacking: state.lacking } : {}),
    };
}

// Pulumi state cannot hold undefined: leave such keys out.
function withoutUndefined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
