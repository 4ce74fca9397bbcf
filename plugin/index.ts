/**
 * `pulumi-auth0-deny-list/plugin`: the Pulumi resource provider plugin (package `auth0-deny-list`)
 * that serves ConnectionDenyList and TenantDenyList to every Pulumi language. `dist/plugin/main.js`
 * runs it; the shipped `pulumi-plugin/` folder starts it through `serve`.
 */
export { type Serving, serve } from "./serve";
