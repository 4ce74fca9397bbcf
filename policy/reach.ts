/**
 * Which deny lists of the stack write to which connection, as far as the stack's known values
 * tell: the package's one reach rule (provider/core/declaration.ts), asked with what the policy
 * pack sees. A connection is known by its resource: a ConnectionDenyList wired from exactly one
 * `auth0.Connection` (the engine's property dependencies) targets that one; otherwise its name
 * decides, when both names are known.
 */
import { type Answer, type ConnectionFacts, type Reach, reaches } from "../provider/core/declaration";
import type { Connection, ConnectionDenyList, TenantDenyList } from "./stack";

/** Whether a deny list writes to a connection. */
export type { Answer as Reach } from "../provider/core/declaration";
export { contains } from "../provider/core/declaration";

/**
 * Whether `list` targets `connection`: by `connectionId` wired from it, or by `connectionName`
 * equal to its name. `connections` are the stack's, to tell an id wired from another of them.
 */
export function targets(list: ConnectionDenyList, connection: Connection, connections: Connection[]): Answer {
    const wiredFrom = connections.filter((other) => list.connectionIdFrom.includes(other.resource.urn));
    const reach: Reach =
        wiredFrom.length === 1
            ? { kind: "connection", id: idOf(wiredFrom[0]) }
            : { kind: "connection", ...(list.connectionName !== undefined ? { name: list.connectionName } : {}) };
    return reaches(reach, factsOf(connection));
}

/** Whether `list` covers `connection`: one of its strategies, and not excluded by name. */
export function covers(list: TenantDenyList, connection: Connection): Answer {
    const reach: Reach = {
        kind: "tenant",
        ...(list.strategies === "all" ? {} : { strategies: list.strategies }),
        excluded: list.excluded,
    };
    return reaches(reach, factsOf(connection));
}

// The policy pack never sees a connection's real id: its resource's URN stands for it.
function idOf(connection: Connection): string {
    return `urn:${connection.resource.urn}`;
}

function factsOf(connection: Connection): ConnectionFacts {
    return { id: idOf(connection), name: connection.name, strategy: connection.strategy };
}
