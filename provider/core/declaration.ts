/**
 * The one declaration model: who declares which entries where, and the one rule that says
 * whether a declaration reaches a connection. The program (warnings, each resource's view of the
 * others), the provider host (ledger, records, the writer's checks), tenant planning and the
 * policy pack all ask it; nothing else answers "does this reach that connection".
 *
 * Values the asker does not know yet (an output during preview, a secret, a name the policy pack
 * cannot see) are left out, and every question about them answers "maybe". Pure.
 */

/** A three-valued answer: a value not known yet makes it `maybe`. */
export type Answer = "yes" | "no" | "maybe";

/** A list of names as far as it is known: the known ones, and whether they are all of them. */
export interface Names {
    names: string[];
    complete: boolean;
}

/** A list known whole. */
export function known(names: readonly string[]): Names {
    return { names: [...names], complete: true };
}

/** A list not known at all. */
export const UNKNOWN_NAMES: Names = { names: [], complete: false };

/**
 * Where a declaration writes: one connection, or every connection of the tenant in a scope.
 *
 * - `connection`: by `id` (`con_…`), by `name`, or, in the program, `from` the one resource its
 *   id comes from (its type and a number, e.g. `auth0:index/connection:Connection#3`). A field
 *   left out is not known.
 * - `tenant`: every connection of `strategies` (every strategy when left out) whose name is not
 *   in `excluded`.
 */
export type Reach =
    | { kind: "connection"; id?: string; name?: string; from?: string }
    | { kind: "tenant"; strategies?: Names; excluded: Names };

/** What one resource declares, as far as the asker knows it. */
export interface Declaration {
    /** The declaring resource's identity: its URN. Never its outputs: two resources may hold equal ones. */
    by: string;
    reach: Reach;
    attributes: Names;
    /** Whether it owns the whole list; left out when not known. */
    exclusive?: boolean;
}

/** A connection as the asker knows it; a field left out is not known. */
export interface ConnectionFacts {
    id?: string;
    name?: string;
    strategy?: string;
    /** In the program: the resource its id came from. */
    from?: string;
}

/**
 * Whether a declaration of `reach` writes to `connection`. A connection target compares the first
 * field both sides know, in the order id, source resource, name: an id is the connection itself;
 * one source resource is one connection, and two different `auth0.Connection` resources are two
 * (docs/ownership.md states this limit); a name is what the program asked for. A tenant scope covers
 * the connection's strategy unless it excludes the connection's name.
 */
export function reaches(reach: Reach, connection: ConnectionFacts): Answer {
    if (reach.kind === "tenant") {
        const strategy = reach.strategies === undefined ? "yes" : contains(reach.strategies, connection.strategy);
        return both(strategy, not(contains(reach.excluded, connection.name)));
    }
    for (const key of ["id", "from", "name"] as const) {
        const wanted = reach[key];
        const actual = connection[key];
        if (wanted === undefined || actual === undefined) continue;
        if (wanted === actual) return "yes";
        // Two auth0.Connection resources manage two connections; other resources may yield the same id.
        if (key === "from" && !(isConnectionResource(wanted) && isConnectionResource(actual))) return "maybe";
        return "no";
    }
    return "maybe";
}

/** The prefix of a source key for an `auth0.Connection` resource (program/registry.ts makes the keys). */
export const CONNECTION_SOURCE = "auth0:index/connection:Connection#";

function isConnectionResource(source: string): boolean {
    return source.startsWith(CONNECTION_SOURCE);
}

/** Whether `declaration` declares `entry`. */
export function declares(declaration: Declaration, entry: string): Answer {
    return contains(declaration.attributes, entry);
}

/** Whether `list` holds `name` (undefined: a name not known). */
export function contains(list: Names, name: string | undefined): Answer {
    if (name !== undefined && list.names.includes(name)) return "yes";
    if (list.complete && (name !== undefined || list.names.length === 0)) return "no";
    return "maybe";
}

/** Both hold. */
export function both(a: Answer, b: Answer): Answer {
    if (a === "no" || b === "no") return "no";
    return a === "yes" && b === "yes" ? "yes" : "maybe";
}

/** The opposite answer; `maybe` stays. */
export function not(a: Answer): Answer {
    return a === "yes" ? "no" : a === "no" ? "yes" : "maybe";
}

/**
 * Why `mine` cannot stand beside `others` (declarations surely on the same connection), or
 * undefined. An exclusive list owns the whole deny list, so any other deny list on the same
 * connection contradicts it: one would remove what the other declares on every `pulumi up`.
 */
export function exclusiveConflict(
    connection: string,
    mine: Declaration,
    others: readonly Declaration[],
): string | undefined {
    const against = others.filter((d) => d.by !== mine.by && (mine.exclusive === true || d.exclusive === true));
    if (against.length === 0) return undefined;
    const tenantWide = [mine, ...against].some((d) => d.reach.kind === "tenant");
    return (
        `${connection} has an exclusive ConnectionDenyList and another deny list resource of this stack: ` +
        `${[mine, ...against].map(describe).join(", ")}. An exclusive resource owns the whole list, so the other's ` +
        "entries would be removed, or its own list contradicted, on every `pulumi up`: declare every attribute in the " +
        `exclusive resource, or make all of them merge-mode${tenantWide ? ", or leave the connection out of the TenantDenyList (excludeConnections)" : ""}.`
    );
}

function describe(d: Declaration): string {
    const kind = d.reach.kind === "tenant" ? "tenant-wide" : d.exclusive ? "exclusive" : "merge";
    const attributes = d.attributes.complete ? JSON.stringify(d.attributes.names) : "?";
    return `${JSON.stringify(nameOf(d.by))} (${kind} ${attributes})`;
}

/** The resource's name: the last part of its URN. */
export function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}
