/**
 * `adopt` for programs that use the provider plugin: the `pulumi import` commands in the generated
 * module's closing comment and the `--import-file` file, checked by feeding them to the plugin
 * spawned from the installed package as `pulumi import` does (Read with the id alone, on the URN
 * the file's type and name make), against the emulator.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { adoptionCode } from "../../cli/adopt";
import { type ImportFile, importable, shellWord } from "../../cli/imports";
import { envFor } from "../../harness/credentials";
import { makeTempDir, removeTempDir } from "../../harness/temp";
import { CONNECTION_DENY_LIST } from "../../plugin/schema";
import { pluginPerTest } from "../support/plugin";
import { auditReport, execute, requestLines, runCli } from "./support";

/** The `//   …` lines after the closing comment's three lines of prose. */
function closingCommands(code: string): string[] {
    const lines = code.trimEnd().split("\n");
    const start = lines.findIndex((line) => line.startsWith("// Programs in Python, Go, .NET, Java or YAML"));
    return start === -1 ? [] : lines.slice(start + 3).map((line) => line.replace(/^\/\/ {3}/, ""));
}

describe("cli: adopt for the provider plugin (pulumi import)", function () {
    this.timeout(60_000);

    describe("generated", () => {
        it("one `pulumi import` per declared resource, with its name and its connection's id; none for a connection with nothing to adopt", () => {
            const adoption = adoptionCode(
                auditReport([
                    ["Username-Password-Authentication", ["gender"]],
                    ["empty", []],
                    ["nested-only", ["user.name"]],
                    ["acme-oidc", ["https://acme.com/temporary_idtoken"]],
                ]),
            );
            assert.deepEqual(closingCommands(adoption.code), [
                `pulumi import ${CONNECTION_DENY_LIST} username-password-authentication con_0`,
                `pulumi import ${CONNECTION_DENY_LIST} acme-oidc con_3`,
            ]);
            assert.deepEqual(closingCommands(adoptionCode(auditReport([["empty", []]])).code), []);
        });

        it("with an import file, the comment names `pulumi import --file` instead; an id the plugin would refuse is named, never imported", () => {
            const report = auditReport([
                ["a", ["x"]],
                ["b", ["y"]],
            ]);
            report.connections[1].id = "con_b-1\nrm -rf ~";
            const adoption = adoptionCode(report, undefined, "my imports.json");
            assert.deepEqual(closingCommands(adoption.code), [
                "pulumi import --file 'my imports.json'",
                'not importable: b has the id "con_b-1\\nrm -rf ~", not con_ followed by letters and digits',
            ]);
            assert.deepEqual(closingCommands(adoptionCode(report).code), [
                `pulumi import ${CONNECTION_DENY_LIST} a con_0`,
                'not importable: b has the id "con_b-1\\nrm -rf ~", not con_ followed by letters and digits',
            ]);
            assert.deepEqual(
                ["con_DbUsers000000001", "con_", "con_a-b", "Username-Password-Authentication"].map(importable),
                [true, false, false, false],
            );
        });

        it("a shell word reads back unchanged in a POSIX shell", () => {
            for (const word of ["deny-lists.json", "my imports.json", "it's", "$(touch x)`y`", "a\nb", "", "~/f"]) {
                const echoed = execFileSync("sh", ["-c", `printf '%s' ${shellWord(word)}`], { encoding: "utf8" });
                assert.equal(echoed, word);
            }
        });
    });

    describe("against the emulator and the spawned plugin", () => {
        const t = pluginPerTest();
        let dir: string;
        beforeEach(() => {
            dir = makeTempDir("cli-adopt-import-");
        });
        afterEach(() => removeTempDir(dir));

        it("--import-file holds what pulumi import --file reads; the plugin adopts each with no write, as the TypeScript code declares it", async () => {
            const { code, stdout, stderr } = await runCli(
                ["adopt", "--out", "deny-lists.ts", "--import-file", "imports.json"],
                envFor(t.emulator),
                { cwd: dir },
            );
            assert.equal(code, 0, stderr);
            assert.equal(stdout, "");
            assert.match(
                stderr,
                /Import file for the provider plugin: imports\.json \(`pulumi import --file` adopts the same lists\)/,
            );
            const generated = readFileSync(path.join(dir, "deny-lists.ts"), "utf8");
            assert.deepEqual(closingCommands(generated), ["pulumi import --file imports.json"]);

            const file = JSON.parse(readFileSync(path.join(dir, "imports.json"), "utf8")) as ImportFile;
            // What the TypeScript module declares: the same resources, under the same names.
            const declared = execute(generated);
            const idOf = (name: string) => t.emulator.connections().find((c) => c.name === name)?.id ?? "";
            assert.deepEqual(
                file,
                {
                    resources: declared.map(({ name, args }) => ({
                        type: CONNECTION_DENY_LIST,
                        name,
                        id: idOf(args.connectionName),
                    })),
                },
                "type, name and id: what pkg/cmd/pulumi/operations/import.go's importSpec requires",
            );
            assert.ok(file.resources.length >= 2);

            const before = t.emulator.connections();
            t.emulator.clearRequests();
            for (const [index, entry] of file.resources.entries()) {
                // `pulumi import --file`: Read on the URN of the file's type and name, with the id alone.
                const urn = `urn:pulumi:dev::deny-lists::${entry.type}::${entry.name}`;
                const imported = await t.plugin.read(urn, entry.id);
                assert.equal(imported.id, entry.id);
                const { args } = declared[index];
                assert.deepEqual(imported.inputs, { connectionId: entry.id, attributes: args.attributes });
                assert.deepEqual(imported.properties.ownedAttributes, [], "adopted, not owned");
                // The TypeScript module's declaration (by name) is the same resource: no change.
                const { inputs } = await t.plugin.check(urn, imported.inputs ?? {}, args);
                const diff = await t.plugin.diff(urn, imported.id, imported.properties, inputs, imported.inputs);
                assert.equal(diff.changes, "none", entry.name);
            }
            assert.ok(requestLines(t.emulator).every((line) => /^(GET|POST \/oauth\/token)/.test(line)));
            assert.deepEqual(t.emulator.connections(), before, "nothing written");
        });

        it("an existing --import-file is refused before the tenant is read, unless --force; --out and --import-file must differ", async () => {
            const file = path.join(dir, "imports.json");
            writeFileSync(file, "mine\n");
            t.emulator.clearRequests();
            const refused = await runCli(["adopt", "--import-file", file], envFor(t.emulator));
            assert.equal(refused.code, 2);
            assert.match(refused.stderr, /imports\.json already exists: pass --force to overwrite it/);
            assert.deepEqual(requestLines(t.emulator), []);
            assert.equal(readFileSync(file, "utf8"), "mine\n");

            const forced = await runCli(["adopt", "--import-file", file, "--force"], envFor(t.emulator));
            assert.equal(forced.code, 0, forced.stderr);
            assert.ok((JSON.parse(readFileSync(file, "utf8")) as ImportFile).resources.length > 0);
            // Without --out the module still goes to stdout, its closing comment naming the file.
            assert.match(forced.stdout, /^\/\/ {3}pulumi import --file \S*imports\.json$/m);

            const same = await runCli(["adopt", "--out", "./x.json", "--import-file", "x.json"], envFor(t.emulator), {
                cwd: dir,
            });
            assert.equal(same.code, 2);
            assert.match(same.stderr, /--out and --import-file name the same file/);
            assert.ok(!existsSync(path.join(dir, "x.json")));
        });
    });
});
