/**
 * The configuration of `auth0-deny-list-required`: zod parses it, and the JSON Schema derived from
 * zod (what the pack declares, and the Pulumi CLI validates `--policy-pack-config` against)
 * rejects the same mistakes.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { parseRequiredAttributesConfig, requiredAttributesConfigSchema } from "../../policy";
import { BAD_CONFIGS } from "./support";

describe("policy config", () => {
    it("parses attributes and optional strategies", () => {
        assert.deepEqual(parseRequiredAttributesConfig({ attributes: ["ssn"] }), { attributes: ["ssn"] });
        const both = { attributes: ["ssn", "urn:oid:2.5.4.42"], strategies: ["samlp"] };
        assert.deepEqual(parseRequiredAttributesConfig(both), both);
    });

    it("rejects a bad config naming the problem, and keys it does not know (a misspelt `strategy`)", () => {
        for (const [config, problem] of BAD_CONFIGS) {
            assert.throws(() => parseRequiredAttributesConfig(config), problem, JSON.stringify(config));
        }
        assert.throws(
            () => parseRequiredAttributesConfig({ attributes: ["ssn"], strategy: ["samlp"] }),
            /Unrecognized key: "strategy"/,
        );
    });

    it("declares a JSON Schema that rejects the same configs, as the CLI wraps it in an object schema", () => {
        const { properties, required } = requiredAttributesConfigSchema;
        assert.deepEqual(required, ["attributes"]);
        const cli = z.fromJSONSchema({ type: "object", properties, required } as Parameters<
            typeof z.fromJSONSchema
        >[0]);
        for (const [config] of BAD_CONFIGS) assert.equal(cli.safeParse(config).success, false, JSON.stringify(config));
        assert.equal(cli.safeParse({ attributes: ["ssn"], strategies: ["samlp"] }).success, true);
    });
});
