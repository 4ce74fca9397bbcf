/**
 * The options a provider takes. Kept apart from the host context so the published types of the
 * providers reach no zod declaration (Pulumi's TypeScript template compiles them without
 * `esModuleInterop` or `skipLibCheck`).
 */
import type { ClientOptions } from "../auth0/client";
import type { Gathering } from "./writer";

/** Seams for tests and embedding; production uses the defaults. */
export interface ProviderOptions {
    /** Environment to read `AUTH0_*` from. Default: `process.env`, read at each call. */
    env?: NodeJS.ProcessEnv;
    /**
     * Options for the Auth0 client (timeouts, retry policy, clock). A test seam.
     * @internal Left out of the published types: they would reach zod's declarations, which need
     * `esModuleInterop` or `skipLibCheck`, and Pulumi's TypeScript template sets neither.
     */
    client?: ClientOptions;
    /** Receives warnings and retry lines. Default: stderr, which the Pulumi CLI shows. */
    log?: (line: string) => void;
    /**
     * How long the writer gathers a connection's operations before reading it. A test seam.
     * @internal
     */
    gathering?: Gathering;
}
