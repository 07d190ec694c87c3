import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../policies/framework/rule";
import { kmsKeyConfigureDeletionWindow } from "../../../policies/rules/aws/kms/key-configure-deletion-window";
import { kmsKeyDisallowPublicPrincipal } from "../../../policies/rules/aws/kms/key-disallow-public-principal";
import { kmsKeyEnableRotation } from "../../../policies/rules/aws/kms/key-enable-rotation";
import { aiTags, expectFindings, res, run } from "../support";

const KEY = "aws:kms/key:Key";
const rootStatement = { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" };
const key = (props: Record<string, unknown> = {}) =>
    res(KEY, "models-key", {
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [rootStatement] }),
        tags: aiTags("encryption-key"),
        ...props,
    });
const RULES = [kmsKeyEnableRotation, kmsKeyConfigureDeletionWindow, kmsKeyDisallowPublicPrincipal];

describe("KMS key rules", () => {
    it.each(RULES.map((r) => [r.name, r] as const))("%s: a compliant key has no finding", (_n, rule) => expect(run(rule, key())).toEqual([]));

    it.each([
        ["rotation off", kmsKeyEnableRotation, { enableKeyRotation: false }, 'KMS key "models-key" does not enable automatic key rotation'],
        ["rotation unset", kmsKeyEnableRotation, { enableKeyRotation: undefined }, "does not enable automatic key rotation"],
        ["7-day deletion window", kmsKeyConfigureDeletionWindow, { deletionWindowInDays: 7 }, "has a deletion window of 7 days; at least 30 are required"],
        ["public principal", kmsKeyDisallowPublicPrincipal, { policy: JSON.stringify({ Statement: [rootStatement, { Sid: "Open", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }] }) }, 'KMS key policy of "models-key": statement "Open" allows everyone (Principal "*") without a Condition'],
        ["AWS * principal in an object policy", kmsKeyDisallowPublicPrincipal, { policy: { Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "kms:*", Resource: "*" }] } }, "statement #1 allows everyone"],
        ["policy not JSON", kmsKeyDisallowPublicPrincipal, { policy: "nope" }, "cannot be read: policy is not valid JSON"],
    ] as const)("%s", (_t, rule, change, message) => {
        expectFindings(run(rule, key(change as Record<string, unknown>)), [{ message }]);
    });

    it("accepts an absent deletion window (AWS default 30) and asymmetric keys without rotation", () => {
        expect(run(kmsKeyConfigureDeletionWindow, key({ deletionWindowInDays: undefined }))).toEqual([]);
        expect(run(kmsKeyEnableRotation, key({ enableKeyRotation: false, customerMasterKeySpec: "RSA_2048" }))).toEqual([]);
    });

    it("accepts a conditioned wildcard principal and a wildcard Deny", () => {
        const policy = {
            Statement: [
                { Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": "123456789012" } } },
                { Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*" },
            ],
        };
        expect(run(kmsKeyDisallowPublicPrincipal, key({ policy }))).toEqual([]);
        expect(run(kmsKeyDisallowPublicPrincipal, res("aws:kms/keyPolicy:KeyPolicy", "kp", { keyId: "k", policy: JSON.stringify(policy) }))).toEqual([]);
    });

    it("judges aws.kms.KeyPolicy documents", () => {
        const open = { Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" }] };
        expectFindings(run(kmsKeyDisallowPublicPrincipal, res("aws:kms/keyPolicy:KeyPolicy", "kp", { keyId: "k", policy: JSON.stringify(open) })), [{ message: 'KMS key policy of "kp": statement #1 allows everyone' }]);
    });

    it.each([
        [kmsKeyEnableRotation, { enableKeyRotation: UNKNOWN }],
        [kmsKeyEnableRotation, { customerMasterKeySpec: UNKNOWN, enableKeyRotation: false }],
        [kmsKeyConfigureDeletionWindow, { deletionWindowInDays: UNKNOWN }],
    ] as const)("%s: unknown values give no finding", (rule, change) => {
        expect(run(rule, key(change as Record<string, unknown>))).toEqual([]);
    });

    it.each([
        { policy: UNKNOWN },
        { policy: { Statement: [{ Effect: UNKNOWN, Principal: "*", Action: "kms:*" }] } },
        { policy: { Statement: [{ Effect: "Allow", Principal: { AWS: UNKNOWN }, Action: "kms:*" }] } },
        { policy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*", Condition: { StringEquals: { "kms:CallerAccount": UNKNOWN } } }] } },
    ])("public principal: unknown parts are undecided, never a violation (%#)", (change) => {
        const found = run(kmsKeyDisallowPublicPrincipal, key(change as Record<string, unknown>));
        expect(found).toHaveLength(1);
        expect(found[0]!.undecided).toBe(true);
    });

    it("a Condition that does not restrict the caller does not make a wildcard grant private", () => {
        const policy = { Statement: [{ Sid: "ViaS3", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-2.amazonaws.com" } } }] };
        expectFindings(run(kmsKeyDisallowPublicPrincipal, key({ policy })), [{ message: 'statement "ViaS3" allows everyone (Principal "*") under a Condition that restricts neither' }]);
    });
});
