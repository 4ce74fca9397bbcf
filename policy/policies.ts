/**
 * The two policies as @pulumi/policy runs them: each reads the stack's resources as plain
 * values, calls its pure rule, and reports the findings. Certain findings are violations at the
 * policy's enforcement level; findings that depend on values not known yet are advisory.
 */
import type { EnforcementLevel, PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { parseRequiredAttributesConfig, requiredAttributesConfigSchema } from "./config";
import type { Finding } from "./finding";
import { requiredAttributeFindings } from "./required";
import type { StackResource } from "./stack";
import { wipedDenyListFindings } from "./wipes";

const REQUIRED_DESCRIPTION =
    "Every Auth0 connection of the stack denies the required attributes, and every deny list of the stack includes them.";
const WIPES_DESCRIPTION =
    "An auth0.Connection that declares no deny list wipes, at its next update, the entries a deny list of the stack wrote to it.";

/** `auth0-deny-list-required`: mandatory unless configured otherwise; config `attributes`, optional `strategies`. */
export const requiredDenyListPolicy: StackValidationPolicy = {
    name: "auth0-deny-list-required",
    description: REQUIRED_DESCRIPTION,
    enforcementLevel: "mandatory",
    configSchema: requiredAttributesConfigSchema,
    validateStack: (args, reportViolation) => {
        const config = parseRequiredAttributesConfig(args.getConfig());
        report(
            requiredAttributeFindings(args.resources.map(plainResource), config),
            REQUIRED_DESCRIPTION,
            reportViolation,
        );
    },
};

/** `auth0-connection-wipes-deny-list`: advisory. */
export const wipedDenyListPolicy: StackValidationPolicy = {
    name: "auth0-connection-wipes-deny-list",
    description: WIPES_DESCRIPTION,
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        report(wipedDenyListFindings(args.resources.map(plainResource)), WIPES_DESCRIPTION, reportViolation);
    },
};

/** Both policies, for `new PolicyPack(name, { policies: denyListPolicies })`. */
export const denyListPolicies: StackValidationPolicy[] = [requiredDenyListPolicy, wipedDenyListPolicy];

// @pulumi/policy (1.20+) also takes an object that sets the level of one report; its typings do
// not list that form yet.
type ReportAtLevel = (args: { message: string; urn: string; enforcementLevel: EnforcementLevel }) => void;

function report(findings: Finding[], description: string, reportViolation: ReportViolation): void {
    for (const finding of findings) {
        if (finding.certain) reportViolation(finding.message, finding.urn);
        else {
            // The string form prefixes the description; say it the same way.
            const message = `${description}\n${finding.message}`;
            (reportViolation as unknown as ReportAtLevel)({ message, urn: finding.urn, enforcementLevel: "advisory" });
        }
    }
}

/**
 * The resource with plain properties. Reading a property through @pulumi/policy's proxy throws
 * when the engine does not know its value yet; its descriptor holds the value as sent (the
 * unknown sentinel), which the rules treat as "may".
 */
function plainResource(resource: PolicyResource): StackResource {
    const props = Object.fromEntries(
        Object.keys(resource.props).map((key) => [key, Object.getOwnPropertyDescriptor(resource.props, key)?.value]),
    );
    const propertyDependencies = Object.fromEntries(
        Object.entries(resource.propertyDependencies).map(([key, from]) => [
            key,
            from.map((dependency) => dependency.urn),
        ]),
    );
    return { type: resource.type, name: resource.name, urn: resource.urn, props, propertyDependencies };
}
