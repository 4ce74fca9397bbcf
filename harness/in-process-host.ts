/**
 * The provider as the engine calls it, in this process: both dynamic providers on one new host
 * context, as one provider host process holds them. A test that runs thousands of commands
 * (test/model) starts one of these per command, as the Pulumi CLI starts a new host per command,
 * without the cost of a process. What the gRPC host adds (serialization, `require` of the
 * installed package) is host.ts's to test.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ClientOptions } from "../provider/auth0/client";
import { HostContext } from "../provider/host/context";
import { ConnectionDenyListProvider } from "../provider/host/provider";
import { TenantDenyListProvider } from "../provider/host/tenant-provider";
import type { Gathering } from "../provider/host/writer";
import type { EngineHost } from "./engine";
import { type DiffAnswer, HostError } from "./host";

type Struct = Record<string, unknown>;

/** What an in-process host is given. */
export interface InProcessOptions {
    /** Receives every line the providers print. */
    log: (line: string) => void;
    /** How long the writer gathers a connection's operations. */
    gathering?: Gathering;
    /** Auth0 client options (retry policy, clock). */
    client?: ClientOptions;
}

/** Both dynamic providers of one provider process, called the way the engine calls them. */
export class InProcessHost implements EngineHost {
    private readonly connections: ConnectionDenyListProvider;
    private readonly tenants: TenantDenyListProvider;

    constructor(options: InProcessOptions) {
        // Stack config only: the environment of the test process must not leak in.
        const host = new HostContext({ env: {}, ...options });
        this.connections = new ConnectionDenyListProvider({}, host);
        this.tenants = new TenantDenyListProvider({}, host);
    }

    async configure(config: Record<string, string>): Promise<void> {
        const req = { config: { get: (key: string) => config[key] } } as unknown as pulumi.dynamic.ConfigureRequest;
        await this.connections.configure(req);
    }

    async check(urn: string, olds: Struct, news: Struct) {
        const result = await this.provider(urn).check(olds, news);
        return { inputs: (result.inputs ?? news) as Struct, failures: [...(result.failures ?? [])] };
    }

    async diff(urn: string, id: string, olds: Struct, news: Struct): Promise<DiffAnswer> {
        const result = await this.provider(urn).diff(id, olds, news);
        return {
            changes: result.changes === true ? "some" : result.changes === false ? "none" : "unknown",
            replaces: [...(result.replaces ?? [])],
            deleteBeforeReplace: result.deleteBeforeReplace === true,
        };
    }

    create(urn: string, properties: Struct): Promise<{ id: string; properties: Struct }> {
        return failures(
            this.provider(urn)
                .create(properties)
                .then(({ id, outs }) => ({ id, properties: outs })),
        );
    }

    async read(urn: string, id: string, properties: Struct): Promise<{ id: string; properties: Struct }> {
        const result = await this.provider(urn).read(id, properties);
        return { id: result.id ?? "", properties: (result.props ?? {}) as Struct };
    }

    update(urn: string, id: string, olds: Struct, news: Struct): Promise<{ properties: Struct }> {
        return failures(
            this.provider(urn)
                .update(id, olds, news)
                .then(({ outs }) => ({ properties: outs ?? {} })),
        );
    }

    delete(urn: string, id: string, properties: Struct): Promise<void> {
        return this.provider(urn).delete(id, properties);
    }

    private provider(urn: string): ConnectionDenyListProvider | TenantDenyListProvider {
        return urn.includes("::pulumi-nodejs:dynamic/auth0:TenantDenyList::") ? this.tenants : this.connections;
    }
}

// A partial failure reaches the engine as the gRPC host sends it: the error, with the state to keep.
async function failures<T>(work: Promise<T>): Promise<T> {
    try {
        return await work;
    } catch (error) {
        const failed = error as Error & { id?: string; properties?: Struct; reasons?: string[] };
        if (failed.id !== undefined && failed.properties) {
            const { id = "", properties = {}, reasons = [failed.message] } = failed;
            throw new HostError(failed.message, { id, properties, reasons });
        }
        throw new HostError(failed.message);
    }
}
