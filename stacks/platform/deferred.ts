/**
 * A value supplied after the resources that need it are declared: breaks construction-order cycles
 * (a role policy that names a key whose policy names the role) without creating resources inside
 * `apply`. The output carries the dependencies of whatever it is resolved with.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Deferred<T> {
    /** The value, usable as an input now. */
    readonly output: pulumi.Output<T>;
    /** Supplies the value; must be called exactly once before the program ends. */
    resolve(value: pulumi.Input<T>): void;
}

export function deferred<T>(what: string): Deferred<T> {
    let settle!: (v: pulumi.Output<T>) => void;
    let resolved = false;
    const promise = new Promise<pulumi.Output<T>>((res) => (settle = res));
    // Never resolving would hang the deployment; fail loudly instead if the program forgot.
    const guard = setTimeout(() => {
        if (!resolved) settle(pulumi.output(Promise.reject(new Error(`deferred value "${what}" was never resolved`))) as pulumi.Output<T>);
    }, 60_000);
    guard.unref();
    return {
        output: pulumi.output(promise).apply((o) => o) as unknown as pulumi.Output<T>,
        resolve(value) {
            if (resolved) throw new Error(`deferred value "${what}" resolved twice`);
            resolved = true;
            clearTimeout(guard);
            settle(pulumi.output(value) as pulumi.Output<T>);
        },
    };
}
