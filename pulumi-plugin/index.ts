/**
 * The `auth0-deny-list` provider plugin as Pulumi runs a plugin folder: the engine starts
 * `node <@pulumi/pulumi/cmd/run-plugin> <this folder> <engine address>` from the program's
 * directory, and run-plugin requires this folder with the arguments after it as `process.argv`.
 * Compiled to index.js by `npm run build`.
 */
import { serve } from "pulumi-auth0-deny-list/plugin";

serve().catch((error: Error) => {
    process.stderr.write(`auth0-deny-list plugin failed to start: ${error.message}\n`);
    process.exit(1);
});
