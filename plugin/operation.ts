/**
 * The plugin's adapter over the one provider operation (provider/host/operation.ts), the same
 * operation both dynamic providers serve: the resource's URN is its identity (a plugin sees no
 * program, so there is no view of the others: the ledger and the records are what it has),
 * import reads the live list with no write, and a partial failure comes back typed.
 */
import { type Credentials, ENV_KEYS, TIMEOUT_VARIABLE } from "../provider/auth0/credentials";
import { UNKNOWN } from "../provider/core/schema";
import { connectionKind } from "../provider/host/connection-kind";
import { HostContext } from "../provider/host/context";
import {
    type CommonInputs,
    type CommonState,
    DenyListOperations,
    PartialFailure as FailedPartly,
    type ResourceKind,
} from "../provider/host/operation";
import { tenantKind } from "../provider/host/tenant-kind";
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
    // The host context reads the credentials Configure resolved from this object, at each call.
    private readonly env: NodeJS.ProcessEnv;
    private unusable?: Error = new Error("The provider was not configured: the engine sent no Configure call.");

    constructor(log: (line: string) => void, processEnv: NodeJS.ProcessEnv = process.env) {
        this.env = { [TIMEOUT_VARIABLE]: processEnv[TIMEOUT_VARIABLE] };
        const operations = new DenyListOperations(new HostContext({ env: this.env, log }));
        const ready = () => {
            if (this.unusable) throw this.unusable;
        };
        this.operations = new Map<string, ResourceOperation>([
            [CONNECTION_DENY_LIST, new KindOperation(operations, connectionKind, ready, connectionWarnings)],
            [TENANT_DENY_LIST, new KindOperation(operations, tenantKind, ready, tenantWarnings)],
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
    if (!(error instanceof FailedPartly)) return undefined;
    return { id: error.id, properties: error.properties, reasons: error.reasons };
}

const connectionWarnings = (list: string[], inputs: Props) => [
    ...attributeWarnings(list),
    ...caseWarnings(list),
    ...emptyExclusiveWarning(list, inputs.exclusive === true),
];

const tenantWarnings = (list: string[]) => [...attributeWarnings(list), ...caseWarnings(list)];

/** One resource type's calls, each the one provider operation with that type's kind. */
class KindOperation<I extends CommonInputs, S extends CommonState> implements ResourceOperation {
    constructor(
        private readonly operations: DenyListOperations,
        private readonly kind: ResourceKind<I, S>,
        private readonly ready: () => void,
        private readonly warn: (attributes: string[], inputs: Props) => string[],
    ) {}

    async check(news: Props): Promise<Checked> {
        const result = this.kind.check(news);
        return { inputs: result.inputs ?? {}, failures: [...(result.failures ?? [])] };
    }

    warnings(inputs: Props): string[] {
        const list = Array.isArray(inputs.attributes) ? inputs.attributes : [];
        return this.warn(
            list.filter((entry): entry is string => typeof entry === "string" && entry !== UNKNOWN),
            inputs,
        );
    }

    async diff(urn: string, id: string, olds: Props, news: Props): Promise<Diffed> {
        const result = await this.operations.diff(this.kind, id, olds, news, urn);
        return {
            changes: result.changes,
            replaces: [...(result.replaces ?? [])],
            stables: [...(result.stables ?? [])],
            deleteBeforeReplace: result.deleteBeforeReplace === true,
        };
    }

    async create(urn: string, news: Props): Promise<Written> {
        this.ready();
        const { id, outs } = await this.operations.create(this.kind, news, urn);
        return { id, outs: outs as Props };
    }

    async read(id: string, state: Props): Promise<Written> {
        this.ready();
        const observed = await this.operations.read(this.kind, id, state);
        return observed ? { id, outs: observed as Props } : { id: "", outs: {} };
    }

    async adopt(urn: string, id: string): Promise<Adopted> {
        this.ready();
        const adopted = await this.operations.adopt(this.kind, id, urn);
        return adopted
            ? { id, outs: adopted.state as Props, inputs: adopted.inputs }
            : { id: "", outs: {}, inputs: {} };
    }

    async update(urn: string, id: string, olds: Props, news: Props): Promise<Props> {
        this.ready();
        return (await this.operations.update(this.kind, id, olds, news, urn)) as Props;
    }

    async delete(id: string, olds: Props): Promise<void> {
        this.ready();
        await this.operations.delete(this.kind, id, olds);
    }
}
