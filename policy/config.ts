/**
 * The configuration of `auth0-deny-list-required`. The zod schema is the single source of its
 * shape: the TypeScript type is inferred from it, and so is the JSON Schema the Pulumi CLI checks
 * `--policy-pack-config` against before the pack runs.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { z } from "zod";

/** What `auth0-deny-list-required` is configured with. */
export const RequiredAttributesConfigSchema = z.strictObject({
    attributes: z
        .array(z.string().min(1))
        .min(1)
        .describe("Attributes every Auth0 connection of the stack must deny (options.non_persistent_attrs)."),
    strategies: z
        .array(z.string().min(1))
        .min(1)
        .optional()
        .describe("Check only connections of these strategies, e.g. samlp, waad; default: every connection."),
});

/** The parsed configuration of `auth0-deny-list-required`. */
export type RequiredAttributesConfig = z.infer<typeof RequiredAttributesConfigSchema>;

// The CLI wraps `properties` and `required` in an object schema itself, and validates with a
// draft-07 validator; the rest of zod's output (`$schema`, additionalProperties) does not travel.
const jsonSchema = z.toJSONSchema(RequiredAttributesConfigSchema, { target: "draft-7" });

/** {@link RequiredAttributesConfigSchema} as the JSON Schema a policy declares (`configSchema`). */
export const requiredAttributesConfigSchema: PolicyConfigSchema = {
    properties: jsonSchema.properties as PolicyConfigSchema["properties"],
    required: jsonSchema.required,
};

/**
 * The policy's configuration, or an error naming what is wrong. The CLI checks the JSON Schema
 * first; this also catches what that schema cannot say (unknown keys) and packs run without it.
 */
export function parseRequiredAttributesConfig(config: unknown): RequiredAttributesConfig {
    const parsed = RequiredAttributesConfigSchema.safeParse(config);
    if (parsed.success) return parsed.data;
    throw new Error(`invalid configuration of auth0-deny-list-required:\n${z.prettifyError(parsed.error)}`);
}
