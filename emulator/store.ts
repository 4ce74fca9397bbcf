import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Connection } from "./types";

/** Layout of a state file. */
interface StateFile {
    connections: Connection[];
}

/** Where a connection stands in creation order: what a list's checkpoint points at. */
export interface Placed {
    id: string;
    /** Grows with every connection added and is never reused, so it outlives deletions. */
    position: number;
}

/**
 * The tenant's connections, in creation order. Every accessor returns deep copies so callers can
 * never change stored data by accident; with a state file, every change is written to it atomically.
 */
export class ConnectionStore {
    private readonly items = new Map<string, { position: number; connection: Connection }>();
    private nextPosition = 0;

    /**
     * @param seed connections to start with when there is no state file yet
     * @param stateFile JSON file to load (when it exists) and to rewrite after every change
     */
    constructor(
        seed: Connection[],
        private readonly stateFile?: string,
    ) {
        const initial = stateFile !== undefined && existsSync(stateFile) ? loadState(stateFile) : seed;
        for (const connection of initial) this.place(connection);
        if (stateFile !== undefined) mkdirSync(dirname(stateFile), { recursive: true });
    }

    /** All connections. */
    all(): Connection[] {
        return [...this.items.values()].map((item) => structuredClone(item.connection));
    }

    /**
     * The connections `where` accepts, in creation order, without copying them: list pages pick
     * from these and {@link get} only what they return. `where` sees the stored connections and
     * must not change them.
     */
    find(where: (connection: Readonly<Connection>) => boolean): Placed[] {
        const found: Placed[] = [];
        for (const { position, connection } of this.items.values()) {
            if (where(connection)) found.push({ id: connection.id, position });
        }
        return found;
    }

    /** One connection, or `undefined`. */
    get(id: string): Connection | undefined {
        const item = this.items.get(id);
        return item && structuredClone(item.connection);
    }

    /** Whether a connection already uses `name`. */
    hasName(name: string): boolean {
        return this.names().has(name.toLowerCase());
    }

    /** Every name in use, lower-cased: Auth0 compares names case-insensitively. */
    names(): Set<string> {
        return new Set([...this.items.values()].map(({ connection }) => connection.name.toLowerCase()));
    }

    /** Adds new connections, after every existing one, with one write of the state file. */
    add(...connections: Connection[]): void {
        for (const connection of connections) this.place(connection);
        this.persist();
    }

    /**
     * Applies `mutate` to a copy of a connection, then stores the copy; a throwing `mutate` changes
     * nothing. Returns the updated connection, or `undefined` when `id` is unknown.
     */
    update(id: string, mutate: (connection: Connection) => void): Connection | undefined {
        const item = this.items.get(id);
        if (item === undefined) return undefined;
        const draft = structuredClone(item.connection);
        mutate(draft);
        this.items.set(id, { position: item.position, connection: structuredClone(draft) });
        this.persist();
        return draft;
    }

    /** Deletes a connection; returns whether it existed. */
    remove(id: string): boolean {
        const existed = this.items.delete(id);
        if (existed) this.persist();
        return existed;
    }

    private place(connection: Connection): void {
        this.items.set(connection.id, { position: this.nextPosition++, connection: structuredClone(connection) });
    }

    /** Write to a temporary file, then rename over the target: readers never see half a file. */
    private persist(): void {
        if (this.stateFile === undefined) return;
        const state: StateFile = { connections: [...this.items.values()].map((item) => item.connection) };
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
