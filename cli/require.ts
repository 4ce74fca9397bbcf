/**
 * `audit --require`: which connections do not deny every required entry. Pure: a report in,
 * the check out. It is how a CI schedule notices a deny list that another writer of the
 * connection (an `auth0.Connection` in another stack, the Deploy CLI, a script) wiped.
 */
import type { AuditReport, RequiredCheck } from "./report";

/**
 * Checks that every connection named in `connections` (all of them when empty) denies each of
 * `attributes`. The caller has made sure the names exist.
 */
export function checkRequired(
    report: AuditReport,
    attributes: readonly string[],
    connections: readonly string[],
): RequiredCheck {
    const only = new Set(connections);
    const checked = report.connections.filter((connection) => only.size === 0 || only.has(connection.name));
    const lacking = checked.flatMap((connection) => {
        const live = new Set(connection.denyList);
        const missing = attributes.filter((attribute) => !live.has(attribute));
        return missing.length > 0 ? [{ connection: connection.name, connectionId: connection.id, missing }] : [];
    });
    return {
        attributes: [...attributes],
        connections: checked.map((connection) => connection.name),
        lacking,
    };
}
