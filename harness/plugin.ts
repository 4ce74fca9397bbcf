/**
 * Drives the provider plugin (`auth0-deny-list`) as the engine does: starts it from an installed
 * package the way the engine starts a resource plugin (`node dist/plugin/main.js <engine>`, or
 * through `@pulumi/pulumi/cmd/run-plugin` with the shipped `pulumi-plugin/` folder, from the
 * program's directory), reads the port from the first line of stdout, and sends the engine's
 * ResourceProvider messages over gRPC. A small Engine service stands in for the engine's own and
 * records the plugin's Log calls (its diagnostics).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { HostError, type HostModules, initFailureOf, loadModules } from "./host";
import { makeTempDir } from "./temp";

type Struct = Record<string, unknown>;

/** One Log call the plugin made. */
export interface LogEntry {
    severity: "debug" | "info" | "warning" | "error";
    message: string;
    urn: string;
}

/** The engine's Engine service, reduced to Log: what the plugin reports as diagnostics. */
export class EngineLog {
    /** Every Log call, in arrival order. */
    readonly entries: LogEntry[] = [];

    private constructor(
        // biome-ignore lint/suspicious/noExplicitAny: generated gRPC server without types
        private readonly server: any,
        /** Where the plugin reaches it (host:port). */
        readonly address: string,
    ) {}

    /** Starts the service on a free loopback port. */
    static async start(modules: HostModules): Promise<EngineLog> {
        const server = new modules.grpc.Server();
        const severities = ["debug", "info", "warning", "error"] as const;
        let log: EngineLog | undefined;
        server.addService(modules.engineGrpcPb.EngineService, {
            // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
            log: (call: any, callback: any) => {
                const request = call.request;
                log?.entries.push({
                    severity: severities[request.getSeverity()],
                    message: request.getMessage(),
                    urn: request.getUrn(),
                });
                callback(null, new modules.emptyPb.Empty());
            },
        });
        const port = await new Promise<number>((resolve, reject) =>
            server.bindAsync("127.0.0.1:0", modules.grpc.ServerCredentials.createInsecure(), (e: Error, p: number) =>
                e ? reject(e) : resolve(p),
            ),
        );
        log = new EngineLog(server, `127.0.0.1:${port}`);
        return log;
    }

    /** Stops the service. */
    stop(): Promise<void> {
        return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
    }
}

/** How to start the plugin. */
export interface PluginStart {
    /** The program's directory, with the package installed in its node_modules (harness/install.ts). */
    project: string;
    /** `main`: `node dist/plugin/main.js`; `run-plugin`: the shipped folder through @pulumi/pulumi's run-plugin. */
    via?: "main" | "run-plugin";
    /** The shipped folder for `run-plugin`; default: the installed package's `pulumi-plugin/`. */
    folder?: string;
    /** Added to the environment, after every `AUTH0_*` and `PULUMI_CONFIG` of this process is removed. */
    env?: Record<string, string>;
    /** Command-line arguments before the engine address, as the engine may pass (`--logtostderr`, `-v=9`). */
    flags?: string[];
    /** Give the plugin no engine address (as when it is started by hand); its diagnostics then go to stderr. */
    withoutEngine?: boolean;
}

/** The engine's view of a diff, detailed diff included. */
export interface PluginDiff {
    changes: "some" | "none" | "unknown";
    replaces: string[];
    stables: string[];
    deleteBeforeReplace: boolean;
    /** Top-level properties that change. */
    diffs: string[];
    /** Property path → kind (`add`, `update-replace` …); undefined when the plugin sent none. */
    detailedDiff?: Record<string, string>;
}

const KINDS = ["add", "add-replace", "delete", "delete-replace", "update", "update-replace"];

/** One running plugin process, with the engine's Log service it reports to. */
export class PluginHost {
    private stopped?: Promise<void>;

    private constructor(
        private readonly child: ChildProcess,
        // biome-ignore lint/suspicious/noExplicitAny: generated gRPC client without types
        private readonly client: any,
        private readonly modules: HostModules,
        /** The engine's Log service this plugin was started with. */
        readonly engine: EngineLog,
        /** The first line the plugin printed on stdout (its port). */
        readonly firstLine: string,
        private readonly lines: string[],
    ) {}

    /** Starts the plugin and connects to it. */
    static async start(options: PluginStart): Promise<PluginHost> {
        const modules = loadModules(options.project);
        const engine = await EngineLog.start(modules);
        const installed = path.join(options.project, "node_modules", "pulumi-auth0-deny-list");
        const folder = options.folder ?? path.join(installed, "pulumi-plugin");
        const args =
            options.via === "run-plugin"
                ? [require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [folder] }), folder]
                : [path.join(installed, "dist", "plugin", "main.js")];
        const inherited = Object.fromEntries(
            Object.entries(process.env).filter(([key]) => !key.startsWith("AUTH0_") && key !== "PULUMI_CONFIG"),
        );
        const address = options.withoutEngine ? [] : [engine.address];
        const child = spawn(process.execPath, [...args, ...(options.flags ?? []), ...address], {
            cwd: options.project,
            env: { ...inherited, ...options.env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const stdout = createInterface({ input: child.stdout as NodeJS.ReadableStream });
        const printed: string[] = [];
        createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", (line) => printed.push(line));
        const firstLine = await new Promise<string>((resolve, reject) => {
            stdout.once("line", resolve);
            child.once("exit", (code) => reject(new Error(`plugin exited with ${code}: ${printed.join("\n")}`)));
        });
        stdout.on("line", (line) => printed.push(line));
        const client = new modules.grpcPb.ResourceProviderClient(
            `127.0.0.1:${firstLine.trim()}`,
            modules.grpc.credentials.createInsecure(),
        );
        const host = new PluginHost(child, client, modules, engine, firstLine, printed);
        return host;
    }

    /** What the plugin printed after its port, stdout and stderr (the engine logs these at debug level only). */
    output(): string[] {
        return [...this.lines];
    }

    /** The diagnostics the plugin sent to the engine's Log service. */
    logs(): LogEntry[] {
        return [...this.engine.entries];
    }

    /** Handshake, as a newer engine sends it first. */
    async handshake(): Promise<Record<string, boolean>> {
        const req = new this.modules.pb.ProviderHandshakeRequest();
        req.setEngineAddress(this.engine.address);
        req.setConfigureWithUrn(true);
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call("handshake", req);
        return {
            acceptSecrets: resp.getAcceptSecrets(),
            acceptResources: resp.getAcceptResources(),
            acceptOutputs: resp.getAcceptOutputs(),
            supportsAutonamingConfiguration: resp.getSupportsAutonamingConfiguration(),
        };
    }

    /** GetPluginInfo: the plugin's version. */
    async pluginVersion(): Promise<string> {
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call("getPluginInfo", new this.modules.emptyPb.Empty());
        return resp.getVersion();
    }

    /** GetSchema, parsed. */
    async schema(version = 0): Promise<Struct> {
        const req = new this.modules.pb.GetSchemaRequest();
        req.setVersion(version);
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call("getSchema", req);
        return JSON.parse(resp.getSchema());
    }

    /** CheckConfig of a provider resource's inputs. */
    checkConfig(news: Struct, urn = providerUrn()): Promise<{ inputs: Struct; failures: Failure[] }> {
        return this.checkCall("checkConfig", urn, {}, news);
    }

    /** DiffConfig: the settings that changed. */
    async diffConfig(olds: Struct, news: Struct, urn = providerUrn()): Promise<PluginDiff> {
        const req = new this.modules.pb.DiffRequest();
        req.setUrn(urn);
        req.setOldInputs(this.struct(olds));
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        return this.diffAnswer(await this.call("diffConfig", req));
    }

    /**
     * Configure as the engine sends it (provider_plugin.go): the provider's inputs as `args` (give
     * secrets wrapped), its name (`default` for the default provider), and the protocol flags.
     */
    async configure(args: Struct = {}, name = "default"): Promise<Record<string, boolean>> {
        const req = new this.modules.pb.ConfigureRequest();
        req.setArgs(this.struct(args));
        req.setName(name);
        req.setUrn(providerUrn(name));
        req.setType("pulumi:providers:auth0-deny-list");
        req.setAcceptsecrets(true);
        req.setAcceptresources(true);
        req.setSendsOldInputs(true);
        req.setSendsOldInputsToDelete(true);
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call("configure", req);
        return {
            acceptSecrets: resp.getAcceptsecrets(),
            supportsPreview: resp.getSupportspreview(),
            acceptResources: resp.getAcceptresources(),
            acceptOutputs: resp.getAcceptoutputs(),
        };
    }

    /** Check: validated inputs and failures. */
    check(urn: string, olds: Struct, news: Struct): Promise<{ inputs: Struct; failures: Failure[] }> {
        return this.checkCall("check", urn, olds, news);
    }

    /** Diff between stored outputs and checked inputs. */
    async diff(urn: string, id: string, olds: Struct, news: Struct, oldInputs: Struct = {}): Promise<PluginDiff> {
        const req = new this.modules.pb.DiffRequest();
        req.setUrn(urn);
        req.setType(typeOf(urn));
        req.setId(id);
        req.setOlds(this.struct(olds));
        req.setOldInputs(this.struct(oldInputs));
        req.setNews(this.struct(news));
        return this.diffAnswer(await this.call("diff", req));
    }

    /** Create (or, with `preview`, what a preview shows). */
    async create(urn: string, properties: Struct, preview = false): Promise<{ id: string; properties: Struct }> {
        const req = new this.modules.pb.CreateRequest();
        req.setUrn(urn);
        req.setType(typeOf(urn));
        req.setProperties(this.struct(properties));
        req.setPreview(preview);
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call("create", req);
        return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
    }

    /**
     * Read. Refresh sends the stored outputs and inputs; `pulumi import` sends the id alone (leave
     * both out). A blank id means the resource is gone.
     */
    async read(
        urn: string,
        id: string,
        properties?: Struct,
        inputs?: Struct,
    ): Promise<{ id: string; properties: Struct; inputs?: Struct }> {
        const req = new this.modules.pb.ReadRequest();
        req.setUrn(urn);
        req.setType(typeOf(urn));
        req.setId(id);
        req.setProperties(this.struct(properties ?? {}));
        if (inputs) req.setInputs(this.struct(inputs));
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call("read", req);
        return {
            id: resp.getId(),
            properties: resp.getProperties()?.toJavaScript() ?? {},
            inputs: resp.getInputs()?.toJavaScript(),
        };
    }

    /** Update from stored outputs to checked inputs (or, with `preview`, what a preview shows). */
    async update(
        urn: string,
        id: string,
        olds: Struct,
        news: Struct,
        preview = false,
    ): Promise<{ properties: Struct }> {
        const req = new this.modules.pb.UpdateRequest();
        req.setUrn(urn);
        req.setType(typeOf(urn));
        req.setId(id);
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        req.setPreview(preview);
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call("update", req);
        return { properties: resp.getProperties()?.toJavaScript() ?? {} };
    }

    /** Delete with the stored outputs. */
    async delete(urn: string, id: string, properties: Struct): Promise<void> {
        const req = new this.modules.pb.DeleteRequest();
        req.setUrn(urn);
        req.setType(typeOf(urn));
        req.setId(id);
        req.setProperties(this.struct(properties));
        await this.call("delete", req);
    }

    /** Cancel, as the engine sends it when the user interrupts. */
    async cancel(): Promise<void> {
        await this.call("cancel", new this.modules.emptyPb.Empty());
    }

    /** Parameterize with command-line arguments (this provider is not parameterized). */
    async parameterize(args: string[]): Promise<void> {
        const req = new this.modules.pb.ParameterizeRequest();
        const parameters = new this.modules.pb.ParameterizeRequest.ParametersArgs();
        parameters.setArgsList(args);
        req.setArgs(parameters);
        await this.call("parameterize", req);
    }

    /** Stops the plugin, then the Log service; calling it again waits for the same stop. */
    stop(): Promise<void> {
        this.stopped ??= (async () => {
            this.client.close();
            if (this.child.exitCode === null && this.child.signalCode === null) {
                const exited = new Promise((resolve) => this.child.once("exit", resolve));
                this.child.kill();
                await exited;
            }
            await this.engine.stop();
        })();
        return this.stopped;
    }

    private async checkCall(
        method: string,
        urn: string,
        olds: Struct,
        news: Struct,
    ): Promise<{ inputs: Struct; failures: Failure[] }> {
        const req = new this.modules.pb.CheckRequest();
        req.setUrn(urn);
        req.setType(typeOf(urn));
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        const resp: any = await this.call(method, req);
        return {
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
            failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
    private diffAnswer(resp: any): PluginDiff {
        const kinds = this.modules.pb.DiffResponse.DiffChanges;
        const changes = resp.getChanges();
        const detailed: Record<string, string> = {};
        // biome-ignore lint/suspicious/noExplicitAny: generated protobuf types
        resp.getDetaileddiffMap().forEach((entry: any, key: string) => {
            detailed[key] = KINDS[entry.getKind()];
        });
        return {
            changes: changes === kinds.DIFF_SOME ? "some" : changes === kinds.DIFF_NONE ? "none" : "unknown",
            replaces: resp.getReplacesList(),
            stables: resp.getStablesList(),
            deleteBeforeReplace: resp.getDeletebeforereplace(),
            diffs: resp.getDiffsList(),
            detailedDiff: resp.getHasdetaileddiff() ? detailed : undefined,
        };
    }

    private struct(value: Struct): unknown {
        return this.modules.structPb.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
    }

    private call(method: string, request: unknown): Promise<unknown> {
        return new Promise((resolve, reject) => {
            // biome-ignore lint/suspicious/noExplicitAny: generated gRPC client without types
            this.client[method](request, (error: any, response: unknown) => {
                if (error) {
                    reject(
                        Object.assign(
                            new HostError(error.details || error.message, initFailureOf(error, this.modules)),
                            {
                                code: error.code,
                            },
                        ),
                    );
                } else resolve(response);
            });
        });
    }
}

/**
 * A copy of the installed project in which the shipped `pulumi-plugin/` folder was installed as
 * `pulumi package add ./node_modules/pulumi-auth0-deny-list/pulumi-plugin` installs it (`npm
 * install` in the folder; its `file:..` dependency links the enclosing package). A copy, so the
 * shared installed project stays as npm left it. Offline: nothing is fetched.
 */
export function projectWithInstalledPluginFolder(project: string): { project: string; folder: string } {
    const copy = path.join(makeTempDir("auth0-deny-list-plugin-folder-"), "program");
    cpSync(project, copy, { recursive: true, verbatimSymlinks: true });
    const folder = path.join(copy, "node_modules", "pulumi-auth0-deny-list", "pulumi-plugin");
    execFileSync(
        process.platform === "win32" ? "npm.cmd" : "npm",
        ["install", "--offline", "--no-audit", "--no-fund"],
        {
            cwd: folder,
            stdio: ["ignore", "pipe", "pipe"],
        },
    );
    return { project: copy, folder };
}

/** A check failure. */
export interface Failure {
    property: string;
    reason: string;
}

/** The URN a resource of the plugin's package gets in stack `dev` of project `deny-lists`. */
export function pluginUrn(type: "ConnectionDenyList" | "TenantDenyList", name: string): string {
    return `urn:pulumi:dev::deny-lists::auth0-deny-list:index:${type}::${name}`;
}

/** The URN of a provider resource of the plugin's package (`default` for the default provider). */
export function providerUrn(name = "default"): string {
    return `urn:pulumi:dev::deny-lists::pulumi:providers:auth0-deny-list::${name}`;
}

function typeOf(urn: string): string {
    return urn.split("::")[2]?.split("$").pop() ?? "";
}
