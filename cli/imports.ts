/**
 * `pulumi import` for what `adopt` declares, for programs that use the provider plugin (Python,
 * Go, .NET, Java, YAML): dynamic resources cannot be imported, the plugin's resources can. One
 * command per resource, or an import file that `pulumi import --file` reads. Pure.
 */
import { CONNECTION_DENY_LIST } from "../plugin/schema";
import { InputsSchema } from "../provider/core/schema";

/** A resource `adopt` declares: its Pulumi resource name and its connection's id. */
export interface Importable {
    name: string;
    connectionId: string;
}

/**
 * The JSON `pulumi import --file` reads: `importFile` and `importSpec` in
 * pkg/cmd/pulumi/operations/import.go (pulumi/pulumi v3.248.0). Each resource needs `type`,
 * `name` and `id`; `nameTable`, `parent`, `provider`, `version` and the rest are optional and
 * left out, so the stack's default `auth0-deny-list` provider reads each list.
 */
export interface ImportFile {
    resources: { type: typeof CONNECTION_DENY_LIST; name: string; id: string }[];
}

/**
 * Whether the plugin's import takes `id`: a connection id as the inputs' schema accepts it
 * (`con_` and letters and digits), which also keeps it safe in a shell line and a comment.
 */
export function importable(id: string): boolean {
    return InputsSchema.shape.connectionId.safeParse(id).success;
}

/** `pulumi import auth0-deny-list:index:ConnectionDenyList NAME con_…` for one importable resource. */
export function importCommand(resource: Importable): string {
    return `pulumi import ${CONNECTION_DENY_LIST} ${shellWord(resource.name)} ${shellWord(resource.connectionId)}`;
}

/** The import file for the importable ones of `resources`. */
export function importFile(resources: readonly Importable[]): ImportFile {
    return {
        resources: resources
            .filter((resource) => importable(resource.connectionId))
            .map((resource) => ({ type: CONNECTION_DENY_LIST, name: resource.name, id: resource.connectionId })),
    };
}

/** A word as a POSIX shell reads it back unchanged: bare when it holds only safe characters, else single-quoted. */
export function shellWord(word: string): string {
    return /^[A-Za-z0-9_.,:/=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
