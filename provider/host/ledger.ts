/**
 * What this provider process knows of the resources it handled: what each declares and owns,
 * which were deleted, and the entries a deleted resource kept for others. One per process,
 * shared by both resource kinds (context.ts); the rules that read it are core/ownership.ts's.
 * The Pulumi CLI starts a new process for every command, so nothing here outlives one command.
 */
import type { Declaration } from "../core/declaration";
import type { LedgerSnapshot, Seen } from "../core/ownership";

/** The process's knowledge of the resources it has seen. */
export class OwnershipLedger {
    // Where it owns entries counts only beside a known id: a declaration by name or tenant-wide may
    // reach any connection, not only those it owned entries on when it was last written.
    private readonly current = new ByConnection<Seen>((seen) => {
        const ids = where(seen.declaration);
        return ids.length === 0 ? [] : [...ids, ...Object.keys(seen.owned)];
    });
    private readonly released = new ByConnection<Declaration>(where);
    private readonly pending = new Map<string, Set<string>>();

    /**
     * `declaration.by` declares this now (a diff, write or read said so), owning `owned` per
     * connection id; what it owned before on connections not given stays known.
     */
    declare(declaration: Declaration, owned: Readonly<Record<string, readonly string[]>> = {}): void {
        const before = this.current.get(declaration.by)?.owned ?? {};
        this.current.set(declaration.by, { declaration, owned: { ...before, ...owned } });
        this.released.delete(declaration.by);
    }

    /**
     * `by` is being deleted: it declares nothing any more. What it owned, per connection id, the
     * stack wrote: from now on, not only once its delete kept them, so a resource whose write is
     * batched with the delete (or planned before it ends) owns what it declares of them.
     */
    release(by: string, declaration: Declaration, owned: Readonly<Record<string, readonly string[]>>): void {
        this.current.delete(by);
        this.released.set(by, declaration);
        for (const [connectionId, entries] of Object.entries(owned)) {
            for (const entry of entries) this.keepForOthers(connectionId, entry);
        }
    }

    /** A deleted resource wrote `entry` on `connectionId`, or kept it for others: the stack wrote it, and the last of them removes it. */
    keepForOthers(connectionId: string, entry: string): void {
        const entries = this.pending.get(connectionId) ?? new Set<string>();
        entries.add(entry);
        this.pending.set(connectionId, entries);
    }

    /** Entries deleted resources wrote or kept for others on `connectionId`. */
    pendingOn(connectionId: string): string[] {
        return [...(this.pending.get(connectionId) ?? [])];
    }

    /** `entry` on `connectionId` is off the list, or owned again by a resource that declares it. */
    settle(connectionId: string, entry: string): void {
        this.pending.get(connectionId)?.delete(entry);
    }

    /**
     * What an operation on `connectionId` reads: the resources that may bear on it (declared or
     * owning there, or known some other way than by id: by name, tenant-wide), copied, so what
     * happens while it waits cannot change its answers. A thousand resources each on a connection
     * of its own then cost each operation one entry, not a thousand.
     */
    snapshot(connectionId: string): LedgerSnapshot {
        const pending = this.pending.get(connectionId);
        return {
            current: this.current.on(connectionId),
            released: this.released.on(connectionId),
            pending: pending ? { [connectionId]: [...pending] } : {},
            // Read while the operation is planned, in the same turn: nothing changes meanwhile.
            knows: (by) => (this.current.get(by) ? "current" : this.released.get(by) ? "released" : undefined),
        };
    }
}

// The connection ids a declaration is known to be on; none when it is known some other way.
function where(declaration: Declaration): string[] {
    const { reach } = declaration;
    return reach.kind === "connection" && reach.id !== undefined ? [reach.id] : [];
}

/** Values by URN, found by connection id: those on it, and those on no known id (they may be anywhere). */
class ByConnection<T> {
    private readonly values = new Map<string, T>();
    private readonly ids = new Map<string, Set<string>>();
    private readonly anywhere = new Set<string>();

    constructor(private readonly idsOf: (value: T) => string[]) {}

    get(by: string): T | undefined {
        return this.values.get(by);
    }

    set(by: string, value: T): void {
        this.delete(by);
        this.values.set(by, value);
        const ids = this.idsOf(value);
        if (ids.length === 0) this.anywhere.add(by);
        for (const id of ids) {
            const here = this.ids.get(id) ?? new Set<string>();
            here.add(by);
            this.ids.set(id, here);
        }
    }

    delete(by: string): void {
        const value = this.values.get(by);
        if (value === undefined) return;
        this.values.delete(by);
        this.anywhere.delete(by);
        for (const id of this.idsOf(value)) this.ids.get(id)?.delete(by);
    }

    /** Those on `id`, and those on no known id. */
    on(id: string): T[] {
        return [...new Set([...(this.ids.get(id) ?? []), ...this.anywhere])].flatMap((by) => this.values.get(by) ?? []);
    }
}
