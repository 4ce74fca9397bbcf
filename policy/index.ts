/**
 * pulumi-auth0-deny-list/policy: the policies of the `auth0-deny-list` policy pack, to run as
 * shipped (`policy-pack/`) or to put in a pack of your own, and the pure rules behind them.
 */
export {
    parseRequiredAttributesConfig,
    type RequiredAttributesConfig,
    RequiredAttributesConfigSchema,
    requiredAttributesConfigSchema,
} from "./config";
export type { Finding } from "./finding";
export { denyListPolicies, requiredDenyListPolicy, wipedDenyListPolicy } from "./policies";
export { requiredAttributeFindings } from "./required";
export {
    CONNECTION_DENY_LIST_TYPE,
    CONNECTION_TYPE,
    PLUGIN_TYPES,
    type StackResource,
    TENANT_DENY_LIST_TYPE,
} from "./stack";
export { wipedDenyListFindings } from "./wipes";
