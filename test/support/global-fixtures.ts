/**
 * Mocha's global fixtures (`.mocharc.json` requires this file): what the run's main process does
 * once, around every worker. The installed project the parallel workers share is made by the
 * first that needs it (harness/install.ts); the main process removes it at the end.
 */
import { removeSharedProject } from "../../harness/install";

/** After every worker is done: the shared installed project goes. */
export function mochaGlobalTeardown(): void {
    removeSharedProject();
}
