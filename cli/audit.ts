/**
 * The audit itself, pure: connections as the Management API returns them → a report with
 * findings; two reports → their differences. No I/O.
 */
import type { Connection } from "../provider/auth0/wire";
import { attributeProblem, MAX_ATTRIBUTE_LENGTH } from "../provider/core/schema";
import { type RootCopies, rootCopiesKept, rootCopiesProblem } from "../provider/core/stored-data";
import { truncate } from "../provider/core/text";
import { logsDeniedValues } from "../provider/host/context";
import { liveList } from "../provider/host/live-list";
import { attributeWarnings, caseWarnings } from "../provider/program/warnings";
import type { AuditedConnection, AuditReport, CompareReport, Difference, Finding } from "./report";

/**
 * Audits the connections of `tenant`. Every connection must carry its `options` (the caller
 * makes sure the token may read them); `null` deny lists read as empty.
 */
export function auditConnections(tenant: string, connections: readonly Connection[]): AuditReport {
    const audited = connections
        .map((connection) => ({
            id: connection.id,
            name: connection.name,
            strategy: connection.strategy,
            denyList: liveList(connection, "audit the deny list of"),
            samlDebug: logsDeniedValues(connection),
            rootCopies: rootCopiesKept(connection),
        }))
        .sort((a, b) => compareNames(a.name, b.name));
    const findings = audited.flatMap((connection) =>
        findingsOf(connection, connection.samlDebug, connection.rootCopies),
    );
    return {
        report: "audit",
        tenant,
        connections: audited.map(({ samlDebug: _debug, rootCopies: _copies, ...connection }) => connection),
        findings,
        summary: {
            connections: audited.length,
            withDenyList: audited.filter((connection) => connection.denyList.length > 0).length,
            findings: findings.length,
        },
    };
}

/**
 * Findings for one connection, in the order of its deny list, the connection's own last.
 * `rootCopies`: its sync setting when it keeps root-profile copies of denied attributes.
 */
export function findingsOf(connection: AuditedConnection, samlDebug: boolean, rootCopies?: RootCopies): Finding[] {
    const about = { connection: connection.name, connectionId: connection.id };
    const findings: Finding[] = [];
    for (const attribute of new Set(connection.denyList)) {
        const problem = attributeProblem(attribute);
        if (problem) {
            // Counted in code points, as the schema's limit is.
            const kind = [...attribute].length > MAX_ATTRIBUTE_LENGTH ? "too-long" : "not-root-field";
            findings.push({ ...about, kind, attribute, message: entryMessage(attribute, problem) });
            continue;
        }
        // attributeWarnings knows which entries have documented side effects (email, name, nickname).
        for (const warning of attributeWarnings([attribute])) {
            const kind = attribute === "email" ? "email-denied" : "name-denied";
            findings.push({ ...about, kind, attribute, message: warning });
        }
        // The program warns about the same entries when a resource declares them (`Given_Name`).
        for (const warning of caseWarnings([attribute])) {
            findings.push({ ...about, kind: "wrong-case", attribute, message: warning });
        }
    }
    if (samlDebug) {
        const denied = connection.denyList.length;
        findings.push({
            ...about,
            kind: "saml-debug",
            message:
                "Debug Mode is on: Auth0 writes SAML assertions to tenant logs, " +
                (denied > 0
                    ? `the ${denied} denied attribute(s) included; `
                    : "so any attribute denied later still appears there; ") +
                "turn it off outside troubleshooting.",
        });
    }
    // Without a deny list nothing is denied, so nothing stays behind.
    if (rootCopies && connection.denyList.length > 0) {
        findings.push({ ...about, kind: "root-copies-kept", message: rootCopiesProblem(rootCopies.setting) });
    }
    return findings;
}

// attributeProblem names the entry in most of its messages; say which entry when it does not.
function entryMessage(attribute: string, problem: string): string {
    if (problem.startsWith('"')) return problem;
    const shown = JSON.stringify(truncate(attribute));
    return `entry ${shown} ${problem}`;
}

/**
 * Compares the deny lists of two tenants by connection name: which entries one denies and the
 * other does not. A connection present in one tenant only differs by its whole list; one with
 * an empty list on both sides (or present on one side with an empty list) does not differ.
 */
export function compareReports(left: AuditReport, right: AuditReport): CompareReport {
    const leftByName = new Map(left.connections.map((connection) => [connection.name, connection]));
    const rightByName = new Map(right.connections.map((connection) => [connection.name, connection]));
    const names = [...new Set([...leftByName.keys(), ...rightByName.keys()])].sort(compareNames);
    const differences: Difference[] = [];
    for (const name of names) {
        const inLeft = leftByName.get(name);
        const inRight = rightByName.get(name);
        const leftList = new Set(inLeft?.denyList ?? []);
        const rightList = new Set(inRight?.denyList ?? []);
        const onlyLeft = [...leftList].filter((entry) => !rightList.has(entry)).sort();
        const onlyRight = [...rightList].filter((entry) => !leftList.has(entry)).sort();
        if (onlyLeft.length === 0 && onlyRight.length === 0) continue;
        const presentIn = inLeft && inRight ? "both" : inLeft ? "left" : "right";
        differences.push({ connection: name, presentIn, onlyLeft, onlyRight });
    }
    return { report: "compare", left, right, differences };
}

// Auth0 connection names are unique case-insensitively: sort the same way, ties by code point.
function compareNames(a: string, b: string): number {
    const folded = a.toLowerCase().localeCompare(b.toLowerCase(), "en");
    return folded !== 0 ? folded : a < b ? -1 : a > b ? 1 : 0;
}
