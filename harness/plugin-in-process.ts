/**
 * The provider plugin's logic (plugin/operation.ts) called the way the engine calls the plugin,
 * in this process: what the gRPC server adds (protobuf, secrets, the port line) is
 * test/plugin's to test through the spawned plugin; a test that runs thousands of commands
 * (test/model) starts one of these per command, as the engine starts a new plugin per command.
 */
import { configuredCredentials } from "../plugin/config";
import { ProviderLogic, partialFailure, type ResourceOperation } from "../plugin/operation";
import type { DiffAnswer, EngineHost } from "../testing/engine";
import { ProviderCallError } from "../testing/in-process-host";

type Struct = Record<string, unknown>;

/** The plugin's two resource types, as their URNs name them. */
export const PLUGIN_TYPES = {
    connection: "auth0-deny-list:index:ConnectionDenyList",
    tenant: "auth0-deny-list:index:TenantDenyList",
} as const;

/** One plugin process's provider logic, in this process. */
export class PluginInProcessHost implements EngineHost {
    private readonly logic: ProviderLogic;

    /** `log` receives what the plugin would send the engine as diagnostics. */
    constructor(log: (line: string) => void) {
        this.logic = new ProviderLogic(log, {});
    }

    /** The default provider's Configure: the stack's `auth0:*` config as this package's settings. */
    async configure(config: Record<string, string>): Promise<void> {
        const args = {
            domain: config["auth0:domain"],
            clientId: config["auth0:clientId"],
            clientSecret: config["auth0:clientSecret"],
        };
        this.logic.use(configuredCredentials({ args, name: "default" }, {}));
    }

    async check(urn: string, _olds: Struct, news: Struct) {
        const { inputs, failures } = await this.operation(urn).check(news);
        return { inputs, failures };
    }

    async diff(urn: string, id: string, olds: Struct, news: Struct): Promise<DiffAnswer> {
        const result = await this.operation(urn).diff(urn, id, olds, news);
        return {
            changes: result.changes === true ? "some" : result.changes === false ? "none" : "unknown",
            replaces: result.replaces,
            deleteBeforeReplace: result.deleteBeforeReplace,
        };
    }

    create(urn: string, properties: Struct) {
        return called(async () => {
            const { id, outs } = await this.operation(urn).create(urn, properties);
            return { id, properties: outs };
        });
    }

    async read(urn: string, id: string, properties: Struct) {
        const { id: found, outs } = await this.operation(urn).read(id, properties);
        return { id: found, properties: outs };
    }

    update(urn: string, id: string, olds: Struct, news: Struct) {
        return called(async () => ({ properties: await this.operation(urn).update(urn, id, olds, news) }));
    }

    delete(urn: string, id: string, properties: Struct): Promise<void> {
        return this.operation(urn).delete(id, properties);
    }

    private operation(urn: string): ResourceOperation {
        const type = urn.split("::")[2];
        const operation = this.logic.operations.get(type ?? "");
        if (!operation) throw new Error(`the plugin serves no resource type ${type}`);
        return operation;
    }
}

// A partial failure reaches the engine as the plugin reports it: the error, with the state to keep.
async function called<T>(call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (error) {
        const failed = partialFailure(error);
        throw new ProviderCallError((error as Error).message, failed);
    }
}
