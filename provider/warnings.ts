/**
 * Privacy warnings from Auth0's documented limitations of the deny list, and the detection of
 * two resources in one program declaring the same attribute on the same connection. Pure.
 */

// Auth0's deny-list doc: these stop working elsewhere once denied.
const CONSEQUENCES: Record<string, string> = {
    email: "denying `email` stops Auth0 from mapping it to custom claims in rules and actions",
    name: "denying `name` drops it from ID tokens",
    nickname: "denying `nickname` drops it from ID tokens",
};

/** One warning per declared attribute with a documented side effect. */
export function attributeWarnings(attributes: readonly string[]): string[] {
    return [...new Set(attributes)]
        .filter((attribute) => attribute in CONSEQUENCES)
        .map((attribute) => `${CONSEQUENCES[attribute]}; keep it only if nothing relies on it.`);
}

/** Remembers which resource declared which attribute on which connection, within one program. */
export class DeclarationRegistry {
    private readonly owners = new Map<string, string>();

    /**
     * Records `resource`'s attributes on `connection` (an id or a name) and returns a warning for
     * each attribute another resource already declared there.
     */
    declare(resource: string, connection: string, attributes: readonly string[]): string[] {
        const warnings: string[] = [];
        for (const attribute of new Set(attributes)) {
            const key = `${connection}\u0000${attribute}`;
            const other = this.owners.get(key);
            if (other !== undefined && other !== resource) {
                warnings.push(
                    `${resource} and ${other} both declare ${JSON.stringify(attribute)} on connection ${connection}; ` +
                        "whichever writes it owns it, and deleting that one removes the entry although the other still declares it. Declare it in one resource.",
                );
            } else {
                this.owners.set(key, resource);
            }
        }
        return warnings;
    }
}
