/**
 * `check`: validates a resource's inputs without touching the network. Bad input becomes a list
 * of failures (the engine prints them and stops before any request); it never throws.
 */
import type * as pulumi from "@pulumi/pulumi";
import { normalise } from "./denylist";
import { containsUnknown, InputsSchema, UNKNOWN } from "./schema";

const FIELDS = ["connectionId", "connectionName", "attributes", "exclusive", "triggers"] as const;

/**
 * Validates `news`. Values not known yet (preview) are set aside rather than rejected; the
 * engine calls check again once they are known. Fully known attributes come back normalised,
 * so reordering or repeating entries is not a change.
 */
export function checkInputs(news: Record<string, unknown>): pulumi.dynamic.CheckResult {
    const known: Record<string, unknown> = {};
    for (const field of FIELDS) {
        const value = news[field];
        if (value === undefined || value === UNKNOWN) continue;
        known[field] =
            field === "attributes" && Array.isArray(value) ? value.filter((v) => !containsUnknown(v)) : value;
    }
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
    if (news.attributes === undefined) {
        failures.push({ property: "attributes", reason: "is required: list the attributes Auth0 must not store" });
    }
    const parsed = InputsSchema.safeParse({ attributes: [], ...known });
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            const [field, index] = issue.path;
            const where = typeof index === "number" ? `${String(field)}[${index}]` : String(field);
            failures.push({ property: String(field), reason: `${where} ${issue.message}` });
        }
    }
    if (failures.length > 0) {
        return { inputs: news, failures };
    }
    const inputs: Record<string, unknown> = { ...news, exclusive: news.exclusive ?? false };
    if (Array.isArray(news.attributes) && !containsUnknown(news.attributes)) {
        inputs.attributes = normalise(news.attributes as string[]);
    }
    return { inputs };
}
