/**
 * Stacks for tests: what the real config-driven program registers (for test/engine, which drives
 * the dynamic-provider host), and a stack served in this process for sequences of deployments.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { stackConfigFor } from "../../harness/credentials";
import { MiniEngine, type Step, type Targeting } from "../../harness/engine";
import { CONFIG_PROGRAM, type Declared, runProgram } from "../../harness/program";
import { type Driver, DYNAMIC, declare, type Resources } from "./drivers";

export type { Resources };

/** The stack config that makes the config-driven program ({@link CONFIG_PROGRAM}) declare `resources`. */
export function resourcesConfig(resources: Resources): Record<string, unknown> {
    const entries = Object.entries(resources).map(([name, args]) =>
        "tenant" in args ? { name, tenant: true, args: args.tenant } : { name, args },
    );
    return { "auth0-deny-list:resources": entries };
}

// Registrations by project and resources: the program is deterministic, and a run takes a second.
const runs = new Map<string, Declared[]>();

/** What the config-driven program registers for `resources` in `project`; each distinct program runs once per process. */
export function registered(project: string, resources: Resources): Declared[] {
    const key = JSON.stringify([project, resources]);
    let found = runs.get(key);
    if (!found) {
        found = runProgram(project, CONFIG_PROGRAM, resourcesConfig(resources), { shared: true }).resources;
        runs.set(key, found);
    }
    return structuredClone(found);
}

/**
 * A stack served in this process (test/support/drivers.ts): every command through a new provider
 * host context, as the CLI starts a new host per command; the program is built in process from
 * plain values, as the program side builds it. For sequences of deployments about what the
 * provider decides; what the gRPC host and the real program add is test/engine's (with
 * {@link registered} and the host of harness/host.ts).
 */
export class LocalStack {
    private readonly engine: MiniEngine;
    /** Every line every host printed, in order. */
    printed: string[] = [];

    constructor(
        /** The tenant the next command's stack config points at. */
        public tenant: Emulator,
        readonly driver: Driver = DYNAMIC,
    ) {
        this.engine = new MiniEngine(
            driver.host(() => {}),
            stackConfigFor(tenant),
        );
    }

    /** What the program registers for `resources` (`aliases`: a resource's earlier names). */
    program(resources: Resources, aliases: Record<string, string[]> = {}): Declared[] {
        return declare(this.driver, resources, aliases);
    }

    /** One Pulumi command: a new host, configured for the current tenant. */
    async command<T>(run: (engine: MiniEngine) => Promise<T>): Promise<T> {
        this.engine.host = this.driver.host((line) => this.printed.push(line));
        this.engine.config = stackConfigFor(this.tenant);
        return run(this.engine);
    }

    /** `pulumi preview`. */
    preview(resources: Resources): Promise<Step[]> {
        return this.command((e) => e.preview(this.program(resources)));
    }

    /** `pulumi up` (with `--target` when given). */
    up(resources: Resources, targeting?: Targeting): Promise<Step[]> {
        return this.command((e) => e.up(this.program(resources), targeting));
    }

    /** `pulumi refresh`. */
    refresh(): Promise<Step[]> {
        return this.command((e) => e.refresh());
    }

    /** `pulumi destroy` (with `--target` when given). */
    destroy(targeting?: Targeting): Promise<Step[]> {
        return this.command((e) => e.destroy(targeting));
    }

    /** The stored outputs of the resource named `name`. */
    outputs(name: string): Record<string, unknown> | undefined {
        return [...this.engine.state.values()].find((s) => s.urn.endsWith(`::${name}`))?.outputs;
    }

    /** Every resource in state. */
    state(): MiniEngine["state"] {
        return this.engine.state;
    }
}

/** What every test of a `describe` using {@link localStackPerTest} gets: a new emulator and a local stack on it. */
export interface LocalFixture {
    emulator: Emulator;
    stack: LocalStack;
}

/** Registers hooks giving each test of the calling `describe` a new emulator and a new local stack on it, served by `driver`. */
export function localStackPerTest(driver: Driver): LocalFixture {
    const fixture = {} as LocalFixture;
    beforeEach(async () => {
        fixture.emulator = await startEmulator();
        fixture.stack = new LocalStack(fixture.emulator, driver);
    });
    afterEach(() => fixture.emulator.stop());
    return fixture;
}

/** "name: error" for each failed step. */
export function errors(steps: Step[]): string[] {
    return steps.filter((s) => s.error).map((s) => `${s.name}: ${s.error}`);
}
