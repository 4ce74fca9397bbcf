import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Connection } from "./types";

/** Layout of a state file. */
interface StateFile {
    connections: Connection[];
}

/**
 * The tenant's connections, in creation order. Every accessor returns deep copies so callers can
 * never change stored data by accident; with a state file, every change is written to it atomically.
 */
export class ConnectionStore {
    private readonly items: Map<string, Connection>;

    /**
     * @param seed connections to start with when there is no state file yet
     * @param stateFile JSON file to load (when it exists) and to rewrite after every change
     */
    constructor(
        seed: Connection[],
        private readonly stateFile?: string,
    ) {
        const initial = stateFile !== undefined && existsSync(stateFile) ? loadState(stateFile) : seed;
        this.items = new Map(initial.map((connection) => [connection.id, structuredClone(connection)]));
        if (stateFile !== undefined) mkdirSync(dirname(stateFile), { recursive: true });
    }

    /** All connections. */
    all(): Connection[] {
        return [...this.items.values()].map((connection) => structuredClone(connection));
    }

    /** One connection, or `undefined`. */
    get(id: string): Connection | undefined {
        const connection = this.items.get(id);
        return connection && structuredClone(connection);
    }

    /** Whether a connection already uses `name` (Auth0 compares names case-insensitively). */
    hasName(name: string): boolean {
        const wanted = name.toLowerCase();
        return [...this.items.values()].some((connection) => connection.name.toLowerCase() === wanted);
    }

    /** Adds a new connection. */
    add(connection: Connection): void {
        this.items.set(connection.id, structuredClone(connection));
        this.persist();
    }

    /**
     * Applies `mutate` to a copy of a connection, then stores the copy; a throwing `mutate` changes
     * nothing. Returns the updated connection, or `undefined` when `id` is unknown.
     */
    update(id: string, mutate: (connection: Connection) => void): Connection | undefined {
        const draft = this.get(id);
        if (draft === undefined) return undefined;
        mutate(draft);
        this.items.set(id, structuredClone(draft));
        this.persist();
        return draft;
    }

    /** Deletes a connection; returns whether it existed. */
    remove(id: string): boolean {
        const existed = this.items.delete(id);
        if (existed) this.persist();
        return existed;
    }

    /** Write to a temporary file, then rename over the target: readers never see half a file. */
    private persist(): void {
        if (this.stateFile === undefined) return;
        const state: StateFile = { connections: [...this.items.values()] };
        const temporary = `${this.stateFile}.${process.pid}.tmp`;
        writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { flush: true });
        renameSync(temporary, this.stateFile);
    }
}

function loadState(file: string): Connection[] {
    const problem = `${file} is not an emulator state file: expected {"connections": [{id, name, strategy, …}]}`;
    let state: unknown;
    try {
        state = JSON.parse(readFileSync(file, "utf8"));
    } catch (cause) {
        throw new Error(problem, { cause });
    }
    const connections = (state as Partial<StateFile> | null)?.connections;
    if (!Array.isArray(connections) || !connections.every(isConnection)) throw new Error(problem);
    return connections;
}

function isConnection(value: unknown): value is Connection {
    const candidate = value as Partial<Connection> | null;
    return (
        typeof candidate?.id === "string" &&
        typeof candidate.name === "string" &&
        typeof candidate.strategy === "string"
    );
}
