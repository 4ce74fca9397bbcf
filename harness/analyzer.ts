/**
 * A gRPC client for a JavaScript policy pack, started as the Pulumi CLI starts one: `node
 * <@pulumi/pulumi>/cmd/run-policy-pack <engine address> .` in the pack's folder, which prints the
 * port of the pack's Analyzer server. It sends the engine's messages: GetAnalyzerInfo, Configure,
 * Analyze (one resource's inputs, before its step) and AnalyzeStack (every resource's outputs,
 * at the end of a preview or update).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import type * as grpcModule from "@grpc/grpc-js";
import type * as grpcPbModule from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as pbModule from "@pulumi/pulumi/proto/analyzer_pb";
import type * as emptyModule from "google-protobuf/google/protobuf/empty_pb";
import type * as structModule from "google-protobuf/google/protobuf/struct_pb";

/** An enforcement level as policy configuration spells it. */
export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";

/** A resource as the engine describes it to an analyzer. */
export interface EngineResource {
    type: string;
    urn: string;
    /** Inputs for Analyze, outputs for AnalyzeStack; an unknown value is Pulumi's sentinel string. */
    properties: Record<string, unknown>;
    /** For each property, the URNs of the resources its value came from. */
    propertyDependencies?: Record<string, string[]>;
}

/** One diagnostic the pack returned. */
export interface Diagnostic {
    policyName: string;
    message: string;
    urn: string;
    enforcementLevel: EnforcementLevel;
}

/** One policy as GetAnalyzerInfo describes it. */
export interface PolicyInfo {
    name: string;
    enforcementLevel: EnforcementLevel;
    type: "resource" | "stack" | "unknown";
    /** The JSON Schema the CLI validates the policy's configuration against. */
    configSchema?: { properties: Record<string, unknown>; required: string[] };
}

/** The configuration of one policy, as the CLI sends it after reading `--policy-pack-config`. */
export interface PolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** A failed gRPC call. */
export class AnalyzerError extends Error {
    override name = "AnalyzerError";
}

// The callback every call of the generated client ends with.
type Done<Response> = (error: grpcModule.ServiceError | null, response: Response) => void;

/** One running policy pack. */
export class PolicyAnalyzer {
    private readonly lines: string[] = [];

    private constructor(
        private readonly child: ChildProcess,
        private readonly client: grpcPbModule.AnalyzerClient,
        private readonly modules: AnalyzerModules,
    ) {}

    /**
     * Starts the pack in `packDir` with the `@pulumi/pulumi` that resolves from there, as the
     * CLI's Node.js language host does. The engine address is not dialled by JavaScript packs
     * (run-policy-pack drops it), so none listens there.
     */
    static async start(packDir: string): Promise<PolicyAnalyzer> {
        const entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
        const modules = loadModules(path.resolve(entry, "..", "..", ".."));
        const child = spawn(process.execPath, [entry, "127.0.0.1:1", "."], {
            cwd: packDir,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const analyzer = await new Promise<PolicyAnalyzer>((resolve, reject) => {
            const stderr: string[] = [];
            createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", (line) => stderr.push(line));
            createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", (port) => {
                const client = new modules.grpcPb.AnalyzerClient(
                    `127.0.0.1:${port}`,
                    modules.grpc.credentials.createInsecure(),
                );
                resolve(new PolicyAnalyzer(child, client, modules));
            });
            child.once("exit", (code) => reject(new Error(`policy pack exited with ${code}:\n${stderr.join("\n")}`)));
        });
        createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", (line) =>
            analyzer.lines.push(line),
        );
        return analyzer;
    }

    /** What the pack printed to stderr after it started. */
    output(): string[] {
        return [...this.lines];
    }

    /** GetAnalyzerInfo: the pack's name, version and policies. */
    async info(): Promise<{ name: string; version: string; policies: PolicyInfo[] }> {
        const info = await this.call<pbModule.AnalyzerInfo>((done) =>
            this.client.getAnalyzerInfo(new this.modules.empty.Empty(), done),
        );
        const types = { 1: "resource", 2: "stack" } as const;
        return {
            name: info.getName(),
            version: info.getVersion(),
            policies: info.getPoliciesList().map((policy) => {
                const schema = policy.getConfigschema();
                return {
                    name: policy.getName(),
                    enforcementLevel: this.level(policy.getEnforcementlevel()),
                    type: types[policy.getPolicyType() as 1 | 2] ?? "unknown",
                    configSchema: schema && {
                        properties: schema.getProperties()?.toJavaScript() ?? {},
                        required: schema.getRequiredList(),
                    },
                };
            }),
        };
    }

    /** Configure: each policy's enforcement level and properties. */
    async configure(config: Record<string, PolicyConfig>): Promise<void> {
        const request = new this.modules.pb.ConfigureAnalyzerRequest();
        for (const [policy, { enforcementLevel, properties }] of Object.entries(config)) {
            const entry = new this.modules.pb.PolicyConfig();
            entry.setEnforcementlevel(this.modules.pb.EnforcementLevel[levelKey(enforcementLevel ?? "advisory")]);
            // The engine always sends properties, if empty; the pack reads them unconditionally.
            entry.setProperties(this.struct(properties ?? {}));
            request.getPolicyconfigMap().set(policy, entry);
        }
        await this.call((done) => this.client.configure(request, done));
    }

    /** Analyze: one resource's inputs, as the engine sends them before the resource's step. */
    async analyze(resource: EngineResource): Promise<Diagnostic[]> {
        const request = this.describe(new this.modules.pb.AnalyzeRequest(), resource);
        return this.diagnostics(await this.call((done) => this.client.analyze(request, done)));
    }

    /** AnalyzeStack: every resource's outputs and property dependencies, at the end of a preview or update. */
    async analyzeStack(resources: EngineResource[]): Promise<Diagnostic[]> {
        const request = new this.modules.pb.AnalyzeStackRequest();
        request.setResourcesList(
            resources.map((resource) => {
                const message = this.describe(new this.modules.pb.AnalyzerResource(), resource);
                for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
                    const dependencies = new this.modules.pb.AnalyzerPropertyDependencies();
                    dependencies.setUrnsList(urns);
                    message.getPropertydependenciesMap().set(property, dependencies);
                }
                message.setDependenciesList([...new Set(Object.values(resource.propertyDependencies ?? {}).flat())]);
                return message;
            }),
        );
        return this.diagnostics(await this.call((done) => this.client.analyzeStack(request, done)));
    }

    /** Stops the pack's process. */
    async stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode !== null) return;
        // "exit" comes on a later turn of the event loop than kill().
        this.child.kill();
        await once(this.child, "exit");
    }

    // What Analyze and AnalyzeStack say alike about a resource (default options: no protect, no aliases).
    private describe<Message extends pbModule.AnalyzeRequest | pbModule.AnalyzerResource>(
        message: Message,
        resource: EngineResource,
    ): Message {
        message.setType(resource.type);
        message.setUrn(resource.urn);
        message.setName(nameOf(resource.urn));
        message.setProperties(this.struct(resource.properties));
        message.setOptions(new this.modules.pb.AnalyzerResourceOptions());
        return message;
    }

    private diagnostics(response: pbModule.AnalyzeResponse): Diagnostic[] {
        return response.getDiagnosticsList().map((diagnostic) => ({
            policyName: diagnostic.getPolicyname(),
            message: diagnostic.getMessage(),
            urn: diagnostic.getUrn(),
            enforcementLevel: this.level(diagnostic.getEnforcementlevel()),
        }));
    }

    private level(value: pbModule.EnforcementLevel): EnforcementLevel {
        const key = Object.entries(this.modules.pb.EnforcementLevel).find(([, number]) => number === value)?.[0];
        return (key ?? "ADVISORY").toLowerCase() as EnforcementLevel;
    }

    private struct(value: Record<string, unknown>): structModule.Struct {
        return this.modules.struct.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
    }

    private call<Response>(send: (done: Done<Response>) => unknown): Promise<Response> {
        return new Promise((resolve, reject) => {
            send((error, response) => {
                if (error) reject(new AnalyzerError(error.details || error.message));
                else resolve(response);
            });
        });
    }
}

function levelKey(level: EnforcementLevel): keyof typeof pbModule.EnforcementLevel {
    return level.toUpperCase() as keyof typeof pbModule.EnforcementLevel;
}

// The engine names a resource by the last part of its URN.
function nameOf(urn: string): string {
    return urn.split("::").at(-1) ?? urn;
}

/** The protobuf and gRPC modules, from the same @pulumi/pulumi that runs the pack. */
interface AnalyzerModules {
    grpc: typeof grpcModule;
    grpcPb: typeof grpcPbModule;
    pb: typeof pbModule;
    empty: typeof emptyModule;
    struct: typeof structModule;
}

function loadModules(pulumiDir: string): AnalyzerModules {
    const from = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));
    return {
        grpc: from("@grpc/grpc-js"),
        grpcPb: from(path.join(pulumiDir, "proto/analyzer_grpc_pb")),
        pb: from(path.join(pulumiDir, "proto/analyzer_pb")),
        empty: from("google-protobuf/google/protobuf/empty_pb"),
        struct: from("google-protobuf/google/protobuf/struct_pb"),
    };
}
