/**
 * Who else declares an entry a resource is about to remove, and what a resource records about
 * it. Merge mode promises that a resource removes only what the stack wrote and never an entry
 * another resource of the stack declares on that connection, under every Pulumi command
 * (DESIGN.md §3). No single source sees every resource:
 *
 * - the **ledger** (host/ledger.ts) holds what this provider process saw: the resources it
 *   diffed, wrote, read or deleted, with what they own; under a plain `up` that is the whole
 *   program, under `--target` only the targets, under `destroy` the ones being deleted;
 * - the **view** travels in a resource's own inputs: what the other resources of the program
 *   declared when it ran (the program runs whole even under `--target`);
 * - the **record** is what the resource's state noted at its last write: for each entry it owns,
 *   who else declared it (the only source a `destroy --target` has).
 *
 * A resource the ledger has seen is judged by the ledger; otherwise by the view (a create or
 * update) and the record. When in doubt the entry stays. Pure.
 */
import { type ConnectionFacts, type Declaration, declares, exclusiveConflict, nameOf, reaches } from "./declaration";
import { capped, type Declarers, NOBODY, sameDeclarers, type View, viewDeclarers, viewExclusive } from "./view";

/** What the provider process knows of one resource it has seen. */
export interface Seen {
    declaration: Declaration;
    /** Entries it owns, per connection id. */
    owned: Readonly<Record<string, readonly string[]>>;
}

/** The ledger as one operation on one connection sees it. */
export interface LedgerSnapshot {
    /** Resources this process has seen that still exist and may bear on the connection. */
    current: readonly Seen[];
    /** Resources this process deleted, with what they declared. */
    released: readonly Declaration[];
    /** Per connection id: entries a deleted resource wrote, and kept for others. The stack wrote them. */
    pending: Readonly<Record<string, readonly string[]>>;
    /** Whether this process has seen `by` (wherever it is): then what the ledger says of it wins. */
    knows(by: string): "current" | "released" | undefined;
}

/** Per entry, who else declares it: a resource's record of its owned entries, kept in state. */
export type SharedWith = Record<string, Declarers>;

/** What one operation of the resource `me` knows of the others. */
export interface Sources {
    ledger: LedgerSnapshot;
    /** The program's view (a create or update of a resource declared by a program). */
    view?: View;
    /** The record in the resource's state for this connection. */
    record?: SharedWith;
}

/**
 * Who besides `me` declares `entry` on the connection `facts` describes: the ledger's resources
 * that may reach it and may declare it; then, for resources the ledger has not seen, the view and
 * the record. Recorded resources the ledger saw deleted no longer count; of the record's unnamed
 * declarers, one fewer for each deleted declarer it does not name.
 */
export function othersDeclaring(entry: string, me: string, facts: ConnectionFacts, sources: Sources): Declarers {
    const { ledger, view, record } = sources;
    const seen = (by: string) => ledger.knows(by) === "current";
    const named = new Set<string>();
    for (const { declaration: d } of ledger.current) {
        if (d.by !== me && reaches(d.reach, facts) !== "no" && declares(d, entry) !== "no") named.add(d.by);
    }
    let unnamed = 0;
    if (view) {
        // A deleted resource the program still declares is one being replaced: it declares again soon.
        const declarers = viewDeclarers(view, facts, entry);
        for (const by of declarers.by) if (by !== me && !seen(by)) named.add(by);
        unnamed = declarers.count - declarers.by.length;
    }
    // The record counts too: a co-declarer the program no longer declares may still be in state
    // (an `up --target` leaves it there), and a plain `up` has seen every resource of the program.
    if (record?.[entry]) {
        const declarers = record[entry];
        for (const by of declarers.by) if (by !== me && ledger.knows(by) === undefined) named.add(by);
        const unnamedReleased = ledger.released.filter(
            (d) => !declarers.by.includes(d.by) && reaches(d.reach, facts) !== "no" && declares(d, entry) !== "no",
        ).length;
        unnamed = Math.max(unnamed, declarers.count - declarers.by.length - unnamedReleased);
    }
    return capped([...named], named.size + unnamed);
}

/**
 * The record `me` keeps of `owned` entries: who else declares each. From the view when there is
 * one, and from nothing else, so the same program always gives the same record (a diff compares
 * them); otherwise from the ledger and the previous record.
 */
export function recordOf(owned: readonly string[], me: string, facts: ConnectionFacts, sources: Sources): SharedWith {
    const record: SharedWith = {};
    for (const entry of owned) {
        const declarers = sources.view
            ? others(viewDeclarers(sources.view, facts, entry), me)
            : othersDeclaring(entry, me, facts, sources);
        if (declarers.count > 0) record[entry] = declarers;
    }
    return record;
}

function others(declarers: Declarers, me: string): Declarers {
    return declarers.by.includes(me)
        ? capped(
              declarers.by.filter((by) => by !== me),
              declarers.count - 1,
          )
        : declarers;
}

/**
 * True when a resource's record of its `owned` entries is not what its view now gives: its next
 * `destroy --target` would keep or remove the wrong entries, so it takes an update that writes
 * the record anew (a GET, no PATCH unless something else changed).
 */
export function staleRecord(
    owned: readonly string[],
    recorded: SharedWith,
    me: string,
    facts: ConnectionFacts,
    sources: Sources,
): boolean {
    const expected = recordOf(owned, me, facts, sources);
    return owned.some((entry) => !sameDeclarers(expected[entry] ?? NOBODY, recorded[entry] ?? NOBODY));
}

/**
 * Entries of this connection that other resources of the stack wrote: what they own here, and
 * what a deleted resource kept for others. A resource that declares one of them owns it with
 * them, so whichever of them goes last removes it.
 */
export function stackWritten(me: string, connectionId: string, ledger: LedgerSnapshot): Set<string> {
    const written = new Set(ledger.pending[connectionId] ?? []);
    for (const seen of ledger.current) {
        if (seen.declaration.by === me) continue;
        for (const entry of seen.owned[connectionId] ?? []) written.add(entry);
    }
    return written;
}

/**
 * Why `mine` cannot be written to the connection `facts` describes, or undefined: an exclusive
 * declaration beside any other surely on that connection, as the ledger and the view tell.
 */
export function exclusiveProblem(mine: Declaration, facts: ConnectionFacts, sources: Sources): string | undefined {
    const seen = (by: string) => sources.ledger.knows(by) === "current";
    const sure = sources.ledger.current
        .map((s) => s.declaration)
        .filter((d) => d.by !== mine.by && reaches(d.reach, facts) === "yes");
    const fromView = (sources.view ?? []).filter((g) => reaches(g.reach, facts) === "yes");
    const urns = (list: readonly string[]) => list.filter((by) => by !== mine.by && !seen(by));
    const viewed = fromView.flatMap((g) =>
        urns([...Object.values(g.entries).flatMap((d) => d.by), ...(g.anyEntry?.by ?? [])]),
    );
    const exclusive = urns(viewExclusive(fromView, facts).by);
    const againstMine = mine.exclusive === true ? [...sure.map((d) => d.by), ...viewed] : [];
    const against = [...new Set([...againstMine, ...sure.filter((d) => d.exclusive).map((d) => d.by), ...exclusive])];
    if (against.length === 0) return undefined;
    const label = `Connection ${facts.name ?? facts.id} (${facts.id})`;
    const declarations = against.map(
        (by) => sure.find((d) => d.by === by) ?? { by, reach: mine.reach, attributes: { names: [], complete: false } },
    );
    return exclusiveConflict(label, mine, declarations);
}

/** One line saying an entry stays because others declare it. */
export function keptLine(entry: string, connection: { id: string; name: string }, declarers: Declarers): string {
    const names = declarers.by.map((urn) => JSON.stringify(nameOf(urn)));
    const more = declarers.count - declarers.by.length;
    const who = more > 0 ? `${names.join(", ")}${names.length > 0 ? " and " : ""}${more} more` : names.join(", ");
    return `keeping ${JSON.stringify(entry)} on connection ${connection.name} (${connection.id}): ${who} declare${declarers.count === 1 ? "s" : ""} it`;
}
