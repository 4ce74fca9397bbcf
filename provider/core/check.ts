/**
 * `check`: validates a resource's inputs without touching the network. Bad input becomes a list
 * of failures (the engine prints them and stops before any request); it never throws.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { normalise } from "./denylist";
import { containsUnknown, InputsSchema, TenantInputsSchema, UNKNOWN } from "./schema";

/** Validates ConnectionDenyList inputs: exactly one target, and the shared rules. */
export function checkInputs(news: Record<string, unknown>): pulumi.dynamic.CheckResult {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const targets = (["connectionId", "connectionName"] as const).filter((field) => news[field] !== undefined);
    if (targets.length !== 1) {
        failures.push({
            property: targets.length === 0 ? "connectionId" : "connectionName",
            reason:
                targets.length === 0
                    ? "no connection given: set exactly one of connectionId or connectionName"
                    : "both connectionId and connectionName are set: keep exactly one",
        });
    }
    const fields = ["connectionId", "connectionName", "attributes", "exclusive", "triggers"];
    const result = checked(InputsSchema, fields, news, failures);
    return result.failures ? result : { inputs: { ...result.inputs, exclusive: news.exclusive ?? false } };
}

/** Validates TenantDenyList inputs: attributes as for a ConnectionDenyList, strategies and exclusions as names. */
export function checkTenantInputs(news: Record<string, unknown>): pulumi.dynamic.CheckResult {
    return checked(TenantInputsSchema, ["attributes", "strategies", "excludeConnections", "triggers"], news, []);
}

/**
 * Validates the `fields` of `news` against `schema`. Values not known yet (preview) are set
 * aside rather than rejected; the engine calls check again once they are known. Fully known
 * attributes come back normalised, so reordering or repeating entries is not a change.
 */
function checked(
    schema: z.ZodObject,
    fields: readonly string[],
    news: Record<string, unknown>,
    failures: pulumi.dynamic.CheckFailure[],
): pulumi.dynamic.CheckResult {
    const known: Record<string, unknown> = {};
    for (const field of fields) {
        const value = news[field];
        if (value === undefined || value === UNKNOWN) continue;
        known[field] = Array.isArray(value) ? value.filter((v) => !containsUnknown(v)) : value;
    }
    if (news.attributes === undefined) {
        failures.push({ property: "attributes", reason: "is required: list the attributes Auth0 must not store" });
    }
    const parsed = schema.safeParse({ attributes: [], ...known });
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            const [field, index] = issue.path;
            const where = typeof index === "number" ? `${String(field)}[${index}]` : String(field);
            failures.push({ property: String(field), reason: `${where} ${issue.message}` });
        }
    }
    if (failures.length > 0) return { inputs: news, failures };
    const inputs: Record<string, unknown> = { ...news };
    for (const field of ["attributes", "strategies", "excludeConnections"]) {
        const value = news[field];
        if (Array.isArray(value) && !containsUnknown(value)) inputs[field] = normalise(value as string[]);
    }
    return { inputs };
}
