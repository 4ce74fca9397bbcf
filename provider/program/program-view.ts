/**
 * Tells each resource of a program what the other resources declare. The program runs whole
 * under every `pulumi up`, `--target` included, while the engine may diff only some resources:
 * what a resource carries in its own inputs is the one view of the others its update can rely on
 * (ownership.ts). Runs in the program process.
 *
 * A resource's view is taken once the program's synchronous declarations are in, and waits only
 * for values that need no deployment (plain values, config): a value that comes from another
 * resource is left out and treated as "could be anything", because waiting for it could wait for
 * this very resource; so is a secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { normalise } from "../core/denylist";
import type { Declaration } from "../core/schema";

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

// The resources one program declared so far.
class ProgramView {
    /** Each resource's declaration, resolved once: every view reads them all. */
    private readonly declarations: Promise<Declaration>[] = [];
    private settled?: { count: number; all: Promise<Declaration[]> };

    /** @internal Forgets every declaration: the testing entry point runs one program after another in one process. */
    reset(): void {
        this.declarations.length = 0;
        this.settled = undefined;
    }

    /** Adds `entry` and returns its view of the others, resolved once they are known. */
    add(entry: ProgramEntry): Promise<Declaration[]> {
        const mine = declarationOf(entry);
        this.declarations.push(mine);
        return this.viewOf(mine);
    }

    private async viewOf(self: Promise<Declaration>): Promise<Declaration[]> {
        // Let the rest of the program's top-level declarations register first.
        await new Promise((resolve) => setImmediate(resolve));
        const mine = await self;
        const all = await this.everything();
        return all.filter((other) => other !== mine && mayShare(mine, other));
    }

    // Every declaration so far, awaited once for all the views taken at the same point.
    private everything(): Promise<Declaration[]> {
        if (this.settled?.count !== this.declarations.length) {
            this.settled = { count: this.declarations.length, all: Promise.all(this.declarations) };
        }
        return this.settled.all;
    }
}

// The declaration with every field that needs no deployment; the others left out (unknown).
async function declarationOf(entry: ProgramEntry): Promise<Declaration> {
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
    const target = typeof connectionId === "string" ? { connectionId } : {};
    const named = typeof connectionName === "string" ? { connectionName } : {};
    const list = names(attributes);
    // Unknown strategies or exclusions are left out: "every strategy, nothing excluded" is the safe reading.
    const scope = entry.tenantWide
        ? {
              tenantWide: true,
              ...(names(strategies) ? { strategies: names(strategies) } : {}),
              ...(entry.excludeConnections === undefined || names(excluded)
                  ? { excludeConnections: names(excluded) ?? [] }
                  : {}),
          }
        : {};
    return {
        by: typeof by === "string" ? by : "",
        ...target,
        ...named,
        ...(list ? { attributes: list } : {}),
        ...(typeof exclusive === "boolean" ? { exclusive } : {}),
        ...scope,
    };
}

// A known list of strings, normalised; undefined otherwise.
function names(value: unknown): string[] | undefined {
    return Array.isArray(value) && value.every((v) => typeof v === "string") ? normalise(value) : undefined;
}

// Two declarations may be on one connection unless both targets are known and differ.
function mayShare(a: Declaration, b: Declaration): boolean {
    if (a.tenantWide || b.tenantWide) return true;
    if (a.connectionId !== undefined && b.connectionId !== undefined) return a.connectionId === b.connectionId;
    if (a.connectionName !== undefined && b.connectionName !== undefined) return a.connectionName === b.connectionName;
    return true;
}

// A value that needs no deployment, or undefined: anything that comes from a resource (or is not
// known in preview) is not waited for.
// A secret is left out too: copied into another resource's inputs it would lose its secrecy.
async function settledValue(input: unknown, wait = false): Promise<unknown> {
    if (!wait && fromResource(input)) return undefined;
    const output = pulumi.output(input) as unknown as { promise?: () => Promise<unknown>; isSecret?: Promise<boolean> };
    // `promise()` is the SDK's own unwrapping (unknown values come back undefined).
    if (typeof output.promise !== "function" || (await output.isSecret) !== false) return undefined;
    return output.promise();
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

/** The one view of a program: every ConnectionDenyList and TenantDenyList registers here. */
export const programView = new ProgramView();
