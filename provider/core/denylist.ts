/**
 * The deny-list algebra: pure functions over lists of attribute names. No I/O lives here, so
 * every rule about what a resource may add, keep or remove can be read (and property-tested)
 * without knowing HTTP or Pulumi.
 */

/** De-duplicates and sorts (by UTF-16 code unit, JavaScript string order): the canonical form stored in state. */
export function normalise(attributes: readonly string[]): string[] {
    return [...new Set(attributes)].sort(byCodePoint);
}

function byCodePoint(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** True when both lists hold the same entries, ignoring order and duplicates. */
export function sameEntries(a: readonly string[], b: readonly string[]): boolean {
    const left = new Set(a);
    const right = new Set(b);
    return left.size === right.size && [...left].every((entry) => right.has(entry));
}

/**
 * What one resource wants done to a connection's live deny list.
 *
 * - `ensure`: the declared attributes must be on the list. In exclusive mode the list becomes
 *   exactly `declared`; in merge mode, `previouslyOwned` entries no longer declared are removed
 *   and everything else is left alone.
 * - `release`: remove `remove` (what the resource owned, or declared in exclusive mode).
 */
export type Intent =
    | { kind: "ensure"; declared: readonly string[]; exclusive: boolean; previouslyOwned: readonly string[] }
    | { kind: "release"; remove: readonly string[] };

/** The list after applying an intent, and what the resource owns afterwards. */
export interface Outcome {
    /** The next live list. Equal to the input array (same entries, same order) when nothing changes. */
    next: string[];
    /** Entries this resource wrote and may later remove. */
    owned: string[];
}

/**
 * Applies one intent to a live list. The live order is kept and new entries are appended in
 * sorted order, so a list that already satisfies the intent comes back unchanged and no write
 * is needed. `keep` holds entries other resources declare: a merge-mode removal never takes
 * them off the list (a rename, an attribute moved between resources), and an owned entry kept
 * that way stays owned. `stackWritten` holds entries other resources of the stack wrote: a
 * declared one is owned too, so whichever declarer goes last removes it.
 */
export function applyIntent(
    live: readonly string[],
    intent: Intent,
    keep: ReadonlySet<string> = new Set(),
    stackWritten: ReadonlySet<string> = new Set(),
): Outcome {
    if (intent.kind === "release") {
        const remove = new Set(intent.remove.filter((entry) => !keep.has(entry)));
        return { next: live.filter((entry) => !remove.has(entry)), owned: [] };
    }
    const declared = normalise(intent.declared);
    const liveSet = new Set(live);
    if (intent.exclusive) {
        const next = sameEntries(live, declared) ? [...live] : declared;
        return { next, owned: declared };
    }
    const declaredSet = new Set(declared);
    const dropped = new Set(intent.previouslyOwned.filter((entry) => !declaredSet.has(entry) && !keep.has(entry)));
    const kept = live.filter((entry) => !dropped.has(entry));
    const added = declared.filter((entry) => !liveSet.has(entry));
    const ours = new Set([...intent.previouslyOwned, ...stackWritten]);
    // An entry kept only because another resource declares it stays owned: this resource wrote
    // it, and removes it once nobody else declares it.
    const keptForOthers = intent.previouslyOwned.filter((e) => !declaredSet.has(e) && keep.has(e) && liveSet.has(e));
    const owned = normalise([...declared.filter((entry) => ours.has(entry)), ...added, ...keptForOthers]);
    return { next: [...kept, ...added], owned };
}

/** What an intent would take off the list if nothing else declared it. */
export function removals(intent: Intent): string[] {
    if (intent.kind === "release") return [...intent.remove];
    if (intent.exclusive) return [];
    const declared = new Set(intent.declared);
    return intent.previouslyOwned.filter((entry) => !declared.has(entry));
}

/** True when `next` differs from `live` as written (entries or order), i.e. a write is needed. */
export function isChange(live: readonly string[], next: readonly string[]): boolean {
    return live.length !== next.length || live.some((entry, index) => entry !== next[index]);
}

/**
 * What a refresh reports as the resource's attributes: in merge mode the declared entries still
 * live (so a removed entry shows as drift), in exclusive mode the whole live list.
 */
export function observedAttributes(live: readonly string[], declared: readonly string[], exclusive: boolean): string[] {
    if (exclusive) {
        return normalise(live);
    }
    const present = new Set(live);
    return normalise(declared.filter((entry) => present.has(entry)));
}
