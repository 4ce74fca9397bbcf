/**
 * The writer's planning as a pure function: from the deny list a GET returned, the operations
 * queued for that connection and what each knows of the others, to the list the PATCH sends and
 * each operation's result. The writer (host/writer.ts) only reads, calls this, writes and
 * retries; every rule about what is added, kept, owned or refused is here.
 */
import { type ConnectionFacts, type Declaration, nameOf } from "./declaration";
import { applyIntent, type Intent, isChange, removals } from "./denylist";
import { exclusiveProblem, othersDeclaring, recordOf, type SharedWith, type Sources, stackWritten } from "./ownership";
import { MAX_ATTRIBUTES } from "./schema";
import type { Declarers } from "./view";

/** The connection as the GET returned it. */
export interface ReadConnection {
    id: string;
    name: string;
    strategy: string;
    /** Its deny list. */
    live: readonly string[];
}

/** One resource's operation on the connection. */
export interface Operation {
    /** The resource's identity (URN). */
    by: string;
    intent: Intent;
    /** What it declares (a create or update), for the exclusive check; none for a release. */
    declaration?: Declaration;
    /** What it knows of the other resources. */
    sources: Sources;
    /** The source resource its connection id came from, in the program (see declaration.ts). */
    from?: string;
    /** The connection name the program declared: a connection renamed since is refused, never written. */
    expectedName?: string;
}

/** What the plan does for one operation. */
export type OperationPlan =
    | {
          kind: "applied";
          /** Entries the resource owns on the connection afterwards. */
          owned: string[];
          /** Entries it would have removed but others declare, with them: they stay. */
          kept: SharedWith;
          /** Its record: for each owned entry, who else declares it. */
          sharedWith: SharedWith;
      }
    | { kind: "refused"; reason: string };

/** The plan for one read–modify–write. */
export interface WritePlan {
    /** The list to send; equal to the live one (same entries, same order) when nothing changes. */
    next: string[];
    /** True when `next` differs from the live list: a PATCH is needed. */
    changes: boolean;
    /** One result per operation, in order. */
    results: OperationPlan[];
}

/**
 * Applies the operations in order. One that cannot hold (an exclusive list beside another, a list
 * past Auth0's limit, a renamed connection) is refused alone and changes nothing, so one resource
 * cannot fail the others batched with it. An entry an operation would remove but another resource
 * declares stays; an entry another resource of the stack wrote, or an earlier operation of the
 * batch added, is owned by each that declares it.
 */
export function planWrite(connection: ReadConnection, operations: readonly Operation[]): WritePlan {
    let next = [...connection.live];
    const addedHere = new Set<string>();
    const results = operations.map((operation): OperationPlan => {
        const facts: ConnectionFacts = {
            id: connection.id,
            name: connection.name,
            strategy: connection.strategy,
            from: operation.from,
        };
        const refusal = refusalOf(connection, operation, facts);
        if (refusal) return { kind: "refused", reason: refusal };
        const kept: SharedWith = {};
        for (const entry of removals(operation.intent)) {
            const others: Declarers = othersDeclaring(entry, operation.by, facts, operation.sources);
            if (others.count > 0) kept[entry] = others;
        }
        const written = stackWritten(operation.by, connection.id, operation.sources.ledger);
        for (const entry of addedHere) written.add(entry);
        const outcome = applyIntent(next, operation.intent, new Set(Object.keys(kept)), written);
        if (outcome.next.length > MAX_ATTRIBUTES)
            return { kind: "refused", reason: tooLong(connection, outcome.next.length) };
        for (const entry of outcome.next) if (!next.includes(entry)) addedHere.add(entry);
        next = outcome.next;
        const sharedWith = recordOf(outcome.owned, operation.by, facts, operation.sources);
        return { kind: "applied", owned: outcome.owned, kept, sharedWith };
    });
    return { next, changes: isChange(connection.live, next), results };
}

function refusalOf(connection: ReadConnection, operation: Operation, facts: ConnectionFacts): string | undefined {
    if (operation.expectedName !== undefined && operation.expectedName !== connection.name) {
        return renamed(connection, operation.expectedName, nameOf(operation.by));
    }
    return operation.declaration && exclusiveProblem(operation.declaration, facts, operation.sources);
}

function tooLong(connection: ReadConnection, length: number): string {
    return (
        `The deny list of connection ${connection.name} (${connection.id}) would have ${length} entries; ` +
        `Auth0 accepts at most ${MAX_ATTRIBUTES}. Remove entries (here or on the connection) first.`
    );
}

/**
 * The error for a connection declared by name and renamed out of band: its list stays where it
 * is, and nothing is written until the program and the tenant agree again.
 */
export function renamed(connection: { id: string; name: string }, declared: string, resource: string): string {
    return (
        `Connection ${connection.id} was renamed from ${JSON.stringify(declared)} to ${JSON.stringify(connection.name)} ` +
        `outside Pulumi; ${JSON.stringify(resource)} declares it by its old name. Its deny list stays as it is. ` +
        `Rename the connection back, or declare connectionName ${JSON.stringify(connection.name)}, or ` +
        `connectionId ${JSON.stringify(connection.id)}.`
    );
}
