/**
 * Which deny lists of the stack write to which connection, as far as the stack's known values
 * tell: `yes`, `no`, or `maybe` when a value that decides it is not known yet.
 */
import type { Connection, ConnectionDenyList, NameList, TenantDenyList } from "./stack";

/** Whether a deny list writes to a connection. */
export type Reach = "yes" | "no" | "maybe";

/**
 * Whether `list` targets `connection`: by `connectionId` wired from it (the engine's property
 * dependencies), or by `connectionName` equal to its name. `connections` are the stack's, to tell
 * an id wired from another of them.
 */
export function targets(list: ConnectionDenyList, connection: Connection, connections: Connection[]): Reach {
    const wiredFrom = connections.filter((other) => list.connectionIdFrom.includes(other.resource.urn));
    if (wiredFrom.length > 0) {
        if (!wiredFrom.includes(connection)) return "no";
        return wiredFrom.length === 1 ? "yes" : "maybe";
    }
    if (list.connectionName !== undefined && connection.name !== undefined) {
        return list.connectionName === connection.name ? "yes" : "no";
    }
    // A name not known yet, or an id typed into the program: the connection's id is not in its outputs.
    return "maybe";
}

/** Whether `list` covers `connection`: one of its strategies, and not excluded by name. */
export function covers(list: TenantDenyList, connection: Connection): Reach {
    const strategy = list.strategies === "all" ? "yes" : contains(list.strategies, connection.strategy);
    const excluded = contains(list.excluded, connection.name);
    return both(strategy, excluded === "yes" ? "no" : excluded === "no" ? "yes" : "maybe");
}

/** Whether `list` holds `name` (undefined: a name not known yet). */
export function contains(list: NameList, name: string | undefined): Reach {
    if (name !== undefined && list.names.includes(name)) return "yes";
    if (list.complete && (name !== undefined || list.names.length === 0)) return "no";
    return "maybe";
}

/** Both conditions hold. */
export function both(a: Reach, b: Reach): Reach {
    if (a === "no" || b === "no") return "no";
    return a === "yes" && b === "yes" ? "yes" : "maybe";
}
