// Runs the program's deny lists against a local Auth0 tenant: no Pulumi CLI, no network.
import * as assert from "node:assert";
import { startTestTenant, type TestTenant } from "pulumi-auth0-deny-list/testing";
import { denyLists } from "../deny-lists";

// The connections the program expects, as the production tenant has them (only what matters here).
const SEED = [
    { id: "con_Members000000001", name: "members", strategy: "auth0", options: { passwordPolicy: "good" } },
    {
        id: "con_PartnerSso000001",
        name: "partner-sso",
        strategy: "samlp",
        options: { signInEndpoint: "https://idp.partner.example/sso", set_user_root_attributes: "on_first_login" },
    },
    { id: "con_Staff00000000001", name: "staff", strategy: "oidc", options: { non_persistent_attrs: ["national_id"] } },
];

describe("the stack's deny lists", function () {
    this.timeout(20_000);
    let tenant: TestTenant;

    beforeEach(async () => {
        tenant = await startTestTenant({ seed: SEED });
    });
    afterEach(() => tenant.stop());

    it("preview sends nothing and plans both lists", async () => {
        const preview = await tenant.stack(denyLists).preview();
        assert.deepStrictEqual(
            preview.steps.map((step) => [step.op, step.name]),
            [
                ["create", "members-deny-list"],
                ["create", "no-national-ids"],
            ],
        );
        assert.deepStrictEqual(tenant.emulator.requests(), []);
    });

    it("up writes the lists, keeps every other setting, and says which data stays stored", async () => {
        const stack = tenant.stack(denyLists);
        const up = await stack.up();
        assert.deepStrictEqual(tenant.denyList("members"), ["birthdate", "gender"]);
        assert.deepStrictEqual(tenant.denyList("partner-sso"), ["national_id"]);
        assert.deepStrictEqual(tenant.denyList("staff"), ["national_id"]);
        assert.strictEqual(tenant.emulator.connection("con_Members000000001")?.options?.passwordPolicy, "good");
        // partner-sso syncs profile attributes on first login only: values stored before stay on root profiles.
        assert.ok(
            up.warnings.some((warning) => warning.startsWith("connection partner-sso: set_user_root_attributes")),
            up.warnings.join("\n"),
        );
        // A second up changes nothing.
        assert.deepStrictEqual(
            (await stack.up()).steps.map((step) => step.op),
            ["same", "same"],
        );
    });

    it("destroy removes what the stack wrote and leaves what was there before", async () => {
        const stack = tenant.stack(denyLists);
        await stack.up();
        await stack.destroy();
        assert.deepStrictEqual(tenant.denyList("members"), []);
        assert.deepStrictEqual(tenant.denyList("partner-sso"), []);
        assert.deepStrictEqual(tenant.denyList("staff"), ["national_id"], "adopted, not owned");
    });

    it("fails as `pulumi up` would when the configured connection does not exist", async () => {
        const config = { "auth0-deny-list-testing:membersConnection": "customers" };
        const stack = tenant.stack(denyLists, { project: "auth0-deny-list-testing", config });
        await assert.rejects(stack.up(), /create members-deny-list: .*customers/s);
    });
});
