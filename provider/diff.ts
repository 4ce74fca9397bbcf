/**
 * `diff`: compares checked inputs with the state of the last deployment, offline. Order and
 * duplicates are not changes; a different target connection is a delete-before-replace;
 * unknown values are reported as a possible change, never as "no change".
 */
import type * as pulumi from "@pulumi/pulumi";
import { containsUnknown } from "./check";
import { sameEntries } from "./denylist";
import { StateSchema } from "./schema";

/** Diffs `news` (checked inputs) against `olds` (the stored outputs). */
export function diffInputs(olds: Record<string, unknown>, news: Record<string, unknown>): pulumi.dynamic.DiffResult {
    const old = StateSchema.parse(olds);
    const replaces = retargeted(old, news);
    if (replaces.length > 0) {
        // Create-before-delete on one connection would let the old resource's delete remove
        // entries the new one just adopted, so the old one goes first.
        return { changes: true, replaces, deleteBeforeReplace: true };
    }
    const attributes = news.attributes;
    const exclusive = news.exclusive ?? false;
    if (containsUnknown(attributes) || containsUnknown(exclusive)) {
        return { changes: true };
    }
    const changed = !sameEntries(attributes as string[], old.attributes) || exclusive !== old.exclusive;
    return { changes: changed };
}

// Which target fields force a replacement. An unknown target may be another connection.
function retargeted(old: { connectionId: string; connectionName: string }, news: Record<string, unknown>): string[] {
    if (news.connectionId !== undefined) {
        return news.connectionId === old.connectionId ? [] : ["connectionId"];
    }
    return news.connectionName === old.connectionName ? [] : ["connectionName"];
}
