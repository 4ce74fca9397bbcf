/**
 * Writes deny lists safely: per connection, one batch at a time (so parallel resources on one
 * connection never lose an update), with everything queued meanwhile coalesced into a single
 * GET → change `non_persistent_attrs` only → PATCH the whole `options` back.
 */
import type { Auth0Client } from "./auth0/client";
import type { Connection } from "./auth0/wire";
import { NonPersistentAttrsSchema } from "./auth0/wire";
import { applyIntent, type Intent, isChange, type Outcome, sameEntries } from "./denylist";
import { MAX_ATTRIBUTES } from "./schema";

/** A connection read at a known moment, usable in place of a GET if nothing wrote since. */
export interface Snapshot {
    connection: Connection;
    /** Sequence number taken when the request that read it was sent. */
    takenAt: number;
}

/** What applying one intent did. */
export interface Applied extends Outcome {
    /** The connection as Auth0 holds it after the batch (options stay in memory, never in state). */
    connection: Connection;
}

/** A write that could not be made. Nothing was written unless it is an {@link UnverifiedWrite}. */
export class WriteError extends Error {
    override name = "WriteError";
}

/** Auth0 accepted a PATCH whose answer does not hold what was sent: something may have been written. */
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
    snapshot?: Snapshot;
    resolve: (applied: Applied | undefined) => void;
    reject: (error: unknown) => void;
}

interface Queue {
    pending: Pending[];
    running: boolean;
    /** Sequence number of the last PATCH start or end on this connection. */
    lastWriteAt: number;
}

/** Serialises and coalesces deny-list writes per connection, through one client. */
export class DenyListWriter {
    private readonly queues = new Map<string, Queue>();
    private readonly lookups = new Map<string, Promise<Snapshot | undefined>>();
    private sequence = 0;

    constructor(private readonly client: Auth0Client) {}

    /**
     * Finds a connection by name. Concurrent lookups of one name share a request, and the
     * result can stand in for the GET of the write that follows.
     */
    lookup(name: string): Promise<Snapshot | undefined> {
        let lookup = this.lookups.get(name);
        if (!lookup) {
            const takenAt = ++this.sequence;
            lookup = this.client
                .findConnectionByName(name)
                .then((connection) => connection && { connection, takenAt })
                .finally(() => this.lookups.delete(name));
            this.lookups.set(name, lookup);
        }
        return lookup;
    }

    /**
     * Applies an intent to connection `id`. Resolves undefined when the connection does not
     * exist and the intent is a release (nothing left to remove); rejects for an ensure.
     */
    apply(id: string, intent: Intent, snapshot?: Snapshot): Promise<Applied | undefined> {
        const queue = this.queueFor(id);
        return new Promise((resolve, reject) => {
            queue.pending.push({ intent, snapshot, resolve, reject });
            if (!queue.running) {
                queue.running = true;
                // Let every operation the engine sent in this tick join the first batch.
                setImmediate(() => void this.drain(id, queue));
            }
        });
    }

    private queueFor(id: string): Queue {
        let queue = this.queues.get(id);
        if (!queue) {
            queue = { pending: [], running: false, lastWriteAt: 0 };
            this.queues.set(id, queue);
        }
        return queue;
    }

    private async drain(id: string, queue: Queue): Promise<void> {
        while (queue.pending.length > 0) {
            let batch: Pending[] = [];
            try {
                // A snapshot is as good as a GET only if no write to this connection started or ended since it was taken.
                const fresh = queue.pending.find((item) => item.snapshot && item.snapshot.takenAt > queue.lastWriteAt);
                const connection = fresh?.snapshot?.connection ?? (await this.client.getConnection(id));
                // Operations that arrived during the GET join this batch: nothing was written since it was sent.
                batch = queue.pending.splice(0);
                await this.runBatch(id, queue, batch, connection);
            } catch (error) {
                for (const item of batch.length > 0 ? batch : queue.pending.splice(0)) item.reject(error);
            }
        }
        queue.running = false;
    }

    private async runBatch(
        id: string,
        queue: Queue,
        batch: Pending[],
        connection: Connection | undefined,
    ): Promise<void> {
        if (!connection) {
            for (const item of batch) {
                if (item.intent.kind === "release") item.resolve(undefined);
                else item.reject(new WriteError(notFound(id, this.client.tenant)));
            }
            return;
        }
        const live = liveList(connection, "update the deny list of");
        let next = live;
        const accepted: { item: Pending; outcome: Outcome }[] = [];
        for (const item of batch) {
            const outcome = applyIntent(next, item.intent);
            // Checked per operation, so one resource over Auth0's limit cannot fail the others batched with it.
            if (outcome.next.length > MAX_ATTRIBUTES) {
                item.reject(new WriteError(tooLong(connection, outcome.next.length)));
                continue;
            }
            next = outcome.next;
            accepted.push({ item, outcome });
        }
        const wrote = isChange(live, next);
        const result = wrote ? await this.patch(id, queue, connection, next) : connection;
        const problem = wrote ? verify(result, next) : undefined;
        for (const { item, outcome } of accepted) {
            if (problem) item.reject(new UnverifiedWrite(problem, outcome, result));
            else item.resolve({ ...outcome, connection: result });
        }
    }

    private async patch(id: string, queue: Queue, connection: Connection, list: string[]): Promise<Connection> {
        queue.lastWriteAt = ++this.sequence;
        try {
            // Auth0 replaces `options` whole: send it back as read. display_name too: Auth0's docs say it is
            // reset to the name when omitted (its recorded answers show no reset), and echoing it costs nothing.
            return await this.client.patchConnection(id, {
                options: { ...connection.options, non_persistent_attrs: list },
                ...(typeof connection.display_name === "string" ? { display_name: connection.display_name } : {}),
            });
        } finally {
            queue.lastWriteAt = ++this.sequence;
        }
    }
}

/**
 * The live deny list of a connection. Refuses (throws) when options are missing: writing
 * without them would wipe every other setting of the connection.
 */
export function liveList(connection: Connection, doing: string): string[] {
    if (!connection.options) {
        throw new WriteError(
            `Cannot ${doing} connection ${connection.name} (${connection.id}): Auth0 returned it without options, ` +
                "so the token lacks the read:connections_options scope. Grant read:connections_options and " +
                "update:connections_options to the Machine-to-Machine application. Nothing was written.",
        );
    }
    const parsed = NonPersistentAttrsSchema.safeParse(connection.options.non_persistent_attrs);
    if (!parsed.success) {
        throw new WriteError(
            `Connection ${connection.name} (${connection.id}) has a non_persistent_attrs that is not a list of strings; ` +
                "fix it in the Auth0 dashboard or Management API first. Nothing was written.",
        );
    }
    return parsed.data ?? [];
}

// The PATCH response is the full connection: it must hold exactly the list that was sent.
function verify(result: Connection, sent: string[]): string | undefined {
    const stored = result.options ? NonPersistentAttrsSchema.safeParse(result.options.non_persistent_attrs) : undefined;
    const list = stored?.success ? (stored.data ?? []) : undefined;
    if (list && sameEntries(list, sent)) return undefined;
    const missing = list ? sent.filter((entry) => !list.includes(entry)) : sent;
    return (
        `Auth0 accepted the update of connection ${result.name} (${result.id}) but its answer does not hold the deny list sent` +
        (list
            ? ` (missing: ${JSON.stringify(missing)}; unexpected: ${JSON.stringify(list.filter((e) => !sent.includes(e)))})`
            : " (no options in the answer)") +
        ". Run `pulumi refresh` to see what Auth0 stored."
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
