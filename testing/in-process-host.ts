/**
 * The package's two dynamic providers, called in the test process as Pulumi's dynamic-provider
 * host calls them: one host context per deployment (the CLI starts a new provider process for
 * every command), values passed as the protocol carries them (JSON: no `undefined`), `__provider`
 * kept in inputs and outputs, and a partial failure reported with what to record in state.
 */
import type * as pulumi from "@pulumi/pulumi";
import { HostContext } from "../provider/host/context";
import type { ProviderOptions } from "../provider/host/options";
import { ConnectionDenyListProvider } from "../provider/host/provider";
import { TenantDenyListProvider } from "../provider/host/tenant-provider";
import type { DiffAnswer, EngineHost, InitFailed } from "./engine";

type Struct = Record<string, unknown>;

/** The type token of a TenantDenyList: every other resource the engine is given is a ConnectionDenyList. */
const TENANT_TYPE = "pulumi-nodejs:dynamic/auth0:TenantDenyList";

/** A provider call that failed; `initFailed` is set when the resource was created all the same. */
export class ProviderCallError extends Error {
    override name = "ProviderCallError";
    constructor(
        message: string,
        readonly initFailed?: InitFailed,
    ) {
        super(message);
    }
}

/** One provider process's worth of providers, in this process. */
export class InProcessHost implements EngineHost {
    private readonly host: HostContext;
    private readonly connections: ConnectionDenyListProvider;
    private readonly tenants: TenantDenyListProvider;

    /**
     * `log` receives what the provider prints (warnings, waits); no `AUTH0_*` variable is read.
     * `options` are the provider's own (a test may shorten how long the writer gathers operations).
     */
    constructor(log: (line: string) => void, options: Omit<ProviderOptions, "env" | "log"> = {}) {
        this.host = new HostContext({ ...options, env: {}, log });
        this.connections = new ConnectionDenyListProvider({}, this.host);
        this.tenants = new TenantDenyListProvider({}, this.host);
    }

    async configure(config: Record<string, string>): Promise<void> {
        this.host.configure({
            config: { get: (key: string) => config[key] },
        } as unknown as pulumi.dynamic.ConfigureRequest);
    }

    async check(urn: string, olds: Struct, news: Struct) {
        const result = await this.provider(urn).check?.(wire(olds), wire(news));
        const inputs = { ...(result?.inputs ?? news), __provider: news.__provider };
        const failures = (result?.failures ?? []).map(({ property, reason }) => ({
            property: String(property),
            reason,
        }));
        return { inputs: wire(inputs), failures };
    }

    async diff(urn: string, id: string, olds: Struct, news: Struct): Promise<DiffAnswer> {
        const result = (await this.provider(urn).diff?.(id, wire(olds), wire(news))) ?? {};
        return {
            changes: result.changes === true ? "some" : result.changes === false ? "none" : "unknown",
            replaces: result.replaces ?? [],
            deleteBeforeReplace: result.deleteBeforeReplace === true,
        };
    }

    async create(urn: string, properties: Struct) {
        const { id, outs } = await called(() => this.provider(urn).create(wire(properties)));
        return { id, properties: withProvider(outs, properties) };
    }

    async read(urn: string, id: string, properties: Struct) {
        const read = (await this.provider(urn).read?.(id, wire(properties))) ?? { id, props: properties };
        return { id: read.id ?? "", properties: withProvider(read.props, properties) };
    }

    async update(urn: string, id: string, olds: Struct, news: Struct) {
        // Both providers implement update.
        const provider = this.provider(urn) as Required<pulumi.dynamic.ResourceProvider>;
        const updated = await called(() => provider.update(id, wire(olds), wire(news)));
        return { properties: withProvider(updated.outs, news) };
    }

    async delete(urn: string, id: string, properties: Struct): Promise<void> {
        await called(() => this.provider(urn).delete?.(id, wire(properties)) ?? Promise.resolve());
    }

    private provider(urn: string): pulumi.dynamic.ResourceProvider {
        const type = urn.split("::")[2]?.split("$").pop();
        return type === TENANT_TYPE ? this.tenants : this.connections;
    }
}

// As the protocol carries values: JSON, so `undefined` is left out.
function wire<T>(value: T): T {
    return JSON.parse(JSON.stringify(value ?? {}));
}

// Outputs as the host returns them: with the resource's `__provider`.
function withProvider(outs: unknown, inputs: Struct): Struct {
    return wire({ ...(outs as Struct | undefined), __provider: inputs.__provider });
}

// A provider error as the engine sees it: a message, and for a partial failure what to record.
async function called<T>(call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (error) {
        const { message, id, properties, reasons } = error as Error & Partial<InitFailed>;
        const initFailed = id ? { id, properties: wire(properties ?? {}), reasons: reasons ?? [message] } : undefined;
        throw new ProviderCallError(message, initFailed);
    }
}
