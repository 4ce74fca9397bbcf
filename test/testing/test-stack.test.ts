/**
 * The testing entry point (`pulumi-auth0-deny-list/testing`) from source: a program function's
 * deny lists through preview, up, a changed program, refresh after an out-of-band change and
 * destroy, against a seeded test tenant, with the warnings a user would see and the failures
 * `pulumi up` would report. The package as installed runs it in examples/testing (test/engine/consumer.test.ts).
 */
import assert from "node:assert/strict";
import { SEED_IDS } from "../../emulator/seed";
import { ConnectionDenyList, TenantDenyList } from "../../provider";
import { rootCopiesProblem } from "../../provider/core/stored-data";
import { DeploymentError, startTestTenant, type TestTenant } from "../../testing";

const MEMBERS = { id: "con_Members000000001", name: "members", strategy: "auth0", options: { passwordPolicy: "good" } };

describe("testing: a program's deny lists on a test tenant", function () {
    this.timeout(30_000);
    let tenant: TestTenant;
    afterEach(() => tenant?.stop());

    it("preview sends nothing; up writes; a changed program removes what it dropped; destroy leaves the tenant as it was", async () => {
        tenant = await startTestTenant({ seed: [MEMBERS] });
        const stack = tenant.stack(() => {
            new ConnectionDenyList("members", { connectionName: "members", attributes: ["gender", "email"] });
        });
        const preview = await stack.preview();
        assert.deepEqual(
            preview.steps.map((step) => [step.op, step.name, step.added]),
            [["create", "members", ["email", "gender"]]],
        );
        assert.deepEqual(tenant.emulator.requests(), []);
        assert.deepEqual(preview.warnings, [
            "denying `email` stops Auth0 from mapping it to custom claims in rules and actions; keep it only if nothing relies on it.",
        ]);

        const up = await stack.up();
        assert.deepEqual(
            up.steps.map((step) => [step.op, step.name]),
            [["create", "members"]],
        );
        assert.deepEqual(tenant.denyList("members"), ["email", "gender"]);
        assert.deepEqual(stack.outputs().members.ownedAttributes, ["email", "gender"]);
        assert.equal(tenant.emulator.connections()[0].options?.passwordPolicy, "good");

        assert.deepEqual(
            (await stack.up()).steps.map((step) => step.op),
            ["same"],
        );

        // The program run before is forgotten: its declaration of email must not keep the entry.
        const changed = await stack.up(() => {
            new ConnectionDenyList("members", { connectionName: "members", attributes: ["gender"] });
        });
        assert.deepEqual(
            changed.steps.map((step) => [step.op, step.removed]),
            [["update", ["email"]]],
        );
        assert.deepEqual(tenant.denyList("members"), ["gender"]);
        assert.deepEqual(changed.warnings, []);

        await stack.destroy();
        assert.deepEqual(tenant.denyList("members"), []);
        assert.deepEqual(stack.outputs(), {});
    });

    it("refresh sees an entry removed out of band and the next up writes it back", async () => {
        tenant = await startTestTenant({ seed: [MEMBERS] });
        const stack = tenant.stack(() => {
            new ConnectionDenyList("members", { connectionId: MEMBERS.id, attributes: ["birthdate"] });
        });
        await stack.up();
        tenant.emulator.update(MEMBERS.id, (connection) => {
            if (connection.options) connection.options.non_persistent_attrs = [];
        });
        const refreshed = await stack.refresh();
        assert.deepEqual(
            refreshed.steps.map((step) => [step.op, step.removed]),
            [["refresh", ["birthdate"]]],
        );
        assert.deepEqual(
            (await stack.up()).steps.map((step) => [step.op, step.added]),
            [["update", ["birthdate"]]],
        );
        assert.deepEqual(tenant.denyList("members"), ["birthdate"]);
    });

    it("a TenantDenyList covers the built-in connections, and the provider's warnings come back", async () => {
        tenant = await startTestTenant();
        const stack = tenant.stack(() => {
            new TenantDenyList("no-ssn", { attributes: ["ssn"], strategies: ["waad", "samlp"] });
        });
        const up = await stack.up();
        assert.deepEqual(tenant.denyList("acme-azure-ad"), ["ssn"]);
        assert.ok(tenant.denyList("acme-saml").includes("ssn"));
        assert.deepEqual(tenant.denyList(SEED_IDS.google), []);
        assert.ok(
            up.warnings.includes(`connection acme-azure-ad: ${rootCopiesProblem("on_first_login")}`),
            up.warnings.join("\n"),
        );
        assert.ok(up.warnings.some((line) => /samlp connection\(s\) with Debug Mode on \(acme-saml\)/.test(line)));
        await stack.destroy();
        assert.deepEqual(tenant.denyList("acme-azure-ad"), []);
    });

    it("fails as `pulumi up` fails: a program error before any request, a step error naming the resource", async () => {
        tenant = await startTestTenant({ seed: [MEMBERS] });
        const conflict = tenant.stack(() => {
            new ConnectionDenyList("a", { connectionName: "members", attributes: ["x"], exclusive: true });
            new ConnectionDenyList("b", { connectionName: "members", attributes: ["y"] });
        });
        await assert.rejects(conflict.up(), (error: DeploymentError) => {
            assert.ok(error instanceof DeploymentError);
            assert.match(error.message, /^The program failed:\n.*"a" \(exclusive \["x"\]\)/s);
            return true;
        });
        assert.deepEqual(tenant.emulator.requests(), []);

        const typo = tenant.stack(() => {
            new ConnectionDenyList("typo", { connectionName: "membrs", attributes: ["x"] });
        });
        await assert.rejects(typo.up(), (error: DeploymentError) => {
            assert.match(error.message, /^1 resource\(s\) failed:\ncreate typo: .*membrs/s);
            assert.deepEqual(
                error.deployment.steps.map((step) => step.op),
                ["create"],
            );
            return true;
        });
        assert.throws(() => tenant.denyList("membrs"), /no connection "membrs"; it has "members"/);
    });

    it("config reaches the program, and auth0:* always points at the test tenant", async () => {
        tenant = await startTestTenant({ seed: [MEMBERS] });
        const { Config } = await import("@pulumi/pulumi");
        const stack = tenant.stack(
            () => {
                const config = new Config();
                new ConnectionDenyList("members", {
                    connectionName: "members",
                    attributes: config.requireObject<string[]>("attributes"),
                });
            },
            { config: { "test:attributes": ["gender"], "auth0:domain": "acme.eu.auth0.com" } },
        );
        await stack.up();
        assert.deepEqual(tenant.denyList("members"), ["gender"]);
    });
});
