/**
 * The command line: `audit` and `adopt`, their options, and the help text. Pure: argv in,
 * a {@link Command} (or a {@link UsageError}) out.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { attributeProblem } from "../provider/core/schema";
import { didYouMean } from "../provider/core/suggest";
import { nonEmpty } from "../provider/core/text";
import { DEFAULT_EMULATOR_PORT, type EmulatorCommand } from "./emulator";

/** Where the tenant is, as given on the command line (the secret never is). */
export interface TargetFlags {
    domain?: string;
    clientId?: string;
}

/** What the command line asks for. */
export type Command =
    | { kind: "help"; topic: HelpTopic }
    | {
          kind: "audit";
          target: TargetFlags;
          json: boolean;
          /** An env file or a domain: the tenant to compare with. */
          compare?: string;
          /** Whether a `--compare` domain may be reached with the first tenant's credentials. */
          sameCredentials: boolean;
          failOnFindings: boolean;
          failOnDifferences: boolean;
          /** Entries every checked connection must deny (`--require`); empty for no check. */
          require: string[];
          /** Connections `--require` checks; empty for all. */
          connections: string[];
      }
    | {
          kind: "adopt";
          target: TargetFlags;
          /** Connection names to restrict to; empty for all. */
          connections: string[];
          out?: string;
          /** Where to write the `pulumi import --file` file for the same resources. */
          importFile?: string;
          force: boolean;
      }
    | ({ kind: "emulator" } & EmulatorCommand);

/** Which help text. */
export type HelpTopic = "main" | Subcommand;

/** The commands. */
type Subcommand = "audit" | "adopt" | "emulator";
const SUBCOMMANDS: readonly Subcommand[] = ["audit", "adopt", "emulator"];

/** A command line that cannot be run; the message says why and how to fix it. */
export class UsageError extends Error {
    override name = "UsageError";
}

const OPTIONS = {
    help: { type: "boolean", short: "h" },
    domain: { type: "string" },
    "client-id": { type: "string" },
    json: { type: "boolean" },
    compare: { type: "string" },
    "same-credentials": { type: "boolean" },
    "fail-on-findings": { type: "boolean" },
    "fail-on-differences": { type: "boolean" },
    connection: { type: "string", multiple: true },
    require: { type: "string", multiple: true },
    out: { type: "string" },
    "import-file": { type: "string" },
    force: { type: "boolean" },
    port: { type: "string" },
    "state-file": { type: "string" },
} as const;

const COMMON = ["help", "domain", "client-id"];
const ALLOWED: Record<Subcommand, readonly string[]> = {
    audit: [
        ...COMMON,
        "json",
        "compare",
        "same-credentials",
        "fail-on-findings",
        "fail-on-differences",
        "require",
        "connection",
    ],
    adopt: [...COMMON, "connection", "out", "import-file", "force"],
    emulator: ["help", "port", "state-file"],
};

// Flags that would put a secret on the command line, where shell history and `ps` keep it.
const SECRET_FLAGS = ["--client-secret", "--api-token", "--secret", "--token"];

/** Parses `argv` (without `node` and the script). Throws {@link UsageError}. */
export function parseCommandLine(argv: readonly string[]): Command {
    const secretFlag = argv.find((arg) => SECRET_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)));
    if (secretFlag) {
        const flag = secretFlag.split("=")[0];
        throw new UsageError(
            `${flag} is not accepted: a secret given on the command line is kept in shell history and shown ` +
                "to other users by `ps`. Set AUTH0_CLIENT_SECRET (or AUTH0_API_TOKEN) in the environment instead.",
        );
    }
    let parsed: ReturnType<typeof parse>;
    try {
        parsed = parse(argv);
    } catch (error) {
        // parseArgs names the option, never its value; keep its first sentence.
        const message = String((error as Error).message);
        const unknown = /^Unknown option '(-[^']+)'/.exec(message)?.[1];
        const suggestion = unknown === undefined ? "" : didYouMean(unknown, flagsFor(argv));
        throw new UsageError(`${message.split(". ")[0]}.${suggestion} Run with --help for usage.`);
    }
    const { values, positionals } = parsed;
    const [subcommand, ...extra] = positionals;
    if (subcommand === undefined) {
        if (values.help) return { kind: "help", topic: "main" };
        throw new UsageError("Give a command: audit, adopt or emulator. Run with --help for usage.");
    }
    if (subcommand === "help") return { kind: "help", topic: isSubcommand(extra[0]) ? extra[0] : "main" };
    if (!isSubcommand(subcommand)) {
        const suggestion = didYouMean(subcommand, [...SUBCOMMANDS, "help"]);
        throw new UsageError(
            `Unknown command ${JSON.stringify(subcommand)}: use audit, adopt or emulator.${suggestion}`,
        );
    }
    if (values.help) return { kind: "help", topic: subcommand };
    if (extra.length > 0) {
        throw new UsageError(`Unexpected argument ${JSON.stringify(extra[0])}. Run with --help for usage.`);
    }
    const misplaced = Object.keys(values).find((option) => !ALLOWED[subcommand].includes(option));
    if (misplaced) throw new UsageError(`--${misplaced} is not an option of ${subcommand}. Run with --help for usage.`);
    if (subcommand === "emulator") {
        return {
            kind: "emulator",
            port: flagValue(values.port, "--port"),
            stateFile: flagValue(values["state-file"], "--state-file"),
        };
    }
    const target = {
        domain: flagValue(values.domain, "--domain"),
        clientId: flagValue(values["client-id"], "--client-id"),
    };
    if (subcommand === "audit") {
        if (values["fail-on-differences"] && values.compare === undefined) {
            throw new UsageError("--fail-on-differences needs --compare <env-file|domain>.");
        }
        if (values["same-credentials"] && values.compare === undefined) {
            throw new UsageError("--same-credentials needs --compare <domain>.");
        }
        const required = requiredEntries(values.require ?? []);
        if (values.connection !== undefined && required.length === 0) {
            throw new UsageError(
                "--connection needs --require: it names the connections the required entries are checked on.",
            );
        }
        if (required.length > 0 && values.compare !== undefined) {
            throw new UsageError("--require checks one tenant: run it without --compare (once per tenant).");
        }
        return {
            kind: "audit",
            target,
            json: values.json ?? false,
            compare: flagValue(values.compare, "--compare"),
            sameCredentials: values["same-credentials"] ?? false,
            failOnFindings: values["fail-on-findings"] ?? false,
            failOnDifferences: values["fail-on-differences"] ?? false,
            require: required,
            connections: connectionNames(values.connection),
        };
    }
    const out = flagValue(values.out, "--out");
    const importFile = flagValue(values["import-file"], "--import-file");
    if (out !== undefined && importFile !== undefined && path.normalize(out) === path.normalize(importFile)) {
        throw new UsageError("--out and --import-file name the same file: give each its own.");
    }
    return {
        kind: "adopt",
        target,
        connections: connectionNames(values.connection),
        out,
        importFile,
        force: values.force ?? false,
    };
}

// The flags the command line accepts, for the subcommand when one is given.
function flagsFor(argv: readonly string[]): string[] {
    const subcommand = argv.find((arg) => !arg.startsWith("-"));
    const names = isSubcommand(subcommand) ? ALLOWED[subcommand] : Object.keys(OPTIONS);
    return names.map((name) => `--${name}`);
}

function parse(argv: readonly string[]) {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
}

// A flag given with a blank value is a mistake worth naming, not an absent flag.
function flagValue(value: string | undefined, flag: string): string | undefined {
    if (value !== undefined && nonEmpty(value) === undefined) throw new UsageError(`${flag} needs a value.`);
    return nonEmpty(value);
}

function connectionNames(values: string[] | undefined): string[] {
    return (values ?? []).map((name) => flagValue(name, "--connection") as string);
}

// `--require a,b --require c`: every entry must be one the provider accepts, or the check means nothing.
function requiredEntries(values: string[]): string[] {
    const entries = values.flatMap((value) => value.split(",").map((entry) => entry.trim()));
    for (const entry of entries) {
        const problem = attributeProblem(entry);
        if (problem) {
            const named = problem.startsWith('"') ? problem : `${JSON.stringify(entry)} ${problem}`;
            throw new UsageError(`--require: ${named}.`);
        }
    }
    return [...new Set(entries)];
}

function isSubcommand(value: string | undefined): value is Subcommand {
    return SUBCOMMANDS.some((command) => command === value);
}

const CREDENTIALS = `Credentials (read-only use; the tool never writes to Auth0):
  AUTH0_DOMAIN          tenant, e.g. acme.eu.auth0.com or https://acme.eu.auth0.com (or --domain)
  AUTH0_CLIENT_ID       Machine-to-Machine application (or --client-id)
  AUTH0_CLIENT_SECRET   its secret: environment only, never a flag (shell history keeps flags)
  AUTH0_API_TOKEN       a Management API token, instead of the client id and secret
  Scopes needed: read:connections and read:connections_options.`;

/** The help texts. */
export const HELP: Record<HelpTopic, string> = {
    main: `Usage: pulumi-auth0-deny-list <command> [options]

Tools for Auth0 connection deny lists (options.non_persistent_attrs). audit and adopt only read the
tenant; emulator serves a local one.

Commands:
  audit      list every connection with its strategy and deny list, and findings
  adopt      print a Pulumi program declaring the existing deny lists (adopting them writes nothing),
             with the \`pulumi import\` commands that adopt them in a program using the provider plugin
  emulator   run the local Auth0 Management API emulator until Ctrl-C (offline stacks and tests)

Options:
  --domain <tenant>     the tenant (default: AUTH0_DOMAIN)
  --client-id <id>      the application (default: AUTH0_CLIENT_ID)
  -h, --help            help; \`<command> --help\` for a command's options

${CREDENTIALS}

Exit codes: 0 done; 1 findings or differences with --fail-on-findings / --fail-on-differences, or a
connection lacking an entry given to --require; 2 the command could not run (usage, credentials,
scopes, network).
`,
    audit: `Usage: pulumi-auth0-deny-list audit [--json] [--compare <env-file> | --compare <domain> --same-credentials]
                                   [--fail-on-findings] [--fail-on-differences]
       pulumi-auth0-deny-list audit --require <attr>[,<attr>…] [--connection <name>]... [--fail-on-findings] [--json]

Lists every connection of the tenant (all pages) with its strategy and deny list, and findings:
  not-root-field  an entry that is not a root profile field or claim name (user.name, user_metadata.x,
                  address.country, edge whitespace…): Auth0 denies nothing with it
  too-long        an entry over 255 characters
  email-denied    email denied: Auth0 can no longer map it to custom claims
  name-denied     name or nickname denied: dropped from ID tokens
  wrong-case      a root profile field in another case (Given_Name): Auth0 compares names exactly, so
                  it denies only an upstream claim spelled that way and the field stays stored
  saml-debug      a samlp connection with Debug Mode on: assertions, denied values included, go to tenant logs
  root-copies-kept  a connection with a deny list whose set_user_root_attributes is not on_each_login: a value
                  stored before its attribute was denied stays on users' root profiles after their next login

Options:
  --json                   print the report as JSON
  --compare <target>       compare with another tenant, per connection name: the entries one denies and
                           the other does not. <target> is an existing dotenv-style file with AUTH0_DOMAIN,
                           AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET / AUTH0_API_TOKEN lines (only the file is
                           read), or a domain together with --same-credentials. A path or file name that
                           does not exist is an error (exit 2), and nothing is sent
  --same-credentials       reach the --compare domain with the first tenant's credentials (its client
                           secret or token is sent there); without it a domain is refused
  --fail-on-findings       exit 1 when there are findings (in either tenant when comparing)
  --fail-on-differences    with --compare: exit 1 when the deny lists differ
  --require <attr>[,…]     check that every connection denies each of these entries (repeatable), for a
                           CI schedule that catches a list another writer wiped. Prints the answer alone:
                           the connections lacking entries, and which (names are compared exactly, as
                           Auth0 does; an entry listed in another case is pointed out). Exit 1 when one
                           lacks some. With --fail-on-findings the findings of the whole tenant follow
                           the answer and exit 1 as without --require; --json prints the whole report
                           with a "required" object
  --connection <name>      with --require: check only this connection (repeatable; default: every one)
  --domain, --client-id    see below

${CREDENTIALS}
`,
    emulator: `Usage: pulumi-auth0-deny-list emulator [--port <port>] [--state-file <file>]

Runs a local Auth0 Management API (tokens, connections, Auth0's PATCH semantics, scopes, rate-limit
headers) on http://127.0.0.1:<port> until Ctrl-C, and prints the AUTH0_* settings that point a stack
or this tool at it. Without --state-file it starts from its seeded connections every time.

Options:
  --port <port>          the port (default: AUTH0_EMULATOR_PORT, else ${DEFAULT_EMULATOR_PORT}; 0 picks a free one)
  --state-file <file>    load the connections from <file> when it exists (the emulator's format:
                         {"connections": [...]}, each as Auth0 returns it) and write them back after
                         every change, so a restart keeps what a stack wrote
`,
    adopt: `Usage: pulumi-auth0-deny-list adopt [--connection <name>]... [--out <file>] [--import-file <file>] [--force]

Prints a TypeScript Pulumi program declaring one ConnectionDenyList per connection with a non-empty
deny list, by connection name and in merge mode: \`pulumi up\` on it adopts the entries and writes
nothing to Auth0. Entries the provider would reject (nested paths, over-long…) are left out, as comments.
Its closing comment holds, for programs in Python, Go, .NET, Java or YAML (the provider plugin), one
\`pulumi import auth0-deny-list:index:ConnectionDenyList <name> <con_id>\` per resource: the same lists,
adopted with no write, the code printed in the program's language.

Options:
  --connection <name>      only this connection (repeatable)
  --out <file>             write the program to <file> instead of stdout
  --import-file <file>     also write the same resources as a Pulumi import file, for
                           \`pulumi import --file <file>\` (the closing comment then names it)
  --force                  overwrite an existing --out or --import-file (without it, it is refused)
  --domain, --client-id    see below

${CREDENTIALS}
`,
};
