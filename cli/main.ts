#!/usr/bin/env node
/**
 * `pulumi-auth0-deny-list`, the package's command-line tool: `audit` a tenant's deny lists
 * (or compare two tenants), `adopt` them as a Pulumi program, and run the local `emulator`.
 * Against a tenant it is read-only: it sends GET requests (and the token request) and nothing
 * else. This module wires the parts together and turns every failure into one line on stderr
 * and exit code 2.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ClientOptions } from "../provider/auth0/client";
import { Auth0Error } from "../provider/auth0/errors";
import { redact } from "../provider/auth0/redact";
import { didYouMean } from "../provider/core/suggest";
import { adoptionCode } from "./adopt";
import { type Command, HELP, parseCommandLine, UsageError } from "./args";
import { auditConnections, compareReports } from "./audit";
import {
    bothCredentialsNote,
    type CliTenant,
    compareCredentials,
    hintTermsOf,
    primaryCredentials,
} from "./credentials";
import { serveEmulator } from "./emulator";
import { importFile } from "./imports";
import { renderAuditTable, renderCompareTable, renderJson, renderRequiredCheck } from "./render";
import type { AuditReport } from "./report";
import { checkRequired } from "./require";
import { readConnections } from "./tenant";

/** Exit code: done (no gate failed). */
export const EXIT_OK = 0;
/** Exit code: `--fail-on-findings` / `--fail-on-differences` and there were some, or `--require` unmet. */
export const EXIT_GATE = 1;
/** Exit code: the command could not run (usage, credentials, scopes, network, Auth0 error). */
export const EXIT_ERROR = 2;

/** Where the command line reads and writes; injectable so tests run it in-process. */
export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
    env: NodeJS.ProcessEnv;
    /** Directory that relative `--out` and `--compare` paths resolve against. */
    cwd: string;
    /** Whether stderr is a terminal: progress then rewrites one line instead of printing many. */
    interactive?: boolean;
    /** Passed to the Auth0 client (tests shorten retries with `sleep`). */
    clientOptions?: ClientOptions;
}

/** Runs the command line `argv` (without `node` and the script) and resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
    const secrets = [io.env.AUTH0_CLIENT_SECRET, io.env.AUTH0_API_TOKEN];
    try {
        const command = parseCommandLine(argv);
        switch (command.kind) {
            case "help":
                io.stdout(HELP[command.topic]);
                return EXIT_OK;
            case "audit":
                return await audit(command, io, secrets);
            case "adopt":
                return await adopt(command, io);
            case "emulator":
                return await serveEmulator(command, io);
        }
    } catch (error) {
        io.stderr(`error: ${describe(error, secrets)}\n`);
        return EXIT_ERROR;
    }
}

async function audit(command: Extract<Command, { kind: "audit" }>, io: CliIo, secrets: unknown[]): Promise<number> {
    const primary = primaryCredentials(command.target, io.env);
    // Both tenants' credentials are checked before anything is sent.
    const other =
        command.compare === undefined
            ? undefined
            : compareCredentials(command.compare, primary, io.cwd, command.sameCredentials);
    secrets.push(other?.credentials.clientSecret, other?.credentials.apiToken);
    const left = await auditTenant(primary, io);
    if (other === undefined) {
        const findingsFail = command.failOnFindings && left.summary.findings > 0;
        if (command.require.length === 0) {
            io.stdout(command.json ? renderJson(left) : renderAuditTable(left));
            return findingsFail ? EXIT_GATE : EXIT_OK;
        }
        ensureConnectionsExist(left, command.connections);
        const required = checkRequired(left, command.require, command.connections);
        // The JSON is the whole report plus the check; the text is the check's answer alone.
        io.stdout(
            command.json
                ? renderJson({ ...left, required })
                : renderRequiredCheck(left, required, command.failOnFindings),
        );
        return findingsFail || required.lacking.length > 0 ? EXIT_GATE : EXIT_OK;
    }
    const report = compareReports(left, await auditTenant(other, io));
    io.stdout(command.json ? renderJson(report) : renderCompareTable(report));
    const findings = report.left.summary.findings + report.right.summary.findings;
    const failed =
        (command.failOnFindings && findings > 0) || (command.failOnDifferences && report.differences.length > 0);
    return failed ? EXIT_GATE : EXIT_OK;
}

async function adopt(command: Extract<Command, { kind: "adopt" }>, io: CliIo): Promise<number> {
    const tenant = primaryCredentials(command.target, io.env);
    // Refuse before reading the tenant: a large one takes many requests to list.
    for (const file of [command.out, command.importFile]) {
        if (file !== undefined && !command.force && existsSync(path.resolve(io.cwd, file))) {
            throw new UsageError(alreadyExists(file));
        }
    }
    const report = await auditTenant(tenant, io);
    ensureConnectionsExist(report, command.connections);
    const only = command.connections.length > 0 ? command.connections : undefined;
    const adoption = adoptionCode(report, only, command.importFile);
    for (const name of command.connections) {
        if (!adoption.resources.some((resource) => resource.connection === name)) {
            io.stderr(`note: connection ${JSON.stringify(name)} has no deny list to adopt.\n`);
        }
    }
    if (command.importFile !== undefined) {
        const json = `${JSON.stringify(importFile(adoption.resources), null, 4)}\n`;
        writeOut(path.resolve(io.cwd, command.importFile), json, command.force, command.importFile);
    }
    if (command.out === undefined) {
        io.stdout(adoption.code);
    } else {
        writeOut(path.resolve(io.cwd, command.out), adoption.code, command.force, command.out);
    }
    const skipped = adoption.skipped.length;
    io.stderr(
        `adopt: ${adoption.resources.length} ConnectionDenyList resource(s)` +
            (command.out === undefined ? "" : ` written to ${command.out}`) +
            (skipped > 0 ? `; ${skipped} invalid entr${skipped === 1 ? "y" : "ies"} left out (see the comments)` : "") +
            ". `pulumi up` on them writes nothing to Auth0." +
            (command.importFile === undefined
                ? ""
                : ` Import file for the provider plugin: ${command.importFile} (\`pulumi import --file\` adopts the same lists).`) +
            "\n",
    );
    return EXIT_OK;
}

async function auditTenant(tenant: CliTenant, io: CliIo): Promise<AuditReport> {
    const note = bothCredentialsNote(tenant);
    if (note !== undefined) io.stderr(`${note}\n`);
    let pending = false;
    const progress = (line: string) => {
        pending = io.interactive === true;
        // On a terminal, rewrite one line (and clear what a longer previous one left).
        io.stderr(io.interactive ? `\r${line}\u001b[K` : `${line}\n`);
    };
    try {
        const connections = await readConnections(tenant.credentials, progress, {
            log: (line) => io.stderr(`${pending ? "\n" : ""}${line}\n`),
            ...io.clientOptions,
            terms: hintTermsOf(tenant),
        });
        return auditConnections(tenant.credentials.baseUrl, connections);
    } finally {
        if (pending) io.stderr("\n");
    }
}

// A connection named on the command line that the tenant does not have is a mistake to fix, not a finding.
function ensureConnectionsExist(report: AuditReport, names: readonly string[]): void {
    const known = report.connections.map((connection) => connection.name);
    const unknown = names.filter((name) => !known.includes(name));
    if (unknown.length > 0) {
        const suggestions = unknown.map((name) => didYouMean(name, known, true)).join("");
        throw new UsageError(
            `No connection named ${unknown.map((name) => JSON.stringify(name)).join(", ")} in ${report.tenant} ` +
                `(names are case-sensitive; run audit to list them).${suggestions}`,
        );
    }
}

function writeOut(file: string, code: string, force: boolean, shown: string): void {
    try {
        writeFileSync(file, code, { flag: force ? "w" : "wx" });
    } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code;
        if (reason === "EEXIST") throw new UsageError(alreadyExists(shown));
        throw new UsageError(`Cannot write ${shown} (${reason ?? "unknown error"}).`);
    }
}

function alreadyExists(shown: string): string {
    return `${shown} already exists: pass --force to overwrite it.`;
}

// One line, no stack trace, no secret.
function describe(error: unknown, secrets: unknown[]): string {
    let message = error instanceof Error ? error.message : String(error);
    if (error instanceof Auth0Error && error.status === 403) {
        message += " This tool needs read:connections and read:connections_options (it never writes).";
    }
    const known = secrets.filter((secret): secret is string => typeof secret === "string");
    return redact(message, known)
        .replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
        .trim();
}

if (require.main === module) {
    // `… | head` closes stdout early: that is not an error worth a stack trace.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE") throw error;
    });
    run(process.argv.slice(2), {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
        env: process.env,
        cwd: process.cwd(),
        interactive: process.stderr.isTTY === true,
    }).then((code) => {
        process.exitCode = code;
    });
}
