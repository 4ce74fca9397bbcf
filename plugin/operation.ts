/**
 * The one seam between the plugin and the provider logic. Today it delegates to the dynamic
 * providers' classes (`ConnectionDenyListProvider`, `TenantDenyListProvider`) over a host context
 * of the plugin's own; the one provider operation of issue 23 replaces what is inside this module,
 * not its callers. What the plugin needs from that operation is marked "Needs:".
 */
import type * as pulumi from "@pulumi/pulumi";
import { type Credentials, ENV_KEYS, TIMEOUT_VARIABLE } from "../provider/auth0/credentials";
import { InputsSchema, UNKNOWN } from "../provider/core/schema";
import { HostContext } from "../provider/host/context";
import { ConnectionDenyListProvider } from "../provider/host/provider";
import { TenantDenyListProvider } from "../provider/host/tenant-provider";
import { attributeWarnings, caseWarnings, emptyExclusiveWarning } from "../provider/program/warnings";
import { CONNECTION_DENY_LIST, TENANT_DENY_LIST } from "./schema";
import type { Props } from "./secrets";

/** Check's answer: the checked inputs, and the failures that stop the deployment. */
export interface Checked {
    inputs: Props;
    failures: { property: string; reason: string }[];
}

/** Diff's answer. `changes` undefined: it cannot be known yet. */
export interface Diffed {
    changes: boolean | undefined;
    replaces: string[];
    stables: string[];
    deleteBeforeReplace: boolean;
}

/** A resource as a write or a read left it; `id` empty when it no longer exists. */
export interface Written {
    id: string;
    outs: Props;
}

/** An imported resource: its state, and the inputs a program declaring it passes. */
export interface Adopted extends Written {
    inputs: Props;
}

/** A create or update that wrote part of what it meant to: the engine records `properties` as the state. */
export interface PartialFailure {
    id: string;
    properties: Props;
    reasons: string[];
}

/** What the plugin asks of the provider logic for one resource type. `urn` is the resource's identity. */
export interface ResourceOperation {
    /** Validates inputs offline. */
    check(news: Props): Promise<Checked>;
    /** Privacy warnings about checked inputs (the dynamic resources give them in the program). */
    warnings(inputs: Props): string[];
    /** Offline diff of stored outputs against checked inputs. */
    diff(urn: string, id: string, olds: Props, news: Props): Promise<Diffed>;
    create(urn: string, news: Props): Promise<Written>;
    /** Refresh: what is live now, from stored outputs. */
    read(id: string, state: Props): Promise<Written>;
    /** Import: the resource from its id alone, adopted with no write. */
    adopt(urn: string, id: string): Promise<Adopted>;
    update(urn: string, id: string, olds: Props, news: Props): Promise<Props>;
    delete(id: string, olds: Props): Promise<void>;
}

/** The provider logic of one plugin process: one host context, pointed at a tenant by Configure. */
export class ProviderLogic {
    /** The operation of each resource type, by type token. */
    readonly operations: ReadonlyMap<string, ResourceOperation>;
    // Needs: credentials handed over as such. Today the host context reads `AUTH0_*` from this object.
    private readonly env: NodeJS.ProcessEnv;
    private unusable?: Error = new Error("The provider was not configured: the engine sent no Configure call.");

    constructor(log: (line: string) => void, processEnv: NodeJS.ProcessEnv = process.env) {
        this.env = { [TIMEOUT_VARIABLE]: processEnv[TIMEOUT_VARIABLE] };
        const host = new HostContext({ env: this.env, log });
        const ready = () => {
            if (this.unusable) throw this.unusable;
        };
        this.operations = new Map<string, ResourceOperation>([
            [CONNECTION_DENY_LIST, new ClassOperation(new ConnectionDenyListProvider({}, host), ready, CONNECTION)],
            [TENANT_DENY_LIST, new ClassOperation(new TenantDenyListProvider({}, host), ready, TENANT)],
        ]);
    }

    /**
     * Points every operation at the tenant of `credentials`; given an error instead, every
     * operation that needs the tenant fails with it.
     */
    use(credentials: Credentials | Error): void {
        for (const key of Object.values(ENV_KEYS)) delete this.env[key];
        this.unusable = credentials instanceof Error ? credentials : undefined;
        if (credentials instanceof Error) return;
        Object.assign(this.env, {
            [ENV_KEYS.domain]: credentials.baseUrl,
            [ENV_KEYS.clientId]: credentials.clientId,
            [ENV_KEYS.clientSecret]: credentials.clientSecret,
            [ENV_KEYS.apiToken]: credentials.apiToken,
        });
    }
}

/** The partial failure a create or update threw, if it was one. */
export function partialFailure(error: unknown): PartialFailure | undefined {
    // Needs: a typed outcome. The classes throw the dynamic provider's shape, an Error with these fields.
    const { id, properties, reasons } = error as Partial<PartialFailure>;
    if (typeof id !== "string" || !id || typeof properties !== "object" || properties === null) return undefined;
    const { __provider: _serializedProvider, ...state } = properties;
    return { id, properties: state, reasons: reasons ?? [] };
}

/** What the two resource types do differently around the shared calls. */
interface Kind {
    warnings(attributes: string[], inputs: Props): string[];
    adopt(read: (id: string, state: Props) => Promise<Written>, urn: string, id: string): Promise<Adopted>;
}

const CONNECTION: Kind = {
    warnings: (list, inputs) => [
        ...attributeWarnings(list),
        ...caseWarnings(list),
        ...emptyExclusiveWarning(list, inputs.exclusive === true),
    ],
    async adopt(read, urn, id) {
        if (!InputsSchema.shape.connectionId.safeParse(id).success) {
            throw new Error(
                `Importing a ConnectionDenyList takes the connection's id (con_ followed by letters and digits, as ` +
                    `the Auth0 dashboard shows it); ${JSON.stringify(id)} is not one. Nothing was read or written.`,
            );
        }
        // Needs: a read without state. In exclusive mode a read reports the whole live list, which
        // is what an import adopts; the state then says merge mode, owning nothing (DESIGN §3).
        const live = await read(id, { exclusive: true });
        if (!live.id) return { id: "", outs: {}, inputs: {} };
        const outs = { ...live.outs, exclusive: false, ownedAttributes: [], declaredBy: urn };
        return { id: live.id, outs, inputs: { connectionId: live.id, attributes: live.outs.attributes } };
    },
};

const TENANT: Kind = {
    warnings: (list) => [...attributeWarnings(list), ...caseWarnings(list)],
    async adopt() {
        throw new Error(
            "A TenantDenyList cannot be imported: it is no object in Auth0 but one declaration over many " +
                "connections. Declare it in the program and run `pulumi up`: entries already on a connection " +
                "are adopted, not written, and its delete never removes them.",
        );
    },
};

/** The dynamic provider methods an operation delegates to. */
type DynamicProvider = Required<
    Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">
>;

class ClassOperation implements ResourceOperation {
    constructor(
        private readonly provider: DynamicProvider,
        private readonly ready: () => void,
        private readonly kind: Kind,
    ) {}

    async check(news: Props): Promise<Checked> {
        const result = await this.provider.check({}, news);
        return { inputs: result.inputs ?? {}, failures: [...(result.failures ?? [])] };
    }

    warnings(inputs: Props): string[] {
        const list = Array.isArray(inputs.attributes) ? inputs.attributes : [];
        return this.kind.warnings(
            list.filter((entry): entry is string => typeof entry === "string" && entry !== UNKNOWN),
            inputs,
        );
    }

    async diff(urn: string, id: string, olds: Props, news: Props): Promise<Diffed> {
        const result = await this.provider.diff(id, olds, declaredBy(urn, news));
        return {
            changes: result.changes,
            replaces: [...(result.replaces ?? [])],
            stables: [...(result.stables ?? [])],
            deleteBeforeReplace: result.deleteBeforeReplace === true,
        };
    }

    async create(urn: string, news: Props): Promise<Written> {
        this.ready();
        const { id, outs } = await this.provider.create(declaredBy(urn, news));
        return { id, outs };
    }

    read = async (id: string, state: Props): Promise<Written> => {
        this.ready();
        const result = await this.provider.read(id, state);
        return { id: result.id ?? "", outs: result.props ?? {} };
    };

    adopt(urn: string, id: string): Promise<Adopted> {
        return this.kind.adopt(this.read, urn, id);
    }

    async update(urn: string, id: string, olds: Props, news: Props): Promise<Props> {
        this.ready();
        return (await this.provider.update(id, olds, declaredBy(urn, news))).outs ?? {};
    }

    async delete(id: string, olds: Props): Promise<void> {
        this.ready();
        await this.provider.delete(id, olds);
    }
}

// Needs: the URN as identity. Today the classes take it as the dynamic resources' `declaredBy` input.
function declaredBy(urn: string, news: Props): Props {
    return { ...news, declaredBy: urn };
}
