/**
 * `pulumi-auth0-deny-list/testing`: run your program's deny lists against a local Auth0 tenant
 * in your own test suite (mocha, jest, node:test), with no Pulumi CLI and no network. A test
 * tenant is the package's emulator with the connections you seed; a test stack runs your program
 * function under Pulumi's runtime mocks and drives its ConnectionDenyList and TenantDenyList
 * resources through the package's own providers, in the engine's order: preview (check, diff),
 * up (check, diff, create, update, delete), refresh (read), destroy (delete). Each deployment
 * starts a fresh provider, as each `pulumi` command does; the stack's state carries over.
 *
 * @example
 * const tenant = await startTestTenant({ seed: [{ id: "con_Members000000001", name: "members", strategy: "auth0", options: {} }] });
 * const stack = tenant.stack(() => {
 *     new ConnectionDenyList("members", { connectionName: "members", attributes: ["gender"] });
 * });
 * await stack.up();
 * assert.deepEqual(tenant.denyList("members"), ["gender"]);
 * await stack.destroy();
 * await tenant.stop();
 */
import { type Connection, type Emulator, type EmulatorOptions, startEmulator } from "../emulator";
import { MiniEngine, type Step } from "./engine";
import { InProcessHost } from "./in-process-host";
import { runTestProgram, type TestProgram } from "./program-run";

export type { TestProgram };

/** What the test tenant starts with, and how it behaves: the emulator's options. */
export type TestTenantOptions = Pick<
    EmulatorOptions,
    "seed" | "generated" | "scopes" | "rateLimit" | "latencyMs" | "faults" | "stateFile"
>;

/** How a test stack runs its program. */
export interface TestStackOptions {
    /** The Pulumi project name, the namespace of the program's own config. Default `test`. */
    project?: string;
    /** The stack name. Default `test`. */
    stack?: string;
    /**
     * Stack config as in `Pulumi.<stack>.yaml`, full keys (`test:attributes`); an object value is
     * passed as JSON, as Pulumi passes structured config. `auth0:*` keys always point at the test
     * tenant: a test can never reach a real one.
     */
    config?: Record<string, unknown>;
    /**
     * The id a resource other than a deny list gets under the mocks, by resource name (default
     * `<name>-id`): e.g. an `auth0.Connection` wired into a deny list's `connectionId`, given
     * `tenant.connectionId("members")`.
     */
    ids?: Record<string, string>;
}

/** What the engine did (or, in preview, would do) to one resource. */
export type DeploymentStep = Step;

/** The outcome of one deployment. */
export interface Deployment {
    /** One step per resource: `create`, `update`, `replace`, `delete`, `same`, `refresh`, `gone`, each with the entries it added or removed. */
    steps: DeploymentStep[];
    /** The warnings `pulumi` would print: the program's, then the provider's, without the `warning:` prefix. */
    warnings: string[];
    /** Every line the provider printed (warnings, waits and retries, entries kept for another resource). */
    log: string[];
}

/** A deployment that failed, as `pulumi up` exits non-zero: the program stopped, or a step failed. */
export class DeploymentError extends Error {
    override name = "DeploymentError";
    constructor(
        message: string,
        /** What was done before and besides the failure; the stack's state records it. */
        readonly deployment: Deployment,
    ) {
        super(message);
    }
}

/** One stack of your program on the test tenant. */
export interface TestStack {
    /** `pulumi preview`: what `up` would do; sends no request. `program` replaces the stack's program from now on. */
    preview(program?: TestProgram): Promise<Deployment>;
    /** `pulumi up`. `program` replaces the stack's program from now on (a changed program, as in a later commit). */
    up(program?: TestProgram): Promise<Deployment>;
    /** `pulumi refresh`: reads what is live into state (no program runs). */
    refresh(): Promise<Deployment>;
    /** `pulumi destroy`: deletes every resource of the stack (no program runs). */
    destroy(): Promise<Deployment>;
    /** The outputs of each resource in the stack's state, by resource name. */
    outputs(): Record<string, Record<string, unknown>>;
}

/** The local tenant your program's stacks run against. */
export interface TestTenant {
    /** The running emulator: `connections()`, `requests()`, `update()` for out-of-band changes, `injectFault()`. */
    readonly emulator: Emulator;
    /** The live deny list of a connection, by name or id (`null` reads as empty). */
    denyList(connection: string): string[];
    /** The id of the connection named `name`. */
    connectionId(name: string): string;
    /** A stack running `program`, with empty state. */
    stack(program: TestProgram, options?: TestStackOptions): TestStack;
    /** Stops the emulator. */
    stop(): Promise<void>;
}

/** Starts a test tenant: the emulator on a free loopback port, seeded with `options.seed` (default: its built-in connections). */
export async function startTestTenant(options: TestTenantOptions = {}): Promise<TestTenant> {
    const emulator = await startEmulator({ ...options, port: 0 });
    const find = (connection: string): Connection => {
        const all = emulator.connections();
        const found = all.find((c) => c.id === connection) ?? all.find((c) => c.name === connection);
        if (!found) {
            const names = all.map((c) => JSON.stringify(c.name)).join(", ");
            throw new Error(`The test tenant has no connection ${JSON.stringify(connection)}; it has ${names}.`);
        }
        return found;
    };
    return {
        emulator,
        denyList: (connection) => {
            const list = find(connection).options?.non_persistent_attrs;
            return Array.isArray(list) ? [...list] : [];
        },
        connectionId: (name) => find(name).id,
        stack: (program, stackOptions = {}) => new Stack(emulator, program, stackOptions),
        stop: () => emulator.stop(),
    };
}

class Stack implements TestStack {
    private readonly engine = new MiniEngine(new InProcessHost(() => {}));
    private readonly settings: Required<Pick<TestStackOptions, "project" | "stack" | "ids">> & {
        config: Record<string, string>;
    };

    constructor(
        emulator: Emulator,
        private program: TestProgram,
        options: TestStackOptions,
    ) {
        const tenant = {
            "auth0:domain": emulator.url,
            "auth0:clientId": emulator.clientId,
            "auth0:clientSecret": emulator.clientSecret,
        };
        const config = Object.fromEntries(
            Object.entries(options.config ?? {}).map(([key, value]) => [
                key,
                typeof value === "string" ? value : JSON.stringify(value),
            ]),
        );
        this.engine.config = tenant;
        this.settings = {
            project: options.project ?? "test",
            stack: options.stack ?? "test",
            ids: options.ids ?? {},
            config: { ...config, ...tenant },
        };
    }

    preview(program?: TestProgram): Promise<Deployment> {
        return this.withProgram(program, true, (declared) => this.engine.preview(declared));
    }

    up(program?: TestProgram): Promise<Deployment> {
        return this.withProgram(program, false, (declared) => this.engine.up(declared));
    }

    refresh(): Promise<Deployment> {
        return this.deploy([], () => this.engine.refresh());
    }

    destroy(): Promise<Deployment> {
        return this.deploy([], () => this.engine.destroy());
    }

    outputs(): Record<string, Record<string, unknown>> {
        const entries = [...this.engine.state.values()].map((entry) => {
            const { __provider: _facade, ...outputs } = entry.outputs;
            return [entry.urn.split("::").pop() ?? entry.urn, outputs];
        });
        return Object.fromEntries(entries);
    }

    // Runs the program (a new one when given), then the deployment on what it declared.
    private async withProgram(
        program: TestProgram | undefined,
        preview: boolean,
        run: (declared: Parameters<MiniEngine["up"]>[0]) => Promise<Step[]>,
    ): Promise<Deployment> {
        if (program) this.program = program;
        const outcome = await runTestProgram(this.program, { ...this.settings, preview });
        if (outcome.errors.length > 0) {
            const deployment = { steps: [], warnings: outcome.warnings, log: [] };
            throw new DeploymentError(`The program failed:\n${outcome.errors.join("\n")}`, deployment);
        }
        return this.deploy(outcome.warnings, () => run(outcome.resources));
    }

    // One deployment with a fresh provider, as each `pulumi` command starts one.
    private async deploy(programWarnings: string[], run: () => Promise<Step[]>): Promise<Deployment> {
        const log: string[] = [];
        this.engine.host = new InProcessHost((line) => log.push(line));
        const steps = await run();
        const warnings = [
            ...programWarnings,
            ...log.filter((line) => line.startsWith("warning: ")).map((line) => line.slice("warning: ".length)),
        ];
        const deployment = { steps, warnings, log };
        const failed = steps.filter((step) => step.error !== undefined);
        if (failed.length > 0) {
            const lines = failed.map((step) => `${step.op} ${step.name}: ${step.error}`);
            throw new DeploymentError(`${failed.length} resource(s) failed:\n${lines.join("\n")}`, deployment);
        }
        return deployment;
    }
}
