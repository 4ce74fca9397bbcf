/**
 * The program's one registry of deny lists: every ConnectionDenyList and TenantDenyList declares
 * itself here. Once the program's synchronous declarations are in, each resource learns what the
 * others declare where it may write (its view, carried in its own inputs: the program runs whole
 * under every `pulumi up`, `--target` included, while the engine may diff only some resources),
 * and the program stops, naming both, when an exclusive list shares a connection with another.
 * Runs in the program process.
 *
 * Only values that need no deployment are used (plain values, config): waiting for a value that
 * comes from another resource could wait for this very resource, so such a value is "not known"
 * (a secret too: copied into another resource's inputs it would lose its secrecy). A connection
 * id that comes from one resource is known by that resource: two deny lists wired from one
 * `auth0.Connection` are on one connection.
 */
import * as pulumi from "@pulumi/pulumi";
import { type Declaration, exclusiveConflict, known, nameOf, type Reach, UNKNOWN_NAMES } from "../core/declaration";
import { normalise } from "../core/denylist";
import { type Group, GroupIndex, groupDeclarations, overlap, viewOf } from "../core/view";
import { connectionLabel, duplicateWarning } from "./warnings";

/** What the program declares for one resource: its raw arguments. */
export interface ProgramEntry {
    /** The resource's URN, as the program computes it. */
    declaredBy: pulumi.Output<string>;
    connectionId?: pulumi.Input<string>;
    connectionName?: pulumi.Input<string>;
    attributes: pulumi.Input<pulumi.Input<string>[]>;
    exclusive?: pulumi.Input<boolean>;
    /** A TenantDenyList: every connection of `strategies` but `excludeConnections`. */
    tenantWide?: boolean;
    strategies?: pulumi.Input<pulumi.Input<string>[]>;
    excludeConnections?: pulumi.Input<pulumi.Input<string>[]>;
}

/** What the registry gives a resource: inputs for the provider, and what to say. */
export interface Registration {
    /** The view of the others, as JSON text; rejects (the resource is not registered) on a conflict. */
    otherDeclarations: Promise<string>;
    /** The resource its connection id came from, when it came from one (a plain id or name comes from none). */
    connectionFrom: Promise<string | undefined> | undefined;
    /** Warnings about this resource and the others (attach them to the resource). */
    warnings: Promise<string[]>;
}

/** The deny lists one program declared so far. */
export class DeclarationRegistry {
    private readonly declarations: Promise<Declaration>[] = [];
    private readonly byResource = new WeakMap<pulumi.Resource, Promise<Declaration>>();
    private readonly sources = new WeakMap<pulumi.Resource, string>();
    private settled?: { count: number; all: Promise<{ byUrn: Map<string, Declaration>; index: GroupIndex }> };

    /** @internal Forgets every declaration: the testing entry point runs one program after another in one process. */
    reset(): void {
        this.declarations.length = 0;
        this.settled = undefined;
    }

    /** Adds a resource's declaration; `bind` it to the resource once constructed. */
    add(entry: ProgramEntry): Registration & { declaration: Promise<Declaration> } {
        const declaration = this.declarationOf(entry);
        this.declarations.push(declaration);
        const found = this.settle(declaration);
        return {
            declaration,
            otherDeclarations: found.then(({ view, errors }) =>
                errors.length > 0 ? Promise.reject(new Error(errors.join("\n"))) : JSON.stringify(view),
            ),
            connectionFrom:
                entry.tenantWide || plain(entry.connectionId ?? entry.connectionName)
                    ? undefined
                    : declaration.then((d) => (d.reach.kind === "connection" ? d.reach.from : undefined)),
            warnings: found.then(({ warnings }) => warnings),
        };
    }

    /** Ties `resource` to its declaration, so a deny list wired from its outputs is known to share its connection. */
    bind(resource: pulumi.Resource, declaration: Promise<Declaration>): void {
        this.byResource.set(resource, declaration);
    }

    // The view and findings of one resource, once the rest of the program's top-level declarations are in.
    private async settle(
        self: Promise<Declaration>,
    ): Promise<{ view: ReturnType<typeof viewOf>; errors: string[]; warnings: string[] }> {
        await new Promise((resolve) => setImmediate(resolve));
        const mine = await self;
        const { byUrn, index } = await this.everything();
        const candidates = index.candidates(mine.reach);
        return { view: viewOf(mine, candidates), ...programFindings(mine, byUrn, candidates) };
    }

    // Every declaration so far, by URN and grouped, computed once for all the views taken at the same point.
    private everything(): Promise<{ byUrn: Map<string, Declaration>; index: GroupIndex }> {
        if (this.settled?.count !== this.declarations.length) {
            const all = Promise.all(this.declarations).then((declarations) => ({
                byUrn: new Map(declarations.map((d) => [d.by, d])),
                index: new GroupIndex(groupDeclarations(declarations)),
            }));
            this.settled = { count: this.declarations.length, all };
        }
        return this.settled.all;
    }

    // The declaration with every value that needs no deployment; the others are not known.
    private async declarationOf(entry: ProgramEntry): Promise<Declaration> {
        const [by, connectionId, connectionName, attributes, exclusive, strategies, excluded] = await Promise.all([
            // A URN needs only the parent's URN, known once the parent is registered: worth the wait.
            settledValue(entry.declaredBy, true),
            settledValue(entry.connectionId),
            settledValue(entry.connectionName),
            settledValue(entry.attributes),
            settledValue(entry.exclusive),
            settledValue(entry.strategies),
            settledValue(entry.excludeConnections),
        ]);
        const reach: Reach = entry.tenantWide
            ? {
                  kind: "tenant",
                  ...(entry.strategies === undefined ? {} : { strategies: namesOf(strategies) }),
                  excluded: entry.excludeConnections === undefined ? known([]) : namesOf(excluded),
              }
            : await this.targetOf(connectionId, connectionName, entry.connectionId);
        return {
            by: typeof by === "string" ? by : "",
            reach,
            attributes: namesOf(attributes),
            ...(typeof exclusive === "boolean" ? { exclusive } : {}),
        };
    }

    // A connection target: its id or name when known; an id from one resource is known by that
    // resource (through another deny list wired the same way, by that one's target).
    private async targetOf(id: unknown, name: unknown, input: unknown): Promise<Reach> {
        if (typeof id === "string") return { kind: "connection", id };
        if (typeof name === "string") return { kind: "connection", name };
        const source = singleSource(input);
        if (!source) return { kind: "connection" };
        const denyList = this.byResource.get(source);
        if (denyList) return (await denyList).reach;
        return { kind: "connection", from: this.sourceKey(source) };
    }

    // One key per source resource in this program run: its type, and the order it was first seen in.
    private sourceKey(resource: pulumi.Resource): string {
        let key = this.sources.get(resource);
        if (!key) {
            const type = (resource as unknown as { __pulumiType?: string }).__pulumiType ?? "resource";
            key = `${type}#${nextSource++}`;
            this.sources.set(resource, key);
        }
        return key;
    }
}

let nextSource = 0;

/**
 * The program stops when an exclusive list shares a connection with another deny list (both
 * known to be there); a warning when another resource declared an entry of this one on the same
 * connection first. `byUrn` holds the program's declarations, `groups` those that may share a
 * connection with `mine`, merged.
 */
export function programFindings(
    mine: Declaration,
    byUrn: ReadonlyMap<string, Declaration>,
    groups: readonly Group[],
): { errors: string[]; warnings: string[] } {
    const sure = groups.filter((g) => overlap(mine.reach, g.reach) === "yes");
    const sharing = new Set(
        sure.flatMap((g) => [...Object.values(g.entries).flatMap((d) => d.by), ...(g.anyEntry?.by ?? [])]),
    );
    sharing.delete(mine.by);
    const others = [...sharing].flatMap((by) => byUrn.get(by) ?? []);
    const target = [mine.reach, ...sure.map((g) => g.reach)].find((reach) => reach.kind === "connection");
    const label = connectionLabel(target?.kind === "connection" ? target : undefined);
    const conflict = exclusiveConflict(label, mine, others);
    const warnings: string[] = [];
    const own = groups.find((g) => g.reach === mine.reach || sameTarget(g.reach, mine.reach));
    for (const entry of mine.attributes.names) {
        const first = own?.entries[entry]?.by[0];
        if (first !== undefined && first !== mine.by && mine.reach.kind === "connection") {
            warnings.push(duplicateWarning(nameOf(mine.by), nameOf(first), entry, mine.reach));
        }
    }
    return { errors: conflict ? [conflict] : [], warnings };
}

function sameTarget(a: Reach, b: Reach): boolean {
    return (
        a.kind === "connection" &&
        b.kind === "connection" &&
        a.id === b.id &&
        a.name === b.name &&
        a.from === b.from &&
        (a.id ?? a.name ?? a.from) !== undefined
    );
}

// A known list of strings, normalised; not known otherwise.
function namesOf(value: unknown) {
    return Array.isArray(value) && value.every((v) => typeof v === "string") ? known(normalise(value)) : UNKNOWN_NAMES;
}

// The one resource a value comes from, if it comes from exactly one.
function singleSource(input: unknown): pulumi.Resource | undefined {
    if (!pulumi.Output.isInstance(input)) return undefined;
    const resources = (input as unknown as { resources?: () => Set<pulumi.Resource> }).resources?.();
    return resources?.size === 1 ? [...resources][0] : undefined;
}

// A value that needs no deployment, or undefined: anything that comes from a resource (or is not
// known in preview) is not waited for, and a secret is left out.
async function settledValue(input: unknown, wait = false): Promise<unknown> {
    // A plain value (no Output or promise anywhere in it) is known and no secret: no need to ask the SDK.
    if (plain(input)) return input;
    if (!wait && fromResource(input)) return undefined;
    const output = pulumi.output(input) as unknown as { promise?: () => Promise<unknown>; isSecret?: Promise<boolean> };
    // `promise()` is the SDK's own unwrapping (unknown values come back undefined).
    if (typeof output.promise !== "function" || (await output.isSecret) !== false) return undefined;
    return output.promise();
}

/** True when `value` holds no Output or promise anywhere: known as it is, and no secret. */
export function plain(value: unknown): boolean {
    if (Array.isArray(value)) return value.every(plain);
    return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

// True when an Output anywhere in `value` depends on a resource.
function fromResource(value: unknown): boolean {
    if (pulumi.Output.isInstance(value)) {
        const resources = (value as unknown as { resources?: () => Set<unknown> }).resources?.();
        return resources === undefined || resources.size > 0;
    }
    if (Array.isArray(value)) return value.some(fromResource);
    return false;
}

/** The registry of the program this process runs. */
export const registry = new DeclarationRegistry();
