/**
 * `node dist/plugin/main.js [engine address]`: the provider plugin's executable entry. Prints the
 * port of its ResourceProvider gRPC server as the first line of stdout, then serves until killed.
 */
import { serve } from "./serve";

serve().catch((error: Error) => {
    process.stderr.write(`auth0-deny-list plugin failed to start: ${error.message}\n`);
    process.exit(1);
});
