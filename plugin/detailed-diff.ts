/**
 * What `pulumi preview --diff` shows for a resource: per input property, whether it is added,
 * changed or removed, and whether that replaces the resource. The engine takes a path's old value
 * from the old outputs and its new value from the new inputs (`TranslateDetailedDiff`,
 * pkg/engine/detailedDiff.go, pulumi/pulumi v3.248.0), so a property that is an output only cannot
 * be shown: it would render as deleted. The connections a TenantDenyList writes because a refresh
 * found them lacking entries are named in a diagnostic instead ({@link pendingWrites}). Pure.
 */
import { normalise, sameEntries } from "../provider/core/denylist";
import { sameValue } from "../provider/core/diff";
import { containsUnknown } from "../provider/core/schema";
import type { Diffed } from "./operation";
import type { Props } from "./secrets";

/** How one property changes. */
export type PropertyChange = "add" | "delete" | "update" | "add-replace" | "delete-replace" | "update-replace";

// How stored outputs and checked inputs compare per property: lists as sets, absent as the default.
// The target (connectionId / connectionName) is not compared: the outputs always name both, the
// inputs one, and the diff's `replaces` already says whether it moved.
const SAME: Readonly<Record<string, (old: unknown, next: unknown) => boolean>> = {
    attributes: (old, next) => sameEntries(strings(old), strings(next)),
    excludeConnections: (old, next) => sameEntries(strings(old), strings(next)),
    strategies: (old, next) => sameValue(old, Array.isArray(next) ? normalise(strings(next)) : next),
    exclusive: (old, next) => (old ?? false) === (next ?? false),
    triggers: (old, next) => sameValue(old ?? [], next ?? []),
};

/**
 * The detailed diff of `news` (checked inputs) against `olds` (stored outputs) over the resource's
 * `inputs`, given the diff's verdict: empty when nothing changes.
 */
export function detailedDiff(
    inputs: readonly string[],
    olds: Props,
    news: Props,
    diff: Diffed,
): Record<string, PropertyChange> {
    if (diff.changes === false) return {};
    const changes: Record<string, PropertyChange> = {};
    for (const name of inputs) {
        const replaces = diff.replaces.includes(name);
        const [old, next] = [olds[name], news[name]];
        const same = SAME[name];
        const changed = containsUnknown(next) || (same ? !same(old, next) : replaces);
        if (!changed) continue;
        const kind = old === undefined ? "add" : next === undefined ? "delete" : "update";
        changes[name] = replaces ? `${kind}-replace` : kind;
    }
    return changes;
}

/**
 * The covered connections a TenantDenyList update writes because its stored outputs say they lack
 * entries (a refresh found them so, or a write failed), as `name (entries)`.
 */
export function pendingWrites(olds: Props): string[] {
    const connections = Array.isArray(olds.connections) ? (olds.connections as Props[]) : [];
    return connections
        .filter((c) => strings(c.lacking).length > 0)
        .map((c) => `${String(c.name)} (${strings(c.lacking).join(", ")})`);
}

function strings(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : [];
}
