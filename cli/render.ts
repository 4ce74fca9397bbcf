/**
 * Output of the reports: a readable table for people, JSON for machines. Pure (returns text).
 * Tenant data shown in the table goes through {@link shown}, so an entry with control
 * characters cannot drive the terminal.
 */
import { truncate } from "../provider/core/text";
import type { AuditReport, CompareReport, RequiredCheck } from "./report";

/** The report as JSON, as `--json` prints it (validated by the schemas in report.ts). */
export function renderJson(report: AuditReport | CompareReport): string {
    return `${JSON.stringify(report, null, 2)}\n`;
}

/** The audit of one tenant: every connection with its strategy and deny list, then the findings. */
export function renderAuditTable(report: AuditReport): string {
    const { summary } = report;
    const lines = [
        `Tenant ${shown(report.tenant)}: ${count(summary.connections, "connection")}, ` +
            `${summary.withDenyList} with a deny list, ${count(summary.findings, "finding")}`,
        "",
        ...table(
            ["CONNECTION", "STRATEGY", "DENY LIST"],
            report.connections.map((connection) => [
                shown(connection.name),
                shown(connection.strategy),
                connection.denyList.length > 0 ? connection.denyList.map(shown).join(", ") : "-",
            ]),
        ),
        "",
        ...findingLines(report),
    ];
    return `${lines.join("\n")}\n`;
}

/**
 * The answer of `audit --require`, first: the verdict, then each connection lacking entries with
 * the entries it lacks (and a hint when its list holds one in another case). The rest of the audit
 * is left out: its findings follow only when `withFindings` (`--fail-on-findings` makes them part
 * of the exit code); otherwise one line says how many there are.
 */
export function renderRequiredCheck(report: AuditReport, required: RequiredCheck, withFindings: boolean): string {
    const lines = requiredLines(report.tenant, required);
    if (withFindings) {
        lines.push("", ...findingLines(report));
    } else if (report.summary.findings > 0) {
        const findings = count(report.summary.findings, "finding");
        lines.push(
            "",
            `Not part of this check: ${findings} in the tenant's audit; run audit without --require to list them.`,
        );
    }
    return `${lines.join("\n")}\n`;
}

function findingLines(report: AuditReport): string[] {
    if (report.findings.length === 0) return ["No findings."];
    return [
        "Findings:",
        ...table(
            undefined,
            report.findings.map((finding) => [shown(finding.connection), finding.kind, oneLine(finding.message)]),
        ).map((line) => `  ${line}`),
    ];
}

// The verdict, then one line per connection lacking entries, naming them; a case hint under it.
function requiredLines(tenant: string, required: RequiredCheck): string[] {
    const entries = required.attributes.map(shown).join(", ");
    const checked = `${count(required.connections.length, "connection")} checked in ${shown(tenant)}`;
    if (required.lacking.length === 0) {
        return [`Required entries (${entries}): denied on all ${checked}.`];
    }
    const rows = table(
        undefined,
        required.lacking.map((lacking) => [
            shown(lacking.connection),
            `(${shown(lacking.connectionId)})`,
            `lacks ${lacking.missing.map(shown).join(", ")}`,
        ]),
    );
    return [
        `Required entries (${entries}): MISSING on ${required.lacking.length} of ${checked}:`,
        ...required.lacking.flatMap((lacking, index) => [
            `  ${rows[index]}`,
            ...(lacking.otherCase ?? []).map(
                ({ required, listed }) =>
                    `      Auth0 compares names exactly: the list has ${listed.map(quoted).join(", ")}, not ${quoted(required)}.`,
            ),
        ]),
    ];
}

/** The comparison of two tenants: per connection name, the entries denied on one side only. */
export function renderCompareTable(report: CompareReport): string {
    const left = shown(report.left.tenant);
    const right = shown(report.right.tenant);
    const lines = [`Comparing deny lists of ${left} (left) and ${right} (right), by connection name:`, ""];
    if (report.differences.length === 0) {
        lines.push(`No differences: both tenants deny the same entries on every connection.`);
    }
    for (const difference of report.differences) {
        const absent =
            difference.presentIn === "left"
                ? ` (no such connection in ${right})`
                : difference.presentIn === "right"
                  ? ` (no such connection in ${left})`
                  : "";
        lines.push(`${shown(difference.connection)}${absent}`);
        if (difference.onlyLeft.length > 0) {
            lines.push(`  denied only in ${left}: ${difference.onlyLeft.map(shown).join(", ")}`);
        }
        if (difference.onlyRight.length > 0) {
            lines.push(`  denied only in ${right}: ${difference.onlyRight.map(shown).join(", ")}`);
        }
    }
    lines.push(
        "",
        `${count(report.differences.length, "connection")} differ. ` +
            `Findings: ${report.left.summary.findings} in ${left}, ${report.right.summary.findings} in ${right}` +
            (report.left.summary.findings + report.right.summary.findings > 0
                ? " (run audit on each for details)."
                : "."),
    );
    return `${lines.join("\n")}\n`;
}

/**
 * Tenant data as it is safe and unambiguous to print: quoted (JSON) when it is empty, has
 * edge whitespace, a comma, or a control or format character; shortened past 60 characters.
 */
export function shown(value: string): string {
    const short = truncate(value);
    return /^$|^\s|\s$|,|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(value) ? visible(JSON.stringify(short)) : short;
}

// Always quoted, so a case difference reads plainly: "gender", not "Gender".
function quoted(value: string): string {
    return visible(JSON.stringify(truncate(value)));
}

function count(n: number, noun: string): string {
    return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function oneLine(text: string): string {
    return visible(text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " "));
}

// Format characters (bidi overrides, zero-width…) that JSON leaves as they are, written as escapes.
function visible(text: string): string {
    return text.replace(/[\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// Left-aligned columns; the last column is not padded.
function table(header: string[] | undefined, rows: string[][]): string[] {
    const all = header ? [header, ...rows] : rows;
    const widths = all[0]?.map((_, column) => Math.max(...all.map((row) => row[column].length))) ?? [];
    return all.map((row) =>
        row
            .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
            .join("  ")
            .trimEnd(),
    );
}
