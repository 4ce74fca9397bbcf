/**
 * `diff`: compares checked inputs with the state of the last deployment, offline. Order and
 * duplicates are not changes; a different target connection is a delete-before-replace;
 * unknown values are reported as a possible change, never as "no change". A changed `triggers`
 * value is an update (which re-reads the connection and re-applies the list), never a replace.
 */
import type * as pulumi from "@pulumi/pulumi";
import { nameOf } from "./declaration";
import { sameEntries } from "./denylist";
import { containsUnknown, type State, StateSchema } from "./schema";
import { renamed } from "./write-plan";

/** Diffs `news` (checked inputs) against `olds` (the stored outputs). */
export function diffInputs(olds: Record<string, unknown>, news: Record<string, unknown>): pulumi.dynamic.DiffResult {
    const old = StateSchema.parse(olds);
    const replaces = retargeted(old, news);
    if (replaces.length > 0) {
        // Create-before-delete on one connection would let the old resource's delete remove
        // entries the new one just adopted, so the old one goes first.
        return { changes: true, replaces, deleteBeforeReplace: true };
    }
    // What an update never changes: it stays on its connection, in its tenant, the same resource.
    const renamedTo = news.connectionName !== undefined && news.connectionName === old.renamedTo;
    const stables = ["connectionId", ...(renamedTo ? [] : ["connectionName"]), "strategy", "tenant", "declaredBy"];
    const attributes = news.attributes;
    const exclusive = news.exclusive ?? false;
    // No triggers and an empty list mean the same: nothing to re-apply on.
    const triggers = news.triggers ?? [];
    if (containsUnknown(attributes) || containsUnknown(exclusive) || containsUnknown(triggers)) {
        return { changes: true, stables };
    }
    // An entry a refresh found lacking that the program no longer declares is let go by an
    // update: left in state, the next refresh that finds it live would report it as declared.
    const dropped = (old.lacking ?? []).some((entry) => !(attributes as string[]).includes(entry));
    const changed =
        renamedTo ||
        dropped ||
        !sameEntries(attributes as string[], old.attributes) ||
        exclusive !== old.exclusive ||
        !sameValue(triggers, old.triggers);
    return { changes: changed, stables };
}

/**
 * Deep equality of two JSON values, ignoring object key order (a Struct that crossed gRPC
 * need not keep it). Array order counts: triggers are positional, as in `@pulumi/command`.
 */
export function sameValue(a: unknown, b: unknown): boolean {
    return canonical(a) === canonical(b);
}

/** JSON text of a value with object keys sorted, recursively: equal values, equal text. */
export function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value)
            .filter(([, entry]) => entry !== undefined)
            .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
        return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonical(entry)}`).join(",")}}`;
    }
    return JSON.stringify(value) ?? "null";
}

// Which target fields force a replacement. An unknown target may be another connection. A
// connection renamed out of band (a refresh saw it) is the same connection under its new name,
// and under its old name an error: its list is never removed because a name stopped matching.
function retargeted(old: State, news: Record<string, unknown>): string[] {
    if (news.connectionId !== undefined) {
        return news.connectionId === old.connectionId ? [] : ["connectionId"];
    }
    if (old.renamedTo !== undefined && news.connectionName === old.renamedTo) return [];
    if (news.connectionName !== old.connectionName) return ["connectionName"];
    if (old.renamedTo !== undefined) {
        const resource = typeof news.declaredBy === "string" ? nameOf(news.declaredBy) : "this ConnectionDenyList";
        throw new Error(
            `${renamed({ id: old.connectionId, name: old.renamedTo }, old.connectionName, resource)} Nothing was written.`,
        );
    }
    return [];
}
