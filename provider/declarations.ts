/**
 * What the resources handled by this provider process declare, per connection. The engine
 * runs one provider process per deployment and gives each resource one step in it, so this is
 * where a rename (new resource created, old one deleted) or an attribute moved between two
 * resources becomes visible: a removal must never take off an entry another resource declares.
 * In memory only; no I/O.
 *
 * A dynamic provider is not told which resource a call is for. Each declaration therefore has
 * holders: a diff holds it for the resource whose stored outputs it compared, a create or
 * update for the outputs it returns. When a resource is updated or deleted, the holders tied
 * to its outputs let go, so its own earlier declaration never protects entries from itself,
 * while the same declaration made by another resource still does.
 */
import { normalise } from "./denylist";

/** One resource's declaration on a connection. */
export interface Declaration {
    attributes: readonly string[];
    exclusive: boolean;
}

interface Held {
    declaration: Declaration;
    holders: Set<string>;
}

/** Declarations per connection id, within one provider process. */
export class Declarations {
    private readonly byConnection = new Map<string, Map<string, Held>>();
    /** Where each holder's declaration is, so it can let go. */
    private readonly held = new Map<string, { connectionId: string; key: string }>();
    /** The holder of the declaration behind outputs this process returned. */
    private readonly written = new Map<string, string>();
    private holders = 0;

    /**
     * Records a declaration and returns its holder. `outputs`, for a diff, are the resource's
     * stored outputs: its update or delete later lets go of this declaration.
     */
    declare(connectionId: string, declaration: Declaration, outputs?: object): string {
        const holder = outputs ? `diff:${canonical(outputs)}` : `write:${++this.holders}`;
        this.release(holder);
        const key = JSON.stringify([declaration.exclusive, normalise(declaration.attributes)]);
        let declarations = this.byConnection.get(connectionId);
        if (!declarations) {
            declarations = new Map();
            this.byConnection.set(connectionId, declarations);
        }
        const entry = declarations.get(key) ?? { declaration, holders: new Set<string>() };
        entry.holders.add(holder);
        declarations.set(key, entry);
        this.held.set(holder, { connectionId, key });
        return holder;
    }

    /** The outputs a create or update returned for the declaration `holder` holds. */
    wrote(outputs: object, holder: string): void {
        this.written.set(canonical(outputs), holder);
    }

    /** A refresh gave a resource new outputs: it is still the same resource. */
    reread(before: object, after: object): void {
        const holder = this.written.get(canonical(before));
        if (holder) this.written.set(canonical(after), holder);
    }

    /** The resource with these outputs is being updated or deleted: what it declared lets go. */
    forget(outputs: object): void {
        this.release(`diff:${canonical(outputs)}`);
        const holder = this.written.get(canonical(outputs));
        if (holder) this.release(holder);
    }

    /** Every attribute declared on the connection in this process. */
    declared(connectionId: string): Set<string> {
        return new Set(this.on(connectionId).flatMap((declaration) => declaration.attributes));
    }

    /**
     * Why the declarations on a connection cannot all hold, or undefined: an exclusive resource
     * owns the whole list, so any other resource on the same connection contradicts it.
     */
    conflict(connectionId: string): string | undefined {
        const declarations = this.on(connectionId);
        if (declarations.length < 2 || !declarations.some((declaration) => declaration.exclusive)) return undefined;
        const shown = declarations
            .map((d) => `${d.exclusive ? "exclusive" : "merge"} ${JSON.stringify(normalise(d.attributes))}`)
            .join(", ");
        return (
            `Connection ${connectionId} has an exclusive ConnectionDenyList and another ConnectionDenyList in this deployment ` +
            `(${shown}). An exclusive resource owns the whole list, so the other's entries would be removed or its own ` +
            "list contradicted: declare every attribute in the exclusive resource, or make all of them merge-mode. Nothing was written."
        );
    }

    // Distinct declarations on a connection; the same one held twice (by a diff and then the
    // update of one resource, or by two resources declaring alike) counts once.
    private on(connectionId: string): Declaration[] {
        return [...(this.byConnection.get(connectionId)?.values() ?? [])].map((entry) => entry.declaration);
    }

    private release(holder: string): void {
        const place = this.held.get(holder);
        if (!place) return;
        this.held.delete(holder);
        const declarations = this.byConnection.get(place.connectionId);
        const entry = declarations?.get(place.key);
        entry?.holders.delete(holder);
        if (entry && entry.holders.size === 0) declarations?.delete(place.key);
    }
}

// Outputs come back from the engine with keys in any order.
function canonical(outputs: object): string {
    return JSON.stringify(Object.entries(outputs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
