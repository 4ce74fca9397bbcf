/**
 * Runs a Pulumi program function in this process under `pulumi.runtime.setMocks`, as
 * `pulumi preview` or `pulumi up` runs a program: every resource registers, the deny-list
 * resources with their inputs (`__provider` and the program's view of the others included, an
 * unknown value as the engine's sentinel), the program's warnings printed, and an error thrown
 * by a resource's check (an exclusive list beside another) failing the run. Pulumi's runtime is
 * one per process: runs take turns.
 */
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../provider/core/schema";
import { registry } from "../provider/program/registry";
import type { Declared } from "./engine";

/** A Pulumi program: declares resources, as the body of a program's `index.ts` does. */
export type TestProgram = () => unknown;

/** Where and how the program runs. */
export interface ProgramSettings {
    project: string;
    stack: string;
    /** `pulumi preview` (unknown values stay unknown) or `pulumi up`. */
    preview: boolean;
    /** Stack config, keyed as in `Pulumi.<stack>.yaml` (`project:key`, `auth0:domain`). */
    config: Record<string, string>;
    /** The id a resource that is not a deny list gets, by resource name (default `<name>-id`). */
    ids: Record<string, string>;
}

/** What a program run registered and printed. */
export interface ProgramOutcome {
    /** The ConnectionDenyList and TenantDenyList resources, as the engine receives them. */
    resources: Declared[];
    /** The program's warnings, as `pulumi` prints them (without the `warning:` prefix). */
    warnings: string[];
    /** What stopped the program; empty when it ran through. */
    errors: string[];
}

const DENY_LIST_TYPES = new Set([
    "pulumi-nodejs:dynamic/auth0:ConnectionDenyList",
    "pulumi-nodejs:dynamic/auth0:TenantDenyList",
]);

// The mock monitor's parts this module uses (they are the SDK's, not its public types).
interface MockMonitor {
    newUrn(parent: string, type: string, name: string): string;
    registerResource(request: RegisterRequest, callback: unknown): unknown;
}
interface RegisterRequest {
    getParent(): string;
    getType(): string;
    getName(): string;
    getPropertydependenciesMap(): { forEach(each: (deps: { getUrnsList(): string[] }, key: string) => void): void };
}

let turn: Promise<unknown> = Promise.resolve();

/** Runs `program` once Pulumi's runtime is free, and resolves when everything it started has settled. */
export function runTestProgram(program: TestProgram, settings: ProgramSettings): Promise<ProgramOutcome> {
    const run = turn.then(() => runNow(program, settings));
    turn = run.catch(() => undefined);
    return run;
}

async function runNow(program: TestProgram, settings: ProgramSettings): Promise<ProgramOutcome> {
    const resources: Declared[] = [];
    const warnings: string[] = [];
    const errors: string[] = [];
    let registering: { urn: string; dependencies: Record<string, string[]> } | undefined;
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const { urn, dependencies } = registering ?? { urn: "", dependencies: {} };
                if (DENY_LIST_TYPES.has(args.type)) {
                    const inputs = withSentinels(args.inputs) as Record<string, unknown>;
                    resources.push({
                        urn,
                        type: args.type,
                        name: args.name,
                        inputs,
                        propertyDependencies: dependencies,
                    });
                }
                return { id: settings.ids[args.name] ?? `${args.name}-id`, state: args.inputs };
            },
            call: (args) => args.inputs,
        },
        settings.project,
        settings.stack,
        settings.preview,
    );
    pulumi.runtime.setAllConfig(settings.config);
    registry.reset();
    // The URN and property dependencies of each registration: the mocks are given neither.
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitor;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        const dependencies: Record<string, string[]> = {};
        request.getPropertydependenciesMap().forEach((deps, key) => {
            dependencies[key] = deps.getUrnsList();
        });
        registering = { urn: monitor.newUrn(request.getParent(), request.getType(), request.getName()), dependencies };
        try {
            // The monitor hands the request to the mocks before its first await.
            return register(request, callback);
        } finally {
            registering = undefined;
        }
    };
    const restore = capture(warnings, errors);
    try {
        await program();
        await settled();
    } catch (error) {
        errors.push(messageOf(error));
    } finally {
        restore();
    }
    return { resources, warnings, errors };
}

// Until the registrations and what they set off (the resources' warnings) have run. The SDK's own
// wait for its outstanding requests is internal (not in its types), though every version has it.
async function settled(): Promise<void> {
    const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
    for (let quiet = 0; quiet < 3; quiet++) {
        await runtime.waitForRPCs?.();
        await new Promise((resolve) => setImmediate(resolve));
    }
}

// Collects the program's warnings (printed with console.warn when no engine listens) and the
// errors a resource throws from its checks, which the CLI would report as the program failing.
function capture(warnings: string[], errors: string[]): () => void {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
        warnings.push(
            args
                .map(String)
                .join(" ")
                .replace(/^warning: \[runtime\] /, ""),
        );
    };
    const listeners = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const onRejection = (reason: unknown) => errors.push(messageOf(reason));
    process.on("unhandledRejection", onRejection);
    return () => {
        console.warn = warn;
        process.off("unhandledRejection", onRejection);
        for (const listener of listeners) process.on("unhandledRejection", listener);
    };
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

// An unknown value (a preview's output of another resource) as the engine sends it to a provider.
function withSentinels(value: unknown): unknown {
    if (pulumi.isUnknown(value)) return UNKNOWN;
    if (Array.isArray(value)) return value.map(withSentinels);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withSentinels(inner)]));
    }
    return value;
}
