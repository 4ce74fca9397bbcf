/**
 * `audit --require`: which connections do not deny every required entry. Pure: a report in,
 * the check out. It is how a CI schedule notices a deny list that another writer of the
 * connection (an `auth0.Connection` in another stack, the Deploy CLI, a script) wiped.
 */
import type { AuditedConnection, AuditReport, MissingRequired, RequiredCheck } from "./report";

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
        const missing = missingFrom(connection, attributes);
        return missing === undefined ? [] : [missing];
    });
    return {
        attributes: [...attributes],
        connections: checked.map((connection) => connection.name),
        lacking,
    };
}

// What `connection` lacks of `attributes`, with the entries its list holds in another case.
function missingFrom(connection: AuditedConnection, attributes: readonly string[]): MissingRequired | undefined {
    const live = new Set(connection.denyList);
    const missing = attributes.filter((attribute) => !live.has(attribute));
    if (missing.length === 0) return undefined;
    const otherCase = missing.flatMap((required) => {
        const listed = [...live].filter((entry) => entry.toLowerCase() === required.toLowerCase());
        return listed.length > 0 ? [{ required, listed }] : [];
    });
    return {
        connection: connection.name,
        connectionId: connection.id,
        missing,
        ...(otherCase.length > 0 ? { otherCase } : {}),
    };
}
