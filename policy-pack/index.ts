/**
 * The `auth0-deny-list` policy pack, compiled with its rules into lib/ by `npm run build`. The
 * Pulumi CLI runs it from this folder (`pulumi preview --policy-pack node_modules/pulumi-auth0-deny-list/policy-pack`,
 * `@pulumi/policy` then comes from the project), or from a copy of the folder after `npm install`
 * there (`pulumi policy publish`): the rules travel with it, so it needs nothing but the registry.
 */
import { PolicyPack } from "@pulumi/policy";
import { denyListPolicies } from "../policy";

new PolicyPack("auth0-deny-list", {
    description: "Auth0 deny lists (options.non_persistent_attrs) that every stack must declare.",
    policies: denyListPolicies,
});
