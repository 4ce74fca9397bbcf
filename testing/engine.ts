/**
 * A miniature Pulumi engine: keeps a stack's state and runs preview, up, refresh and destroy
 * by calling a provider host in the order the real engine does (DESIGN.md §6): Check and Diff
 * one resource after another in the order the program registers them (the engine's step
 * generator does), each resource's step started as soon as its diff is in, so steps of
 * independent resources run concurrently with each other and with later diffs; deletes of
 * resources the program no longer declares run last. The host is the real dynamic-provider host
 * over gRPC (harness/host.ts: tests, demo, bench), the providers in-process (the testing entry
 * point that users' test suites run, and the model-based test), or the provider plugin.
 */

type Struct = Record<string, unknown>;

/** A resource the program declared. */
export interface Declared {
    urn: string;
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** URNs of the resources each input depends on, as the engine receives them (orders operations). */
    propertyDependencies: Record<string, string[]>;
    /** Earlier URNs of this resource (`aliases`): the engine moves their state to this one. */
    aliases?: string[];
}

/** The engine's view of a diff. */
export interface DiffAnswer {
    changes: "some" | "none" | "unknown";
    replaces: string[];
    deleteBeforeReplace: boolean;
}

/** What a create or update that failed after creating records: the engine keeps it in state. */
export interface InitFailed {
    id: string;
    properties: Struct;
    reasons: string[];
}

/** The provider calls the engine makes, as the ResourceProvider protocol carries them. */
export interface EngineHost {
    /** Configure with stack config (`auth0:domain` …), as the engine does before preview/up. */
    configure(config: Record<string, string>): Promise<void>;
    check(
        urn: string,
        olds: Struct,
        news: Struct,
    ): Promise<{ inputs: Struct; failures: { property: string; reason: string }[] }>;
    diff(urn: string, id: string, olds: Struct, news: Struct): Promise<DiffAnswer>;
    /** A partial failure rejects with an error whose `initFailed` says what to record. */
    create(urn: string, properties: Struct): Promise<{ id: string; properties: Struct }>;
    read(urn: string, id: string, properties: Struct): Promise<{ id: string; properties: Struct }>;
    update(urn: string, id: string, olds: Struct, news: Struct): Promise<{ properties: Struct }>;
    delete(urn: string, id: string, properties: Struct): Promise<void>;
}

/** One resource in the stack's state. */
export interface StateEntry {
    urn: string;
    id: string;
    inputs: Struct;
    outputs: Struct;
}

/** What the engine did (or, in preview, would do) to one resource. */
export interface Step {
    op: "create" | "update" | "replace" | "delete" | "same" | "refresh" | "gone";
    urn: string;
    name: string;
    /** Attribute entries added (+) and removed (-), when they changed. */
    added?: string[];
    removed?: string[];
    /** The error, when the step failed. */
    error?: string;
}

/** `--target`: only these resources (by name) are acted on; the others keep their state. */
export interface Targeting {
    target?: readonly string[];
}

/** A stack: state plus the host that acts on it. */
export class MiniEngine {
    /** The stack's state, by URN. */
    readonly state = new Map<string, StateEntry>();

    /**
     * `host` is the provider host of the next deployment: the Pulumi CLI starts a new one for
     * every command, so a test may swap it between deployments. `config` is the stack config.
     */
    constructor(
        public host: EngineHost,
        public config: Record<string, string> = {},
    ) {}

    /** `pulumi preview`: Configure, then Check and Diff of each resource in turn; never a write. */
    async preview(declared: Declared[]): Promise<Step[]> {
        await this.host.configure(this.config);
        const steps: Step[] = [];
        for (const resource of declared) {
            const { checked, old, diff } = await this.planOne(resource);
            steps.push(
                old && diff
                    ? this.planned(diff, resource, old, checked)
                    : this.step("create", resource, [], checked.attributes),
            );
        }
        return [...steps, ...this.orphans(declared).map((old) => this.step("delete", old, old.outputs.attributes, []))];
    }

    /**
     * `pulumi up`: Check, Diff, then Create/Update/Delete (replace honours deleteBeforeReplace).
     * With `target`, the program still declares everything, but the engine sends nothing for
     * the other resources: they keep their state (a "same" step without a Diff).
     */
    async up(declared: Declared[], { target }: Targeting = {}): Promise<Step[]> {
        await this.host.configure(this.config);
        const running: Promise<Step>[] = [];
        for (const resource of declared) {
            if (!targeted(resource, target)) {
                running.push(Promise.resolve(this.step("same", resource)));
                continue;
            }
            // The next resource's Check and Diff wait for this one's diff, not for its step.
            const planned = this.planOne(resource);
            await planned.catch(() => undefined);
            running.push(
                planned.then((plan) => this.runOne(resource, plan)).catch((error) => this.failed(resource, error)),
            );
        }
        const steps = await Promise.all(running);
        const orphans = this.orphans(declared).filter((old) => targeted(old, target));
        const deletes = await Promise.all(orphans.map((old) => this.deleteOne(old)));
        return [...steps, ...deletes];
    }

    /** `pulumi refresh`: Read every resource with its stored `__provider`. */
    async refresh(): Promise<Step[]> {
        await this.host.configure(this.config);
        return Promise.all(
            [...this.state.values()].map(async (old) => {
                const read = await this.host.read(old.urn, old.id, old.outputs);
                if (!read.id) {
                    this.state.delete(old.urn);
                    return this.step("gone", old);
                }
                this.state.set(old.urn, { ...old, outputs: read.properties });
                return this.step("refresh", old, old.outputs.attributes, read.properties.attributes);
            }),
        );
    }

    /** `pulumi destroy`: Delete every resource (or the targets) with its stored `__provider`; no program runs. */
    async destroy({ target }: Targeting = {}): Promise<Step[]> {
        await this.host.configure(this.config);
        const doomed = [...this.state.values()].filter((old) => targeted(old, target));
        return Promise.all(doomed.map((old) => this.deleteOne(old)));
    }

    // Check and Diff of one resource. A resource renamed with `aliases` takes over its old state entry.
    private async planOne(resource: Declared): Promise<{ checked: Struct; old?: StateEntry; diff?: DiffAnswer }> {
        const alias = resource.aliases?.find((urn) => !this.state.has(resource.urn) && this.state.has(urn));
        const aliased = alias === undefined ? undefined : this.state.get(alias);
        if (alias !== undefined && aliased) {
            this.state.delete(alias);
            this.state.set(resource.urn, { ...aliased, urn: resource.urn });
        }
        const old = this.state.get(resource.urn);
        const checked = await this.check(resource, old);
        if (!old) return { checked };
        return { checked, old, diff: await this.host.diff(resource.urn, old.id, old.outputs, checked) };
    }

    private failed(resource: Declared, error: unknown): Step {
        const op = this.state.has(resource.urn) ? "update" : "create";
        return { ...this.step(op, resource), error: (error as Error).message };
    }

    // The step a diff decided.
    private async runOne(
        resource: Declared,
        { checked, old, diff }: { checked: Struct; old?: StateEntry; diff?: DiffAnswer },
    ): Promise<Step> {
        try {
            if (!old || !diff) return await this.createOne(resource, checked);
            const step = this.planned(diff, resource, old, checked);
            if (step.op === "update") {
                const { properties } = await this.host
                    .update(resource.urn, old.id, old.outputs, checked)
                    .catch((error) => {
                        // A partial failure is recorded in state, as the engine does, so later runs can act on it.
                        const failed = (error as { initFailed?: InitFailed }).initFailed;
                        if (failed)
                            this.state.set(resource.urn, { ...old, inputs: checked, outputs: failed.properties });
                        throw error;
                    });
                this.state.set(resource.urn, { ...old, inputs: checked, outputs: properties });
            } else if (step.op === "replace") {
                if (diff.deleteBeforeReplace) {
                    await this.host.delete(old.urn, old.id, old.outputs);
                    this.state.delete(old.urn);
                    await this.createOne(resource, checked);
                } else {
                    const created = await this.createOne(resource, checked);
                    await this.host.delete(old.urn, old.id, old.outputs);
                    return created;
                }
            }
            return step;
        } catch (error) {
            return { ...this.step(old ? "update" : "create", resource), error: (error as Error).message };
        }
    }

    private async createOne(resource: Declared, checked: Struct): Promise<Step> {
        try {
            const created = await this.host.create(resource.urn, checked);
            this.state.set(resource.urn, {
                urn: resource.urn,
                id: created.id,
                inputs: checked,
                outputs: created.properties,
            });
            return this.step("create", resource, [], created.properties.attributes);
        } catch (error) {
            // A partial failure is recorded in state, as the engine does, so later runs can act on it.
            const failed = (error as { initFailed?: InitFailed }).initFailed;
            if (failed) {
                const { id, properties } = failed;
                this.state.set(resource.urn, { urn: resource.urn, id, inputs: checked, outputs: properties });
            }
            throw error;
        }
    }

    private async deleteOne(old: StateEntry): Promise<Step> {
        try {
            await this.host.delete(old.urn, old.id, old.outputs);
            this.state.delete(old.urn);
            // A delete removes only what the resource owns: show that, not every declared entry.
            return this.step("delete", old, old.outputs.ownedAttributes, []);
        } catch (error) {
            return { ...this.step("delete", old), error: (error as Error).message };
        }
    }

    private async check(resource: Declared, old: StateEntry | undefined): Promise<Struct> {
        const { inputs, failures } = await this.host.check(resource.urn, old?.inputs ?? {}, resource.inputs);
        if (failures.length > 0) {
            throw new Error(failures.map((failure) => `${failure.property}: ${failure.reason}`).join("\n"));
        }
        return inputs;
    }

    private planned(
        diff: { changes: string; replaces: string[] },
        resource: Declared,
        old: StateEntry,
        checked: Struct,
    ): Step {
        if (diff.replaces.length > 0) return this.step("replace", resource, old.outputs.attributes, checked.attributes);
        if (diff.changes === "none") return this.step("same", resource);
        return this.step("update", resource, old.outputs.attributes, checked.attributes);
    }

    private orphans(declared: Declared[]): StateEntry[] {
        const wanted = new Set(declared.map((resource) => resource.urn));
        return [...this.state.values()].filter((entry) => !wanted.has(entry.urn));
    }

    private step(op: Step["op"], resource: { urn: string }, before?: unknown, after?: unknown): Step {
        const name = nameOf(resource);
        const was = Array.isArray(before) ? (before as string[]) : [];
        const now = Array.isArray(after) ? (after as string[]) : [];
        const added = now.filter((entry) => !was.includes(entry));
        const removed = was.filter((entry) => !now.includes(entry));
        return {
            op,
            urn: resource.urn,
            name,
            ...(added.length ? { added } : {}),
            ...(removed.length ? { removed } : {}),
        };
    }
}

// The resource's name: the last part of its URN.
function nameOf(resource: { urn: string }): string {
    return resource.urn.split("::").pop() ?? resource.urn;
}

function targeted(resource: { urn: string }, target: readonly string[] | undefined): boolean {
    return target === undefined || target.includes(nameOf(resource));
}
