/**
 * What one resource carries about the others: the program's declarations merged per target, so
 * a resource's view grows with the distinct entries declared where it writes, never with the
 * number of resources (each entry names at most {@link NAMED_DECLARERS} declarers, and counts
 * the rest). The program builds views (program/registry.ts); the provider reads them, and the
 * records in state use the same {@link Declarers} shape. Pure.
 */
import { z } from "zod";
import { type Answer, type ConnectionFacts, type Declaration, type Reach, reaches } from "./declaration";

/**
 * Declarers named per entry. Enough to name them in a message and tell them apart for the usual
 * handful; beyond it only their number is kept, and every decision that needs the names keeps
 * the entry (over-deny), so the cap never removes what someone declares.
 */
export const NAMED_DECLARERS = 8;

const NamesSchema = z.object({ names: z.array(z.string()), complete: z.boolean() });

/** Who declares something: up to {@link NAMED_DECLARERS} URNs, sorted, and how many in all. */
export const DeclarersSchema = z.object({ by: z.array(z.string()), count: z.number().int().nonnegative() });

/** Who declares something. `count` ≥ `by.length`; the difference is declarers not named. */
export type Declarers = z.infer<typeof DeclarersSchema>;

const ReachSchema = z.discriminatedUnion("kind", [
    z.object({
        kind: z.literal("connection"),
        id: z.string().optional(),
        name: z.string().optional(),
        from: z.string().optional(),
    }),
    z.object({ kind: z.literal("tenant"), strategies: NamesSchema.optional(), excluded: NamesSchema }),
]);

/** The declarations that share one reach, merged: per entry who declares it. */
export const GroupSchema = z.object({
    reach: ReachSchema,
    entries: z.record(z.string(), DeclarersSchema),
    /** Declarers whose attributes are not known yet: they may declare any entry. */
    anyEntry: DeclarersSchema.optional(),
    /** Declarers that are exclusive. */
    exclusive: DeclarersSchema.optional(),
});

/** The declarations that share one reach, merged. */
export type Group = z.infer<typeof GroupSchema>;

/** A resource's view of the other resources of its program: every group that may share a connection with it. */
export const ViewSchema = z.array(GroupSchema);

/** A resource's view of the others. */
export type View = z.infer<typeof ViewSchema>;

/** No declarer. */
export const NOBODY: Declarers = { by: [], count: 0 };

/** `a` and `b` together; a URN named in both counts once. Unnamed ones are summed. */
export function union(a: Declarers, b: Declarers): Declarers {
    const by = new Set([...a.by, ...b.by]);
    const unnamed = a.count - a.by.length + (b.count - b.by.length);
    return capped([...by], by.size + unnamed);
}

/** Declarers from URNs (sorted, named up to the cap), and how many more are not named. */
export function capped(urns: readonly string[], count = urns.length): Declarers {
    const by = [...new Set(urns)].sort();
    return { by: by.slice(0, NAMED_DECLARERS), count: Math.max(count, by.length) };
}

/** Equal declarers: the same names and the same number. */
export function sameDeclarers(a: Declarers, b: Declarers): boolean {
    return a.count === b.count && a.by.length === b.by.length && a.by.every((urn, i) => urn === b.by[i]);
}

/**
 * Whether two reaches may write to one connection, by the reach rule: a connection target is a
 * connection as far as it is known; two tenant scopes share one unless one's strategies are all
 * outside the other's (then "no"; they never surely share one, as exclusions are by name).
 */
export function overlap(a: Reach, b: Reach): Answer {
    if (a.kind === "tenant" && b.kind === "tenant") {
        const strategies = a.strategies?.complete ? a.strategies.names : undefined;
        if (strategies === undefined) return "maybe";
        return strategies.every((strategy) => reaches(b, { strategy }) === "no") ? "no" : "maybe";
    }
    const [scope, target] = a.kind === "tenant" ? [a, b] : [b, a];
    return reaches(scope, factsOf(target));
}

/** What a connection target says of its connection, as facts another reach can be asked about. */
export function factsOf(reach: Reach): ConnectionFacts {
    return reach.kind === "connection" ? { id: reach.id, name: reach.name, from: reach.from } : {};
}

/**
 * Merges declarations into groups: connection targets known the same way (the same id, name or
 * source resource) share a group; a tenant scope or an unknown target is a group of its own.
 */
export function groupDeclarations(declarations: readonly Declaration[]): Group[] {
    const groups = new Map<
        string,
        { reach: Reach; entries: Map<string, string[]>; any: string[]; exclusive: string[] }
    >();
    for (const d of declarations) {
        const key = groupKey(d);
        let group = groups.get(key);
        if (!group) {
            group = { reach: d.reach, entries: new Map(), any: [], exclusive: [] };
            groups.set(key, group);
        }
        if (!d.attributes.complete) group.any.push(d.by);
        for (const entry of d.attributes.names) {
            const by = group.entries.get(entry);
            if (by) by.push(d.by);
            else group.entries.set(entry, [d.by]);
        }
        if (d.exclusive === true) group.exclusive.push(d.by);
    }
    // One more name than a view shows: a view leaves out its own resource and still names enough.
    const named = (by: string[]) => ({ by: [...new Set(by)].sort().slice(0, NAMED_DECLARERS + 1), count: by.length });
    return [...groups.values()].map(({ reach, entries, any, exclusive }) => ({
        reach,
        entries: Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([e, by]) => [e, named(by)])),
        ...(any.length > 0 ? { anyEntry: named(any) } : {}),
        ...(exclusive.length > 0 ? { exclusive: named(exclusive) } : {}),
    }));
}

// Connection targets known the same way share a group; a tenant scope or an unknown target is one of its own.
function groupKey(d: Declaration): string {
    return targetKey(d.reach) ?? `own\u0000${d.by}`;
}

/**
 * Groups looked up by target, so finding those that may share a connection with one declaration
 * costs what it finds, not the whole program: a group with another id (or name, or source) than
 * a declaration's own is surely elsewhere, so only groups known some other way, tenant scopes and
 * unknown targets need the reach rule.
 */
export class GroupIndex {
    private readonly keyed = new Map<string, Group>();
    private readonly byKind = new Map<string, Group[]>();
    private readonly order = new Map<Group, number>();

    constructor(readonly groups: readonly Group[]) {
        for (const [index, group] of groups.entries()) {
            this.order.set(group, index);
            const key = targetKey(group.reach);
            const kind = key?.split("\u0000")[0] ?? "other";
            if (key) this.keyed.set(key, group);
            this.byKind.set(kind, [...(this.byKind.get(kind) ?? []), group]);
        }
    }

    /** The groups that may write where `reach` does (the reach rule decides among them: viewOf). */
    candidates(reach: Reach): readonly Group[] {
        const key = targetKey(reach);
        if (reach.kind === "tenant" || !key) return this.groups;
        const [kind] = key.split("\u0000");
        const same = this.keyed.get(key);
        const others = ["id", "from", "name"].filter((k) => k !== kind).flatMap((k) => this.byKind.get(k) ?? []);
        // Two sources are surely apart only when both are auth0.Connection resources: keep the other sources.
        const sources = kind === "from" ? (this.byKind.get("from") ?? []).filter((g) => g !== same) : [];
        const found = [...(same ? [same] : []), ...sources, ...others, ...(this.byKind.get("other") ?? [])];
        // In the program's order, as the whole list would give them.
        return found.sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
    }
}

// The key of a connection target known one way (by id, source or name), or undefined.
function targetKey(reach: Reach): string | undefined {
    if (reach.kind === "tenant") return undefined;
    if (reach.id !== undefined) return `id\u0000${reach.id}`;
    if (reach.from !== undefined) return `from\u0000${reach.from}`;
    if (reach.name !== undefined) return `name\u0000${reach.name}`;
    return undefined;
}

/**
 * The view of `me`: every group that may share a connection with it, without `me` itself, each
 * entry's declarers capped. Groups that surely write elsewhere are left out, except for a tenant
 * scope: it may be releasing what it wrote on connections it covered before, so it sees all.
 */
export function viewOf(me: Declaration, groups: readonly Group[]): View {
    const view: View = [];
    for (const group of groups) {
        if (me.reach.kind !== "tenant" && overlap(me.reach, group.reach) === "no") continue;
        // Only where `me` is one of the declarers is a list made anew; every other one is shared.
        const own = isOwnGroup(group, me);
        const mine = new Set(own ? me.attributes.names : []);
        const entries: Record<string, Declarers> = {};
        for (const [entry, declarers] of Object.entries(group.entries)) {
            const others = mine.has(entry) ? leaving(declarers, me.by) : shown(declarers);
            if (others.count > 0) entries[entry] = others;
        }
        const anyEntry =
            group.anyEntry && (own && !me.attributes.complete ? leaving(group.anyEntry, me.by) : shown(group.anyEntry));
        const exclusive =
            group.exclusive &&
            (own && me.exclusive === true ? leaving(group.exclusive, me.by) : shown(group.exclusive));
        if (Object.keys(entries).length === 0 && !anyEntry?.count && !exclusive?.count) continue;
        view.push({
            reach: group.reach,
            entries,
            ...(anyEntry?.count ? { anyEntry } : {}),
            ...(exclusive?.count ? { exclusive } : {}),
        });
    }
    return view;
}

// A group's declarers (sorted, one more named than a view shows) as a view shows them.
function shown(declarers: Declarers): Declarers {
    return declarers.by.length <= NAMED_DECLARERS
        ? declarers
        : { by: declarers.by.slice(0, NAMED_DECLARERS), count: declarers.count };
}

// A group's declarers less `me`, who declares it: named (then among the first), or only counted
// when more declare it than are named.
function leaving(declarers: Declarers, me: string): Declarers {
    const by = declarers.by.filter((urn) => urn !== me);
    const counted = by.length < declarers.by.length || declarers.count > declarers.by.length;
    return shown({ by, count: counted ? declarers.count - 1 : declarers.count });
}

// The group `me` was merged into: the one of its target, or, for a tenant scope or an unknown
// target (a group of one), the one that names it.
function isOwnGroup(group: Group, me: Declaration): boolean {
    const key = targetKey(me.reach);
    if (key !== undefined) return key === targetKey(group.reach);
    const lists = [...Object.values(group.entries), group.anyEntry, group.exclusive];
    return lists.some((declarers) => declarers?.by.includes(me.by));
}

/**
 * Who in `view` declares `entry` on the connection `facts` describes (surely or maybe): the
 * groups that may reach it, their declarers of the entry and those whose entries are unknown.
 */
export function viewDeclarers(view: View, facts: ConnectionFacts, entry: string): Declarers {
    let found = NOBODY;
    for (const group of view) {
        if (reaches(group.reach, facts) === "no") continue;
        const declarers = group.entries[entry];
        if (declarers) found = union(found, declarers);
        if (group.anyEntry) found = union(found, group.anyEntry);
    }
    return found;
}

/** The exclusive declarers in `view` that surely write to the connection `facts` describes. */
export function viewExclusive(view: View, facts: ConnectionFacts): Declarers {
    let found = NOBODY;
    for (const group of view) {
        if (group.exclusive && reaches(group.reach, facts) === "yes") {
            found = union(found, group.exclusive);
        }
    }
    return found;
}
