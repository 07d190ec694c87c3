import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { EncryptionKey, type EncryptionKeyArgs, encryptionKeyArgsProblem } from "../../../components/aws/encryption-key";
import { record } from "../../harness";

const ADMIN = "arn:aws:iam::123456789012:role/key-admin";
const BASE: EncryptionKeyArgs = { description: "test key", assetTags: { owner: "ml-platform@example.com", dataClassification: "confidential" }, administratorArns: [ADMIN] };

describe("EncryptionKey rejects unsafe or malformed arguments", () => {
    const cases: [string, Partial<EncryptionKeyArgs>, string][] = [
        ["no administrators", { administratorArns: [] }, "administratorArns must name at least one key administrator: a key nobody can manage cannot be rotated, disabled or scheduled for deletion"],
        ["a deletion window under 7 days", { deletionWindowInDays: 6 }, "deletionWindowInDays must be an integer from 7 to 30 (AWS limits); got 6"],
        ["a fractional deletion window", { deletionWindowInDays: 7.5 }, "deletionWindowInDays must be an integer from 7 to 30 (AWS limits); got 7.5"],
        ["a service without conditions", { services: [{ service: "logs.amazonaws.com", actions: ["kms:Decrypt"], conditions: {} }] }, "every service admitted to the key needs conditions (e.g. aws:SourceAccount) to prevent confused-deputy use"],
        ["missing inventory tags", { assetTags: { owner: " ", dataClassification: "internal" } }, 'assetTags.owner is required: name the accountable team, e.g. { owner: "ml-platform@example.com" }'],
        ["an aiguard tag in extra", { assetTags: { owner: "o", dataClassification: "internal", extra: { "aiguard:owner": "x" } } }, 'assetTags.extra must not set "aiguard:owner": aiguard:* tags are set by the components'],
    ];
    it.each(cases)("rejects %s", async (_label, over, message) => {
        expect(encryptionKeyArgsProblem({ ...BASE, ...over })).toBe(message);
        const err = await record(() => new EncryptionKey("k", { ...BASE, ...over })).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(pulumi.ResourceError);
        expect((err as Error).message).toContain(message);
    });

    it("accepts the boundaries and conditioned services", () => {
        for (const deletionWindowInDays of [7, 30]) expect(encryptionKeyArgsProblem({ ...BASE, deletionWindowInDays })).toBeUndefined();
        expect(encryptionKeyArgsProblem({ ...BASE, services: [{ service: "logs.amazonaws.com", actions: ["kms:Decrypt"], conditions: { StringEquals: { "aws:SourceAccount": "123456789012" } } }] })).toBeUndefined();
    });
});
