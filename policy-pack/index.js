Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The `auth0-deny-list` policy pack, compiled to index.js by `npm run build`. The Pulumi CLI
 * runs it from this folder (`pulumi preview --policy-pack node_modules/pulumi-auth0-deny-list/policy-pack`);
 * `@pulumi/policy` comes from the project, beside this package.
 */
const policy_1 = require("@pulumi/policy");
const policy_2 = require("pulumi-auth0-deny-list/policy");
new policy_1.PolicyPack("auth0-deny-list", {
    description: "Auth0 deny lists (options.non_persistent_attrs) that every stack must declare.",
    policies: policy_2.denyListPolicies,
});
