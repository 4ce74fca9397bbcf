/**
 * A model-based test of ownership (issue 23): fast-check generates random sequences of Pulumi
 * commands (`up`, `up --target`, `destroy`, `destroy --target`, `refresh`, `preview --refresh`),
 * program changes (deny lists added by id or by name, tenant-wide lists with strategies and
 * exclusions, attributes moved, exclusive, triggers, renames with and without aliases) and
 * out-of-band tenant changes (another writer adds or removes entries; a connection is created,
 * renamed or deleted; a list is wiped). Each command runs against the emulator over real HTTP
 * through a fresh provider host context, as the CLI starts a new host per command, and the
 * invariants are checked after each. A failure prints the shrunk sequence and its seed.
 *
 * The model is deliberately simple and shares no ownership code with the provider: the program
 * (who declares what where), which entries the stack wrote (what appeared during its commands),
 * and which lines it printed. The program's views of each other come from the package's own
 * view builder (core/view.ts), as the program side would build them.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { type Emulator, startEmulator } from "../../emulator";
import { SEED_SECRETS } from "../../emulator/seed";
import { stackConfigFor } from "../../harness/credentials";
import { known, type Reach, reaches } from "../../provider/core/declaration";
import { normalise } from "../../provider/core/denylist";
import { type Declared, MiniEngine, type StateEntry, type Step } from "../../testing/engine";
import { optionsWithoutDenyList } from "../support/connection";
import { type Driver, DYNAMIC, declare, PLUGIN, type Resources, urnOf } from "../support/drivers";

export { DYNAMIC, PLUGIN };

/** The deny lists' entries: two only the stack declares, one the seeded auth0 connection already holds. */
const ATTRIBUTES = ["x", "y", "gender"] as const;
/** The seeded connections (name, id), and names connections created or renamed out of band take. */
// Few of each, so that resources meet on one connection and entry often.
const SEEDED = [
    ["Username-Password-Authentication", "con_DbUsers000000001"],
    ["google-oauth2", "con_Google0000000001"],
] as const;
const CREATED = ["customer-oidc-1"] as const;
const STRATEGIES = ["auth0", "google-oauth2", "oidc"] as const;
const NAMES = ["a", "b"] as const;
const TENANT_NAMES = ["t1"] as const;
/** One deny list of the program, as the model knows it. */
export interface Resource {
    kind: "connection" | "tenant";
    /** ConnectionDenyList: by id or by name. */
    target?: { id: string } | { name: string };
    attributes: string[];
    exclusive?: boolean;
    triggers?: number;
    /** TenantDenyList. */
    strategies?: string[];
    exclude?: string[];
    /** Earlier names this resource had (`aliases`). */
    aliases: string[];
}

/** What must be true, kept apart from the system under test. */
export interface Model {
    /** The program, in registration order. */
    program: Map<string, Resource>;
    /** Nothing changed (program or tenant) since the last successful plain `up`. */
    quiet: boolean;
    /**
     * Connections changed out of band since the last refresh: an `up` cannot know (its diff is
     * offline), so it restores them only after a refresh has seen them.
     */
    drifted: Set<string>;
    /**
     * A targeted command acted, or an `up` failed, since the last successful plain `up`: records
     * of the resources it skipped (or whose step failed) may
     * not know what it changed. A further targeted command that removes without the program's view
     * (a `destroy --target`, or the delete of a resource the program dropped), or an entry only a
     * resource the program dropped declares, may then remove what those records do not know of
     * (docs/ownership.md states this limit). A plain `up` (or a whole destroy) brings them back in line.
     */
    partial: boolean;
    /**
     * Connections renamed out of band: two resources that name one of them differently (one by
     * its old name, one by its new) look like two connections to a program, so only a command that
     * sees both (a plain `up`) keeps what each declares (docs/ownership.md states this limit).
     */
    renamed: Set<string>;
}

/** The system under test, and what the model records of it. */
export interface Real {
    /** How the resources are served. */
    driver: Driver;
    emulator: Emulator;
    engine: MiniEngine;
    /** Every line every host printed. */
    printed: string[];
    /** Per connection id: entries that appeared while the stack ran a command, and that no command of it removed since. */
    written: Map<string, Set<string>>;
    /** Secrets that must never be printed or stored. */
    secrets: string[];
}

type Command = fc.AsyncCommand<Model, Real>;

/**
 * What the program registers (test/support/drivers.ts): each resource's inputs, with the view of
 * the others for the dynamic providers; a program with an exclusive list beside another stops.
 */
function registered(program: Map<string, Resource>, driver: Driver): Declared[] {
    const resources: Resources = {};
    const aliases: Record<string, string[]> = {};
    for (const [name, r] of program) {
        const common = { attributes: r.attributes, ...(r.triggers ? { triggers: [r.triggers] } : {}) };
        resources[name] =
            r.kind === "tenant"
                ? {
                      tenant: {
                          ...common,
                          ...(r.strategies ? { strategies: r.strategies } : {}),
                          ...(r.exclude ? { excludeConnections: r.exclude } : {}),
                      },
                  }
                : ({
                      ...common,
                      ...(r.target && "id" in r.target ? { connectionId: r.target.id } : {}),
                      ...(r.target && "name" in r.target ? { connectionName: r.target.name } : {}),
                      ...(r.exclusive ? { exclusive: true } : {}),
                  } as Resources[string]);
        if (r.aliases.length > 0) aliases[name] = r.aliases;
    }
    return declare(driver, resources, aliases);
}

/** Where a resource of the program writes, as the declaration model states it. */
function reachOf(r: Resource): Reach {
    return r.kind === "tenant"
        ? {
              kind: "tenant",
              ...(r.strategies ? { strategies: known(r.strategies) } : {}),
              excluded: known(r.exclude ?? []),
          }
        : { kind: "connection", ...r.target };
}

// ---------------------------------------------------------------- invariants

interface Snapshot {
    lists: Map<string, string[]>;
    options: Map<string, string>;
    names: Map<string, string>;
}

function snapshot(emulator: Emulator): Snapshot {
    const connections = emulator.connections();
    return {
        lists: new Map(connections.map((c) => [c.id, [...((c.options?.non_persistent_attrs as string[]) ?? [])]])),
        options: new Map(connections.map((c) => [c.id, optionsWithoutDenyList(c) + JSON.stringify(c.display_name)])),
        names: new Map(connections.map((c) => [c.id, c.name])),
    };
}

/** The connections a stored resource reaches now, by its state. */
function reachedBy(
    entry: { urn: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> },
    emulator: Emulator,
): string[] {
    if (entry.urn.includes(":TenantDenyList::")) {
        const strategies = entry.outputs.strategies as string[] | undefined;
        const reach: Reach = {
            kind: "tenant",
            ...(strategies ? { strategies: known(strategies) } : {}),
            excluded: known((entry.outputs.excludeConnections as string[] | undefined) ?? []),
        };
        return emulator
            .connections()
            .filter((c) => reaches(reach, { id: c.id, name: c.name, strategy: c.strategy }) === "yes")
            .map((c) => c.id);
    }
    return [String(entry.outputs.connectionId)];
}

/** What a stored resource declares: the inputs it was last applied with. */
function declaredBy(entry: { inputs: Record<string, unknown> }): string[] {
    return (entry.inputs.attributes as string[] | undefined) ?? [];
}

/** What a stored resource says it owns on connection `id` (its own claim, as state shows it). */
function ownedBy(entry: { outputs: Record<string, unknown> }, id: string): string[] {
    if (entry.outputs.connectionId === id) return (entry.outputs.ownedAttributes as string[] | undefined) ?? [];
    const covered = (entry.outputs.connections as { id: string; owned: string[] }[] | undefined) ?? [];
    return covered.find((c) => c.id === id)?.owned ?? [];
}

/**
 * What a resource declares during a command, and where: the program's declaration for those the
 * command goes by (those it acts on, whose own step may still fail; every resource of the program
 * when the remover sees the program's view), its state's for the others.
 */
function declaring(model: Model, real: Real, goesBy: (name: string) => boolean) {
    return (entry: StateEntry): { attributes: string[]; connections: string[] } => {
        const name = entry.urn.split("::").pop() ?? "";
        const declared = model.program.get(name);
        if (!declared || !goesBy(name))
            return { attributes: declaredBy(entry), connections: reachedBy(entry, real.emulator) };
        const reach = reachOf(declared);
        const connections = real.emulator
            .connections()
            .filter((c) => reaches(reach, { id: c.id, name: c.name, strategy: c.strategy }) === "yes")
            .map((c) => c.id);
        return { attributes: declared.attributes, connections };
    };
}

/** Checks the invariants after a Pulumi command, given the tenant before it. */
function checkInvariants(
    real: Real,
    before: Snapshot,
    stateBefore: MiniEngine["state"],
    command: string,
    steps: Step[],
    printedFrom: number,
    excused: (connection: string, declarer: string, entry: string) => boolean,
    drifted: (connection: string) => void,
    declares: (entry: StateEntry) => { attributes: string[]; connections: string[] },
): void {
    const after = snapshot(real.emulator);
    const state = [...real.engine.state.values()];
    const exclusiveOn = new Set(
        [...stateBefore.values(), ...state]
            .filter((e) => e.inputs.exclusive === true)
            .map((e) => String(e.outputs.connectionId)),
    );
    for (const [id, list] of before.lists) {
        const now = after.lists.get(id);
        if (!now) continue; // deleted out of band before this command: nothing to compare
        // I4: no option other than the deny list changes.
        assert.equal(after.options.get(id), before.options.get(id), `I4: ${command} changed other settings of ${id}`);
        for (const entry of list.filter((e) => !now.includes(e))) {
            // I2: no command removes an entry a resource in state declares on that connection.
            const declarer = state.find((e) => {
                const { attributes, connections } = declares(e);
                return attributes.includes(entry) && connections.includes(id);
            });
            // An exclusive list removing what another declares is the conflict its owner was told of:
            // the tenant is then short of a declaration, and only a refresh lets an up know.
            if (declarer && exclusiveOn.has(id)) drifted(id);
            assert.ok(
                !declarer || exclusiveOn.has(id) || excused(id, declarer.urn.split("::").pop() ?? "", entry),
                `I2: ${command} removed "${entry}" from ${id}, which ${declarer?.urn.split("::").pop()} declares`,
            );
            // Merge mode removes only what the stack wrote.
            const ours = real.written.get(id)?.has(entry) ?? false;
            assert.ok(
                ours || exclusiveOn.has(id),
                `I2: ${command} removed "${entry}" from ${id}, which the stack never wrote`,
            );
        }
    }
    // What the stack wrote during this command; an exclusive list owns every entry it declares.
    for (const [id, now] of after.lists) {
        const was = before.lists.get(id) ?? [];
        const written = real.written.get(id) ?? new Set<string>();
        for (const entry of now.filter((e) => !was.includes(e))) written.add(entry);
        for (const entry of was.filter((e) => !now.includes(e))) written.delete(entry);
        real.written.set(id, written);
    }
    for (const entry of state.filter((e) => e.inputs.exclusive === true)) {
        const written = real.written.get(String(entry.outputs.connectionId));
        for (const attribute of declaredBy(entry)) written?.add(attribute);
    }
    // I6: no credential, token or connection secret in state, outputs, errors or lines.
    const shown = JSON.stringify([state, steps, real.printed.slice(printedFrom)]);
    for (const secret of real.secrets) assert.ok(!shown.includes(secret), `I6: ${command} showed a secret`);
}

/** I3, after a whole destroy: no entry the stack wrote remains, unless a printed line said it was kept and why. */
function checkLeftovers(real: Real): void {
    const live = snapshot(real.emulator).lists;
    for (const [id, written] of real.written) {
        for (const entry of written) {
            if (!live.get(id)?.includes(entry)) continue;
            const said = real.printed.some(
                (line) => line.includes(`keeping ${JSON.stringify(entry)} on connection`) && line.includes(`(${id})`),
            );
            assert.ok(
                said,
                `I3: "${entry}" the stack wrote is left on ${id} after a whole destroy, with no line saying why`,
            );
        }
    }
}

// ---------------------------------------------------------------- commands

/** Runs one Pulumi command through a fresh provider host and checks the invariants. */
async function pulumi(
    model: Model,
    real: Real,
    command: string,
    run: (engine: MiniEngine) => Promise<Step[]>,
    targeting: { target?: string; program?: boolean } = {},
): Promise<Step[]> {
    const { target, program = false } = targeting;
    const partial = model.partial;
    // Whether the target removed with the program's view of the others: an update does, a delete
    // (of a resource the program dropped, or before its replacement on another connection) does not.
    const withView =
        real.driver.programView &&
        program &&
        target !== undefined &&
        model.program.has(target) &&
        !retargeted(model, real, target);
    // An excused removal leaves the tenant short of what a resource declares: like drift, only a
    // refresh lets an up know it.
    // Without the program's view (the plugin) a targeted command has only the remover's record and
    // what it sees itself: it must never remove what that record says another resource declares.
    const remover = target === undefined ? undefined : stateOf(real, target);
    const excused = (connection: string, declarer: string, entry: string) => {
        const forgiven =
            target !== undefined &&
            (model.renamed.has(connection) ||
                (partial && (!withView || !model.program.has(declarer))) ||
                (!real.driver.programView && !recordedDeclarers(remover, connection, entry)));
        if (forgiven) model.drifted.add(connection);
        return forgiven;
    };
    if (target !== undefined) model.partial = true;
    const printedFrom = real.printed.length;
    real.engine.host = real.driver.host((line) => real.printed.push(line));
    const before = snapshot(real.emulator);
    const stateBefore = new Map(real.engine.state);
    // A command that fails as a whole (a preview refusing a renamed connection) is a result like any other.
    const steps = await run(real.engine).catch((error: Error) => [
        { op: "same", urn: "", name: command, error: error.message } as Step,
    ]);
    // The program is what a command acting on a resource goes by, and what a remover with the
    // program's view goes by for every other resource of the program.
    const acts = (name: string) => program && (target === undefined || target === name || withView);
    const drifted = (connection: string) => model.drifted.add(connection);
    checkInvariants(
        real,
        before,
        stateBefore,
        command,
        steps,
        printedFrom,
        excused,
        drifted,
        declaring(model, real, acts),
    );
    return steps;
}

const succeeded = (steps: Step[]) => steps.every((s) => !s.error);

// The state entry of the resource named `name`, whichever kind it is.
function stateOf(real: Real, name: string): StateEntry | undefined {
    return [...real.engine.state.values()].find((e) => e.urn.endsWith(`::${name}`));
}

// True when a resource's record (its state before the command) says another resource declares `entry` on `connection`.
function recordedDeclarers(entry: StateEntry | undefined, connection: string, attribute: string): boolean {
    if (!entry) return false;
    type Shared = Record<string, { count: number }>;
    const records =
        entry.outputs.connectionId === connection
            ? [entry.outputs.sharedWith as Shared | undefined]
            : ((entry.outputs.connections as { id: string; sharedWith?: Shared }[] | undefined) ?? [])
                  .filter((c) => c.id === connection)
                  .map((c) => c.sharedWith);
    return records.some((record) => (record?.[attribute]?.count ?? 0) > 0);
}

// True when a ConnectionDenyList in state now targets another connection than its state's: its up is a replace.
function retargeted(model: Model, real: Real, name: string): boolean {
    const r = model.program.get(name);
    const stored = r && real.engine.state.get(urnOf(real.driver, r.kind, name));
    if (!r?.target || !stored) return false;
    return "id" in r.target
        ? r.target.id !== stored.outputs.connectionId
        : r.target.name !== stored.outputs.connectionName && r.target.name !== stored.outputs.renamedTo;
}

class Up implements Command {
    constructor(
        readonly target?: string,
        readonly refresh = false,
    ) {}
    check = () => true;
    async run(model: Model, real: Real): Promise<void> {
        const targeting = this.target === undefined ? {} : { target: [this.target] };
        if (this.refresh) model.drifted.clear();
        const steps = await pulumi(
            model,
            real,
            this.toString(),
            async (e) => [
                ...(this.refresh ? await e.refresh() : []),
                ...(await e.up(registered(model.program, real.driver), targeting)),
            ],
            { target: this.target, program: true },
        );
        if (!succeeded(steps)) {
            // A failed step leaves its resource's state behind the program the others' records follow.
            model.quiet = false;
            model.partial = true;
            return;
        }
        // I1: after a successful up, every entry each acted-on resource declares is on every connection it reaches.
        for (const [name, r] of model.program) {
            if (this.target !== undefined && this.target !== name) continue;
            const entry = real.engine.state.get(urnOf(real.driver, r.kind, name));
            assert.ok(entry, `I1: ${name} is not in state after a successful up`);
            for (const id of reachedBy(entry, real.emulator).filter((id) => !model.drifted.has(id))) {
                const list = real.emulator.connection(id)?.options?.non_persistent_attrs as string[] | undefined;
                for (const attribute of r.attributes) {
                    assert.ok(
                        list?.includes(attribute),
                        `I1: "${attribute}" of ${name} is not on ${id} after a successful up`,
                    );
                }
            }
        }
        // A tenant changed out of band since the last refresh is not known to this up: not quiet yet.
        model.quiet = this.target === undefined && model.drifted.size === 0;
        if (this.target === undefined) model.partial = false;
    }
    toString = () =>
        `up${this.refresh ? " --refresh" : ""}${this.target === undefined ? "" : ` --target ${this.target}`}`;
}

class Destroy implements Command {
    constructor(readonly target?: string) {}
    check = () => true;
    async run(model: Model, real: Real): Promise<void> {
        const targeting = this.target === undefined ? {} : { target: [this.target] };
        const steps = await pulumi(model, real, this.toString(), (e) => e.destroy(targeting), { target: this.target });
        model.quiet = false;
        if (this.target === undefined && succeeded(steps) && real.engine.state.size === 0) {
            checkLeftovers(real);
            model.partial = false;
        }
    }
    toString = () => (this.target === undefined ? "destroy" : `destroy --target ${this.target}`);
}

class Refresh implements Command {
    check = () => true;
    async run(model: Model, real: Real): Promise<void> {
        model.drifted.clear();
        await pulumi(model, real, "refresh", (e) => e.refresh());
    }
    toString = () => "refresh";
}

class PreviewRefresh implements Command {
    check = () => true;
    async run(model: Model, real: Real): Promise<void> {
        const quiet = model.quiet;
        model.drifted.clear();
        const steps = await pulumi(model, real, "preview --refresh", async (e) => [
            ...(await e.refresh()),
            ...(await e.preview(registered(model.program, real.driver))),
        ]);
        // I5: refresh then preview of an unchanged program on an unchanged tenant shows no change.
        if (quiet) {
            assert.deepEqual(
                steps.filter((s) => s.error),
                [],
                "I5: preview --refresh after an up, with nothing changed since, fails",
            );
            const changes = steps.filter((s) => s.op !== "refresh" && s.op !== "same");
            assert.deepEqual(
                changes,
                [],
                "I5: preview --refresh after an up, with nothing changed since, shows a change",
            );
        }
    }
    toString = () => "preview --refresh";
}

/** A change of the program: the next command runs the new program. */
class Program implements Command {
    constructor(
        readonly label: string,
        readonly change: (program: Map<string, Resource>) => boolean,
    ) {}
    check = () => true;
    async run(model: Model): Promise<void> {
        const next = new Map([...model.program].map(([n, r]) => [n, structuredClone(r)]));
        if (this.change(next)) {
            model.program = next;
            model.quiet = false;
        }
    }
    toString = () => this.label;
}

/** Another writer, or the dashboard, changes the tenant between commands. */
class OutOfBand implements Command {
    constructor(
        readonly label: string,
        readonly change: (real: Real) => Promise<void> | void,
    ) {}
    check = () => true;
    async run(model: Model, real: Real): Promise<void> {
        const { lists: before, names } = snapshot(real.emulator);
        await this.change(real);
        // An entry another writer adds is theirs, unless a resource in state still owns it there (the
        // stack wrote it, it was removed out of band and added again): Auth0 records no author, so
        // that one stays the stack's (docs/ownership.md states this limit).
        const after = snapshot(real.emulator);
        const state = [...real.engine.state.values()];
        for (const [id, name] of after.names) {
            if (names.get(id) === name) continue;
            model.drifted.add(id);
            model.renamed.add(id);
        }
        for (const id of names.keys()) if (!after.names.has(id)) model.drifted.add(id);
        for (const [id, now] of after.lists) {
            const was = before.get(id) ?? [];
            if (was.length !== now.length || was.some((e, i) => e !== now[i])) model.drifted.add(id);
            const written = real.written.get(id) ?? new Set<string>();
            for (const entry of now.filter((e) => !was.includes(e))) {
                if (state.some((e) => ownedBy(e, id).includes(entry))) written.add(entry);
                else written.delete(entry);
            }
            real.written.set(id, written);
        }
        model.quiet = false;
    }
    toString = () => this.label;
}

function editList(real: Real, id: string, edit: (list: string[]) => string[]): void {
    if (!real.emulator.connection(id)) return;
    real.emulator.update(id, (c) => {
        if (c.options) c.options.non_persistent_attrs = edit([...((c.options.non_persistent_attrs as string[]) ?? [])]);
    });
}

// Mostly google-oauth2, by id or by name, so that resources meet on one connection.
const [AUTH0, GOOGLE] = SEEDED;
const anyId = fc.oneof(
    { arbitrary: fc.constant(GOOGLE[1]), weight: 3 },
    { arbitrary: fc.constant(AUTH0[1]), weight: 1 },
);
const anyTarget = fc.oneof(
    { arbitrary: fc.constant({ id: GOOGLE[1] }), weight: 3 },
    { arbitrary: fc.constant({ name: GOOGLE[0] }), weight: 3 },
    { arbitrary: fc.constant({ id: AUTH0[1] }), weight: 1 },
    { arbitrary: fc.constantFrom({ name: CREATED[0] }, { name: `${GOOGLE[0]}-renamed` }), weight: 1 },
);
const anyAttributes = fc.subarray([...ATTRIBUTES]);

/** Every command the sequences are made of: Pulumi commands and program changes as often, out-of-band changes half as often. */
export function commands(): fc.Arbitrary<Command>[] {
    const all = allCommands();
    const [
        [up, upRefresh, upTarget, destroy, destroyTarget, refresh, previewRefresh],
        [declare, ...otherChanges],
        outOfBand,
    ] = [all.slice(0, 7), all.slice(7, 13), all.slice(13)];
    // Plain and targeted ups most, a whole destroy (which ends every story) least.
    const pulumiCommands = fc.oneof(
        { arbitrary: up, weight: 3 },
        { arbitrary: upRefresh, weight: 1 },
        { arbitrary: upTarget, weight: 3 },
        { arbitrary: destroy, weight: 1 },
        { arbitrary: destroyTarget, weight: 2 },
        { arbitrary: refresh, weight: 1 },
        { arbitrary: previewRefresh, weight: 2 },
    );
    // Declaring a ConnectionDenyList is most of what makes resources meet: as often as every other change together.
    const programChanges = fc.oneof(
        { arbitrary: declare, weight: 5 },
        { arbitrary: fc.oneof(...otherChanges), weight: 5 },
    );
    return [
        fc.oneof(
            { arbitrary: pulumiCommands, weight: 4 },
            { arbitrary: programChanges, weight: 4 },
            { arbitrary: fc.oneof(...outOfBand), weight: 2 },
        ),
    ];
}

function allCommands(): fc.Arbitrary<Command>[] {
    return [
        // Pulumi commands.
        fc.constant(new Up()),
        fc.constant(new Up(undefined, true)),
        fc.constantFrom(...NAMES, ...TENANT_NAMES).map((name) => new Up(name)),
        fc.constant(new Destroy()),
        fc.constantFrom(...NAMES, ...TENANT_NAMES).map((name) => new Destroy(name)),
        fc.constant(new Refresh()),
        fc.constant(new PreviewRefresh()),
        // Program changes.
        fc
            .record({
                name: fc.constantFrom(...NAMES),
                target: anyTarget,
                attributes: anyAttributes,
                exclusive: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
            })
            .map(
                ({ name, target, attributes, exclusive }) =>
                    new Program(
                        `declare ${name} on ${"id" in target ? target.id : target.name} ${JSON.stringify(attributes)}${exclusive ? " exclusive" : ""}`,
                        (program) => {
                            const old = program.get(name);
                            program.set(name, {
                                kind: "connection",
                                target,
                                attributes,
                                ...(exclusive ? { exclusive } : {}),
                                aliases: old?.kind === "connection" ? old.aliases : [],
                            });
                            return true;
                        },
                    ),
            ),
        fc
            .record({
                name: fc.constantFrom(...TENANT_NAMES),
                attributes: anyAttributes,
                strategies: fc.option(fc.subarray([...STRATEGIES], { minLength: 1 }), { nil: undefined }),
                exclude: fc.option(fc.subarray([...SEEDED.map(([n]) => n), ...CREATED], { maxLength: 2 }), {
                    nil: undefined,
                }),
            })
            .map(
                ({ name, attributes, strategies, exclude }) =>
                    new Program(
                        `declare tenant-wide ${name} ${JSON.stringify(attributes)} strategies ${JSON.stringify(strategies)} excluding ${JSON.stringify(exclude)}`,
                        (program) => {
                            program.set(name, { kind: "tenant", attributes, strategies, exclude, aliases: [] });
                            return true;
                        },
                    ),
            ),
        fc
            .constantFrom(...NAMES, ...TENANT_NAMES)
            .map((name) => new Program(`remove ${name}`, (program) => program.delete(name))),
        fc
            .record({
                from: fc.constantFrom(...NAMES, ...TENANT_NAMES),
                to: fc.constantFrom(...NAMES, ...TENANT_NAMES),
                attribute: fc.constantFrom(...ATTRIBUTES),
            })
            .map(
                ({ from, to, attribute }) =>
                    new Program(`move ${attribute} from ${from} to ${to}`, (program) => {
                        const source = program.get(from);
                        const sink = program.get(to);
                        if (!source || !sink || from === to || !source.attributes.includes(attribute)) return false;
                        source.attributes = source.attributes.filter((e) => e !== attribute);
                        sink.attributes = normalise([...sink.attributes, attribute]);
                        return true;
                    }),
            ),
        fc.constantFrom(...NAMES, ...TENANT_NAMES).map(
            (name) =>
                new Program(`retrigger ${name}`, (program) => {
                    const r = program.get(name);
                    if (!r) return false;
                    r.triggers = (r.triggers ?? 0) + 1;
                    return true;
                }),
        ),
        fc.record({ from: fc.constantFrom(...NAMES), to: fc.constantFrom(...NAMES), alias: fc.boolean() }).map(
            ({ from, to, alias }) =>
                new Program(`rename ${from} to ${to}${alias ? " with aliases" : ""}`, (program) => {
                    const r = program.get(from);
                    if (!r || from === to || program.has(to)) return false;
                    program.delete(from);
                    program.set(to, { ...r, aliases: alias ? [...r.aliases, from] : [] });
                    return true;
                }),
        ),
        // Out-of-band changes.
        fc
            .record({ id: anyId, attribute: fc.constantFrom(...ATTRIBUTES) })
            .map(
                ({ id, attribute }) =>
                    new OutOfBand(`another writer adds ${attribute} on ${id}`, (real) =>
                        editList(real, id, (list) => (list.includes(attribute) ? list : [...list, attribute])),
                    ),
            ),
        fc
            .record({ id: anyId, attribute: fc.constantFrom(...ATTRIBUTES) })
            .map(
                ({ id, attribute }) =>
                    new OutOfBand(`another writer removes ${attribute} on ${id}`, (real) =>
                        editList(real, id, (list) => list.filter((e) => e !== attribute)),
                    ),
            ),
        anyId.map((id) => new OutOfBand(`the list of ${id} is wiped`, (real) => editList(real, id, () => []))),
        fc.constant("oidc").map(
            (strategy) =>
                new OutOfBand(`a ${strategy} connection is created`, (real) => {
                    real.emulator.addConnections({ count: 1, strategies: [strategy] });
                }),
        ),
        anyId.map(
            (id) =>
                new OutOfBand(`${id} is renamed`, (real) => {
                    if (!real.emulator.connection(id)) return;
                    real.emulator.update(id, (c) => {
                        c.name = c.name.endsWith("-renamed")
                            ? c.name.slice(0, -"-renamed".length)
                            : `${c.name}-renamed`;
                    });
                }),
        ),
        fc.constantFrom(...CREATED).map(
            (name) =>
                new OutOfBand(`${name} is deleted`, async (real) => {
                    const connection = real.emulator.connections().find((c) => c.name === name);
                    if (connection) await deleteConnection(real.emulator, connection.id);
                }),
        ),
    ];
}

// Deletes a connection through the emulator's Management API, as the dashboard would.
async function deleteConnection(emulator: Emulator, id: string): Promise<void> {
    const token = await fetch(`${emulator.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
            grant_type: "client_credentials",
            client_id: emulator.clientId,
            client_secret: emulator.clientSecret,
            audience: `${emulator.url}/api/v2/`,
        }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    await fetch(`${emulator.url}/api/v2/connections/${id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${token.access_token}` },
    });
}

/** A new stack on a new seeded tenant, and the empty model beside it. */
export async function setup(driver: Driver): Promise<{ model: Model; real: Real }> {
    const emulator = await startEmulator();
    const engine = new MiniEngine(
        driver.host(() => {}),
        stackConfigFor(emulator),
    );
    const secrets = [...SEED_SECRETS, emulator.clientSecret];
    return {
        model: { program: new Map(), quiet: false, drifted: new Set(), partial: false, renamed: new Set() },
        real: { driver, emulator, engine, printed: [], written: new Map(), secrets },
    };
}

/** What a run of sequences did. */
export interface OwnershipRun {
    sequences: number;
    /** Commands of every kind, in all sequences. */
    commands: number;
    /** Pulumi commands among them (each through a new provider host context). */
    pulumiCommands: number;
}

/** Runs `runs` generated sequences; throws, with the shrunk sequence and seed, on the first broken invariant. */
export async function checkOwnership(options: {
    /** How the resources are served: the dynamic providers by default. */
    driver?: Driver;
    runs: number;
    seed?: number;
    /** A failure's `path` and commands `replayPath`, to replay that sequence alone. */
    path?: string;
    replayPath?: string;
    maxCommands?: number;
}): Promise<OwnershipRun> {
    const run: OwnershipRun = { sequences: 0, commands: 0, pulumiCommands: 0 };
    await fcAssert(
        fc.asyncProperty(
            fc.commands(commands(), {
                maxCommands: options.maxCommands ?? 30,
                size: "max",
                ...(options.replayPath !== undefined ? { replayPath: options.replayPath } : {}),
            }),
            async (sequence) => {
                const { model, real } = await setup(options.driver ?? DYNAMIC);
                try {
                    await fc.asyncModelRun(() => ({ model, real }), sequence);
                    // Issued tokens are secrets too.
                    const shown = JSON.stringify([...real.engine.state.values(), real.printed]);
                    for (const token of real.emulator.issuedTokens())
                        assert.ok(!shown.includes(token), "I6: a token was shown");
                } finally {
                    await real.emulator.stop();
                    // fast-check hands the commands over wrapped.
                    const ran = [...sequence].map((c) => (c as { cmd?: Command }).cmd ?? c);
                    run.sequences++;
                    run.commands += ran.length;
                    run.pulumiCommands += ran.filter(
                        (c) =>
                            c instanceof Up ||
                            c instanceof Destroy ||
                            c instanceof Refresh ||
                            c instanceof PreviewRefresh,
                    ).length;
                }
            },
        ),
        {
            numRuns: options.runs,
            ...(options.seed !== undefined ? { seed: options.seed } : {}),
            ...(options.path !== undefined ? { path: options.path, endOnFailure: true } : {}),
        },
    );
    return run;
}

// fast-check's report with the broken invariant in it (it keeps the original error as the cause).
async function fcAssert<T>(property: fc.IAsyncProperty<T>, parameters: fc.Parameters<T>): Promise<void> {
    try {
        await fc.assert(property, parameters);
    } catch (error) {
        const cause = (error as Error & { cause?: Error }).cause;
        throw new Error(`${(error as Error).message}\n${cause?.message ?? ""}`);
    }
}
