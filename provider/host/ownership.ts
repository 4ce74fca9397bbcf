/**
 * Who else declares an entry a resource is about to remove. Merge mode promises that a resource
 * removes only what it wrote and never an entry another resource of the stack declares on that
 * connection, under every Pulumi operation (DESIGN.md §3). No single source sees every resource:
 *
 * - the **ledger** holds what the resources handled by this provider process declared (their
 *   diffs, creates and updates) and which of them were deleted; with a plain `up` it sees the
 *   whole program, with `--target` only the targets, with `destroy` none;
 * - the **program view** travels in a resource's own inputs: what the other resources of the
 *   program declared when it ran (the program runs whole even under `--target`);
 * - the **record** is what the resource's state noted at its last write about co-declarers of
 *   its entries, the only source a `destroy --target` has.
 *
 * The freshest source about a resource wins: the ledger over the program view over the record.
 * Resources are told apart by identity (their URN), never by equal outputs. Pure and in memory.
 */
import type { Declaration } from "../core/schema";

export type { Declaration };

/** A connection as a write found it (its strategy, when known, decides tenant-wide coverage). */
export interface ConnectionRef {
    id: string;
    name: string;
    strategy?: string;
}

/** Entries that stay although the remover dropped them, each with the resources that declare it. */
export type KeptFor = Record<string, string[]>;

/** What this provider process knows about each resource it handled. */
export class OwnershipLedger {
    private readonly current = new Map<string, Declaration>();
    private readonly released = new Set<string>();
    /** Entries a deleted resource kept for another: that one removes them if it is deleted too. */
    private readonly inherited = new Map<string, Set<string>>();

    /** What `by` declares now, on one connection or tenant-wide (a diff, create or update said so). */
    declare(declaration: Declaration): void {
        this.current.set(declaration.by, declaration);
        this.released.delete(declaration.by);
    }

    /** `by` is being deleted in this process: it declares nothing any more. */
    release(by: string): void {
        this.current.delete(by);
        this.released.add(by);
    }

    /** `to` declares `entry` on `connectionId`, which a deleted resource kept for it: it is now `to`'s to remove. */
    handOver(connectionId: string, entry: string, to: readonly string[]): void {
        for (const by of to) {
            const key = inheritedKey(by, connectionId);
            const entries = this.inherited.get(key) ?? new Set<string>();
            entries.add(entry);
            this.inherited.set(key, entries);
        }
    }

    /** Entries deleted resources kept for `by` on `connectionId`. */
    inheritedBy(by: string, connectionId: string): string[] {
        return [...(this.inherited.get(inheritedKey(by, connectionId)) ?? [])];
    }

    /** What the ledger knows of `by`: its declaration, "released", or nothing. */
    knows(by: string): Declaration | "released" | undefined {
        return this.released.has(by) ? "released" : this.current.get(by);
    }

    /** Every declaration on `connection` in this process, `by` excepted. */
    others(connection: ConnectionRef, by: string): Declaration[] {
        return [...this.current.values()].filter((d) => d.by !== by && targets(d, connection));
    }
}

/**
 * Why `mine` cannot hold beside the other declarations on `connection`, or undefined: an
 * exclusive resource owns the whole list, so any other resource on the same connection
 * contradicts it.
 */
export function exclusiveConflict(
    connection: ConnectionRef,
    mine: Declaration,
    others: readonly Declaration[],
): string | undefined {
    const against = others.filter((d) => d.by !== mine.by && (mine.exclusive || d.exclusive));
    if (against.length === 0) return undefined;
    const shown = [mine, ...against].map(describe).join(", ");
    const tenantWide = against.some((d) => d.tenantWide) || mine.tenantWide;
    return (
        `Connection ${connection.name || connection.id} (${connection.id}) has an exclusive ConnectionDenyList and another ` +
        `deny list resource of this stack: ${shown}. An exclusive resource owns the whole list, so the other's entries ` +
        "would be removed or its own list contradicted: declare every attribute in the exclusive resource, or make all " +
        `of them merge-mode${tenantWide ? ", or leave the connection out of the TenantDenyList (excludeConnections)" : ""}. ` +
        "Nothing was written."
    );
}

function describe(d: Declaration): string {
    const kind = d.tenantWide ? "tenant-wide" : d.exclusive ? "exclusive" : "merge";
    return `${JSON.stringify(nameOf(d.by))} (${kind} ${JSON.stringify(d.attributes ?? "?")})`;
}

/** What a resource about to remove entries knows from each source besides the ledger. */
export interface RemoverContext {
    /** The remover's identity. */
    by: string;
    /** The other resources of the program, from the remover's inputs (update only). */
    view?: readonly Declaration[];
    /** Co-declarers its state recorded at its last write, per entry (this connection). */
    recorded?: KeptFor;
}

/**
 * The other resources that declare something on `connection`, as far as the remover can know:
 * the ledger first (this process saw those resources), then the program view, then the record
 * (entry by entry), each only for resources a fresher source does not know.
 */
export function othersOn(connection: ConnectionRef, remover: RemoverContext, ledger: OwnershipLedger): Declaration[] {
    const candidates: Declaration[] = ledger.others(connection, remover.by);
    const seen = new Set(candidates.map((d) => d.by));
    const unknownToLedger = (by: string) => by !== remover.by && !seen.has(by) && ledger.knows(by) === undefined;
    for (const d of remover.view ?? []) {
        if (unknownToLedger(d.by) && targets(d, connection)) {
            candidates.push(d);
            seen.add(d.by);
        }
    }
    for (const [entry, declarers] of Object.entries(remover.recorded ?? {})) {
        for (const by of declarers) {
            if (unknownToLedger(by)) candidates.push({ by, connectionId: connection.id, attributes: [entry] });
        }
    }
    return candidates;
}

/** For each of `entries`, the other resources that declare it on `connection`: the entries the remover must keep. */
export function declarersOf(
    entries: readonly string[],
    connection: ConnectionRef,
    remover: RemoverContext,
    ledger: OwnershipLedger,
): KeptFor {
    const others = othersOn(connection, remover, ledger);
    const kept: KeptFor = {};
    for (const entry of entries) {
        const by = others.filter((d) => declares(d, entry)).map((d) => d.by);
        if (by.length > 0) kept[entry] = [...new Set(by)].sort();
    }
    return kept;
}

/**
 * True when a resource's record of who else declares its owned entries no longer matches what
 * the program declares: its next `destroy --target` would keep or remove the wrong entries, so
 * the resource takes an update (a GET, no PATCH) to write the record anew. Only declarations the
 * program fully knows count, so an unknown target never causes a diff on every run.
 */
export function staleRecord(
    owned: readonly string[],
    recorded: KeptFor,
    connection: ConnectionRef,
    view: readonly Declaration[],
): boolean {
    const known = view.filter((d) => (d.connectionId ?? d.connectionName) !== undefined && d.attributes);
    const unsure = new Set(view.filter((d) => !known.includes(d)).map((d) => d.by));
    return owned.some((entry) => {
        const expected = known.filter((d) => targets(d, connection) && declares(d, entry)).map((d) => d.by);
        const noted = (recorded[entry] ?? []).filter((by) => !unsure.has(by));
        return !sameSet(expected, noted);
    });
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
    const left = new Set(a);
    return left.size === new Set(b).size && b.every((x) => left.has(x));
}

/**
 * True when a declaration is, or may be, on `connection`. A tenant-wide declaration covers every
 * connection of its strategies (all when none are given, or the connection's is unknown) that it
 * does not exclude by name.
 */
export function targets(declaration: Declaration, connection: ConnectionRef): boolean {
    const { connectionId, connectionName } = declaration;
    if (declaration.tenantWide) {
        const { strategies, excludeConnections } = declaration;
        const strategyCovered = !strategies || !connection.strategy || strategies.includes(connection.strategy);
        return strategyCovered && !(excludeConnections ?? []).includes(connection.name);
    }
    if (connectionId === undefined && connectionName === undefined) return true;
    return connectionId === connection.id || connectionName === connection.name;
}

function declares(declaration: Declaration, entry: string): boolean {
    return declaration.attributes === undefined || declaration.attributes.includes(entry);
}

/** The resource's name: the last part of its URN. */
export function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

function inheritedKey(by: string, connectionId: string): string {
    return `${by}\u0000${connectionId}`;
}
