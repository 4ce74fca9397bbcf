/**
 * What a TenantDenyList does to each connection of the tenant: pure planning over the list of
 * connections and the resource's state, so every rule (which connections are covered, which
 * cost a write, what is released) reads and tests without HTTP.
 */
import { known, type Reach, reaches } from "./declaration";
import type { CoveredConnection } from "./schema";

/** Which connections a TenantDenyList covers. */
export interface TenantScope {
    /** Only connections of these strategies; every strategy when undefined. */
    strategies?: readonly string[];
    /** Connection names left alone. */
    excludeConnections: readonly string[];
}

/** The scope as the declaration model states it. */
export function reachOf(scope: TenantScope): Reach & { kind: "tenant" } {
    return {
        kind: "tenant",
        ...(scope.strategies ? { strategies: known(scope.strategies) } : {}),
        excluded: known(scope.excludeConnections),
    };
}

/** A connection as the list endpoint shows it. */
export interface ListedConnection {
    id: string;
    name: string;
    strategy: string;
    /** Its deny list, or undefined when the list came without options (then only a GET can tell). */
    live?: readonly string[];
}

/** One connection's change, for the writer (which reads it again first). */
export type ConnectionWork =
    | { kind: "ensure"; id: string; name: string; strategy: string; previouslyOwned: string[] }
    | { kind: "release"; id: string; name: string; strategy: string; remove: string[] };

/** The plan for one run over the tenant. */
export interface TenantPlan {
    /** Connections that need a write. */
    work: ConnectionWork[];
    /** Covered connections that already hold every entry and lose none: no request beyond the list. */
    unchanged: CoveredConnection[];
    /** Names in `excludeConnections` that no connection has (a typo, or a connection since renamed). */
    unknownExclusions: string[];
}

/** True when `scope` covers `connection` (the one reach rule, with every fact of the connection known). */
export function covers(scope: TenantScope, connection: { id: string; name: string; strategy: string }): boolean {
    return reaches(reachOf(scope), connection) === "yes";
}

/**
 * Plans one create or update: every covered connection must hold `declared`; entries it owned
 * there but no longer declares go (the writer keeps those another resource declares); on a
 * connection no longer covered it releases what it owned. Connections that disappeared from the
 * tenant are forgotten.
 */
export function planTenant(
    listed: readonly ListedConnection[],
    declared: readonly string[],
    scope: TenantScope,
    previous: readonly CoveredConnection[],
): TenantPlan {
    const before = new Map(previous.map((c) => [c.id, c]));
    const work: ConnectionWork[] = [];
    const unchanged: CoveredConnection[] = [];
    const wanted = new Set(declared);
    for (const connection of listed) {
        const { id, name, strategy } = connection;
        const owned = before.get(id)?.owned ?? [];
        if (!covers(scope, connection)) {
            if (owned.length > 0) work.push({ kind: "release", id, name, strategy, remove: [...owned] });
            continue;
        }
        const live = connection.live === undefined ? undefined : new Set(connection.live);
        const complete = live !== undefined && declared.every((entry) => live.has(entry));
        const dropping = owned.some((entry) => !wanted.has(entry) && live?.has(entry) !== false);
        if (complete && !dropping) {
            unchanged.push({ id, name, strategy, owned: owned.filter((entry) => wanted.has(entry)) });
        } else {
            work.push({ kind: "ensure", id, name, strategy, previouslyOwned: [...owned] });
        }
    }
    const names = new Set(listed.map((c) => c.name));
    const unknownExclusions = scope.excludeConnections.filter((name) => !names.has(name));
    return { work, unchanged, unknownExclusions };
}

/**
 * What a refresh reports per covered connection: what it lacks of `declared` (drift, or a
 * connection created since), with the entries it owned there. A connection it still owns
 * entries on but no longer covers stays as recorded, so the next update releases them; one that
 * is gone from the tenant is forgotten.
 */
export function lackingOn(
    listed: readonly ListedConnection[],
    declared: readonly string[],
    scope: TenantScope,
    previous: readonly CoveredConnection[],
): CoveredConnection[] {
    const before = new Map(previous.map((c) => [c.id, c]));
    const uncovered = listed.filter((c) => !covers(scope, c) && (before.get(c.id)?.owned.length ?? 0) > 0);
    const covered = listed
        .filter((connection) => covers(scope, connection))
        .map(({ id, name, strategy, live }) => {
            const held = live === undefined ? undefined : new Set(live);
            const lacking = held === undefined ? [...declared] : declared.filter((entry) => !held.has(entry));
            const recorded = before.get(id);
            return {
                id,
                name,
                strategy,
                owned: recorded?.owned ?? [],
                ...(lacking.length > 0 ? { lacking } : {}),
                ...(recorded?.sharedWith ? { sharedWith: recorded.sharedWith } : {}),
            };
        });
    return [...covered, ...uncovered.flatMap((c) => before.get(c.id) ?? [])];
}
