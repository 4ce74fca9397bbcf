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
    private readonly current = new Map<string, Seen>();
    private readonly released = new Map<string, Declaration>();
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

    /** `by` is being deleted: it declares nothing any more. */
    release(by: string, declaration: Declaration): void {
        this.current.delete(by);
        this.released.set(by, declaration);
    }

    /** A deleted resource kept `entry` on `connectionId` for others: the stack wrote it, and the last of them removes it. */
    keepForOthers(connectionId: string, entry: string): void {
        const entries = this.pending.get(connectionId) ?? new Set<string>();
        entries.add(entry);
        this.pending.set(connectionId, entries);
    }

    /** Entries deleted resources kept for others on `connectionId`. */
    pendingOn(connectionId: string): string[] {
        return [...(this.pending.get(connectionId) ?? [])];
    }

    /** `entry` on `connectionId` is off the list, or owned again by a resource that declares it. */
    settle(connectionId: string, entry: string): void {
        this.pending.get(connectionId)?.delete(entry);
    }

    /** What an operation reads: a copy, so what happens while it waits cannot change its answers. */
    snapshot(): LedgerSnapshot {
        return {
            current: [...this.current.values()],
            released: [...this.released.values()],
            pending: Object.fromEntries([...this.pending].map(([id, entries]) => [id, [...entries]])),
        };
    }
}
