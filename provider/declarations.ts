/**
 * What the resources handled by this provider process declare, per connection. The engine
 * runs one provider process per deployment and gives each resource one step in it, so this is
 * where a rename (new resource created, old one deleted) or an attribute moved between two
 * resources becomes visible: a removal must never take off an entry another resource declares.
 * In memory only; no I/O.
 *
 * A dynamic provider is not told which resource a call is for, so declarations are kept by
 * content (mode and attributes). A resource's own declaration never protects what it removes:
 * it removes only entries it no longer declares. When the same resource comes back in the same
 * process (recognised by the exact outputs this process gave it), its earlier declaration is
 * forgotten first, so it does not protect entries from itself.
 */
import { normalise } from "./denylist";

// Outputs come back from the engine with keys in any order.
function canonical(outputs: object): string {
    return JSON.stringify(Object.entries(outputs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function keyOf(declaration: Declaration): string {
    return JSON.stringify([declaration.exclusive, normalise(declaration.attributes)]);
}

/** One resource's declaration on a connection. */
export interface Declaration {
    attributes: readonly string[];
    exclusive: boolean;
}

/** Declarations per connection id, within one provider process. */
export class Declarations {
    private readonly byConnection = new Map<string, Map<string, Declaration>>();
    /** Outputs this process returned, each with the declaration it was written for. */
    private readonly written = new Map<string, { connectionId: string; declaration: string }>();

    /** Records a declaration (idempotent: the same resource seen by diff and then update counts once). */
    declare(connectionId: string, declaration: Declaration): void {
        const attributes = normalise(declaration.attributes);
        let declarations = this.byConnection.get(connectionId);
        if (!declarations) {
            declarations = new Map();
            this.byConnection.set(connectionId, declarations);
        }
        declarations.set(keyOf(declaration), { attributes, exclusive: declaration.exclusive });
    }

    /** Remembers the outputs this process gave a resource declaring `declaration`. */
    wrote(outputs: object, connectionId: string, declaration: Declaration): void {
        this.written.set(canonical(outputs), { connectionId, declaration: keyOf(declaration) });
    }

    /** A refresh gave a resource new outputs: it is still the same resource. */
    reread(before: object, after: object): void {
        const entry = this.written.get(canonical(before));
        if (entry) this.written.set(canonical(after), entry);
    }

    /**
     * The resource with these outputs is being updated or deleted. If this process wrote them,
     * its earlier declaration is its own and is forgotten; otherwise (a resource from an earlier
     * deployment) there is nothing of its own to forget.
     */
    forget(outputs: object): void {
        const entry = this.written.get(canonical(outputs));
        if (!entry) return;
        this.byConnection.get(entry.connectionId)?.delete(entry.declaration);
    }

    /** Every attribute declared on the connection in this process. */
    declared(connectionId: string): Set<string> {
        const entries = [...(this.byConnection.get(connectionId)?.values() ?? [])];
        return new Set(entries.flatMap((declaration) => declaration.attributes));
    }

    /**
     * Why the declarations on a connection cannot all hold, or undefined: an exclusive resource
     * owns the whole list, so any other resource on the same connection contradicts it.
     */
    conflict(connectionId: string): string | undefined {
        const declarations = [...(this.byConnection.get(connectionId)?.values() ?? [])];
        if (declarations.length < 2 || !declarations.some((declaration) => declaration.exclusive)) return undefined;
        const shown = declarations
            .map((d) => `${d.exclusive ? "exclusive" : "merge"} ${JSON.stringify(d.attributes)}`)
            .join(", ");
        return (
            `Connection ${connectionId} has an exclusive ConnectionDenyList and another ConnectionDenyList in this deployment ` +
            `(${shown}). An exclusive resource owns the whole list, so the other's entries would be removed or its own ` +
            "list contradicted: declare every attribute in the exclusive resource, or make all of them merge-mode. Nothing was written."
        );
    }
}
