/**
 * A gRPC client for `@pulumi/pulumi/cmd/dynamic-provider`, the host process the Pulumi CLI starts
 * for dynamic resources. It sends the same protobuf messages the engine sends, so serialization,
 * `require` resolution and the host's own glue are exercised for real.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import type { DiffAnswer, EngineHost, InitFailed } from "../testing/engine";

type Struct = Record<string, unknown>;

/** A failed gRPC call; `initFailed` is set for a partial failure (resource created, then failed). */
export class HostError extends Error {
    override name = "HostError";
    constructor(
        message: string,
        readonly initFailed?: InitFailed,
    ) {
        super(message);
    }
}

/** One running dynamic-provider host. */
export class ProviderHost implements EngineHost {
    private readonly lines: string[] = [];

    private constructor(
        private readonly child: ChildProcess,
        // biome-ignore lint/suspicious/noExplicitAny: generated gRPC client without types
        private readonly client: any,
        private readonly modules: HostModules,
    ) {}

    /**
     * Starts the host from `projectDir`'s node_modules (the installed package and its
     * @pulumi/pulumi), with `env` added to the environment.
     */
    static async start(projectDir: string, env: Record<string, string> = {}): Promise<ProviderHost> {
        const modules = loadModules(projectDir);
        const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [projectDir] });
        const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
            cwd: projectDir,
            env: { ...process.env, PULUMI_NODEJS_PROJECT: "auth0-deny-list", PULUMI_NODEJS_STACK: "dev", ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const port = await new Promise<string>((resolve, reject) => {
            const stdout = createInterface({ input: child.stdout as NodeJS.ReadableStream });
            stdout.once("line", resolve);
            child.once("exit", (code) => reject(new Error(`dynamic-provider host exited with ${code}`)));
        });
        const client = new modules.grpcPb.ResourceProviderClient(
            `127.0.0.1:${port}`,
            modules.grpc.credentials.createInsecure(),
        );
        const host = new ProviderHost(child, client, modules);
        createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", (line) => host.lines.push(line));
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => host.lines.push(line));
        return host;
    }

    /** Everything the host printed (the Pulumi CLI shows these lines to the user). */
    output(): string[] {
        return [...this.lines];
    }

    /** Peak resident memory of the host process, in bytes (Linux). */
    async rssBytes(): Promise<number> {
        const { readFile } = await import("node:fs/promises");
        const status = await readFile(`/proc/${this.child.pid}/status`, "utf8");
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        return kb * 1024;
    }

    /** Configure with stack config (`auth0:domain` …), as the engine does before preview/up. */
    async configure(config: Record<string, string>): Promise<void> {
        const req = new this.modules.pb.ConfigureRequest();
        req.setArgs(this.struct(config));
        req.setAcceptsecrets(true);
        await this.call("configure", req);
    }

    /** Check: validated inputs and failures. */
    async check(
        urn: string,
        olds: Struct,
        news: Struct,
    ): Promise<{ inputs: Struct; failures: { property: string; reason: string }[] }> {
        const req = new this.modules.pb.CheckRequest();
        req.setUrn(urn);
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call("check", req);
        return {
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
            failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    /** Diff between stored outputs and checked inputs. */
    async diff(urn: string, id: string, olds: Struct, news: Struct): Promise<DiffAnswer> {
        const req = new this.modules.pb.DiffRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call("diff", req);
        const kinds = this.modules.pb.DiffResponse.DiffChanges;
        const changes = resp.getChanges();
        return {
            changes: changes === kinds.DIFF_SOME ? "some" : changes === kinds.DIFF_NONE ? "none" : "unknown",
            replaces: resp.getReplacesList(),
            deleteBeforeReplace: resp.getDeletebeforereplace(),
        };
    }

    /** Create: the new id and outputs (with `__provider`). */
    async create(urn: string, properties: Struct): Promise<{ id: string; properties: Struct }> {
        const req = new this.modules.pb.CreateRequest();
        req.setUrn(urn);
        req.setProperties(this.struct(properties));
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call("create", req);
        return { id: resp.getId(), properties: resp.getProperties().toJavaScript() };
    }

    /** Read (refresh): a blank id means the resource is gone. */
    async read(urn: string, id: string, properties: Struct): Promise<{ id: string; properties: Struct }> {
        const req = new this.modules.pb.ReadRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(this.struct(properties));
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call("read", req);
        return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
    }

    /** Update from stored outputs to checked inputs. */
    async update(urn: string, id: string, olds: Struct, news: Struct): Promise<{ properties: Struct }> {
        const req = new this.modules.pb.UpdateRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call("update", req);
        return { properties: resp.getProperties().toJavaScript() };
    }

    /** Delete with the stored outputs (and their `__provider`). */
    async delete(urn: string, id: string, properties: Struct): Promise<void> {
        const req = new this.modules.pb.DeleteRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(this.struct(properties));
        await this.call("delete", req);
    }

    /** Stops the host process. */
    async stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode === null) {
            const exited = new Promise((resolve) => this.child.once("exit", resolve));
            this.child.kill();
            await exited;
        }
    }

    private struct(value: Struct): unknown {
        return this.modules.structPb.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
    }

    private call(method: string, request: unknown): Promise<unknown> {
        return new Promise((resolve, reject) => {
            // biome-ignore lint/suspicious/noExplicitAny: generated gRPC client without types
            this.client[method](request, (error: any, response: unknown) => {
                if (error) reject(new HostError(error.details || error.message, initFailureOf(error, this.modules)));
                else resolve(response);
            });
        });
    }
}

/** The partial failure a failed call carries: ErrorResourceInitFailed in grpc-status-details-bin. */
// biome-ignore lint/suspicious/noExplicitAny: grpc error object
export function initFailureOf(error: any, modules: HostModules): HostError["initFailed"] {
    const raw = error.metadata?.get?.("grpc-status-details-bin")?.[0];
    if (!raw) return undefined;
    const status = modules.statusPb.Status.deserializeBinary(raw);
    for (const detail of status.getDetailsList()) {
        const failed = detail.unpack(
            modules.pb.ErrorResourceInitFailed.deserializeBinary,
            "pulumirpc.ErrorResourceInitFailed",
        );
        if (failed) {
            return {
                id: failed.getId(),
                properties: failed.getProperties()?.toJavaScript() ?? {},
                reasons: failed.getReasonsList(),
            };
        }
    }
    return undefined;
}

/** The protobuf and gRPC modules, loaded from the same @pulumi/pulumi the host runs. */
export interface HostModules {
    // biome-ignore lint/suspicious/noExplicitAny: generated modules without types
    [name: string]: any;
}

/** The protobuf and gRPC modules of the @pulumi/pulumi installed in `projectDir`. */
export function loadModules(projectDir: string): HostModules {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir] }));
    const from = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));
    return {
        grpc: from("@grpc/grpc-js"),
        grpcPb: from(path.join(pulumiDir, "proto/provider_grpc_pb")),
        pb: from(path.join(pulumiDir, "proto/provider_pb")),
        statusPb: from(path.join(pulumiDir, "proto/status_pb")),
        enginePb: from(path.join(pulumiDir, "proto/engine_pb")),
        engineGrpcPb: from(path.join(pulumiDir, "proto/engine_grpc_pb")),
        structPb: from("google-protobuf/google/protobuf/struct_pb"),
        emptyPb: from("google-protobuf/google/protobuf/empty_pb"),
    };
}
