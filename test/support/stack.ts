/**
 * A stack driven as the Pulumi CLI drives one: every command (preview, up, refresh, destroy)
 * runs the program under the mock runtime and acts through a new dynamic-provider host, so
 * nothing a host process remembers carries over between deployments.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { stackConfigFor } from "../../harness/credentials";
import { MiniEngine, type Step, type Targeting } from "../../harness/engine";
import { ProviderHost } from "../../harness/host";
import { installedProject } from "../../harness/install";
import { CONFIG_PROGRAM, type Declared, runProgram } from "../../harness/program";
import type { ConnectionDenyListArgs, TenantDenyListArgs } from "../../provider";

/** The program's resources by name: a ConnectionDenyList's args, or `{ tenant: args }` for a TenantDenyList. */
export type Resources = Record<string, ConnectionDenyListArgs | { tenant: TenantDenyListArgs }>;

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
        found = runProgram(project, CONFIG_PROGRAM, resourcesConfig(resources)).resources;
        runs.set(key, found);
    }
    return structuredClone(found);
}

/** One stack of the installed project, pointed at an emulator. */
export class TestStack {
    private engine?: MiniEngine;
    /** Every line every host printed, in order. */
    printed: string[] = [];

    constructor(
        private readonly project: string,
        /** The tenant the next command's stack config points at. */
        public tenant: Emulator,
    ) {}

    /** What the program registers for `resources`. */
    program(resources: Resources): Declared[] {
        return registered(this.project, resources);
    }

    /** One Pulumi command: a new host, configured for the current tenant, stopped afterwards. */
    async command<T>(run: (engine: MiniEngine) => Promise<T>): Promise<T> {
        const host = await ProviderHost.start(this.project, {
            AUTH0_DOMAIN: "",
            AUTH0_CLIENT_ID: "",
            AUTH0_CLIENT_SECRET: "",
        });
        const engine = this.engine ?? new MiniEngine(host);
        this.engine = engine;
        engine.host = host;
        engine.config = stackConfigFor(this.tenant);
        try {
            return await run(engine);
        } finally {
            this.printed.push(...host.output());
            await host.stop();
        }
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
        return [...(this.engine?.state.values() ?? [])].find((s) => s.urn.endsWith(`::${name}`))?.outputs;
    }

    /** Every resource in state. */
    state(): MiniEngine["state"] | undefined {
        return this.engine?.state;
    }
}

/** "name: error" for each failed step. */
export function errors(steps: Step[]): string[] {
    return steps.filter((s) => s.error).map((s) => `${s.name}: ${s.error}`);
}

/** What every test of a `describe` using {@link stackPerTest} gets: the installed project, a new emulator and a stack on it. */
export interface StackFixture {
    project: string;
    emulator: Emulator;
    stack: TestStack;
}

/** Registers hooks giving each test of the calling `describe` a new emulator and a new stack of the installed project on it. */
export function stackPerTest(): StackFixture {
    const fixture = {} as StackFixture;
    before(() => {
        fixture.project = installedProject();
    });
    beforeEach(async () => {
        fixture.emulator = await startEmulator();
        fixture.stack = new TestStack(fixture.project, fixture.emulator);
    });
    afterEach(() => fixture.emulator.stop());
    return fixture;
}
