/**
 * What the program alone does, under Pulumi's runtime mocks in the installed project: what it
 * warns about, what makes it fail, and the view of the other resources it registers (the
 * serialized facade: facade.test.ts). Nothing here reaches a provider host or a tenant, so none
 * is started.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { SEED_IDS } from "../../emulator/seed";
import { installedProject, REPO_ROOT } from "../../harness/install";
import { CONFIG_PROGRAM, runProgram } from "../../harness/program";
import { type Resources, resourcesConfig } from "../support/stack";

describe("the program under the mock runtime (no host, no tenant)", function () {
    this.timeout(60_000);
    let project: string;

    before(() => {
        project = installedProject();
    });

    /** Runs the config-driven program declaring `resources`. */
    const run = (resources: Resources) =>
        runProgram(project, CONFIG_PROGRAM, resourcesConfig(resources), { shared: true });
    const warnings = (log: string[]) => log.filter((line) => line.startsWith("warning:"));

    it("warns, attached to the resource, about email/name/nickname and about duplicates", () => {
        const { log } = run({
            a: { connectionId: SEED_IDS.auth0, attributes: ["email", "nickname", "x"] },
            b: { connectionId: SEED_IDS.auth0, attributes: ["x"] },
            c: { connectionId: SEED_IDS.google, attributes: ["x"] },
        });
        const warned = warnings(log);
        assert.equal(warned.length, 3, log.join("\n"));
        assert.ok(warned.some((w) => /denying `email` stops Auth0 from mapping it to custom claims/.test(w)));
        assert.ok(warned.some((w) => /denying `nickname` drops it from ID tokens/.test(w)));
        assert.ok(warned.some((w) => /b and a both declare "x" on connection con_DbUsers000000001/.test(w)));
    });

    it("warns about a root field in the wrong case, an empty exclusive list, and duplicates by name", () => {
        const { log } = run({
            cased: { connectionId: SEED_IDS.google, attributes: ["Email", "Given_Name", "x"] },
            empty: { connectionId: SEED_IDS.oidc, attributes: [], exclusive: true },
            a: { connectionName: "Username-Password-Authentication", attributes: ["x"] },
            b: { connectionName: "Username-Password-Authentication", attributes: ["x"] },
        });
        const warned = warnings(log);
        assert.equal(warned.length, 4, log.join("\n"));
        assert.ok(warned.some((w) => /"Email" is not the profile field "email".*Write "email"/.test(w)));
        assert.ok(warned.some((w) => /"Given_Name" is not the profile field "given_name"/.test(w)));
        assert.ok(
            warned.some((w) => /exclusive is true and attributes is empty: `pulumi up` removes every entry/.test(w)),
        );
        assert.ok(
            warned.some((w) => /b and a both declare "x" on connection "Username-Password-Authentication";/.test(w)),
            warned.join("\n"),
        );
    });

    it("fails, naming both resources, when an exclusive resource shares a connection with another or a TenantDenyList covers it", () => {
        for (const [first, second] of [
            [true, false],
            [false, true],
        ]) {
            assert.throws(
                () =>
                    run({
                        owner: { connectionId: SEED_IDS.auth0, attributes: ["a"], exclusive: first },
                        other: { connectionId: SEED_IDS.auth0, attributes: ["b"], exclusive: second },
                        elsewhere: { connectionId: SEED_IDS.google, attributes: ["b"], exclusive: true },
                    }),
                /connection con_DbUsers000000001 has an exclusive ConnectionDenyList and another deny list resource of this stack: "(owner|other)" \((exclusive|merge) \["[ab]"\]\), "(owner|other)"/,
            );
        }
        assert.throws(
            () =>
                run({
                    all: { tenant: { attributes: ["ssn"] } },
                    only: { connectionName: "acme-oidc", attributes: ["x"], exclusive: true },
                }),
            /connection "acme-oidc" has an exclusive ConnectionDenyList and another deny list resource of this stack: "(only|all)".*"(only|all)" \((exclusive|tenant-wide).*excludeConnections/s,
        );
        // Two merge-mode resources on one connection, or exclusive ones on different connections, are fine.
        const { resources } = run({
            one: { connectionId: SEED_IDS.auth0, attributes: ["a"] },
            two: { connectionId: SEED_IDS.auth0, attributes: ["b"] },
            three: { connectionId: SEED_IDS.google, attributes: ["b"], exclusive: true },
        });
        assert.equal(resources.length, 3);
    });

    it("the program view waits for no deployment and copies no secret: such values are left unknown", () => {
        // In place: the repository has @pulumi/auth0, and links the package to itself.
        const fixture = path.join(__dirname, "fixtures", "view-program.ts");
        const config = { "auth0-deny-list:named": ["y"], "auth0-deny-list:hidden": ["s"] };
        const { resources } = runProgram(REPO_ROOT, fixture, config, { inPlace: true, shared: true });
        const view = (name: string) => resources.find((r) => r.name === name)?.inputs.otherDeclarations;
        const by = (name: string) =>
            `urn:pulumi:dev::auth0-deny-list::pulumi-nodejs:dynamic/auth0:ConnectionDenyList::${name}`;
        // by-id and follower are wired from one auth0.Connection: one target, known by that resource;
        // the secret's attributes are not copied, so it may declare anything on "members".
        assert.deepEqual(JSON.parse(String(view("by-name"))), [
            {
                reach: { kind: "connection", from: "auth0:index/connection:Connection#0" },
                entries: { f: { by: [by("follower")], count: 1 }, x: { by: [by("by-id")], count: 1 } },
            },
            { reach: { kind: "connection", name: "members" }, entries: {}, anyEntry: { by: [by("secret")], count: 1 } },
        ]);
        const follower = JSON.parse(String(view("follower")));
        assert.deepEqual(
            follower[0].entries,
            { x: { by: [by("by-id")], count: 1 } },
            "follower sees by-id on its connection",
        );
        assert.equal(resources.find((r) => r.name === "by-id")?.inputs.declaredBy, by("by-id"));
    });
});
