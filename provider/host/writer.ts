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
import { StatedError } from "../auth0/errors";
import type { Attempt } from "../auth0/retry";
import { seconds } from "../auth0/retry";
import type { Connection } from "../auth0/wire";
import { NonPersistentAttrsSchema } from "../auth0/wire";
import type { Declaration } from "../core/declaration";
import { type Intent, normalise, type Outcome, removals, sameEntries } from "../core/denylist";
import { keptLine, type SharedWith, type Sources } from "../core/ownership";
import type { View } from "../core/view";
import { type Operation, type OperationPlan, planWrite } from "../core/write-plan";
import type { OwnershipLedger } from "./ledger";
import { liveList } from "./live-list";

/** What applying one operation did. */
export interface Applied extends Outcome {
    /** The connection as Auth0 holds it after the batch (options stay in memory, never in state). */
    connection: Connection;
    /** Its record: for each owned entry, who else declares it. */
    sharedWith: SharedWith;
}

/** A write refused before anything was sent: its message says so. */
export class WriteError extends StatedError {
    override name = "WriteError";

    constructor(detail: string) {
        super(detail, "nothing");
    }
}

/** A write whose outcome is unknown: it may have been applied, and its message says so. */
export class UnverifiedWrite extends StatedError {
    override name = "UnverifiedWrite";

    constructor(
        detail: string,
        /** What the operation intended; its `owned` entries may now be on the live list. */
        readonly outcome: Outcome,
        readonly connection: Connection,
    ) {
        super(detail, "maybe");
    }
}

/** One resource's request to the writer: an operation whose ledger snapshot is taken when the connection is read. */
export interface WriteRequest {
    /** The resource's identity (URN). */
    by: string;
    intent: Intent;
    /** What it declares (a create or update); none for a release. */
    declaration?: Declaration;
    /** The program's view of the others, for a resource declared by a program. */
    view?: View;
    /** Its record of co-declarers on this connection, from its state. */
    record?: SharedWith;
    /** The resource its connection id came from, in the program. */
    from?: string;
    /** The connection name the program declared (by name): a renamed connection is refused. */
    expectedName?: string;
}

interface Pending {
    request: WriteRequest;
    resolve: (applied: Applied | undefined) => void;
    reject: (error: unknown) => void;
    /** Entries a write with an unknown outcome tried to add for this operation: still its own. */
    attempted: Set<string>;
    /** A write for this operation may have landed: its outcome is not known until a read shows it. */
    mayHaveWritten: boolean;
    /** What the latest attempt planned for it. */
    plan?: OperationPlan & { kind: "applied" };
    /** The list the latest attempt would have sent. */
    next?: string[];
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
    /** Wakes the gathering wait when an operation arrives. */
    arrived?: () => void;
    /** The operations arriving in a stream (each within `maxQuietMs` of the one before): the latest's time and the gaps between them. */
    stream: { last: number; gaps: number; count: number };
}

/**
 * What the writer uses of the Auth0 client: the retry loop (its policy, clock and log), one GET
 * and one PATCH of a connection, the token fetched ahead, and the tenant its messages name. Tests
 * give it a scripted one.
 */
export type WriterClient = Pick<Auth0Client, "retry" | "getConnection" | "patchConnection" | "tenant" | "prepare">;

/** How long the writer gathers operations on one connection before reading it. */
export interface Gathering {
    /** Longest wait for further operations on a connection before its first GET. */
    maxMs: number;
    /** A pause this long with no new operation ends the wait, while they came faster than this. */
    quietMs: number;
    /** The longest pause that still keeps the wait open, however slowly operations came. */
    maxQuietMs: number;
}

/**
 * The engine sends a connection's creates one Check round trip apart (a few milliseconds, more on
 * a loaded machine): the writer waits while they keep coming, until a pause of twice their mean
 * gap (3 ms at least, 25 ms at most), so a program's resources on one connection share one GET and
 * PATCH. A lone operation waits 3 ms; a stream is cut at 1 s, so a long one still makes progress
 * and its first resource is not held for the whole `up`.
 */
export const DEFAULT_GATHERING: Gathering = { maxMs: 1_000, quietMs: 3, maxQuietMs: 25 };

/** Serialises and coalesces deny-list writes per connection, through one client. */
export class DenyListWriter {
    private readonly queues = new Map<string, Queue>();

    constructor(
        private readonly client: WriterClient,
        /** What this process knows of every resource it handled. */
        private readonly ledger: OwnershipLedger,
        /** Receives one line per entry kept for another resource. */
        private readonly log: (line: string) => void,
        private readonly gathering: Gathering = DEFAULT_GATHERING,
    ) {}

    /**
     * Applies one resource's operation to connection `id`. Resolves undefined when the
     * connection does not exist and the intent is a release (nothing left to remove); rejects
     * for an ensure.
     */
    apply(id: string, request: WriteRequest & { intent: { kind: "ensure" } }): Promise<Applied>;
    apply(id: string, request: WriteRequest): Promise<Applied | undefined>;
    apply(id: string, request: WriteRequest): Promise<Applied | undefined> {
        const queue = this.queueFor(id);
        return new Promise((resolve, reject) => {
            queue.pending.push({ request, resolve, reject, attempted: new Set(), mayHaveWritten: false });
            this.arrive(queue);
            if (!queue.running) {
                queue.running = true;
                // The token's round trip overlaps the wait for further operations, not follows it.
                this.client.prepare();
                void this.drain(id, queue);
            }
        });
    }

    private queueFor(id: string): Queue {
        let queue = this.queues.get(id);
        if (!queue) {
            queue = { pending: [], running: false, unsettled: false, stream: { last: -Infinity, gaps: 0, count: 0 } };
            this.queues.set(id, queue);
        }
        return queue;
    }

    // The pace of a stream outlives a batch: operations still coming while the last batch was
    // written set how long the next one waits for the rest.
    private arrive(queue: Queue): void {
        const now = performance.now();
        const { last, gaps, count } = queue.stream;
        const gap = now - last;
        queue.stream =
            gap <= this.gathering.maxQuietMs
                ? { last: now, gaps: gaps + gap, count: count + 1 }
                : { last: now, gaps: 0, count: 0 };
        queue.arrived?.();
    }

    private async drain(id: string, queue: Queue): Promise<void> {
        while (queue.pending.length > 0) {
            // Operations still arriving (more while the previous batch ran) join this one.
            await gathered(queue, this.gathering);
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
                if (item.request.intent.kind === "release") item.resolve(undefined);
                else item.reject(new WriteError(notFound(id, this.client.tenant)));
            }
            return { kind: "ok", value: undefined };
        }
        queue.lastRead = connection;
        const live = liveList(connection, "update the deny list of");
        const plan = planWrite(
            { id, name: connection.name, strategy: connection.strategy, live },
            batch.map((item) => this.operationOf(id, item)),
        );
        plan.results.forEach((result, index) => {
            const item = batch[index];
            item.plan = undefined;
            if (result.kind === "refused") item.reject(new WriteError(result.reason));
            else Object.assign(item, { plan: result, next: plan.next });
        });
        batch.splice(0, batch.length, ...batch.filter((item) => item.plan));
        if (!plan.changes) {
            // What is live has been seen, and it already holds every operation.
            queue.unsettled = false;
            this.resolve(batch, connection);
            return { kind: "ok", value: undefined };
        }
        const { attempt, settled } = await this.client.patchConnection(
            connection,
            patchFor(connection, plan.next),
            deadline,
        );
        if (attempt.kind === "retry" && attempt.mayHaveApplied) this.markUnsettled(queue, batch, settled);
        if (attempt.kind !== "ok") return attempt;
        const problem = verify(attempt.value, plan.next);
        if (problem) {
            this.markUnsettled(queue, batch, settled);
            return { kind: "retry", reason: problem, error: new StatedError(problem), mayHaveApplied: true };
        }
        if (queue.unsettled) {
            // An earlier PATCH may have landed after this one's GET: look before reporting success.
            const check = await this.client.getConnection(id, deadline);
            if (check.kind !== "ok") return check;
            if (!check.value || verify(check.value, plan.next)) {
                this.markUnsettled(queue, batch, Promise.resolve());
                const reason = `connection ${id} changed right after our update (an earlier update landing late?)`;
                return { kind: "retry", reason, error: new StatedError(reason) };
            }
            queue.unsettled = false;
        }
        this.resolve(batch, attempt.value);
        return { kind: "ok", value: undefined };
    }

    // The operation as the plan sees it: the ledger as it is now, and what a write of unknown
    // outcome tried to add counted as owned (finding it live is our own write, not someone else's entry).
    private operationOf(id: string, item: Pending): Operation {
        const { request, attempted } = item;
        const { intent } = request;
        const sources: Sources = { ledger: this.ledger.snapshot(id), view: request.view, record: request.record };
        const withAttempted =
            intent.kind === "ensure" && attempted.size > 0
                ? { ...intent, previouslyOwned: [...intent.previouslyOwned, ...attempted] }
                : intent;
        return { ...request, intent: withAttempted, sources };
    }

    private resolve(batch: Pending[], connection: Connection): void {
        const live = new Set(NonPersistentAttrsSchema.safeParse(connection.options?.non_persistent_attrs).data ?? []);
        for (const item of batch.splice(0)) {
            const plan = item.plan as OperationPlan & { kind: "applied" };
            for (const [entry, declarers] of Object.entries(plan.kept)) {
                this.log(keptLine(entry, connection, declarers));
                // A deleted resource's entry stays for the others: the last of them to go removes it.
                if (item.request.intent.kind === "release") this.ledger.keepForOthers(connection.id, entry);
            }
            for (const entry of removals(item.request.intent)) {
                if (!live.has(entry)) this.ledger.settle(connection.id, entry);
            }
            item.resolve({ next: item.next ?? [], owned: plan.owned, connection, sharedWith: plan.sharedWith });
        }
    }

    private markUnsettled(queue: Queue, batch: Pending[], settled: Promise<void>): void {
        queue.unsettled = true;
        queue.settling = settled;
        for (const item of batch) {
            item.mayHaveWritten = true;
            for (const entry of item.plan?.owned ?? []) item.attempted.add(entry);
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
        const owned = normalise([...(item.plan?.owned ?? []), ...item.attempted, ...removals(item.request.intent)]);
        // What happened, restated with the outcome that holds for the operation: it may have been applied.
        const detail = error instanceof StatedError ? error.detail : error.message;
        return new UnverifiedWrite(detail, { next: item.next ?? [], owned }, queue.lastRead);
    }
}

// Waits until operations stop arriving, so they share one GET and PATCH: for twice the mean gap
// of the stream they arrive in (an engine sending creates every few milliseconds is still
// sending), within [quietMs, maxQuietMs], `maxMs` in all. It sleeps on a timer that an arrival
// cuts short, so it spends no CPU while it waits; the timer firing ends it, so a clock that
// stands still (fake time) cannot hold it. Times are monotonic: a wall clock set back or ahead
// neither holds a batch nor cuts it.
async function gathered(queue: Queue, { maxMs, quietMs, maxQuietMs }: Gathering): Promise<void> {
    const started = performance.now();
    for (;;) {
        const { last, gaps, count } = queue.stream;
        const quiet = Math.min(maxQuietMs, Math.max(quietMs, count > 0 ? (2 * gaps) / count : 0));
        const wait = Math.max(0, Math.min(last + quiet, started + maxMs) - performance.now());
        const arrived = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), wait);
            queue.arrived = () => {
                clearTimeout(timer);
                resolve(true);
            };
        });
        queue.arrived = undefined;
        if (!arrived) return;
    }
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

/** The error for a target connection that does not exist. */
export function notFound(connection: string, tenant: string): string {
    return `Connection ${connection} does not exist in tenant ${tenant}: check connectionId/connectionName for this stack.`;
}
