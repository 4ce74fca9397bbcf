/**
 * Connections made up in bulk, for tenants the size of real B2B ones (hundreds or thousands of
 * enterprise connections). Each is a copy of the built-in connection of its strategy — the same
 * option shapes and the same FAKE secrets, so `SEED_SECRETS` still lists every secret — under a
 * new id, a unique name and its own domain alias.
 */
import { newConnectionId } from "./ids";
import { builtInSeed } from "./seed";
import type { Connection, GeneratedConnections } from "./types";

const DEFAULT_NAME_PREFIX = "customer";

/**
 * `spec.count` new connections, cycling through `spec.strategies`, named
 * `${namePrefix}-${strategy}-${n}` with n counting from 1, skipping the names in `inUse` (compared
 * case-insensitively, as Auth0 does). Throws for a strategy the built-in seed lacks.
 */
export function generateConnections(spec: GeneratedConnections, inUse: Iterable<string>): Connection[] {
    const templates = new Map(builtInSeed().map((connection) => [connection.strategy, connection]));
    const strategies = spec.strategies ?? [...templates.keys()];
    if (!Number.isSafeInteger(spec.count) || spec.count < 0) {
        throw new Error(`generated connections: count must be a whole number ≥ 0, got ${spec.count}`);
    }
    const unknown = strategies.filter((strategy) => !templates.has(strategy));
    if (strategies.length === 0 || unknown.length > 0) {
        throw new Error(
            `generated connections: strategies must be some of ${[...templates.keys()].join(", ")}` +
                (unknown.length > 0 ? `; unknown: ${unknown.join(", ")}` : ""),
        );
    }
    const taken = new Set([...inUse].map((name) => name.toLowerCase()));
    const prefix = spec.namePrefix ?? DEFAULT_NAME_PREFIX;
    const generated: Connection[] = [];
    for (let n = 1; generated.length < spec.count; n++) {
        const strategy = strategies[generated.length % strategies.length];
        const name = `${prefix}-${strategy}-${n}`;
        if (taken.has(name.toLowerCase())) continue;
        generated.push(fromTemplate(templates.get(strategy) as Connection, name, n));
    }
    return generated;
}

function fromTemplate(template: Connection, name: string, n: number): Connection {
    const connection: Connection = { ...structuredClone(template), id: newConnectionId(), name, realms: [name] };
    if (template.display_name !== undefined) connection.display_name = `${template.display_name} ${n}`;
    const options = connection.options;
    if (options && Array.isArray(options.domain_aliases)) options.domain_aliases = [`${name}.example`];
    return connection;
}
