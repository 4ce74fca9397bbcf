/**
 * Shared setup of the command-line tests: a 120-connection tenant holding a finding of every
 * kind, an in-process runner of the command line that captures its output, and a runner of the
 * code `adopt` generates.
 */

import assert from "node:assert/strict";
import vm from "node:vm";
import ts from "typescript";
import { type CliIo, run } from "../../cli/main";
import type { AuditReport } from "../../cli/report";
import type { Connection, Emulator } from "../../emulator";
import { builtInSeed } from "../../emulator/seed";

/** Connections in {@link bigSeed}: more than one page of 100. */
export const BIG_TENANT_SIZE = 120;

/** An entry over Auth0's 255-character limit (seeded directly: a PATCH would be refused). */
export const LONG_ENTRY = `https://acme.com/claims/${"x".repeat(280)}`;

/** Findings {@link bigSeed} must produce: [connection, kind, attribute?]. */
export const EXPECTED_FINDINGS: [string, string, string | undefined][] = [
    ["acme-saml", "saml-debug", undefined],
    ["legacy-db", "not-root-field", "user.name"],
    ["legacy-db", "not-root-field", "user_metadata.ssn"],
    ["legacy-db", "not-root-field", "address.country"],
    ["long-claims", "too-long", LONG_ENTRY],
    ["marketing-db", "email-denied", "email"],
    ["partner-saml", "saml-debug", undefined],
    ["profile-db", "name-denied", "name"],
    ["profile-db", "name-denied", "nickname"],
    ["staff-oidc", "wrong-case", "Given_Name"],
];

function connection(index: number, name: string, strategy: string, list: string[] | null): Connection {
    return {
        id: `con_Cli${String(index).padStart(13, "0")}`,
        name,
        display_name: name,
        strategy,
        options: {
            non_persistent_attrs: list,
            ...(strategy === "samlp" ? { debug: false, signInEndpoint: "https://idp.example/sso" } : {}),
            ...(strategy === "auth0" ? { passwordPolicy: "good", brute_force_protection: true } : {}),
        },
        realms: [name],
        enabled_clients: [],
    };
}

/**
 * The built-in seed plus 115 connections: most with ordinary lists (some `null`, some empty),
 * and one of each finding kind. Two names differ only in case, to exercise resource naming.
 */
export function bigSeed(): Connection[] {
    const special: Connection[] = [
        connection(1, "legacy-db", "auth0", ["gender", "user.name", "user_metadata.ssn", "address.country"]),
        connection(2, "long-claims", "oidc", ["https://acme.com/claims/short", LONG_ENTRY]),
        connection(3, "marketing-db", "auth0", ["email", "birthdate"]),
        connection(4, "profile-db", "auth0", ["name", "nickname"]),
        connection(5, "partner-saml", "samlp", ["employee_id"]),
        connection(6, "staff-oidc", "oidc", ["Given_Name", "employee_id"]),
        connection(7, "Partner-SSO", "samlp", ["https://partner.example/claims/ssn"]),
        connection(9, "partner-sso", "oidc", ["https://partner.example/claims/ssn", "birthdate"]),
    ];
    special[4].options = { ...special[4].options, debug: true };
    const strategies = ["auth0", "google-oauth2", "oidc", "waad"];
    const filler: Connection[] = [];
    for (let i = 10; filler.length < BIG_TENANT_SIZE - builtInSeed().length - special.length; i++) {
        const list = i % 5 === 0 ? null : i % 5 === 1 ? [] : i % 5 === 2 ? ["birthdate"] : ["gender", `claim_${i}`];
        filler.push(connection(i, `app-${String(i).padStart(3, "0")}`, strategies[i % strategies.length], list));
    }
    return [...builtInSeed(), ...special, ...filler];
}

/** What one in-process run of the command line produced. */
export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs the command line in-process with `env` and captures stdout and stderr. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: Partial<CliIo> = {}): Promise<CliResult> {
    let stdout = "";
    let stderr = "";
    const code = await run(argv, {
        stdout: (text) => {
            stdout += text;
        },
        stderr: (text) => {
            stderr += text;
        },
        env,
        cwd: process.cwd(),
        // Retries without waiting: the policy is the client's, the tests need not sit through it.
        clientOptions: { sleep: async () => {} },
        ...io,
    });
    return { code, stdout, stderr };
}

/** Methods and paths of the requests `emulator` received, e.g. `GET /api/v2/connections`. */
export function requestLines(emulator: Emulator): string[] {
    return emulator.requests().map((request) => `${request.method} ${request.path}`);
}

/** An audit report of `connections` ([name, deny list]) on acme.eu.auth0.com, with ids `con_0`, `con_1` …. */
export function auditReport(connections: [string, string[]][]): AuditReport {
    return {
        report: "audit",
        tenant: "https://acme.eu.auth0.com",
        connections: connections.map(([name, denyList], i) => ({ id: `con_${i}`, name, strategy: "auth0", denyList })),
        findings: [],
        summary: { connections: connections.length, withDenyList: 0, findings: 0 },
    };
}

/** A resource the generated adoption code declared. */
export type Declared = { name: string; args: { connectionName: string; attributes: string[]; exclusive?: boolean } };

/** Transpiles and runs generated code with a stand-in ConnectionDenyList; returns what it declared. */
export function execute(code: string): Declared[] {
    const { outputText, diagnostics } = ts.transpileModule(code, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
        reportDiagnostics: true,
    });
    assert.deepEqual(diagnostics, []);
    const declared: Declared[] = [];
    class ConnectionDenyList {
        constructor(name: string, args: Declared["args"]) {
            declared.push({ name, args });
        }
    }
    const require = (id: string) => {
        assert.equal(id, "pulumi-auth0-deny-list", "the module imports nothing else");
        return { ConnectionDenyList };
    };
    vm.runInNewContext(outputText, { require, exports: {}, module: { exports: {} } });
    // Plain data again: values made inside the vm context have that context's prototypes.
    return JSON.parse(JSON.stringify(declared));
}
