/**
 * Writes deny lists safely. Per connection, one batch at a time (so parallel resources on one
 * connection never lose an update), everything queued meanwhile coalesced into a single
 * read–modify–write: GET → change `non_persistent_attrs` only → PATCH the whole `options` back.
 *
 * The unit that is retried is that whole read–modify–write, never a bare PATCH: after any wait
 * (429, 5xx, timeout, a dropped connection) the next attempt starts from a fresh GET, so a
 * change made meanwhile in the dashboard is never reverted. A PATCH whose outcome is unknown
 * leaves the connection *unsettled*: nothing else is written to it until that request can no
 * longer land, the next attempt re-reads (and still owns what the lost write added), and
 * success is reported only once what is live has been seen.
 */
import type { Auth0Client, ConnectionPatch } from "../auth0/client";
import { MAY_HAVE_APPLIED } from "../auth0/errors";
import type { Attempt } from "../auth0/retry";
import { seconds } from "../auth0/retry";
import type { Connection } from "../auth0/wire";
import { NonPersistentAttrsSchema } from "../auth0/wire";
import { applyIntent, type Intent, isChange, normalise, type Outcome, sameEntries } from "../core/denylist";
import { MAX_ATTRIBUTES } from "../core/schema";
import { liveList } from "./live-list";
import {
    type ConnectionRef,
    declarersOf,
    exclusiveConflict,
    type KeptFor,
    nameOf,
    type OwnershipLedger,
    othersOn,
    type RemoverContext,
} from "./ownership";

/** What applying one intent did. */
export interface Applied extends Outcome {
    /** The connection as Auth0 holds it after the batch (options stay in memory, never in state). */
    connection: Connection;
    /** Owned entries that other resources declare too, with those resources: they keep them on removal. */
    sharedWith: KeptFor;
}

/** A write that failed; its message says whether anything may have been written. */
export class WriteError extends Error {
    override name = "WriteError";
}

/** A write whose outcome is unknown: it may have been applied. */
export class UnverifiedWrite extends WriteError {
    override name = "UnverifiedWrite";

    constructor(
        message: string,
        /** What the operation intended; its `owned` entries may now be on the live list. */
        readonly outcome: Outcome,
        readonly connection: Connection,
    ) {
        super(message);
    }
}

interface Pending {
    intent: Intent;
    /** Who asks, and what it knows about other declarers of what it removes. */
    remover: RemoverContext;
    resolve: (applied: Applied | undefined) => void;
    reject: (error: unknown) => void;
    /** Entries a write with an unknown outcome tried to add for this operation: still its own. */
    attempted: Set<string>;
    /** A write for this operation may have landed: its outcome is not known until a read shows it. */
    mayHaveWritten: boolean;
    /** The outcome computed by the latest attempt. */
    outcome?: Outcome;
    /** Entries it dropped but others declare, kept on the list, from the latest attempt. */
    kept?: KeptFor;
}

interface Queue {
    pending: Pending[];
    running: boolean;
    /** An earlier PATCH's outcome is unknown: what is live has not been seen since. */
    unsettled: boolean;
    /** Resolves when that PATCH can no longer land. */
    settling?: Promise<void>;
    /** The connection as last read, for messages and partial-failure state. */
    lastRead?: Connection;
}

/**
 * What the writer uses of the Auth0 client: the retry loop (its policy, clock and log), one GET
 * and one PATCH of a connection, and the tenant its messages name. Tests give it a scripted one.
 */
export type WriterClient = Pick<Auth0Client, "retry" | "getConnection" | "patchConnection" | "tenant">;

/** Serialises and coalesces deny-list writes per connection, through one client. */
export class DenyListWriter {
    private readonly queues = new Map<string, Queue>();

    constructor(
        private readonly client: WriterClient,
        /** What other resources declare: their entries are never removed. */
        private readonly ledger: OwnershipLedger,
        /** Receives one line per entry kept for another resource. */
        private readonly log: (line: string) => void,
    ) {}

    /**
     * Applies an intent of the resource `remover.by` to connection `id`. Resolves undefined when
     * the connection does not exist and the intent is a release (nothing left to remove); rejects
     * for an ensure.
     */
    apply(id: string, intent: Intent & { kind: "ensure" }, remover: RemoverContext): Promise<Applied>;
    apply(id: string, intent: Intent, remover: RemoverContext): Promise<Applied | undefined>;
    apply(id: string, intent: Intent, remover: RemoverContext): Promise<Applied | undefined> {
        const queue = this.queueFor(id);
        return new Promise((resolve, reject) => {
            queue.pending.push({ intent, remover, resolve, reject, attempted: new Set(), mayHaveWritten: false });
            if (!queue.running) {
                queue.running = true;
                void gathered(queue.pending).then(() => this.drain(id, queue));
            }
        });
    }

    private queueFor(id: string): Queue {
        let queue = this.queues.get(id);
        if (!queue) {
            queue = { pending: [], running: false, unsettled: false };
            this.queues.set(id, queue);
        }
        return queue;
    }

    private async drain(id: string, queue: Queue): Promise<void> {
        while (queue.pending.length > 0) {
            const batch = queue.pending.splice(0);
            try {
                await this.client.retry.run((deadline) => this.readModifyWrite(id, queue, batch, deadline));
            } catch (error) {
                for (const item of batch) item.reject(this.failure(queue, item, error));
            }
        }
        queue.running = false;
    }

    // One attempt at the whole batch, over by `deadline`. Items settled here leave `batch`; the rest are retried.
    private async readModifyWrite(
        id: string,
        queue: Queue,
        batch: Pending[],
        deadline: number,
    ): Promise<Attempt<void>> {
        await this.waitUntilSettled(id, queue, deadline);
        // The PATCH follows its GET at once, never after a wait at the rate limit.
        const read = await this.client.getConnection(id, deadline, { thenPatch: true });
        if (read.kind !== "ok") return read;
        // Operations that arrived during the GET join this batch: nothing was written since it was sent.
        batch.push(...queue.pending.splice(0));
        const connection = read.value;
        if (!connection) {
            queue.unsettled = false;
            for (const item of batch.splice(0)) {
                if (item.intent.kind === "release") item.resolve(undefined);
                else item.reject(new WriteError(notFound(id, this.client.tenant)));
            }
            return { kind: "ok", value: undefined };
        }
        queue.lastRead = connection;
        const live = liveList(connection, "update the deny list of");
        const next = this.plan(connection, live, batch);
        if (!isChange(live, next)) {
            // What is live has been seen, and it already holds every intent.
            queue.unsettled = false;
            this.resolve(batch, connection);
            return { kind: "ok", value: undefined };
        }
        const { attempt, settled } = await this.client.patchConnection(
            connection,
            patchFor(connection, next),
            deadline,
        );
        if (attempt.kind === "retry" && attempt.mayHaveApplied) this.markUnsettled(queue, batch, settled);
        if (attempt.kind !== "ok") return attempt;
        const problem = verify(attempt.value, next);
        if (problem) {
            this.markUnsettled(queue, batch, settled);
            return { kind: "retry", reason: problem, error: new WriteError(problem), mayHaveApplied: true };
        }
        if (queue.unsettled) {
            // An earlier PATCH may have landed after this one's GET: look before reporting success.
            const check = await this.client.getConnection(id, deadline);
            if (check.kind !== "ok") return check;
            if (!check.value || verify(check.value, next)) {
                this.markUnsettled(queue, batch, Promise.resolve());
                const reason = `connection ${id} changed right after our update (an earlier update landing late?)`;
                return { kind: "retry", reason, error: new WriteError(reason) };
            }
            queue.unsettled = false;
        }
        this.resolve(batch, attempt.value);
        return { kind: "ok", value: undefined };
    }

    // The list after every intent of the batch, in order. An intent that would push the list past
    // Auth0's limit fails alone, so one resource cannot fail the others batched with it. What an
    // intent would remove but another resource declares stays (ownership.ts).
    private plan(connection: Connection, live: string[], batch: Pending[]): string[] {
        const ref = { id: connection.id, name: connection.name, strategy: connection.strategy };
        let next = live;
        for (const item of [...batch]) {
            const conflict = this.conflictOf(ref, item);
            if (conflict) {
                batch.splice(batch.indexOf(item), 1);
                item.reject(new WriteError(conflict));
                continue;
            }
            const intent = withAttempted(item);
            item.kept = declarersOf(removals(intent), ref, item.remover, this.ledger);
            const outcome = applyIntent(next, intent, new Set(Object.keys(item.kept)));
            if (outcome.next.length > MAX_ATTRIBUTES) {
                batch.splice(batch.indexOf(item), 1);
                item.reject(new WriteError(tooLong(connection, outcome.next.length)));
                continue;
            }
            item.outcome = outcome;
            next = outcome.next;
        }
        return next;
    }

    // An exclusive declaration beside any other on the connection, now that its name and strategy are known.
    private conflictOf(connection: ConnectionRef, item: Pending): string | undefined {
        const mine = this.ledger.knows(item.remover.by);
        if (item.intent.kind === "release" || mine === undefined || mine === "released") return undefined;
        return exclusiveConflict(connection, mine, othersOn(connection, item.remover, this.ledger));
    }

    private resolve(batch: Pending[], connection: Connection): void {
        const ref = { id: connection.id, name: connection.name, strategy: connection.strategy };
        for (const item of batch.splice(0)) {
            const outcome = item.outcome ?? { next: [], owned: [] };
            for (const [entry, by] of Object.entries(item.kept ?? {})) {
                this.log(
                    `keeping ${JSON.stringify(entry)} on connection ${connection.name} (${connection.id}): ` +
                        `${by.map((urn) => JSON.stringify(nameOf(urn))).join(", ")} declares it`,
                );
                if (item.intent.kind === "release") this.ledger.handOver(connection.id, entry, by);
            }
            const sharedWith = declarersOf(outcome.owned, ref, item.remover, this.ledger);
            item.resolve({ ...outcome, connection, sharedWith });
        }
    }

    private markUnsettled(queue: Queue, batch: Pending[], settled: Promise<void>): void {
        queue.unsettled = true;
        queue.settling = settled;
        for (const item of batch) {
            item.mayHaveWritten = true;
            for (const entry of item.outcome?.owned ?? []) item.attempted.add(entry);
        }
    }

    // Nothing is written to a connection while an earlier PATCH to it might still land: at the
    // latest, that PATCH is aborted at the deadline of the operation that sent it, never past this one's.
    private async waitUntilSettled(id: string, queue: Queue, deadline: number): Promise<void> {
        const settling = queue.settling;
        if (!settling) return;
        // An answer that came during the backoff leaves nothing to wait for, and nothing to say.
        const pending = await Promise.race([
            settling.then(() => false),
            new Promise<boolean>((resolve) => setImmediate(resolve, true)),
        ]);
        if (pending) {
            const left = seconds(Math.max(0, deadline - this.client.retry.clock.now()));
            this.client.retry.log(
                `auth0: waiting up to ${left} for an earlier update of connection ${id} whose answer is late, before reading it again`,
            );
        }
        await settling;
        if (queue.settling === settling) queue.settling = undefined;
    }

    // An operation that fails after a write with an unknown outcome may have changed the list:
    // it still owns what it tried to add and what it tried to remove, until a read shows the result.
    private failure(queue: Queue, item: Pending, error: unknown): unknown {
        if (!item.mayHaveWritten || !queue.lastRead || !(error instanceof Error)) return error;
        const owned = normalise([...(item.outcome?.owned ?? []), ...item.attempted, ...removals(item.intent)]);
        const message = error.message.includes(MAY_HAVE_APPLIED)
            ? error.message
            : `${error.message.replace(/ ?Nothing was written\.$/, "")} ${MAY_HAVE_APPLIED}`;
        return new UnverifiedWrite(message, { next: item.outcome?.next ?? [], owned }, queue.lastRead);
    }
}

// What an intent would take off the list if nothing else declared it.
function removals(intent: Intent): string[] {
    if (intent.kind === "release") return [...intent.remove];
    if (intent.exclusive) return [];
    const declared = new Set(intent.declared);
    return intent.previouslyOwned.filter((entry) => !declared.has(entry));
}

/** Longest wait for further operations on a connection before its first GET. */
const GATHER_MS = 25;
/** A pause this long with no new operation ends the wait early. */
const QUIET_MS = 3;
/** Event-loop turns the wait takes at most, so a clock that stands still (fake time) cannot hold it. */
const GATHER_TURNS = 200;

// Operations the engine sends together reach the host over several event-loop turns, more
// spread out on a loaded machine: wait until they stop arriving (QUIET_MS, GATHER_MS at most)
// so they share one GET and PATCH.
async function gathered(pending: readonly unknown[]): Promise<void> {
    const started = Date.now();
    let seen = pending.length;
    let quietSince = started;
    for (let turn = 0; turn < GATHER_TURNS; turn++) {
        await new Promise((resolve) => setImmediate(resolve));
        const now = Date.now();
        if (pending.length !== seen) {
            seen = pending.length;
            quietSince = now;
        } else if (now - quietSince >= QUIET_MS || now - started >= GATHER_MS) {
            return;
        }
    }
}

// A retry after a write with an unknown outcome owns what that write tried to add: finding it
// on the list is our own write, not someone else's entry to adopt.
function withAttempted(item: Pending): Intent {
    const { intent, attempted } = item;
    if (intent.kind === "release" || attempted.size === 0) return intent;
    return { ...intent, previouslyOwned: [...intent.previouslyOwned, ...attempted] };
}

// Auth0 replaces `options` whole: send every key back as read (own keys of any name survive the
// spread and JSON.stringify), with only the deny list changed. display_name goes back as read:
// Auth0 keeps it when omitted, and sending the same value is harmless.
function patchFor(connection: Connection, list: string[]): ConnectionPatch {
    return {
        options: { ...connection.options, non_persistent_attrs: list },
        ...(typeof connection.display_name === "string" ? { display_name: connection.display_name } : {}),
    };
}

// The connection after a write (the PATCH answer, or a read after it) must hold exactly the list sent.
function verify(result: Connection, sent: string[]): string | undefined {
    const stored = result.options ? NonPersistentAttrsSchema.safeParse(result.options.non_persistent_attrs) : undefined;
    const list = stored?.success ? (stored.data ?? []) : undefined;
    if (list && sameEntries(list, sent)) return undefined;
    const missing = list ? sent.filter((entry) => !list.includes(entry)) : sent;
    return (
        `Auth0 accepted the update of connection ${result.name} (${result.id}) but its answer does not hold the deny list sent` +
        (list
            ? ` (missing: ${JSON.stringify(missing)}; unexpected: ${JSON.stringify(list.filter((e) => !sent.includes(e)))})`
            : " (no options in the answer)")
    );
}

function tooLong(connection: Connection, length: number): string {
    return (
        `The deny list of connection ${connection.name} (${connection.id}) would have ${length} entries; ` +
        `Auth0 accepts at most ${MAX_ATTRIBUTES}. Remove entries (here or on the connection) first. Nothing was written.`
    );
}

/** The error for a target connection that does not exist. */
export function notFound(connection: string, tenant: string): string {
    return `Connection ${connection} does not exist in tenant ${tenant}: check connectionId/connectionName for this stack. Nothing was written.`;
}
